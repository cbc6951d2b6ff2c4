//! `GET /metrics` over real HTTP: the Prometheus text of every query.

use eddy_runtime::Engine;
use eddy_server::MetricsServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: eddy\r\n\r\n").as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_show_each_query_in_prometheus_text() {
    let engine = Engine::new();
    // 5,000 Nexmark events hold 4,600 bids (46 in every 50 events).
    engine
        .execute(
            "CREATE STREAM bids (WATERMARK FOR date_time AS date_time - INTERVAL '1 second') \
               WITH (connector = 'nexmark', table = 'bid', events_per_second = 1000, max_events = 5000, \
                     base_time = '2024-01-01 00:00:00', rate_limit = 'false');
             CREATE MATERIALIZED VIEW per_auction AS SELECT auction, window_start, count(*) AS n \
               FROM TUMBLE(bids, date_time, INTERVAL '1 second') GROUP BY auction, window_start;
             FLUSH",
        )
        .await
        .unwrap();
    let server = MetricsServer::bind(engine.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = server.local_addr().unwrap();
    let task = tokio::spawn(server.run());

    let response = get(addr, "/metrics").await;
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.contains("Content-Type: text/plain; version=0.0.4"));
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines.contains(&"# TYPE eddy_query_rows_in_total counter"));
    assert!(lines.contains(&"eddy_query_rows_in_total{query=\"per_auction\"} 4600"), "{body}");
    assert!(lines.contains(&"eddy_query_late_rows_total{query=\"per_auction\"} 0"));
    assert!(lines.contains(&"eddy_query_status{query=\"per_auction\",status=\"completed\"} 1"));
    assert!(lines.contains(&"eddy_query_status{query=\"per_auction\",status=\"running\"} 0"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("eddy_query_emit_latency_seconds{query=\"per_auction\",quantile=\"0.99\"} ")));
    // A nexmark source has no consumer lag: the family is there, without a sample.
    assert!(lines.contains(&"# TYPE eddy_query_source_lag_records gauge"));
    assert!(!body.contains("eddy_query_source_lag_records{"));
    // The bounded query ended: its watermark is +infinity, which is not exported.
    assert!(!body.contains("eddy_query_watermark_seconds{"));

    assert!(get(addr, "/other").await.starts_with("HTTP/1.1 404 Not Found\r\n"));
    task.abort();
}
