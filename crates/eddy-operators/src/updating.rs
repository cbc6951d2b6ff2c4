//! Aggregates without a window: running results per group key.
//!
//! After each input batch the operator emits a snapshot of every group's
//! current result, marking the groups that batch changed. Accumulators
//! consume their state when evaluated, so a snapshot takes the partial
//! states once and merges them into two fresh sets: one to keep running,
//! one to evaluate. That costs O(groups) per batch — simple and correct;
//! incremental emission of changed groups only is a later optimisation.

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, UInt32Array};
use arrow::compute::{concat, take};
use arrow::datatypes::{Field, SchemaRef};
use arrow::record_batch::RecordBatch;
use datafusion::physical_plan::PhysicalExpr;

use crate::accumulators::{AccumulatorSet, AggregateCall};
use crate::error::Result;
use crate::keys::KeyInterner;
use crate::{Emitter, Operator};

/// `SELECT keys, aggregates FROM stream GROUP BY keys`, continuously.
pub struct UpdatingAggregateOperator {
    key_exprs: Vec<Arc<dyn PhysicalExpr>>,
    calls: Vec<AggregateCall>,
    schema: SchemaRef,
    keys: KeyInterner,
    accumulators: AccumulatorSet,
    /// Key values of every group, by group index (chunks per column).
    key_values: Vec<Vec<ArrayRef>>,
    touched: Vec<bool>,
    scratch: Vec<usize>,
}

impl UpdatingAggregateOperator {
    /// `schema` is the output: one column per key, then one per call.
    pub fn new(key_exprs: Vec<Arc<dyn PhysicalExpr>>, calls: Vec<AggregateCall>, schema: SchemaRef) -> Result<Self> {
        let key_fields: Vec<Field> =
            (0..key_exprs.len()).map(|i| schema.field(i).as_ref().clone().with_nullable(true)).collect();
        Ok(UpdatingAggregateOperator {
            keys: KeyInterner::new(&key_fields)?,
            accumulators: AccumulatorSet::new(&calls)?,
            key_values: vec![Vec::new(); key_exprs.len()],
            key_exprs,
            calls,
            schema,
            touched: Vec::new(),
            scratch: Vec::new(),
        })
    }

    fn snapshot(&mut self) -> Result<RecordBatch> {
        let groups = self.keys.len();
        let states = self.accumulators.take_states()?;
        let all: Vec<usize> = (0..groups).collect();
        self.accumulators = AccumulatorSet::new(&self.calls)?;
        self.accumulators.merge(&states, &all, groups)?;
        let mut evaluate = AccumulatorSet::new(&self.calls)?;
        evaluate.merge(&states, &all, groups)?;
        let mut columns = Vec::with_capacity(self.schema.fields().len());
        for chunks in &mut self.key_values {
            if chunks.len() > 1 {
                let parts: Vec<&dyn arrow::array::Array> = chunks.iter().map(|c| c.as_ref()).collect();
                let merged = concat(&parts)?;
                *chunks = vec![merged];
            }
            columns.push(chunks[0].clone());
        }
        columns.extend(evaluate.take_values()?);
        Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
    }
}

impl Operator for UpdatingAggregateOperator {
    fn name(&self) -> &'static str {
        "UpdatingAggregate"
    }

    /// Without keys the result has one row from the start, as PostgreSQL's
    /// global aggregate over no rows has (`count(*)` 0, `sum` NULL).
    fn on_start(&mut self, out: &mut Emitter) -> Result<()> {
        if !self.key_exprs.is_empty() {
            return Ok(());
        }
        let columns = self
            .calls
            .iter()
            .zip(self.schema.fields())
            .map(|(call, field)| Ok(call.expr.default_value(field.data_type())?.to_array_of_size(1)?))
            .collect::<Result<Vec<ArrayRef>>>()?;
        out.snapshot(RecordBatch::try_new(self.schema.clone(), columns)?, BooleanArray::from(vec![true]));
        Ok(())
    }

    fn on_batch(&mut self, batch: RecordBatch, out: &mut Emitter) -> Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        let keys = self
            .key_exprs
            .iter()
            .map(|e| Ok(e.evaluate(&batch)?.into_array(batch.num_rows())?))
            .collect::<Result<Vec<ArrayRef>>>()?;
        let known = self.keys.len();
        self.keys.intern(&keys, batch.num_rows(), &mut self.scratch)?;
        let total = self.keys.len();
        if total > known && !keys.is_empty() {
            // Group indices are dense and assigned in order of first sight.
            let mut first_rows = vec![0u32; total - known];
            let mut next = known;
            for (row, &group) in self.scratch.iter().enumerate() {
                if group == next {
                    first_rows[group - known] = row as u32;
                    next += 1;
                }
            }
            let indices = UInt32Array::from(first_rows);
            for (chunks, column) in self.key_values.iter_mut().zip(&keys) {
                chunks.push(take(column, &indices, None)?);
            }
        }
        self.accumulators.update(&self.calls, &batch, &self.scratch, total)?;
        self.touched.resize(total, false);
        for &group in &self.scratch {
            self.touched[group] = true;
        }
        let snapshot = self.snapshot()?;
        let changed = BooleanArray::from(std::mem::replace(&mut self.touched, vec![false; total]));
        out.snapshot(snapshot, changed);
        Ok(())
    }
}
