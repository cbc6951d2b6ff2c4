//! Eddy's Postgres endpoint: where `psql`, drivers and BI tools meet the
//! engine.
//!
//! [`Server::bind`] listens on a TCP address and serves each connection in
//! its own task with [pgwire]: the simple and the extended query protocol
//! over one shared [`eddy_runtime::Engine`]. A statement goes
//! text → [`statement::StatementParser`] (Eddy's parser, with
//! datafusion-pg-catalog's rewrites for client catalog queries) → either the
//! session ([`session::SessionCommand`]: `SET`, `SHOW`, `BEGIN`, ...) or the
//! engine → [`response`] (Arrow → Postgres with arrow-pg). Errors leave as
//! `ErrorResponse`s carrying the SQLSTATE and hint of their classification.
//! `pg_catalog` and `information_schema` ([`catalog`]) are installed once per
//! process on the engine's pull-query context.

pub mod catalog;
mod compat;
mod error;
mod lookups;
pub mod metrics;
mod query;
pub mod response;
mod server;
pub mod session;
pub mod settings;
mod startup;
pub mod statement;

pub use error::ServerError;
pub use metrics::MetricsServer;
pub use server::{Server, ServerOptions, TlsFiles};
pub use startup::{Authentication, User};
