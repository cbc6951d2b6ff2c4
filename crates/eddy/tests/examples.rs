//! Every example in `examples/` runs to completion through the `eddy` binary
//! (`eddy run FILE --format csv`) and prints its query results.

use std::path::PathBuf;
use std::process::Command;

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
    for example in examples {
        let output = Command::new(env!("CARGO_BIN_EXE_eddy"))
            .current_dir(&root)
            .arg("run")
            .arg(&example)
            .args(["--format", "csv"])
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
