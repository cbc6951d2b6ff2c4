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

    /// Classifies a DataFusion error. DataFusion does not carry SQLSTATEs, so
    /// this maps its variants (and the shape of common planning messages).
    pub fn of_datafusion(err: &datafusion::error::DataFusionError) -> Self {
        use datafusion::error::DataFusionError as E;
        match err.find_root() {
            E::SQL(..) => ErrorClass::user(sqlstate::SYNTAX_ERROR),
            E::SchemaError(e, _) => {
                let text = e.to_string();
                if text.contains("No field named") {
                    ErrorClass::user(sqlstate::UNDEFINED_COLUMN)
                } else {
                    ErrorClass::user(sqlstate::SYNTAX_ERROR)
                }
            }
            E::Plan(msg) => {
                let lower = msg.to_lowercase();
                if lower.contains("table") && lower.contains("not found") {
                    ErrorClass::user(sqlstate::UNDEFINED_TABLE)
                } else if lower.contains("invalid function")
                    || lower.contains("function") && lower.contains("not found")
                {
                    ErrorClass::user(sqlstate::UNDEFINED_FUNCTION)
                } else if lower.contains("coerc") || lower.contains("type") || lower.contains("signature") {
                    ErrorClass::user(sqlstate::DATATYPE_MISMATCH)
                } else {
                    ErrorClass::user(sqlstate::SYNTAX_ERROR)
                }
            }
            E::NotImplemented(_) => ErrorClass::user(sqlstate::FEATURE_NOT_SUPPORTED),
            E::ArrowError(e, _) => match e.as_ref() {
                arrow::error::ArrowError::CastError(_)
                | arrow::error::ArrowError::ParseError(_)
                | arrow::error::ArrowError::ComputeError(_)
                | arrow::error::ArrowError::DivideByZero
                | arrow::error::ArrowError::ArithmeticOverflow(_) => ErrorClass::user(sqlstate::DATA_EXCEPTION),
                _ => ErrorClass::internal(),
            },
            E::Execution(_) => ErrorClass::user(sqlstate::DATA_EXCEPTION),
            E::IoError(_) => ErrorClass::external(sqlstate::IO_ERROR),
            E::External(e) => match e.downcast_ref::<SqlError>() {
                Some(e) => ErrorClass::user(e.sqlstate),
                None => ErrorClass::internal(),
            },
            _ => ErrorClass::internal(),
        }
    }
}

/// An error a function raises with PostgreSQL's SQLSTATE for it, carried
/// through DataFusion as [`SqlError::into_datafusion`].
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SqlError {
    pub sqlstate: &'static str,
    pub message: String,
}

impl SqlError {
    pub fn into_datafusion(sqlstate: &'static str, message: impl Into<String>) -> datafusion::error::DataFusionError {
        datafusion::error::DataFusionError::External(Box::new(SqlError { sqlstate, message: message.into() }))
    }
}

/// Implemented by every crate's error enum.
pub trait Classify {
    fn class(&self) -> ErrorClass;
}
