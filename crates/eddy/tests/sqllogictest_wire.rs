//! Runs every `sql-tests/**/*.slt` file over the wire: the sqllogictest
//! command line (crate sqllogictest-bin, installed by
//! `scripts/sqllogictest.sh`) against `eddy serve`, once with
//! `-e postgres` (simple protocol, the server's text) and once with
//! `-e postgres-extended` (prepared statements, values decoded by the driver).
//! Each file gets a fresh server, as each gets a fresh engine in-process.
//!
//! `cargo test --test sqllogictest_wire [FILTER]` runs the files whose path
//! contains FILTER. The binary is found at `$SQLLOGICTEST_BIN`, else where
//! `scripts/sqllogictest.sh` installs it; a missing binary fails the test.
//!
//! One rewrite is made on the way: an error record ending in
//! `\(SQLSTATE XXXXX\)` (the in-process runner appends the SQLSTATE to the
//! message so a file checks both) is given to the command line as
//! `statement error (XXXXX)`, which checks the SQLSTATE of the
//! ErrorResponse: the command line's error text has no SQLSTATE in it.
//! Records a wire engine cannot run are marked in the files with
//! `skipif postgres-extended` / `skipif postgres` and a comment saying why.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../eddy-runtime/tests/common/slt_files.rs"]
mod slt_files;

use slt_files::{filter_from_args, run_id, slt_files};

const ENGINES: [&str; 2] = ["postgres", "postgres-extended"];

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root");
    let filter = filter_from_args();
    let slt = sqllogictest_bin(&root);
    let files = slt_files(&root.join("sql-tests"));
    let scratch = tempfile::tempdir().expect("a scratch dir");
    let brokers = std::env::var("KAFKA_BROKERS").unwrap_or_else(|_| "127.0.0.1:9092".into());
    let (mut passed, mut failed) = (0, 0);
    for file in files {
        let relative = file.strip_prefix(&root).unwrap_or(&file).display().to_string();
        if filter.as_ref().is_some_and(|f| !relative.contains(f.as_str())) {
            continue;
        }
        let rewritten = scratch.path().join(relative.replace('/', "__"));
        let text = std::fs::read_to_string(&file).expect("reading a test file");
        std::fs::write(&rewritten, sqlstate_records(&text)).expect("writing the rewritten file");
        for engine in ENGINES {
            let log = scratch.path().join("server.log");
            let server = EddyServer::start(&root, &brokers, &log);
            let output = Command::new(&slt)
                .current_dir(&root)
                // Kafka topic names end in ${RUN}: the broker keeps data between runs.
                .env("RUN", run_id())
                .env("RUST_BACKTRACE", "0")
                .args(["--color", "never", "-h", "127.0.0.1", "-p", &server.addr.port().to_string(), "-e", engine])
                .arg(&rewritten)
                .output()
                .expect("running sqllogictest");
            drop(server);
            if output.status.success() {
                println!("ok      {relative} ({engine})");
                passed += 1;
            } else {
                println!(
                    "FAILED  {relative} ({engine})\n{}{}\n-- server log:\n{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr),
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
                failed += 1;
            }
        }
    }
    println!("sqllogictest over the wire: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}

/// The sqllogictest binary: `$SQLLOGICTEST_BIN` or the install of
/// `scripts/sqllogictest.sh`.
fn sqllogictest_bin(root: &Path) -> PathBuf {
    if let Some(bin) = std::env::var_os("SQLLOGICTEST_BIN") {
        return PathBuf::from(bin);
    }
    let bin = root.join(".cache/sqllogictest-0.29.1/bin/sqllogictest");
    assert!(bin.exists(), "{} is missing: run scripts/sqllogictest.sh (scripts/test.sh does)", bin.display());
    bin
}

/// `text` with every error record that ends in `\(SQLSTATE XXXXX\)` turned
/// into an SQLSTATE check: `statement error (XXXXX)`.
fn sqlstate_records(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let record = ["statement error ", "query error "].iter().find(|p| line.starts_with(*p));
        let code = line.trim_end().strip_suffix("\\)").and_then(|l| l.rsplit_once("\\(SQLSTATE ")).map(|(_, c)| c);
        match (record, code) {
            (Some(prefix), Some(code)) if code.len() == 5 => out.push_str(&format!("{prefix}({code})")),
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// `eddy serve` on a free loopback port, from the repository root (the
/// files name their data relative to it); killed when dropped.
struct EddyServer {
    addr: SocketAddr,
    child: Child,
}

impl EddyServer {
    fn start(root: &Path, brokers: &str, log: &Path) -> EddyServer {
        let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
        let log = std::fs::File::create(log).expect("the server log");
        let child = Command::new(env!("CARGO_BIN_EXE_eddy"))
            .current_dir(root)
            .args(["serve", "--listen", &addr.to_string(), "--metrics-listen", "off", "--kafka", brokers])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("starting eddy serve");
        let server = EddyServer { addr, child };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "eddy serve did not listen on {addr} within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for EddyServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
