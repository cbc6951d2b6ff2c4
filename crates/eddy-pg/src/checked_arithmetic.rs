//! Arithmetic that raises PostgreSQL's errors instead of wrapping around:
//! an analyzer rule that runs after DataFusion's type coercion and replaces
//! `+ - * / %` and unary minus over integers and floats by functions that
//! check every value.
//!
//! DataFusion's arithmetic wraps (`9223372036854775807 + 1` is
//! `-9223372036854775808`) and its float division by zero gives infinity;
//! PostgreSQL raises `22003` ("bigint out of range", "value out of range:
//! overflow") and `22012` ("division by zero"). Decimal arithmetic is left
//! to DataFusion, whose decimal kernels already check.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::compute::kernels::numeric;
use arrow::datatypes::{DataType, Float32Type, Float64Type};
use arrow::error::ArrowError;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::utils::merge_schema;
use datafusion::logical_expr::{
    BinaryExpr, ColumnarValue, Expr, ExprSchemable, LogicalPlan, Operator, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, Volatility,
};
use datafusion::optimizer::analyzer::AnalyzerRule;
use datafusion::physical_expr_common::datum::apply;
use datafusion::scalar::ScalarValue;
use eddy_common::{sqlstate, SqlError};

/// The analyzer rule (see the module documentation).
#[derive(Debug, Default)]
pub struct CheckedArithmetic;

impl AnalyzerRule for CheckedArithmetic {
    fn name(&self) -> &str {
        "checked_arithmetic"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        Ok(plan.transform_up_with_subqueries(analyze_node)?.data)
    }
}

fn analyze_node(plan: LogicalPlan) -> Result<Transformed<LogicalPlan>> {
    let mut schema = merge_schema(&plan.inputs());
    if let LogicalPlan::TableScan(scan) = &plan {
        schema.merge(&DFSchema::try_from_qualified_schema(scan.table_name.clone(), &scan.source.schema())?);
    }
    let preserver = NamePreserver::new(&plan);
    plan.map_expressions(|expr| {
        let name = preserver.save(&expr);
        expr.transform_up(|e| checked(e, &schema)).map(|t| t.update_data(|e| name.restore(e)))
    })?
    // A numeric quotient has a scale of its own: the schema changes.
    .map_data(|plan| plan.recompute_schema())
}

/// Integers and floats: what the checked functions take.
fn checked_type(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64
            | DataType::Float32
            | DataType::Float64
    )
}

fn checked(expr: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    if let Expr::BinaryExpr(BinaryExpr { left, op: Operator::Divide, right }) = &expr {
        if let (Ok(DataType::Decimal128(..)), Ok(DataType::Decimal128(..))) =
            (left.get_type(schema), right.get_type(schema))
        {
            let func = Arc::new(ScalarUDF::new_from_impl(NumericDivide::default()));
            let args = vec![left.as_ref().clone(), right.as_ref().clone()];
            return Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction { func, args })));
        }
    }
    let op = match &expr {
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
            let types = (left.get_type(schema), right.get_type(schema));
            match (ArithmeticOp::of(*op), types) {
                (Some(op), (Ok(l), Ok(r))) if l == r && checked_type(&l) => op,
                _ => return Ok(Transformed::no(expr)),
            }
        }
        Expr::Negative(inner) => match inner.get_type(schema) {
            Ok(t) if checked_type(&t) => ArithmeticOp::Negate,
            _ => return Ok(Transformed::no(expr)),
        },
        _ => return Ok(Transformed::no(expr)),
    };
    let args = match expr {
        Expr::BinaryExpr(BinaryExpr { left, right, .. }) => vec![*left, *right],
        Expr::Negative(inner) => vec![*inner],
        _ => unreachable!("matched above"),
    };
    let func = Arc::new(ScalarUDF::new_from_impl(CheckedOp::new(op)));
    Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction { func, args })))
}

/// The operations [`CheckedOp`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithmeticOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Negate,
}

impl ArithmeticOp {
    fn of(op: Operator) -> Option<Self> {
        Some(match op {
            Operator::Plus => ArithmeticOp::Add,
            Operator::Minus => ArithmeticOp::Subtract,
            Operator::Multiply => ArithmeticOp::Multiply,
            Operator::Divide => ArithmeticOp::Divide,
            Operator::Modulo => ArithmeticOp::Modulo,
            _ => return None,
        })
    }

    fn function_name(self) -> &'static str {
        match self {
            ArithmeticOp::Add => "eddy_checked_add",
            ArithmeticOp::Subtract => "eddy_checked_subtract",
            ArithmeticOp::Multiply => "eddy_checked_multiply",
            ArithmeticOp::Divide => "eddy_checked_divide",
            ArithmeticOp::Modulo => "eddy_checked_modulo",
            ArithmeticOp::Negate => "eddy_checked_negate",
        }
    }
}

/// One checked operation over integers or floats of one type.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CheckedOp {
    op: ArithmeticOp,
    signature: Signature,
}

impl CheckedOp {
    pub fn new(op: ArithmeticOp) -> Self {
        let arity = if op == ArithmeticOp::Negate { 1 } else { 2 };
        CheckedOp { op, signature: Signature::any(arity, Volatility::Immutable) }
    }
}

/// PostgreSQL's message for a value out of its type's range.
fn out_of_range(data_type: &DataType) -> datafusion::error::DataFusionError {
    let message = match data_type {
        DataType::Int8 | DataType::Int16 | DataType::UInt8 => "smallint out of range",
        DataType::Int32 | DataType::UInt16 => "integer out of range",
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint out of range",
        _ => "value out of range: overflow",
    };
    SqlError::into_datafusion(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE, message)
}

fn division_by_zero() -> datafusion::error::DataFusionError {
    SqlError::into_datafusion(sqlstate::DIVISION_BY_ZERO, "division by zero")
}

impl ScalarUDFImpl for CheckedOp {
    fn name(&self) -> &str {
        self.op.function_name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let data_type = args.return_field.data_type().clone();
        let float = matches!(data_type, DataType::Float32 | DataType::Float64);
        if self.op == ArithmeticOp::Negate {
            return negate(&args.args[0], &data_type);
        }
        let (left, right) = (&args.args[0], &args.args[1]);
        if matches!(self.op, ArithmeticOp::Divide | ArithmeticOp::Modulo) && has_zero(left, right)? {
            return Err(division_by_zero());
        }
        let result = apply(left, right, |l, r| match self.op {
            ArithmeticOp::Add if float => numeric::add_wrapping(l, r),
            ArithmeticOp::Subtract if float => numeric::sub_wrapping(l, r),
            ArithmeticOp::Multiply if float => numeric::mul_wrapping(l, r),
            ArithmeticOp::Add => numeric::add(l, r),
            ArithmeticOp::Subtract => numeric::sub(l, r),
            ArithmeticOp::Multiply => numeric::mul(l, r),
            ArithmeticOp::Divide => numeric::div(l, r),
            ArithmeticOp::Modulo => numeric::rem(l, r),
            ArithmeticOp::Negate => unreachable!("handled above"),
        })
        .map_err(|e| match e.find_root() {
            datafusion::error::DataFusionError::ArrowError(e, _) if matches!(e.as_ref(), ArrowError::DivideByZero) => {
                division_by_zero()
            }
            datafusion::error::DataFusionError::ArrowError(e, _)
                if matches!(e.as_ref(), ArrowError::ArithmeticOverflow(_)) =>
            {
                out_of_range(&data_type)
            }
            _ => e,
        })?;
        if float && self.op != ArithmeticOp::Modulo && overflowed(left, right, &result)? {
            return Err(out_of_range(&data_type));
        }
        if float
            && matches!(self.op, ArithmeticOp::Multiply | ArithmeticOp::Divide)
            && underflowed(self.op, left, right, &result)?
        {
            return Err(SqlError::into_datafusion(
                sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
                "value out of range: underflow",
            ));
        }
        Ok(result)
    }
}

fn negate(value: &ColumnarValue, data_type: &DataType) -> Result<ColumnarValue> {
    let negated = |array: &dyn Array| numeric::neg(array).map_err(|_| out_of_range(data_type));
    Ok(match value {
        ColumnarValue::Array(array) => ColumnarValue::Array(negated(array.as_ref())?),
        ColumnarValue::Scalar(scalar) => {
            let array = negated(scalar.to_array()?.as_ref())?;
            ColumnarValue::Scalar(ScalarValue::try_from_array(array.as_ref(), 0)?)
        }
    })
}

/// Whether a divisor is zero in a row whose dividend is not NULL (a NULL
/// operand makes the result NULL, as PostgreSQL's strict operators do).
fn has_zero(dividend: &ColumnarValue, divisor: &ColumnarValue) -> Result<bool> {
    let rows = match (dividend, divisor) {
        (ColumnarValue::Array(a), _) | (_, ColumnarValue::Array(a)) => a.len(),
        _ => 1,
    };
    let (dividend, divisor) = (dividend.to_array(rows)?, divisor.to_array(rows)?);
    let zero = ScalarValue::new_zero(divisor.data_type())?.to_scalar()?;
    let equal = arrow::compute::kernels::cmp::eq(&divisor, &zero)?;
    Ok((0..rows).any(|row| equal.is_valid(row) && equal.value(row) && dividend.is_valid(row)))
}

/// Whether a float result is infinite where both operands are finite:
/// PostgreSQL's "value out of range: overflow".
fn overflowed(left: &ColumnarValue, right: &ColumnarValue, result: &ColumnarValue) -> Result<bool> {
    let len = [left, right, result]
        .iter()
        .find_map(|v| match v {
            ColumnarValue::Array(a) => Some(a.len()),
            ColumnarValue::Scalar(_) => None,
        })
        .unwrap_or(1);
    let out = result.to_array(len)?;
    let all_finite = match out.data_type() {
        DataType::Float64 => out.as_primitive::<Float64Type>().values().iter().all(|v| v.is_finite()),
        DataType::Float32 => out.as_primitive::<Float32Type>().values().iter().all(|v| v.is_finite()),
        _ => true,
    };
    if all_finite {
        return Ok(false);
    }
    let (l, r) = (left.to_array(len)?, right.to_array(len)?);
    let finite = |a: &ArrayRef, i: usize| -> bool {
        match a.data_type() {
            DataType::Float64 => a.as_primitive::<Float64Type>().value(i).is_finite(),
            DataType::Float32 => a.as_primitive::<Float32Type>().value(i).is_finite(),
            _ => true,
        }
    };
    for i in 0..len {
        if out.is_valid(i) && !finite(&out, i) && finite(&l, i) && finite(&r, i) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether a float product or quotient is zero where PostgreSQL says it
/// underflowed: a product of two non-zero operands, or a quotient of a
/// non-zero dividend by a finite divisor.
fn underflowed(op: ArithmeticOp, left: &ColumnarValue, right: &ColumnarValue, result: &ColumnarValue) -> Result<bool> {
    let len = [left, right, result]
        .iter()
        .find_map(|v| match v {
            ColumnarValue::Array(a) => Some(a.len()),
            ColumnarValue::Scalar(_) => None,
        })
        .unwrap_or(1);
    let as_f64 =
        |v: &ColumnarValue| -> Result<ArrayRef> { Ok(arrow::compute::cast(&v.to_array(len)?, &DataType::Float64)?) };
    let out = as_f64(result)?;
    let out = out.as_primitive::<Float64Type>();
    if out.null_count() == out.len() || out.values().iter().all(|v| *v != 0.0) {
        return Ok(false);
    }
    let (l, r) = (as_f64(left)?, as_f64(right)?);
    let (l, r) = (l.as_primitive::<Float64Type>(), r.as_primitive::<Float64Type>());
    Ok((0..len).any(|i| {
        out.is_valid(i)
            && out.value(i) == 0.0
            && match op {
                ArithmeticOp::Multiply => l.value(i) != 0.0 && r.value(i) != 0.0,
                _ => l.value(i) != 0.0 && r.value(i).is_finite(),
            }
    }))
}

/// Decimals of a numeric quotient (at least; more when an operand has more).
const QUOTIENT_SCALE: i8 = 20;

/// `numeric / numeric` as PostgreSQL divides: rounded half away from zero
/// to at least 20 decimals (DataFusion truncates to the dividend's scale
/// plus a few: `1.0 / 3` was `0.33333`), and 22012 for a zero divisor.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct NumericDivide {
    signature: Signature,
}

impl Default for NumericDivide {
    fn default() -> Self {
        NumericDivide { signature: Signature::any(2, Volatility::Immutable) }
    }
}

fn quotient_scale(left: &DataType, right: &DataType) -> i8 {
    match (left, right) {
        (DataType::Decimal128(_, a), DataType::Decimal128(_, b)) => QUOTIENT_SCALE.max(*a).max(*b).min(38),
        _ => QUOTIENT_SCALE,
    }
}

impl ScalarUDFImpl for NumericDivide {
    fn name(&self) -> &str {
        "eddy_numeric_divide"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Decimal128(38, quotient_scale(&arg_types[0], &arg_types[1])))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use arrow::array::Decimal128Array;
        use arrow::datatypes::{i256, Decimal128Type};
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let (DataType::Decimal128(_, sa), DataType::Decimal128(_, sb)) = (arrays[0].data_type(), arrays[1].data_type())
        else {
            return Err(datafusion::error::DataFusionError::Internal("numeric division of non-decimals".into()));
        };
        let scale = quotient_scale(arrays[0].data_type(), arrays[1].data_type());
        let (a, b) = (arrays[0].as_primitive::<Decimal128Type>(), arrays[1].as_primitive::<Decimal128Type>());
        // quotient = a / b * 10^(scale - sa + sb), one more digit, then rounded.
        let shift = (scale as i32 - *sa as i32 + *sb as i32 + 1) as u32;
        let ten = i256::from_i128(10);
        let overflow = || SqlError::into_datafusion(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
        let factor = (0..shift).try_fold(i256::ONE, |f, _| f.checked_mul(ten)).ok_or_else(overflow)?;
        let max = i256::from_i128(10i128.pow(38) - 1);
        let mut out = Vec::with_capacity(a.len());
        for row in 0..a.len() {
            if a.is_null(row) || b.is_null(row) {
                out.push(None);
                continue;
            }
            let divisor = i256::from_i128(b.value(row));
            if divisor == i256::ZERO {
                return Err(division_by_zero());
            }
            let extended = i256::from_i128(a.value(row)).checked_mul(factor).ok_or_else(overflow)? / divisor;
            let (whole, last) = (extended / ten, extended % ten);
            let rounded = if last >= i256::from_i128(5) {
                whole + i256::ONE
            } else if last <= i256::from_i128(-5) {
                whole - i256::ONE
            } else {
                whole
            };
            if rounded > max || rounded < max.wrapping_neg() {
                return Err(overflow());
            }
            out.push(rounded.to_i128());
        }
        let result = Decimal128Array::from(out).with_precision_and_scale(38, scale)?;
        Ok(if scalar {
            ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?)
        } else {
            ColumnarValue::Array(Arc::new(result))
        })
    }
}
