//! Set-returning functions in a `SELECT` list, as PostgreSQL runs them: a
//! row per value (`SELECT generate_series(1, 3)` is three rows), and
//! several of them side by side zipped, the shorter padded with NULLs
//! (PostgreSQL 10 and later).
//!
//! DataFusion's `generate_series(a, b)` in a `SELECT` list is a scalar
//! function that returns one array, which answered one row `{1,2,3}`. Its
//! `unnest(array)` in a `SELECT` list is PostgreSQL's behaviour (a row per
//! element, lists of different lengths zipped with NULL padding), so each
//! call becomes `unnest(array)`: `generate_series(...)` becomes
//! `unnest(generate_series(...))`, and `generate_subscripts(a, dim [,
//! reverse])` (SQLAlchemy's index queries put it beside `unnest(indkey)`)
//! the subscripts `1 .. array_length(a, dim)` (Eddy's arrays start at 1).

use std::ops::ControlFlow;

use eddy_sql::template::{template_expr, Placeholders};
use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Query, SelectItem, SetExpr};
use sqlparser::ast::{VisitMut, VisitorMut};

/// Rewrites the set-returning functions of every `SELECT` list of a query
/// (see the module documentation).
pub(super) struct SelectListSetFunctions {
    series: Expr,
    subscripts: Expr,
    subscripts_maybe_reversed: Expr,
}

impl SelectListSetFunctions {
    pub(super) fn new() -> Self {
        SelectListSetFunctions {
            series: template_expr("SELECT unnest($1)"),
            subscripts: template_expr("SELECT unnest(generate_series(1, CAST(array_length($1, $2) AS BIGINT)))"),
            subscripts_maybe_reversed: template_expr(
                "SELECT unnest(CASE WHEN $3 THEN generate_series(CAST(array_length($1, $2) AS BIGINT), 1, -1) \
                 ELSE generate_series(1, CAST(array_length($1, $2) AS BIGINT)) END)",
            ),
        }
    }
}

impl VisitorMut for SelectListSetFunctions {
    type Break = ();

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let SetExpr::Select(select) = query.body.as_mut() else { return ControlFlow::Continue(()) };
        for item in &mut select.projection {
            if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item {
                let _ = expr.visit(&mut SetFunctionCalls { templates: self, depth: 0 });
            }
        }
        ControlFlow::Continue(())
    }
}

/// Rewrites the set-returning calls of one `SELECT` list item, but not
/// those of a subquery in it (its own `SELECT` list is visited on its own).
struct SetFunctionCalls<'a> {
    templates: &'a SelectListSetFunctions,
    /// How many queries deep the visit is.
    depth: usize,
}

impl VisitorMut for SetFunctionCalls<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, _query: &mut Query) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &mut Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if self.depth > 0 {
            return ControlFlow::Continue(());
        }
        let Expr::Function(function) = expr else { return ControlFlow::Continue(()) };
        let Some(name) = eddy_sql::function_name(function) else { return ControlFlow::Continue(()) };
        let (template, operands) = match name.as_str() {
            "generate_series" => {
                // The call itself, unqualified (DataFusion has no pg_catalog schema of functions).
                let mut call = function.clone();
                call.name = sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::new("generate_series")]);
                (&self.templates.series, vec![Expr::Function(call)])
            }
            "generate_subscripts" => {
                let Some(operands) = plain_arguments(&function.args) else { return ControlFlow::Continue(()) };
                match operands.len() {
                    2 => (&self.templates.subscripts, operands),
                    3 => (&self.templates.subscripts_maybe_reversed, operands),
                    _ => return ControlFlow::Continue(()),
                }
            }
            _ => return ControlFlow::Continue(()),
        };
        let mut rewritten = template.clone();
        let _ = rewritten.visit(&mut Placeholders(operands));
        *expr = rewritten;
        ControlFlow::Continue(())
    }
}

/// The arguments of a call without names, `DISTINCT` or clauses.
fn plain_arguments(args: &FunctionArguments) -> Option<Vec<Expr>> {
    let FunctionArguments::List(list) = args else { return None };
    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
        return None;
    }
    list.args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(expr)) => Some(expr.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let mut statement =
            sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::PostgreSqlDialect {}, sql).unwrap().remove(0);
        let _ = statement.visit(&mut SelectListSetFunctions::new());
        statement.to_string()
    }

    #[test]
    fn set_returning_calls_in_select_lists_become_unnest() {
        assert_eq!(
            rewritten("SELECT pg_catalog.generate_series(1, 5) AS a, generate_series(5, 1, -2) + 1 AS b"),
            "SELECT unnest(generate_series(1, 5)) AS a, unnest(generate_series(5, 1, -2)) + 1 AS b"
        );
        assert_eq!(
            rewritten("SELECT unnest(i.indkey), generate_subscripts(i.indkey, 1) FROM pg_index i"),
            "SELECT unnest(i.indkey), unnest(generate_series(1, CAST(array_length(i.indkey, 1) AS BIGINT))) \
             FROM pg_index i"
        );
        // in a subquery's own SELECT list too, not in FROM
        assert_eq!(
            rewritten("SELECT x FROM generate_series(1, 2) AS x, (SELECT generate_series(1, x.x) AS i) s"),
            "SELECT x FROM generate_series(1, 2) AS x, (SELECT unnest(generate_series(1, x.x)) AS i) s"
        );
    }
}
