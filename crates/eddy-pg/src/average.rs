//! `avg` as PostgreSQL computes it: over integers and numerics the result
//! is numeric, rounded half away from zero, with at least 16 decimals —
//! not a double (DataFusion's `avg` of integers) and not cut to the input's
//! scale plus 4 (DataFusion's `avg` of decimals: `1.666666` for 5/3).
//!
//! PostgreSQL chooses the number of decimals per value (at least 16
//! significant digits); an Arrow decimal column has one scale, so the result
//! has `max(16, input scale)` decimals: the same value to 16 places. Over
//! floats `avg` stays DataFusion's (double precision, as in PostgreSQL).

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray};
use arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::functions_aggregate::average::avg_udaf;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, EmitTo, GroupsAccumulator, Signature, Volatility,
};

/// Decimals of an average of integers or numerics with scale below this.
const MIN_SCALE: i8 = 16;

/// The `avg` aggregate (see the module documentation).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct PostgresAvg {
    avg: Arc<AggregateUDF>,
    signature: Signature,
}

impl Default for PostgresAvg {
    fn default() -> Self {
        PostgresAvg { avg: avg_udaf(), signature: Signature::user_defined(Volatility::Immutable) }
    }
}

/// The scale of the result for a decimal input of scale `scale`.
fn result_scale(scale: i8) -> i8 {
    scale.max(MIN_SCALE)
}

impl PostgresAvg {
    /// DataFusion's arguments with one more decimal in the result, which
    /// [`Rounded`] rounds away.
    fn inner_args<'a>(&self, args: &AccumulatorArgs<'a>) -> Option<(AccumulatorArgs<'a>, i8)> {
        let DataType::Decimal128(_, scale) = args.return_type() else { return None };
        let field: FieldRef = Arc::new(Field::new(args.return_field.name(), DataType::Decimal128(38, scale + 1), true));
        Some((AccumulatorArgs { return_field: field, ..*args }, *scale))
    }
}

impl AggregateUDFImpl for PostgresAvg {
    fn name(&self) -> &str {
        "avg"
    }

    fn aliases(&self) -> &[String] {
        self.avg.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t] if t.is_integer() => Ok(vec![DataType::Decimal128(20, 0)]),
            [DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s)] => {
                Ok(vec![DataType::Decimal128(*p, *s)])
            }
            [DataType::Float16 | DataType::Float32 | DataType::Float64 | DataType::Null] => Ok(vec![DataType::Float64]),
            [t @ DataType::Duration(_)] => Ok(vec![t.clone()]),
            [t] => Err(eddy_common::SqlError::with_hint(
                eddy_common::sqlstate::UNDEFINED_FUNCTION,
                format!("function avg({}) does not exist", crate::types::postgres_type_name(t)),
                "No function matches the given name and argument types. You might need to add explicit type casts.",
            )),
            _ => Err(datafusion::error::DataFusionError::Plan("avg takes one argument".into())),
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [DataType::Decimal128(_, s)] if *s < 37 => Ok(DataType::Decimal128(38, result_scale(*s))),
            _ => self.avg.return_type(arg_types),
        }
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        match self.inner_args(&args) {
            Some((inner, scale)) => Ok(Box::new(Rounded { inner: self.avg.accumulator(inner)?, scale })),
            None => self.avg.accumulator(args),
        }
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        self.avg.inner().state_fields(args)
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        self.avg.groups_accumulator_supported(args)
    }

    fn create_groups_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        match self.inner_args(&args) {
            Some((inner, scale)) => {
                Ok(Box::new(RoundedGroups { inner: self.avg.create_groups_accumulator(inner)?, scale }))
            }
            None => self.avg.create_groups_accumulator(args),
        }
    }
}

/// Rounds a decimal result one decimal shorter (half away from zero).
fn round_array(array: ArrayRef, scale: i8) -> Result<ArrayRef> {
    Ok(arrow::compute::cast(&array, &DataType::Decimal128(38, scale))?)
}

/// DataFusion's accumulator, its result rounded.
#[derive(Debug)]
struct Rounded {
    inner: Box<dyn Accumulator>,
    scale: i8,
}

impl Accumulator for Rounded {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.inner.update_batch(values)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let value = self.inner.evaluate()?;
        let rounded = round_array(value.to_array()?, self.scale)?;
        ScalarValue::try_from_array(&rounded, 0)
    }

    fn size(&self) -> usize {
        self.inner.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.inner.state()
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.inner.merge_batch(states)
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.inner.retract_batch(values)
    }

    fn supports_retract_batch(&self) -> bool {
        self.inner.supports_retract_batch()
    }
}

/// DataFusion's groups accumulator, its results rounded.
struct RoundedGroups {
    inner: Box<dyn GroupsAccumulator>,
    scale: i8,
}

impl GroupsAccumulator for RoundedGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.inner.update_batch(values, group_indices, opt_filter, total_num_groups)
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        round_array(self.inner.evaluate(emit_to)?, self.scale)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        self.inner.state(emit_to)
    }

    fn merge_batch(&mut self, values: &[ArrayRef], group_indices: &[usize], total_num_groups: usize) -> Result<()> {
        self.inner.merge_batch(values, group_indices, total_num_groups)
    }

    fn convert_to_state(&self, values: &[ArrayRef], opt_filter: Option<&BooleanArray>) -> Result<Vec<ArrayRef>> {
        self.inner.convert_to_state(values, opt_filter)
    }

    fn size(&self) -> usize {
        self.inner.size()
    }
}
