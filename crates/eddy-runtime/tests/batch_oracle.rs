//! Bounded replays must give exactly the batch answer.
//!
//! Eddy's windowed views over `sql-tests/data/bids.ndjson` are compared with
//! DataFusion batch queries over the same rows: late rows are found with a
//! window function (the running maximum of `date_time - 2s` over the rows
//! before each row, in file order), windows with `date_bin`. Nothing of Eddy's
//! streaming path is involved in computing the expected side.

mod common;

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use arrow::record_batch::RecordBatch;
use common::rows;
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use eddy_runtime::{Engine, StatementResult};

fn data_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sql-tests/data/bids.ndjson").canonicalize().unwrap()
}

async fn eddy(setup: &str, query: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let engine = Engine::new();
    let stream = format!(
        "CREATE STREAM bids (id BIGINT, auction BIGINT, bidder BIGINT, price BIGINT, url TEXT, date_time TIMESTAMP, \
         WATERMARK FOR date_time AS date_time - INTERVAL '2 seconds') \
         WITH (connector = 'file', path = '{}', format = 'json')",
        data_file().display()
    );
    engine.execute(&stream).await.unwrap();
    engine.execute(setup).await.unwrap();
    engine.execute("FLUSH").await.unwrap();
    let StatementResult::Rows { batches, .. } = engine.execute(query).await.unwrap().remove(0) else { panic!() };
    let StatementResult::Rows { batches: queries, .. } = engine.execute("SHOW QUERIES").await.unwrap().remove(0) else {
        panic!()
    };
    (rows(&batches), rows(&queries))
}

async fn batch(query: &str) -> Vec<Vec<String>> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, true),
        Field::new("auction", DataType::Int64, true),
        Field::new("bidder", DataType::Int64, true),
        Field::new("price", DataType::Int64, true),
        Field::new("url", DataType::Utf8, true),
        Field::new("date_time", DataType::Timestamp(TimeUnit::Nanosecond, None), true),
    ]));
    let reader =
        arrow_json::ReaderBuilder::new(schema.clone()).build(BufReader::new(File::open(data_file()).unwrap())).unwrap();
    let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
    let ctx = SessionContext::new();
    ctx.register_table("raw", Arc::new(MemTable::try_new(schema, vec![batches]).unwrap())).unwrap();
    ctx.sql(
        "CREATE VIEW marked AS SELECT *, max(date_time - INTERVAL '2 seconds') OVER \
         (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS watermark_before FROM raw",
    )
    .await
    .unwrap();
    ctx.sql(
        "CREATE VIEW on_time AS SELECT * FROM marked WHERE watermark_before IS NULL OR date_time >= watermark_before",
    )
    .await
    .unwrap();
    rows(&ctx.sql(query).await.unwrap().collect().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn tumbling_windows_equal_a_batch_query_with_date_bin() {
    let (actual, queries) = eddy(
        "CREATE MATERIALIZED VIEW v AS SELECT auction, window_start, window_end, count(*) AS bids, \
         sum(price) AS total, max(price) AS top FROM TUMBLE(bids, date_time, INTERVAL '10 seconds') \
         GROUP BY auction, window_start, window_end",
        "SELECT auction, window_start, window_end, bids, total, top FROM v ORDER BY window_start, auction",
    )
    .await;
    let expected = batch(
        "SELECT auction, date_bin(INTERVAL '10 seconds', date_time) AS ws, \
         date_bin(INTERVAL '10 seconds', date_time) + INTERVAL '10 seconds' AS we, \
         count(*), sum(price), max(price) FROM on_time GROUP BY 1, 2, 3 ORDER BY 2, 1",
    )
    .await;
    assert!(!expected.is_empty());
    assert_eq!(actual, expected);
    let late = batch("SELECT count(*) FROM marked WHERE date_time < watermark_before").await;
    let total = batch("SELECT count(*) FROM raw").await;
    assert_ne!(late[0][0], "0", "the data set must contain late rows");
    // name, status, rows_in, rows_out, late_rows, bad_rows, watermark, error
    assert_eq!(queries[0][1], "completed");
    assert_eq!(queries[0][2], total[0][0]);
    assert_eq!(queries[0][3], actual.len().to_string());
    assert_eq!(queries[0][4], late[0][0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn hopping_windows_equal_a_batch_query_over_each_slide_offset() {
    let (actual, _) = eddy(
        "CREATE MATERIALIZED VIEW v AS SELECT auction, window_start, window_end, count(*) AS bids, \
         min(price) AS low FROM HOP(bids, date_time, INTERVAL '5 seconds', INTERVAL '15 seconds') \
         GROUP BY auction, window_start, window_end",
        "SELECT auction, window_start, window_end, bids, low FROM v ORDER BY window_start, auction",
    )
    .await;
    // A 15 s window sliding by 5 s starts at the row's 5 s bin, or 5 or 10 s earlier.
    let expected = batch(
        "SELECT auction, ws, ws + INTERVAL '15 seconds', count(*), min(price) FROM ( \
           SELECT auction, price, date_bin(INTERVAL '5 seconds', date_time) - k AS ws FROM on_time \
           CROSS JOIN (VALUES (INTERVAL '0 seconds'), (INTERVAL '5 seconds'), (INTERVAL '10 seconds')) AS offsets(k)) \
         GROUP BY 1, 2, 3 ORDER BY 2, 1",
    )
    .await;
    assert!(!expected.is_empty());
    assert_eq!(actual, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_running_aggregate_keeps_late_rows_and_equals_group_by_over_all_rows() {
    let (actual, queries) = eddy(
        "CREATE MATERIALIZED VIEW v AS SELECT auction, count(*) AS bids, sum(price) AS total FROM bids GROUP BY auction",
        "SELECT auction, bids, total FROM v ORDER BY auction",
    )
    .await;
    let expected = batch("SELECT auction, count(*), sum(price) FROM raw GROUP BY auction ORDER BY auction").await;
    assert_eq!(actual, expected);
    assert_eq!(queries[0][4], "0", "running aggregates drop no late rows");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_aggregate_works_in_hopping_windows() {
    // Distinct names: a view's columns are named as PostgreSQL names them,
    // and two `count` columns are refused (42701).
    let aggregates = "count(*) AS n, count(DISTINCT bidder) AS bidders, sum(price), avg(price), min(url), max(price), \
                      approx_distinct(bidder), approx_percentile_cont(0.5) WITHIN GROUP (ORDER BY price), \
                      median(price), stddev(price), bool_and(price > 50), count(*) FILTER (WHERE price > 200) AS big";
    let (actual, _) = eddy(
        &format!(
            "CREATE MATERIALIZED VIEW v AS SELECT auction, window_start, {aggregates} \
             FROM HOP(bids, date_time, INTERVAL '5 seconds', INTERVAL '15 seconds') GROUP BY auction, window_start"
        ),
        "SELECT * FROM v ORDER BY window_start, auction",
    )
    .await;
    let expected = batch(&format!(
        "SELECT auction, ws, {aggregates} FROM ( \
           SELECT *, date_bin(INTERVAL '5 seconds', date_time) - k AS ws FROM on_time \
           CROSS JOIN (VALUES (INTERVAL '0 seconds'), (INTERVAL '5 seconds'), (INTERVAL '10 seconds')) AS offsets(k)) \
         GROUP BY auction, ws ORDER BY ws, auction"
    ))
    .await;
    assert!(!expected.is_empty());
    // Merging pane states sums floating-point terms in another order than a
    // single pass: allow for the last bits of stddev.
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(&expected) {
        assert_eq!(a.len(), e.len());
        for (x, y) in a.iter().zip(e) {
            // Numbers compare by value: Eddy's avg is a numeric with 16
            // decimals (PostgreSQL's), DataFusion's a double.
            match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(x), Ok(y)) => assert!(x == y || (x - y).abs() <= 1e-9 * y.abs(), "{a:?} != {e:?}"),
                _ => assert_eq!(x, y, "{a:?} != {e:?}"),
            }
        }
    }
}
