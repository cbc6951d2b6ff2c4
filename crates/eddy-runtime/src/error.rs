//! Engine errors: everything a statement can fail with.

use eddy_common::{sqlstate, Classify, ErrorClass};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Plan(#[from] eddy_sql::PlanError),
    #[error(transparent)]
    Catalog(#[from] eddy_catalog::CatalogError),
    #[error(transparent)]
    Connector(#[from] eddy_connectors::ConnectorError),
    #[error("{}", .0.message())]
    DataFusion(#[from] datafusion::error::DataFusionError),
    #[error(transparent)]
    Arrow(#[from] arrow::error::ArrowError),
    #[error("query \"{name}\" failed: {message}")]
    QueryFailed { name: String, message: String, class: ErrorClass },
    #[error("{0} is not supported")]
    Unsupported(String),
}

impl Classify for EngineError {
    fn class(&self) -> ErrorClass {
        match self {
            EngineError::Plan(e) => e.class(),
            EngineError::Catalog(e) => e.class(),
            EngineError::Connector(e) => e.class(),
            EngineError::DataFusion(e) => ErrorClass::of_datafusion(e),
            EngineError::Arrow(_) => ErrorClass::user(sqlstate::DATA_EXCEPTION),
            EngineError::QueryFailed { class, .. } => class.clone(),
            EngineError::Unsupported(_) => ErrorClass::user(sqlstate::FEATURE_NOT_SUPPORTED),
        }
    }
}
