//! Where rows enter and leave Eddy: the [`Source`] and [`Sink`] traits and
//! every connector behind them, listed in one registry ([`registry`]).
//!
//! Sources produce Arrow batches of their declared schema; they decode whole
//! batches at once (arrow-json, arrow-csv) and never allocate per row on the
//! hot path. Bad records follow the stream's `bad_data` policy.

mod bad_data;
mod blackhole;
mod datagen;
mod epoch;
mod error;
mod file;
mod format;
mod kafka;
mod lines;
mod nexmark;
mod options;
mod pacing;
pub mod registry;
mod sink;
mod source;

pub use bad_data::BadDataPolicy;
pub use epoch::EpochUnit;
pub use error::ConnectorError;
pub use format::Format;
pub use registry::{open_sink, open_source, validate_sink, validate_source};
pub use sink::Sink;
pub use source::{Source, SourceContext, SourceEvent};
