//! What the extended query protocol needs from the engine: a statement's
//! result columns and parameter types without running it, and pull queries
//! run with bound parameter values.
//!
//! A prepared pull query is planned again at every execution: planning takes
//! the snapshot of each view it reads, so a plan kept from `Parse` would keep
//! answering with the state the views had then.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use arrow::datatypes::{DataType, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::execution::context::{SessionContext, SessionState};
use datafusion::execution::SendableRecordBatchStream;
use datafusion::logical_expr::{Expr, LogicalPlan};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::scalar::ScalarValue;
use datafusion::sql::parser::Statement as DfStatement;
use eddy_sql::{normalize_ident, EddyStatement, PlanError};
use futures::{StreamExt, TryStreamExt};
use sqlparser::ast::{
    CastKind, DataType as SqlType, Expr as SqlExpr, Ident, SelectItem, SetExpr, Statement, TimezoneInfo, UnaryOperator,
    Value,
};

use crate::{Engine, EngineError, StatementResult};

/// What a statement returns and takes, learned without running it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementDescription {
    /// The result columns; `None` for statements that return no rows.
    pub schema: Option<SchemaRef>,
    /// The types of `$1 ... $n`; `None` where unknown.
    pub parameters: Vec<Option<DataType>>,
}

impl Engine {
    /// The DataFusion context pull queries run in. The Postgres endpoint
    /// extends it once per process (`pg_catalog`, `version()`, ...); every
    /// connection shares it, so catalog object ids are stable.
    pub fn pull_context(&self) -> &SessionContext {
        &self.inner.pull
    }

    /// The columns `statement` returns, without running it; `None` for
    /// statements that return no rows (DDL, `DROP`, `FLUSH`).
    ///
    /// `SHOW`, `DESCRIBE` and `EXPLAIN` are run to learn their columns: they
    /// only read the catalog, so running them has no effect.
    pub async fn describe_statement(&self, statement: &EddyStatement) -> Result<Option<SchemaRef>, EngineError> {
        Ok(self.describe_prepared(statement).await?.schema)
    }

    /// The types of the `$1 ... $n` parameters of `statement`, in order;
    /// `None` where neither the query's expressions nor a cast (`$1::BIGINT`)
    /// tell the type. Statements other than pull queries take no parameters.
    pub async fn parameter_types(&self, statement: &EddyStatement) -> Result<Vec<Option<DataType>>, EngineError> {
        Ok(self.describe_prepared(statement).await?.parameters)
    }

    /// [`Engine::describe_statement`] and [`Engine::parameter_types`] at
    /// once, planning a pull query a single time (what `Parse` needs).
    pub async fn describe_prepared(&self, statement: &EddyStatement) -> Result<StatementDescription, EngineError> {
        let schema = match statement {
            EddyStatement::Sql(sql) => {
                let query = self.plan_pull_query(sql).await?;
                let parameters = parameters_of(&query.plan)?;
                return Ok(StatementDescription { schema: Some(query.schema()), parameters });
            }
            EddyStatement::Show(_) | EddyStatement::Describe(_) | EddyStatement::Explain(_) => {
                match self.execute_statement(statement.clone()).await? {
                    StatementResult::Rows { schema, .. } => Some(schema),
                    StatementResult::Command(_) => None,
                }
            }
            EddyStatement::CreateStream(_)
            | EddyStatement::CreateMaterializedView(_)
            | EddyStatement::CreateSink(_)
            | EddyStatement::Drop { .. }
            | EddyStatement::Flush => None,
        };
        Ok(StatementDescription { schema, parameters: Vec::new() })
    }

    /// Runs `statement` with its `$n` parameters bound to `params` (`$1`
    /// first). Only pull queries take parameters; any other statement runs
    /// as [`Engine::execute_statement`] when `params` is empty.
    pub async fn execute_query_with_params(
        &self,
        statement: EddyStatement,
        params: Vec<ScalarValue>,
    ) -> Result<StatementResult, EngineError> {
        let EddyStatement::Sql(sql) = statement else {
            if !params.is_empty() {
                return Err(PlanError::Invalid(format!(
                    "\"{statement}\" takes no parameters, but {} were given",
                    params.len()
                ))
                .into());
            }
            return self.execute_statement(statement).await;
        };
        self.plan_pull_query(&sql).await?.run(&self.inner.pull, params).await
    }

    /// [`Engine::execute_query_with_params`] with a pull query's rows
    /// computed as they are read from the returned stream (its plan, and
    /// the snapshots of the views it reads, are taken now).
    pub async fn execute_streaming(
        &self,
        statement: EddyStatement,
        params: Vec<ScalarValue>,
    ) -> Result<crate::StreamingResult, EngineError> {
        match statement {
            EddyStatement::Sql(sql) => {
                let (schema, stream) = self.plan_pull_query(&sql).await?.stream(&self.inner.pull, params).await?;
                Ok(crate::StreamingResult::Rows { schema, stream })
            }
            other => Ok(crate::StreamingResult::Done(self.execute_query_with_params(other, params).await?)),
        }
    }

    /// Plans a pull query on the pull context, taking a snapshot of every
    /// view it reads. Its result columns get PostgreSQL's names and the
    /// types PostgreSQL gives constants ([`planned_statement`]).
    pub(crate) async fn plan_pull_query(&self, statement: &Statement) -> Result<PullQuery, EngineError> {
        if !matches!(statement, Statement::Query(_)) {
            return Err(EngineError::Unsupported(format!(
                "the statement \"{}\"",
                statement.to_string().split_whitespace().take(2).collect::<Vec<_>>().join(" ")
            )));
        }
        let state = self.inner.pull.state();
        let (planned, names) = planned_statement(statement, &state);
        let plan = state.statement_to_plan(DfStatement::Statement(Box::new(planned))).await?;
        if let Some(stream) = self.source_stream_read(&plan) {
            return Err(EngineError::SourceStreamQueried(stream));
        }
        Ok(match names {
            ColumnNames::Planned => PullQuery { plan, renamed: None },
            ColumnNames::Aliased(names) => PullQuery { plan: aliased(plan, names)?, renamed: None },
            ColumnNames::Renamed(names) if names.len() == plan.schema().fields().len() => {
                PullQuery { plan, renamed: Some(names) }
            }
            ColumnNames::Renamed(_) => PullQuery { plan, renamed: None },
        })
    }

    /// The first source stream `plan` reads, if any: a source stream (read
    /// from a connector) keeps no rows; views and derived streams do.
    fn source_stream_read(&self, plan: &LogicalPlan) -> Option<String> {
        let sources = self.source_stream_names();
        if sources.is_empty() {
            return None;
        }
        let mut found = None;
        let _ = plan.apply_with_subqueries(|node| {
            if let LogicalPlan::TableScan(scan) = node {
                let schema = scan.table_name.schema().unwrap_or("public");
                if schema == "public" && sources.iter().any(|s| s == scan.table_name.table()) {
                    found = Some(scan.table_name.table().to_string());
                    return Ok(TreeNodeRecursion::Stop);
                }
            }
            Ok(TreeNodeRecursion::Continue)
        });
        found
    }
}

/// A planned pull query and the names of its result columns.
pub(crate) struct PullQuery {
    pub(crate) plan: LogicalPlan,
    /// The result columns' names where they differ from the plan's: names
    /// that repeat (`SELECT 1, 1` gives two `?column?`), which a DataFusion
    /// plan cannot hold.
    renamed: Option<Vec<String>>,
}

impl PullQuery {
    /// The result columns.
    pub(crate) fn schema(&self) -> SchemaRef {
        let schema = self.plan.schema().inner().clone();
        match &self.renamed {
            None => schema,
            Some(names) => Arc::new(Schema::new_with_metadata(
                schema
                    .fields()
                    .iter()
                    .zip(names)
                    .map(|(field, name)| field.as_ref().clone().with_name(name))
                    .collect::<Vec<_>>(),
                schema.metadata().clone(),
            )),
        }
    }

    /// Runs the query with `$1 ... $n` bound to `params`.
    pub(crate) async fn run(
        self,
        context: &SessionContext,
        params: Vec<ScalarValue>,
    ) -> Result<StatementResult, EngineError> {
        let (schema, stream) = self.stream(context, params).await?;
        let batches = stream.try_collect().await?;
        Ok(StatementResult::Rows { schema, batches })
    }

    /// The query with `$1 ... $n` bound to `params`, its batches computed
    /// as they are read, with the result's column names.
    pub(crate) async fn stream(
        self,
        context: &SessionContext,
        params: Vec<ScalarValue>,
    ) -> Result<(SchemaRef, SendableRecordBatchStream), EngineError> {
        let schema = self.schema();
        let plan = if params.is_empty() { self.plan } else { self.plan.with_param_values(params)? };
        let stream = context.execute_logical_plan(plan).await?.execute_stream().await?;
        let stream = match self.renamed {
            None => stream,
            Some(_) => {
                let renamed = schema.clone();
                let batches =
                    stream.map(move |batch| Ok(RecordBatch::try_new(renamed.clone(), batch?.columns().to_vec())?));
                Box::pin(RecordBatchStreamAdapter::new(schema.clone(), batches))
            }
        };
        Ok((schema, stream))
    }
}

/// `statement` as it is planned: PostgreSQL syntax DataFusion lacks
/// rewritten ([`crate::postgres`]), scalar subqueries in a form DataFusion
/// plans ([`crate::subquery`]), plain `SELECT` lists rewritten so the result has
/// PostgreSQL's column types and names ([`postgres_column_names`],
/// [`postgres_literal_types`]).
fn planned_statement(statement: &Statement, state: &SessionState) -> (Statement, ColumnNames) {
    let names = postgres_column_names(statement);
    let mut planned = statement.clone();
    crate::postgres::rewrite(&mut planned, state);
    let aggregates = state.aggregate_functions();
    crate::subquery::single_row_subqueries(&mut planned, &|name| aggregates.contains_key(name));
    let Statement::Query(query) = &mut planned else { return (planned, ColumnNames::Planned) };
    let SetExpr::Select(select) = query.body.as_mut() else { return (planned, ColumnNames::Planned) };
    postgres_literal_types(&mut select.projection);
    let names = match names {
        None => ColumnNames::Planned,
        Some(names) if names.iter().collect::<HashSet<_>>().len() == names.len() => ColumnNames::Aliased(names),
        Some(names) => {
            // Distinct names for the plan: a repeat gets an alias of its own
            // (first occurrences keep theirs, so `ORDER BY alias` still
            // works); the result gets the repeated names.
            for (i, item) in select.projection.iter_mut().enumerate() {
                if !names[..i].contains(&names[i]) {
                    continue;
                }
                let alias = Ident::new(format!("__eddy_column_{i}"));
                *item = match std::mem::replace(item, SelectItem::Wildcard(Default::default())) {
                    SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                        SelectItem::ExprWithAlias { expr, alias }
                    }
                    other => other,
                };
            }
            ColumnNames::Renamed(names)
        }
    };
    (planned, names)
}

/// How a pull query's result columns get their names.
enum ColumnNames {
    /// As the plan names them.
    Planned,
    /// Distinct names, given by a projection on top of the plan.
    Aliased(Vec<String>),
    /// Names that repeat, given to the result after it is computed.
    Renamed(Vec<String>),
}

/// `plan` with its columns named `names` (a projection on top, if any
/// name differs).
fn aliased(plan: LogicalPlan, names: Vec<String>) -> Result<LogicalPlan, EngineError> {
    if names.len() != plan.schema().fields().len()
        || names.iter().zip(plan.schema().fields()).all(|(n, f)| n == f.name())
    {
        return Ok(plan);
    }
    let columns: Vec<datafusion::prelude::Expr> = plan
        .schema()
        .columns()
        .into_iter()
        .zip(names)
        .map(|(column, name)| datafusion::prelude::Expr::Column(column).alias(name))
        .collect();
    Ok(datafusion::logical_expr::LogicalPlanBuilder::from(plan).project(columns)?.build()?)
}

/// The names PostgreSQL gives the result columns of a plain `SELECT`
/// without `*`: the alias, the column's name for a column, the function's
/// for a call (`count(*)` → `count`), the type's for a cast of a constant
/// (`CAST(NULL AS BIGINT)` → `int8`), `?column?` for other expressions.
/// Drivers and tools rely on them (`rows[0].count`).
pub fn postgres_column_names(statement: &Statement) -> Option<Vec<String>> {
    let Statement::Query(query) = statement else { return None };
    let SetExpr::Select(select) = query.body.as_ref() else { return None };
    select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(expr) => Some(postgres_name(expr).unwrap_or_else(|| "?column?".to_string())),
            SelectItem::ExprWithAlias { alias, .. } => Some(normalize_ident(alias)),
            _ => None,
        })
        .collect()
}

/// PostgreSQL's name for an unaliased expression; `None` where it has
/// none of its own (`?column?`).
fn postgres_name(expr: &SqlExpr) -> Option<String> {
    figure_name(expr).map(|(name, _)| name)
}

/// How sure a name is: a cast is named after its operand when that has a
/// name of its own, and after the type otherwise (`x::int` → `x`,
/// `1::int::bigint` → `int8`), as PostgreSQL names it.
#[derive(PartialEq)]
enum Strength {
    TypeName,
    OwnName,
}

fn figure_name(expr: &SqlExpr) -> Option<(String, Strength)> {
    let own = |name: &str| Some((name.to_string(), Strength::OwnName));
    match expr {
        SqlExpr::Identifier(ident) => own(&normalize_ident(ident)),
        SqlExpr::CompoundIdentifier(parts) => own(&normalize_ident(parts.last()?)),
        SqlExpr::Nested(inner) | SqlExpr::Collate { expr: inner, .. } => figure_name(inner),
        // The last field named in the chain, else the base (`conkey[1]` → `conkey`).
        SqlExpr::CompoundFieldAccess { root, access_chain } => {
            let field = access_chain.iter().rev().find_map(|access| match access {
                sqlparser::ast::AccessExpr::Dot(SqlExpr::Identifier(field)) => Some(normalize_ident(field)),
                _ => None,
            });
            match field {
                Some(field) => own(&field),
                None => figure_name(root),
            }
        }
        // `user` is PostgreSQL's spelling of `current_user`, and named so.
        SqlExpr::Function(f) => match eddy_sql::function_name(f)? {
            name if name == "user" && matches!(f.args, sqlparser::ast::FunctionArguments::None) => own("current_user"),
            name => own(&name),
        },
        SqlExpr::Cast { expr, data_type, .. } => match figure_name(expr) {
            Some((name, Strength::OwnName)) => own(&name),
            _ => Some((type_name(data_type), Strength::TypeName)),
        },
        SqlExpr::TypedString(typed) => Some((type_name(&typed.data_type), Strength::TypeName)),
        SqlExpr::Interval(_) => Some(("interval".into(), Strength::TypeName)),
        SqlExpr::Case { .. } => own("case"),
        SqlExpr::Array(_) => own("array"),
        SqlExpr::Exists { .. } => own("exists"),
        SqlExpr::Extract { .. } => own("extract"),
        SqlExpr::Substring { .. } => own("substring"),
        SqlExpr::Trim { .. } => own("btrim"),
        SqlExpr::Position { .. } => own("position"),
        SqlExpr::Overlay { .. } => own("overlay"),
        SqlExpr::Ceil { .. } => own("ceil"),
        SqlExpr::Floor { .. } => own("floor"),
        SqlExpr::Subquery(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match select.projection.first()? {
                SelectItem::ExprWithAlias { alias, .. } => own(&normalize_ident(alias)),
                SelectItem::UnnamedExpr(expr) => figure_name(expr),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// PostgreSQL's internal name of a type, which names a cast's column.
fn type_name(data_type: &SqlType) -> String {
    match data_type {
        SqlType::BigInt(_) | SqlType::Int8(_) => "int8".into(),
        SqlType::Int(_) | SqlType::Integer(_) | SqlType::Int4(_) => "int4".into(),
        SqlType::SmallInt(_) | SqlType::Int2(_) => "int2".into(),
        SqlType::Double(_) | SqlType::DoublePrecision | SqlType::Float8 => "float8".into(),
        SqlType::Real | SqlType::Float4 => "float4".into(),
        SqlType::Boolean | SqlType::Bool => "bool".into(),
        SqlType::Varchar(_) | SqlType::CharacterVarying(_) => "varchar".into(),
        SqlType::Char(_) | SqlType::Character(_) => "bpchar".into(),
        SqlType::Numeric(_) | SqlType::Decimal(_) => "numeric".into(),
        SqlType::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => "timestamptz".into(),
        SqlType::Timestamp(..) => "timestamp".into(),
        SqlType::Time(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => "timetz".into(),
        SqlType::Time(..) => "time".into(),
        SqlType::Interval { .. } => "interval".into(),
        other => other.to_string().to_lowercase().split(['(', ' ']).next().unwrap_or("?column?").to_string(),
    }
}

/// Types a bare integer constant in the `SELECT` list as PostgreSQL does:
/// `integer` when it fits (`SELECT 1` is an `int4`, which drivers map to
/// their native integer), `bigint` otherwise. Constants inside expressions
/// keep DataFusion's `BIGINT`, so arithmetic cannot overflow at 2^31.
fn postgres_literal_types(projection: &mut [SelectItem]) {
    for item in projection {
        let (SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }) = item else { continue };
        let text = match &*expr {
            SqlExpr::Value(v) => match &v.value {
                Value::Number(n, _) => n.clone(),
                _ => continue,
            },
            SqlExpr::UnaryOp { op: UnaryOperator::Minus, expr: inner } => match inner.as_ref() {
                SqlExpr::Value(v) => match &v.value {
                    Value::Number(n, _) => format!("-{n}"),
                    _ => continue,
                },
                _ => continue,
            },
            _ => continue,
        };
        if text.parse::<i32>().is_ok() {
            let constant = std::mem::replace(expr, SqlExpr::Value(Value::Null.into()));
            *expr = SqlExpr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(constant),
                data_type: SqlType::Integer(None),
                array: false,
                format: None,
            };
        }
    }
}

/// The parameter types of a planned pull query, in `$n` order.
fn parameters_of(plan: &LogicalPlan) -> Result<Vec<Option<DataType>>, EngineError> {
    let mut types = plan.get_parameter_types()?;
    for (id, cast_to) in placeholder_casts(plan)? {
        if let Some(slot @ None) = types.get_mut(&id) {
            *slot = Some(cast_to);
        }
    }
    positional(types)
}

/// The type each placeholder is cast to (`$1::BIGINT`), for placeholders
/// DataFusion leaves untyped.
fn placeholder_casts(plan: &LogicalPlan) -> Result<HashMap<String, DataType>, EngineError> {
    let mut casts = HashMap::new();
    plan.apply_with_subqueries(|node| {
        for expr in node.expressions() {
            expr.apply(|e| {
                let cast = match e {
                    Expr::Cast(c) => Some((&c.expr, c.field.data_type())),
                    Expr::TryCast(c) => Some((&c.expr, c.field.data_type())),
                    _ => None,
                };
                if let Some((inner, to)) = cast {
                    if let Expr::Placeholder(p) = inner.as_ref() {
                        casts.entry(p.id.clone()).or_insert_with(|| to.clone());
                    }
                }
                Ok(TreeNodeRecursion::Continue)
            })?;
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    Ok(casts)
}

/// PostgreSQL's limit on the parameters of one statement (a 16-bit count).
const MAX_PARAMETERS: usize = u16::MAX as usize;

/// Orders `$1 ... $n` by number. A gap (`$2` used without `$1`) is still a
/// parameter, of unknown type, as in PostgreSQL.
fn positional(types: HashMap<String, Option<DataType>>) -> Result<Vec<Option<DataType>>, EngineError> {
    let mut numbered = Vec::with_capacity(types.len());
    for (id, data_type) in types {
        let index = id
            .strip_prefix('$')
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (1..=MAX_PARAMETERS).contains(n))
            .ok_or_else(|| PlanError::Invalid(format!("parameter \"{id}\" is not one of $1 ... ${MAX_PARAMETERS}")))?;
        numbered.push((index, data_type));
    }
    let count = numbered.iter().map(|(i, _)| *i).max().unwrap_or(0);
    let mut ordered = vec![None; count];
    for (index, data_type) in numbered {
        ordered[index - 1] = data_type;
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_ordered_by_number_with_gaps_untyped() {
        let types = HashMap::from([("$3".to_string(), Some(DataType::Int64)), ("$1".to_string(), None)]);
        assert_eq!(positional(types).unwrap(), vec![None, None, Some(DataType::Int64)]);
    }

    /// The result columns of `sql` run on `engine`: (name, type).
    async fn columns(engine: &crate::Engine, sql: &str) -> Vec<(String, DataType)> {
        let result = engine.execute(sql).await.unwrap().pop().unwrap();
        let crate::StatementResult::Rows { schema, batches } = result else { panic!("rows") };
        // Names only: for some expressions (`a[2]`) DataFusion's plan calls a
        // column nullable where its batches do not; the wire sends the
        // result schema's names and types, which agree.
        let field_names = |schema: &Schema| schema.fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>();
        for batch in &batches {
            assert_eq!(field_names(&batch.schema()), field_names(&schema), "batches carry the result's names");
        }
        schema.fields().iter().map(|f| (f.name().clone(), f.data_type().clone())).collect()
    }

    fn names(columns: &[(String, DataType)]) -> Vec<&str> {
        columns.iter().map(|(name, _)| name.as_str()).collect()
    }

    #[tokio::test]
    async fn unaliased_columns_get_postgres_names() {
        let engine = crate::Engine::new();
        let got = columns(
            &engine,
            "SELECT count(*), max(column1), CAST(NULL AS BIGINT), column1 + 1, column1, column1::text, \
             CAST(1 AS INT)::BIGINT, t.column1 AS \"Named\", CASE WHEN column1 > 1 THEN 1 END, (SELECT 1 AS one) \
             FROM (VALUES (1), (2)) t GROUP BY column1",
        )
        .await;
        assert_eq!(
            names(&got),
            ["count", "max", "int8", "?column?", "column1", "column1", "int8", "Named", "case", "one"]
        );
        // subscripts keep the base's name, a field access is named after the field
        let got = columns(&engine, "SELECT a[2], named_struct('f', 1)['f'], (SELECT x FROM (VALUES (1)) v(x)) FROM (SELECT make_array(1, 2) AS a)").await;
        assert_eq!(names(&got), ["a", "named_struct", "x"]);
    }

    #[tokio::test]
    async fn repeated_names_are_kept_as_postgres_gives_them() {
        let engine = crate::Engine::new();
        let got = columns(&engine, "SELECT count(*), count(column1), 1, 1 FROM (VALUES (1), (2)) t").await;
        assert_eq!(names(&got), ["count", "count", "?column?", "?column?"]);
        let got = columns(&engine, "SELECT column1 AS x, column1 + 1 AS x FROM (VALUES (1)) t ORDER BY column1").await;
        assert_eq!(names(&got), ["x", "x"]);
        // An alias beside repeated names still orders and groups.
        let got = columns(
            &engine,
            "SELECT column1 % 2 AS parity, count(*), count(*) FROM (VALUES (1), (2)) t GROUP BY parity ORDER BY parity",
        )
        .await;
        assert_eq!(names(&got), ["parity", "count", "count"]);
        let got = columns(
            &engine,
            "SELECT a.column1, b.column1, a.column1 + 1 AS n FROM (VALUES (1)) a JOIN (VALUES (1)) b \
             ON a.column1 = b.column1 ORDER BY n",
        )
        .await;
        assert_eq!(names(&got), ["column1", "column1", "n"]);
    }

    #[tokio::test]
    async fn integer_constants_in_the_select_list_are_int4_when_they_fit() {
        let engine = crate::Engine::new();
        let got = columns(&engine, "SELECT 1, -2147483648 AS low, 2147483648 AS big, 1 + 1 AS sum").await;
        let types: Vec<&DataType> = got.iter().map(|(_, t)| t).collect();
        assert_eq!(types, [&DataType::Int32, &DataType::Int32, &DataType::Int64, &DataType::Int64]);
        // Arithmetic on constants stays 64-bit: no overflow at 2^31.
        let result = engine.execute("SELECT 2147483647 + 1 AS n").await.unwrap().pop().unwrap();
        let crate::StatementResult::Rows { batches, .. } = result else { panic!("rows") };
        let text = crate::text::format_column(batches[0].column(0)).unwrap();
        assert_eq!(text, [Some("2147483648".to_string())]);
    }

    #[test]
    fn named_parameters_are_refused() {
        let types = HashMap::from([("$name".to_string(), None)]);
        assert!(positional(types).is_err());
    }
}
