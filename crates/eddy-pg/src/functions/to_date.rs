//! `to_date(text, template)` with PostgreSQL's datetime templates (see
//! `datetime_parse`), returning Arrow `Date32`; replaces DataFusion's
//! `to_date`, whose other calls (one ISO 8601 text, chrono formats,
//! numbers) keep DataFusion's meaning.

use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Builder};
use arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::functions::datetime::to_date::ToDateFunc;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility};

use super::arguments::{is_text, text_type, ParsedTemplates, TextArgument};
use super::datetime_parse::parse_datetime;
use super::datetime_template::parse_template;

/// `to_date` (see the module documentation).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ToDate {
    signature: Signature,
    /// DataFusion's function, for the calls PostgreSQL has no form for.
    datafusion: ToDateFunc,
}

impl Default for ToDate {
    fn default() -> Self {
        Self::new()
    }
}

impl ToDate {
    pub fn new() -> Self {
        ToDate { signature: Signature::user_defined(Volatility::Immutable), datafusion: ToDateFunc::new() }
    }
}

fn is_template_call(arg_types: &[DataType]) -> bool {
    matches!(arg_types, [value, template] if is_text(value) && is_text(template))
}

impl ScalarUDFImpl for ToDate {
    fn name(&self) -> &str {
        "to_date"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Date32)
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        Ok(match arg_types {
            [value, template] => match (text_type(value), text_type(template)) {
                (Some(value), Some(template)) => vec![value, template],
                _ => arg_types.to_vec(),
            },
            _ => arg_types.to_vec(),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.args.iter().map(ColumnarValue::data_type).collect();
        if !is_template_call(&types) {
            return self.datafusion.invoke_with_args(args);
        }
        let all_scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let rows = if all_scalar { 1 } else { args.number_rows };
        let input = TextArgument::new(&args.args[0])?;
        let template = TextArgument::new(&args.args[1])?;
        let mut templates = ParsedTemplates::new(|t| Ok(parse_template(t)));
        let mut out = Date32Builder::with_capacity(rows);
        for row in 0..rows {
            let (Some(text), Some(template)) = (input.get(row), template.get(row)) else {
                out.append_null();
                continue;
            };
            let nodes = templates.get(template)?;
            out.append_value(parse_datetime(nodes, text)?.to_unix_days(text)?);
        }
        let result: ArrayRef = Arc::new(out.finish());
        if all_scalar {
            Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?))
        } else {
            Ok(ColumnarValue::Array(result))
        }
    }
}
