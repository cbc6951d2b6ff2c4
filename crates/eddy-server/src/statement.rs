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
use std::ops::ControlFlow;

use eddy_runtime::Engine;
use eddy_sql::template::{template_expr, template_select, Placeholders};
use eddy_sql::{function_name, EddyStatement};
use pgwire::api::portal::Format;
use pgwire::api::results::FieldInfo;
use pgwire::api::stmt::QueryParser;
use pgwire::api::{ClientInfo, Type, METADATA_USER};
use pgwire::error::PgWireResult;
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, SelectItem, SetExpr, TableFactor, Value, VisitMut,
    VisitorMut,
};

use crate::compat::Compatibility;
use crate::error::{classified, user_error};
use crate::lookups::{CatalogLookups, LookupVisitor};
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
    lookups: CatalogLookups,
    columns: TableFactor,
    composite: CompositeValues,
}

impl StatementParser {
    pub fn new(engine: Engine) -> Self {
        StatementParser {
            engine,
            compat: Compatibility::new(),
            lookups: CatalogLookups::new(),
            columns: postgres_columns(),
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
            .map(|statement| self.resolve_catalog(statement))
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

    /// Catalog functions as lookups in the catalog tables
    /// ([`crate::lookups`]: `to_regtype(name)`, `pg_table_size(oid)`, ...),
    /// `information_schema.columns` as PostgreSQL fills it
    /// ([`postgres_columns`]) and composite values ([`CompositeValues`]).
    /// Result columns keep the names PostgreSQL gives the statement as
    /// written. (The engine rewrites the PostgreSQL syntax of any pull
    /// query: `eddy_runtime::postgres`.)
    fn resolve_catalog(&self, statement: EddyStatement) -> EddyStatement {
        let EddyStatement::Sql(mut sql) = statement else { return statement };
        let names = eddy_runtime::postgres_column_names(&sql);
        let _ = sql.visit(&mut LookupVisitor(&self.lookups));
        let _ = sql.visit(&mut ColumnsVisitor(&self.columns));
        let _ = sql.visit(&mut CompositeVisitor(&self.composite));
        EddyStatement::Sql(Box::new(crate::compat::named(*sql, names)))
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

/// DataFusion's `information_schema.columns` as PostgreSQL fills it:
/// `data_type` in SQL names (`bigint`, `timestamp without time zone`, ...,
/// not Arrow's `Int64`), `ordinal_position` an integer counting from 1,
/// every column of a materialized view nullable (`YES`, as PostgreSQL
/// says of a materialized view's columns). Grafana's query builder and
/// knex's `columnInfo` read these.
fn postgres_columns() -> TableFactor {
    let sql = "SELECT * FROM (SELECT table_catalog, table_schema, table_name, column_name, \
               CAST(ordinal_position + 1 AS INTEGER) AS ordinal_position, column_default, \
               CASE WHEN eddy_is_materialized_view(table_schema, table_name) THEN 'YES' ELSE is_nullable END \
               AS is_nullable, \
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
