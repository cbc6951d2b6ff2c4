//! Watermark generation, and dropping rows that arrive behind it.
//!
//! A source has one or more partitions (Kafka partitions; one for a file).
//! Each partition has its own watermark: the maximum of the watermark
//! expression over every row read from it. The stream's watermark is the
//! minimum over the partitions that are not idle (the furthest partition
//! watermark when all are idle), and never moves backwards.
//! A partition is idle from when its source says so until it has rows again.
//!
//! A row is *late* when its event time is below the stream's watermark before
//! it. This is decided row by row in read order, so within one partition the
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

#[derive(Debug, Clone, Copy)]
struct PartitionMark {
    watermark: i64,
    idle: bool,
}

/// Generates watermarks from `WATERMARK FOR col AS expr`.
pub struct WatermarkOperator {
    time_index: usize,
    expr: Arc<dyn PhysicalExpr>,
    /// Drop late rows (the query has windows that may already be closed).
    drop_late: bool,
    partitions: Vec<PartitionMark>,
    current: Watermark,
    metrics: Arc<QueryMetrics>,
}

impl WatermarkOperator {
    /// A generator for a source with one partition.
    pub fn new(time_index: usize, expr: Arc<dyn PhysicalExpr>, drop_late: bool, metrics: Arc<QueryMetrics>) -> Self {
        Self::with_partitions(1, time_index, expr, drop_late, metrics)
    }

    /// A generator for a source with `partitions` partitions, all active.
    pub fn with_partitions(
        partitions: usize,
        time_index: usize,
        expr: Arc<dyn PhysicalExpr>,
        drop_late: bool,
        metrics: Arc<QueryMetrics>,
    ) -> Self {
        WatermarkOperator {
            time_index,
            expr,
            drop_late,
            partitions: vec![PartitionMark { watermark: Watermark::MIN.0, idle: false }; partitions.max(1)],
            current: Watermark::MIN,
            metrics,
        }
    }

    pub fn current(&self) -> Watermark {
        self.current
    }

    /// The minimum over active partitions; when every partition is idle, the
    /// furthest any of them got (nothing holds the stream back).
    fn combined(&self) -> i64 {
        let active = self.partitions.iter().filter(|p| !p.idle).map(|p| p.watermark).min();
        let furthest = || self.partitions.iter().map(|p| p.watermark).max().unwrap_or(self.current.0);
        active.unwrap_or_else(furthest).max(self.current.0)
    }

    fn partition(&mut self, partition: usize) -> &mut PartitionMark {
        if partition >= self.partitions.len() {
            // A partition added while running starts active, holding nothing back
            // below what the stream has already passed.
            let start = PartitionMark { watermark: self.current.0, idle: false };
            self.partitions.resize(partition + 1, start);
        }
        &mut self.partitions[partition]
    }

    /// Rows read from one partition.
    pub fn on_partition_batch(&mut self, partition: usize, batch: RecordBatch, out: &mut Emitter) -> Result<()> {
        let times = timestamp_column_to_ms(batch.column(self.time_index))?;
        let candidates = self.expr.evaluate(&batch)?.into_array(batch.num_rows())?;
        let candidates = timestamp_column_to_ms(&candidates)?;
        let mut keep = self.drop_late.then(|| BooleanBuilder::with_capacity(batch.num_rows()));
        let mut late = 0u64;
        let mark = self.partition(partition);
        mark.idle = false;
        let mut stream = self.combined();
        for row in 0..batch.num_rows() {
            // A row without event time cannot be placed in a window.
            let is_late = times.is_null(row) || times.value(row) < stream;
            late += is_late as u64;
            if let Some(keep) = keep.as_mut() {
                keep.append_value(!is_late);
            }
            if candidates.is_valid(row) {
                let mark = &mut self.partitions[partition];
                let before = mark.watermark;
                mark.watermark = before.max(candidates.value(row));
                // Only the slowest partition moves the stream's watermark.
                if before <= stream && mark.watermark > before {
                    stream = self.combined();
                }
            }
        }
        match keep {
            Some(mut keep) if late > 0 => {
                self.metrics.add_late_rows(late);
                out.batch(filter_record_batch(&batch, &keep.finish())?);
            }
            _ => out.batch(batch),
        }
        self.advance(stream, out);
        Ok(())
    }

    /// The partition has had no rows for a while (or has ended): it stops
    /// holding the watermark back until it has rows again.
    pub fn on_partition_idle(&mut self, partition: usize, out: &mut Emitter) {
        self.partition(partition).idle = true;
        let stream = self.combined();
        self.advance(stream, out);
    }

    fn advance(&mut self, stream: i64, out: &mut Emitter) {
        if stream > self.current.0 {
            self.current = Watermark(stream);
            self.metrics.observe_watermark(self.current);
            out.watermark(self.current);
        }
    }
}

impl Operator for WatermarkOperator {
    fn name(&self) -> &'static str {
        "Watermark"
    }

    fn on_batch(&mut self, batch: RecordBatch, out: &mut Emitter) -> Result<()> {
        self.on_partition_batch(0, batch, out)
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
