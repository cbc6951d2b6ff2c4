//! Planning errors.

use datafusion::error::DataFusionError;
use eddy_catalog::CatalogError;
use eddy_common::{sqlstate, Classify, ErrorClass};
use sqlparser::parser::ParserError;

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Parse(#[from] ParserError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("{construct} is not supported in continuous queries yet")]
    Unsupported { construct: String, hint: Option<String> },
    #[error("window over \"{stream}\" needs a watermark")]
    MissingWatermark { stream: String },
    #[error("window over \"{stream}\" must use its watermark column \"{watermark_column}\", not \"{column}\"")]
    WrongTimeColumn { stream: String, column: String, watermark_column: String },
    #[error("{function}: {reason}")]
    InvalidWindow { function: String, reason: String },
    #[error("column \"{column}\" of \"{stream}\" has type {actual}; {expected}")]
    TypeMismatch { stream: String, column: String, actual: String, expected: String },
    #[error("column \"{column}\" does not exist in \"{stream}\"")]
    UnknownColumn { stream: String, column: String },
    #[error("column \"{column}\" does not exist")]
    UndefinedColumn { column: String, available: Vec<String> },
    #[error(
        "the watermark of \"{stream}\" ({expr}) runs ahead of its event time: a watermark delay cannot be negative"
    )]
    NegativeWatermarkDelay { stream: String, expr: String },
    #[error("column \"{column}\" specified more than once")]
    DuplicateColumn { column: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{}", eddy_common::datafusion_message(.0))]
    DataFusion(DataFusionError),
}

impl From<DataFusionError> for PlanError {
    /// Keeps DataFusion's error, except the ones Eddy reports in its own words.
    fn from(e: DataFusionError) -> Self {
        if let DataFusionError::SchemaError(schema_error, _) = e.find_root() {
            if let datafusion::common::SchemaError::FieldNotFound { field, valid_fields } = schema_error.as_ref() {
                return PlanError::UndefinedColumn {
                    column: field.name.clone(),
                    available: valid_fields.iter().map(|c| c.name.clone()).collect(),
                };
            }
        }
        PlanError::DataFusion(e)
    }
}

impl PlanError {
    pub(crate) fn unsupported(construct: impl Into<String>) -> Self {
        PlanError::Unsupported { construct: construct.into(), hint: None }
    }

    pub(crate) fn unsupported_with_hint(construct: impl Into<String>, hint: impl Into<String>) -> Self {
        PlanError::Unsupported { construct: construct.into(), hint: Some(hint.into()) }
    }
}

impl Classify for PlanError {
    fn class(&self) -> ErrorClass {
        match self {
            PlanError::Parse(_) => ErrorClass::user(sqlstate::SYNTAX_ERROR),
            PlanError::Catalog(e) => e.class(),
            PlanError::Unsupported { hint, .. } => {
                let class = ErrorClass::user(sqlstate::FEATURE_NOT_SUPPORTED);
                match hint {
                    Some(h) => class.with_hint(h.clone()),
                    None => class,
                }
            }
            PlanError::MissingWatermark { .. } => ErrorClass::user(sqlstate::INVALID_OBJECT_DEFINITION)
                .with_hint("declare one on the stream: WATERMARK FOR ts AS ts - INTERVAL '5 seconds'"),
            PlanError::WrongTimeColumn { .. } => ErrorClass::user(sqlstate::INVALID_OBJECT_DEFINITION)
                .with_hint("windows close when the stream's watermark passes their end, so they must be defined on the watermark column"),
            PlanError::InvalidWindow { .. } => ErrorClass::user(sqlstate::INVALID_PARAMETER_VALUE),
            PlanError::TypeMismatch { .. } => ErrorClass::user(sqlstate::DATATYPE_MISMATCH),
            PlanError::UnknownColumn { .. } => ErrorClass::user(sqlstate::UNDEFINED_COLUMN),
            PlanError::UndefinedColumn { available, .. } => ErrorClass::user(sqlstate::UNDEFINED_COLUMN)
                .with_hint(format!("available columns: {}", available.join(", "))),
            PlanError::NegativeWatermarkDelay { .. } => ErrorClass::user(sqlstate::INVALID_PARAMETER_VALUE)
                .with_hint("subtract the allowed lateness: WATERMARK FOR ts AS ts - INTERVAL '5 seconds'"),
            PlanError::DuplicateColumn { column } => ErrorClass::user(sqlstate::DUPLICATE_COLUMN)
                .with_hint(format!("give the columns distinct names: ... AS {column}_2")),
            PlanError::Invalid(_) => ErrorClass::user(sqlstate::INVALID_OBJECT_DEFINITION),
            PlanError::DataFusion(e) => ErrorClass::of_datafusion(e),
        }
    }
}
