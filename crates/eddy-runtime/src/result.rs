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
