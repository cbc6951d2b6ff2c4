//! Eddy's streaming operators: synchronous steps over Arrow record batches.
//!
//! Each operator receives batches and watermarks and pushes what it produces
//! into an [`Emitter`]. Operators do no I/O and know nothing of tasks or
//! channels: the runtime owns those, so a test drives an operator by calling
//! its methods directly. Entry point: the [`Operator`] trait.

mod accumulators;
mod error;
mod failing_rows;
mod filter;
mod keys;
mod operator;
mod project;
mod session;
mod updating;
mod watermark;
mod window_aggregate;
mod window_assign;

pub use accumulators::AggregateCall;
pub use error::OperatorError;
pub use failing_rows::DropFailingRows;
pub use filter::FilterOperator;
pub use operator::{Emitter, Operator};
pub use project::ProjectOperator;
pub use session::SessionAggregateOperator;
pub use updating::UpdatingAggregateOperator;
pub use watermark::WatermarkOperator;
pub use window_aggregate::{WindowAggregateOperator, WindowGroupColumn};
pub use window_assign::WindowAssignOperator;
