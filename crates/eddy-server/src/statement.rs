//! From query text to what the server runs: session commands or engine
//! statements, and for the extended protocol their result columns and
//! parameter types, known before any row is produced.
//!
//! Text is parsed by Eddy's parser. Plain SQL (what clients' catalog
//! queries are) also goes through datafusion-pg-catalog's compatibility
//! parser ([`Compatibility`]), which swaps a few client queries DataFusion
//! cannot plan for equivalents and rewrites Postgres-only syntax
//! (`OPERATOR(pg_catalog.~)`, `COLLATE`, `'name'::regclass`, ...).

use arrow::datatypes::{DataType, SchemaRef};
use arrow_pg::datatypes::into_pg_type;
use async_trait::async_trait;
use datafusion::execution::context::SessionContext;
use datafusion::execution::FunctionRegistry;
use std::ops::ControlFlow;

use eddy_runtime::Engine;
use eddy_sql::{function_name, EddyStatement};
use pgwire::api::portal::Format;
use pgwire::api::results::FieldInfo;
use pgwire::api::stmt::QueryParser;
use pgwire::api::{ClientInfo, Type, METADATA_USER};
use pgwire::error::PgWireResult;
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, Query, SelectItem, SetExpr, TableAlias,
    TableAliasColumnDef, TableFactor, Value, VisitMut, VisitorMut,
};
use sqlparser::dialect::PostgreSqlDialect;

use crate::compat::Compatibility;
use crate::error::{classified, user_error};
use crate::response::row_description;
use crate::session::SessionCommand;

/// One statement, as the server runs it.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// Answered by the connection itself.
    Session(SessionCommand),
    /// Run by the engine.
    Engine(EddyStatement),
}

/// A statement prepared by `Parse`. Its result columns and parameter types
/// were learned at `Parse`; the statement itself runs (and, for a pull
/// query, is planned again) at each `Execute`.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub parsed: Parsed,
    /// `None` for statements that return no rows.
    pub schema: Option<SchemaRef>,
    /// `$1 ... $n`; `None` where the type is not known.
    pub parameters: Vec<Option<DataType>>,
}

/// Parses statements for both protocols.
pub struct StatementParser {
    engine: Engine,
    compat: Compatibility,
    to_reg: ToRegLookups,
    columns: TableFactor,
    like_escape: Expr,
    composite: CompositeValues,
}

impl StatementParser {
    pub fn new(engine: Engine) -> Self {
        StatementParser {
            engine,
            compat: Compatibility::new(),
            to_reg: ToRegLookups::new(),
            columns: postgres_columns(),
            like_escape: template_expr("SELECT eddy_like_escape($1, $2)"),
            composite: CompositeValues::new(),
        }
    }

    /// Parses `sql`, sent by the connection of `identity`, into statements;
    /// empty for a query of only comments.
    pub fn parse(&self, sql: &str, identity: &Identity) -> PgWireResult<Vec<Parsed>> {
        let statements: Vec<EddyStatement> = match self.engine.parse(sql) {
            Ok(statements)
                if statements.iter().all(|s| matches!(s, EddyStatement::Sql(_)))
                    && !statements.iter().any(reads_search_path) =>
            {
                match self.compat.parse(sql) {
                    Ok(rewritten) if rewritten.len() == statements.len() => {
                        rewritten.into_iter().map(|s| EddyStatement::Sql(Box::new(s))).collect()
                    }
                    _ => statements.into_iter().map(|s| self.rewrite(s)).collect(),
                }
            }
            Ok(statements) => statements.into_iter().map(|s| self.rewrite(s)).collect(),
            // Postgres spellings sqlparser lacks (`ABORT`) only the compatibility parser knows.
            Err(e) => match self.compat.parse(sql) {
                Ok(rewritten) => rewritten.into_iter().map(|s| EddyStatement::Sql(Box::new(s))).collect(),
                Err(_) => return Err(classified(&e)),
            },
        };
        statements
            .into_iter()
            .map(|statement| self.resolve_to_reg(statement))
            .map(|statement| identity.resolve(statement))
            .map(|statement| match &statement {
                EddyStatement::Sql(sql) => match SessionCommand::from_statement(sql)? {
                    Some(command) => Ok(Parsed::Session(command)),
                    None => Ok(Parsed::Engine(statement)),
                },
                _ => Ok(Parsed::Engine(statement)),
            })
            .collect()
    }

    /// Rewrites the Postgres-only syntax of a pull query; Eddy's own
    /// statements are left as they are.
    fn rewrite(&self, statement: EddyStatement) -> EddyStatement {
        match statement {
            EddyStatement::Sql(sql) => EddyStatement::Sql(Box::new(self.compat.rewrite(*sql))),
            other => other,
        }
    }

    /// `to_regtype(name)` / `to_regclass(name)` (psycopg 3 sends the first
    /// when SQLAlchemy connects) as lookups in `pg_type` / `pg_class`: the
    /// oid, or NULL when there is no such type or relation, as in PostgreSQL.
    /// And `information_schema.columns` as PostgreSQL fills it
    /// ([`postgres_columns`]), `LIKE ... ESCAPE` with any escape
    /// character ([`LikeEscapeVisitor`]) and functions in `FROM` as
    /// PostgreSQL reads them ([`FromFunctions`]).
    fn resolve_to_reg(&self, statement: EddyStatement) -> EddyStatement {
        let EddyStatement::Sql(mut sql) = statement else { return statement };
        let _ = sql.visit(&mut ToRegVisitor(&self.to_reg));
        let _ = sql.visit(&mut ColumnsVisitor(&self.columns));
        let _ = sql.visit(&mut LikeEscapeVisitor(self.like_escape.clone()));
        let _ = sql.visit(&mut FromFunctions(self.engine.pull_context()));
        let _ = sql.visit(&mut RewrittenNames);
        let _ = sql.visit(&mut CompositeVisitor(&self.composite));
        let _ = sql.visit(&mut SelectListIn);
        EddyStatement::Sql(sql)
    }

    /// Learns the result columns and parameter types of `parsed`.
    pub async fn prepare(&self, parsed: Parsed) -> PgWireResult<Prepared> {
        match parsed {
            Parsed::Session(command) => {
                Ok(Prepared { schema: command.schema(), parameters: Vec::new(), parsed: Parsed::Session(command) })
            }
            Parsed::Engine(statement) => {
                let described = self.engine.describe_prepared(&statement).await.map_err(|e| classified(&e))?;
                Ok(Prepared {
                    parsed: Parsed::Engine(statement),
                    schema: described.schema,
                    parameters: described.parameters,
                })
            }
        }
    }
}

#[async_trait]
impl QueryParser for StatementParser {
    type Statement = Prepared;

    async fn parse_sql<C>(&self, client: &C, sql: &str, _types: &[Option<Type>]) -> PgWireResult<Option<Prepared>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        let mut statements = self.parse(sql, &Identity::of(client))?;
        if statements.len() > 1 {
            return Err(user_error(
                eddy_common::sqlstate::SYNTAX_ERROR,
                "cannot insert multiple commands into a prepared statement",
                None,
            ));
        }
        match statements.pop() {
            None => Ok(None),
            Some(parsed) => Ok(Some(self.prepare(parsed).await?)),
        }
    }

    fn get_parameter_types(&self, prepared: &Prepared) -> PgWireResult<Vec<Type>> {
        prepared
            .parameters
            .iter()
            .map(|p| match p {
                Some(data_type) => into_pg_type(data_type),
                None => Ok(Type::UNKNOWN),
            })
            .collect()
    }

    fn get_result_schema(&self, prepared: &Prepared, format: Option<&Format>) -> PgWireResult<Vec<FieldInfo>> {
        match &prepared.schema {
            Some(schema) => row_description(schema, format.unwrap_or(&Format::UnifiedText), None),
            None => Ok(Vec::new()),
        }
    }
}

/// Who a connection is: the user it connected as, whom `current_user`
/// (`session_user`, `user`, `current_role`) names. (Whatever database a
/// client names, it gets Eddy's one database, [`eddy_sql::DATABASE`], which
/// `current_database()` returns.)
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub user: String,
}

impl Identity {
    /// The identity of `client`'s connection.
    pub fn of<C: ClientInfo>(client: &C) -> Self {
        let user = client.metadata().get(METADATA_USER).cloned().unwrap_or_else(|| "eddy".to_string());
        Identity { user }
    }

    /// `statement` with the session functions replaced by their values. In
    /// the `SELECT` list they keep their names as columns (`user` is named
    /// `current_user`, as in PostgreSQL).
    fn resolve(&self, statement: EddyStatement) -> EddyStatement {
        let EddyStatement::Sql(mut sql) = statement else { return statement };
        let names = eddy_runtime::postgres_column_names(&sql);
        if let (sqlparser::ast::Statement::Query(query), Some(names)) = (sql.as_mut(), names) {
            if let SetExpr::Select(select) = query.body.as_mut() {
                for (item, name) in select.projection.iter_mut().zip(names) {
                    let SelectItem::UnnamedExpr(expr) = item else { continue };
                    if self.value_of(expr).is_some() {
                        *item = SelectItem::ExprWithAlias { expr: expr.clone(), alias: Ident::with_quote('"', name) };
                    }
                }
            }
        }
        let _ = sql.visit(&mut SessionFunctions(self));
        EddyStatement::Sql(sql)
    }

    /// The function `expr` calls and its value, if it is a session function.
    fn value_of(&self, expr: &Expr) -> Option<(String, &str)> {
        let name = match expr {
            Expr::Function(function) if matches!(function.args, FunctionArguments::None) => {
                let ([name] | [_, name]) = function.name.0.as_slice() else { return None };
                name.as_ident()?.value.to_lowercase()
            }
            // sqlparser reads `current_role` as a column name
            Expr::Identifier(ident) if ident.quote_style.is_none() => ident.value.to_lowercase(),
            _ => return None,
        };
        matches!(name.as_str(), "current_user" | "session_user" | "user" | "current_role").then_some((name, &self.user))
    }
}

/// Replaces session functions by their values ([`Identity::resolve`]).
struct SessionFunctions<'a>(&'a Identity);

impl VisitorMut for SessionFunctions<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Some((_, value)) = self.0.value_of(expr) {
            *expr = Expr::Value(Value::SingleQuotedString(value.to_string()).into());
        }
        ControlFlow::Continue(())
    }
}

/// Whether `actual` has the columns `prepared` promised at `Describe`.
pub fn same_columns(prepared: &SchemaRef, actual: &SchemaRef) -> bool {
    prepared.fields().len() == actual.fields().len()
        && prepared.fields().iter().zip(actual.fields()).all(|(p, a)| p.data_type() == a.data_type())
}

/// The parameters of `prepared`, for arrow-pg's decoder.
pub fn parameter_hints(prepared: &Prepared) -> Vec<Option<&DataType>> {
    prepared.parameters.iter().map(Option::as_ref).collect()
}

/// The lookups `to_regtype(x)` / `to_regclass(x)` become: scalar subqueries
/// with `$1` standing for `x`. `max` makes "no such name" a NULL (a bare
/// scalar subquery over a NOT NULL column would not be allowed to be one).
struct ToRegLookups {
    regtype: Query,
    regclass: Query,
}

/// A query Eddy writes, parsed; `None` if it is not one query.
fn parsed_query(sql: &str) -> Option<Query> {
    match sqlparser::parser::Parser::parse_sql(&PostgreSqlDialect {}, sql).ok()?.pop()? {
        sqlparser::ast::Statement::Query(query) => Some(*query),
        _ => None,
    }
}

/// One of the queries the rewrites put in, written in this file: it parses.
fn template_query(sql: &str) -> Query {
    parsed_query(sql).unwrap_or_else(|| unreachable!("the template is a query: {sql}"))
}

/// The expression of `SELECT <expression>` Eddy writes, parsed; `None` if
/// it is not one.
fn parsed_expr(sql: &str) -> Option<Expr> {
    match *parsed_query(sql)?.body {
        SetExpr::Select(mut select) if !select.projection.is_empty() => match select.projection.swap_remove(0) {
            SelectItem::UnnamedExpr(expr) => Some(expr),
            _ => None,
        },
        _ => None,
    }
}

/// The expression of a template `SELECT <expression>` written in this file.
fn template_expr(sql: &str) -> Expr {
    parsed_expr(sql).unwrap_or_else(|| unreachable!("the template is an expression: {sql}"))
}

/// The `SELECT` of a template query.
fn template_select(sql: &str) -> sqlparser::ast::Select {
    match *template_query(sql).body {
        SetExpr::Select(select) => *select,
        _ => unreachable!("the template is a SELECT: {sql}"),
    }
}

impl ToRegLookups {
    fn new() -> Self {
        ToRegLookups {
            // Aliases no client query uses: the operand may name its own `t` or `n`.
            regtype: template_query(
                "SELECT max(__eddy_t.oid) FROM pg_catalog.pg_type __eddy_t \
                 JOIN pg_catalog.pg_namespace __eddy_n ON __eddy_t.typnamespace = __eddy_n.oid \
                 WHERE __eddy_t.typname = $1 OR __eddy_n.nspname || '.' || __eddy_t.typname = $1",
            ),
            regclass: template_query(
                "SELECT max(__eddy_c.oid) FROM pg_catalog.pg_class __eddy_c \
                 JOIN pg_catalog.pg_namespace __eddy_n ON __eddy_c.relnamespace = __eddy_n.oid \
                 WHERE (__eddy_c.relname = $1 AND __eddy_n.nspname = current_schema()) \
                 OR __eddy_n.nspname || '.' || __eddy_c.relname = $1",
            ),
        }
    }
}

/// Replaces `to_regtype(x)` / `to_regclass(x)` calls by their lookups.
struct ToRegVisitor<'a>(&'a ToRegLookups);

impl VisitorMut for ToRegVisitor<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let Expr::Function(function) = expr else { return ControlFlow::Continue(()) };
        let name = function_name(function);
        let lookup = match name.as_deref() {
            Some("to_regtype") => &self.0.regtype,
            Some("to_regclass") => &self.0.regclass,
            _ => return ControlFlow::Continue(()),
        };
        let FunctionArguments::List(list) = &function.args else { return ControlFlow::Continue(()) };
        let [FunctionArg::Unnamed(FunctionArgExpr::Expr(operand))] = list.args.as_slice() else {
            return ControlFlow::Continue(());
        };
        let mut query = lookup.clone();
        let _ = query.visit(&mut Placeholders(vec![operand.clone()]));
        *expr = Expr::Subquery(Box::new(query));
        ControlFlow::Continue(())
    }
}

/// DataFusion's `information_schema.columns` as PostgreSQL fills it:
/// `data_type` in SQL names (`bigint`, `timestamp without time zone`, ...,
/// not Arrow's `Int64`), `ordinal_position` an integer counting from 1.
/// Grafana's query builder and knex's `columnInfo` read these.
fn postgres_columns() -> TableFactor {
    let sql = "SELECT * FROM (SELECT table_catalog, table_schema, table_name, column_name, \
               CAST(ordinal_position + 1 AS INTEGER) AS ordinal_position, column_default, is_nullable, \
               eddy_sql_type_name(data_type) AS data_type, character_maximum_length, character_octet_length, \
               numeric_precision, numeric_precision_radix, numeric_scale, datetime_precision, interval_type \
               FROM information_schema.columns) AS columns";
    template_select(sql).from.swap_remove(0).relation
}

/// Replaces `information_schema.columns` by [`postgres_columns`], keeping
/// the reference's alias (default `columns`). Done after the factor's
/// children are visited, so the replacement's own reference stays as it is.
struct ColumnsVisitor<'a>(&'a TableFactor);

impl VisitorMut for ColumnsVisitor<'_> {
    type Break = ();

    fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        let TableFactor::Table { name, alias, args: None, .. } = factor else { return ControlFlow::Continue(()) };
        let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.to_lowercase()).collect();
        let is_columns = matches!(parts.as_slice(), [schema, table] | [_, schema, table]
            if schema == "information_schema" && table == "columns");
        if !is_columns {
            return ControlFlow::Continue(());
        }
        let alias = alias.take();
        let mut replacement = self.0.clone();
        if let (TableFactor::Derived { alias: derived, .. }, Some(alias)) = (&mut replacement, alias) {
            *derived = Some(alias);
        }
        *factor = replacement;
        ControlFlow::Continue(())
    }
}

/// Functions in `FROM` as PostgreSQL reads them (Grafana's `search_path`
/// subquery has both): a table function of one column names that column
/// after its alias (`generate_series(1, 3) AS i` has a column `i`, where
/// DataFusion calls it `value`), and a scalar function is a table of one row
/// and one column named by the alias (`string_to_array(x, ',') AS s`), which
/// DataFusion has no notion of: it becomes `(SELECT f(...) AS s) AS s`.
struct FromFunctions<'a>(&'a SessionContext);

/// The table functions whose one column takes the alias's name.
const SINGLE_COLUMN_TABLE_FUNCTIONS: [&str; 2] = ["generate_series", "range"];

impl VisitorMut for FromFunctions<'_> {
    type Break = ();

    fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        let TableFactor::Table { name, alias, args: Some(args), with_ordinality: false, .. } = factor else {
            return ControlFlow::Continue(());
        };
        let [part] = name.0.as_slice() else { return ControlFlow::Continue(()) };
        let Some(ident) = part.as_ident() else { return ControlFlow::Continue(()) };
        let function = eddy_sql::normalize_ident(ident);
        if self.0.table_function(&function).is_ok() {
            if let Some(alias) = alias.as_mut() {
                if alias.columns.is_empty() && SINGLE_COLUMN_TABLE_FUNCTIONS.contains(&function.as_str()) {
                    alias.columns.push(TableAliasColumnDef::from_name(alias.name.value.clone()));
                }
            }
            return ControlFlow::Continue(());
        }
        if self.0.udf(&function).is_err() || alias.as_ref().is_some_and(|a| a.columns.len() > 1) {
            // Not a scalar function, or more columns than it has: DataFusion
            // reports what is wrong.
            return ControlFlow::Continue(());
        }
        let mut alias = alias.take().unwrap_or_else(|| TableAlias {
            explicit: true,
            name: ident.clone(),
            columns: Vec::new(),
            at: None,
        });
        let column = alias.columns.first().map(|c| c.name.clone()).unwrap_or_else(|| alias.name.clone());
        alias.columns.clear();
        let arguments: Vec<String> = args.args.iter().map(ToString::to_string).collect();
        let select = format!("SELECT {name}({}) AS {column}", arguments.join(", "));
        if let Some(subquery) = parsed_query(&select) {
            *factor =
                TableFactor::Derived { lateral: false, subquery: Box::new(subquery), alias: Some(alias), sample: None };
        }
        ControlFlow::Continue(())
    }
}

/// Names the `SELECT` list items that [`CompositeValues`] and
/// [`SelectListIn`] rewrite as PostgreSQL names them, before the rewrite
/// hides them: `x IN (subquery)` is `?column?`, `(v).field` is `field`,
/// `_pg_expandarray(v)` is `_pg_expandarray`.
struct RewrittenNames;

impl VisitorMut for RewrittenNames {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let SetExpr::Select(select) = query.body.as_mut() else { return ControlFlow::Continue(()) };
        for item in &mut select.projection {
            let SelectItem::UnnamedExpr(expr) = item else { continue };
            let name = match expr {
                Expr::InSubquery { .. } => "?column?".to_string(),
                Expr::CompoundFieldAccess { access_chain, .. } => match access_chain.last() {
                    Some(sqlparser::ast::AccessExpr::Dot(Expr::Identifier(field))) => eddy_sql::normalize_ident(field),
                    _ => continue,
                },
                Expr::Function(function) if function_name(function).as_deref() == Some("_pg_expandarray") => {
                    "_pg_expandarray".to_string()
                }
                _ => continue,
            };
            *item = SelectItem::ExprWithAlias { expr: expr.clone(), alias: Ident::with_quote('"', name) };
        }
        ControlFlow::Continue(())
    }
}

/// Composite values as PostgreSQL reads them: a field of a composite value
/// (`(f(x)).n`, `(t.keys).x`; DataFusion only takes `column.field`) becomes
/// `get_field(value, 'n')`, and `_pg_expandarray(v)` (pgJDBC's primary key
/// and index metadata), a set-returning function of `(x, n)` rows, becomes
/// `unnest(eddy_expand_vector(v))`.
struct CompositeValues {
    get_field: Expr,
    expand: Expr,
}

impl CompositeValues {
    fn new() -> Self {
        CompositeValues {
            get_field: template_expr("SELECT get_field($1, $2)"),
            expand: template_expr("SELECT unnest(eddy_expand_vector($1))"),
        }
    }
}

/// Rewrites composite values with the calls of [`CompositeValues`].
struct CompositeVisitor<'a>(&'a CompositeValues);

impl VisitorMut for CompositeVisitor<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match expr {
            Expr::CompoundFieldAccess { root, access_chain } => {
                let fields: Option<Vec<String>> = access_chain
                    .iter()
                    .map(|access| match access {
                        sqlparser::ast::AccessExpr::Dot(Expr::Identifier(field)) => {
                            Some(eddy_sql::normalize_ident(field))
                        }
                        _ => None,
                    })
                    .collect();
                let Some(fields) = fields else { return ControlFlow::Continue(()) };
                let mut value = (**root).clone();
                for field in fields {
                    let mut call = self.0.get_field.clone();
                    let name = Expr::Value(Value::SingleQuotedString(field).into());
                    let _ = call.visit(&mut Placeholders(vec![value, name]));
                    value = call;
                }
                *expr = value;
            }
            Expr::Function(function) => {
                if function_name(function).as_deref() != Some("_pg_expandarray") {
                    return ControlFlow::Continue(());
                }
                let FunctionArguments::List(list) = &function.args else { return ControlFlow::Continue(()) };
                let [FunctionArg::Unnamed(FunctionArgExpr::Expr(vector))] = list.args.as_slice() else {
                    return ControlFlow::Continue(());
                };
                let mut call = self.0.expand.clone();
                let _ = call.visit(&mut Placeholders(vec![vector.clone()]));
                *expr = call;
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// Whether `statement` splits `current_setting('search_path')` into a table
/// (`FROM string_to_array(current_setting('search_path'), ',') s`, as
/// Grafana's table and column lists do) in a form Eddy runs. The
/// compatibility parser replaces that subquery by `''`, a stub for servers
/// without `current_setting()`; Eddy has it, so such statements skip the
/// compatibility parser's replacements (its rewrite rules still apply) and
/// the subquery runs.
fn reads_search_path(statement: &EddyStatement) -> bool {
    #[derive(Default)]
    struct Finder {
        splits_search_path: bool,
    }
    impl sqlparser::ast::Visitor for Finder {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
            if let TableFactor::Table { name, args: Some(args), .. } = factor {
                let text = args.args.iter().map(ToString::to_string).collect::<Vec<_>>().join(",").to_lowercase();
                if name.to_string().eq_ignore_ascii_case("string_to_array") && text.contains("'search_path'") {
                    self.splits_search_path = true;
                }
            }
            ControlFlow::Continue(())
        }
    }
    let EddyStatement::Sql(sql) = statement else { return false };
    let mut finder = Finder::default();
    let _ = sqlparser::ast::Visit::visit(sql.as_ref(), &mut finder);
    finder.splits_search_path
}

/// `x [NOT] IN (subquery)` in a `SELECT` list or `ORDER BY` (Grafana's table
/// list has one inside a `CASE` in both), which DataFusion plans only in
/// filters, as `eddy_in(x, (SELECT array_agg(v) FROM (subquery) ...))`, a
/// function with PostgreSQL's three-valued result: false for an empty
/// subquery, true on a match, NULL when `x` is NULL or the subquery has a
/// NULL and nothing matched, false otherwise. A correlated subquery becomes
/// a correlated aggregate, which DataFusion plans for equality correlations
/// only.
struct SelectListIn;

impl VisitorMut for SelectListIn {
    type Break = ();

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let Some(order_by) = query.order_by.as_mut() {
            let _ = order_by.visit(&mut InToMembership::default());
        }
        let SetExpr::Select(select) = query.body.as_mut() else { return ControlFlow::Continue(()) };
        for item in &mut select.projection {
            if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item {
                let _ = expr.visit(&mut InToMembership::default());
            }
        }
        ControlFlow::Continue(())
    }
}

/// Rewrites each `x [NOT] IN (subquery)` of an expression ([`SelectListIn`]),
/// but not those inside a subquery of it (in a nested `WHERE` DataFusion
/// plans them; a nested `SELECT` list is rewritten on its own).
#[derive(Default)]
struct InToMembership {
    /// How many queries deep the visit is.
    depth: usize,
}

impl VisitorMut for InToMembership {
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
        let Expr::InSubquery { expr: value, subquery, negated } = expr else { return ControlFlow::Continue(()) };
        // One copy of each operand: nested INs stay linear in size.
        let sql = format!(
            "SELECT {}eddy_in({value}, (SELECT array_agg(v) FROM ({subquery}) AS __eddy_in(v)))",
            if *negated { "NOT " } else { "" }
        );
        if let Some(rewritten) = parsed_expr(&sql) {
            *expr = rewritten;
        }
        ControlFlow::Continue(())
    }
}

/// Puts the `n`th expression where a template has `$n`. After visiting a
/// node, so an expression that itself holds a `$n` (a client's parameter)
/// is not visited again.
struct Placeholders(Vec<Expr>);

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

/// `x LIKE p ESCAPE 'c'` with an escape character other than the
/// backslash (SQLAlchemy writes `ESCAPE '/'`), which DataFusion refuses,
/// as `x LIKE eddy_like_escape(p, 'c')`: the same pattern spelled with
/// backslash escapes.
struct LikeEscapeVisitor(Expr);

impl VisitorMut for LikeEscapeVisitor {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let (Expr::Like { pattern, escape_char, .. } | Expr::ILike { pattern, escape_char, .. }) = expr else {
            return ControlFlow::Continue(());
        };
        let escape = match escape_char.as_ref().map(|v| &v.value) {
            Some(Value::SingleQuotedString(c)) if c != "\\" => c.clone(),
            _ => return ControlFlow::Continue(()),
        };
        let mut call = self.0.clone();
        let escape = Expr::Value(Value::SingleQuotedString(escape).into());
        let _ = call.visit(&mut Placeholders(vec![(**pattern).clone(), escape]));
        **pattern = call;
        *escape_char = None;
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let mut statement = sqlparser::parser::Parser::parse_sql(&PostgreSqlDialect {}, sql).unwrap().remove(0);
        let _ = statement.visit(&mut SelectListIn);
        statement.to_string()
    }

    /// Only an IN of a SELECT list or ORDER BY itself is rewritten; one in
    /// the WHERE of a nested subquery is left to DataFusion.
    #[test]
    fn in_subqueries_are_rewritten_where_they_stand_only() {
        let sql =
            rewritten("SELECT a IN (SELECT b FROM u), (SELECT count(*) FROM v WHERE c IN (SELECT d FROM w)) FROM t");
        assert_eq!(sql.matches("eddy_in(").count(), 1, "{sql}");
        assert!(sql.contains("WHERE c IN (SELECT d FROM w)"), "{sql}");
        let sql = rewritten("SELECT a FROM t ORDER BY a NOT IN (SELECT b FROM u)");
        assert!(
            sql.contains("ORDER BY NOT eddy_in(a, (SELECT array_agg(v) FROM (SELECT b FROM u) AS __eddy_in (v)))"),
            "{sql}"
        );
    }
}
