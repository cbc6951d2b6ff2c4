//! Watermark generation, and dropping rows that arrive behind it.
//!
//! The watermark before a row is the maximum of the watermark expression over
//! every earlier row. A row is *late* when its event time is below the
//! watermark before it. This is decided row by row in read order, so the
//! result does not depend on how rows were cut into batches; the watermark is
//! emitted once per batch.

use std::sync::Arc;

use arrow::array::{Array, BooleanBuilder};
use arrow::compute::filter_record_batch;
use arrow::record_batch::RecordBatch;
use datafusion::physical_plan::PhysicalExpr;
use eddy_common::{timestamp_column_to_ms, QueryMetrics, Watermark};

use crate::error::Result;
use crate::{Emitter, Operator};

/// Generates watermarks from `WATERMARK FOR col AS expr`.
pub struct WatermarkOperator {
    time_index: usize,
    expr: Arc<dyn PhysicalExpr>,
    /// Drop late rows (the query has windows that may already be closed).
    drop_late: bool,
    current: Watermark,
    metrics: Arc<QueryMetrics>,
}

impl WatermarkOperator {
    pub fn new(time_index: usize, expr: Arc<dyn PhysicalExpr>, drop_late: bool, metrics: Arc<QueryMetrics>) -> Self {
        WatermarkOperator { time_index, expr, drop_late, current: Watermark::MIN, metrics }
    }

    pub fn current(&self) -> Watermark {
        self.current
    }
}

impl Operator for WatermarkOperator {
    fn name(&self) -> &'static str {
        "Watermark"
    }

    fn on_batch(&mut self, batch: RecordBatch, out: &mut Emitter) -> Result<()> {
        let times = timestamp_column_to_ms(batch.column(self.time_index))?;
        let candidates = self.expr.evaluate(&batch)?.into_array(batch.num_rows())?;
        let candidates = timestamp_column_to_ms(&candidates)?;
        let mut watermark = self.current.millis();
        let mut keep = self.drop_late.then(|| BooleanBuilder::with_capacity(batch.num_rows()));
        let mut late = 0u64;
        for row in 0..batch.num_rows() {
            // A row without event time cannot be placed in a window.
            let is_late = times.is_null(row) || times.value(row) < watermark;
            late += is_late as u64;
            if let Some(keep) = keep.as_mut() {
                keep.append_value(!is_late);
            }
            if candidates.is_valid(row) {
                watermark = watermark.max(candidates.value(row));
            }
        }
        match keep {
            Some(mut keep) if late > 0 => {
                self.metrics.add_late_rows(late);
                out.batch(filter_record_batch(&batch, &keep.finish())?);
            }
            _ => out.batch(batch),
        }
        if watermark > self.current.millis() {
            self.current = Watermark(watermark);
            self.metrics.observe_watermark(self.current);
            out.watermark(self.current);
        }
        Ok(())
    }

    fn on_watermark(&mut self, watermark: Watermark, out: &mut Emitter) -> Result<()> {
        // Only the end of input arrives from upstream.
        if watermark > self.current {
            self.current = watermark;
            self.metrics.observe_watermark(watermark);
            out.watermark(watermark);
        }
        Ok(())
    }
}
