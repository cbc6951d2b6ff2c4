//! The error a formatting function raises for one value or template, with
//! the SQLSTATE and message PostgreSQL gives for the same input, so a client
//! that matches on either sees what it would see from PostgreSQL.

use std::fmt;

use datafusion::error::DataFusionError;
use eddy_common::SqlError;

/// SQLSTATEs of PostgreSQL's formatting errors (appendix A).
pub(crate) mod sqlstate {
    /// A template or value does not match a datetime template.
    pub(crate) const INVALID_DATETIME_FORMAT: &str = "22007";
    /// A datetime field, or the whole datetime, is out of range.
    pub(crate) const DATETIME_FIELD_OVERFLOW: &str = "22008";
    /// A time zone offset beyond ±15:59.
    pub(crate) const INVALID_TIME_ZONE_DISPLACEMENT_VALUE: &str = "22009";
    /// An integer overflowed (`V` multiplying a large value).
    pub(crate) const NUMERIC_VALUE_OUT_OF_RANGE: &str = "22003";
    /// `TH` applied to something that is not a number.
    pub(crate) const INVALID_TEXT_REPRESENTATION: &str = "22P02";
    /// A numeric template combines patterns that exclude each other.
    pub(crate) const SYNTAX_ERROR: &str = "42601";
    /// A pattern PostgreSQL has but Eddy does not implement.
    pub(crate) const FEATURE_NOT_SUPPORTED: &str = "0A000";
    /// No variant of the function takes the given argument types.
    pub(crate) const UNDEFINED_FUNCTION: &str = "42883";
}

/// A user error: the input or the template is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormatError {
    pub(crate) sqlstate: &'static str,
    pub(crate) message: String,
}

impl FormatError {
    pub(crate) fn new(sqlstate: &'static str, message: impl Into<String>) -> Self {
        FormatError { sqlstate, message: message.into() }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<FormatError> for DataFusionError {
    fn from(error: FormatError) -> Self {
        SqlError::into_datafusion(error.sqlstate, error.message)
    }
}

/// `Result` of formatting or parsing one value.
pub(crate) type FormatResult<T> = Result<T, FormatError>;
