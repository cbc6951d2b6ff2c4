//! Connection startup: trust authentication for loopback clients, the
//! server parameters drivers read, and registration for `CancelRequest`s.
//!
//! Any user name is accepted from 127.0.0.0/8 and ::1; other addresses are
//! refused until SCRAM-SHA-256 and TLS land.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::auth::{
    finish_authentication, protocol_negotiation, save_startup_parameters_to_metadata, DefaultServerParameterProvider,
    StartupHandler,
};
use pgwire::api::{ClientInfo, ConnectionManager, PidSecretKeyGenerator, RandomPidSecretKeyGenerator};
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};

use crate::error::sqlstate;
use crate::session::StartupParameters;
use crate::settings::{self, POSTGRES_VERSION};

/// Accepts loopback clients without a password.
pub struct TrustStartup {
    connections: Arc<ConnectionManager>,
    keys: RandomPidSecretKeyGenerator,
    parameters: DefaultServerParameterProvider,
}

impl TrustStartup {
    pub fn new(connections: Arc<ConnectionManager>) -> Self {
        let mut parameters = DefaultServerParameterProvider::default();
        parameters.server_version = POSTGRES_VERSION.to_string();
        parameters.date_style = "ISO, MDY".to_string();
        parameters.time_zone = "UTC".to_string();
        TrustStartup { connections, keys: RandomPidSecretKeyGenerator::default(), parameters }
    }
}

#[async_trait]
impl StartupHandler for TrustStartup {
    async fn on_startup<C>(&self, client: &mut C, message: PgWireFrontendMessage) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let PgWireFrontendMessage::Startup(startup) = message else {
            return Ok(());
        };
        protocol_negotiation(client, &startup).await?;
        save_startup_parameters_to_metadata(client, &startup);
        settings::normalize_startup(client.metadata_mut());
        let peer = client.socket_addr();
        if !peer.ip().is_loopback() {
            tracing::info!(%peer, "refused a connection from outside loopback");
            return Err(PgWireError::UserError(Box::new(ErrorInfo::new(
                "FATAL".to_string(),
                sqlstate::INVALID_AUTHORIZATION.to_string(),
                format!("no trust entry for host \"{}\": Eddy accepts loopback connections only", peer.ip()),
            ))));
        }
        let (pid, secret_key) = self.keys.generate(client);
        client.set_pid_and_secret_key(pid, secret_key.clone());
        let (handle, guard) = self.connections.register(pid, secret_key);
        client.session_extensions().insert(handle);
        client.session_extensions().insert(guard);
        client.session_extensions().insert(StartupParameters(client.metadata().clone()));
        tracing::debug!(%peer, pid, user = client.metadata().get("user").map(String::as_str), "connected");
        finish_authentication(client, &self.parameters).await
    }
}
