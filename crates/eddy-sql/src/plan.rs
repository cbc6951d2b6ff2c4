//! The streaming plan: what a continuous query does, stage by stage.
//!
//! Stages hold DataFusion physical expressions and aggregate expressions, so
//! the runtime only has to wire operators; nothing is re-planned at run time.

use std::fmt;
use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use datafusion::physical_expr::aggregate::AggregateFunctionExpr;
use datafusion::physical_plan::PhysicalExpr;
use eddy_catalog::StreamDef;
use eddy_common::WindowSpec;

/// A continuous query: read one source stream, run the stages in order.
#[derive(Debug, Clone)]
pub struct StreamingPlan {
    pub source: SourcePlan,
    pub stages: Vec<Stage>,
    pub output_schema: SchemaRef,
    pub kind: OutputKind,
}

impl StreamingPlan {
    /// For an updating query, the output columns that hold its group key (in
    /// group order; empty for a global aggregate), when every key column
    /// reaches the output unchanged; `None` for append-only queries or when
    /// a key is computed away.
    pub fn group_key(&self) -> Option<Vec<usize>> {
        let start = self.stages.iter().position(|s| matches!(s, Stage::UpdatingAggregate { .. }))?;
        let Stage::UpdatingAggregate { keys, .. } = &self.stages[start] else { return None };
        // Aggregate output: the keys first, then the aggregates.
        let mut positions: Vec<Option<usize>> = (0..keys.len()).map(Some).collect();
        for stage in &self.stages[start + 1..] {
            if let Stage::Project { exprs, .. } = stage {
                positions = positions
                    .iter()
                    .map(|p| {
                        let p = (*p)?;
                        exprs.iter().position(|e| {
                            e.downcast_ref::<datafusion::physical_expr::expressions::Column>().map(|c| c.index())
                                == Some(p)
                        })
                    })
                    .collect();
            }
        }
        positions.into_iter().collect()
    }
}

/// How the rows of a query's output relate to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// Every row is final (stateless queries, windows emitted once closed).
    Append,
    /// Rows are the current result per group key, replaced as input arrives.
    Updating,
}

/// The stream a query reads and how its watermark is generated.
#[derive(Debug, Clone)]
pub struct SourcePlan {
    pub stream: StreamDef,
    pub watermark: Option<WatermarkPlan>,
    /// Rows behind the watermark are dropped (and counted) at the source,
    /// because a window downstream would already be closed for them.
    pub drop_late: bool,
}

/// `WATERMARK FOR column AS expr`, ready to evaluate on source batches.
#[derive(Debug, Clone)]
pub struct WatermarkPlan {
    pub column: String,
    pub column_index: usize,
    /// The expression as declared, for display.
    pub text: String,
    /// Evaluates to the watermark candidate of each row (a timestamp).
    pub expr: Arc<dyn PhysicalExpr>,
}

/// One group-by column of a windowed aggregate, in the output's order.
#[derive(Debug, Clone)]
pub enum GroupColumn {
    Key(Arc<dyn PhysicalExpr>),
    WindowStart,
    WindowEnd,
}

/// One aggregate call with its optional `FILTER (WHERE ...)`.
#[derive(Debug, Clone)]
pub struct AggregatePlan {
    pub expr: Arc<AggregateFunctionExpr>,
    pub filter: Option<Arc<dyn PhysicalExpr>>,
}

/// One step of a streaming plan. Each stage knows its output schema.
#[derive(Debug, Clone)]
pub enum Stage {
    Filter {
        predicate: Arc<dyn PhysicalExpr>,
    },
    Project {
        exprs: Vec<Arc<dyn PhysicalExpr>>,
        schema: SchemaRef,
    },
    /// A window table function without an aggregate: each row is repeated
    /// once per window it falls in, with `window_start`/`window_end` appended.
    WindowAssign {
        window: WindowSpec,
        time_index: usize,
        schema: SchemaRef,
    },
    /// An aggregate grouped by a window: one row per window and key, emitted
    /// when the watermark passes the window's end.
    WindowAggregate {
        window: WindowSpec,
        time_index: usize,
        group: Vec<GroupColumn>,
        aggregates: Vec<AggregatePlan>,
        schema: SchemaRef,
    },
    /// An aggregate without a window: running results per key.
    UpdatingAggregate {
        keys: Vec<Arc<dyn PhysicalExpr>>,
        aggregates: Vec<AggregatePlan>,
        schema: SchemaRef,
    },
}

impl Stage {
    pub fn name(&self) -> &'static str {
        match self {
            Stage::Filter { .. } => "Filter",
            Stage::Project { .. } => "Project",
            Stage::WindowAssign { .. } => "WindowAssign",
            Stage::WindowAggregate { window: WindowSpec::Session { .. }, .. } => "SessionAggregate",
            Stage::WindowAggregate { .. } => "WindowAggregate",
            Stage::UpdatingAggregate { .. } => "UpdatingAggregate",
        }
    }
}

fn join<T: fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items.into_iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

fn aggregate_names(aggregates: &[AggregatePlan]) -> String {
    join(aggregates.iter().map(|a| match &a.filter {
        Some(f) => format!("{} FILTER ({f})", a.expr.name()),
        None => a.expr.name().to_string(),
    }))
}

impl fmt::Display for StreamingPlan {
    /// One line per stage, output first (like `EXPLAIN` elsewhere).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            OutputKind::Append => "append-only",
            OutputKind::Updating => "updating",
        };
        writeln!(f, "Output: {kind} [{}]", join(self.output_schema.fields().iter().map(|f| f.name())))?;
        for (depth, stage) in self.stages.iter().rev().enumerate() {
            let indent = "  ".repeat(depth + 1);
            write!(f, "{indent}{}: ", stage.name())?;
            match stage {
                Stage::Filter { predicate } => writeln!(f, "{predicate}")?,
                Stage::Project { exprs, schema } => {
                    let items = exprs.iter().zip(schema.fields()).map(|(e, field)| {
                        let shown = e.to_string();
                        let plain = shown.split('@').next().unwrap_or_default();
                        if plain == field.name() {
                            shown
                        } else {
                            format!("{shown} AS {}", field.name())
                        }
                    });
                    writeln!(f, "{}", join(items))?
                }
                Stage::WindowAssign { window, .. } => writeln!(f, "{window}")?,
                Stage::WindowAggregate { window, group, aggregates, .. } => {
                    let keys = join(group.iter().map(|g| match g {
                        GroupColumn::Key(e) => e.to_string(),
                        GroupColumn::WindowStart => "window_start".into(),
                        GroupColumn::WindowEnd => "window_end".into(),
                    }));
                    writeln!(f, "{window} group=[{keys}] aggregates=[{}]", aggregate_names(aggregates))?
                }
                Stage::UpdatingAggregate { keys, aggregates, .. } => {
                    writeln!(f, "group=[{}] aggregates=[{}]", join(keys), aggregate_names(aggregates))?
                }
            }
        }
        let indent = "  ".repeat(self.stages.len() + 1);
        if let Some(w) = &self.source.watermark {
            let late = if self.source.drop_late { ", late rows dropped" } else { "" };
            writeln!(f, "{indent}Watermark: {} AS {}{late}", w.column, w.text)?;
        }
        write!(
            f,
            "{indent}Source: {} (connector '{}')",
            self.source.stream.name, self.source.stream.connector.connector
        )
    }
}
