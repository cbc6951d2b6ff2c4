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

/// What a source reports.
#[derive(Debug, Clone)]
pub enum SourceEvent {
    /// Rows read from one partition, in the partition's order. Never empty.
    Rows { partition: usize, batch: RecordBatch },
    /// The partition has had no rows for the idle timeout, or has ended: it
    /// stops holding the watermark back until it has rows again.
    Idle { partition: usize },
}

impl SourceEvent {
    /// Rows of a source with a single partition.
    pub fn single(batch: RecordBatch) -> Self {
        SourceEvent::Rows { partition: 0, batch }
    }
}

/// A producer of record batches. One instance per running query.
#[async_trait]
pub trait Source: Send {
    /// The schema of every batch this source returns.
    fn schema(&self) -> SchemaRef;

    /// Whether the source ends by itself (a file, `max_rows`, `max_events`).
    fn is_bounded(&self) -> bool;

    /// How many partitions the source reads (each has its own watermark).
    fn partitions(&self) -> usize {
        1
    }

    /// The next event, waiting for data if needed; `Ok(None)` once a bounded
    /// source is exhausted. Batches have at most `batch_size` rows.
    async fn next_event(&mut self) -> Result<Option<SourceEvent>, ConnectorError>;
}
