//! A window table function without an aggregate: each row is repeated once per
//! window it falls in, with `window_start` and `window_end` appended.

use arrow::array::{ArrayRef, Int64Array, UInt32Array};
use arrow::compute::{cast, take};
use arrow::datatypes::{DataType, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use eddy_common::{timestamp_column_to_ms, WindowSpec};

use crate::error::Result;
use crate::{Emitter, Operator};

/// Assigns TUMBLE, HOP or CUMULATE windows to rows.
pub struct WindowAssignOperator {
    window: WindowSpec,
    time_index: usize,
    schema: SchemaRef,
}

impl WindowAssignOperator {
    pub fn new(window: WindowSpec, time_index: usize, schema: SchemaRef) -> Self {
        WindowAssignOperator { window, time_index, schema }
    }

    fn bounds(&self, millis: Vec<i64>) -> Result<ArrayRef> {
        let data_type = self.schema.field(self.schema.fields().len() - 1).data_type();
        let scaled: Vec<i64> = match data_type {
            DataType::Timestamp(TimeUnit::Second, _) => millis.iter().map(|m| m.div_euclid(1000)).collect(),
            DataType::Timestamp(TimeUnit::Millisecond, _) => millis,
            DataType::Timestamp(TimeUnit::Microsecond, _) => millis.iter().map(|m| m * 1_000).collect(),
            _ => millis.iter().map(|m| m * 1_000_000).collect(),
        };
        Ok(cast(&Int64Array::from(scaled), data_type)?)
    }
}

impl Operator for WindowAssignOperator {
    fn name(&self) -> &'static str {
        "WindowAssign"
    }

    fn on_batch(&mut self, batch: RecordBatch, out: &mut Emitter) -> Result<()> {
        let times = timestamp_column_to_ms(batch.column(self.time_index))?;
        let (mut rows, mut starts, mut ends) = (Vec::new(), Vec::new(), Vec::new());
        for row in 0..batch.num_rows() {
            if times.is_null(row) {
                continue;
            }
            self.window.for_each_window(times.value(row), |start, end| {
                rows.push(row as u32);
                starts.push(start);
                ends.push(end);
            });
        }
        let indices = UInt32Array::from(rows);
        let mut columns = batch.columns().iter().map(|c| Ok(take(c, &indices, None)?)).collect::<Result<Vec<_>>>()?;
        columns.push(self.bounds(starts)?);
        columns.push(self.bounds(ends)?);
        out.batch(RecordBatch::try_new(self.schema.clone(), columns)?);
        Ok(())
    }
}

use arrow::array::Array;
