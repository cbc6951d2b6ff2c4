//! SQL that Eddy writes into statements it rewrites: templates parsed
//! once, with `$n` placeholders filled by [`Placeholders`].

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, Query, SelectItem, SetExpr, Value, VisitorMut};
use sqlparser::dialect::PostgreSqlDialect;

/// A query Eddy writes, parsed; `None` if it is not one query.
pub fn parsed_query(sql: &str) -> Option<Query> {
    match sqlparser::parser::Parser::parse_sql(&PostgreSqlDialect {}, sql).ok()?.pop()? {
        sqlparser::ast::Statement::Query(query) => Some(*query),
        _ => None,
    }
}

/// One of the queries the rewrites put in, written in this file: it parses.
pub fn template_query(sql: &str) -> Query {
    parsed_query(sql).unwrap_or_else(|| unreachable!("the template is a query: {sql}"))
}

/// The expression of `SELECT <expression>` Eddy writes, parsed; `None` if
/// it is not one.
pub fn parsed_expr(sql: &str) -> Option<Expr> {
    match *parsed_query(sql)?.body {
        SetExpr::Select(mut select) if !select.projection.is_empty() => match select.projection.swap_remove(0) {
            SelectItem::UnnamedExpr(expr) => Some(expr),
            _ => None,
        },
        _ => None,
    }
}

/// The expression of a template `SELECT <expression>` written in this file.
pub fn template_expr(sql: &str) -> Expr {
    parsed_expr(sql).unwrap_or_else(|| unreachable!("the template is an expression: {sql}"))
}

/// The `SELECT` of a template query.
pub fn template_select(sql: &str) -> sqlparser::ast::Select {
    match *template_query(sql).body {
        SetExpr::Select(select) => *select,
        _ => unreachable!("the template is a SELECT: {sql}"),
    }
}

/// Puts the `n`th expression where a template has `$n`. After visiting a
/// node, so an expression that itself holds a `$n` (a client's parameter)
/// is not visited again.
pub struct Placeholders(pub Vec<Expr>);

impl VisitorMut for Placeholders {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Value(v) = expr {
            if let Value::Placeholder(p) = &v.value {
                let index = p.trim_start_matches('$').parse::<usize>().ok().and_then(|n| n.checked_sub(1));
                if let Some(replacement) = index.and_then(|i| self.0.get(i)) {
                    *expr = replacement.clone();
                }
            }
        }
        ControlFlow::Continue(())
    }
}
