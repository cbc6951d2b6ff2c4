//! Aggregate calls over DataFusion's `GroupsAccumulator`s.
//!
//! Every DataFusion aggregate works: those with a native groups accumulator
//! use it, the rest run through `GroupsAccumulatorAdapter`. Partial states
//! (`state`) and merging (`merge_batch`) let panes be combined into windows.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray};
use arrow::compute::prep_null_mask_filter;
use arrow::record_batch::RecordBatch;
use datafusion::logical_expr::{EmitTo, GroupsAccumulator};
use datafusion::physical_expr::aggregate::AggregateFunctionExpr;
use datafusion::physical_expr::GroupsAccumulatorAdapter;
use datafusion::physical_plan::PhysicalExpr;

use crate::error::Result;

/// One aggregate call: the function with its arguments and optional filter.
#[derive(Debug, Clone)]
pub struct AggregateCall {
    pub expr: Arc<AggregateFunctionExpr>,
    pub filter: Option<Arc<dyn PhysicalExpr>>,
}

impl AggregateCall {
    /// A fresh accumulator for this call.
    pub(crate) fn accumulator(&self) -> Result<Box<dyn GroupsAccumulator>> {
        if self.expr.groups_accumulator_supported() {
            Ok(self.expr.create_groups_accumulator()?)
        } else {
            let expr = Arc::clone(&self.expr);
            Ok(Box::new(GroupsAccumulatorAdapter::new(move || expr.create_accumulator())))
        }
    }

    /// Evaluates the arguments (and filter) on `batch`.
    pub(crate) fn arguments(&self, batch: &RecordBatch) -> Result<(Vec<ArrayRef>, Option<BooleanArray>)> {
        let values = self
            .expr
            .expressions()
            .iter()
            .map(|e| e.evaluate(batch).and_then(|v| v.into_array(batch.num_rows())))
            .collect::<Result<Vec<_>, _>>()?;
        let filter = match &self.filter {
            None => None,
            Some(f) => {
                let mask = f.evaluate(batch)?.into_array(batch.num_rows())?;
                let mask = mask.as_any().downcast_ref::<BooleanArray>().cloned().ok_or_else(|| {
                    datafusion::error::DataFusionError::Internal("aggregate FILTER is not boolean".into())
                })?;
                Some(if mask.null_count() > 0 { prep_null_mask_filter(&mask) } else { mask })
            }
        };
        Ok((values, filter))
    }
}

/// One accumulator per aggregate call, sharing group indices.
pub(crate) struct AccumulatorSet {
    accumulators: Vec<Box<dyn GroupsAccumulator>>,
}

impl AccumulatorSet {
    pub(crate) fn new(calls: &[AggregateCall]) -> Result<Self> {
        Ok(AccumulatorSet { accumulators: calls.iter().map(|c| c.accumulator()).collect::<Result<_>>()? })
    }

    /// Adds the rows of `batch` to the groups in `groups`.
    pub(crate) fn update(
        &mut self,
        calls: &[AggregateCall],
        batch: &RecordBatch,
        groups: &[usize],
        total_groups: usize,
    ) -> Result<()> {
        for (call, acc) in calls.iter().zip(self.accumulators.iter_mut()) {
            let (values, filter) = call.arguments(batch)?;
            acc.update_batch(&values, groups, filter.as_ref(), total_groups)?;
        }
        Ok(())
    }

    /// Adds partial states (as produced by [`AccumulatorSet::take_states`]).
    pub(crate) fn merge(&mut self, states: &[Vec<ArrayRef>], groups: &[usize], total_groups: usize) -> Result<()> {
        for (state, acc) in states.iter().zip(self.accumulators.iter_mut()) {
            acc.merge_batch(state, groups, total_groups)?;
        }
        Ok(())
    }

    /// Partial states of every group, one `Vec` per call; resets the set.
    pub(crate) fn take_states(&mut self) -> Result<Vec<Vec<ArrayRef>>> {
        self.accumulators.iter_mut().map(|a| Ok(a.state(EmitTo::All)?)).collect()
    }

    /// Final values of every group, one array per call; resets the set.
    pub(crate) fn take_values(&mut self) -> Result<Vec<ArrayRef>> {
        self.accumulators.iter_mut().map(|a| Ok(a.evaluate(EmitTo::All)?)).collect()
    }
}
