//! Connection startup: authentication, the server parameters drivers read,
//! and registration for `CancelRequest`s.
//!
//! Two methods, chosen for the whole server ([`Authentication`]):
//! - trust (the default): any user name, from 127.0.0.0/8 and ::1 only;
//! - SCRAM-SHA-256: users and passwords from the configuration, from any
//!   address; a wrong password or an unknown user is refused with 28P01
//!   (`invalid_password`), as PostgreSQL does (which of the two is not told).

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::auth::sasl::scram::{gen_salted_password, ScramAuth};
use pgwire::api::auth::sasl::SASLAuthStartupHandler;
use pgwire::api::auth::{
    finish_authentication, protocol_negotiation, save_startup_parameters_to_metadata, AuthSource,
    DefaultServerParameterProvider, LoginInfo, Password, StartupHandler,
};
use pgwire::api::{ClientInfo, ConnectionManager, PidSecretKeyGenerator, RandomPidSecretKeyGenerator};
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use rand::RngCore;

use crate::error::sqlstate;
use crate::session::StartupParameters;
use crate::settings::{self, POSTGRES_VERSION};

/// PBKDF2 iterations of the SCRAM exchange (PostgreSQL's default).
const SCRAM_ITERATIONS: usize = 4096;

/// How clients prove who they are.
#[derive(Clone, Default)]
pub enum Authentication {
    /// Any user, loopback clients only.
    #[default]
    Trust,
    /// SCRAM-SHA-256 against these users, from any address.
    ScramSha256(Vec<User>),
}

/// A user who may log in with a password.
#[derive(Clone)]
pub struct User {
    pub name: String,
    pub password: String,
}

impl Debug for User {
    // Never print a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User").field("name", &self.name).finish_non_exhaustive()
    }
}

/// What every connection's startup shares: the method, the users' salted
/// passwords, the server parameters and the registry of connections (for
/// cancel requests).
pub struct StartupConfig {
    connections: Arc<ConnectionManager>,
    /// One for the whole server: it counts process ids up, so connections
    /// get distinct ones (cancel requests find their connection by it).
    keys: Arc<RandomPidSecretKeyGenerator>,
    parameters: Arc<DefaultServerParameterProvider>,
    users: Option<Arc<ScramUsers>>,
    /// The server certificate (PEM) for SCRAM-SHA-256-PLUS channel binding
    /// when TLS is on.
    certificate: Option<Vec<u8>>,
}

impl StartupConfig {
    /// Fails when channel binding cannot use `certificate` (an unsupported
    /// signature algorithm).
    pub fn new(
        connections: Arc<ConnectionManager>,
        authentication: &Authentication,
        certificate: Option<Vec<u8>>,
    ) -> PgWireResult<Self> {
        let mut parameters = DefaultServerParameterProvider::default();
        parameters.server_version = POSTGRES_VERSION.to_string();
        parameters.date_style = "ISO, MDY".to_string();
        parameters.time_zone = "UTC".to_string();
        parameters.scram_iterations = SCRAM_ITERATIONS;
        let users = match authentication {
            Authentication::Trust => None,
            Authentication::ScramSha256(users) => Some(Arc::new(ScramUsers::new(users))),
        };
        if let (Some(users), Some(certificate)) = (&users, &certificate) {
            ScramAuth::new(users.clone()).configure_certificate(certificate)?;
        }
        Ok(StartupConfig {
            connections,
            keys: Arc::new(RandomPidSecretKeyGenerator::default()),
            parameters: Arc::new(parameters),
            users,
            certificate,
        })
    }

    /// The startup handler of one connection (a SCRAM exchange keeps state
    /// per connection).
    pub fn handler(&self) -> Startup {
        Startup {
            connections: self.connections.clone(),
            parameters: self.parameters.clone(),
            keys: self.keys.clone(),
            users: self.users.clone(),
            certificate: self.certificate.clone(),
            scram: OnceLock::new(),
        }
    }
}

/// The users of SCRAM authentication with their salted passwords, made once
/// at startup (a random salt per user).
struct ScramUsers {
    users: HashMap<String, Password>,
    /// Keys the made-up salt of an unknown user: the same name gets the same
    /// salt on every attempt, as a real user does.
    mock_salts: RandomState,
}

impl Debug for ScramUsers {
    // Names only: salted passwords stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.users.keys()).finish()
    }
}

impl ScramUsers {
    fn new(users: &[User]) -> Self {
        let users = users.iter().map(|user| (user.name.clone(), salted(&user.password))).collect();
        ScramUsers { users, mock_salts: RandomState::new() }
    }

    /// What an unknown user is asked to prove: a salt that depends only on
    /// the name (a keyed hash, as PostgreSQL's mock salt), and a random
    /// salted password, which no proof matches. No key derivation is run for
    /// it, so it costs no more than a known user's exchange.
    fn unknown(&self, user: &str) -> Password {
        let salt: Vec<u8> =
            [0u8, 1].iter().flat_map(|half| self.mock_salts.hash_one((half, user)).to_le_bytes()).collect();
        let mut salted = vec![0u8; 32];
        rand::rng().fill_bytes(&mut salted);
        Password::new(Some(salt), salted)
    }
}

fn salted(password: &str) -> Password {
    let mut salt = vec![0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salted = gen_salted_password(password, &salt, SCRAM_ITERATIONS);
    Password::new(Some(salt), salted)
}

#[async_trait]
impl AuthSource for ScramUsers {
    /// An unknown user gets a made-up password ([`ScramUsers::unknown`]), so
    /// the exchange runs to the end and fails like a wrong password: nobody
    /// learns which users exist.
    async fn get_password(&self, login: &LoginInfo) -> PgWireResult<Password> {
        let user = login.user().unwrap_or_default();
        Ok(self.users.get(user).cloned().unwrap_or_else(|| self.unknown(user)))
    }
}

/// One connection's startup.
pub struct Startup {
    connections: Arc<ConnectionManager>,
    parameters: Arc<DefaultServerParameterProvider>,
    keys: Arc<RandomPidSecretKeyGenerator>,
    /// The SCRAM users; `None` for trust.
    users: Option<Arc<ScramUsers>>,
    certificate: Option<Vec<u8>>,
    /// The SCRAM exchange, made at the startup message: only a TLS
    /// connection is offered SCRAM-SHA-256-PLUS (channel binding).
    scram: OnceLock<SASLAuthStartupHandler<DefaultServerParameterProvider>>,
}

impl Startup {
    fn scram_exchange(
        &self,
        users: &Arc<ScramUsers>,
        tls: bool,
    ) -> SASLAuthStartupHandler<DefaultServerParameterProvider> {
        let mut scram = ScramAuth::new(users.clone());
        scram.set_iterations(SCRAM_ITERATIONS);
        if let (true, Some(certificate)) = (tls, &self.certificate) {
            // Checked in `StartupConfig::new`.
            if let Err(e) = scram.configure_certificate(certificate) {
                tracing::warn!("SCRAM channel binding is off: {e}");
            }
        }
        SASLAuthStartupHandler::new(self.parameters.clone())
            .with_scram(scram)
            .with_pid_secret_key_generator(self.keys.clone())
            .with_connection_manager(self.connections.clone())
    }

    /// Trust: loopback clients only, no password.
    async fn trust<C>(&self, client: &mut C) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let peer = client.socket_addr();
        if !peer.ip().is_loopback() {
            tracing::info!(%peer, "refused a connection from outside loopback");
            return Err(fatal(
                sqlstate::INVALID_AUTHORIZATION,
                format!(
                    "no trust entry for host \"{}\": without users in the configuration Eddy accepts loopback \
                     connections only",
                    peer.ip()
                ),
            ));
        }
        let (pid, secret_key) = self.keys.generate(client);
        client.set_pid_and_secret_key(pid, secret_key.clone());
        let (handle, guard) = self.connections.register(pid, secret_key);
        client.session_extensions().insert(handle);
        client.session_extensions().insert(guard);
        tracing::debug!(%peer, pid, user = client.metadata().get("user").map(String::as_str), "connected");
        finish_authentication(client, self.parameters.as_ref()).await
    }
}

#[async_trait]
impl StartupHandler for Startup {
    async fn on_startup<C>(&self, client: &mut C, message: PgWireFrontendMessage) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let Some(users) = &self.users else {
            let PgWireFrontendMessage::Startup(startup) = message else { return Ok(()) };
            protocol_negotiation(client, &startup).await?;
            save_startup_parameters_to_metadata(client, &startup);
            remember_startup_parameters(client);
            return self.trust(client).await;
        };
        let scram = self.scram.get_or_init(|| self.scram_exchange(users, client.is_secure()));
        match message {
            message @ PgWireFrontendMessage::Startup(_) => {
                scram.on_startup(client, message).await?;
                remember_startup_parameters(client);
                Ok(())
            }
            message => match scram.on_startup(client, message).await {
                Err(PgWireError::InvalidPassword(_)) => {
                    let user = client.metadata().get("user").cloned().unwrap_or_default();
                    tracing::info!(peer = %client.socket_addr(), user, "password authentication failed");
                    Err(fatal(
                        sqlstate::INVALID_PASSWORD,
                        format!("password authentication failed for user \"{user}\""),
                    ))
                }
                other => other,
            },
        }
    }
}

/// Normalizes the settings a client sent and keeps them for `RESET`.
fn remember_startup_parameters<C: ClientInfo>(client: &mut C) {
    settings::normalize_startup(client.metadata_mut());
    client.session_extensions().insert(StartupParameters(client.metadata().clone()));
}

fn fatal(code: &str, message: String) -> PgWireError {
    PgWireError::UserError(Box::new(ErrorInfo::new("FATAL".to_string(), code.to_string(), message)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An unknown user's salt is the same on every attempt (a real user's
    /// is), differs between names, and what it is asked to prove differs
    /// from any password's.
    #[test]
    fn unknown_users_get_a_stable_salt_and_an_unmatched_password() {
        let users = ScramUsers::new(&[User { name: "alice".into(), password: "secret".into() }]);
        let first = users.unknown("mallory");
        let again = users.unknown("mallory");
        assert_eq!(first.salt(), again.salt());
        assert_eq!(first.salt().map(<[u8]>::len), Some(16));
        assert_ne!(first.salt(), users.unknown("eve").salt());
        assert_ne!(first.password(), again.password());
        assert_eq!(users.users["alice"].salt().map(<[u8]>::len), Some(16));
    }
}
