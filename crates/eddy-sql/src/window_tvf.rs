//! Window table functions in `FROM`: `TUMBLE`, `HOP`, `SESSION`, `CUMULATE`.
//!
//! Before DataFusion sees a query, each call is replaced by a reference to a
//! synthetic table (`__window_N`) whose schema is the stream's plus
//! `window_start` and `window_end`. DataFusion then plans the query normally;
//! the lowering recognises the synthetic tables and turns them into window
//! operators.

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::DFSchema;
use datafusion::logical_expr::Expr as DfExpr;
use datafusion::sql::planner::{PlannerContext, SqlToRel};
use eddy_catalog::{Catalog, StreamDef};
use eddy_common::{duration_from_interval, WindowSpec};
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, Ident, ObjectName, ObjectNamePart, Query, SetExpr, TableFactor, TableWithJoins,
};

use crate::context::CatalogContext;
use crate::statement::{normalize_ident, normalize_name};
use crate::PlanError;

/// One window call found in a query.
#[derive(Debug, Clone)]
pub(crate) struct WindowTable {
    pub table_name: String,
    pub stream: StreamDef,
    pub time_index: usize,
    pub spec: WindowSpec,
    pub schema: SchemaRef,
}

/// Replaces window calls in `query` (including nested subqueries in `FROM`)
/// by synthetic table references; returns what each one stands for.
pub(crate) fn rewrite_window_calls(
    query: &mut Query,
    catalog: &Catalog,
    context: &CatalogContext<'_>,
) -> Result<Vec<WindowTable>, PlanError> {
    let mut found = Vec::new();
    rewrite_query(query, catalog, context, &mut found)?;
    Ok(found)
}

fn rewrite_query(
    query: &mut Query,
    catalog: &Catalog,
    context: &CatalogContext<'_>,
    found: &mut Vec<WindowTable>,
) -> Result<(), PlanError> {
    if let Some(with) = &mut query.with {
        for cte in &mut with.cte_tables {
            rewrite_query(&mut cte.query, catalog, context, found)?;
        }
    }
    rewrite_set_expr(&mut query.body, catalog, context, found)
}

fn rewrite_set_expr(
    body: &mut SetExpr,
    catalog: &Catalog,
    context: &CatalogContext<'_>,
    found: &mut Vec<WindowTable>,
) -> Result<(), PlanError> {
    match body {
        SetExpr::Select(select) => {
            for twj in &mut select.from {
                rewrite_table_with_joins(twj, catalog, context, found)?;
            }
            Ok(())
        }
        SetExpr::Query(q) => rewrite_query(q, catalog, context, found),
        SetExpr::SetOperation { left, right, .. } => {
            rewrite_set_expr(left, catalog, context, found)?;
            rewrite_set_expr(right, catalog, context, found)
        }
        _ => Ok(()),
    }
}

fn rewrite_table_with_joins(
    twj: &mut TableWithJoins,
    catalog: &Catalog,
    context: &CatalogContext<'_>,
    found: &mut Vec<WindowTable>,
) -> Result<(), PlanError> {
    rewrite_factor(&mut twj.relation, catalog, context, found)?;
    for join in &mut twj.joins {
        rewrite_factor(&mut join.relation, catalog, context, found)?;
    }
    Ok(())
}

fn rewrite_factor(
    factor: &mut TableFactor,
    catalog: &Catalog,
    context: &CatalogContext<'_>,
    found: &mut Vec<WindowTable>,
) -> Result<(), PlanError> {
    match factor {
        TableFactor::Derived { subquery, .. } => rewrite_query(subquery, catalog, context, found),
        TableFactor::Table { name, alias, args: Some(args), .. } => {
            let function = normalize_name(name).to_uppercase();
            if !matches!(function.as_str(), "TUMBLE" | "HOP" | "SESSION" | "CUMULATE") {
                return Ok(());
            }
            let exprs = args
                .args
                .iter()
                .map(|arg| match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Ok(e.clone()),
                    other => Err(PlanError::InvalidWindow {
                        function: function.clone(),
                        reason: format!("unexpected argument {other}"),
                    }),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let table = plan_window_call(&function, &exprs, catalog, context, found.len())?;
            let table_name = table.table_name.clone();
            // Unaliased, the window's rows are named after the stream, so
            // `bid.auction` works in `FROM TUMBLE(bid, ...)` (RisingWave's q5).
            let alias = alias.take().or_else(|| {
                Some(sqlparser::ast::TableAlias {
                    explicit: false,
                    name: Ident::with_quote('"', table.stream.name.clone()),
                    columns: Vec::new(),
                    at: None,
                })
            });
            *factor = TableFactor::Table {
                name: ObjectName(vec![ObjectNamePart::Identifier(Ident::new(table_name))]),
                alias,
                args: None,
                with_hints: vec![],
                version: None,
                with_ordinality: false,
                partitions: vec![],
                json_path: None,
                sample: None,
                index_hints: vec![],
            };
            found.push(table);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn identifier(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Identifier(ident) => Some(normalize_ident(ident)),
        Expr::CompoundIdentifier(parts) => Some(parts.iter().map(normalize_ident).collect::<Vec<_>>().join(".")),
        _ => None,
    }
}

fn plan_window_call(
    function: &str,
    args: &[Expr],
    catalog: &Catalog,
    context: &CatalogContext<'_>,
    ordinal: usize,
) -> Result<WindowTable, PlanError> {
    let invalid = |reason: String| PlanError::InvalidWindow { function: function.to_string(), reason };
    let expected_sizes = match function {
        "TUMBLE" => "TUMBLE(stream, time_column, size)",
        "HOP" => "HOP(stream, time_column, slide, size)",
        "SESSION" => "SESSION(stream, time_column, gap)",
        _ => "CUMULATE(stream, time_column, step, max_size)",
    };
    let expected_len = expected_sizes.matches(',').count() + 1;
    if args.len() != expected_len {
        return Err(invalid(format!("expected {expected_sizes}, found {} arguments", args.len())));
    }
    let stream_name = identifier(&args[0]).ok_or_else(|| invalid("the first argument must name a stream".into()))?;
    let stream = catalog.stream(&stream_name)?.clone();
    if stream.query.is_some() {
        return Err(PlanError::unsupported_with_hint(
            format!("a window over the derived stream \"{stream_name}\""),
            "windows read source streams (declared WITH (connector = ...)) for now",
        ));
    }
    let column = identifier(&args[1]).ok_or_else(|| invalid("the second argument must name the time column".into()))?;
    let time_index = stream
        .schema
        .index_of(&column)
        .map_err(|_| PlanError::UnknownColumn { stream: stream_name.clone(), column: column.clone() })?;
    let time_type = stream.schema.field(time_index).data_type().clone();
    if !matches!(time_type, DataType::Timestamp(..)) {
        return Err(PlanError::TypeMismatch {
            stream: stream_name,
            column,
            actual: time_type.to_string(),
            expected: "window time columns must be TIMESTAMP".into(),
        });
    }
    match &stream.watermark {
        None => return Err(PlanError::MissingWatermark { stream: stream_name }),
        Some(w) if w.column != column => {
            return Err(PlanError::WrongTimeColumn { stream: stream_name, column, watermark_column: w.column.clone() })
        }
        Some(_) => {}
    }
    let mut durations = Vec::new();
    for arg in &args[2..] {
        durations.push(interval_millis(arg, context).map_err(invalid)?);
    }
    let spec = match (function, durations.as_slice()) {
        ("TUMBLE", [size]) => WindowSpec::Tumble { size: *size },
        ("HOP", [slide, size]) => {
            if size % slide != 0 {
                return Err(invalid("the size must be a multiple of the slide".into()));
            }
            WindowSpec::Hop { slide: *slide, size: *size }
        }
        ("SESSION", [gap]) => WindowSpec::Session { gap: *gap },
        (_, [step, max_size]) => {
            if max_size % step != 0 {
                return Err(invalid("the max size must be a multiple of the step".into()));
            }
            WindowSpec::Cumulate { step: *step, max_size: *max_size }
        }
        _ => unreachable!("argument count checked above"),
    };
    let mut fields: Vec<Field> = stream.schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    for name in ["window_start", "window_end"] {
        if stream.schema.index_of(name).is_ok() {
            return Err(invalid(format!("stream \"{}\" already has a column named {name}", stream.name)));
        }
        fields.push(Field::new(name, time_type.clone(), false));
    }
    Ok(WindowTable {
        table_name: format!("__window_{ordinal}"),
        stream,
        time_index,
        spec,
        schema: Arc::new(Schema::new(fields)),
    })
}

/// Evaluates a constant `INTERVAL` argument to milliseconds (must be > 0).
fn interval_millis(expr: &Expr, context: &CatalogContext<'_>) -> Result<i64, String> {
    let planner = SqlToRel::new(context);
    let planned = planner
        .sql_to_expr(expr.clone(), &DFSchema::empty(), &mut PlannerContext::new())
        .map_err(|e| format!("{expr} is not a constant INTERVAL ({})", e.message()))?;
    let DfExpr::Literal(value, _) = planned else {
        return Err(format!("{expr} is not a constant INTERVAL"));
    };
    let millis = duration_from_interval(&value)?;
    if millis <= 0 {
        return Err(format!("{expr} must be positive"));
    }
    Ok(millis)
}
