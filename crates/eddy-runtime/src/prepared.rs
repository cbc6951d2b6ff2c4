//! What the extended query protocol needs from the engine: a statement's
//! result columns and parameter types without running it, and pull queries
//! run with bound parameter values.
//!
//! A prepared pull query is planned again at every execution: planning takes
//! the snapshot of each view it reads, so a plan kept from `Parse` would keep
//! answering with the state the views had then.

use std::collections::HashMap;

use arrow::datatypes::{DataType, SchemaRef};
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::execution::context::SessionContext;
use datafusion::logical_expr::{Expr, LogicalPlan};
use datafusion::scalar::ScalarValue;
use datafusion::sql::parser::Statement as DfStatement;
use eddy_sql::{EddyStatement, PlanError};
use sqlparser::ast::Statement;

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
                let plan = self.plan_pull_query(sql).await?;
                let parameters = parameters_of(&plan)?;
                return Ok(StatementDescription { schema: Some(plan.schema().inner().clone()), parameters });
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
        let plan = self.plan_pull_query(&sql).await?;
        let plan = if params.is_empty() { plan } else { plan.with_param_values(params)? };
        let frame = self.inner.pull.execute_logical_plan(plan).await?;
        let schema = frame.schema().inner().clone();
        let batches = frame.collect().await?;
        Ok(StatementResult::Rows { schema, batches })
    }

    /// Plans a pull query on the pull context, taking a snapshot of every
    /// view it reads.
    pub(crate) async fn plan_pull_query(&self, statement: &Statement) -> Result<LogicalPlan, EngineError> {
        if !matches!(statement, Statement::Query(_)) {
            return Err(EngineError::Unsupported(format!(
                "the statement \"{}\"",
                statement.to_string().split_whitespace().take(2).collect::<Vec<_>>().join(" ")
            )));
        }
        let state = self.inner.pull.state();
        let plan = state.statement_to_plan(DfStatement::Statement(Box::new(statement.clone()))).await?;
        if let Some(stream) = self.source_stream_read(&plan) {
            return Err(EngineError::SourceStreamQueried(stream));
        }
        postgres_column_names(statement, plan)
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

/// Names unaliased result columns the way PostgreSQL does (`count(*)` →
/// `count`, `CAST(x AS BIGINT)` → `int8`, other expressions → `?column?`),
/// which drivers and tools rely on (`rows[0].count`). Only for a plain
/// `SELECT` without `*`, and only when the names stay distinct.
fn postgres_column_names(statement: &Statement, plan: LogicalPlan) -> Result<LogicalPlan, EngineError> {
    use sqlparser::ast::{SelectItem, SetExpr};
    let Statement::Query(query) = statement else { return Ok(plan) };
    let SetExpr::Select(select) = query.body.as_ref() else { return Ok(plan) };
    if select.projection.len() != plan.schema().fields().len() {
        return Ok(plan);
    }
    let mut names = Vec::with_capacity(select.projection.len());
    for (item, field) in select.projection.iter().zip(plan.schema().fields()) {
        names.push(match item {
            SelectItem::UnnamedExpr(expr) => postgres_name(expr).unwrap_or_else(|| field.name().clone()),
            SelectItem::ExprWithAlias { .. } => field.name().clone(),
            _ => return Ok(plan),
        });
    }
    let distinct: std::collections::HashSet<&String> = names.iter().collect();
    let unchanged = names.iter().zip(plan.schema().fields()).all(|(n, f)| n == f.name());
    if distinct.len() != names.len() || unchanged {
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

/// PostgreSQL's name for an unaliased expression; `None` for column
/// references (already named by their column).
fn postgres_name(expr: &sqlparser::ast::Expr) -> Option<String> {
    use sqlparser::ast::{DataType as SqlType, Expr};
    match expr {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => None,
        Expr::Nested(inner) => postgres_name(inner),
        Expr::Function(f) => f.name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase()),
        Expr::Cast { data_type, .. } => Some(match data_type {
            SqlType::BigInt(_) | SqlType::Int8(_) => "int8".into(),
            SqlType::Int(_) | SqlType::Integer(_) | SqlType::Int4(_) => "int4".into(),
            SqlType::SmallInt(_) | SqlType::Int2(_) => "int2".into(),
            SqlType::Double(_) | SqlType::DoublePrecision | SqlType::Float8 => "float8".into(),
            SqlType::Real | SqlType::Float4 => "float4".into(),
            SqlType::Boolean | SqlType::Bool => "bool".into(),
            other => other.to_string().to_lowercase().split('(').next().unwrap_or("?column?").trim().to_string(),
        }),
        _ => Some("?column?".into()),
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

    #[tokio::test]
    async fn unaliased_columns_get_postgres_names() {
        let engine = crate::Engine::new();
        let result = engine
            .execute("SELECT count(*), max(column1), CAST(NULL AS BIGINT), column1 + 1, column1 FROM (VALUES (1), (2)) t GROUP BY column1")
            .await
            .unwrap()
            .pop()
            .unwrap();
        let crate::StatementResult::Rows { schema, .. } = result else { panic!("rows") };
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["count", "max", "int8", "?column?", "column1"]);
        // Names that would repeat keep DataFusion's distinct names.
        let result =
            engine.execute("SELECT count(*), count(column1) FROM (VALUES (1)) t").await.unwrap().pop().unwrap();
        let crate::StatementResult::Rows { schema, .. } = result else { panic!("rows") };
        assert_eq!(schema.field(0).name(), "count(*)");
    }

    #[test]
    fn named_parameters_are_refused() {
        let types = HashMap::from([("$name".to_string(), None)]);
        assert!(positional(types).is_err());
    }
}
