//! The sink contract.

use arrow::record_batch::RecordBatch;
use async_trait::async_trait;

use crate::ConnectorError;

/// A consumer of result batches. One instance per running query.
#[async_trait]
pub trait Sink: Send {
    /// Writes rows. Rows may be buffered until [`Sink::flush`].
    async fn write(&mut self, batch: &RecordBatch) -> Result<(), ConnectorError>;

    /// Makes every row written so far durable/visible.
    async fn flush(&mut self) -> Result<(), ConnectorError>;
}
