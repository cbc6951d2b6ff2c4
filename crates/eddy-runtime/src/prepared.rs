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
    async fn plan_pull_query(&self, statement: &Statement) -> Result<LogicalPlan, EngineError> {
        if !matches!(statement, Statement::Query(_)) {
            return Err(EngineError::Unsupported(format!(
                "the statement \"{}\"",
                statement.to_string().split_whitespace().take(2).collect::<Vec<_>>().join(" ")
            )));
        }
        let state = self.inner.pull.state();
        Ok(state.statement_to_plan(DfStatement::Statement(Box::new(statement.clone()))).await?)
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

    #[test]
    fn named_parameters_are_refused() {
        let types = HashMap::from([("$name".to_string(), None)]);
        assert!(positional(types).is_err());
    }
}
