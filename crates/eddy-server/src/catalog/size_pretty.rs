//! `pg_size_pretty(bigint | numeric)`: a size in bytes as PostgreSQL
//! writes it (psql's `\dt+`, `\l+`): bytes below 10 kB, then kB, MB, GB,
//! TB and PB, each unit used up to 20 × 1024 − 1 of it, rounded half away
//! from zero (PostgreSQL's `dbsize.c`).

use std::sync::Arc;

use arrow::array::{Array, AsArray, StringArray};
use arrow::datatypes::{DataType, Decimal128Type, Int64Type};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use eddy_runtime::postgres::columnar;

/// The units above bytes, smallest first; the last takes any size.
const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];

/// A size of `value / 10^scale` bytes as PostgreSQL's `pg_size_pretty`
/// writes it. Below 10240 bytes the number is written as given (`1.50
/// bytes` for a numeric); above, it is divided (truncating) into half
/// units of the next unit, then by 1024 while it is not below 20479 half
/// units, and the last division's half is rounded away from zero.
pub(crate) fn size_pretty(value: i128, scale: u32) -> String {
    let one = 10i128.pow(scale);
    if value.abs() < 10 * 1024 * one {
        return format!("{} bytes", decimal_text(value, scale));
    }
    let mut halves = value / (one * 512);
    for (i, unit) in UNITS.iter().enumerate() {
        if i + 1 == UNITS.len() || halves.abs() < 20 * 1024 - 1 {
            let rounded = (halves + if halves < 0 { -1 } else { 1 }) / 2;
            return format!("{rounded} {unit}");
        }
        halves /= 1024;
    }
    unreachable!("the last unit takes any size")
}

/// `value / 10^scale` written with `scale` decimals.
fn decimal_text(value: i128, scale: u32) -> String {
    if scale == 0 {
        return value.to_string();
    }
    let digits = format!("{:0width$}", value.unsigned_abs(), width = scale as usize + 1);
    let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
    format!("{}{whole}.{fraction}", if value < 0 { "-" } else { "" })
}

/// The `pg_size_pretty` function.
pub(crate) fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(SizePretty { signature: Signature::user_defined(Volatility::Immutable) })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SizePretty {
    signature: Signature,
}

impl ScalarUDFImpl for SizePretty {
    fn name(&self) -> &str {
        "pg_size_pretty"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// `bigint` for integers, `numeric` kept as it is.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [DataType::Decimal128(p, s)] => Ok(vec![DataType::Decimal128(*p, (*s).max(0))]),
            [DataType::Decimal256(_, s)] => Ok(vec![DataType::Decimal128(38, (*s).clamp(0, 38))]),
            [t] if t.is_integer() || t.is_null() => Ok(vec![DataType::Int64]),
            [t] => Err(eddy_common::SqlError::into_datafusion(
                eddy_common::sqlstate::UNDEFINED_FUNCTION,
                format!("function pg_size_pretty({}) does not exist", eddy_common::sql_type_names(&t.to_string())),
            )),
            _ => Err(DataFusionError::Plan("pg_size_pretty takes one size".into())),
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let sizes = args.args[0].to_array(args.number_rows)?;
        let out: StringArray = match sizes.data_type() {
            DataType::Decimal128(_, scale) => {
                let scale = u32::try_from(*scale).unwrap_or(0);
                sizes.as_primitive::<Decimal128Type>().iter().map(|v| v.map(|v| size_pretty(v, scale))).collect()
            }
            _ => sizes.as_primitive::<Int64Type>().iter().map(|v| v.map(|v| size_pretty(v.into(), 0))).collect(),
        };
        columnar(&args.args, Arc::new(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected: PostgreSQL 15's answers (`SELECT pg_size_pretty(...)`).
    #[test]
    fn sizes_are_written_as_postgres_writes_them() {
        for (bytes, expected) in [
            (10, "10 bytes"),
            (10239, "10239 bytes"),
            (10240, "10 kB"),
            (1536, "1536 bytes"),
            (-10240, "-10 kB"),
            (10751, "10 kB"),
            (10752, "11 kB"),
            (-10751, "-10 kB"),
            (-10752, "-11 kB"),
            (10485247, "10239 kB"),
            (10485248, "10 MB"),
            (10485759, "10 MB"),
            (21474836479, "20 GB"),
            (12345678901234567, "11 PB"),
            (i64::MAX as i128, "8192 PB"),
            (i64::MIN as i128, "-8192 PB"),
        ] {
            assert_eq!(size_pretty(bytes, 0), expected, "{bytes}");
        }
        // numeric: below 10 kB as written, above truncated first
        assert_eq!(size_pretty(205, 1), "20.5 bytes");
        assert_eq!(size_pretty(150, 2), "1.50 bytes");
        assert_eq!(size_pretty(-105, 1), "-10.5 bytes");
        assert_eq!(size_pretty(102399, 1), "10239.9 bytes");
        assert_eq!(size_pretty(-204805, 1), "-20 kB");
        assert_eq!(size_pretty(1_000_000_000_000_000, 0), "909 TB");
        assert_eq!(size_pretty(10i128.pow(30), 0), "888178419700125 PB");
        assert_eq!(size_pretty(5, 3), "0.005 bytes");
    }
}
