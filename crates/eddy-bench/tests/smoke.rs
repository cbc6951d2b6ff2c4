//! The benchmark harness at a smoke size, so it cannot rot: a few thousand
//! bids loaded into the test broker, every workload run through Eddy, each
//! checked against `facts` (computed from the rows directly), and the
//! baseline reading the same number of rows. No timing is asserted.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

fn bench(args: &[&str]) -> Value {
    let brokers = std::env::var("KAFKA_BROKERS").unwrap_or_else(|_| "127.0.0.1:9092".into());
    let output = Command::new(env!("CARGO_BIN_EXE_eddy-bench"))
        .args(args)
        .args(["--brokers", &brokers])
        .output()
        .expect("eddy-bench runs");
    assert!(
        output.status.success(),
        "eddy-bench {args:?} failed (is a broker running? scripts/kafka.sh start):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON line")
}

#[test]
fn every_workload_runs_and_matches_the_facts() {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let topic = format!("bench-smoke-{nanos}");
    let loaded = bench(&["load", "--topic", &topic, "--bids", "3000", "--partitions", "2"]);
    assert_eq!(loaded["loaded"], 3000);
    let facts = bench(&["facts", "--topic", &topic]);
    assert_eq!(facts["events"], 3000);
    let baseline = bench(&["baseline", "--topic", &topic]);
    assert_eq!(baseline["events"], 3000);
    for workload in ["q0", "q1", "q2", "tumble", "hop"] {
        let run = bench(&["eddy", "--topic", &topic, "--workload", workload]);
        assert_eq!(run["events"], 3000, "{workload}");
        let check = &run["check"];
        match workload {
            "q0" | "q1" => assert_eq!(check["rows_out"], 3000, "{workload}"),
            "q2" => assert_eq!(check["rows_out"], facts["q2_rows"]),
            "tumble" => {
                assert_eq!(check["windows"], facts["tumble_windows"]);
                assert_eq!(check["bids_counted"], 3000);
                assert_eq!(check["late_rows"], 0);
            }
            _ => {
                assert_eq!(check["windows"], facts["hop_windows"]);
                assert_eq!(check["bids_counted"], facts["hop_bids_counted"]);
            }
        }
        assert!(run["events_per_second"].as_f64().unwrap() > 0.0);
    }
}
