//! `eddy serve --config eddy.toml`: settings, SCRAM users and their
//! passwords from the file (and the environment), checked with `psql`; a
//! bad file stops the server before it listens, naming the mistake.

use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn psql(port: u16, user: &str, password: &str) -> (bool, String) {
    let output = Command::new("psql")
        .args(["-X", "-w", "-A", "-t", "-h", "127.0.0.1", "-p", &port.to_string(), "-U", user, "-d", "eddy"])
        .args(["-c", "SELECT 6 * 7"])
        .env("PGPASSWORD", password)
        .output()
        .expect("psql is installed");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[test]
fn a_config_file_sets_the_listen_address_and_scram_users() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = dir.path().join("eddy.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{port}\"\nmetrics_listen = \"off\"\n\n[auth]\nmethod = \"scram-sha-256\"\n\n\
             [[auth.users]]\nname = \"analyst\"\npassword_env = \"EDDY_TEST_ANALYST_PASSWORD\"\n"
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_eddy"))
        .arg("serve")
        .arg("--config")
        .arg(&config)
        .env("EDDY_TEST_ANALYST_PASSWORD", "from the environment")
        .env_remove("EDDY_LISTEN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "eddy serve did not listen on the port of the config file");
        std::thread::sleep(Duration::from_millis(50));
    }
    let right = psql(port, "analyst", "from the environment");
    let wrong = psql(port, "analyst", "guess");
    let _ = child.kill();
    let _ = child.wait();
    assert!(right.0 && right.1.trim() == "42", "{}", right.1);
    assert!(!wrong.0 && wrong.1.contains("password authentication failed for user \"analyst\""), "{}", wrong.1);
}

#[test]
fn a_bad_config_file_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("eddy.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\nkafak = \"x:9092\"\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_eddy")).arg("serve").arg("--config").arg(&config).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown field `kafak`"), "{stderr}");
}
