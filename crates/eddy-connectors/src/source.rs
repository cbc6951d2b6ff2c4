//! The source contract.

use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use async_trait::async_trait;
use eddy_common::QueryMetrics;

use crate::ConnectorError;

/// What a running query gives the source it reads.
#[derive(Debug, Clone)]
pub struct SourceContext {
    /// The query's counters; sources add to `bad_rows`.
    pub metrics: Arc<QueryMetrics>,
    /// The largest batch to return (rows).
    pub batch_size: usize,
}

/// A producer of record batches. One instance per running query.
#[async_trait]
pub trait Source: Send {
    /// The schema of every batch this source returns.
    fn schema(&self) -> SchemaRef;

    /// Whether the source ends by itself (a file, `max_rows`, `max_events`).
    fn is_bounded(&self) -> bool;

    /// The next batch of at most `batch_size` rows, waiting for data if
    /// needed; `Ok(None)` once a bounded source is exhausted. Never returns an
    /// empty batch.
    async fn next_batch(&mut self) -> Result<Option<RecordBatch>, ConnectorError>;
}
