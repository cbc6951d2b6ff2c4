//! The TCP listener: one tokio task per connection, all sharing one engine.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use eddy_runtime::Engine;
use pgwire::api::cancel::{CancelHandler, DefaultCancelHandler};
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::{ClientInfo, ConnectionManager, ErrorHandler, PgWireServerHandlers};
use pgwire::error::PgWireError;
use pgwire::tokio::tokio_rustls::rustls::crypto::ring;
use pgwire::tokio::tokio_rustls::rustls::pki_types::pem::PemObject;
use pgwire::tokio::tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use pgwire::tokio::tokio_rustls::rustls::ServerConfig;
use pgwire::tokio::{process_socket, TlsAcceptor};
use tokio::net::TcpListener;

use crate::catalog;
use crate::query::QueryService;
use crate::startup::{Authentication, StartupConfig};
use crate::ServerError;

/// How the endpoint authenticates and encrypts connections.
#[derive(Clone, Default)]
pub struct ServerOptions {
    pub authentication: Authentication,
    /// TLS with this certificate and key; clients choose (`sslmode`).
    pub tls: Option<TlsFiles>,
}

/// PEM files of the server certificate (chain) and its private key.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A bound Postgres endpoint; [`Server::run`] serves it.
pub struct Server {
    listener: TcpListener,
    handlers: Arc<Handlers>,
    tls: Option<TlsAcceptor>,
}

impl Server {
    /// Listens on `addr` (port 0 picks a free port) with trust
    /// authentication for loopback clients and no TLS.
    pub async fn bind(engine: Engine, addr: SocketAddr) -> Result<Server, ServerError> {
        Server::bind_with(engine, addr, ServerOptions::default()).await
    }

    /// Listens on `addr` with `options` and installs `pg_catalog` on the
    /// engine's pull context. Unreadable TLS files fail here, not at the
    /// first connection.
    pub async fn bind_with(engine: Engine, addr: SocketAddr, options: ServerOptions) -> Result<Server, ServerError> {
        catalog::install(&engine)?;
        let (tls, certificate) = match &options.tls {
            Some(files) => {
                let (acceptor, certificate) = tls_acceptor(files)?;
                (Some(acceptor), Some(certificate))
            }
            None => (None, None),
        };
        let listener = TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { addr, source })?;
        let connections = Arc::new(ConnectionManager::new());
        let handlers = Arc::new(Handlers {
            queries: Arc::new(QueryService::new(engine)),
            startup: StartupConfig::new(connections.clone(), &options.authentication, certificate)
                .map_err(|e| ServerError::Tls(format!("SCRAM channel binding with this certificate: {e}")))?,
            cancel: Arc::new(DefaultCancelHandler::new(connections)),
        });
        Ok(Server { listener, handlers, tls })
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
            let tls = self.tls.clone();
            tokio::spawn(async move {
                if let Err(e) = process_socket(socket, tls, handlers).await {
                    tracing::debug!(%peer, "connection ended: {e}");
                }
            });
        }
    }
}

/// The TLS acceptor for `files`, and the certificate PEM (for SCRAM channel
/// binding).
fn tls_acceptor(files: &TlsFiles) -> Result<(TlsAcceptor, Vec<u8>), ServerError> {
    let read = |path: &PathBuf, what: &str| {
        std::fs::read(path).map_err(|e| ServerError::Tls(format!("cannot read the {what} {}: {e}", path.display())))
    };
    let cert_pem = read(&files.cert, "certificate")?;
    let key_pem = read(&files.key, "private key")?;
    let certs = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ServerError::Tls(format!("{} holds no PEM certificate: {e}", files.cert.display())))?;
    if certs.is_empty() {
        return Err(ServerError::Tls(format!("{} holds no PEM certificate", files.cert.display())));
    }
    let key = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|e| ServerError::Tls(format!("{} holds no PEM private key: {e}", files.key.display())))?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_no_client_auth().with_single_cert(certs, key))
        .map_err(|e| ServerError::Tls(format!("{} and {}: {e}", files.cert.display(), files.key.display())))?;
    // PostgreSQL 17 clients with sslnegotiation=direct require it.
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    Ok((TlsAcceptor::from(Arc::new(config)), cert_pem))
}

/// The pgwire handlers of every connection.
struct Handlers {
    queries: Arc<QueryService>,
    startup: StartupConfig,
    cancel: Arc<DefaultCancelHandler>,
}

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(&self) -> Arc<impl SimpleQueryHandler> {
        self.queries.clone()
    }

    fn extended_query_handler(&self) -> Arc<impl ExtendedQueryHandler> {
        self.queries.clone()
    }

    /// A fresh handler per connection: a SCRAM exchange has state.
    fn startup_handler(&self) -> Arc<impl pgwire::api::auth::StartupHandler> {
        Arc::new(self.startup.handler())
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
