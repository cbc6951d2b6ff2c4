//! Materialized state of a query's output: what pull queries read.

use std::sync::RwLock;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use eddy_sql::OutputKind;

/// The current result of one query. Readers get a consistent snapshot: the
/// batches as of one moment, never half an update.
#[derive(Debug)]
pub struct ViewState {
    pub schema: SchemaRef,
    pub kind: OutputKind,
    batches: RwLock<Vec<RecordBatch>>,
}

impl ViewState {
    pub fn new(schema: SchemaRef, kind: OutputKind) -> Self {
        ViewState { schema, kind, batches: RwLock::new(Vec::new()) }
    }

    /// Appends rows (append-only queries).
    pub fn append(&self, batch: RecordBatch) {
        self.batches.write().expect("view lock").push(batch);
    }

    /// Replaces the whole result (updating queries).
    pub fn replace(&self, batch: RecordBatch) {
        *self.batches.write().expect("view lock") = vec![batch];
    }

    pub fn snapshot(&self) -> Vec<RecordBatch> {
        self.batches.read().expect("view lock").clone()
    }
}
