//! What a statement returns.

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

/// The result of one statement.
#[derive(Debug, Clone)]
pub enum StatementResult {
    /// Rows (queries, SHOW, DESCRIBE, EXPLAIN).
    Rows { schema: SchemaRef, batches: Vec<RecordBatch> },
    /// A command tag such as `CREATE STREAM`.
    Command(String),
}

/// The result of one statement whose rows, if it is a pull query, are
/// computed as they are read.
pub enum StreamingResult {
    /// A pull query's rows, batch by batch, as they are computed.
    Rows { schema: SchemaRef, stream: datafusion::execution::SendableRecordBatchStream },
    /// Any other statement's result.
    Done(StatementResult),
}
