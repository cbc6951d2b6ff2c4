//! `date_part(field, value)` — and `EXTRACT(field FROM value)`, which
//! DataFusion plans as `date_part` — as PostgreSQL computes it: seconds
//! carry their fraction (`45.123456`, DataFusion's integer `45` dropped
//! it), milliseconds and microseconds count the seconds too, `epoch` of an
//! interval counts a year as 365.25 days, and an unknown field is 22023.
//!
//! The result is a double, as PostgreSQL's `date_part`; PostgreSQL's
//! `EXTRACT` gives the same value as a numeric (docs/sql.md).

use std::sync::{Arc, LazyLock};

use arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use arrow::datatypes::{DataType, IntervalMonthDayNanoType, IntervalUnit, TimeUnit, TimestampMicrosecondType};
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use eddy_common::{sqlstate, SqlError};

/// The `date_part` function (see the module documentation).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct DatePart;

const MICROS_PER_SECOND: f64 = 1_000_000.0;
const MICROS_PER_DAY: i64 = 86_400_000_000;

fn unknown_unit(field: &str, what: &str) -> datafusion::error::DataFusionError {
    SqlError::into_datafusion(
        sqlstate::INVALID_PARAMETER_VALUE,
        format!("unit \"{field}\" not recognized for type {what}"),
    )
}

fn unsupported_unit(field: &str, what: &str) -> datafusion::error::DataFusionError {
    SqlError::into_datafusion(
        sqlstate::FEATURE_NOT_SUPPORTED,
        format!("unit \"{field}\" not supported for type {what}"),
    )
}

/// PostgreSQL's spellings of each field.
fn canonical(field: &str) -> String {
    let field = field.trim().to_ascii_lowercase();
    match field.as_str() {
        "years" | "y" | "yr" | "yrs" => "year",
        "months" | "mon" | "mons" => "month",
        "days" | "d" => "day",
        "hours" | "h" | "hr" | "hrs" => "hour",
        "minutes" | "min" | "mins" | "m" => "minute",
        "seconds" | "s" | "sec" | "secs" => "second",
        "millisecond" | "ms" | "msec" | "msecs" | "milliseconds" => "milliseconds",
        "microsecond" | "us" | "usec" | "usecs" | "microseconds" => "microseconds",
        "quarters" => "quarter",
        "weeks" | "w" => "week",
        "decades" => "decade",
        "centuries" => "century",
        "millenniums" | "millennia" => "millennium",
        other => other,
    }
    .to_string()
}

/// A field of a point in time (microseconds since the epoch, as wall clock time).
fn timestamp_field(field: &str, micros: i64, what: &str) -> Result<f64> {
    let Some(time) = DateTime::from_timestamp_micros(micros).map(|t| t.naive_utc()) else {
        return Err(SqlError::into_datafusion(sqlstate::DATETIME_FIELD_OVERFLOW, "timestamp out of range"));
    };
    let seconds = time.second() as f64 + time.nanosecond() as f64 / 1e9;
    let year = time.year() as f64;
    Ok(match field {
        "year" => year,
        "month" => time.month() as f64,
        "day" => time.day() as f64,
        "hour" => time.hour() as f64,
        "minute" => time.minute() as f64,
        "second" => seconds,
        "milliseconds" => (seconds * 1000.0 * 1000.0).round() / 1000.0,
        "microseconds" => (seconds * MICROS_PER_SECOND).round(),
        "epoch" => micros as f64 / MICROS_PER_SECOND,
        "dow" => time.weekday().num_days_from_sunday() as f64,
        "isodow" => time.weekday().number_from_monday() as f64,
        "doy" => time.ordinal() as f64,
        "week" => time.iso_week().week() as f64,
        "isoyear" => time.iso_week().year() as f64,
        "quarter" => ((time.month() - 1) / 3 + 1) as f64,
        "decade" => (time.year().div_euclid(10)) as f64,
        "century" => century(time.year()) as f64,
        "millennium" => millennium(time.year()) as f64,
        "julian" => julian(&time),
        "timezone" | "timezone_hour" | "timezone_minute" if what == "timestamp with time zone" => 0.0,
        "timezone" | "timezone_hour" | "timezone_minute" => return Err(unsupported_unit(field, what)),
        other => return Err(unknown_unit(other, what)),
    })
}

fn century(year: i32) -> i32 {
    if year > 0 {
        (year + 99) / 100
    } else {
        -((99 - (year - 1)) / 100)
    }
}

fn millennium(year: i32) -> i32 {
    if year > 0 {
        (year + 999) / 1000
    } else {
        -((999 - (year - 1)) / 1000)
    }
}

/// The Julian day with the time of day as a fraction, as PostgreSQL's `julian`.
fn julian(time: &NaiveDateTime) -> f64 {
    let days = time.date().num_days_from_ce() as f64 + 1_721_425.0;
    let seconds = time.num_seconds_from_midnight() as f64 + time.nanosecond() as f64 / 1e9;
    days + seconds / 86_400.0
}

/// A field of an interval.
fn interval_field(field: &str, months: i32, days: i32, nanos: i64) -> Result<f64> {
    let micros = nanos / 1000;
    let seconds_in_minute = (micros % 60_000_000) as f64 / MICROS_PER_SECOND;
    Ok(match field {
        "year" => (months / 12) as f64,
        "month" => (months % 12) as f64,
        "day" => days as f64,
        "hour" => (micros / 3_600_000_000) as f64,
        "minute" => ((micros / 60_000_000) % 60) as f64,
        "second" => seconds_in_minute,
        "milliseconds" => seconds_in_minute * 1000.0,
        "microseconds" => (micros % 60_000_000) as f64,
        "quarter" => ((months % 12) / 3 + 1) as f64,
        "decade" => (months / 12 / 10) as f64,
        "century" => (months / 12 / 100) as f64,
        "millennium" => (months / 12 / 1000) as f64,
        "epoch" => {
            let years = (months / 12) as f64 * 365.25 * 86_400.0;
            let rest = (months % 12) as f64 * 30.0 * 86_400.0;
            years + rest + days as f64 * 86_400.0 + micros as f64 / MICROS_PER_SECOND
        }
        "dow" | "isodow" | "doy" | "week" | "isoyear" | "julian" | "timezone" | "timezone_hour" | "timezone_minute" => {
            return Err(unsupported_unit(field, "interval"))
        }
        other => return Err(unknown_unit(other, "interval")),
    })
}

impl ScalarUDFImpl for DatePart {
    fn name(&self) -> &str {
        "date_part"
    }

    fn aliases(&self) -> &[String] {
        static ALIASES: LazyLock<Vec<String>> = LazyLock::new(|| vec!["datepart".to_string()]);
        &ALIASES
    }

    fn signature(&self) -> &Signature {
        static ANY: LazyLock<Signature> = LazyLock::new(|| Signature::any(2, Volatility::Immutable));
        &ANY
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let fields = arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
        let fields = fields.as_string::<i32>();
        let values = &arrays[1];
        let rows = values.len();
        let mut out = Vec::with_capacity(rows);
        match values.data_type() {
            DataType::Interval(_) => {
                let intervals = arrow::compute::cast(values, &DataType::Interval(IntervalUnit::MonthDayNano))?;
                let intervals = intervals.as_primitive::<IntervalMonthDayNanoType>();
                for row in 0..rows {
                    if intervals.is_null(row) || fields.is_null(row) {
                        out.push(None);
                        continue;
                    }
                    let v = intervals.value(row);
                    out.push(Some(interval_field(&canonical(fields.value(row)), v.months, v.days, v.nanoseconds)?));
                }
            }
            DataType::Time32(_) | DataType::Time64(_) => {
                let micros = arrow::compute::cast(values, &DataType::Time64(TimeUnit::Microsecond))?;
                let micros = micros.as_primitive::<arrow::datatypes::Time64MicrosecondType>();
                for row in 0..rows {
                    if micros.is_null(row) || fields.is_null(row) {
                        out.push(None);
                        continue;
                    }
                    let field = canonical(fields.value(row));
                    let value = interval_field(&field, 0, 0, micros.value(row) * 1000);
                    out.push(Some(match field.as_str() {
                        "year" | "month" | "day" | "quarter" | "decade" | "century" | "millennium" => {
                            return Err(unsupported_unit(&field, "time without time zone"))
                        }
                        _ => value?,
                    }));
                }
            }
            other => {
                let what = match other {
                    DataType::Timestamp(_, Some(_)) => "timestamp with time zone",
                    DataType::Date32 | DataType::Date64 => "date",
                    _ => "timestamp without time zone",
                };
                let micros: ArrayRef = match other {
                    DataType::Date32 | DataType::Date64 => {
                        let days = arrow::compute::cast(values, &DataType::Date32)?;
                        let days = days.as_primitive::<arrow::datatypes::Date32Type>();
                        Arc::new(arrow::array::TimestampMicrosecondArray::from_iter(
                            days.iter().map(|d| d.map(|d| d as i64 * MICROS_PER_DAY)),
                        ))
                    }
                    DataType::Timestamp(..) => {
                        arrow::compute::cast(values, &DataType::Timestamp(TimeUnit::Microsecond, None))?
                    }
                    DataType::Null => Arc::new(arrow::array::TimestampMicrosecondArray::new_null(rows)),
                    _ => {
                        return Err(SqlError::into_datafusion(
                            sqlstate::UNDEFINED_FUNCTION,
                            format!(
                                "function date_part(text, {}) does not exist",
                                crate::types::postgres_type_name(other)
                            ),
                        ))
                    }
                };
                let micros = micros.as_primitive::<TimestampMicrosecondType>();
                for row in 0..rows {
                    if micros.is_null(row) || fields.is_null(row) {
                        out.push(None);
                        continue;
                    }
                    out.push(Some(timestamp_field(&canonical(fields.value(row)), micros.value(row), what)?));
                }
            }
        }
        let result = Float64Array::from(out);
        Ok(if scalar {
            ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?)
        } else {
            ColumnarValue::Array(Arc::new(result))
        })
    }
}
