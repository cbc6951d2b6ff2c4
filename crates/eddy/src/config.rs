//! `eddy serve --config eddy.toml`: the server's settings in a file.
//!
//! ```toml
//! listen = "0.0.0.0:7432"
//! kafka = "broker-1:9092"
//! data_dir = "/var/lib/eddy"
//! metrics_listen = "127.0.0.1:7433"   # or "off"
//!
//! [auth]
//! method = "scram-sha-256"            # default "trust": loopback clients only
//! [[auth.users]]
//! name = "analyst"
//! password_env = "EDDY_ANALYST_PASSWORD"   # or: password = "..."
//!
//! [tls]
//! cert = "/etc/eddy/server.crt"
//! key = "/etc/eddy/server.key"
//! ```
//!
//! A flag or `EDDY_*` variable wins over the file; the file wins over the
//! defaults. Unknown keys are errors, so a typo does not silently fall back
//! to a default. Relative paths are relative to the file's directory.

use std::path::{Path, PathBuf};

use eddy_server::{Authentication, ServerOptions, TlsFiles, User};
use serde::Deserialize;

/// The settings of a config file, each optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub listen: Option<String>,
    pub kafka: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub metrics_listen: Option<String>,
    #[serde(default)]
    pub auth: AuthSection,
    pub tls: Option<TlsSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSection {
    #[serde(default)]
    pub method: AuthMethod,
    #[serde(default)]
    pub users: Vec<UserEntry>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
pub enum AuthMethod {
    #[default]
    #[serde(rename = "trust")]
    Trust,
    #[serde(rename = "scram-sha-256")]
    ScramSha256,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEntry {
    pub name: String,
    pub password: Option<String>,
    /// The name of an environment variable holding the password, so the
    /// file need not.
    pub password_env: Option<String>,
}

impl std::fmt::Debug for UserEntry {
    // The name only: a password stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserEntry").field("name", &self.name).finish_non_exhaustive()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSection {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl ConfigFile {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<ConfigFile, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut config: ConfigFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.data_dir = config.data_dir.map(|dir| base.join(dir));
        if let Some(tls) = &mut config.tls {
            tls.cert = base.join(&tls.cert);
            tls.key = base.join(&tls.key);
        }
        config.server_options().map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(config)
    }

    /// The endpoint's authentication and TLS.
    pub fn server_options(&self) -> Result<ServerOptions, String> {
        let authentication = match self.auth.method {
            AuthMethod::Trust if !self.auth.users.is_empty() => {
                return Err("[auth] lists users but method is \"trust\": set method = \"scram-sha-256\"".into())
            }
            AuthMethod::Trust => Authentication::Trust,
            AuthMethod::ScramSha256 if self.auth.users.is_empty() => {
                return Err("[auth] method \"scram-sha-256\" needs at least one [[auth.users]] entry".into())
            }
            AuthMethod::ScramSha256 => {
                let users: Vec<User> = self.auth.users.iter().map(UserEntry::user).collect::<Result<_, _>>()?;
                if let Some((i, user)) =
                    users.iter().enumerate().find(|(i, user)| users[..*i].iter().any(|u| u.name == user.name))
                {
                    return Err(format!("[[auth.users]] entry {} repeats the user \"{}\"", i + 1, user.name));
                }
                Authentication::ScramSha256(users)
            }
        };
        let tls = self.tls.as_ref().map(|tls| TlsFiles { cert: tls.cert.clone(), key: tls.key.clone() });
        Ok(ServerOptions { authentication, tls })
    }
}

impl UserEntry {
    fn user(&self) -> Result<User, String> {
        let password = match (&self.password, &self.password_env) {
            (Some(password), None) => password.clone(),
            (None, Some(var)) => std::env::var(var)
                .map_err(|_| format!("user \"{}\": the environment variable {var} is not set", self.name))?,
            _ => return Err(format!("user \"{}\": give exactly one of password and password_env", self.name)),
        };
        if password.is_empty() {
            return Err(format!("user \"{}\": the password is empty", self.name));
        }
        Ok(User { name: self.name.clone(), password })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, String> {
        let config: ConfigFile = toml::from_str(text).map_err(|e| e.to_string())?;
        config.server_options()?;
        Ok(config)
    }

    #[test]
    fn a_full_file_is_read() {
        let config = parse(
            r#"
            listen = "0.0.0.0:7432"
            kafka = "k:9092"
            metrics_listen = "off"
            [auth]
            method = "scram-sha-256"
            [[auth.users]]
            name = "analyst"
            password = "s3cret"
            [tls]
            cert = "a.crt"
            key = "a.key"
            "#,
        )
        .unwrap();
        assert_eq!(config.listen.as_deref(), Some("0.0.0.0:7432"));
        let options = config.server_options().unwrap();
        assert!(matches!(&options.authentication, Authentication::ScramSha256(users) if users[0].name == "analyst"));
        assert_eq!(options.tls.unwrap().cert, PathBuf::from("a.crt"));
    }

    #[test]
    fn mistakes_are_errors() {
        assert!(parse("listn = 'x'").unwrap_err().contains("unknown field `listn`"));
        assert!(parse("[auth]\nmethod = 'md5'").unwrap_err().contains("unknown variant `md5`"));
        assert!(parse("[auth]\nmethod = 'scram-sha-256'").unwrap_err().contains("needs at least one"));
        assert!(parse("[[auth.users]]\nname = 'a'\npassword = 'b'").unwrap_err().contains("method is \"trust\""));
        let both = "[auth]\nmethod = 'scram-sha-256'\n[[auth.users]]\nname = 'a'\npassword = 'b'\npassword_env = 'X'";
        assert!(parse(both).unwrap_err().contains("exactly one"));
        let unset =
            "[auth]\nmethod = 'scram-sha-256'\n[[auth.users]]\nname = 'a'\npassword_env = 'EDDY_TEST_UNSET_VAR'";
        assert!(parse(unset).unwrap_err().contains("EDDY_TEST_UNSET_VAR is not set"));
        let twice = "[auth]\nmethod = 'scram-sha-256'\n[[auth.users]]\nname = 'a'\npassword = 'b'\n\
                     [[auth.users]]\nname = 'a'\npassword = 'c'";
        assert!(parse(twice).unwrap_err().contains("entry 2 repeats the user \"a\""));
        let users = "[auth]\nmethod = 'scram-sha-256'\n[[auth.users]]\nname = 'a'\npassword = 'hunter2'";
        let debug = format!("{:?}", toml::from_str::<ConfigFile>(users).unwrap());
        assert!(debug.contains("\"a\"") && !debug.contains("hunter2"), "{debug}");
    }
}
