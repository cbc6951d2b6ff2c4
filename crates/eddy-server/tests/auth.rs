//! Authentication and TLS: SCRAM-SHA-256 with users from the configuration,
//! refused logins with SQLSTATE 28P01, and TLS (with SCRAM channel binding)
//! through the real `psql`.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestServer;
use eddy_server::{Authentication, ServerOptions, TlsFiles, User};
use tokio_postgres::NoTls;

fn users() -> Authentication {
    Authentication::ScramSha256(vec![
        User { name: "analyst".into(), password: "correct horse".into() },
        User { name: "ops".into(), password: "battery staple".into() },
    ])
}

/// Connects as `user` with `password`; the error's SQLSTATE and message on failure.
async fn login(server: &TestServer, user: &str, password: &str) -> Result<i32, (String, String)> {
    let config =
        format!("host={} port={} user={user} password='{password}' dbname=eddy", server.addr.ip(), server.addr.port());
    match tokio_postgres::connect(&config, NoTls).await {
        Ok((client, connection)) => {
            tokio::spawn(connection);
            Ok(client.query_one("SELECT 41 + 1", &[]).await.unwrap().get(0))
        }
        Err(e) => {
            let db = e.as_db_error().expect("an ErrorResponse from the server");
            Err((db.code().code().to_string(), db.message().to_string()))
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scram_accepts_the_right_password_and_refuses_others_with_28p01() {
    let server = TestServer::start_with(ServerOptions { authentication: users(), tls: None }).await;
    assert_eq!(login(&server, "analyst", "correct horse").await, Ok(42));
    assert_eq!(login(&server, "ops", "battery staple").await, Ok(42));

    let refused =
        |user: &str| Err(("28P01".to_string(), format!("password authentication failed for user \"{user}\"")));
    assert_eq!(login(&server, "analyst", "battery staple").await, refused("analyst"));
    assert_eq!(login(&server, "analyst", "").await.map_err(|(code, _)| code), Err("28P01".to_string()));
    // An unknown user fails the same way: the server does not tell which users exist.
    assert_eq!(login(&server, "mallory", "correct horse").await, refused("mallory"));
}

/// A self-signed certificate for localhost, made with the openssl command line.
fn self_signed(dir: &Path) -> TlsFiles {
    let (cert, key) = (dir.join("server.crt"), dir.join("server.key"));
    let status = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl is installed");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    TlsFiles { cert, key }
}

/// Runs `psql` with a connection string and the password in PGPASSWORD.
async fn psql(conninfo: String, password: &str, command: &str) -> (bool, String) {
    let mut psql = Command::new("psql");
    psql.args(["-X", "-w", "-A", "-t", &conninfo, "-c", command]).env("PGPASSWORD", password);
    let output = tokio::task::spawn_blocking(move || psql.output()).await.unwrap().expect("psql is installed");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_logs_in_over_tls_with_scram_channel_binding() {
    let dir = tempfile::tempdir().unwrap();
    let tls = self_signed(dir.path());
    let server = TestServer::start_with(ServerOptions { authentication: users(), tls: Some(tls) }).await;
    let base = format!("host=127.0.0.1 port={} user=analyst dbname=eddy", server.addr.port());

    // TLS required and SCRAM-SHA-256-PLUS (bound to the TLS channel) required.
    let (ok, out) =
        psql(format!("{base} sslmode=require channel_binding=require"), "correct horse", "\\conninfo").await;
    assert!(ok, "{out}");
    assert!(out.contains("SSL connection (protocol: TLSv1.3"), "{out}");
    let (ok, out) = psql(format!("{base} sslmode=require"), "correct horse", "SELECT 6 * 7").await;
    assert!(ok && out.trim() == "42", "{out}");

    // TLS is the client's choice; the password is not.
    let (ok, out) = psql(format!("{base} sslmode=disable"), "correct horse", "SELECT 1").await;
    assert!(ok && out.trim() == "1", "{out}");
    let (ok, out) = psql(format!("{base} sslmode=require"), "wrong", "SELECT 1").await;
    assert!(!ok && out.contains("password authentication failed for user \"analyst\""), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_tls_files_fail_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let missing = TlsFiles { cert: dir.path().join("none.crt"), key: dir.path().join("none.key") };
    let options = ServerOptions { authentication: Authentication::Trust, tls: Some(missing) };
    let addr = "127.0.0.1:0".parse().unwrap();
    let error = eddy_server::Server::bind_with(eddy_runtime::Engine::new(), addr, options).await.err().unwrap();
    assert!(error.to_string().contains("cannot read the certificate"), "{error}");

    std::fs::write(dir.path().join("bad.crt"), "not a certificate").unwrap();
    std::fs::write(dir.path().join("bad.key"), "not a key").unwrap();
    let bad = TlsFiles { cert: dir.path().join("bad.crt"), key: dir.path().join("bad.key") };
    let options = ServerOptions { authentication: Authentication::Trust, tls: Some(bad) };
    let error = eddy_server::Server::bind_with(eddy_runtime::Engine::new(), addr, options).await.err().unwrap();
    assert!(error.to_string().contains("bad.crt holds no PEM certificate"), "{error}");
}
