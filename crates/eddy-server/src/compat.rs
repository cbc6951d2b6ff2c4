//! datafusion-pg-catalog's compatibility parser, without the rule that
//! changes answers.
//!
//! Its `RemoveSubqueryFromProjection` rule replaces a scalar subquery in a
//! `SELECT` list by NULL when it looks correlated — which it guesses from
//! any qualified name, so `SELECT (SELECT max(v.c) FROM v)` became NULL —
//! and adds `LIMIT 1` to the others, hiding PostgreSQL's error for a
//! second row. Eddy plans such subqueries itself (the engine's
//! single-value rewrite), so that rule must not run. Its other rules and
//! its whole-query replacements (stubs for a few client queries DataFusion
//! cannot plan, such as psql's row-policy query) stay.
//!
//! The replacements work on the query's tokens inside `parse` and cannot be
//! asked for on their own. So each statement is parsed both ways: when the
//! compatibility parser's result equals the rules' result plus the removal
//! rule, no replacement happened and the rules' result (with the
//! subqueries) is used; otherwise the compatibility parser's is.

use std::sync::Arc;

use datafusion_pg_catalog::sql::rules::{
    AliasDuplicatedProjectionRewrite, CurrentUserVariableToSessionUserFunctionCall, FixArrayLiteral,
    FixVersionColumnName, PrependUnqualifiedPgTableName, RemoveSubqueryFromProjection, ResolveUnqualifiedIdentifier,
    RewriteArrayAnyAllOperation, RewritePgCatalogOperator, RewriteRegCastToSubquery, SqlStatementRewriteRule,
    StripCallableQualifier, StripCollate,
};
use datafusion_pg_catalog::sql::PostgresCompatibilityParser;
use sqlparser::ast::{Expr, Ident, SelectItem, SetExpr, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};

pub struct Compatibility {
    parser: PostgresCompatibilityParser,
    /// The parser's rules, in its order, without the removal rule.
    rules: Vec<Arc<dyn SqlStatementRewriteRule>>,
}

impl Compatibility {
    pub fn new() -> Self {
        Compatibility {
            parser: PostgresCompatibilityParser::new(),
            rules: vec![
                Arc::new(AliasDuplicatedProjectionRewrite),
                Arc::new(ResolveUnqualifiedIdentifier),
                Arc::new(RewriteArrayAnyAllOperation),
                Arc::new(PrependUnqualifiedPgTableName),
                Arc::new(StripCallableQualifier),
                Arc::new(FixArrayLiteral),
                Arc::new(CurrentUserVariableToSessionUserFunctionCall),
                Arc::new(StripCollate),
                Arc::new(RewritePgCatalogOperator),
                Arc::new(RewriteRegCastToSubquery::new()),
                Arc::new(FixVersionColumnName),
            ],
        }
    }

    /// `sql` parsed, with a client query's replacement if it has one, and
    /// rewritten by the rules.
    pub fn parse(&self, sql: &str) -> Result<Vec<Statement>, ParserError> {
        let compatible = self.parser.parse(sql)?;
        let Ok(statements) = Parser::parse_sql(&PostgreSqlDialect {}, sql) else { return Ok(compatible) };
        if statements.len() != compatible.len() {
            return Ok(compatible);
        }
        let parsed = statements.into_iter().zip(compatible).map(|(statement, theirs)| {
            let names = eddy_runtime::postgres_column_names(&statement);
            let own = self.apply_rules(statement);
            if RemoveSubqueryFromProjection.rewrite(own.clone()) == theirs {
                named(own, names)
            } else {
                theirs
            }
        });
        Ok(parsed.collect())
    }

    /// `statement` rewritten by the rules, its result columns named as
    /// before ([`named`]).
    pub fn rewrite(&self, statement: Statement) -> Statement {
        let names = eddy_runtime::postgres_column_names(&statement);
        named(self.apply_rules(statement), names)
    }

    fn apply_rules(&self, statement: Statement) -> Statement {
        self.rules.iter().fold(statement, |statement, rule| rule.rewrite(statement))
    }
}

/// `statement` with the result column names PostgreSQL gives the statement
/// as written (`names`): an unaliased item a rewrite renamed (`current_user`
/// became `session_user()`) gets its name back as an alias.
pub(crate) fn named(mut statement: Statement, names: Option<Vec<String>>) -> Statement {
    let (Some(names), Some(now)) = (names, eddy_runtime::postgres_column_names(&statement)) else { return statement };
    let Statement::Query(query) = &mut statement else { return statement };
    let SetExpr::Select(select) = query.body.as_mut() else { return statement };
    for ((item, name), now) in select.projection.iter_mut().zip(names).zip(now) {
        if let SelectItem::UnnamedExpr(expr) = item {
            if name != now {
                let expr = std::mem::replace(expr, Expr::Value(sqlparser::ast::Value::Null.into()));
                *item = SelectItem::ExprWithAlias { expr, alias: Ident::with_quote('"', name) };
            }
        }
    }
    statement
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(sql: &str) -> String {
        Compatibility::new().parse(sql).unwrap().iter().map(|s| s.to_string()).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn subqueries_in_the_select_list_are_kept() {
        assert_eq!(
            parsed("SELECT (SELECT max(v.c) FROM v) AS m FROM v"),
            "SELECT (SELECT max(v.c) FROM v) AS m FROM v"
        );
        assert_eq!(parsed("SELECT (SELECT c FROM v)"), "SELECT (SELECT c FROM v)");
    }

    #[test]
    fn columns_keep_their_postgres_names() {
        assert_eq!(
            parsed("SELECT current_user, user, session_user AS s, version()"),
            "SELECT session_user AS \"current_user\", user, session_user AS s, version() AS version"
        );
    }

    #[test]
    fn the_other_rules_and_the_replacements_still_apply() {
        // a rule: COLLATE is stripped
        assert_eq!(parsed("SELECT relname COLLATE \"C\" FROM pg_class"), "SELECT relname FROM pg_catalog.pg_class");
        // a replacement: psql's row-policy query (pattern from datafusion-pg-catalog) becomes an empty stub
        let policies = "SELECT pol.polname, pol.polpermissive,
          CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,
          pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),
          pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),
          CASE pol.polcmd
            WHEN 'r' THEN 'SELECT'
            WHEN 'a' THEN 'INSERT'
            WHEN 'w' THEN 'UPDATE'
            WHEN 'd' THEN 'DELETE'
            END AS cmd
        FROM pg_catalog.pg_policy pol
        WHERE pol.polrelid = '16384' ORDER BY 1;";
        assert!(parsed(policies).ends_with("WHERE false"), "{}", parsed(policies));
    }
}
