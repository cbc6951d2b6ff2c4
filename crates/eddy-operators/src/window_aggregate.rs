//! Aggregates grouped by TUMBLE, HOP or CUMULATE windows.
//!
//! Rows are aggregated into *panes* (slices of the window's pane size, see
//! `WindowSpec::pane_size`). A tumbling window is one pane and is evaluated
//! directly. For hopping and cumulating windows, a pane whose end the
//! watermark passed is frozen into partial states; each closing window merges
//! the frozen panes it covers. So a row is aggregated once, not once per
//! window it belongs to. A window is emitted once, when the watermark passes
//! its end; the watermark is forwarded after the rows it closed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array};
use arrow::compute::{cast, sort_to_indices, take, take_record_batch};
use arrow::datatypes::{DataType, Field, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use datafusion::physical_plan::PhysicalExpr;
use eddy_common::{timestamp_column_to_ms, EventTime, Watermark, WindowSpec};

use crate::accumulators::{AccumulatorSet, AggregateCall};
use crate::error::Result;
use crate::keys::KeyInterner;
use crate::{Emitter, Operator};

/// One group-by column of a windowed aggregate, in output order.
#[derive(Debug, Clone)]
pub enum WindowGroupColumn {
    Key(Arc<dyn PhysicalExpr>),
    WindowStart,
    WindowEnd,
}

/// The output layout shared by windowed aggregates (also sessions).
pub(crate) struct WindowOutput {
    pub(crate) group: Vec<WindowGroupColumn>,
    pub(crate) key_exprs: Vec<Arc<dyn PhysicalExpr>>,
    pub(crate) key_fields: Vec<Field>,
    pub(crate) calls: Vec<AggregateCall>,
    pub(crate) schema: SchemaRef,
}

impl WindowOutput {
    pub(crate) fn new(group: Vec<WindowGroupColumn>, calls: Vec<AggregateCall>, schema: SchemaRef) -> Self {
        let mut key_exprs = Vec::new();
        let mut key_fields = Vec::new();
        for (i, g) in group.iter().enumerate() {
            if let WindowGroupColumn::Key(e) = g {
                key_exprs.push(Arc::clone(e));
                key_fields.push(schema.field(i).as_ref().clone().with_nullable(true));
            }
        }
        WindowOutput { group, key_exprs, key_fields, calls, schema }
    }

    pub(crate) fn keys(&self, batch: &RecordBatch) -> Result<Vec<ArrayRef>> {
        self.key_exprs.iter().map(|e| Ok(e.evaluate(batch)?.into_array(batch.num_rows())?)).collect()
    }

    fn window_bound(&self, index: usize, millis: Vec<EventTime>) -> Result<ArrayRef> {
        let data_type = self.schema.field(index).data_type();
        let factor = match data_type {
            DataType::Timestamp(TimeUnit::Second, _) => {
                return Ok(cast(&Int64Array::from(millis.iter().map(|m| m / 1000).collect::<Vec<_>>()), data_type)?)
            }
            DataType::Timestamp(TimeUnit::Millisecond, _) => 1,
            DataType::Timestamp(TimeUnit::Microsecond, _) => 1_000,
            _ => 1_000_000,
        };
        let raw = Int64Array::from(millis.into_iter().map(|m| m * factor).collect::<Vec<_>>());
        Ok(cast(&raw, data_type)?)
    }

    /// Assembles output rows: group columns in declared order, then aggregates.
    /// `starts`/`ends` give each row's window.
    pub(crate) fn assemble(
        &self,
        keys: Vec<ArrayRef>,
        starts: Vec<EventTime>,
        ends: Vec<EventTime>,
        values: Vec<ArrayRef>,
    ) -> Result<RecordBatch> {
        let mut keys = keys.into_iter();
        let mut columns = Vec::with_capacity(self.schema.fields().len());
        let mut starts = Some(starts);
        let mut ends = Some(ends);
        for (i, g) in self.group.iter().enumerate() {
            columns.push(match g {
                WindowGroupColumn::Key(_) => keys.next().expect("one key array per key column"),
                WindowGroupColumn::WindowStart => self.window_bound(i, starts.take().unwrap_or_default())?,
                WindowGroupColumn::WindowEnd => self.window_bound(i, ends.take().unwrap_or_default())?,
            });
        }
        columns.extend(values);
        Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
    }
}

struct Pane {
    keys: KeyInterner,
    accumulators: AccumulatorSet,
}

struct FrozenPane {
    keys: Vec<ArrayRef>,
    states: Vec<Vec<ArrayRef>>,
    groups: usize,
}

/// Aggregate grouped by a tumbling, hopping or cumulating window.
pub struct WindowAggregateOperator {
    window: WindowSpec,
    pane_size: i64,
    time_index: usize,
    output: WindowOutput,
    open: BTreeMap<EventTime, Pane>,
    frozen: BTreeMap<EventTime, FrozenPane>,
    watermark: Watermark,
    scratch: Vec<usize>,
}

impl WindowAggregateOperator {
    /// `time_index` is the event-time column of the input; `schema` is the
    /// output: the `group` columns in order, then one column per call.
    pub fn new(
        window: WindowSpec,
        time_index: usize,
        group: Vec<WindowGroupColumn>,
        calls: Vec<AggregateCall>,
        schema: SchemaRef,
    ) -> Self {
        let pane_size = window.pane_size().expect("sessions use SessionAggregateOperator");
        WindowAggregateOperator {
            window,
            pane_size,
            time_index,
            output: WindowOutput::new(group, calls, schema),
            open: BTreeMap::new(),
            frozen: BTreeMap::new(),
            watermark: Watermark::MIN,
            scratch: Vec::new(),
        }
    }

    fn aggregate_into_pane(&mut self, pane_start: EventTime, batch: &RecordBatch) -> Result<()> {
        let pane = match self.open.entry(pane_start) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(Pane {
                keys: KeyInterner::new(&self.output.key_fields)?,
                accumulators: AccumulatorSet::new(&self.output.calls)?,
            }),
        };
        let keys = self.output.keys(batch)?;
        pane.keys.intern(&keys, batch.num_rows(), &mut self.scratch)?;
        pane.accumulators.update(&self.output.calls, batch, &self.scratch, pane.keys.len())
    }

    fn emit_tumbling(&mut self, watermark: Watermark, out: &mut Emitter) -> Result<()> {
        while let Some(entry) = self.open.first_entry() {
            let start = *entry.key();
            if start + self.pane_size > watermark.millis() {
                break;
            }
            let mut pane = entry.remove();
            let groups = pane.keys.len();
            if groups == 0 {
                continue;
            }
            let keys = pane.keys.emit_all()?;
            let values = pane.accumulators.take_values()?;
            out.batch(self.output.assemble(keys, vec![start; groups], vec![start + self.pane_size; groups], values)?);
        }
        Ok(())
    }

    fn emit_merged(&mut self, previous: Watermark, watermark: Watermark, out: &mut Emitter) -> Result<()> {
        while let Some(entry) = self.open.first_entry() {
            let start = *entry.key();
            if start + self.pane_size > watermark.millis() {
                break;
            }
            let mut pane = entry.remove();
            let groups = pane.keys.len();
            let keys = pane.keys.emit_all()?;
            let states = pane.accumulators.take_states()?;
            self.frozen.insert(start, FrozenPane { keys, states, groups });
        }
        let mut closing = BTreeSet::new();
        for &pane_start in self.frozen.keys() {
            self.window.for_each_window(pane_start, |start, end| {
                if end <= watermark.millis() && end > previous.millis() {
                    closing.insert((end, start));
                }
            });
        }
        for (end, start) in closing {
            let mut keys = KeyInterner::new(&self.output.key_fields)?;
            let mut accumulators = AccumulatorSet::new(&self.output.calls)?;
            for (_, pane) in self.frozen.range(start..end) {
                keys.intern(&pane.keys, pane.groups, &mut self.scratch)?;
                accumulators.merge(&pane.states, &self.scratch, keys.len())?;
            }
            let groups = keys.len();
            if groups == 0 {
                continue;
            }
            let key_arrays = keys.emit_all()?;
            let values = accumulators.take_values()?;
            out.batch(self.output.assemble(key_arrays, vec![start; groups], vec![end; groups], values)?);
        }
        let window = self.window;
        self.frozen.retain(|&pane_start, _| {
            let mut last_end = EventTime::MIN;
            window.for_each_window(pane_start, |_, end| last_end = last_end.max(end));
            last_end > watermark.millis()
        });
        Ok(())
    }
}

impl Operator for WindowAggregateOperator {
    fn name(&self) -> &'static str {
        "WindowAggregate"
    }

    fn on_batch(&mut self, batch: RecordBatch, _out: &mut Emitter) -> Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        let times = timestamp_column_to_ms(batch.column(self.time_index))?;
        let pane_size = self.pane_size;
        let panes = times.unary::<_, arrow::datatypes::Int64Type>(|t| t - t.rem_euclid(pane_size));
        let first = panes.value(0);
        if panes.null_count() == 0 && panes.values().iter().all(|&p| p == first) {
            return self.aggregate_into_pane(first, &batch);
        }
        // Rows span several panes: order them by pane once, then aggregate runs.
        let order = sort_to_indices(&panes, None, None)?;
        let sorted = take_record_batch(&batch, &order)?;
        let panes = take(&panes, &order, None)?;
        let panes = panes.as_any().downcast_ref::<Int64Array>().expect("take keeps the type");
        let mut run_start = 0;
        while run_start < sorted.num_rows() {
            if panes.is_null(run_start) {
                run_start += 1;
                continue;
            }
            let pane = panes.value(run_start);
            let mut run_end = run_start + 1;
            while run_end < sorted.num_rows() && panes.is_valid(run_end) && panes.value(run_end) == pane {
                run_end += 1;
            }
            self.aggregate_into_pane(pane, &sorted.slice(run_start, run_end - run_start))?;
            run_start = run_end;
        }
        Ok(())
    }

    fn on_watermark(&mut self, watermark: Watermark, out: &mut Emitter) -> Result<()> {
        if watermark <= self.watermark {
            return Ok(());
        }
        let previous = std::mem::replace(&mut self.watermark, watermark);
        match self.window {
            WindowSpec::Tumble { .. } => self.emit_tumbling(watermark, out)?,
            _ => self.emit_merged(previous, watermark, out)?,
        }
        out.watermark(watermark);
        Ok(())
    }
}

use arrow::array::Array;
