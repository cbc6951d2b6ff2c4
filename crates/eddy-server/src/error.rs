//! Server errors, and how every error reaches the client: an
//! `ErrorResponse` with the SQLSTATE, message and hint of its [`Classify`].

use eddy_common::{Classify, ErrorClass, ErrorKind};
use pgwire::error::{ErrorInfo, PgWireError};

/// What can stop the server itself (not a statement: those become
/// `ErrorResponse`s and the connection goes on).
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("the listener failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot install pg_catalog: {0}")]
    Catalog(#[from] datafusion::error::DataFusionError),
    #[error("TLS: {0}")]
    Tls(String),
}

/// SQLSTATEs the server reports on its own (beyond `eddy_common::sqlstate`).
pub mod sqlstate {
    pub const UNDEFINED_OBJECT: &str = "42704";
    pub const CANT_CHANGE_RUNTIME_PARAM: &str = "55P02";
    pub const PROTOCOL_VIOLATION: &str = "08P01";
    pub const INVALID_AUTHORIZATION: &str = "28000";
    pub const INVALID_PASSWORD: &str = "28P01";
}

/// An `ERROR` the client gets for a statement.
pub fn user_error(sqlstate: &str, message: impl Into<String>, hint: Option<String>) -> PgWireError {
    let mut info = ErrorInfo::new("ERROR".to_string(), sqlstate.to_string(), message.into());
    info.hint = hint;
    PgWireError::UserError(Box::new(info))
}

/// The `ErrorResponse` for any classified error. Bugs are logged too: the
/// client cannot act on them.
pub fn classified<E: Classify + std::fmt::Display>(error: &E) -> PgWireError {
    let ErrorClass { kind, sqlstate, hint } = error.class();
    match kind {
        ErrorKind::Internal => tracing::error!(%sqlstate, "internal error: {error}"),
        ErrorKind::External => tracing::warn!(%sqlstate, "{error}"),
        ErrorKind::User => tracing::debug!(%sqlstate, "{error}"),
    }
    user_error(sqlstate, error.to_string(), hint)
}

/// The `ErrorInfo` of a pgwire error, for a `Response::Error`.
pub fn error_info(error: PgWireError) -> Box<ErrorInfo> {
    match error {
        PgWireError::UserError(info) => info,
        other => Box::new(other.into()),
    }
}
