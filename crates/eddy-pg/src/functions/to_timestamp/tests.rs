//! `to_timestamp(double precision)` and the forms DataFusion keeps.

use super::*;
use crate::functions::datetime_parse::tests::postgres_text;

/// (seconds, expected) from PostgreSQL 15 (`SELECT to_timestamp(<seconds>::float8)`,
/// `timezone = UTC`); `ERROR <sqlstate>: <message>` is an error.
const EPOCH_CASES: &[(&str, &str)] = &[
    ("0", "1970-01-01 00:00:00+00"),
    ("1709211845.123456", "2024-02-29 13:04:05.123456+00"),
    ("-1", "1969-12-31 23:59:59+00"),
    ("1.5", "1970-01-01 00:00:01.5+00"),
    ("5e-07", "1970-01-01 00:00:00+00"),
    ("1.5e-06", "1970-01-01 00:00:00.000002+00"),
    ("-5e-07", "1970-01-01 00:00:00+00"),
    ("1e+20", "ERROR 22008: timestamp out of range: \"1e+20\""),
    ("NaN", "ERROR 22008: timestamp cannot be NaN"),
    ("-62135596800", "0001-01-01 00:00:00+00"),
    ("-62135596801", "0001-12-31 23:59:59+00 BC"),
    ("-210866803200", "4714-11-24 00:00:00+00 BC"),
    ("-210866803201", "ERROR 22008: timestamp out of range: \"-2.10867e+11\""),
    ("9224318016000", "ERROR 22008: timestamp out of range: \"9.22432e+12\""),
    ("253402300800", "10000-01-01 00:00:00+00"),
    ("1e+15", "ERROR 22008: timestamp out of range: \"1e+15\""),
    ("-1e+15", "ERROR 22008: timestamp out of range: \"-1e+15\""),
    ("12345678901234", "ERROR 22008: timestamp out of range: \"1.23457e+13\""),
];

#[test]
fn epoch_seconds_convert_as_postgres_converts_them() {
    let mut failures = Vec::new();
    for (seconds, expected) in EPOCH_CASES {
        let got = match epoch_seconds_to_micros(seconds.parse().unwrap()) {
            Ok(micros) => postgres_text(micros),
            Err(e) => format!("ERROR {}: {}", e.sqlstate, e.message),
        };
        if got != *expected {
            failures.push(format!("to_timestamp({seconds}) = {got:?}, PostgreSQL: {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn infinity_has_no_arrow_timestamp() {
    assert_eq!(epoch_seconds_to_micros(f64::INFINITY).unwrap_err().sqlstate, "0A000");
}

fn call(args: Vec<ColumnarValue>) -> Result<ColumnarValue> {
    use arrow::datatypes::Field;
    let types: Vec<DataType> = args.iter().map(ColumnarValue::data_type).collect();
    let function = ToTimestamp::new();
    let arg_fields = types.iter().map(|t| Arc::new(Field::new("a", t.clone(), true))).collect();
    let return_type = function.return_type(&types)?;
    function.invoke_with_args(ScalarFunctionArgs {
        args,
        arg_fields,
        number_rows: 1,
        return_field: Arc::new(Field::new("to_timestamp", return_type, true)),
        config_options: Arc::new(ConfigOptions::default()),
    })
}

fn text(s: &str) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::Utf8(Some(s.to_string())))
}

#[test]
fn postgres_forms_return_timestamptz_microseconds() {
    let function = ToTimestamp::new();
    assert_eq!(function.return_type(&[DataType::Utf8, DataType::Utf8View]).unwrap(), timestamptz());
    assert_eq!(function.coerce_types(&[DataType::Int64]).unwrap(), [DataType::Float64]);
    let out = call(vec![text("2024-02-29 13:04:05"), text("YYYY-MM-DD HH24:MI:SS")]).unwrap();
    let ColumnarValue::Scalar(ScalarValue::TimestampMicrosecond(Some(micros), Some(zone))) = out else {
        panic!("not a timestamptz: {out:?}")
    };
    assert_eq!((micros, zone.as_ref()), (1_709_211_845_000_000, UTC));
    let null = call(vec![ColumnarValue::Scalar(ScalarValue::Utf8(None)), text("YYYY")]).unwrap();
    assert!(matches!(null, ColumnarValue::Scalar(ScalarValue::TimestampMicrosecond(None, _))));
}

#[test]
fn one_iso_text_keeps_datafusion_meaning() {
    let function = ToTimestamp::new();
    let types = [DataType::Utf8];
    assert_eq!(function.return_type(&types).unwrap(), DataType::Timestamp(TimeUnit::Nanosecond, None));
    let out = call(vec![text("2024-01-01T00:00:00")]).unwrap();
    let ColumnarValue::Scalar(ScalarValue::TimestampNanosecond(Some(nanos), None)) = out else {
        panic!("not DataFusion's timestamp: {out:?}")
    };
    assert_eq!(nanos, 1_704_067_200_000_000_000);
}

#[test]
fn mismatched_text_raises_postgres_error() {
    let err = call(vec![text("2024-ab-01"), text("YYYY-MM-DD")]).unwrap_err();
    let datafusion::error::DataFusionError::External(inner) = err else { panic!("not external: {err}") };
    let sql = inner.downcast_ref::<eddy_common::SqlError>().unwrap();
    assert_eq!((sql.sqlstate, sql.message.as_str()), ("22007", "invalid value \"ab\" for \"MM\""));
}
