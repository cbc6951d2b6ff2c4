//! Timestamps as records carry them: epoch numbers and text read into
//! `TIMESTAMP` / `TIMESTAMPTZ` columns.
//!
//! A number is a count since 1970-01-01 00:00:00 UTC whose unit is the
//! stream's `timestamp_unit` option (`'s'`, `'ms'`, `'us'`, `'ns'`) or, by
//! default (`'auto'`), decided by its magnitude as RisingWave does: below
//! 10^11 seconds (up to the year 5138), below 10^14 milliseconds, below
//! 10^17 microseconds, otherwise nanoseconds. A number with a fraction or an
//! exponent counts in the same unit. Text is ISO 8601 / RFC 3339 or
//! PostgreSQL's output (`2024-01-01 10:00:00`, `2024-01-01T10:00:00Z`,
//! `2024-01-01 10:00:00.5+00`). Anything else — and a value outside the
//! column's range — is a bad record, never a guessed time.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, PrimitiveBuilder};
use arrow::compute::kernels::cast_utils::string_to_datetime;
use arrow::datatypes::{
    DataType, Field, Schema, SchemaRef, TimeUnit, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType,
};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use chrono::Utc;

use crate::ConnectorError;

/// The unit of epoch numbers in `TIMESTAMP` columns (`timestamp_unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EpochUnit {
    /// Decided per value by its magnitude.
    #[default]
    Auto,
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}

impl EpochUnit {
    /// Parses the `timestamp_unit` option.
    pub fn parse(value: Option<&str>) -> Result<Self, ConnectorError> {
        Ok(match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("auto") => EpochUnit::Auto,
            Some("s" | "second" | "seconds") => EpochUnit::Seconds,
            Some("ms" | "millisecond" | "milliseconds") => EpochUnit::Milliseconds,
            Some("us" | "microsecond" | "microseconds") => EpochUnit::Microseconds,
            Some("ns" | "nanosecond" | "nanoseconds") => EpochUnit::Nanoseconds,
            Some(other) => {
                return Err(ConnectorError::InvalidOption {
                    option: "timestamp_unit".into(),
                    reason: format!("expected 'auto', 's', 'ms', 'us' or 'ns', found '{other}'"),
                })
            }
        })
    }

    /// Nanoseconds per unit for a value of magnitude `magnitude`.
    fn nanos_per_unit(self, magnitude: f64) -> i128 {
        match self {
            EpochUnit::Seconds => 1_000_000_000,
            EpochUnit::Milliseconds => 1_000_000,
            EpochUnit::Microseconds => 1_000,
            EpochUnit::Nanoseconds => 1,
            EpochUnit::Auto if magnitude < 1e11 => 1_000_000_000,
            EpochUnit::Auto if magnitude < 1e14 => 1_000_000,
            EpochUnit::Auto if magnitude < 1e17 => 1_000,
            EpochUnit::Auto => 1,
        }
    }
}

/// The timestamp columns of a schema, decoded as text first and converted
/// by [`TimestampColumns::convert`].
#[derive(Debug, Clone)]
pub(crate) struct TimestampColumns {
    /// The schema records are decoded into: timestamp columns as text.
    pub(crate) decode_schema: SchemaRef,
    target: SchemaRef,
    columns: Vec<usize>,
    unit: EpochUnit,
}

impl TimestampColumns {
    /// `None` when `schema` has no timestamp column.
    pub(crate) fn of(schema: &SchemaRef, unit: EpochUnit) -> Option<Self> {
        let columns: Vec<usize> = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f.data_type(), DataType::Timestamp(..)))
            .map(|(i, _)| i)
            .collect();
        if columns.is_empty() {
            return None;
        }
        let fields: Vec<Field> = schema
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Timestamp(..) => f.as_ref().clone().with_data_type(DataType::Utf8),
                _ => f.as_ref().clone(),
            })
            .collect();
        Some(TimestampColumns {
            decode_schema: Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())),
            target: schema.clone(),
            columns,
            unit,
        })
    }

    /// Converts the text of every timestamp column of `batch` (decoded with
    /// `decode_schema`); the first value that is not a timestamp fails the batch.
    pub(crate) fn convert(&self, batch: RecordBatch) -> Result<RecordBatch, ArrowError> {
        let mut columns = batch.columns().to_vec();
        for &index in &self.columns {
            let DataType::Timestamp(unit, zone) = self.target.field(index).data_type() else { continue };
            let text = columns[index].as_string::<i32>();
            let name = self.target.field(index).name();
            let zone = zone.clone();
            columns[index] = match unit {
                TimeUnit::Second => convert::<TimestampSecondType>(text, name, 1_000_000_000, self.unit, zone)?,
                TimeUnit::Millisecond => convert::<TimestampMillisecondType>(text, name, 1_000_000, self.unit, zone)?,
                TimeUnit::Microsecond => convert::<TimestampMicrosecondType>(text, name, 1_000, self.unit, zone)?,
                TimeUnit::Nanosecond => convert::<TimestampNanosecondType>(text, name, 1, self.unit, zone)?,
            };
        }
        RecordBatch::try_new(self.target.clone(), columns)
    }
}

fn convert<T>(
    text: &arrow::array::StringArray,
    column: &str,
    nanos_per_value: i128,
    unit: EpochUnit,
    zone: Option<Arc<str>>,
) -> Result<ArrayRef, ArrowError>
where
    T: arrow::datatypes::ArrowTimestampType,
{
    let mut out = PrimitiveBuilder::<T>::with_capacity(text.len());
    for value in text.iter() {
        match value {
            None => out.append_null(),
            Some(value) => {
                let nanos = timestamp_nanos(value, unit)
                    .map_err(|reason| ArrowError::ParseError(format!("column \"{column}\": {reason}")))?;
                let converted = i64::try_from(nanos.div_euclid(nanos_per_value)).map_err(|_| {
                    ArrowError::ParseError(format!("column \"{column}\": timestamp out of range: \"{value}\""))
                })?;
                out.append_value(converted);
            }
        }
    }
    Ok(Arc::new(out.finish().with_timezone_opt(zone)))
}

/// Nanoseconds since the epoch of an epoch number or a timestamp text.
fn timestamp_nanos(value: &str, unit: EpochUnit) -> Result<i128, String> {
    let trimmed = value.trim();
    let numeric = trimmed.starts_with(['-', '+', '.']) || trimmed.starts_with(|c: char| c.is_ascii_digit());
    if numeric && !trimmed.contains([':', ' ', 'T']) && trimmed.matches('-').count() <= 1 {
        if let Ok(count) = trimmed.parse::<i64>() {
            let per_unit = unit.nanos_per_unit(count.unsigned_abs() as f64);
            return (count as i128).checked_mul(per_unit).ok_or_else(|| format!("timestamp out of range: {value}"));
        }
        if let Some(nanos) = exact_decimal(trimmed, unit) {
            return nanos;
        }
        if let Ok(count) = trimmed.parse::<f64>() {
            if !count.is_finite() {
                return Err(format!("invalid timestamp: {value}"));
            }
            let nanos = count * unit.nanos_per_unit(count.abs()) as f64;
            if nanos.abs() >= i128::MAX as f64 {
                return Err(format!("timestamp out of range: {value}"));
            }
            return Ok(nanos.round() as i128);
        }
    }
    let parsed = string_to_datetime(&Utc, trimmed)
        .or_else(|_| string_to_datetime(&Utc, &postgres_offset(trimmed)))
        .map_err(|_| format!("invalid input syntax for type timestamp: \"{value}\""))?;
    let seconds = parsed.timestamp() as i128;
    Ok(seconds * 1_000_000_000 + parsed.timestamp_subsec_nanos() as i128)
}

/// A number with a fraction (`1704067205.25`) in nanoseconds, exactly;
/// `None` when it is not plain digits with one point.
fn exact_decimal(text: &str, unit: EpochUnit) -> Option<Result<i128, String>> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.')?;
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
        || whole.len() > 30
    {
        return None;
    }
    let whole_value: i128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let per_unit = unit.nanos_per_unit(whole_value as f64);
    // Digits of the fraction beyond a nanosecond are dropped.
    let mut fraction_nanos: i128 = 0;
    let mut scale = per_unit;
    for digit in fraction.bytes() {
        scale /= 10;
        if scale == 0 {
            break;
        }
        fraction_nanos += (digit - b'0') as i128 * scale;
    }
    let nanos = whole_value.checked_mul(per_unit).map(|n| n + fraction_nanos);
    let result = nanos.ok_or_else(|| format!("timestamp out of range: {text}"));
    Some(result.map(|n| if negative { -n } else { n }))
}

/// PostgreSQL writes whole-hour offsets as `+05`; RFC 3339 wants `+05:00`.
fn postgres_offset(text: &str) -> String {
    let bytes = text.as_bytes();
    let n = bytes.len();
    if n >= 3 && matches!(bytes[n - 3], b'+' | b'-') && bytes[n - 2].is_ascii_digit() && bytes[n - 1].is_ascii_digit() {
        format!("{text}:00")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(value: &str, unit: EpochUnit) -> Result<i128, String> {
        timestamp_nanos(value, unit).map(|n| n / 1_000)
    }

    #[test]
    fn epoch_numbers_are_read_in_the_unit_their_magnitude_tells() {
        // 2024-01-01 00:00:05 UTC.
        let expected = 1_704_067_205_000_000;
        assert_eq!(micros("1704067205", EpochUnit::Auto), Ok(expected));
        assert_eq!(micros("1704067205000", EpochUnit::Auto), Ok(expected));
        assert_eq!(micros("1704067205000000", EpochUnit::Auto), Ok(expected));
        assert_eq!(micros("1704067205000000000", EpochUnit::Auto), Ok(expected));
        assert_eq!(micros("1704067205.25", EpochUnit::Auto), Ok(expected + 250_000));
        assert_eq!(micros("0", EpochUnit::Auto), Ok(0));
        assert_eq!(micros("-86400", EpochUnit::Auto), Ok(-86_400_000_000));
    }

    #[test]
    fn an_explicit_unit_overrides_the_magnitude() {
        assert_eq!(micros("1704067205", EpochUnit::Milliseconds), Ok(1_704_067_205_000));
        assert_eq!(micros("5", EpochUnit::Nanoseconds), Ok(0));
        assert_eq!(micros("5", EpochUnit::Seconds), Ok(5_000_000));
        assert!(EpochUnit::parse(Some("minutes")).is_err());
        assert_eq!(EpochUnit::parse(Some("MS")).unwrap(), EpochUnit::Milliseconds);
    }

    #[test]
    fn text_in_iso_and_postgres_forms_is_read_and_anything_else_refused() {
        let expected = Ok(1_704_103_200_000_000);
        assert_eq!(micros("2024-01-01 10:00:00", EpochUnit::Auto), expected);
        assert_eq!(micros("2024-01-01T10:00:00Z", EpochUnit::Auto), expected);
        assert_eq!(micros("2024-01-01T10:00:00+00:00", EpochUnit::Auto), expected);
        assert_eq!(micros("2024-01-01 10:00:00+00", EpochUnit::Auto), expected);
        assert_eq!(micros("2024-01-01 12:00:00+02", EpochUnit::Auto), expected);
        assert!(micros("yesterday", EpochUnit::Auto).is_err());
        assert!(micros("2024-13-01 00:00:00", EpochUnit::Auto).is_err());
        assert!(micros("NaN", EpochUnit::Auto).is_err());
        assert!(micros("1e300", EpochUnit::Auto).is_err());
    }

    #[test]
    fn a_batch_with_a_bad_value_fails_and_a_good_one_converts() {
        let schema =
            Arc::new(Schema::new(vec![Field::new("ts", DataType::Timestamp(TimeUnit::Microsecond, None), true)]));
        let columns = TimestampColumns::of(&schema, EpochUnit::Auto).unwrap();
        let text = |values: Vec<Option<&str>>| {
            RecordBatch::try_new(
                columns.decode_schema.clone(),
                vec![Arc::new(arrow::array::StringArray::from(values)) as ArrayRef],
            )
            .unwrap()
        };
        let good = columns.convert(text(vec![Some("1704067205000"), None])).unwrap();
        let values = good.column(0).as_primitive::<TimestampMicrosecondType>();
        assert_eq!(values.value(0), 1_704_067_205_000_000);
        assert!(values.is_null(1));
        let err = columns.convert(text(vec![Some("soon")])).unwrap_err();
        assert!(err.to_string().contains("column \"ts\""), "{err}");
        // Nanosecond columns hold 1677..2262 only.
        let nanos =
            Arc::new(Schema::new(vec![Field::new("ts", DataType::Timestamp(TimeUnit::Nanosecond, None), true)]));
        let columns = TimestampColumns::of(&nanos, EpochUnit::Auto).unwrap();
        let batch = RecordBatch::try_new(
            columns.decode_schema.clone(),
            vec![Arc::new(arrow::array::StringArray::from(vec!["3000-01-01 00:00:00"])) as ArrayRef],
        )
        .unwrap();
        assert!(columns.convert(batch).is_err());
    }
}
