//! Helpers the engine's integration tests share: results as text rows.

#![allow(dead_code)]

use arrow::record_batch::RecordBatch;
use eddy_runtime::text::format_column;
use eddy_runtime::{Engine, StatementResult};

/// Every row as PostgreSQL-style text, `NULL` for nulls.
pub fn rows(batches: &[RecordBatch]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for batch in batches {
        let columns: Vec<_> = batch.columns().iter().map(|c| format_column(c).unwrap()).collect();
        for row in 0..batch.num_rows() {
            out.push(columns.iter().map(|c| c[row].clone().unwrap_or_else(|| "NULL".into())).collect());
        }
    }
    out
}

/// Runs `sql` (its last statement must return rows) and returns them as text.
pub async fn query(engine: &Engine, sql: &str) -> Vec<Vec<String>> {
    match engine.execute(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}")).pop().unwrap() {
        StatementResult::Rows { batches, .. } => rows(&batches),
        other => panic!("{sql}: expected rows, got {other:?}"),
    }
}
