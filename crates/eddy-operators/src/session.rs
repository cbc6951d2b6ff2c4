//! Aggregates grouped by SESSION windows, per group key.
//!
//! Each row opens the interval `[ts, ts + gap)`; overlapping intervals of the
//! same key merge, so a session is `[first ts, last ts + gap)`. Rows are
//! buffered until their session closes (the watermark passes its end), then
//! the closed sessions' rows are aggregated in one pass. A row that is not
//! late can never belong to a closed session: its interval starts at or after
//! the watermark, which is at or after every closed session's end.

use std::collections::HashMap;

use arrow::array::{ArrayRef, UInt32Array};
use arrow::compute::{concat_batches, take_record_batch};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use arrow::row::{OwnedRow, RowConverter, SortField};
use eddy_common::{timestamp_column_to_ms, EventTime, Watermark};

use crate::accumulators::{AccumulatorSet, AggregateCall};
use crate::error::Result;
use crate::keys::KeyInterner;
use crate::window_aggregate::{WindowGroupColumn, WindowOutput};
use crate::{Emitter, Operator};

/// Aggregate grouped by `SESSION(stream, ts, gap)` and keys.
pub struct SessionAggregateOperator {
    gap: i64,
    time_index: usize,
    output: WindowOutput,
    rows: RowConverter,
    /// Open sessions per key, sorted and disjoint.
    sessions: HashMap<OwnedRow, Vec<(EventTime, EventTime)>>,
    buffer: Vec<RecordBatch>,
    input_schema: Option<SchemaRef>,
    watermark: Watermark,
}

impl SessionAggregateOperator {
    pub fn new(
        gap: i64,
        time_index: usize,
        group: Vec<WindowGroupColumn>,
        calls: Vec<AggregateCall>,
        schema: SchemaRef,
    ) -> Result<Self> {
        let output = WindowOutput::new(group, calls, schema);
        // Without keys, every row shares one constant key.
        let mut sort_fields: Vec<SortField> =
            output.key_fields.iter().map(|f| SortField::new(f.data_type().clone())).collect();
        if sort_fields.is_empty() {
            sort_fields.push(SortField::new(arrow::datatypes::DataType::Int8));
        }
        let rows = RowConverter::new(sort_fields)?;
        Ok(SessionAggregateOperator {
            gap,
            time_index,
            output,
            rows,
            sessions: HashMap::new(),
            buffer: Vec::new(),
            input_schema: None,
            watermark: Watermark::MIN,
        })
    }

    fn add_interval(sessions: &mut Vec<(EventTime, EventTime)>, start: EventTime, end: EventTime) {
        // Merge every session overlapping [start, end) into one.
        let first = sessions.partition_point(|&(_, e)| e <= start);
        let mut merged = (start, end);
        let mut last = first;
        while last < sessions.len() && sessions[last].0 < merged.1 {
            merged = (merged.0.min(sessions[last].0), merged.1.max(sessions[last].1));
            last += 1;
        }
        sessions.splice(first..last, [merged]);
    }

    fn key_rows(&self, batch: &RecordBatch) -> Result<arrow::row::Rows> {
        let keys = self.output.keys(batch)?;
        if keys.is_empty() {
            let constant: ArrayRef = std::sync::Arc::new(arrow::array::Int8Array::from(vec![0; batch.num_rows()]));
            return Ok(self.rows.convert_columns(&[constant])?);
        }
        Ok(self.rows.convert_columns(&keys)?)
    }

    fn close_sessions(&mut self, watermark: Watermark, out: &mut Emitter) -> Result<()> {
        let any_closed = self.sessions.values().any(|s| s.first().is_some_and(|&(_, end)| end <= watermark.millis()));
        if !any_closed || self.buffer.is_empty() {
            return Ok(());
        }
        let schema = self.input_schema.clone().expect("buffered rows have a schema");
        let all = concat_batches(&schema, &self.buffer)?;
        self.buffer.clear();
        let times = timestamp_column_to_ms(all.column(self.time_index))?;
        let keys = self.key_rows(&all)?;
        let (mut emit, mut keep) = (Vec::new(), Vec::new());
        let (mut starts, mut ends) = (Vec::new(), Vec::new());
        for row in 0..all.num_rows() {
            let ts = times.value(row);
            let sessions = &self.sessions[&keys.row(row).owned()];
            let at = sessions.partition_point(|&(_, end)| end <= ts);
            let (start, end) = sessions[at];
            if end <= watermark.millis() {
                emit.push(row as u32);
                starts.push(start);
                ends.push(end);
            } else {
                keep.push(row as u32);
            }
        }
        if !keep.is_empty() {
            self.buffer.push(take_record_batch(&all, &UInt32Array::from(keep))?);
        }
        for sessions in self.sessions.values_mut() {
            sessions.retain(|&(_, end)| end > watermark.millis());
        }
        self.sessions.retain(|_, s| !s.is_empty());
        if emit.is_empty() {
            return Ok(());
        }
        let closed = take_record_batch(&all, &UInt32Array::from(emit))?;
        // Group the closed rows by (keys, window) and aggregate them.
        let mut group_columns: Vec<ArrayRef> = self.output.keys(&closed)?;
        let key_count = group_columns.len();
        group_columns.push(std::sync::Arc::new(arrow::array::Int64Array::from(starts)));
        group_columns.push(std::sync::Arc::new(arrow::array::Int64Array::from(ends)));
        let mut fields = self.output.key_fields.clone();
        fields.push(arrow::datatypes::Field::new("window_start", arrow::datatypes::DataType::Int64, false));
        fields.push(arrow::datatypes::Field::new("window_end", arrow::datatypes::DataType::Int64, false));
        let mut interner = KeyInterner::new(&fields)?;
        let mut groups = Vec::new();
        interner.intern(&group_columns, closed.num_rows(), &mut groups)?;
        let mut accumulators = AccumulatorSet::new(&self.output.calls)?;
        accumulators.update(&self.output.calls, &closed, &groups, interner.len())?;
        let mut emitted = interner.emit_all()?;
        let ends = emitted.pop().expect("window_end column");
        let starts = emitted.pop().expect("window_start column");
        debug_assert_eq!(emitted.len(), key_count);
        let as_vec = |a: ArrayRef| {
            a.as_any().downcast_ref::<arrow::array::Int64Array>().expect("Int64 bounds").values().to_vec()
        };
        let values = accumulators.take_values()?;
        out.batch(self.output.assemble(emitted, as_vec(starts), as_vec(ends), values)?);
        Ok(())
    }
}

impl Operator for SessionAggregateOperator {
    fn name(&self) -> &'static str {
        "SessionAggregate"
    }

    fn on_batch(&mut self, batch: RecordBatch, _out: &mut Emitter) -> Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        let times = timestamp_column_to_ms(batch.column(self.time_index))?;
        let keys = self.key_rows(&batch)?;
        for row in 0..batch.num_rows() {
            let ts = times.value(row);
            let sessions = self.sessions.entry(keys.row(row).owned()).or_default();
            Self::add_interval(sessions, ts, ts + self.gap);
        }
        self.input_schema.get_or_insert_with(|| batch.schema());
        self.buffer.push(batch);
        Ok(())
    }

    fn on_watermark(&mut self, watermark: Watermark, out: &mut Emitter) -> Result<()> {
        if watermark <= self.watermark {
            return Ok(());
        }
        self.watermark = watermark;
        self.close_sessions(watermark, out)?;
        out.watermark(watermark);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_intervals_merge_transitively() {
        let mut s = vec![];
        SessionAggregateOperator::add_interval(&mut s, 0, 5);
        SessionAggregateOperator::add_interval(&mut s, 10, 15);
        assert_eq!(s, vec![(0, 5), (10, 15)]);
        SessionAggregateOperator::add_interval(&mut s, 4, 9);
        assert_eq!(s, vec![(0, 9), (10, 15)]);
        SessionAggregateOperator::add_interval(&mut s, 8, 13);
        assert_eq!(s, vec![(0, 15)]);
        SessionAggregateOperator::add_interval(&mut s, 15, 20);
        assert_eq!(s, vec![(0, 15), (15, 20)]);
    }
}
