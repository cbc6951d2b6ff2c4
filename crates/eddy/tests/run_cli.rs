//! `eddy run` as a shell user meets it: its exit status tells whether the
//! file ran cleanly (a failed statement, or a continuous query that failed
//! on its data, is status 1), a closed output pipe (`| head`) ends it
//! quietly, and tables align numbers to the right as psql does.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn script(sql: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".sql").tempfile().unwrap();
    file.write_all(sql.as_bytes()).unwrap();
    file
}

fn run(sql: &str) -> std::process::Output {
    let file = script(sql);
    Command::new(env!("CARGO_BIN_EXE_eddy")).current_dir(root()).arg("run").arg(file.path()).output().unwrap()
}

#[test]
fn a_failed_statement_is_exit_status_1_with_its_sqlstate() {
    let output = run("SELECT 1 AS one;\nSELECT 1 / 0;\nSELECT 2;");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("division by zero") && stderr.contains("SQLSTATE: 22012"), "{stderr}");
    // The statement before it ran and printed; the one after did not run.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("(1 row)") && !stdout.contains("?column?"), "{stdout}");
}

#[test]
fn a_continuous_query_that_failed_is_exit_status_1() {
    let output = run("CREATE STREAM nums (id integer, i4 integer) \
         WITH (connector = 'file', path = 'sql-tests/differential/data/nums.ndjson', format = 'json');\n\
         CREATE MATERIALIZED VIEW plus_one AS SELECT id, i4 + 1 AS next FROM nums;");
    // No FLUSH in the file: the run ends with one, so the failure is seen.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("integer out of range"), "{stderr}");
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let rows: String = (0..2000).map(|i| format!("SELECT {i} AS n;\n")).collect();
    let file = script(&rows);
    let mut child = Command::new(env!("CARGO_BIN_EXE_eddy"))
        .current_dir(root())
        .arg("run")
        .arg(file.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is gone (like `| head -1`).
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn numbers_align_right_and_text_left() {
    let output = run("SELECT 5 AS n, 'ab' AS t UNION ALL SELECT 12345, 'abcdef' ORDER BY n;");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "   n   |   t");
    assert_eq!(lines[2], "     5 | ab");
    assert_eq!(lines[3], " 12345 | abcdef");
}
