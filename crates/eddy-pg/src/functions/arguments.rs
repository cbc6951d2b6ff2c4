//! Reading the arguments of the formatting functions: text that is one
//! value for all rows or a column of any of Arrow's string types, the
//! parsed form of templates (kept while consecutive rows repeat the same
//! template, so a constant template is parsed once per batch), and the
//! argument types the functions accept.

use arrow::array::{Array, AsArray, LargeStringArray, StringArray, StringViewArray};
use arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result, ScalarValue};
use datafusion::logical_expr::ColumnarValue;

use super::error::{sqlstate, FormatError, FormatResult};

/// A text argument.
pub(crate) enum TextArgument<'a> {
    /// The same text (or NULL) for every row.
    Scalar(Option<&'a str>),
    Utf8(&'a StringArray),
    LargeUtf8(&'a LargeStringArray),
    Utf8View(&'a StringViewArray),
}

impl<'a> TextArgument<'a> {
    pub(crate) fn new(value: &'a ColumnarValue) -> Result<Self> {
        Ok(match value {
            ColumnarValue::Scalar(
                ScalarValue::Utf8(text) | ScalarValue::LargeUtf8(text) | ScalarValue::Utf8View(text),
            ) => TextArgument::Scalar(text.as_deref()),
            ColumnarValue::Scalar(ScalarValue::Null) => TextArgument::Scalar(None),
            ColumnarValue::Array(array) => match array.data_type() {
                DataType::Utf8 => TextArgument::Utf8(array.as_string::<i32>()),
                DataType::LargeUtf8 => TextArgument::LargeUtf8(array.as_string::<i64>()),
                DataType::Utf8View => TextArgument::Utf8View(array.as_string_view()),
                DataType::Null => TextArgument::Scalar(None),
                other => return exec_err!("expected a text argument, got {other}"),
            },
            ColumnarValue::Scalar(other) => return exec_err!("expected a text argument, got {}", other.data_type()),
        })
    }

    /// The text of `row`, `None` for NULL.
    pub(crate) fn get(&self, row: usize) -> Option<&'a str> {
        match self {
            TextArgument::Scalar(text) => *text,
            TextArgument::Utf8(array) => (!array.is_null(row)).then(|| array.value(row)),
            TextArgument::LargeUtf8(array) => (!array.is_null(row)).then(|| array.value(row)),
            TextArgument::Utf8View(array) => (!array.is_null(row)).then(|| array.value(row)),
        }
    }
}

/// Parsed templates of one batch: the last one parsed is reused while the
/// rows repeat its text.
pub(crate) struct ParsedTemplates<T> {
    parse: fn(&str) -> FormatResult<T>,
    last: Option<(String, T)>,
}

impl<T> ParsedTemplates<T> {
    pub(crate) fn new(parse: fn(&str) -> FormatResult<T>) -> Self {
        ParsedTemplates { parse, last: None }
    }

    /// The parsed form of `template`.
    pub(crate) fn get(&mut self, template: &str) -> FormatResult<&T> {
        let entry = match self.last.take() {
            Some((text, parsed)) if text == template => (text, parsed),
            _ => (template.to_string(), (self.parse)(template)?),
        };
        Ok(&self.last.insert(entry).1)
    }
}

/// Whether `data_type` is text (or an untyped NULL, which reads as text).
pub(crate) fn is_text(data_type: &DataType) -> bool {
    matches!(data_type, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null)
}

/// The type a text argument is given: its own if it is text, the values'
/// type for a dictionary of text, else none (the caller reports that no
/// variant of the function takes it).
pub(crate) fn text_type(data_type: &DataType) -> Option<DataType> {
    match data_type {
        DataType::Null => Some(DataType::Utf8),
        DataType::Dictionary(_, values) => text_type(values),
        t if is_text(t) => Some(t.clone()),
        _ => None,
    }
}

/// PostgreSQL's error for a call no variant of `function` takes.
pub(crate) fn no_such_function(function: &str, arg_types: &[DataType]) -> FormatError {
    let types: Vec<String> = arg_types.iter().map(crate::types::postgres_type_name).collect();
    FormatError::new(sqlstate::UNDEFINED_FUNCTION, format!("function {function}({}) does not exist", types.join(", ")))
}
