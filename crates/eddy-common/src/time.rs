//! Event time and watermarks.
//!
//! Event time is carried as milliseconds since the Unix epoch (UTC) inside the
//! engine; Arrow timestamp columns of any unit are converted at the edges.

use std::fmt;

use arrow::array::{Array, ArrayRef, Int64Array};
use arrow::compute::cast;
use arrow::datatypes::{DataType, TimeUnit};
use arrow::error::ArrowError;

/// A point in event time: milliseconds since the Unix epoch.
pub type EventTime = i64;

/// A watermark: the promise that no more rows with event time below it will be
/// accepted. Watermarks only move forward; [`Watermark::MAX`] ends a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Watermark(pub EventTime);

impl Watermark {
    /// No rows are behind this yet.
    pub const MIN: Watermark = Watermark(i64::MIN);
    /// End of input: every window closes.
    pub const MAX: Watermark = Watermark(i64::MAX);

    pub fn millis(self) -> EventTime {
        self.0
    }

    pub fn is_min(self) -> bool {
        self == Watermark::MIN
    }

    pub fn is_max(self) -> bool {
        self == Watermark::MAX
    }
}

impl fmt::Display for Watermark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_min() {
            f.write_str("-infinity")
        } else if self.is_max() {
            f.write_str("infinity")
        } else {
            f.write_str(&format_timestamp_ms(self.0))
        }
    }
}

/// Formats epoch milliseconds as `YYYY-MM-DD HH:MM:SS[.mmm]` (UTC).
pub fn format_timestamp_ms(ms: EventTime) -> String {
    match arrow::temporal_conversions::timestamp_ms_to_datetime(ms) {
        Some(dt) if ms % 1000 == 0 => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
        Some(dt) => dt.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
        None => ms.to_string(),
    }
}

/// Converts a timestamp column of any unit to epoch milliseconds (floor).
pub fn timestamp_column_to_ms(column: &ArrayRef) -> Result<Int64Array, ArrowError> {
    let (divisor, multiplier) = match column.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => (1, 1000),
        DataType::Timestamp(TimeUnit::Millisecond, _) => (1, 1),
        DataType::Timestamp(TimeUnit::Microsecond, _) => (1000, 1),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => (1_000_000, 1),
        other => return Err(ArrowError::CastError(format!("event time must be a timestamp, found {other}"))),
    };
    let raw = cast(column, &DataType::Int64)?;
    let raw = raw.as_any().downcast_ref::<Int64Array>().expect("cast to Int64 yields Int64Array");
    Ok(raw.unary(|v| v.div_euclid(divisor) * multiplier))
}

/// Converts a SQL interval (month-day-nano) into milliseconds. Months are not
/// fixed-length, so they are refused.
pub fn duration_from_interval(value: &datafusion::scalar::ScalarValue) -> Result<i64, String> {
    use datafusion::scalar::ScalarValue as S;
    match value {
        S::IntervalMonthDayNano(Some(v)) if v.months == 0 => Ok(v.days as i64 * 86_400_000 + v.nanoseconds / 1_000_000),
        S::IntervalDayTime(Some(v)) => Ok(v.days as i64 * 86_400_000 + v.milliseconds as i64),
        S::IntervalYearMonth(_) | S::IntervalMonthDayNano(_) => {
            Err("intervals with months or years have no fixed length".to_string())
        }
        S::DurationSecond(Some(v)) => Ok(v * 1000),
        S::DurationMillisecond(Some(v)) => Ok(*v),
        S::DurationMicrosecond(Some(v)) => Ok(v / 1000),
        S::DurationNanosecond(Some(v)) => Ok(v / 1_000_000),
        other => Err(format!("expected an INTERVAL, found {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow::array::TimestampNanosecondArray;

    #[test]
    fn nanosecond_timestamps_floor_to_milliseconds() {
        let col: ArrayRef = Arc::new(TimestampNanosecondArray::from(vec![1_999_999, -1]));
        let ms = timestamp_column_to_ms(&col).unwrap();
        assert_eq!(ms.values(), &[1, -1]);
    }

    #[test]
    fn watermark_displays_as_timestamp() {
        assert_eq!(Watermark(10_000).to_string(), "1970-01-01 00:00:10");
        assert_eq!(Watermark::MAX.to_string(), "infinity");
    }
}
