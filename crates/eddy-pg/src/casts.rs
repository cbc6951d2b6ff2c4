//! Casts as PostgreSQL performs them, where DataFusion's differ:
//! - to an integer, a float rounds half to even and a numeric half away
//!   from zero (DataFusion truncates: `4.5::integer` was 4, PostgreSQL 5);
//! - to text, every value is spelled as PostgreSQL's output spells it
//!   (`1e+16`, `2024-01-01 10:00:00`, not `1e16` and `2024-01-01T10:00:00`);
//! - a double that does not fit a real, and text naming a float out of
//!   range, are errors (22003), not infinity or zero;
//! - `smallint` and `bigint` have no cast to `boolean` (42846).
//!
//! [`postgres_cast`] rewrites a cast of a logical plan; the functions it
//! calls are here.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float32Array, StringArray};
use arrow::datatypes::{DataType, Float32Type, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    Cast, ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use eddy_common::{sqlstate, SqlError};

use crate::types::postgres_type_name;

/// The cast of `expr` (of type `from`) to `to` as PostgreSQL performs it:
/// `Some` replacement expression, or `None` to keep DataFusion's cast.
pub fn postgres_cast(expr: Expr, from: &DataType, to: &DataType) -> Result<Option<Expr>> {
    let call = |function: CastFunction, expr: Expr| {
        Expr::ScalarFunction(ScalarFunction { func: Arc::new(ScalarUDF::new_from_impl(function)), args: vec![expr] })
    };
    let text = |t: &DataType| matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8);
    Ok(Some(match (from, to) {
        (DataType::Float32 | DataType::Float64, t) if t.is_integer() => {
            Expr::Cast(Cast::new(Box::new(call(CastFunction::RoundHalfEven, expr)), to.clone()))
        }
        (DataType::Decimal128(p, s), t) if t.is_integer() && *s > 0 => {
            let whole = Expr::Cast(Cast::new(Box::new(expr), DataType::Decimal128(*p, 0)));
            Expr::Cast(Cast::new(Box::new(whole), to.clone()))
        }
        (DataType::Int16 | DataType::Int64, DataType::Boolean) => {
            return Err(SqlError::into_datafusion(
                sqlstate::CANNOT_COERCE,
                format!("cannot cast type {} to boolean", postgres_type_name(from)),
            ))
        }
        (DataType::Float64, DataType::Float32) => call(CastFunction::Real, expr),
        (f, DataType::Interval(_)) if text(f) => call(CastFunction::TextToInterval, expr),
        (f, DataType::Timestamp(_, _)) if text(f) => {
            let parsed = Expr::ScalarFunction(ScalarFunction {
                func: Arc::new(ScalarUDF::new_from_impl(CastFunction::TextToTimestamp)),
                args: vec![expr, Expr::Literal(datafusion::scalar::ScalarValue::try_from(to)?, None)],
            });
            if matches!(to, DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, _)) {
                parsed
            } else {
                Expr::Cast(Cast::new(Box::new(parsed), to.clone()))
            }
        }
        // `timestamptz AT TIME ZONE 'X'` (a cast between zones) is the wall
        // clock time in X, a timestamp without zone, in PostgreSQL.
        (DataType::Timestamp(_, Some(a)), DataType::Timestamp(_, Some(b))) if a != b => {
            call(CastFunction::LocalTime, Expr::Cast(Cast::new(Box::new(expr), to.clone())))
        }
        (f, DataType::Float64 | DataType::Float32) if text(f) => {
            let parsed = Expr::Cast(Cast::new(Box::new(expr.clone()), to.clone()));
            Expr::ScalarFunction(ScalarFunction {
                func: Arc::new(ScalarUDF::new_from_impl(CastFunction::FloatInRange)),
                args: vec![parsed, expr],
            })
        }
        (f, t) if text(t) && !text(f) && !matches!(f, DataType::Null | DataType::Boolean) => {
            let spelled = call(CastFunction::Text, expr);
            if *t == DataType::Utf8 {
                spelled
            } else {
                Expr::Cast(Cast::new(Box::new(spelled), t.clone()))
            }
        }
        _ => return Ok(None),
    }))
}

/// The functions casts call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CastFunction {
    /// A float rounded half to even (`rint`), as PostgreSQL's float to integer casts do.
    RoundHalfEven,
    /// A double as a real, refusing what does not fit.
    Real,
    /// `(parsed, text)`: the float parsed from text, refusing infinities the text did not spell.
    FloatInRange,
    /// Any value in PostgreSQL's text output.
    Text,
    /// A timestamp with a zone as the wall clock time in that zone.
    LocalTime,
    /// Text read as PostgreSQL reads an interval ([`crate::datetime_text`]).
    TextToInterval,
    /// `(text, target)`: text read as PostgreSQL reads a timestamp, as the
    /// target's zone (microseconds).
    TextToTimestamp,
    /// An interval as the number PostgreSQL compares intervals by: a month
    /// is 30 days, a day 24 hours (`interval '1 day' = interval '24 hours'`).
    IntervalKey,
}

/// `x` (a float) rounded half to even, as PostgreSQL's `rint`.
pub fn round_half_even(x: Expr) -> Expr {
    Expr::ScalarFunction(ScalarFunction {
        func: Arc::new(ScalarUDF::new_from_impl(CastFunction::RoundHalfEven)),
        args: vec![x],
    })
}

/// `interval` as its comparison key ([`CastFunction::IntervalKey`]).
pub fn interval_key(interval: Expr) -> Expr {
    Expr::ScalarFunction(ScalarFunction {
        func: Arc::new(ScalarUDF::new_from_impl(CastFunction::IntervalKey)),
        args: vec![interval],
    })
}

impl ScalarUDFImpl for CastFunction {
    fn name(&self) -> &str {
        match self {
            CastFunction::RoundHalfEven => "eddy_round_half_even",
            CastFunction::Real => "eddy_float4",
            CastFunction::FloatInRange => "eddy_float_in_range",
            CastFunction::Text => "eddy_text",
            CastFunction::IntervalKey => "eddy_interval_key",
            CastFunction::LocalTime => "eddy_local_time",
            CastFunction::TextToInterval => "eddy_text_to_interval",
            CastFunction::TextToTimestamp => "eddy_text_to_timestamp",
        }
    }

    fn signature(&self) -> &Signature {
        static ONE: std::sync::LazyLock<Signature> =
            std::sync::LazyLock::new(|| Signature::any(1, Volatility::Immutable));
        static TWO: std::sync::LazyLock<Signature> =
            std::sync::LazyLock::new(|| Signature::any(2, Volatility::Immutable));
        match self {
            CastFunction::FloatInRange | CastFunction::TextToTimestamp => &TWO,
            _ => &ONE,
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self {
            CastFunction::RoundHalfEven | CastFunction::FloatInRange => arg_types[0].clone(),
            CastFunction::Real => DataType::Float32,
            CastFunction::Text => DataType::Utf8,
            CastFunction::IntervalKey => DataType::Decimal128(38, 0),
            CastFunction::LocalTime => DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, None),
            CastFunction::TextToInterval => DataType::Interval(arrow::datatypes::IntervalUnit::MonthDayNano),
            CastFunction::TextToTimestamp => match &arg_types[1] {
                DataType::Timestamp(_, zone) => {
                    DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, zone.clone())
                }
                _ => DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, None),
            },
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let result: ArrayRef = match self {
            CastFunction::RoundHalfEven => match arrays[0].data_type() {
                DataType::Float64 => {
                    Arc::new(arrays[0].as_primitive::<Float64Type>().unary::<_, Float64Type>(f64::round_ties_even))
                }
                DataType::Float32 => {
                    Arc::new(arrays[0].as_primitive::<Float32Type>().unary::<_, Float32Type>(f32::round_ties_even))
                }
                _ => arrays[0].clone(),
            },
            CastFunction::Real => Arc::new(real(&arrays[0])?),
            CastFunction::FloatInRange => in_range(&arrays[0], &arrays[1])?,
            CastFunction::Text => Arc::new(StringArray::from(crate::text::format_column(&arrays[0])?)),
            CastFunction::IntervalKey => Arc::new(interval_keys(&arrays[0])?),
            CastFunction::LocalTime => local_times(&arrays[0])?,
            CastFunction::TextToInterval => text_to_intervals(&arrays[0])?,
            CastFunction::TextToTimestamp => {
                let zone = match args.args[1].data_type() {
                    DataType::Timestamp(_, zone) => zone,
                    _ => None,
                };
                text_to_timestamps(&arrays[0], zone)?
            }
        };
        Ok(if scalar {
            ColumnarValue::Scalar(datafusion::scalar::ScalarValue::try_from_array(&result, 0)?)
        } else {
            ColumnarValue::Array(result)
        })
    }
}

fn out_of_range(message: String) -> datafusion::error::DataFusionError {
    SqlError::into_datafusion(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE, message)
}

/// A double as a real: PostgreSQL refuses overflow and underflow.
fn real(values: &ArrayRef) -> Result<Float32Array> {
    let doubles = match values.data_type() {
        DataType::Float64 => values.as_primitive::<Float64Type>().clone(),
        _ => arrow::compute::cast(values, &DataType::Float64)?.as_primitive::<Float64Type>().clone(),
    };
    let mut out = Vec::with_capacity(doubles.len());
    for value in doubles.iter() {
        out.push(match value {
            None => None,
            Some(v) => {
                let narrowed = v as f32;
                if narrowed.is_infinite() && v.is_finite() {
                    return Err(out_of_range("value out of range: overflow".into()));
                }
                if narrowed == 0.0 && v != 0.0 {
                    return Err(out_of_range("value out of range: underflow".into()));
                }
                Some(narrowed)
            }
        });
    }
    Ok(Float32Array::from(out))
}

/// A float parsed from text: an infinity the text did not spell is out of range.
fn in_range(parsed: &ArrayRef, text: &ArrayRef) -> Result<ArrayRef> {
    let text = arrow::compute::cast(text, &DataType::Utf8)?;
    let text = text.as_string::<i32>();
    let infinite = |row: usize| match parsed.data_type() {
        DataType::Float32 => parsed.as_primitive::<Float32Type>().value(row).is_infinite(),
        _ => parsed.as_primitive::<Float64Type>().value(row).is_infinite(),
    };
    for row in 0..parsed.len() {
        if parsed.is_valid(row) && infinite(row) {
            let spelled = text.value(row).trim().trim_start_matches(['+', '-']).to_ascii_lowercase();
            if spelled != "inf" && spelled != "infinity" {
                let name = if *parsed.data_type() == DataType::Float32 { "real" } else { "double precision" };
                return Err(out_of_range(format!("\"{}\" is out of range for type {name}", text.value(row))));
            }
        }
    }
    Ok(parsed.clone())
}

/// Nanoseconds of each interval with a month as 30 days and a day as 24 hours.
fn interval_keys(intervals: &ArrayRef) -> Result<arrow::array::Decimal128Array> {
    let intervals = arrow::compute::cast(intervals, &DataType::Interval(arrow::datatypes::IntervalUnit::MonthDayNano))?;
    let values = intervals.as_primitive::<arrow::datatypes::IntervalMonthDayNanoType>();
    const DAY: i128 = 86_400_000_000_000;
    let keys: arrow::array::Decimal128Array = values
        .iter()
        .map(|v| v.map(|v| (v.months as i128 * 30 + v.days as i128) * DAY + v.nanoseconds as i128))
        .collect();
    Ok(keys.with_precision_and_scale(38, 0)?)
}

/// Each instant as the wall clock time of its array's zone.
fn local_times(values: &ArrayRef) -> Result<ArrayRef> {
    use arrow::datatypes::{TimeUnit, TimestampMicrosecondType};
    use chrono::{Offset, TimeZone};
    let DataType::Timestamp(_, Some(zone)) = values.data_type() else { return Ok(values.clone()) };
    let tz: arrow::array::timezone::Tz = zone.parse()?;
    let micros = arrow::compute::cast(values, &DataType::Timestamp(TimeUnit::Microsecond, Some(zone.clone())))?;
    let micros = micros.as_primitive::<TimestampMicrosecondType>();
    let mut out = Vec::with_capacity(micros.len());
    for value in micros.iter() {
        out.push(match value {
            None => None,
            Some(v) => {
                let utc = chrono::DateTime::from_timestamp_micros(v)
                    .ok_or_else(|| {
                        SqlError::into_datafusion(sqlstate::DATETIME_FIELD_OVERFLOW, "timestamp out of range")
                    })?
                    .naive_utc();
                let offset = tz.offset_from_utc_datetime(&utc).fix().local_minus_utc() as i64;
                Some(v + offset * 1_000_000)
            }
        });
    }
    Ok(Arc::new(arrow::array::TimestampMicrosecondArray::from(out)))
}

/// Each text as PostgreSQL reads an interval.
fn text_to_intervals(texts: &ArrayRef) -> Result<ArrayRef> {
    let texts = arrow::compute::cast(texts, &DataType::Utf8)?;
    let texts = texts.as_string::<i32>();
    let mut out = Vec::with_capacity(texts.len());
    for text in texts.iter() {
        out.push(match text {
            None => None,
            Some(text) => {
                let (months, days, micros) = crate::datetime_text::parse_interval(text).ok_or_else(|| {
                    SqlError::into_datafusion(
                        sqlstate::INVALID_DATETIME_FORMAT,
                        format!("invalid input syntax for type interval: \"{text}\""),
                    )
                })?;
                Some(arrow::datatypes::IntervalMonthDayNano::new(months, days, micros * 1000))
            }
        });
    }
    Ok(Arc::new(arrow::array::IntervalMonthDayNanoArray::from(out)))
}

/// Each text as PostgreSQL reads a timestamp: with a zone (`zone` is
/// `Some`) the instant, a text without offset read in UTC (Eddy's session
/// zone); without, the wall clock time, any offset in the text ignored.
fn text_to_timestamps(texts: &ArrayRef, zone: Option<Arc<str>>) -> Result<ArrayRef> {
    let texts = arrow::compute::cast(texts, &DataType::Utf8)?;
    let texts = texts.as_string::<i32>();
    let mut out = Vec::with_capacity(texts.len());
    for text in texts.iter() {
        out.push(match text {
            None => None,
            Some(text) => Some(timestamp_micros(text, zone.is_some())?),
        });
    }
    Ok(Arc::new(arrow::array::TimestampMicrosecondArray::from(out).with_timezone_opt(zone)))
}

fn timestamp_micros(text: &str, instant: bool) -> Result<i64> {
    let bad = |state, message: String| SqlError::into_datafusion(state, message);
    let lower = text.trim().to_ascii_lowercase();
    if matches!(lower.as_str(), "infinity" | "+infinity" | "-infinity") {
        return Err(bad(sqlstate::FEATURE_NOT_SUPPORTED, "infinite timestamps are not supported".into()));
    }
    let Some((wall, offset)) = crate::datetime_text::parse_timestamp(text) else {
        let looks_like_date = text.trim().len() >= 10 && text.trim()[..10].chars().filter(|c| *c == '-').count() == 2;
        return Err(if looks_like_date {
            bad(sqlstate::DATETIME_FIELD_OVERFLOW, format!("date/time field value out of range: \"{text}\""))
        } else {
            bad(sqlstate::INVALID_DATETIME_FORMAT, format!("invalid input syntax for type timestamp: \"{text}\""))
        });
    };
    let micros = wall.and_utc().timestamp_micros();
    Ok(match (instant, offset) {
        (true, Some(offset)) => micros - offset as i64 * 1_000_000,
        _ => micros,
    })
}
