//! Shared vocabulary of Eddy, used by every stage of the dataflow.
//!
//! Nothing here does work on its own: it names things the other crates pass to
//! each other — how an error is classified ([`ErrorClass`]), event time and
//! watermarks ([`EventTime`], [`Watermark`]), the messages that flow between
//! pipeline stages ([`StreamMessage`]) and the counters every query keeps
//! ([`QueryMetrics`]).

mod datafusion_error;
mod error;
mod message;
mod metrics;
mod time;
mod window;

pub use datafusion_error::sql_type_names;
pub use error::{sqlstate, Classify, ErrorClass, ErrorKind, SqlError};

/// The message of a DataFusion error in PostgreSQL's words (see [`ErrorClass::of_datafusion`]).
pub fn datafusion_message(err: &datafusion::error::DataFusionError) -> String {
    datafusion_error::translate(err).1
}
pub use message::StreamMessage;
pub use metrics::{QueryMetrics, QueryMetricsSnapshot};
pub use time::{duration_from_interval, format_timestamp_ms, timestamp_column_to_ms, EventTime, Watermark};
pub use window::WindowSpec;
