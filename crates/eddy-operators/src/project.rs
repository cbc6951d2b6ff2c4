//! `SELECT` list: computes output columns from input columns.

use std::sync::Arc;

use arrow::array::BooleanArray;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use datafusion::physical_plan::PhysicalExpr;

use crate::error::Result;
use crate::{Emitter, Operator};

/// Evaluates one expression per output column.
pub struct ProjectOperator {
    exprs: Vec<Arc<dyn PhysicalExpr>>,
    schema: SchemaRef,
}

impl ProjectOperator {
    pub fn new(exprs: Vec<Arc<dyn PhysicalExpr>>, schema: SchemaRef) -> Self {
        ProjectOperator { exprs, schema }
    }

    fn project(&self, batch: &RecordBatch) -> Result<RecordBatch> {
        let columns = self
            .exprs
            .iter()
            .map(|e| e.evaluate(batch).and_then(|v| v.into_array(batch.num_rows())))
            .collect::<Result<Vec<_>, _>>()?;
        let options = RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
        Ok(RecordBatch::try_new_with_options(self.schema.clone(), columns, &options)?)
    }
}

impl Operator for ProjectOperator {
    fn name(&self) -> &'static str {
        "Project"
    }

    fn on_batch(&mut self, batch: RecordBatch, out: &mut Emitter) -> Result<()> {
        out.batch(self.project(&batch)?);
        Ok(())
    }

    fn on_snapshot(&mut self, batch: RecordBatch, changed: BooleanArray, out: &mut Emitter) -> Result<()> {
        out.snapshot(self.project(&batch)?, changed);
        Ok(())
    }
}
