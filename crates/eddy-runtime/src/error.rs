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
    #[error("{}", eddy_common::datafusion_message(.0))]
    DataFusion(#[from] datafusion::error::DataFusionError),
    #[error(transparent)]
    Arrow(#[from] arrow::error::ArrowError),
    #[error("query \"{name}\" failed: {message}")]
    QueryFailed { name: String, message: String, class: ErrorClass },
    #[error("{0} is not supported")]
    Unsupported(String),
    #[error("stream \"{0}\" cannot be queried directly: pull queries read materialized views and derived streams")]
    SourceStreamQueried(String),
    #[error("sink \"{sink}\" cannot be queried: its rows are written to its connector")]
    SinkQueried { sink: String, from: String },
    #[error("the data dir {path} cannot be written: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("restoring the catalog failed at `{statement}`: {message}")]
    Restore { statement: String, message: String, class: ErrorClass },
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
            EngineError::SourceStreamQueried(name) => ErrorClass::user(sqlstate::WRONG_OBJECT_TYPE).with_hint(format!(
                "CREATE MATERIALIZED VIEW {name}_all AS SELECT * FROM {name}, then query {name}_all"
            )),
            EngineError::SinkQueried { from, .. } => ErrorClass::user(sqlstate::WRONG_OBJECT_TYPE)
                .with_hint(format!("query what it reads: SELECT * FROM {from}")),
            EngineError::DataDir { .. } => ErrorClass::external(sqlstate::IO_ERROR)
                .with_hint("check that the data dir (--data-dir, EDDY_DATA_DIR) exists and is writable"),
            EngineError::Restore { class, .. } => class.clone(),
        }
    }
}
