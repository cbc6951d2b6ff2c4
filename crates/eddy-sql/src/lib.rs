//! Eddy SQL: from statement text to streaming plans.
//!
//! [`parse_statements`] turns text into [`EddyStatement`]s (Eddy's DDL on top
//! of sqlparser). [`StreamPlanner`] plans the `SELECT` of a continuous query
//! with DataFusion over the catalog, then lowers DataFusion's logical plan into
//! a [`StreamingPlan`]: a source, a watermark, and a chain of stages the
//! runtime turns into operators.

mod context;
mod error;
mod flink_windows;
mod parser;
mod plan;
mod planner;
mod statement;
pub mod template;
mod window_tvf;

pub use error::PlanError;
pub use parser::parse_statements;
pub use plan::{AggregatePlan, GroupColumn, OutputKind, SourcePlan, Stage, StreamingPlan, WatermarkPlan};
pub use planner::{PlannedQuery, StreamPlanner, DATABASE};
pub use statement::{
    function_name, normalize_ident, normalize_name, CreateMaterializedView, CreateSink, CreateStream, EddyStatement,
    IncludeClause, ShowObjects, WatermarkClause,
};
