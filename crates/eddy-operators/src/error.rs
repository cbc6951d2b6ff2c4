//! Operator errors: evaluation failures on the data a query reads.

use datafusion::error::DataFusionError;
use eddy_common::{sqlstate, Classify, ErrorClass};

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("{}", eddy_common::datafusion_message(.0))]
    DataFusion(#[from] DataFusionError),
    #[error(transparent)]
    Arrow(#[from] arrow::error::ArrowError),
    #[error("{operator} cannot process {what}")]
    Unexpected { operator: &'static str, what: &'static str },
}

impl Classify for OperatorError {
    fn class(&self) -> ErrorClass {
        match self {
            OperatorError::DataFusion(e) => ErrorClass::of_datafusion(e),
            OperatorError::Arrow(_) => ErrorClass::user(sqlstate::DATA_EXCEPTION),
            OperatorError::Unexpected { .. } => ErrorClass::internal(),
        }
    }
}

pub type Result<T, E = OperatorError> = std::result::Result<T, E>;
