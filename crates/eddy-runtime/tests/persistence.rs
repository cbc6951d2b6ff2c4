//! The catalog survives a restart: with a data dir, every stream, view and
//! sink comes back in a new engine and its queries run again.

mod common;

use std::path::PathBuf;

use common::query;
use eddy_common::Classify;
use eddy_runtime::{Engine, EngineConfig};

fn data_file() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sql-tests/data/bids.ndjson");
    path.canonicalize().unwrap().display().to_string()
}

fn engine(dir: &std::path::Path) -> Engine {
    Engine::with_config(EngineConfig { data_dir: Some(dir.to_path_buf()), ..Default::default() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_views_and_sinks_come_back_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let sink_path = dir.path().join("out/totals.ndjson");
    let first = engine(dir.path());
    first
        .execute(&format!(
            "CREATE STREAM bids (id BIGINT, auction BIGINT, bidder BIGINT, price BIGINT, url TEXT, date_time TIMESTAMP, \
               WATERMARK FOR date_time AS date_time - INTERVAL '2 seconds') \
             WITH (connector = 'file', path = '{}', format = 'json');
             CREATE MATERIALIZED VIEW per_auction AS SELECT auction, window_start, count(*) AS n \
               FROM TUMBLE(bids, date_time, INTERVAL '10 seconds') GROUP BY auction, window_start;
             CREATE MATERIALIZED VIEW totals AS SELECT auction, sum(price) AS total FROM bids GROUP BY auction;
             CREATE SINK totals_out FROM totals WITH (connector = 'file', path = '{}');
             CREATE MATERIALIZED VIEW dropped AS SELECT id FROM bids;
             DROP MATERIALIZED VIEW dropped;
             FLUSH",
            data_file(),
            sink_path.display()
        ))
        .await
        .unwrap();
    let windows = query(&first, "SELECT * FROM per_auction ORDER BY auction, window_start").await;
    let streams = query(&first, "SHOW STREAMS").await;
    let views = query(&first, "SHOW MATERIALIZED VIEWS").await;
    let sinks = query(&first, "SHOW SINKS").await;
    assert!(!windows.is_empty());
    drop(first);

    let second = engine(dir.path());
    assert_eq!(second.restore().await.unwrap(), 4, "bids, per_auction, totals, totals_out; not the dropped view");
    second.execute("FLUSH").await.unwrap();
    assert_eq!(query(&second, "SHOW STREAMS").await, streams);
    assert_eq!(query(&second, "SHOW MATERIALIZED VIEWS").await, views);
    assert_eq!(query(&second, "SHOW SINKS").await, sinks);
    // The queries ran again over the same bounded input: the same results.
    assert_eq!(query(&second, "SELECT * FROM per_auction ORDER BY auction, window_start").await, windows);
    assert!(std::fs::metadata(&sink_path).unwrap().len() > 0, "the sink wrote again");
    let statuses = query(&second, "SHOW QUERIES").await;
    assert!(statuses.iter().all(|r| r[1] == "completed"), "{statuses:?}");

    // A DROP after the restart is kept too.
    second.execute("DROP SINK totals_out").await.unwrap();
    drop(second);
    let third = engine(dir.path());
    assert_eq!(third.restore().await.unwrap(), 3);
    assert!(query(&third, "SHOW SINKS").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_that_fails_names_the_statement_and_keeps_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = "CREATE STREAM gone (v BIGINT) WITH (connector = 'file', path = '/nonexistent/eddy/input.ndjson');\n";
    std::fs::write(dir.path().join("catalog.sql"), catalog).unwrap();
    let engine = engine(dir.path());
    let error = engine.restore().await.unwrap_err();
    assert!(error.to_string().contains("restoring the catalog failed at `CREATE STREAM gone"), "{error}");
    assert_eq!(error.class().sqlstate, "58P01");
    assert_eq!(std::fs::read_to_string(dir.path().join("catalog.sql")).unwrap(), catalog);
}
