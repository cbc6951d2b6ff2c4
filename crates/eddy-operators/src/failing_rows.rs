//! Rows whose expressions raise a data error (`bigint out of range`,
//! `division by zero`, invalid text for a cast), dropped and counted when
//! the stream says `bad_data = 'drop'`.
//!
//! A stateless operator (filter, projection) evaluates whole batches; when a
//! batch fails with a data error (SQLSTATE class 22), the batch is evaluated
//! again row by row and only the failing rows are dropped, each counted in
//! the query's `bad_rows`. Other errors, and every error under
//! `bad_data = 'fail'`, stop the query as before: an error is never turned
//! into a wrapped or guessed value.

use std::sync::Arc;

use arrow::record_batch::RecordBatch;
use eddy_common::{Classify, QueryMetrics, Watermark};

use crate::error::Result;
use crate::{Emitter, Operator};

/// `inner`, dropping the rows it cannot evaluate.
pub struct DropFailingRows {
    inner: Box<dyn Operator>,
    metrics: Arc<QueryMetrics>,
}

impl DropFailingRows {
    /// Wraps a stateless operator (evaluating it again on one row must
    /// give that row's part of the batch's result).
    pub fn new(inner: Box<dyn Operator>, metrics: Arc<QueryMetrics>) -> Self {
        DropFailingRows { inner, metrics }
    }
}

impl Operator for DropFailingRows {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn on_start(&mut self, out: &mut Emitter) -> Result<()> {
        self.inner.on_start(out)
    }

    fn on_batch(&mut self, batch: RecordBatch, out: &mut Emitter) -> Result<()> {
        let mut whole = Emitter::new();
        match self.inner.on_batch(batch.clone(), &mut whole) {
            Ok(()) => {
                for message in whole.drain() {
                    out.push(message);
                }
                Ok(())
            }
            Err(e) if e.class().sqlstate.starts_with("22") => {
                for row in 0..batch.num_rows() {
                    let mut one = Emitter::new();
                    match self.inner.on_batch(batch.slice(row, 1), &mut one) {
                        Ok(()) => {
                            for message in one.drain() {
                                out.push(message);
                            }
                        }
                        Err(e) if e.class().sqlstate.starts_with("22") => self.metrics.add_bad_rows(1),
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn on_snapshot(
        &mut self,
        batch: RecordBatch,
        changed: arrow::array::BooleanArray,
        out: &mut Emitter,
    ) -> Result<()> {
        self.inner.on_snapshot(batch, changed, out)
    }

    fn on_watermark(&mut self, watermark: Watermark, out: &mut Emitter) -> Result<()> {
        self.inner.on_watermark(watermark, out)
    }
}
