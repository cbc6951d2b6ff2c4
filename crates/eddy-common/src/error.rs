//! Error classification shared by all crates.
//!
//! Every library crate has its own `thiserror` enum; each implements [`Classify`]
//! so the server (and `eddy run`) can tell who must act, which SQLSTATE to
//! report and what hint to give, without knowing the enum.

use std::fmt;

/// Who has to act on an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The statement or the data is wrong: the user fixes it.
    User,
    /// Something outside Eddy failed (a file, a broker): retry or fix the system.
    External,
    /// A bug in Eddy.
    Internal,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::User => "user",
            ErrorKind::External => "external",
            ErrorKind::Internal => "internal",
        })
    }
}

/// SQLSTATE codes Eddy reports (PostgreSQL's table, appendix A).
pub mod sqlstate {
    pub const SYNTAX_ERROR: &str = "42601";
    pub const UNDEFINED_TABLE: &str = "42P01";
    pub const UNDEFINED_COLUMN: &str = "42703";
    pub const UNDEFINED_FUNCTION: &str = "42883";
    pub const DUPLICATE_OBJECT: &str = "42710";
    pub const DUPLICATE_TABLE: &str = "42P07";
    pub const DATATYPE_MISMATCH: &str = "42804";
    pub const CANNOT_COERCE: &str = "42846";
    pub const INVALID_PARAMETER_VALUE: &str = "22023";
    pub const INVALID_TEXT_REPRESENTATION: &str = "22P02";
    pub const BAD_COPY_FILE_FORMAT: &str = "22P04";
    pub const FEATURE_NOT_SUPPORTED: &str = "0A000";
    pub const DEPENDENT_OBJECTS_STILL_EXIST: &str = "2BP01";
    pub const WRONG_OBJECT_TYPE: &str = "42809";
    pub const INVALID_OBJECT_DEFINITION: &str = "42P17";
    pub const UNDEFINED_FILE: &str = "58P01";
    pub const UNDEFINED_OBJECT: &str = "42704";
    pub const CONNECTION_FAILURE: &str = "08006";
    pub const SYSTEM_ERROR: &str = "58000";
    pub const IO_ERROR: &str = "58030";
    pub const QUERY_CANCELED: &str = "57014";
    pub const INTERNAL_ERROR: &str = "XX000";
    pub const DATA_EXCEPTION: &str = "22000";
    pub const NUMERIC_VALUE_OUT_OF_RANGE: &str = "22003";
    pub const DIVISION_BY_ZERO: &str = "22012";
    pub const INVALID_DATETIME_FORMAT: &str = "22007";
    pub const DATETIME_FIELD_OVERFLOW: &str = "22008";
    pub const INVALID_ARGUMENT_FOR_LOGARITHM: &str = "2201E";
    pub const INVALID_ARGUMENT_FOR_POWER_FUNCTION: &str = "2201F";
    pub const INVALID_ARGUMENT_FOR_WIDTH_BUCKET: &str = "2201G";
    pub const ARRAY_SUBSCRIPT_ERROR: &str = "2202E";
    pub const INVALID_REGULAR_EXPRESSION: &str = "2201B";
    pub const INVALID_ESCAPE_SEQUENCE: &str = "22025";
    pub const CHARACTER_NOT_IN_REPERTOIRE: &str = "22021";
    pub const STRING_DATA_RIGHT_TRUNCATION: &str = "22001";
    pub const GROUPING_ERROR: &str = "42803";
    pub const INVALID_COLUMN_REFERENCE: &str = "42P10";
    pub const SUBSTRING_ERROR: &str = "22011";
    pub const INVALID_ROW_COUNT_IN_LIMIT: &str = "2201W";
    pub const AMBIGUOUS_COLUMN: &str = "42702";
    pub const AMBIGUOUS_FUNCTION: &str = "42725";
    pub const DUPLICATE_COLUMN: &str = "42701";
    pub const INDETERMINATE_DATATYPE: &str = "42P18";
    pub const STATEMENT_TOO_COMPLEX: &str = "54001";
    pub const PROGRAM_LIMIT_EXCEEDED: &str = "54000";
    pub const OUT_OF_MEMORY: &str = "53200";
    pub const CARDINALITY_VIOLATION: &str = "21000";
}

/// The classification of one error: who acts, SQLSTATE, optional hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorClass {
    pub kind: ErrorKind,
    pub sqlstate: &'static str,
    pub hint: Option<String>,
}

impl ErrorClass {
    pub fn user(sqlstate: &'static str) -> Self {
        ErrorClass { kind: ErrorKind::User, sqlstate, hint: None }
    }

    pub fn external(sqlstate: &'static str) -> Self {
        ErrorClass { kind: ErrorKind::External, sqlstate, hint: None }
    }

    pub fn internal() -> Self {
        ErrorClass { kind: ErrorKind::Internal, sqlstate: sqlstate::INTERNAL_ERROR, hint: None }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Classifies a DataFusion error by its root cause, as PostgreSQL
    /// would classify the same mistake ([`crate::datafusion_error`]).
    pub fn of_datafusion(err: &datafusion::error::DataFusionError) -> Self {
        crate::datafusion_error::translate(err).0
    }
}

/// An error a function raises with PostgreSQL's SQLSTATE for it, carried
/// through DataFusion as [`SqlError::into_datafusion`].
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SqlError {
    pub sqlstate: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl SqlError {
    pub fn into_datafusion(sqlstate: &'static str, message: impl Into<String>) -> datafusion::error::DataFusionError {
        datafusion::error::DataFusionError::External(Box::new(SqlError {
            sqlstate,
            message: message.into(),
            hint: None,
        }))
    }

    /// [`SqlError::into_datafusion`] with a hint saying what to do.
    pub fn with_hint(
        sqlstate: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> datafusion::error::DataFusionError {
        datafusion::error::DataFusionError::External(Box::new(SqlError {
            sqlstate,
            message: message.into(),
            hint: Some(hint.into()),
        }))
    }
}

/// Implemented by every crate's error enum.
pub trait Classify {
    fn class(&self) -> ErrorClass;
}
