//! Every example in `examples/` runs to completion through the `eddy` binary
//! (`eddy run FILE --format csv`) and prints its query results.
//!
//! Kafka examples run against the broker of the test run (`KAFKA_BROKERS`,
//! default 127.0.0.1:9092); the topics they name are deleted first, as their
//! headers ask, so every run starts from empty topics.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn every_example_runs_and_prints_results() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap();
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty(), "no examples found");
    let brokers = std::env::var("KAFKA_BROKERS").unwrap_or_else(|_| "127.0.0.1:9092".into());
    for example in examples {
        let sql = std::fs::read_to_string(&example).unwrap();
        let topics = kafka_topics(&sql);
        if !topics.is_empty() {
            delete_topics(&brokers, &topics);
        }
        let output = Command::new(env!("CARGO_BIN_EXE_eddy"))
            .current_dir(&root)
            .arg("run")
            .arg(&example)
            .args(["--format", "csv", "--kafka", &brokers])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{} failed:\n{stdout}\n{}",
            example.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        // Each example ends with SHOW QUERIES: every query must have completed.
        let queries: Vec<&str> = stdout.lines().skip_while(|l| !l.starts_with("name,status,")).skip(1).collect();
        assert!(!queries.is_empty(), "{} printed no SHOW QUERIES rows:\n{stdout}", example.display());
        for line in queries {
            assert!(line.split(',').nth(1) == Some("completed"), "{}: {line}", example.display());
        }
    }
}

/// The `topic = '...'` names of an example.
fn kafka_topics(sql: &str) -> Vec<String> {
    let mut topics: Vec<String> =
        sql.split("topic = '").skip(1).filter_map(|rest| rest.split('\'').next()).map(str::to_string).collect();
    topics.sort();
    topics.dedup();
    topics
}

/// Deletes the topics and waits until the broker no longer lists them.
fn delete_topics(brokers: &str, topics: &[String]) {
    use rdkafka::admin::{AdminClient, AdminOptions};
    use rdkafka::client::DefaultClientContext;
    use rdkafka::ClientConfig;

    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", brokers);
    let admin: AdminClient<DefaultClientContext> = config.create().unwrap();
    let names: Vec<&str> = topics.iter().map(String::as_str).collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let timeout = Duration::from_secs(30);
    // Unknown topics are fine: the first run has none.
    let _ = runtime
        .block_on(admin.delete_topics(&names, &AdminOptions::new().operation_timeout(Some(timeout))))
        .unwrap_or_else(|e| panic!("no Kafka broker answers at {brokers} (scripts/kafka.sh start): {e}"));
    let deadline = Instant::now() + timeout;
    loop {
        let metadata = admin.inner().fetch_metadata(None, timeout).unwrap();
        if !metadata.topics().iter().any(|t| names.contains(&t.name())) {
            return;
        }
        assert!(Instant::now() < deadline, "topics {names:?} are still there");
        std::thread::sleep(Duration::from_millis(100));
    }
}
