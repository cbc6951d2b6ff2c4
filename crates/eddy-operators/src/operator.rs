//! The operator contract.

use arrow::array::BooleanArray;
use arrow::record_batch::RecordBatch;
use eddy_common::{StreamMessage, Watermark};

use crate::error::Result;

/// Collects what an operator produces while handling one message.
#[derive(Debug, Default)]
pub struct Emitter {
    messages: Vec<StreamMessage>,
}

impl Emitter {
    pub fn new() -> Self {
        Emitter::default()
    }

    /// Emits rows; empty batches are dropped.
    pub fn batch(&mut self, batch: RecordBatch) {
        if batch.num_rows() > 0 {
            self.messages.push(StreamMessage::Batch(batch));
        }
    }

    pub fn snapshot(&mut self, batch: RecordBatch, changed: BooleanArray) {
        self.messages.push(StreamMessage::Snapshot { batch, changed });
    }

    /// Emits a message as it is (what a wrapping operator passes on).
    pub fn push(&mut self, message: StreamMessage) {
        self.messages.push(message);
    }

    pub fn watermark(&mut self, watermark: Watermark) {
        self.messages.push(StreamMessage::Watermark(watermark));
    }

    /// Takes everything emitted so far.
    pub fn drain(&mut self) -> std::vec::Drain<'_, StreamMessage> {
        self.messages.drain(..)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

/// One step of a pipeline. Synchronous and free of I/O.
///
/// Contract: `on_watermark` is called with watermarks that never move
/// backwards; an operator forwards (possibly held back) watermarks after the
/// rows they close. `Watermark::MAX` means the input ended: everything open
/// must be emitted.
pub trait Operator: Send {
    fn name(&self) -> &'static str;

    /// The query starts: emit what the result holds before any input (a
    /// global aggregate's one row: `count(*)` is 0 over no rows).
    fn on_start(&mut self, out: &mut Emitter) -> Result<()> {
        let _ = out;
        Ok(())
    }

    /// Appended input rows.
    fn on_batch(&mut self, batch: RecordBatch, out: &mut Emitter) -> Result<()>;

    /// A full result of an updating query upstream (see `StreamMessage::Snapshot`).
    fn on_snapshot(&mut self, batch: RecordBatch, changed: BooleanArray, out: &mut Emitter) -> Result<()> {
        let _ = (batch, changed, out);
        Err(crate::OperatorError::Unexpected { operator: self.name(), what: "updating input" })
    }

    /// Event time advanced to `watermark`.
    fn on_watermark(&mut self, watermark: Watermark, out: &mut Emitter) -> Result<()> {
        out.watermark(watermark);
        Ok(())
    }
}
