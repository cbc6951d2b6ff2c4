//! `GET /metrics`: every query's counters in the Prometheus text format.
//!
//! A deliberately small HTTP/1.1 responder on its own listener (default
//! 127.0.0.1:7433): one request per connection, `GET /metrics` or 404.

use std::fmt::Write as _;
use std::net::SocketAddr;

use eddy_runtime::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::ServerError;

/// The metrics endpoint, bound and ready to serve.
pub struct MetricsServer {
    engine: Engine,
    listener: TcpListener,
}

impl MetricsServer {
    pub async fn bind(engine: Engine, addr: SocketAddr) -> Result<Self, ServerError> {
        let listener = TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { addr, source })?;
        Ok(MetricsServer { engine, listener })
    }

    pub fn local_addr(&self) -> Result<SocketAddr, ServerError> {
        self.listener.local_addr().map_err(ServerError::Io)
    }

    /// Serves until the task is dropped.
    pub async fn run(self) {
        loop {
            match self.listener.accept().await {
                Ok((stream, _)) => {
                    let engine = self.engine.clone();
                    tokio::spawn(async move {
                        if let Err(e) = respond(stream, &engine).await {
                            tracing::debug!(error = %e, "metrics request failed");
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "metrics endpoint cannot accept"),
            }
        }
    }
}

async fn respond(mut stream: TcpStream, engine: &Engine) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut chunk = [0u8; 1024];
    // Read the request head (the body, if any, is ignored).
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        request.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&request);
    let mut words = head.split_whitespace();
    let (status, body) = match (words.next(), words.next()) {
        (Some("GET"), Some("/metrics")) => ("200 OK", render(engine)),
        _ => ("404 Not Found", "only GET /metrics is served here\n".to_string()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// Prometheus label values escape `\`, `"` and newlines.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The text exposition of every query's counters.
pub fn render(engine: &Engine) -> String {
    let reports = engine.query_statuses();
    let mut out = String::new();
    let mut family = |name: &str, kind: &str, help: &str, samples: Vec<(String, f64)>| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{{{labels}}} {value}");
        }
    };
    let per_query = |f: &dyn Fn(&eddy_runtime::QueryReport) -> Option<f64>| -> Vec<(String, f64)> {
        reports.iter().filter_map(|r| f(r).map(|v| (format!("query=\"{}\"", label(&r.name)), v))).collect()
    };
    family(
        "eddy_query_rows_in_total",
        "counter",
        "Rows read by the query's source.",
        per_query(&|r| Some(r.metrics.snapshot().rows_in as f64)),
    );
    family(
        "eddy_query_rows_out_total",
        "counter",
        "Rows the query emitted (changed rows for updating results).",
        per_query(&|r| Some(r.metrics.snapshot().rows_out as f64)),
    );
    family(
        "eddy_query_late_rows_total",
        "counter",
        "Rows dropped because they arrived behind the watermark.",
        per_query(&|r| Some(r.metrics.snapshot().late_rows as f64)),
    );
    family(
        "eddy_query_bad_rows_total",
        "counter",
        "Malformed records skipped or dead-lettered.",
        per_query(&|r| Some(r.metrics.snapshot().bad_rows as f64)),
    );
    family(
        "eddy_query_watermark_seconds",
        "gauge",
        "The query's event-time watermark (Unix seconds); absent before the first and after the end of input.",
        per_query(&|r| {
            let w = r.metrics.snapshot().watermark;
            (!w.is_min() && !w.is_max()).then(|| w.0 as f64 / 1000.0)
        }),
    );
    family(
        "eddy_query_source_lag_records",
        "gauge",
        "Records in the source not yet read by the query (Kafka: log end offset minus position, summed over \
         partitions; refreshed every second).",
        per_query(&|r| r.metrics.source_lag().map(|lag| lag as f64)),
    );
    let statuses: Vec<(String, f64)> = reports
        .iter()
        .flat_map(|r| {
            ["running", "completed", "failed"]
                .map(|s| (format!("query=\"{}\",status=\"{s}\"", label(&r.name)), f64::from(u8::from(r.status == s))))
        })
        .collect();
    family("eddy_query_status", "gauge", "1 for the query's current status.", statuses);
    let latencies: Vec<(String, f64)> = reports
        .iter()
        .filter_map(|r| r.metrics.emit_latency_quantiles(&[0.5, 0.99]).map(|q| (r, q)))
        .flat_map(|(r, q)| {
            [("0.5", q[0]), ("0.99", q[1])]
                .map(|(quantile, d)| (format!("query=\"{}\",quantile=\"{quantile}\"", label(&r.name)), d.as_secs_f64()))
        })
        .collect();
    family(
        "eddy_query_emit_latency_seconds",
        "summary",
        "Time from a watermark's generation to the first window results it released (recent samples).",
        latencies,
    );
    out
}
