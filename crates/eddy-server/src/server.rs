//! The TCP listener: one tokio task per connection, all sharing one engine.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use eddy_runtime::Engine;
use pgwire::api::cancel::{CancelHandler, DefaultCancelHandler};
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::{ClientInfo, ConnectionManager, ErrorHandler, PgWireServerHandlers};
use pgwire::error::PgWireError;
use pgwire::tokio::process_socket;
use tokio::net::TcpListener;

use crate::catalog;
use crate::query::QueryService;
use crate::startup::TrustStartup;
use crate::ServerError;

/// A bound Postgres endpoint; [`Server::run`] serves it.
pub struct Server {
    listener: TcpListener,
    handlers: Arc<Handlers>,
}

impl Server {
    /// Listens on `addr` (port 0 picks a free port) and installs
    /// `pg_catalog` on the engine's pull context.
    pub async fn bind(engine: Engine, addr: SocketAddr) -> Result<Server, ServerError> {
        catalog::install(engine.pull_context())?;
        let listener = TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { addr, source })?;
        let connections = Arc::new(ConnectionManager::new());
        let handlers = Arc::new(Handlers {
            queries: Arc::new(QueryService::new(engine)),
            startup: Arc::new(TrustStartup::new(connections.clone())),
            cancel: Arc::new(DefaultCancelHandler::new(connections)),
        });
        Ok(Server { listener, handlers })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> Result<SocketAddr, ServerError> {
        Ok(self.listener.local_addr()?)
    }

    /// Accepts connections until the task is dropped. A failed `accept`
    /// (out of file descriptors, say) is logged and retried.
    pub async fn run(self) -> Result<(), ServerError> {
        loop {
            let (socket, peer) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            if let Err(e) = socket.set_nodelay(true) {
                tracing::debug!(%peer, "cannot set TCP_NODELAY: {e}");
            }
            let handlers = self.handlers.clone();
            tokio::spawn(async move {
                if let Err(e) = process_socket(socket, None, handlers).await {
                    tracing::debug!(%peer, "connection ended: {e}");
                }
            });
        }
    }
}

/// The pgwire handlers of every connection.
struct Handlers {
    queries: Arc<QueryService>,
    startup: Arc<TrustStartup>,
    cancel: Arc<DefaultCancelHandler>,
}

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(&self) -> Arc<impl SimpleQueryHandler> {
        self.queries.clone()
    }

    fn extended_query_handler(&self) -> Arc<impl ExtendedQueryHandler> {
        self.queries.clone()
    }

    fn startup_handler(&self) -> Arc<impl pgwire::api::auth::StartupHandler> {
        self.startup.clone()
    }

    fn cancel_handler(&self) -> Arc<impl CancelHandler> {
        self.cancel.clone()
    }

    fn error_handler(&self) -> Arc<impl ErrorHandler> {
        Arc::new(LogErrors)
    }
}

/// Logs protocol-level errors; statement errors are logged where they are
/// classified.
struct LogErrors;

impl ErrorHandler for LogErrors {
    fn on_error<C: ClientInfo>(&self, client: &C, error: &mut PgWireError) {
        if !matches!(error, PgWireError::UserError(_)) {
            tracing::debug!(peer = %client.socket_addr(), "{error}");
        }
    }
}
