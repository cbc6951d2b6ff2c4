//! `ARRAY(subquery)`: the subquery's rows as an array, in its order, `{}`
//! when it has none (psql's `\d+` sends `array(select 'toast.' || x from
//! unnest(tc.reloptions) x)`). DataFusion has no such constructor; it
//! becomes an aggregate:
//!
//! - over the elements of an array column (`SELECT f(x) FROM unnest(a) x
//!   [WHERE p(x)]`, where `a` is usually the outer query's, which a
//!   DataFusion subquery cannot read in its `FROM`):
//!   `array_transform(array_filter(a, x -> p(x)), x -> f(x))`;
//! - a plain `SELECT v FROM ... [WHERE ...] [ORDER BY ...]`: `(SELECT
//!   array_agg(v ORDER BY ...) FROM ... WHERE ...)` (a correlated one is
//!   then an aggregate DataFusion decorrelates);
//! - any other query: `(SELECT array_agg(v) FROM (query) AS __eddy_array(v))`;
//!
//! each wrapped in `coalesce(..., make_array())` (no rows: `{}`, not NULL).

use std::ops::ControlFlow;

use eddy_sql::normalize_ident;
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Ident, LambdaFunction, LambdaFunctionParameter,
    LambdaSyntax, OneOrManyWithParens, OrderByKind, Query, SelectItem, SetExpr, TableAlias, TableFactor, Value, Visit,
    VisitMut, VisitorMut,
};

/// Rewrites `ARRAY(subquery)` (see the module documentation);
/// `is_aggregate` tells the functions that aggregate.
pub(super) struct ArraySubqueries<'a> {
    pub(super) is_aggregate: &'a dyn Fn(&str) -> bool,
}

impl VisitorMut for ArraySubqueries<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let Expr::Function(function) = expr else { return ControlFlow::Continue(()) };
        let FunctionArguments::Subquery(query) = &function.args else { return ControlFlow::Continue(()) };
        let is_array = matches!(function.name.0.as_slice(), [part] if part.as_ident().is_some_and(|i| i.value.eq_ignore_ascii_case("array")));
        if !is_array {
            return ControlFlow::Continue(());
        }
        let array = self
            .over_array_elements(query)
            .or_else(|| self.aggregated_in_place(query))
            .unwrap_or_else(|| aggregated_outside(query));
        *expr = call("coalesce", vec![array, call("make_array", Vec::new())]);
        ControlFlow::Continue(())
    }
}

impl ArraySubqueries<'_> {
    /// `SELECT f(x) FROM unnest(a) [AS] x [WHERE p(x)]` as
    /// `array_transform(array_filter(a, x -> p(x)), x -> f(x))`.
    fn over_array_elements(&self, query: &Query) -> Option<Expr> {
        let select = plain_select(query)?;
        if query.order_by.is_some() || select.from.len() != 1 || !select.from[0].joins.is_empty() {
            return None;
        }
        let (array, alias) = match &select.from[0].relation {
            TableFactor::UNNEST {
                alias: Some(alias), array_exprs, with_offset: false, with_ordinality: false, ..
            } if array_exprs.len() == 1 => (array_exprs[0].clone(), alias),
            TableFactor::Table { name, args: Some(args), alias: Some(alias), with_ordinality: false, .. }
                if name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| i.value.eq_ignore_ascii_case("unnest")) =>
            {
                let [FunctionArg::Unnamed(FunctionArgExpr::Expr(array))] = args.args.as_slice() else { return None };
                (array.clone(), alias)
            }
            _ => return None,
        };
        // An array of constants is unnested in place (a lambda over it would
        // be planned before constants take their final types).
        let reads_columns = |e: &Expr| matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_));
        if array.visit(&mut ExprFinder(reads_columns)).is_continue() {
            return None;
        }
        let element = element_name(alias)?;
        let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
            select.projection.as_slice()
        else {
            return None;
        };
        let lambda = |body: &Expr| -> Option<Expr> {
            let mut body = body.clone();
            let mut elements = ElementReferences { table: normalize_ident(&alias.name), element: element.clone() };
            if VisitMut::visit(&mut body, &mut elements).is_break() || self.reads_a_query_or_aggregates(&body) {
                return None;
            }
            Some(Expr::Lambda(LambdaFunction {
                params: OneOrManyWithParens::One(LambdaFunctionParameter { name: element.clone(), data_type: None }),
                body: Box::new(body),
                syntax: LambdaSyntax::Arrow,
            }))
        };
        let filtered = match &select.selection {
            Some(condition) => call("array_filter", vec![array, lambda(condition)?]),
            None => array,
        };
        Some(call("array_transform", vec![filtered, lambda(value)?]))
    }

    /// A plain `SELECT v FROM ... [WHERE ...] [ORDER BY ...]` as `(SELECT
    /// array_agg(v ORDER BY ...) FROM ... WHERE ...)`.
    fn aggregated_in_place(&self, query: &Query) -> Option<Expr> {
        let select = plain_select(query)?;
        let [item] = select.projection.as_slice() else { return None };
        let (SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }) = item else {
            return None;
        };
        if select.from.is_empty() || self.reads_a_query_or_aggregates(value) {
            return None;
        }
        let alias = match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(normalize_ident(alias)),
            _ => None,
        };
        let mut order_by = Vec::new();
        if let Some(order) = &query.order_by {
            let OrderByKind::Expressions(exprs) = &order.kind else { return None };
            for o in exprs {
                let mut o = o.clone();
                // ORDER BY 1 or the item's alias: the item
                let is_item = match &o.expr {
                    Expr::Value(v) => matches!(&v.value, Value::Number(n, _) if n == "1"),
                    Expr::Identifier(i) => alias.as_deref() == Some(normalize_ident(i).as_str()),
                    _ => false,
                };
                if is_item {
                    o.expr = value.clone();
                } else if matches!(&o.expr, Expr::Value(_)) || self.reads_a_query_or_aggregates(&o.expr) {
                    return None;
                }
                order_by.push(o);
            }
        }
        let mut aggregate = call("array_agg", vec![value.clone()]);
        if let (Expr::Function(f), false) = (&mut aggregate, order_by.is_empty()) {
            if let FunctionArguments::List(list) = &mut f.args {
                list.clauses.push(sqlparser::ast::FunctionArgumentClause::OrderBy(order_by));
            }
        }
        let mut aggregated = query.clone();
        aggregated.order_by = None;
        if let SetExpr::Select(select) = aggregated.body.as_mut() {
            select.projection = vec![SelectItem::UnnamedExpr(aggregate)];
        }
        Some(Expr::Subquery(Box::new(aggregated)))
    }

    /// Whether `expr` has a subquery, an aggregate, a window function or a
    /// set-returning call of its own.
    fn reads_a_query_or_aggregates(&self, expr: &Expr) -> bool {
        let is_aggregate = self.is_aggregate;
        expr.visit(&mut ExprFinder(|e: &Expr| match e {
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => true,
            Expr::Function(f) => {
                f.over.is_some()
                    || eddy_sql::function_name(f).is_some_and(|n| {
                        is_aggregate(&n) || matches!(n.as_str(), "unnest" | "generate_series" | "generate_subscripts")
                    })
            }
            _ => false,
        }))
        .is_break()
    }
}

/// `(SELECT array_agg(v) FROM (query) AS __eddy_array(v))`.
fn aggregated_outside(query: &Query) -> Expr {
    let sql = format!("SELECT array_agg(v) FROM ({query}) AS __eddy_array(v)");
    match eddy_sql::template::parsed_query(&sql) {
        Some(aggregated) => Expr::Subquery(Box::new(aggregated)),
        None => Expr::Function(sqlparser::ast::Function {
            name: sqlparser::ast::ObjectName::from(vec![Ident::new("array")]),
            uses_odbc_syntax: false,
            parameters: FunctionArguments::None,
            args: FunctionArguments::Subquery(Box::new(query.clone())),
            filter: None,
            null_treatment: None,
            over: None,
            within_group: Vec::new(),
        }),
    }
}

/// The `SELECT` of `query` when it is one without `WITH`, `LIMIT`,
/// grouping, `DISTINCT` or window clauses.
fn plain_select(query: &Query) -> Option<&sqlparser::ast::Select> {
    if query.with.is_some() || query.limit_clause.is_some() || query.fetch.is_some() || !query.locks.is_empty() {
        return None;
    }
    let SetExpr::Select(select) = query.body.as_ref() else { return None };
    let ungrouped = matches!(&select.group_by, GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty());
    (ungrouped
        && select.distinct.is_none()
        && select.having.is_none()
        && select.qualify.is_none()
        && select.top.is_none()
        && select.named_window.is_empty())
    .then_some(select.as_ref())
}

/// The name an element of `unnest(a) alias` is known by: the alias's
/// column, else the alias (PostgreSQL names the one column of a function
/// in `FROM` after it).
fn element_name(alias: &TableAlias) -> Option<Ident> {
    match alias.columns.as_slice() {
        [] => Some(alias.name.clone()),
        [column] => Some(column.name.clone()),
        _ => None,
    }
}

/// Makes the element's references bare (`x.x` is `x`); stops at any other
/// qualified column (one of the outer query's, which a lambda cannot read).
struct ElementReferences {
    table: String,
    element: Ident,
}

impl VisitorMut for ElementReferences {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match expr {
            Expr::CompoundIdentifier(parts)
                if parts.len() == 2
                    && normalize_ident(&parts[0]) == self.table
                    && normalize_ident(&parts[1]) == normalize_ident(&self.element) =>
            {
                *expr = Expr::Identifier(self.element.clone());
                ControlFlow::Continue(())
            }
            Expr::CompoundIdentifier(_) => ControlFlow::Break(()),
            Expr::Identifier(i) if normalize_ident(i) != normalize_ident(&self.element) => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        }
    }
}

/// Stops at the first expression `.0` holds for.
struct ExprFinder<F>(F);

impl<F: FnMut(&Expr) -> bool> sqlparser::ast::Visitor for ExprFinder<F> {
    type Break = ();
    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if (self.0)(expr) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

/// `name(args...)`.
fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(sqlparser::ast::Function {
        name: sqlparser::ast::ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(sqlparser::ast::FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a))).collect(),
            clauses: Vec::new(),
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let mut statement =
            sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::PostgreSqlDialect {}, sql).unwrap().remove(0);
        let _ = VisitMut::visit(
            &mut statement,
            &mut ArraySubqueries { is_aggregate: &|name| matches!(name, "count" | "max") },
        );
        statement.to_string()
    }

    #[test]
    fn array_subqueries_become_aggregates() {
        // psql's \d+: over an outer array's elements
        assert_eq!(
            rewritten("SELECT c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x) FROM c, tc"),
            "SELECT c.reloptions || coalesce(array_transform(tc.reloptions, x -> 'toast.' || x), make_array()) FROM c, tc"
        );
        assert_eq!(
            rewritten("SELECT ARRAY(SELECT u.e * 2 FROM unnest(a.v) AS u(e) WHERE e > 1) FROM a"),
            "SELECT coalesce(array_transform(array_filter(a.v, e -> e > 1), e -> e * 2), make_array()) FROM a"
        );
        // a plain query, in its order
        assert_eq!(
            rewritten("SELECT ARRAY(SELECT rolname FROM pg_roles r WHERE r.oid = o.id ORDER BY 1 DESC) FROM o"),
            "SELECT coalesce((SELECT array_agg(rolname ORDER BY rolname DESC) FROM pg_roles r WHERE r.oid = o.id), \
             make_array()) FROM o"
        );
        // anything else, as a table
        assert_eq!(
            rewritten("SELECT ARRAY(SELECT count(*) FROM t)"),
            "SELECT coalesce((SELECT array_agg(v) FROM (SELECT count(*) FROM t) AS __eddy_array (v)), make_array())"
        );
        // ARRAY[...] is left alone
        assert_eq!(rewritten("SELECT ARRAY[1, 2]"), "SELECT ARRAY[1, 2]");
    }
}
