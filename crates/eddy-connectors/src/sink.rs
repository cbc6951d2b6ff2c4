//! The sink contract.

use arrow::array::BooleanArray;
use arrow::record_batch::RecordBatch;
use async_trait::async_trait;

use crate::ConnectorError;

/// A consumer of result batches. One instance per running query.
#[async_trait]
pub trait Sink: Send {
    /// Writes appended rows. Rows may be buffered until [`Sink::flush`].
    async fn write(&mut self, batch: &RecordBatch) -> Result<(), ConnectorError>;

    /// Writes the new state of an updating query: `batch` is the whole
    /// result, `changed` marks the rows that differ from the last snapshot.
    /// By default only the changed rows are written, as appended rows.
    async fn write_snapshot(&mut self, batch: &RecordBatch, changed: &BooleanArray) -> Result<(), ConnectorError> {
        if changed.true_count() == 0 {
            return Ok(());
        }
        let rows = arrow::compute::filter_record_batch(batch, changed)?;
        self.write(&rows).await
    }

    /// Makes every row written so far durable/visible.
    async fn flush(&mut self) -> Result<(), ConnectorError>;
}
