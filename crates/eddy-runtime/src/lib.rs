//! The engine: executes statements, runs continuous queries, keeps their
//! results queryable.
//!
//! [`Engine::execute`] takes SQL text. DDL changes the catalog and starts or
//! stops queries; each query runs as three tokio tasks — source, operators,
//! output — joined by bounded channels (back-pressure). Outputs go to the
//! query's materialized state ([`view::ViewState`]) and its connector sink.
//! Pull queries run through DataFusion over consistent snapshots of that state.

mod engine;
mod error;
mod pipeline;
pub mod postgres;
mod prepared;
mod result;
mod show;
mod subquery;
mod view;
mod view_schema;

pub use eddy_pg::column_names::postgres_column_names;
/// Values in PostgreSQL's text format (lives in `eddy-pg`).
pub use eddy_pg::text;
pub use engine::{Engine, EngineConfig, QueryReport, WeakEngine};
pub use error::EngineError;
pub use prepared::StatementDescription;
pub use result::{StatementResult, StreamingResult};
