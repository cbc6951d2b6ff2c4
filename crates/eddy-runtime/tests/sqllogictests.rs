//! Runs every `sql-tests/**/*.slt` file against an embedded engine, one fresh
//! engine per file (sqllogictest's `AsyncDB` over `Engine`).
//!
//! `cargo test -p eddy-runtime --test sqllogictests [FILTER]` runs the files
//! whose path contains FILTER. Paths inside the files are relative to the
//! repository root, which this runner makes the working directory.

use std::path::Path;

use arrow::datatypes::DataType;
use async_trait::async_trait;
use eddy_common::Classify;
use eddy_runtime::{text::format_column, Engine, EngineConfig, EngineError, StatementResult};
use sqllogictest::{DBOutput, DefaultColumnType};

#[path = "common/slt_files.rs"]
mod slt_files;

use slt_files::{filter_from_args, run_id, slt_files};

struct EddyDb {
    engine: Engine,
}

/// An engine error: its message and SQLSTATE.
#[derive(Debug)]
struct SltError {
    message: String,
    sqlstate: &'static str,
}

impl std::fmt::Display for SltError {
    // The SQLSTATE is part of the text so a file can match message and
    // SQLSTATE in one pattern; `statement error (XXXXX)` checks it alone.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (SQLSTATE {})", self.message, self.sqlstate)
    }
}

impl std::error::Error for SltError {}

impl From<EngineError> for SltError {
    fn from(e: EngineError) -> Self {
        SltError { message: e.to_string(), sqlstate: e.class().sqlstate }
    }
}

fn column_type(data_type: &DataType) -> DefaultColumnType {
    match data_type {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => DefaultColumnType::Integer,
        DataType::Float16 | DataType::Float32 | DataType::Float64 | DataType::Decimal128(..) => {
            DefaultColumnType::FloatingPoint
        }
        _ => DefaultColumnType::Text,
    }
}

#[async_trait]
impl sqllogictest::AsyncDB for EddyDb {
    type Error = SltError;
    type ColumnType = DefaultColumnType;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, SltError> {
        let mut last = DBOutput::StatementComplete(0);
        for result in self.engine.execute(sql).await? {
            last = match result {
                StatementResult::Command(_) => DBOutput::StatementComplete(0),
                StatementResult::Rows { schema, batches } => {
                    let types = schema.fields().iter().map(|f| column_type(f.data_type())).collect();
                    let mut rows = Vec::new();
                    for batch in batches {
                        let columns = batch
                            .columns()
                            .iter()
                            .map(format_column)
                            .collect::<Result<Vec<_>, _>>()
                            .map_err(EngineError::from)?;
                        for row in 0..batch.num_rows() {
                            rows.push(
                                columns
                                    .iter()
                                    .map(|c| match &c[row] {
                                        None => "NULL".to_string(),
                                        Some(s) if s.is_empty() => "(empty)".to_string(),
                                        Some(s) => s.clone(),
                                    })
                                    .collect(),
                            );
                        }
                    }
                    DBOutput::Rows { types, rows }
                }
            };
        }
        Ok(last)
    }

    async fn shutdown(&mut self) {}

    fn engine_name(&self) -> &str {
        "eddy"
    }

    fn error_sql_state(err: &SltError) -> Option<String> {
        Some(err.sqlstate.to_string())
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root");
    std::env::set_current_dir(&root).expect("cd to the repository root");
    let filter = filter_from_args();
    let files = slt_files(&root.join("sql-tests"));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let (mut passed, mut failed) = (0, 0);
    for file in files {
        let relative = file.strip_prefix(&root).unwrap_or(&file).display().to_string();
        if filter.as_ref().is_some_and(|f| !relative.contains(f.as_str())) {
            continue;
        }
        let result = runtime.block_on(async {
            let mut runner = sqllogictest::Runner::new(|| async {
                let brokers = std::env::var("KAFKA_BROKERS").unwrap_or_else(|_| "127.0.0.1:9092".into());
                Ok(EddyDb {
                    engine: Engine::with_config(EngineConfig { kafka_brokers: Some(brokers), ..Default::default() }),
                })
            });
            // Kafka topic names end in ${RUN}: the broker keeps data between runs.
            runner.set_var("RUN".into(), run_id());
            runner.run_file_async(&file).await
        });
        match result {
            Ok(()) => {
                println!("ok      {relative}");
                passed += 1;
            }
            Err(e) => {
                println!("FAILED  {relative}\n{e}\n");
                failed += 1;
            }
        }
    }
    println!("sqllogictest: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
