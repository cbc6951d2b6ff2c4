//! Catalog functions answered by looking the catalog up: each call becomes
//! a scalar subquery over the catalog tables, its argument where the
//! template has `$1`. A function cannot scan a table; a subquery can, and
//! a correlated one (`pg_table_size(c.oid)` for every row of `pg_class`,
//! psql's `\dt+`) is decorrelated into one join.
//!
//! Each template aggregates with `max`: no row (an oid nothing has) is
//! NULL, as PostgreSQL answers these functions for an unknown oid.
//!
//! A lookup inside the value of another correlated subquery is a subquery
//! DataFusion cannot decorrelate; functions that can be answered without a
//! scan are functions (`crate::catalog`), not lookups.

use std::collections::HashMap;
use std::ops::ControlFlow;

use eddy_sql::function_name;
use eddy_sql::template::{template_query, Placeholders};
use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Query, VisitMut, VisitorMut};

use crate::catalog::OBJECTS_TABLE;

/// A function's lookup: how many arguments it takes (the first is `$1`;
/// later ones, such as `pg_get_viewdef`'s `pretty`, change nothing here)
/// and the query.
struct Lookup {
    arguments: std::ops::RangeInclusive<usize>,
    query: Query,
}

/// The lookups, by function name.
pub struct CatalogLookups {
    lookups: HashMap<&'static str, Lookup>,
}

impl CatalogLookups {
    pub fn new() -> Self {
        // Aliases no client query uses: the operand may name its own `t` or `n`.
        let object = |column: &str, kind: &str| {
            format!(
                "SELECT max(__eddy_o.{column}) FROM pg_catalog.{OBJECTS_TABLE} __eddy_o \
                 WHERE __eddy_o.kind = '{kind}' AND __eddy_o.oid = $1"
            )
        };
        let one = 1..=1;
        let lookups = [
            (
                // psycopg 3 sends `to_regtype($1)` when SQLAlchemy connects
                "to_regtype",
                one.clone(),
                "SELECT max(__eddy_t.oid) FROM pg_catalog.pg_type __eddy_t \
                 JOIN pg_catalog.pg_namespace __eddy_n ON __eddy_t.typnamespace = __eddy_n.oid \
                 WHERE __eddy_t.typname = $1 OR __eddy_n.nspname || '.' || __eddy_t.typname = $1"
                    .to_string(),
            ),
            (
                "to_regclass",
                one.clone(),
                "SELECT max(__eddy_c.oid) FROM pg_catalog.pg_class __eddy_c \
                 JOIN pg_catalog.pg_namespace __eddy_n ON __eddy_c.relnamespace = __eddy_n.oid \
                 WHERE (__eddy_c.relname = $1 AND __eddy_n.nspname = current_schema()) \
                 OR __eddy_n.nspname || '.' || __eddy_c.relname = $1"
                    .to_string(),
            ),
            ("pg_table_size", one.clone(), object("bytes", "relation")),
            ("pg_relation_size", one.clone(), object("bytes", "relation")),
            ("pg_total_relation_size", one.clone(), object("bytes", "relation")),
            ("pg_get_viewdef", 1..=2, object("definition", "relation")),
            (
                "pg_database_size",
                one,
                format!(
                    "SELECT max(__eddy_o.bytes) FROM pg_catalog.{OBJECTS_TABLE} __eddy_o \
                     WHERE __eddy_o.kind = 'database' AND __eddy_o.name = CAST($1 AS TEXT)"
                ),
            ),
        ];
        let lookups = lookups
            .into_iter()
            .map(|(name, arguments, sql)| (name, Lookup { arguments, query: template_query(&sql) }))
            .collect();
        CatalogLookups { lookups }
    }
}

/// Replaces each call of a function of [`CatalogLookups`] by its lookup.
pub struct LookupVisitor<'a>(pub &'a CatalogLookups);

impl VisitorMut for LookupVisitor<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let Expr::Function(function) = expr else { return ControlFlow::Continue(()) };
        let Some(lookup) = function_name(function).and_then(|name| self.0.lookups.get(name.as_str())) else {
            return ControlFlow::Continue(());
        };
        let FunctionArguments::List(list) = &function.args else { return ControlFlow::Continue(()) };
        let (Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(operand))), true) =
            (list.args.first(), lookup.arguments.contains(&list.args.len()))
        else {
            return ControlFlow::Continue(());
        };
        let mut query = lookup.query.clone();
        let _ = query.visit(&mut Placeholders(vec![operand.clone()]));
        *expr = Expr::Subquery(Box::new(query));
        ControlFlow::Continue(())
    }
}
