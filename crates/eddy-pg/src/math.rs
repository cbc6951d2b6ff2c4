//! Math functions with PostgreSQL's answers where DataFusion's differ or
//! are missing: errors instead of NaN and infinities (`ln(0)` is 2201E,
//! `sqrt(-1)` 2201F, `exp(710)` 22003), and `sign`, `width_bucket`,
//! `pg_typeof`, `mod`, `div`, `ceiling`.
//!
//! They compute in double precision. For `numeric` arguments PostgreSQL
//! computes exactly; here the result is a double (docs/sql.md lists this
//! deviation).

use std::sync::{Arc, LazyLock};

use arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int32Array, StringArray};
use arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility,
};
use datafusion::scalar::ScalarValue;
use eddy_common::{sqlstate, SqlError};

use crate::types::postgres_type_name;

/// The functions of this module.
pub fn math_functions() -> Vec<ScalarUDF> {
    let mut functions: Vec<ScalarUDF> = [
        MathFunction::Ln,
        MathFunction::Log,
        MathFunction::Log10,
        MathFunction::Sqrt,
        MathFunction::Exp,
        MathFunction::Power,
        MathFunction::Sign,
        MathFunction::WidthBucket,
        MathFunction::Asin,
        MathFunction::Acos,
    ]
    .into_iter()
    .map(ScalarUDF::new_from_impl)
    .collect();
    functions.push(ScalarUDF::new_from_impl(TypeOf));
    functions.push(ScalarUDF::new_from_impl(Placeholder::new("mod")));
    functions.push(ScalarUDF::new_from_impl(Placeholder::new("div")));
    functions
}

/// A math function over doubles with PostgreSQL's domain checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum MathFunction {
    Ln,
    /// `log(x)` is base 10, `log(b, x)` base `b`.
    Log,
    Log10,
    Sqrt,
    Exp,
    Power,
    Sign,
    /// `width_bucket(x, low, high, count)`.
    WidthBucket,
    Asin,
    Acos,
}

fn doubles(n: usize) -> Signature {
    Signature::uniform(n, vec![DataType::Float64], Volatility::Immutable)
}

static ONE_DOUBLE: LazyLock<Signature> = LazyLock::new(|| doubles(1));
static TWO_DOUBLES: LazyLock<Signature> = LazyLock::new(|| doubles(2));
static LOG: LazyLock<Signature> = LazyLock::new(|| {
    Signature::one_of(
        vec![TypeSignature::Uniform(1, vec![DataType::Float64]), TypeSignature::Uniform(2, vec![DataType::Float64])],
        Volatility::Immutable,
    )
});
static WIDTH_BUCKET: LazyLock<Signature> = LazyLock::new(|| {
    Signature::exact(
        vec![DataType::Float64, DataType::Float64, DataType::Float64, DataType::Int32],
        Volatility::Immutable,
    )
});

fn invalid_log(message: &str) -> datafusion::error::DataFusionError {
    SqlError::into_datafusion(sqlstate::INVALID_ARGUMENT_FOR_LOGARITHM, message)
}

fn invalid_power(message: &str) -> datafusion::error::DataFusionError {
    SqlError::into_datafusion(sqlstate::INVALID_ARGUMENT_FOR_POWER_FUNCTION, message)
}

fn out_of_range(what: &str) -> datafusion::error::DataFusionError {
    SqlError::into_datafusion(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE, format!("value out of range: {what}"))
}

/// PostgreSQL's logarithm checks.
fn log_of(x: f64) -> Result<f64> {
    if x == 0.0 {
        return Err(invalid_log("cannot take logarithm of zero"));
    }
    if x < 0.0 {
        return Err(invalid_log("cannot take logarithm of a negative number"));
    }
    Ok(x.ln())
}

/// A finite result from finite input must stay finite and, unless the
/// exact answer is zero, non-zero.
fn in_range(input: f64, result: f64, zero_is_exact: bool) -> Result<f64> {
    if result.is_infinite() && input.is_finite() {
        return Err(out_of_range("overflow"));
    }
    if result == 0.0 && !zero_is_exact && input.is_finite() {
        return Err(out_of_range("underflow"));
    }
    Ok(result)
}

impl MathFunction {
    fn apply(self, args: &[f64]) -> Result<f64> {
        Ok(match (self, args) {
            (MathFunction::Ln, [x]) => log_of(*x)?,
            (MathFunction::Log | MathFunction::Log10, [x]) => log_of(*x)? / std::f64::consts::LN_10,
            (MathFunction::Log, [base, x]) => {
                let (b, v) = (log_of(*base)?, log_of(*x)?);
                if b == 0.0 {
                    return Err(SqlError::into_datafusion(sqlstate::DIVISION_BY_ZERO, "division by zero"));
                }
                v / b
            }
            (MathFunction::Sqrt, [x]) => {
                if *x < 0.0 {
                    return Err(invalid_power("cannot take square root of a negative number"));
                }
                x.sqrt()
            }
            (MathFunction::Exp, [x]) => in_range(*x, x.exp(), x.is_infinite())?,
            (MathFunction::Power, [a, b]) => {
                if *a == 0.0 && *b < 0.0 {
                    return Err(invalid_power("zero raised to a negative power is undefined"));
                }
                if *a < 0.0 && b.fract() != 0.0 && b.is_finite() {
                    return Err(invalid_power(
                        "a negative number raised to a non-integer power yields a complex result",
                    ));
                }
                let result = a.powf(*b);
                if result.is_infinite() && a.is_finite() && b.is_finite() {
                    return Err(out_of_range("overflow"));
                }
                if result == 0.0 && *a != 0.0 && a.is_finite() && b.is_finite() {
                    return Err(out_of_range("underflow"));
                }
                result
            }
            (MathFunction::Asin | MathFunction::Acos, [x]) => {
                if !(-1.0..=1.0).contains(x) && !x.is_nan() {
                    return Err(SqlError::into_datafusion(
                        sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
                        "input is out of range",
                    ));
                }
                if self == MathFunction::Asin {
                    x.asin()
                } else {
                    x.acos()
                }
            }
            (MathFunction::Sign, [x]) => {
                if x.is_nan() {
                    f64::NAN
                } else if *x > 0.0 {
                    1.0
                } else if *x < 0.0 {
                    -1.0
                } else {
                    0.0
                }
            }
            _ => unreachable!("signatures fix the argument count"),
        })
    }
}

impl ScalarUDFImpl for MathFunction {
    fn name(&self) -> &str {
        match self {
            MathFunction::Ln => "ln",
            MathFunction::Log => "log",
            MathFunction::Log10 => "log10",
            MathFunction::Sqrt => "sqrt",
            MathFunction::Exp => "exp",
            MathFunction::Power => "power",
            MathFunction::Sign => "sign",
            MathFunction::WidthBucket => "width_bucket",
            MathFunction::Asin => "asin",
            MathFunction::Acos => "acos",
        }
    }

    fn aliases(&self) -> &[String] {
        static POW: LazyLock<Vec<String>> = LazyLock::new(|| vec!["pow".to_string()]);
        match self {
            MathFunction::Power => &POW,
            _ => &[],
        }
    }

    fn signature(&self) -> &Signature {
        match self {
            MathFunction::Log => &LOG,
            MathFunction::Power => &TWO_DOUBLES,
            MathFunction::WidthBucket => &WIDTH_BUCKET,
            _ => &ONE_DOUBLE,
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self {
            MathFunction::WidthBucket => DataType::Int32,
            _ => DataType::Float64,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let rows = arrays.first().map_or(0, |a| a.len());
        let result: ArrayRef = if *self == MathFunction::WidthBucket {
            Arc::new(width_bucket(&arrays, rows)?)
        } else {
            let columns: Vec<&Float64Array> = arrays.iter().map(|a| a.as_primitive::<Float64Type>()).collect();
            let mut out = Vec::with_capacity(rows);
            let mut values = Vec::with_capacity(columns.len());
            for row in 0..rows {
                values.clear();
                if columns.iter().any(|c| c.is_null(row)) {
                    out.push(None);
                    continue;
                }
                values.extend(columns.iter().map(|c| c.value(row)));
                out.push(Some(self.apply(&values)?));
            }
            Arc::new(Float64Array::from(out))
        };
        Ok(if scalar {
            ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?)
        } else {
            ColumnarValue::Array(result)
        })
    }
}

/// PostgreSQL's `width_bucket(operand, low, high, count)`.
fn width_bucket(arrays: &[ArrayRef], rows: usize) -> Result<Int32Array> {
    let (x, low, high) = (
        arrays[0].as_primitive::<Float64Type>(),
        arrays[1].as_primitive::<Float64Type>(),
        arrays[2].as_primitive::<Float64Type>(),
    );
    let count = arrays[3].as_primitive::<arrow::datatypes::Int32Type>();
    let invalid = |m: &str| SqlError::into_datafusion(sqlstate::INVALID_ARGUMENT_FOR_WIDTH_BUCKET, m);
    let mut out = Vec::with_capacity(rows);
    for row in 0..rows {
        if x.is_null(row) || low.is_null(row) || high.is_null(row) || count.is_null(row) {
            out.push(None);
            continue;
        }
        let (v, lo, hi, n) = (x.value(row), low.value(row), high.value(row), count.value(row));
        if n <= 0 {
            return Err(invalid("count must be greater than zero"));
        }
        if lo == hi {
            return Err(invalid("lower bound cannot equal upper bound"));
        }
        if v.is_nan() || lo.is_nan() || hi.is_nan() {
            return Err(invalid("operand, lower bound, and upper bound cannot be NaN"));
        }
        let bucket = if lo < hi {
            if v < lo {
                0
            } else if v >= hi {
                n as i64 + 1
            } else {
                ((v - lo) / (hi - lo) * n as f64) as i64 + 1
            }
        } else if v > lo {
            0
        } else if v <= hi {
            n as i64 + 1
        } else {
            ((lo - v) / (lo - hi) * n as f64) as i64 + 1
        };
        out.push(Some(i32::try_from(bucket).map_err(|_| out_of_range("overflow"))?));
    }
    Ok(Int32Array::from(out))
}

/// `pg_typeof(x)`: PostgreSQL's name of the argument's type.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TypeOf;

impl ScalarUDFImpl for TypeOf {
    fn name(&self) -> &str {
        "pg_typeof"
    }

    fn signature(&self) -> &Signature {
        static ANY: LazyLock<Signature> = LazyLock::new(|| Signature::any(1, Volatility::Immutable));
        &ANY
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = postgres_type_name(args.arg_fields[0].data_type());
        Ok(match &args.args[0] {
            ColumnarValue::Scalar(_) => ColumnarValue::Scalar(ScalarValue::Utf8(Some(name))),
            ColumnarValue::Array(a) => ColumnarValue::Array(Arc::new(StringArray::from(vec![name; a.len()]))),
        })
    }
}

/// A function the analyzer rewrites before it runs (`mod(a, b)` is
/// `a % b`): it exists so the SQL planner finds the name.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Placeholder {
    name: &'static str,
    signature: Signature,
}

impl Placeholder {
    fn new(name: &'static str) -> Self {
        Placeholder { name, signature: Signature::any(2, Volatility::Immutable) }
    }
}

impl ScalarUDFImpl for Placeholder {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        Err(datafusion::error::DataFusionError::Internal(format!(
            "{}() runs only after the analyzer rewrote it",
            self.name
        )))
    }
}
