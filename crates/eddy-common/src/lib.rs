//! Shared vocabulary of Eddy, used by every stage of the dataflow.
//!
//! Nothing here does work on its own: it names things the other crates pass to
//! each other — how an error is classified ([`ErrorClass`]), event time and
//! watermarks ([`EventTime`], [`Watermark`]), the messages that flow between
//! pipeline stages ([`StreamMessage`]) and the counters every query keeps
//! ([`QueryMetrics`]).

mod error;
mod message;
mod metrics;
mod time;
mod window;

pub use error::{sqlstate, Classify, ErrorClass, ErrorKind, SqlError};
pub use message::StreamMessage;
pub use metrics::{QueryMetrics, QueryMetricsSnapshot};
pub use time::{duration_from_interval, format_timestamp_ms, timestamp_column_to_ms, EventTime, Watermark};
pub use window::WindowSpec;
