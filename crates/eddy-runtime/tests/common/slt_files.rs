//! What both sqllogictest runners need: the test files and a run id. Shared
//! by path with the over-the-wire runner (crates/eddy/tests/sqllogictest_wire.rs).

use std::path::{Path, PathBuf};

/// Every `.slt` file below `dir`, sorted.
pub fn slt_files(dir: &Path) -> Vec<PathBuf> {
    fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|e| e == "slt") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    files
}

/// A value no earlier run used (nanoseconds since the epoch): Kafka topic
/// names end in it, because the broker keeps data between runs.
pub fn run_id() -> String {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0).to_string()
}

/// The file filter given on the command line (`cargo test --test sqllogictests
/// -- tumble`): the first argument that is neither a flag nor the value of
/// one of libtest's flags that take a value (`--test-threads 1`).
pub fn filter_from_args() -> Option<String> {
    const TAKES_VALUE: [&str; 7] =
        ["--test-threads", "--skip", "--format", "--color", "--logfile", "--shuffle-seed", "-Z"];
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if TAKES_VALUE.contains(&arg.as_str()) {
            args.next();
        } else if !arg.starts_with('-') {
            return Some(arg);
        }
    }
    None
}
