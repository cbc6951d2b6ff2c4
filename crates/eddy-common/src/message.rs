//! What flows between pipeline stages.

use arrow::array::BooleanArray;
use arrow::record_batch::RecordBatch;

use crate::Watermark;

/// One message on a channel between two stages of a running query.
#[derive(Debug, Clone)]
pub enum StreamMessage {
    /// Appended rows.
    Batch(RecordBatch),
    /// The complete current result of an updating query; `changed` marks the
    /// rows that differ from the previous snapshot (what a sink must write).
    Snapshot { batch: RecordBatch, changed: BooleanArray },
    /// Event time progressed: no more rows below it will arrive.
    Watermark(Watermark),
    /// Everything read before this barrier has passed this stage. Used by
    /// `FLUSH` on unbounded sources (and, later, checkpoints).
    Barrier(u64),
    /// The input ended (bounded source). No message follows.
    End,
}
