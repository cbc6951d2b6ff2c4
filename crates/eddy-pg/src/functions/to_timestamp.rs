//! `to_timestamp` with PostgreSQL's two forms, replacing DataFusion's:
//!
//! - `to_timestamp(text, template)` reads text with a PostgreSQL datetime
//!   template (see `datetime_parse`);
//! - `to_timestamp(double precision)` takes seconds since 1970 (integers
//!   and `numeric` too, as PostgreSQL casts them to `double precision`).
//!
//! Both return `timestamptz`: Arrow `Timestamp(Microsecond, "+00:00")`.
//! Every other call keeps DataFusion's meaning and type, so
//! `to_timestamp('2024-01-01T00:00:00')` (one ISO 8601 text, which
//! PostgreSQL would refuse) and calls with several chrono formats still work.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, TimestampMicrosecondBuilder};
use arrow::datatypes::{DataType, Float64Type, TimeUnit};
use datafusion::common::{Result, ScalarValue};
use datafusion::config::ConfigOptions;
use datafusion::functions::datetime::to_timestamp::ToTimestampFunc;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::arguments::{is_text, text_type, ParsedTemplates, TextArgument};
use super::calendar::{END_TIMESTAMP, MIN_TIMESTAMP, UNIX_TO_POSTGRES_USECS};
use super::datetime_parse::parse_datetime;
use super::datetime_template::parse_template;
use super::error::{sqlstate, FormatError, FormatResult};

/// The Arrow zone of the `timestamptz` PostgreSQL's forms return.
pub(crate) const UTC: &str = "+00:00";

/// `to_timestamp` (see the module documentation).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ToTimestamp {
    signature: Signature,
    /// DataFusion's function, for the calls PostgreSQL has no form for.
    datafusion: ToTimestampFunc,
}

impl Default for ToTimestamp {
    fn default() -> Self {
        Self::new()
    }
}

impl ToTimestamp {
    pub fn new() -> Self {
        Self::with_config(&ConfigOptions::default())
    }

    fn with_config(config: &ConfigOptions) -> Self {
        ToTimestamp {
            signature: Signature::user_defined(Volatility::Immutable),
            datafusion: ToTimestampFunc::new_with_config(config),
        }
    }
}

/// Which function a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `to_timestamp(text, text)`.
    Template,
    /// `to_timestamp(double precision)`.
    EpochSeconds,
    /// Anything else: DataFusion's `to_timestamp`.
    DataFusion,
}

fn form(arg_types: &[DataType]) -> Form {
    match arg_types {
        [value, template] if is_text(value) && is_text(template) => Form::Template,
        [value] if value.is_numeric() => Form::EpochSeconds,
        _ => Form::DataFusion,
    }
}

fn timestamptz() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some(UTC.into()))
}

impl ScalarUDFImpl for ToTimestamp {
    fn name(&self) -> &str {
        "to_timestamp"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match form(arg_types) {
            Form::Template | Form::EpochSeconds => Ok(timestamptz()),
            Form::DataFusion => self.datafusion.return_type(arg_types),
        }
    }

    fn with_updated_config(&self, config: &ConfigOptions) -> Option<ScalarUDF> {
        Some(ScalarUDF::from(Self::with_config(config)))
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        Ok(match arg_types {
            [value] if value.is_numeric() => vec![DataType::Float64],
            [value, template] => match (text_type(value), text_type(template)) {
                (Some(value), Some(template)) => vec![value, template],
                _ => arg_types.to_vec(),
            },
            _ => arg_types.to_vec(),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.args.iter().map(ColumnarValue::data_type).collect();
        match form(&types) {
            Form::Template => {
                let all_scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
                let rows = if all_scalar { 1 } else { args.number_rows };
                let input = TextArgument::new(&args.args[0])?;
                let template = TextArgument::new(&args.args[1])?;
                let result = parse_column(rows, &input, &template)?;
                finish(result, all_scalar)
            }
            Form::EpochSeconds => {
                let all_scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
                let seconds = args.args[0].to_array(if all_scalar { 1 } else { args.number_rows })?;
                let result = epoch_column(&seconds)?;
                finish(result, all_scalar)
            }
            Form::DataFusion => self.datafusion.invoke_with_args(args),
        }
    }
}

fn finish(result: ArrayRef, scalar: bool) -> Result<ColumnarValue> {
    if scalar {
        Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?))
    } else {
        Ok(ColumnarValue::Array(result))
    }
}

/// `to_timestamp(text, text)` for `rows` rows.
fn parse_column(rows: usize, input: &TextArgument, template: &TextArgument) -> Result<ArrayRef> {
    let mut templates = ParsedTemplates::new(|t| Ok(parse_template(t)));
    let mut out = TimestampMicrosecondBuilder::with_capacity(rows).with_timezone(UTC);
    for row in 0..rows {
        let (Some(text), Some(template)) = (input.get(row), template.get(row)) else {
            out.append_null();
            continue;
        };
        let nodes = templates.get(template)?;
        out.append_value(parse_datetime(nodes, text)?.to_unix_micros()?);
    }
    Ok(Arc::new(out.finish()))
}

/// `to_timestamp(double precision)` for a column of seconds.
fn epoch_column(seconds: &ArrayRef) -> Result<ArrayRef> {
    let seconds = seconds.as_primitive::<Float64Type>();
    let mut out = TimestampMicrosecondBuilder::with_capacity(seconds.len()).with_timezone(UTC);
    for row in 0..seconds.len() {
        if seconds.is_null(row) {
            out.append_null();
        } else {
            out.append_value(epoch_seconds_to_micros(seconds.value(row))?);
        }
    }
    Ok(Arc::new(out.finish()))
}

/// PostgreSQL's `float8_timestamptz`: seconds since 1970 to microseconds,
/// rounded half to even after moving to PostgreSQL's epoch, as it does.
/// Infinity, which PostgreSQL keeps as an infinite timestamp, has no Arrow
/// equivalent and is refused.
pub(crate) fn epoch_seconds_to_micros(seconds: f64) -> FormatResult<i64> {
    const MIN_SECONDS: f64 = 86_400.0 * -2_440_588.0;
    const END_SECONDS: f64 = 86_400.0 * (109_203_489.0 - 2_440_588.0);
    if seconds.is_nan() {
        return Err(FormatError::new(sqlstate::DATETIME_FIELD_OVERFLOW, "timestamp cannot be NaN"));
    }
    if seconds.is_infinite() {
        return Err(FormatError::new(sqlstate::FEATURE_NOT_SUPPORTED, "infinite timestamps are not supported"));
    }
    let out_of_range = || {
        FormatError::new(
            sqlstate::DATETIME_FIELD_OVERFLOW,
            format!("timestamp out of range: \"{}\"", c_general(seconds)),
        )
    };
    if !(MIN_SECONDS..END_SECONDS).contains(&seconds) {
        return Err(out_of_range());
    }
    let pg_seconds = seconds - (UNIX_TO_POSTGRES_USECS / 1_000_000) as f64;
    let pg_micros = (pg_seconds * 1_000_000.0).round_ties_even() as i64;
    if !(MIN_TIMESTAMP..END_TIMESTAMP).contains(&pg_micros) {
        return Err(out_of_range());
    }
    pg_micros
        .checked_add(UNIX_TO_POSTGRES_USECS)
        .ok_or_else(|| FormatError::new(sqlstate::DATETIME_FIELD_OVERFLOW, "timestamp out of range"))
}

/// C's `printf("%g")`: six significant digits, trailing zeros dropped.
fn c_general(value: f64) -> String {
    fn trim(text: &str) -> &str {
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            text
        }
    }
    let scientific = format!("{value:.5e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        format!("{}e{}{:02}", trim(mantissa), if exponent < 0 { '-' } else { '+' }, exponent.abs())
    } else {
        let decimals = (5 - exponent) as usize;
        trim(&format!("{value:.decimals$}")).to_string()
    }
}

#[cfg(test)]
mod tests;
