//! The `eddy` command line.
//!
//! `eddy run FILE.sql` executes a file of statements in an embedded engine
//! and prints each query result. `eddy serve` runs the Postgres endpoint.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

mod config;

use clap::{Parser, Subcommand, ValueEnum};
use eddy_common::Classify;
use eddy_runtime::text::format_column;
use eddy_runtime::{Engine, EngineConfig, StatementResult};
use eddy_server::ServerOptions;

#[derive(Parser)]
#[command(
    name = "eddy",
    version,
    about = "Eddy: a streaming SQL engine. Declare streams over Kafka topics, files or the built-in \
             nexmark/datagen generators, run continuous queries (windows, running aggregates) with \
             PostgreSQL's SQL, and query their results over the PostgreSQL protocol."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Execute the statements of a SQL file in order and print each result,
    /// then wait for the queries it started as FLUSH does; exits with 1 when
    /// a statement fails or a continuous query has failed.
    Run {
        /// The file to run.
        file: PathBuf,
        /// How to print results.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The Kafka cluster for `connector = 'kafka'` without `bootstrap_servers`.
        #[arg(long, env = "EDDY_KAFKA", value_name = "HOST:PORT")]
        kafka: Option<String>,
    },
    /// Serve the Postgres wire protocol: connect with psql or any driver.
    Serve {
        /// The address to listen on [default: 127.0.0.1:7432].
        #[arg(long, env = "EDDY_LISTEN", value_name = "HOST:PORT")]
        listen: Option<SocketAddr>,
        /// The Kafka cluster for `connector = 'kafka'` without `bootstrap_servers`.
        #[arg(long, env = "EDDY_KAFKA", value_name = "HOST:PORT")]
        kafka: Option<String>,
        /// Keep the catalog here across restarts (streams, views and sinks come
        /// back and their queries run again).
        #[arg(long, env = "EDDY_DATA_DIR", value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// Where `GET /metrics` (Prometheus text) is served; `off` to disable
        /// [default: 127.0.0.1:7433].
        #[arg(long, env = "EDDY_METRICS_LISTEN", value_name = "HOST:PORT")]
        metrics_listen: Option<String>,
        /// Settings, users (SCRAM-SHA-256) and TLS from a TOML file; flags and
        /// EDDY_* variables win over it (docs/clients.md shows the format).
        #[arg(long, env = "EDDY_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Aligned columns, like psql.
    Table,
    /// CSV with a header line.
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A server says what it is doing unless told otherwise; `eddy run` stays quiet.
    let filter = match (&cli.command, tracing_subscriber::EnvFilter::try_from_default_env()) {
        (_, Ok(filter)) => filter,
        (Command::Serve { .. }, Err(_)) => tracing_subscriber::EnvFilter::new("info"),
        (Command::Run { .. }, Err(_)) => tracing_subscriber::EnvFilter::from_default_env(),
    };
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Run { file, format, kafka } => runtime.block_on(run_file(file, format, engine(kafka, None))),
        Command::Serve { listen, kafka, data_dir, metrics_listen, config } => {
            let file = match config.as_deref().map(config::ConfigFile::load).transpose() {
                Ok(file) => file.unwrap_or_default(),
                Err(e) => {
                    eprintln!("error: --config {e}");
                    return ExitCode::FAILURE;
                }
            };
            let listen = match listen.map(Ok).or_else(|| file.listen.as_deref().map(str::parse)) {
                None => SocketAddr::from(([127, 0, 0, 1], 7432)),
                Some(Ok(addr)) => addr,
                Some(Err(e)) => {
                    eprintln!("error: listen in the config file: {e} (use HOST:PORT)");
                    return ExitCode::FAILURE;
                }
            };
            let metrics_listen =
                metrics_listen.or(file.metrics_listen.clone()).unwrap_or_else(|| "127.0.0.1:7433".to_string());
            // Checked when the file was loaded.
            let options = file.server_options().unwrap_or_default();
            let engine = engine(kafka.or(file.kafka), data_dir.or(file.data_dir));
            runtime.block_on(serve(listen, engine, metrics_listen, options))
        }
    }
}

/// An engine from the environment and the flags; `eddy run` keeps no data dir.
fn engine(kafka: Option<String>, data_dir: Option<PathBuf>) -> Engine {
    let mut config = EngineConfig::from_env();
    if let Some(kafka) = kafka {
        config.kafka_brokers = Some(kafka);
    }
    config.data_dir = data_dir;
    Engine::with_config(config)
}

async fn serve(listen: SocketAddr, engine: Engine, metrics_listen: String, options: ServerOptions) -> ExitCode {
    let kafka = engine.config().kafka_brokers.clone();
    if let Some(dir) = &engine.config().data_dir {
        match engine.restore().await {
            Ok(count) => println!("data dir: {} ({count} objects restored)", dir.display()),
            Err(e) => {
                report(&e);
                eprintln!("the catalog in {} was left as it was; fix the cause and start again", dir.display());
                return ExitCode::FAILURE;
            }
        }
    }
    if metrics_listen != "off" {
        let addr = match metrics_listen.parse::<SocketAddr>() {
            Ok(addr) => addr,
            Err(e) => {
                eprintln!("error: --metrics-listen {metrics_listen}: {e} (use HOST:PORT or off)");
                return ExitCode::FAILURE;
            }
        };
        match eddy_server::MetricsServer::bind(engine.clone(), addr).await {
            Ok(metrics) => {
                if let Ok(addr) = metrics.local_addr() {
                    println!("metrics: http://{addr}/metrics");
                }
                tokio::spawn(metrics.run());
            }
            // The SQL endpoint matters more than its metrics: serve without them.
            Err(e) => tracing::warn!("metrics endpoint not started: {e}"),
        }
    }
    let scram = matches!(options.authentication, eddy_server::Authentication::ScramSha256(_));
    let tls = options.tls.is_some();
    let server = match eddy_server::Server::bind_with(engine, listen, options).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = match server.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(%addr, "eddy {} listening", env!("CARGO_PKG_VERSION"));
    println!("eddy is listening on {addr}");
    println!("connect with: psql -h {} -p {} -U eddy", addr.ip(), addr.port());
    match (scram, tls) {
        (false, _) => println!("authentication: trust, loopback clients only"),
        (true, false) => println!("authentication: SCRAM-SHA-256 (users from the config file); no TLS"),
        (true, true) => println!("authentication: SCRAM-SHA-256 (users from the config file); TLS on"),
    }
    match kafka {
        Some(brokers) => println!("Kafka: {brokers}"),
        None => println!("Kafka: none configured (--kafka HOST:PORT); built-in sources: nexmark, datagen, file"),
    }
    tokio::select! {
        result = server.run() => match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("interrupted, shutting down");
            ExitCode::SUCCESS
        }
    }
}

async fn run_file(file: PathBuf, format: Format, engine: Engine) -> ExitCode {
    let sql = match std::fs::read_to_string(&file) {
        Ok(sql) => sql,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let statements = match engine.parse(&sql) {
        Ok(statements) => statements,
        Err(e) => {
            report(&e);
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let mut first = true;
    for statement in statements {
        let written = match engine.execute_statement(statement).await {
            Ok(StatementResult::Rows { schema, batches }) => {
                let separator = if first { Ok(()) } else { writeln!(out) };
                first = false;
                separator.map_err(Printing::Output).and_then(|()| match format {
                    Format::Csv => print_csv(&mut out, &schema, &batches),
                    Format::Table => print_table(&mut out, &schema, &batches),
                })
            }
            Ok(StatementResult::Command(tag)) => match format {
                Format::Table => writeln!(out, "{tag}").map_err(Printing::Output),
                Format::Csv => Ok(()),
            },
            Err(e) => {
                let _ = out.flush();
                report(&e);
                return ExitCode::FAILURE;
            }
        };
        match written {
            Ok(()) => {}
            // `eddy run ... | head`: the reader left; stop quietly.
            Err(Printing::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Err(Printing::Output(e)) => {
                eprintln!("error: cannot write the result: {e}");
                return ExitCode::FAILURE;
            }
            Err(Printing::Engine(e)) => {
                report(&e);
                return ExitCode::FAILURE;
            }
        }
    }
    let _ = out.flush();
    // The file's queries get to process what their sources hold (bounded
    // ones to their end), as a FLUSH at the end would.
    if let Err(e) = engine.execute("FLUSH").await {
        report(&e);
        return ExitCode::FAILURE;
    }
    // A continuous query that failed on its data is a failed run too.
    let failed: Vec<_> = engine.query_statuses().into_iter().filter(|q| q.status == "failed").collect();
    for query in &failed {
        eprintln!("ERROR:  query \"{}\" failed: {}", query.name, query.error.as_deref().unwrap_or("unknown error"));
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Why a result could not be printed.
enum Printing {
    Output(std::io::Error),
    Engine(eddy_runtime::EngineError),
}

impl From<eddy_runtime::EngineError> for Printing {
    fn from(e: eddy_runtime::EngineError) -> Self {
        Printing::Engine(e)
    }
}

impl From<std::io::Error> for Printing {
    fn from(e: std::io::Error) -> Self {
        Printing::Output(e)
    }
}

fn report(e: &eddy_runtime::EngineError) {
    let class = e.class();
    eprintln!("ERROR:  {e}");
    eprintln!("SQLSTATE: {}", class.sqlstate);
    if let Some(hint) = class.hint {
        eprintln!("HINT:  {hint}");
    }
}

fn cells(batches: &[arrow::record_batch::RecordBatch]) -> Result<Vec<Vec<Option<String>>>, eddy_runtime::EngineError> {
    let mut rows = Vec::new();
    for batch in batches {
        let columns = batch.columns().iter().map(format_column).collect::<Result<Vec<_>, _>>()?;
        for row in 0..batch.num_rows() {
            rows.push(columns.iter().map(|c| c[row].clone()).collect());
        }
    }
    Ok(rows)
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn print_csv(
    out: &mut impl Write,
    schema: &arrow::datatypes::SchemaRef,
    batches: &[arrow::record_batch::RecordBatch],
) -> Result<(), Printing> {
    let header: Vec<String> = schema.fields().iter().map(|f| csv_field(f.name())).collect();
    writeln!(out, "{}", header.join(","))?;
    for row in cells(batches)? {
        let line: Vec<String> = row.iter().map(|v| v.as_deref().map(csv_field).unwrap_or_default()).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// Aligned as psql aligns: numbers to the right, everything else to the left.
fn print_table(
    out: &mut impl Write,
    schema: &arrow::datatypes::SchemaRef,
    batches: &[arrow::record_batch::RecordBatch],
) -> Result<(), Printing> {
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let numeric: Vec<bool> = schema.fields().iter().map(|f| f.data_type().is_numeric()).collect();
    let rows = cells(batches)?;
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, v) in widths.iter_mut().zip(row) {
            *w = (*w).max(v.as_deref().unwrap_or("").chars().count());
        }
    }
    let centered = header.iter().zip(&widths).map(|(h, w)| format!(" {h:^w$} ")).collect::<Vec<_>>().join("|");
    writeln!(out, "{}", centered.trim_end())?;
    writeln!(out, "{}", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("+"))?;
    for row in &rows {
        let line = row
            .iter()
            .zip(&widths)
            .zip(&numeric)
            .map(|((v, w), right)| {
                let v = v.as_deref().unwrap_or("");
                if *right {
                    format!(" {v:>w$} ")
                } else {
                    format!(" {v:<w$} ")
                }
            })
            .collect::<Vec<_>>()
            .join("|");
        writeln!(out, "{}", line.trim_end())?;
    }
    let n = rows.len();
    writeln!(out, "({n} row{})", if n == 1 { "" } else { "s" })?;
    Ok(())
}
