//! `to_char(value, template)` with PostgreSQL's templates, replacing
//! DataFusion's `to_char`, which takes chrono's `%Y` patterns and so
//! returns `YYYY-MM-DD` itself for PostgreSQL's templates.
//!
//! Values: `timestamp` (Arrow `Timestamp` without zone, printed as it is),
//! `timestamptz` (`Timestamp` with any zone, printed in the session zone,
//! which is UTC in Eddy: `TZ` prints `UTC`, `OF` `+00`), `date` (printed as
//! a `timestamptz` at midnight, as PostgreSQL does), `interval`
//! (`Interval(MonthDayNano)`; `Time` and `Duration` read as the intervals
//! PostgreSQL would cast them to), and numbers (`smallint`, `integer`,
//! `bigint`, `real`, `double precision`, `numeric` as `Decimal128`). NULL
//! value or template gives NULL, as does an empty template for a datetime
//! (an empty template gives `''` for a number).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, IntervalUnit,
    Time32MillisecondType, Time32SecondType, Time64MicrosecondType, Time64NanosecondType, TimeUnit,
};
use datafusion::common::{exec_err, utils::take_function_args, Result, ScalarValue};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility};

use super::arguments::{no_such_function, text_type, ParsedTemplates, TextArgument};
use super::calendar::USECS_PER_DAY;
use super::datetime_format::{format_fields, PrintedFields};
use super::datetime_template::{parse_template, Node};
use super::error::{sqlstate, FormatError};
use super::number_format::{format_number, NumberValue};
use super::number_template::{parse_number_template, NumberTemplate};

/// `to_char` (see the module documentation).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ToChar {
    signature: Signature,
}

impl Default for ToChar {
    fn default() -> Self {
        Self::new()
    }
}

impl ToChar {
    pub fn new() -> Self {
        ToChar { signature: Signature::user_defined(Volatility::Immutable) }
    }
}

impl ScalarUDFImpl for ToChar {
    fn name(&self) -> &str {
        "to_char"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn is_strict(&self) -> bool {
        true
    }

    /// Numbers narrower or wider than PostgreSQL's types become the type
    /// that holds them (unsigned as the next signed, `UInt64` as
    /// `numeric`), other temporal units the ones above; text and the rest
    /// are refused as PostgreSQL refuses them.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let refuse = || DataFusionError::from(no_such_function("to_char", arg_types));
        let [value, template] = arg_types else { return Err(refuse()) };
        let value = value_type(value).ok_or_else(refuse)?;
        let template = text_type(template).ok_or_else(refuse)?;
        Ok(vec![value, template])
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let [value, template] = take_function_args(self.name(), args.args)?;
        let all_scalar = matches!((&value, &template), (ColumnarValue::Scalar(_), ColumnarValue::Scalar(_)));
        let rows = if all_scalar { 1 } else { rows };
        let values = value.to_array(rows)?;
        let templates = TextArgument::new(&template)?;
        let result = format_column(&values, &templates)?;
        if all_scalar {
            Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?))
        } else {
            Ok(ColumnarValue::Array(result))
        }
    }
}

/// The type `to_char` reads a value of `data_type` as, if any.
fn value_type(data_type: &DataType) -> Option<DataType> {
    use DataType::*;
    Some(match data_type {
        Null
        | Int16
        | Int32
        | Int64
        | Float32
        | Float64
        | Decimal128(_, _)
        | Date32
        | Timestamp(_, _)
        | Time32(_)
        | Time64(_)
        | Duration(_) => data_type.clone(),
        Interval(_) => Interval(IntervalUnit::MonthDayNano),
        Int8 | UInt8 => Int16,
        UInt16 => Int32,
        UInt32 => Int64,
        UInt64 => Decimal128(20, 0),
        Float16 => Float32,
        Decimal32(p, s) | Decimal64(p, s) => Decimal128(*p, *s),
        Decimal256(p, s) if *p <= 38 => Decimal128(*p, *s),
        Date64 => Date32,
        Dictionary(_, values) => return value_type(values),
        _ => return None,
    })
}

/// One value of a row, ready to print.
enum Printable {
    DateTime(PrintedFields),
    Number(NumberValue),
}

/// Formats every row of `values` with its template.
fn format_column(values: &ArrayRef, templates: &TextArgument) -> Result<ArrayRef> {
    let mut datetime_templates = ParsedTemplates::new(|t| Ok(parse_template(t)));
    let mut number_templates = ParsedTemplates::new(parse_number_template);
    let mut out = StringBuilder::with_capacity(values.len(), values.len() * 16);
    for row in 0..values.len() {
        let template = templates.get(row);
        let (Some(template), false) = (template, values.is_null(row)) else {
            out.append_null();
            continue;
        };
        let text = match printable(values, row)? {
            Printable::DateTime(_) if template.is_empty() => None,
            Printable::DateTime(fields) => {
                let nodes: &Vec<Node> = datetime_templates.get(template)?;
                Some(format_fields(nodes, &fields)?)
            }
            Printable::Number(number) => {
                let template: &NumberTemplate = number_templates.get(template)?;
                Some(format_number(template, number)?)
            }
        };
        out.append_option(text);
    }
    Ok(Arc::new(out.finish()))
}

/// The value of `row` of a non-null entry.
fn printable(values: &ArrayRef, row: usize) -> Result<Printable> {
    Ok(match values.data_type() {
        DataType::Timestamp(unit, zone) => {
            let zone = zone.as_ref().map(|_| "UTC");
            let fields = timestamp_micros(values, *unit, row)
                .and_then(|micros| PrintedFields::of_timestamp(micros, zone))
                .ok_or_else(|| out_of_range("timestamp out of range"))?;
            Printable::DateTime(fields)
        }
        DataType::Date32 => {
            let days = i64::from(values.as_primitive::<Date32Type>().value(row));
            let fields = days
                .checked_mul(USECS_PER_DAY)
                .and_then(|micros| PrintedFields::of_timestamp(micros, Some("UTC")))
                .ok_or_else(|| out_of_range("date out of range for timestamp"))?;
            Printable::DateTime(fields)
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let value = values.as_primitive::<arrow::datatypes::IntervalMonthDayNanoType>().value(row);
            let fields =
                PrintedFields::of_interval(i64::from(value.months), i64::from(value.days), value.nanoseconds / 1000);
            Printable::DateTime(fields)
        }
        DataType::Duration(unit) => {
            // PostgreSQL's timestamp difference: whole days split out of the time.
            let micros = duration_micros(values, *unit, row).ok_or_else(|| out_of_range("interval out of range"))?;
            Printable::DateTime(PrintedFields::of_interval(0, micros / USECS_PER_DAY, micros % USECS_PER_DAY))
        }
        DataType::Time32(_) | DataType::Time64(_) => {
            Printable::DateTime(PrintedFields::of_interval(0, 0, time_micros(values, row)))
        }
        // PostgreSQL has no to_char(smallint): it resolves to to_char(double precision).
        DataType::Int16 => {
            Printable::Number(NumberValue::Float8(f64::from(values.as_primitive::<Int16Type>().value(row))))
        }
        DataType::Int32 => Printable::Number(NumberValue::Int4(values.as_primitive::<Int32Type>().value(row))),
        DataType::Int64 => Printable::Number(NumberValue::Int8(values.as_primitive::<Int64Type>().value(row))),
        DataType::Float32 => Printable::Number(NumberValue::Float4(values.as_primitive::<Float32Type>().value(row))),
        DataType::Float64 => Printable::Number(NumberValue::Float8(values.as_primitive::<Float64Type>().value(row))),
        DataType::Decimal128(_, scale) => Printable::Number(NumberValue::Numeric {
            unscaled: values.as_primitive::<Decimal128Type>().value(row),
            scale: *scale,
        }),
        other => return exec_err!("to_char cannot format {other}"),
    })
}

fn out_of_range(message: &str) -> FormatError {
    FormatError::new(sqlstate::DATETIME_FIELD_OVERFLOW, message)
}

/// Microseconds of a timestamp in any unit, `None` if they overflow;
/// nanoseconds round down, as PostgreSQL keeps microseconds.
fn timestamp_micros(values: &ArrayRef, unit: TimeUnit, row: usize) -> Option<i64> {
    use arrow::datatypes::{
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
    };
    match unit {
        TimeUnit::Second => values.as_primitive::<TimestampSecondType>().value(row).checked_mul(1_000_000),
        TimeUnit::Millisecond => values.as_primitive::<TimestampMillisecondType>().value(row).checked_mul(1000),
        TimeUnit::Microsecond => Some(values.as_primitive::<TimestampMicrosecondType>().value(row)),
        TimeUnit::Nanosecond => Some(values.as_primitive::<TimestampNanosecondType>().value(row).div_euclid(1000)),
    }
}

/// Microseconds of a duration in any unit, `None` if they overflow.
fn duration_micros(values: &ArrayRef, unit: TimeUnit, row: usize) -> Option<i64> {
    use arrow::datatypes::{
        DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType,
    };
    match unit {
        TimeUnit::Second => values.as_primitive::<DurationSecondType>().value(row).checked_mul(1_000_000),
        TimeUnit::Millisecond => values.as_primitive::<DurationMillisecondType>().value(row).checked_mul(1000),
        TimeUnit::Microsecond => Some(values.as_primitive::<DurationMicrosecondType>().value(row)),
        TimeUnit::Nanosecond => Some(values.as_primitive::<DurationNanosecondType>().value(row) / 1000),
    }
}

fn time_micros(values: &ArrayRef, row: usize) -> i64 {
    match values.data_type() {
        DataType::Time32(TimeUnit::Second) => {
            i64::from(values.as_primitive::<Time32SecondType>().value(row)) * 1_000_000
        }
        DataType::Time32(_) => i64::from(values.as_primitive::<Time32MillisecondType>().value(row)) * 1000,
        DataType::Time64(TimeUnit::Microsecond) => values.as_primitive::<Time64MicrosecondType>().value(row),
        _ => values.as_primitive::<Time64NanosecondType>().value(row) / 1000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Date32Array, Int32Array, StringArray, TimestampMicrosecondArray};
    use arrow::datatypes::Field;
    use datafusion::config::ConfigOptions;
    use eddy_common::SqlError;

    fn call(args: Vec<ColumnarValue>, rows: usize) -> Result<ColumnarValue> {
        let arg_fields = args.iter().map(|a| Arc::new(Field::new("a", a.data_type(), true))).collect();
        ToChar::new().invoke_with_args(ScalarFunctionArgs {
            args,
            arg_fields,
            number_rows: rows,
            return_field: Arc::new(Field::new("to_char", DataType::Utf8, true)),
            config_options: Arc::new(ConfigOptions::default()),
        })
    }

    fn strings(value: ColumnarValue) -> Vec<Option<String>> {
        let array = value.to_array(1).unwrap();
        array.as_string::<i32>().iter().map(|s| s.map(str::to_string)).collect()
    }

    fn text(s: &str) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Utf8(Some(s.to_string())))
    }

    #[test]
    fn postgres_template_on_a_timestamp_column_is_not_copied_through() {
        // 2024-02-29 13:04:05.123456 and 1999-07-02 07:08:09.01 (values from PostgreSQL 15).
        let ts = TimestampMicrosecondArray::from(vec![Some(1_709_211_845_123_456), None, Some(930_899_289_010_000)]);
        let out = call(vec![ColumnarValue::Array(Arc::new(ts)), text("YYYY-MM-DD HH24:MI:SS")], 3).unwrap();
        assert_eq!(
            strings(out),
            [Some("2024-02-29 13:04:05".to_string()), None, Some("1999-07-02 07:08:09".to_string())]
        );
    }

    #[test]
    fn timestamptz_prints_in_utc_whatever_the_arrow_zone() {
        let ts = TimestampMicrosecondArray::from(vec![1_709_211_845_123_456]).with_timezone("+05:00");
        let out = call(vec![ColumnarValue::Array(Arc::new(ts)), text("HH24:MI TZ OF")], 1).unwrap();
        assert_eq!(strings(out), [Some("13:04 UTC +00".to_string())]);
    }

    #[test]
    fn timestamps_overflowing_microseconds_are_out_of_range_not_clamped() {
        let seconds = arrow::array::TimestampSecondArray::from(vec![i64::MAX / 1000]);
        let err = call(vec![ColumnarValue::Array(Arc::new(seconds)), text("YYYY")], 1).unwrap_err();
        let DataFusionError::External(inner) = err else { panic!("not external: {err}") };
        assert_eq!(inner.downcast_ref::<SqlError>().unwrap().sqlstate, "22008");
    }

    #[test]
    fn the_template_may_be_a_column_and_nulls_give_null() {
        let dates = Date32Array::from(vec![19782, 19782, 19782]);
        let templates = StringArray::from(vec![Some("FMDay"), None, Some("")]);
        let out =
            call(vec![ColumnarValue::Array(Arc::new(dates)), ColumnarValue::Array(Arc::new(templates))], 3).unwrap();
        assert_eq!(strings(out), [Some("Thursday".to_string()), None, None]);
    }

    #[test]
    fn scalar_arguments_give_a_scalar() {
        let out = call(vec![ColumnarValue::Scalar(ScalarValue::Int32(Some(-12))), text("S999")], 5).unwrap();
        let ColumnarValue::Scalar(ScalarValue::Utf8(Some(s))) = out else { panic!("not a scalar: {out:?}") };
        assert_eq!(s, " -12");
        let null = call(vec![ColumnarValue::Scalar(ScalarValue::Int32(None)), text("9.9.9")], 1).unwrap();
        assert!(matches!(null, ColumnarValue::Scalar(ScalarValue::Utf8(None))));
    }

    #[test]
    fn errors_carry_postgres_sqlstate() {
        let ints = Int32Array::from(vec![5]);
        let err = call(vec![ColumnarValue::Array(Arc::new(ints)), text("9.9.9")], 1).unwrap_err();
        let DataFusionError::External(inner) = err else { panic!("not external: {err}") };
        let sql = inner.downcast_ref::<SqlError>().unwrap();
        assert_eq!((sql.sqlstate, sql.message.as_str()), ("42601", "multiple decimal points"));
    }

    #[test]
    fn text_values_are_refused_as_postgres_refuses_them() {
        assert!(ToChar::new().coerce_types(&[DataType::Utf8, DataType::Utf8]).is_err());
        assert_eq!(
            ToChar::new().coerce_types(&[DataType::UInt8, DataType::Utf8View]).unwrap(),
            [DataType::Int16, DataType::Utf8View]
        );
    }
}
