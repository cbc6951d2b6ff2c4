//! Planning: `CREATE STREAM` schemas and watermarks, and continuous queries.
//!
//! A query's `SELECT` is planned by DataFusion (after window calls became
//! synthetic tables, see `window_tvf`), type-coerced by DataFusion's analyzer,
//! then lowered node by node into [`StreamingPlan`] stages. Shapes a stream
//! cannot run yet are refused here, at CREATE time, with SQLSTATE 0A000.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use arrow::datatypes::{DataType, SchemaRef};
use datafusion::common::tree_node::TreeNode;
use datafusion::common::{DFSchema, DFSchemaRef};
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::execution::SessionState;
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::logical_expr::{Expr, LogicalPlan};
use datafusion::optimizer::simplify_expressions::SimplifyExpressions;
use datafusion::optimizer::Optimizer;
use datafusion::physical_expr::aggregate::LoweredAggregateBuilder;
use datafusion::physical_expr::create_physical_expr;
use datafusion::prelude::SessionConfig;
use datafusion::sql::planner::{PlannerContext, SqlToRel};
use eddy_catalog::{Catalog, StreamDef, WatermarkDef};
use sqlparser::ast::{Query, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::context::CatalogContext;
use crate::plan::{AggregatePlan, GroupColumn, OutputKind, SourcePlan, Stage, StreamingPlan, WatermarkPlan};
use crate::statement::CreateStream;
use crate::window_tvf::{rewrite_window_calls, WindowTable};
use crate::PlanError;

/// Plans statements against a catalog. Holds the DataFusion session whose
/// functions (every built-in scalar and aggregate) queries may call.
pub struct StreamPlanner {
    state: SessionState,
}

impl Default for StreamPlanner {
    fn default() -> Self {
        StreamPlanner::new()
    }
}

/// The name of Eddy's one database: the catalog every stream and view is
/// in, what `current_database()` returns and `information_schema` calls
/// `table_catalog`.
pub const DATABASE: &str = "eddy";

/// A planned continuous query and the objects it reads.
#[derive(Debug, Clone)]
pub struct PlannedQuery {
    pub plan: StreamingPlan,
    pub reads: BTreeSet<String>,
}

impl StreamPlanner {
    /// A planner whose sessions run in UTC, as Eddy's Postgres sessions do:
    /// `TIMESTAMPTZ` columns are UTC instants (Arrow timestamps with a
    /// `+00:00` zone) and show with their offset. Objects live in the
    /// [`DATABASE`] catalog's `public` schema.
    pub fn new() -> Self {
        let mut config = SessionConfig::new().with_default_catalog_and_schema(DATABASE, "public");
        config.options_mut().execution.time_zone = Some("+00:00".to_string());
        // A constant with a decimal point is numeric, as in PostgreSQL
        // (`0.1 + 0.2` is exactly 0.3), not a double.
        config.options_mut().sql_parser.parse_float_as_decimal = true;
        let builder = SessionStateBuilder::new().with_config(config).with_default_features();
        StreamPlanner { state: eddy_pg::with_postgres_dialect(builder).build() }
    }

    /// The DataFusion session (functions, configuration) planning uses.
    pub fn session_state(&self) -> &SessionState {
        &self.state
    }

    /// The schema and watermark declared by `CREATE STREAM (...)`. The
    /// watermark is checked by [`StreamPlanner::plan_watermark`] once the
    /// connector settled the final schema.
    pub fn plan_stream_columns(
        &self,
        stmt: &CreateStream,
        catalog: &Catalog,
    ) -> Result<(SchemaRef, Option<WatermarkDef>), PlanError> {
        let context = CatalogContext::new(&self.state, catalog, HashMap::new());
        let mut columns = stmt.columns.clone();
        eddy_pg::types::microsecond_timestamp_columns(&mut columns);
        let schema = Arc::new(SqlToRel::new(&context).build_schema(columns)?);
        let mut seen = BTreeSet::new();
        for field in schema.fields() {
            if !seen.insert(field.name().clone()) {
                return Err(PlanError::Invalid(format!("column \"{}\" is declared twice", field.name())));
            }
        }
        let watermark = stmt.watermark.as_ref().map(|clause| WatermarkDef {
            column: crate::normalize_ident(&clause.column),
            expr: clause.expr.to_string(),
        });
        Ok((schema, watermark))
    }

    /// The watermark of a stream, ready to evaluate.
    pub fn plan_watermark(&self, stream: &StreamDef) -> Result<Option<WatermarkPlan>, PlanError> {
        match &stream.watermark {
            None => Ok(None),
            Some(def) => self.plan_watermark_on(&stream.name, &stream.schema, def).map(Some),
        }
    }

    fn plan_watermark_on(
        &self,
        stream: &str,
        schema: &SchemaRef,
        def: &WatermarkDef,
    ) -> Result<WatermarkPlan, PlanError> {
        let column_index = schema
            .index_of(&def.column)
            .map_err(|_| PlanError::UnknownColumn { stream: stream.to_string(), column: def.column.clone() })?;
        let column_type = schema.field(column_index).data_type();
        if !matches!(column_type, DataType::Timestamp(..)) {
            return Err(PlanError::TypeMismatch {
                stream: stream.to_string(),
                column: def.column.clone(),
                actual: column_type.to_string(),
                expected: "a WATERMARK column must be TIMESTAMP".into(),
            });
        }
        let dialect = PostgreSqlDialect {};
        let mut sql_expr = Parser::new(&dialect).try_with_sql(&def.expr)?.parse_expr()?;
        eddy_pg::types::postgres_forms(&mut sql_expr);
        let df_schema = DFSchema::try_from(schema.as_ref().clone())?;
        let catalog = Catalog::new();
        let context = CatalogContext::new(&self.state, &catalog, HashMap::new());
        let expr = SqlToRel::new(&context).sql_to_expr(sql_expr, &df_schema, &mut PlannerContext::new())?;
        let physical = self.state.create_physical_expr(expr, &df_schema)?;
        let result_type = physical.data_type(schema)?;
        if !matches!(result_type, DataType::Timestamp(..)) {
            return Err(PlanError::TypeMismatch {
                stream: stream.to_string(),
                column: def.column.clone(),
                actual: result_type.to_string(),
                expected: format!("the WATERMARK expression {} must give a TIMESTAMP", def.expr),
            });
        }
        if watermark_runs_ahead(schema, column_index, &physical)? {
            return Err(PlanError::NegativeWatermarkDelay { stream: stream.to_string(), expr: def.expr.clone() });
        }
        Ok(WatermarkPlan { column: def.column.clone(), column_index, text: def.expr.clone(), expr: physical })
    }

    /// Plans the `SELECT` of a continuous query into a streaming plan.
    pub fn plan_query(&self, query: &Query, catalog: &Catalog) -> Result<PlannedQuery, PlanError> {
        let mut query = query.clone();
        eddy_pg::types::postgres_forms(&mut query);
        eddy_pg::column_names::alias_select_items(&mut query)
            .map_err(|column| PlanError::DuplicateColumn { column })?;
        let probe = CatalogContext::new(&self.state, catalog, HashMap::new());
        let windows = rewrite_window_calls(&mut query, catalog, &probe)?;
        let extra = windows.iter().map(|w| (w.table_name.clone(), w.schema.clone())).collect();
        let context = CatalogContext::new(&self.state, catalog, extra);
        let logical = SqlToRel::new(&context).sql_statement_to_plan(Statement::Query(Box::new(query)));
        let logical = match logical {
            Ok(plan) => plan,
            Err(e) => {
                if let Some(name) = context.missing.borrow_mut().take() {
                    return Err(eddy_catalog::CatalogError::UnknownObject { name }.into());
                }
                return Err(e.into());
            }
        };
        let logical = self.state.analyzer().execute_and_check(logical, self.state.config_options(), |_, _| {})?;
        // Only expressions are rewritten (e.g. `coalesce` into `CASE`, which
        // physical planning requires); the plan's shape stays as written.
        let simplify = Optimizer::with_rules(vec![Arc::new(SimplifyExpressions::new())]);
        let logical = simplify.optimize(logical, &self.state, |_, _| {})?;
        let lowering = Lowering { planner: self, catalog, windows: &windows };
        let lowered = lowering.lower(&logical)?;
        let lowered = lowering.finish_pending(lowered)?;
        let source_def = lowered.source;
        let watermark = self.plan_watermark(&source_def)?;
        let reads = BTreeSet::from([source_def.name.clone()]);
        let plan = StreamingPlan {
            source: SourcePlan { stream: source_def, watermark, drop_late: lowered.windowed },
            stages: lowered.stages,
            output_schema: logical.schema().inner().clone(),
            kind: lowered.kind,
        };
        Ok(PlannedQuery { plan, reads })
    }
}

/// Whether a watermark expression gives a time after the row's own event
/// time (a negative delay, `ts + INTERVAL '5 seconds'`): every row would
/// then be late. Checked on one row at 2024-01-01.
fn watermark_runs_ahead(
    schema: &SchemaRef,
    column_index: usize,
    expr: &Arc<dyn datafusion::physical_plan::PhysicalExpr>,
) -> Result<bool, PlanError> {
    use arrow::array::{new_null_array, Array};
    let time = arrow::datatypes::DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, None);
    let at: arrow::array::ArrayRef =
        Arc::new(arrow::array::TimestampMicrosecondArray::from(vec![1_704_067_200_000_000]));
    let columns: Vec<arrow::array::ArrayRef> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if i == column_index {
                arrow::compute::cast(&at, f.data_type())
            } else {
                Ok(new_null_array(f.data_type(), 1))
            }
        })
        .collect::<Result<_, arrow::error::ArrowError>>()
        .map_err(|e| PlanError::DataFusion(e.into()))?;
    // The other columns are NULL in the probe row, so every column may be.
    let nullable: Vec<arrow::datatypes::Field> =
        schema.fields().iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
    let batch = arrow::record_batch::RecordBatch::try_new(Arc::new(arrow::datatypes::Schema::new(nullable)), columns)
        .map_err(|e| PlanError::DataFusion(e.into()))?;
    let Ok(value) = expr.evaluate(&batch).and_then(|v| v.into_array(1)) else { return Ok(false) };
    let (Ok(event), Ok(watermark)) =
        (arrow::compute::cast(batch.column(column_index), &time), arrow::compute::cast(&value, &time))
    else {
        return Ok(false);
    };
    let (event, watermark) = (
        event.as_any().downcast_ref::<arrow::array::TimestampMicrosecondArray>(),
        watermark.as_any().downcast_ref::<arrow::array::TimestampMicrosecondArray>(),
    );
    Ok(matches!((event, watermark), (Some(e), Some(w)) if w.is_valid(0) && w.value(0) > e.value(0)))
}

/// A window call whose operator is not placed yet: an aggregate right above
/// it absorbs it; anything else makes it a `WindowAssign` stage.
#[derive(Debug, Clone)]
struct PendingWindow {
    table: WindowTable,
}

#[derive(Debug)]
struct Lowered {
    source: StreamDef,
    stages: Vec<Stage>,
    pending: Option<PendingWindow>,
    kind: OutputKind,
    aggregated: bool,
    windowed: bool,
}

struct Lowering<'a> {
    planner: &'a StreamPlanner,
    catalog: &'a Catalog,
    windows: &'a [WindowTable],
}

impl Lowering<'_> {
    fn lower(&self, plan: &LogicalPlan) -> Result<Lowered, PlanError> {
        let props = self.planner.state.execution_props();
        let planning = PhysicalPlanningContext::default();
        match plan {
            LogicalPlan::TableScan(scan) => {
                let name = scan.table_name.table();
                if let Some(window) = self.windows.iter().find(|w| w.table_name == name) {
                    return Ok(Lowered {
                        source: window.stream.clone(),
                        stages: vec![],
                        pending: Some(PendingWindow { table: window.clone() }),
                        kind: OutputKind::Append,
                        aggregated: false,
                        windowed: false,
                    });
                }
                let stream = match self.catalog.stream(name) {
                    Ok(stream) => stream.clone(),
                    Err(_) => {
                        return Err(PlanError::unsupported_with_hint(
                            format!("reading the materialized view \"{name}\" from a continuous query"),
                            "continuous queries read streams; query views with SELECT",
                        ))
                    }
                };
                if stream.query.is_some() {
                    return Err(PlanError::unsupported_with_hint(
                        format!("reading the derived stream \"{name}\" from a continuous query"),
                        "read the source stream it is defined on instead",
                    ));
                }
                let mut stages = vec![];
                if let Some(projection) = &scan.projection {
                    let exprs = projection
                        .iter()
                        .map(|&i| {
                            let field = stream.schema.field(i);
                            Arc::new(datafusion::physical_expr::expressions::Column::new(field.name(), i))
                                as Arc<dyn datafusion::physical_plan::PhysicalExpr>
                        })
                        .collect();
                    stages.push(Stage::Project { exprs, schema: scan.projected_schema.inner().clone() });
                }
                Ok(Lowered {
                    source: stream,
                    stages,
                    pending: None,
                    kind: OutputKind::Append,
                    aggregated: false,
                    windowed: false,
                })
            }
            LogicalPlan::SubqueryAlias(alias) => self.lower(&alias.input),
            LogicalPlan::Filter(filter) => {
                reject_subqueries(&filter.predicate)?;
                let mut lowered = self.lower(&filter.input)?;
                if let Some(pending) = &lowered.pending {
                    if references_window_columns(&filter.predicate, filter.input.schema(), &pending.table) {
                        lowered = self.finish_pending(lowered)?;
                    }
                }
                let predicate = create_physical_expr(&filter.predicate, filter.input.schema(), props, &planning)?;
                lowered.stages.push(Stage::Filter { predicate });
                Ok(lowered)
            }
            LogicalPlan::Projection(projection) => {
                for e in &projection.expr {
                    reject_subqueries(e)?;
                }
                let lowered = self.lower(&projection.input)?;
                let mut lowered = self.finish_pending(lowered)?;
                let exprs = projection
                    .expr
                    .iter()
                    .map(|e| create_physical_expr(e, projection.input.schema(), props, &planning))
                    .collect::<Result<Vec<_>, _>>()?;
                lowered.stages.push(Stage::Project { exprs, schema: projection.schema.inner().clone() });
                Ok(lowered)
            }
            LogicalPlan::Aggregate(aggregate) => {
                let mut lowered = self.lower(&aggregate.input)?;
                if lowered.aggregated {
                    return Err(PlanError::unsupported("an aggregate over the result of another aggregate"));
                }
                let input_schema = aggregate.input.schema();
                let physical_input = input_schema.inner().clone();
                let mut aggregates = Vec::new();
                for e in &aggregate.aggr_expr {
                    reject_subqueries(e)?;
                    let lowered_aggregate =
                        LoweredAggregateBuilder::new(e, input_schema, &physical_input, props, &planning).build()?;
                    let (expr, filter) = (lowered_aggregate.aggregate, lowered_aggregate.filter);
                    // WITHIN GROUP (ORDER BY x) of approx_percentile_cont is an
                    // argument, not an input order; only a hard requirement needs sorting.
                    let within_group = expr.fun().supports_within_group_clause();
                    // A windowed aggregate's ordered accumulators sort what
                    // they hold (array_agg(x ORDER BY y)); a running
                    // aggregate re-merges its state after every batch, which
                    // loses them (found by the differential test: NULL).
                    let running = lowered.pending.is_none();
                    if !lowered_aggregate.order_bys.is_empty()
                        && !within_group
                        && (running || expr.order_sensitivity().hard_requires())
                    {
                        return Err(PlanError::unsupported(format!("ORDER BY inside the aggregate {}", expr.name())));
                    }
                    aggregates.push(AggregatePlan { expr, filter });
                }
                let schema = aggregate.schema.inner().clone();
                let mut group = Vec::new();
                let mut has_window_column = false;
                for e in &aggregate.group_expr {
                    if matches!(e, Expr::GroupingSet(_)) {
                        return Err(PlanError::unsupported("GROUPING SETS, CUBE and ROLLUP"));
                    }
                    reject_subqueries(e)?;
                    let window_column = match (&lowered.pending, e) {
                        (Some(pending), Expr::Column(c)) => {
                            let index = input_schema.index_of_column(c)?;
                            let stream_width = pending.table.stream.schema.fields().len();
                            (index >= stream_width).then(|| index - stream_width)
                        }
                        _ => None,
                    };
                    match window_column {
                        Some(0) => {
                            has_window_column = true;
                            group.push(GroupColumn::WindowStart)
                        }
                        Some(_) => {
                            has_window_column = true;
                            group.push(GroupColumn::WindowEnd)
                        }
                        None => {
                            if let Some(pending) = &lowered.pending {
                                if references_window_columns(e, input_schema, &pending.table) {
                                    return Err(PlanError::unsupported(format!(
                                        "grouping by an expression over window_start/window_end ({e})"
                                    )));
                                }
                            }
                            group.push(GroupColumn::Key(create_physical_expr(e, input_schema, props, &planning)?))
                        }
                    }
                }
                for a in &aggregates {
                    if let Some(pending) = &lowered.pending {
                        let refs_window = a.expr.expressions().iter().chain(a.filter.iter()).any(|p| {
                            datafusion::physical_expr::utils::collect_columns(p)
                                .iter()
                                .any(|c| c.index() >= pending.table.stream.schema.fields().len())
                        });
                        if refs_window {
                            return Err(PlanError::unsupported(format!(
                                "aggregating window_start/window_end ({})",
                                a.expr.name()
                            )));
                        }
                    }
                }
                match lowered.pending.take() {
                    Some(pending) => {
                        if !has_window_column {
                            return Err(PlanError::unsupported_with_hint(
                                format!(
                                    "an aggregate over {} without window_start or window_end in GROUP BY",
                                    pending.table.spec.function_name()
                                ),
                                "add window_start, window_end to GROUP BY",
                            ));
                        }
                        lowered.stages.push(Stage::WindowAggregate {
                            window: pending.table.spec,
                            time_index: pending.table.time_index,
                            group,
                            aggregates,
                            schema,
                        });
                        lowered.windowed = true;
                    }
                    None => {
                        let keys = group
                            .into_iter()
                            .map(|g| match g {
                                GroupColumn::Key(e) => e,
                                _ => unreachable!("window columns need a pending window"),
                            })
                            .collect();
                        lowered.stages.push(Stage::UpdatingAggregate { keys, aggregates, schema });
                        lowered.kind = OutputKind::Updating;
                    }
                }
                lowered.aggregated = true;
                Ok(lowered)
            }
            other => Err(unsupported_node(other)),
        }
    }

    /// Places a pending window call as a `WindowAssign` stage.
    fn finish_pending(&self, mut lowered: Lowered) -> Result<Lowered, PlanError> {
        if let Some(pending) = lowered.pending.take() {
            if let eddy_common::WindowSpec::Session { .. } = pending.table.spec {
                return Err(PlanError::unsupported_with_hint(
                    "SESSION without an aggregate grouped by window_start and window_end",
                    "sessions are formed per group key: GROUP BY key, window_start, window_end",
                ));
            }
            lowered.stages.push(Stage::WindowAssign {
                window: pending.table.spec,
                time_index: pending.table.time_index,
                schema: pending.table.schema.clone(),
            });
        }
        Ok(lowered)
    }
}

fn reject_subqueries(expr: &Expr) -> Result<(), PlanError> {
    let has_subquery = expr
        .exists(|e| Ok(matches!(e, Expr::ScalarSubquery(_) | Expr::InSubquery(_) | Expr::Exists(_))))
        .unwrap_or(false);
    if has_subquery {
        return Err(PlanError::unsupported("subqueries in expressions"));
    }
    let has_window_function = expr.exists(|e| Ok(matches!(e, Expr::WindowFunction(_)))).unwrap_or(false);
    if has_window_function {
        return Err(PlanError::unsupported("window functions (OVER)"));
    }
    Ok(())
}

fn references_window_columns(expr: &Expr, schema: &DFSchemaRef, table: &WindowTable) -> bool {
    let width = table.stream.schema.fields().len();
    expr.column_refs().iter().any(|c| schema.index_of_column(c).map(|i| i >= width).unwrap_or(false))
}

fn unsupported_node(plan: &LogicalPlan) -> PlanError {
    match plan {
        LogicalPlan::Join(_) => PlanError::unsupported("JOIN"),
        LogicalPlan::Sort(_) => PlanError::unsupported_with_hint(
            "ORDER BY",
            "a stream has no end to sort by; ORDER BY in a SELECT over the materialized view instead",
        ),
        LogicalPlan::Limit(_) => PlanError::unsupported("LIMIT"),
        LogicalPlan::Window(_) => PlanError::unsupported("window functions (OVER)"),
        LogicalPlan::Union(_) => PlanError::unsupported("UNION"),
        LogicalPlan::Distinct(_) => PlanError::unsupported_with_hint("SELECT DISTINCT", "use GROUP BY instead"),
        LogicalPlan::Values(_) | LogicalPlan::EmptyRelation(_) => {
            PlanError::unsupported_with_hint("a query that reads no stream", "add FROM stream")
        }
        LogicalPlan::Unnest(_) => PlanError::unsupported("UNNEST"),
        LogicalPlan::RecursiveQuery(_) => PlanError::unsupported("recursive queries"),
        LogicalPlan::Subquery(_) => PlanError::unsupported("subqueries"),
        other => PlanError::unsupported(format!("the plan node {}", other.display())),
    }
}

#[cfg(test)]
mod tests {
    use eddy_catalog::{CatalogEntry, ConnectorOptions};
    use eddy_common::{sqlstate, Classify};

    use super::*;
    use crate::{parse_statements, EddyStatement};

    fn catalog(planner: &StreamPlanner) -> Catalog {
        let mut catalog = Catalog::new();
        for sql in [
            "CREATE STREAM bids (auction BIGINT, price BIGINT, url TEXT, date_time TIMESTAMP, \
             WATERMARK FOR date_time AS date_time - INTERVAL '2 seconds') WITH (connector = 'x')",
            "CREATE STREAM plain (auction BIGINT, date_time TIMESTAMP) WITH (connector = 'x')",
        ] {
            let EddyStatement::CreateStream(stmt) = parse_statements(sql).unwrap().remove(0) else { panic!() };
            let (schema, watermark) = planner.plan_stream_columns(&stmt, &catalog).unwrap();
            let def = StreamDef {
                name: stmt.name.clone(),
                schema,
                watermark,
                connector: ConnectorOptions::default(),
                query: None,
                sql: sql.to_string(),
            };
            planner.plan_watermark(&def).unwrap();
            catalog.insert(CatalogEntry::Stream(def), BTreeSet::new()).unwrap();
        }
        catalog
    }

    fn plan(sql: &str) -> Result<StreamingPlan, PlanError> {
        let planner = StreamPlanner::new();
        let catalog = catalog(&planner);
        let EddyStatement::Sql(statement) = parse_statements(sql).unwrap().remove(0) else { panic!() };
        let Statement::Query(query) = *statement else { panic!() };
        planner.plan_query(&query, &catalog).map(|p| p.plan)
    }

    #[test]
    fn a_tumbling_aggregate_becomes_one_window_aggregate_stage() {
        let plan = plan(
            "SELECT auction, window_start, window_end, count(*) AS bids, max(price) AS top \
             FROM TUMBLE(bids, date_time, INTERVAL '10 seconds') WHERE price > 10 \
             GROUP BY auction, window_start, window_end HAVING count(*) > 1",
        )
        .unwrap();
        let names: Vec<&str> = plan.stages.iter().map(|s| s.name()).collect();
        assert_eq!(names, vec!["Filter", "WindowAggregate", "Filter", "Project"]);
        assert!(plan.source.drop_late);
        assert_eq!(plan.kind, OutputKind::Append);
        let text = plan.to_string();
        assert!(text.contains("TUMBLE(size=10000ms)"), "{text}");
        let fields: Vec<&String> = plan.output_schema.fields().iter().map(|f| f.name()).collect();
        assert_eq!(fields, vec!["auction", "window_start", "window_end", "bids", "top"]);
    }

    #[test]
    fn a_group_by_without_window_is_an_updating_aggregate_that_keeps_late_rows() {
        let plan = plan("SELECT url, sum(price) FROM bids GROUP BY url").unwrap();
        assert_eq!(plan.kind, OutputKind::Updating);
        assert!(!plan.source.drop_late);
    }

    #[test]
    fn a_window_over_a_stream_without_watermark_is_refused() {
        let err = plan(
            "SELECT window_start, count(*) FROM TUMBLE(plain, date_time, INTERVAL '1' SECOND) GROUP BY window_start",
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "window over \"plain\" needs a watermark");
        assert_eq!(err.class().sqlstate, sqlstate::INVALID_OBJECT_DEFINITION);
    }

    #[test]
    fn unsupported_shapes_fail_with_0a000_naming_the_construct() {
        for (sql, construct) in [
            ("SELECT * FROM bids a JOIN plain b ON a.auction = b.auction", "JOIN"),
            ("SELECT * FROM bids ORDER BY price", "ORDER BY"),
            ("SELECT * FROM bids LIMIT 3", "LIMIT"),
            ("SELECT DISTINCT url FROM bids", "SELECT DISTINCT"),
            ("SELECT price, row_number() OVER (ORDER BY price) FROM bids", "window functions (OVER)"),
            ("SELECT url FROM bids UNION ALL SELECT url FROM bids", "UNION"),
        ] {
            let err = plan(sql).unwrap_err();
            assert_eq!(err.class().sqlstate, sqlstate::FEATURE_NOT_SUPPORTED, "{sql}: {err}");
            assert!(err.to_string().starts_with(construct), "{sql}: {err}");
        }
    }

    #[test]
    fn unknown_objects_and_columns_are_named() {
        let err = plan("SELECT * FROM nosuch").unwrap_err();
        assert_eq!(err.to_string(), "\"nosuch\" does not exist");
        assert_eq!(err.class().sqlstate, sqlstate::UNDEFINED_TABLE);
        let err = plan("SELECT nosuch FROM bids").unwrap_err();
        assert_eq!(err.class().sqlstate, sqlstate::UNDEFINED_COLUMN, "{err}");
    }

    #[test]
    fn window_arguments_are_checked() {
        let err = plan("SELECT window_start, count(*) FROM HOP(bids, date_time, INTERVAL '3 seconds', INTERVAL '10 seconds') GROUP BY window_start").unwrap_err();
        assert!(err.to_string().contains("multiple of the slide"), "{err}");
        let err =
            plan("SELECT window_start, count(*) FROM TUMBLE(bids, price, INTERVAL '1 second') GROUP BY window_start")
                .unwrap_err();
        assert_eq!(err.class().sqlstate, sqlstate::DATATYPE_MISMATCH, "{err}");
        let err = plan("SELECT window_start, count(*) FROM TUMBLE(bids, date_time) GROUP BY window_start").unwrap_err();
        assert!(err.to_string().contains("TUMBLE(stream, time_column, size)"), "{err}");
    }

    #[test]
    fn hop_without_aggregate_assigns_windows_to_rows() {
        let plan = plan("SELECT url, window_start FROM HOP(bids, date_time, INTERVAL '1 second', INTERVAL '2 seconds') WHERE price > 1").unwrap();
        let names: Vec<&str> = plan.stages.iter().map(|s| s.name()).collect();
        assert_eq!(names, vec!["Filter", "WindowAssign", "Project"]);
        assert!(!plan.source.drop_late);
    }
}
