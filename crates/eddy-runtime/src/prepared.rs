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
use eddy_sql::{EddyStatement, PlanError};
use futures::{StreamExt, TryStreamExt};
use sqlparser::ast::{Ident, SelectItem, SetExpr, Statement};

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
        let plan = match state.statement_to_plan(DfStatement::Statement(Box::new(planned))).await {
            Ok(plan) => plan,
            Err(e) => return Err(self.sink_queried(statement).unwrap_or(EngineError::DataFusion(e))),
        };
        // The result's types are those of the analyzed plan (PostgreSQL's
        // rules change some: sum(bigint) is numeric); the plan itself is
        // analyzed once more when it runs, so a copy is analyzed here.
        // (A plan whose placeholders have no types yet may not analyze: its
        // types are the plan's.)
        let types =
            state.analyzer().execute_and_check(plan.clone(), state.config_options(), |_, _| {}).ok().map(|analyzed| {
                analyzed.schema().fields().iter().map(|f| (f.data_type().clone(), f.is_nullable())).collect()
            });
        if let Some(stream) = self.source_stream_read(&plan) {
            return Err(EngineError::SourceStreamQueried(stream));
        }
        Ok(match names {
            ColumnNames::Planned => PullQuery { plan, renamed: None, types },
            ColumnNames::Aliased(names) => PullQuery { plan: aliased(plan, names)?, renamed: None, types },
            ColumnNames::Renamed(names) if names.len() == plan.schema().fields().len() => {
                PullQuery { plan, renamed: Some(names), types }
            }
            ColumnNames::Renamed(_) => PullQuery { plan, renamed: None, types },
        })
    }

    /// The error for a pull query naming a sink, which keeps no rows of its
    /// own (its rows are in its connector); `None` when it names none.
    fn sink_queried(&self, statement: &Statement) -> Option<EngineError> {
        let catalog = self.inner.catalog.read().expect("catalog lock");
        let mut found = None;
        let _ = sqlparser::ast::visit_relations(statement, |relation| {
            let name = eddy_sql::normalize_name(relation);
            if let Some(eddy_catalog::CatalogEntry::Sink(sink)) = catalog.get(&name) {
                found = Some(EngineError::SinkQueried { sink: sink.name.clone(), from: sink.from.clone() });
                return std::ops::ControlFlow::Break(());
            }
            std::ops::ControlFlow::Continue(())
        });
        found
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
    /// The result columns' types (and nullability) once the plan is analyzed.
    types: Option<Vec<(DataType, bool)>>,
}

impl PullQuery {
    /// The result columns.
    pub(crate) fn schema(&self) -> SchemaRef {
        let schema = self.plan.schema().inner().clone();
        let types = self.types.as_ref().filter(|t| t.len() == schema.fields().len());
        Arc::new(Schema::new_with_metadata(
            schema
                .fields()
                .iter()
                .enumerate()
                .map(|(i, field)| {
                    let mut field = field.as_ref().clone();
                    if let Some(names) = &self.renamed {
                        field = field.with_name(&names[i]);
                    }
                    if let Some(types) = types {
                        field = field.with_data_type(types[i].0.clone()).with_nullable(types[i].1);
                    }
                    field
                })
                .collect::<Vec<_>>(),
            schema.metadata().clone(),
        ))
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
    let names = eddy_pg::column_names::postgres_column_names(statement);
    let mut planned = statement.clone();
    eddy_pg::types::postgres_forms(&mut planned);
    crate::postgres::rewrite(&mut planned, state);
    let aggregates = state.aggregate_functions();
    crate::subquery::single_row_subqueries(&mut planned, &|name| aggregates.contains_key(name));
    let Statement::Query(query) = &mut planned else { return (planned, ColumnNames::Planned) };
    let SetExpr::Select(select) = query.body.as_mut() else { return (planned, ColumnNames::Planned) };
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
    async fn integer_constants_are_int4_when_they_fit() {
        let engine = crate::Engine::new();
        let got = columns(&engine, "SELECT 1, -2147483648 AS low, 2147483648 AS big, 1 + 1 AS sum").await;
        let types: Vec<&DataType> = got.iter().map(|(_, t)| t).collect();
        assert_eq!(types, [&DataType::Int32, &DataType::Int32, &DataType::Int64, &DataType::Int32]);
        // As in PostgreSQL, integer arithmetic overflows at 2^31 with an error, never wraps.
        let err = engine.execute("SELECT 2147483647 + 1 AS n").await.unwrap_err();
        assert_eq!(err.to_string(), "integer out of range");
        assert_eq!(eddy_common::Classify::class(&err).sqlstate, "22003");
    }

    #[test]
    fn named_parameters_are_refused() {
        let types = HashMap::from([("$name".to_string(), None)]);
        assert!(positional(types).is_err());
    }
}
