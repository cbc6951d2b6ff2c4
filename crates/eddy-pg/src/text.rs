//! Values as PostgreSQL's text format spells them: what `eddy run`, the
//! sqllogictest runner and the wire protocol (for the types where the
//! protocol library's text differs from PostgreSQL's) show.
//!
//! Where PostgreSQL has settings (`DateStyle`, `IntervalStyle`,
//! `extra_float_digits`), this is their default: ISO dates, `postgres`
//! intervals, shortest exact floats.

use std::fmt::Write;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, IntervalDayTime, IntervalMonthDayNano, IntervalUnit, TimeUnit};
use arrow::util::display::{ArrayFormatter, FormatOptions};

use arrow::error::ArrowError;

/// The text of each value of `column`; `None` for NULL.
pub fn format_column(column: &ArrayRef) -> Result<Vec<Option<String>>, ArrowError> {
    // A timestamptz shows in the session's zone, which is UTC in Eddy,
    // whatever zone an expression gave it (`ts AT TIME ZONE 'X'` on a
    // timestamp is an instant, shown in UTC as PostgreSQL shows it).
    if let DataType::Timestamp(unit, Some(zone)) = column.data_type() {
        if zone.as_ref() != "+00:00" {
            let utc = arrow::compute::cast(column, &DataType::Timestamp(*unit, Some("+00:00".into())))?;
            return format_column(&utc);
        }
    }
    let options = FormatOptions::default()
        .with_timestamp_format(Some("%Y-%m-%d %H:%M:%S%.6f"))
        .with_timestamp_tz_format(Some("%Y-%m-%d %H:%M:%S%.6f%:z"))
        .with_time_format(Some("%H:%M:%S%.6f"));
    let formatter = ArrayFormatter::try_new(column.as_ref(), &options)?;
    let mut values = Vec::with_capacity(column.len());
    for row in 0..column.len() {
        if column.is_null(row) {
            values.push(None);
            continue;
        }
        let text = match column.data_type() {
            DataType::Boolean => if column.as_boolean().value(row) { "t" } else { "f" }.to_string(),
            DataType::Float16 => {
                float_text(f64::from(column.as_primitive::<arrow::datatypes::Float16Type>().value(row)), 6)
            }
            DataType::Float32 => {
                float_text(f64::from(column.as_primitive::<arrow::datatypes::Float32Type>().value(row)), 6)
            }
            DataType::Float64 => float_text(column.as_primitive::<arrow::datatypes::Float64Type>().value(row), 15),
            DataType::Timestamp(_, None) | DataType::Time32(_) | DataType::Time64(_) => {
                trim_fraction(&formatter.value(row).to_string())
            }
            DataType::Timestamp(_, Some(_)) => {
                let text = formatter.value(row).to_string();
                let (local, offset) = text.split_at(text.len() - 6);
                let offset = offset.strip_suffix(":00").unwrap_or(offset);
                format!("{}{offset}", trim_fraction(local))
            }
            DataType::Interval(unit) => {
                let (months, days, micros) = interval_parts(column, *unit, row);
                interval_text(months, days, micros)
            }
            // As PostgreSQL's `timestamp - timestamp`: whole days of 24 hours
            // become days.
            DataType::Duration(_) => {
                let day = 86_400_000_000;
                match duration_micros(column, row) {
                    Some(micros) if (micros / day).abs() <= i32::MAX as i64 => {
                        interval_text(0, (micros / day) as i32, micros % day)
                    }
                    // Beyond what an interval holds: Arrow's spelling.
                    _ => formatter.value(row).to_string(),
                }
            }
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => list_text(column, row)?,
            _ => formatter.value(row).to_string(),
        };
        values.push(Some(text));
    }
    Ok(values)
}

/// Drops trailing zeros of a fraction of seconds, and the dot when nothing
/// is left: `00:00:01.500000` -> `00:00:01.5`, `00:00:01.000000` -> `00:00:01`.
fn trim_fraction(text: &str) -> String {
    match text.rfind('.') {
        Some(dot) => {
            let trimmed = text.trim_end_matches('0');
            if trimmed.len() == dot + 1 { &text[..dot] } else { trimmed }.to_string()
        }
        None => text.to_string(),
    }
}

/// A float as PostgreSQL prints it with `extra_float_digits` >= 1: the
/// shortest digits that read back exactly, in fixed notation when the
/// decimal exponent is in -4..digits (6 for real, 15 for double precision),
/// otherwise as `1.5e+20` / `1e-05`.
fn float_text(value: f64, digits: i32) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    // Rust's `{:e}` prints the shortest round-trip digits; for an f32 widened
    // to f64 those of the f32 are wanted, so format the narrow value.
    let scientific = if digits == 6 { format!("{:e}", value as f32) } else { format!("{value:e}") };
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..digits).contains(&exponent) {
        if digits == 6 {
            format!("{}", value as f32)
        } else {
            format!("{value}")
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

/// Months, days and microseconds of an interval value.
fn interval_parts(column: &ArrayRef, unit: IntervalUnit, row: usize) -> (i32, i32, i64) {
    match unit {
        IntervalUnit::YearMonth => (column.as_primitive::<arrow::datatypes::IntervalYearMonthType>().value(row), 0, 0),
        IntervalUnit::DayTime => {
            let IntervalDayTime { days, milliseconds } =
                column.as_primitive::<arrow::datatypes::IntervalDayTimeType>().value(row);
            (0, days, i64::from(milliseconds) * 1000)
        }
        IntervalUnit::MonthDayNano => {
            let IntervalMonthDayNano { months, days, nanoseconds } =
                column.as_primitive::<arrow::datatypes::IntervalMonthDayNanoType>().value(row);
            (months, days, nanoseconds / 1000)
        }
    }
}

/// Microseconds of a duration value; `None` beyond an `i64`.
fn duration_micros(column: &ArrayRef, row: usize) -> Option<i64> {
    use arrow::datatypes::{
        DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType,
    };
    match column.data_type() {
        DataType::Duration(TimeUnit::Second) => {
            column.as_primitive::<DurationSecondType>().value(row).checked_mul(1_000_000)
        }
        DataType::Duration(TimeUnit::Millisecond) => {
            column.as_primitive::<DurationMillisecondType>().value(row).checked_mul(1000)
        }
        DataType::Duration(TimeUnit::Microsecond) => Some(column.as_primitive::<DurationMicrosecondType>().value(row)),
        _ => Some(column.as_primitive::<DurationNanosecondType>().value(row) / 1000),
    }
}

/// An interval in PostgreSQL's default `postgres` style:
/// `1 year 2 mons 3 days 04:05:06.5`, `00:00:10`, `-1 days +02:00:00`.
fn interval_text(months: i32, days: i32, micros: i64) -> String {
    let mut out = String::new();
    // Whether the last part written was negative: a positive part after it
    // gets an explicit `+`.
    let mut after_negative = false;
    for (value, unit) in [(months / 12, "year"), (months % 12, "mon"), (days, "day")] {
        if value == 0 {
            continue;
        }
        let space = if out.is_empty() { "" } else { " " };
        let plus = if after_negative && value > 0 { "+" } else { "" };
        let plural = if value == 1 { "" } else { "s" };
        let _ = write!(out, "{space}{plus}{value} {unit}{plural}");
        after_negative = value < 0;
    }
    if out.is_empty() || micros != 0 {
        let sign = if micros < 0 {
            "-"
        } else if after_negative {
            "+"
        } else {
            ""
        };
        let micros = micros.unsigned_abs();
        let seconds = micros / 1_000_000;
        let fraction = micros % 1_000_000;
        let space = if out.is_empty() { "" } else { " " };
        let time = format!("{:02}:{:02}:{:02}.{fraction:06}", seconds / 3600, seconds / 60 % 60, seconds % 60);
        let _ = write!(out, "{space}{sign}{}", trim_fraction(&time));
    }
    out
}

/// An array value as a PostgreSQL array literal: `{1,2,NULL}`, elements
/// double-quoted when they are empty, `NULL`, or hold `{},"\` or spaces.
fn list_text(column: &ArrayRef, row: usize) -> Result<String, ArrowError> {
    let values = match column.data_type() {
        DataType::List(_) => column.as_list::<i32>().value(row),
        DataType::LargeList(_) => column.as_list::<i64>().value(row),
        _ => column.as_fixed_size_list().value(row),
    };
    let elements = format_column(&values)?;
    // An inner array is written as it is: `{{1,2},{3,4}}`.
    let nested = matches!(values.data_type(), DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..));
    let mut out = String::from("{");
    for (i, element) in elements.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match element {
            None => out.push_str("NULL"),
            Some(text) => {
                let quote = !nested
                    && (text.is_empty()
                        || text.eq_ignore_ascii_case("null")
                        || text.chars().any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_whitespace()));
                if quote {
                    out.push('"');
                    for c in text.chars() {
                        if matches!(c, '"' | '\\') {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out.push('"');
                } else {
                    out.push_str(text);
                }
            }
        }
    }
    out.push('}');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{
        Float32Array, Float64Array, IntervalMonthDayNanoArray, ListArray, StringArray, Time64MicrosecondArray,
        TimestampMillisecondArray,
    };
    use arrow::datatypes::Int64Type;

    use super::*;

    fn texts(column: ArrayRef) -> Vec<String> {
        format_column(&column).unwrap().into_iter().map(|v| v.unwrap_or_else(|| "NULL".into())).collect()
    }

    #[test]
    fn floats_print_as_postgres_does() {
        let column = Arc::new(Float64Array::from(vec![
            100.0,
            0.1,
            -2.5,
            1e15,
            123456789012345.0,
            1.5e20,
            0.0001,
            0.00001,
            f64::INFINITY,
            f64::NAN,
        ]));
        assert_eq!(
            texts(column),
            ["100", "0.1", "-2.5", "1e+15", "123456789012345", "1.5e+20", "0.0001", "1e-05", "Infinity", "NaN"]
        );
        let column = Arc::new(Float32Array::from(vec![0.1f32, 100000.0, 1e6, -1.25]));
        assert_eq!(texts(column), ["0.1", "100000", "1e+06", "-1.25"]);
    }

    #[test]
    fn timestamps_and_times_drop_zero_fractions() {
        let column = Arc::new(TimestampMillisecondArray::from(vec![0, 1_500, 1_010]));
        assert_eq!(texts(column), ["1970-01-01 00:00:00", "1970-01-01 00:00:01.5", "1970-01-01 00:00:01.01"]);
        // A timestamptz shows in the session's zone, UTC, whatever its own.
        let column = Arc::new(TimestampMillisecondArray::from(vec![0, 1_500]).with_timezone("+05:30"));
        assert_eq!(texts(column), ["1970-01-01 00:00:00+00", "1970-01-01 00:00:01.5+00"]);
        let column = Arc::new(TimestampMillisecondArray::from(vec![0]).with_timezone("UTC"));
        assert_eq!(texts(column), ["1970-01-01 00:00:00+00"]);
        let column = Arc::new(Time64MicrosecondArray::from(vec![3_600_000_000, 1_250_000]));
        assert_eq!(texts(column), ["01:00:00", "00:00:01.25"]);
    }

    #[test]
    fn intervals_use_the_postgres_style() {
        let value = |months, days, nanoseconds| IntervalMonthDayNano { months, days, nanoseconds };
        let column = Arc::new(IntervalMonthDayNanoArray::from(vec![
            value(0, 0, 10_000_000_000),
            value(14, 3, 14_706_500_000_000),
            value(0, 0, 0),
            value(0, 1, 0),
            value(0, -1, 7_200_000_000_000),
            value(-1, 0, -1_000_000_000),
            value(0, 0, 90_000_000_000_000),
        ]));
        assert_eq!(
            texts(column),
            [
                "00:00:10",
                "1 year 2 mons 3 days 04:05:06.5",
                "00:00:00",
                "1 day",
                "-1 days +02:00:00",
                "-1 mons -00:00:01",
                "25:00:00"
            ]
        );
    }

    #[test]
    fn durations_print_as_timestamp_differences_do() {
        let column = Arc::new(arrow::array::DurationNanosecondArray::from(vec![
            86_400_000_000_000,
            31_708_799_123_456_000,
            -5_000_000_000,
        ]));
        assert_eq!(texts(column), ["1 day", "366 days 23:59:59.123456", "-00:00:05"]);
        // Seconds past what microseconds hold do not overflow.
        let huge = Arc::new(arrow::array::DurationSecondArray::from(vec![i64::MAX / 10, 1]));
        let text = texts(huge);
        assert!(!text[0].is_empty());
        assert_eq!(text[1], "00:00:01");
    }

    #[test]
    fn lists_are_array_literals() {
        let ints = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![Some(vec![Some(1), None, Some(3)])]);
        assert_eq!(texts(Arc::new(ints)), ["{1,NULL,3}"]);
        let strings = Arc::new(StringArray::from(vec!["a", "", "b c", "x\"y", "null"])) as ArrayRef;
        let field = Arc::new(arrow::datatypes::Field::new_list_field(DataType::Utf8, true));
        let list = ListArray::new(field, arrow::buffer::OffsetBuffer::from_lengths([5]), strings, None);
        assert_eq!(texts(Arc::new(list)), [r#"{a,"","b c","x\"y","null"}"#]);
        // Arrays of arrays nest without quotes.
        let inner =
            ListArray::from_iter_primitive::<Int64Type, _, _>(vec![Some(vec![Some(1), Some(2)]), Some(vec![Some(3)])]);
        let field = Arc::new(arrow::datatypes::Field::new_list_field(inner.data_type().clone(), true));
        let nested = ListArray::new(field, arrow::buffer::OffsetBuffer::from_lengths([2]), Arc::new(inner), None);
        assert_eq!(texts(Arc::new(nested)), ["{{1,2},{3}}"]);
    }
}
