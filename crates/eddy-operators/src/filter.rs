//! `WHERE` / `HAVING`: keeps the rows a predicate accepts.

use std::sync::Arc;

use arrow::array::{Array, BooleanArray};
use arrow::compute::{filter, filter_record_batch, prep_null_mask_filter};
use arrow::record_batch::RecordBatch;
use datafusion::physical_plan::PhysicalExpr;

use crate::error::Result;
use crate::{Emitter, Operator};

/// Keeps rows whose predicate is true (NULL counts as false, as in SQL).
pub struct FilterOperator {
    predicate: Arc<dyn PhysicalExpr>,
}

impl FilterOperator {
    pub fn new(predicate: Arc<dyn PhysicalExpr>) -> Self {
        FilterOperator { predicate }
    }

    fn mask(&self, batch: &RecordBatch) -> Result<BooleanArray> {
        let value = self.predicate.evaluate(batch)?.into_array(batch.num_rows())?;
        let mask = value
            .as_any()
            .downcast_ref::<BooleanArray>()
            .ok_or_else(|| datafusion::error::DataFusionError::Internal("filter predicate is not boolean".into()))?;
        Ok(if mask.null_count() > 0 { prep_null_mask_filter(mask) } else { mask.clone() })
    }
}

impl Operator for FilterOperator {
    fn name(&self) -> &'static str {
        "Filter"
    }

    fn on_batch(&mut self, batch: RecordBatch, out: &mut Emitter) -> Result<()> {
        let mask = self.mask(&batch)?;
        out.batch(filter_record_batch(&batch, &mask)?);
        Ok(())
    }

    fn on_snapshot(&mut self, batch: RecordBatch, changed: BooleanArray, out: &mut Emitter) -> Result<()> {
        let mask = self.mask(&batch)?;
        let kept = filter_record_batch(&batch, &mask)?;
        let changed = filter(&changed, &mask)?;
        let changed = changed.as_any().downcast_ref::<BooleanArray>().expect("filter keeps the type").clone();
        out.snapshot(kept, changed);
        Ok(())
    }
}
