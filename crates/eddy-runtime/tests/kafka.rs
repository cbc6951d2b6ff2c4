//! Eddy against a real Kafka broker (`scripts/kafka.sh start`; address in
//! `KAFKA_BROKERS`, default 127.0.0.1:9092).
//!
//! Every test writes its input with its own producer, runs Eddy over it, and
//! reads Eddy's output topics back with its own consumer. Expected values are
//! computed here from the records produced, never taken from Eddy.
//!
//! Without a broker these tests fail; set `EDDY_SKIP_KAFKA_TESTS=1` to skip
//! them knowingly (never in CI).

mod common;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::query;
use eddy_common::Classify;
use eddy_runtime::{Engine, EngineConfig};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Header, Headers, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};

const TIMEOUT: Duration = Duration::from_secs(30);

fn brokers() -> Option<String> {
    if std::env::var("EDDY_SKIP_KAFKA_TESTS").is_ok_and(|v| v == "1") && std::env::var("CI").is_err() {
        eprintln!("SKIPPED: EDDY_SKIP_KAFKA_TESTS=1");
        return None;
    }
    Some(std::env::var("KAFKA_BROKERS").unwrap_or_else(|_| "127.0.0.1:9092".into()))
}

/// A topic name no earlier run used (the broker keeps data between runs).
fn unique(name: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{name}-{nanos}")
}

fn client(brokers: &str) -> ClientConfig {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", brokers);
    config
}

async fn create_topic(brokers: &str, topic: &str, partitions: i32) {
    let admin: AdminClient<DefaultClientContext> = client(brokers).create().unwrap();
    let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
    let results = admin
        .create_topics([&new], &AdminOptions::new().operation_timeout(Some(TIMEOUT)))
        .await
        .unwrap_or_else(|e| panic!("no Kafka broker answers at {brokers} (scripts/kafka.sh start): {e}"));
    for r in results {
        r.unwrap();
    }
}

/// One record to produce.
struct Record {
    partition: i32,
    key: Option<String>,
    value: String,
    timestamp: Option<i64>,
    headers: Vec<(&'static str, String)>,
}

impl Record {
    fn new(partition: i32, value: impl Into<String>) -> Self {
        Record { partition, key: None, value: value.into(), timestamp: None, headers: Vec::new() }
    }
}

fn produce(brokers: &str, topic: &str, records: &[Record]) {
    let producer: BaseProducer = client(brokers).create().unwrap();
    for r in records {
        let mut record = BaseRecord::<str, str>::to(topic).partition(r.partition).payload(&r.value);
        if let Some(key) = &r.key {
            record = record.key(key);
        }
        if let Some(ts) = r.timestamp {
            record = record.timestamp(ts);
        }
        if !r.headers.is_empty() {
            let mut headers = OwnedHeaders::new();
            for (k, v) in &r.headers {
                headers = headers.insert(Header { key: k, value: Some(v.as_str()) });
            }
            record = record.headers(headers);
        }
        let mut record = record;
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((_, r)) => {
                    producer.poll(Duration::from_millis(10));
                    record = r;
                }
            }
        }
    }
    producer.flush(TIMEOUT).unwrap();
}

/// A record read back: key, value (None for a tombstone), headers.
#[derive(Debug, Clone)]
struct Read {
    key: Option<String>,
    value: Option<String>,
    headers: BTreeMap<String, String>,
}

/// Every record in the topic now, partition by partition in offset order.
fn consume_all(brokers: &str, topic: &str) -> Vec<Read> {
    let consumer: BaseConsumer = client(brokers).set("group.id", "eddy-tests").create().unwrap();
    let metadata = consumer.fetch_metadata(Some(topic), TIMEOUT).unwrap();
    let partitions = metadata.topics()[0].partitions().len() as i32;
    let mut out = Vec::new();
    for p in 0..partitions {
        let (low, high) = consumer.fetch_watermarks(topic, p, TIMEOUT).unwrap();
        if low == high {
            continue;
        }
        let mut list = TopicPartitionList::new();
        list.add_partition_offset(topic, p, Offset::Offset(low)).unwrap();
        consumer.assign(&list).unwrap();
        let deadline = Instant::now() + TIMEOUT;
        let mut next = low;
        while next < high && Instant::now() < deadline {
            if let Some(message) = consumer.poll(Duration::from_millis(200)) {
                let m = message.unwrap();
                next = m.offset() + 1;
                let headers = m
                    .headers()
                    .map(|h| {
                        h.iter()
                            .map(|h| (h.key.to_string(), String::from_utf8_lossy(h.value.unwrap_or_default()).into()))
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(Read {
                    key: m.key().map(|k| String::from_utf8_lossy(k).into()),
                    value: m.payload().map(|v| String::from_utf8_lossy(v).into()),
                    headers,
                });
            }
        }
        assert!(next >= high, "timed out reading {topic} partition {p}");
    }
    out
}

fn engine(brokers: &str) -> Engine {
    Engine::with_config(EngineConfig { kafka_brokers: Some(brokers.to_string()), ..Default::default() })
}

/// `SHOW QUERIES` as name → (status, rows_in, bad_rows, watermark, error).
async fn show_queries(engine: &Engine) -> HashMap<String, Vec<String>> {
    query(engine, "SHOW QUERIES").await.into_iter().map(|r| (r[0].clone(), r)).collect()
}

/// Polls `check` until it holds (for unbounded sources, which FLUSH cannot wait out).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + TIMEOUT;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const T0: i64 = 1_700_000_000_000; // 2023-11-14 22:13:20 UTC, a multiple of 10 s

fn timestamp_text(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Bids over three partitions: partition 0 has most of them, partition 2
/// runs 40 s behind the others in event time, and within each partition
/// events arrive up to 4 s out of order (the watermark allows 5 s).
fn skewed_bids() -> Vec<(i32, i64, i64, i64)> {
    let mut bids = Vec::new(); // (partition, auction, price, event time)
    let mut state = 42u64;
    let mut next = || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as i64
    };
    for (partition, count, lag_ms) in [(0, 1400, 0), (1, 400, 0), (2, 200, 40_000)] {
        for i in 0..count {
            let base = T0 + 60_000 + i * 100_000 / count - lag_ms;
            let jitter = next() % 4000;
            let auction = 1000 + next() % 7;
            let price = 1 + next() % 500;
            bids.push((partition, auction, price, base - jitter));
        }
    }
    bids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn windowed_query_over_skewed_partitions_gives_the_batch_answer_in_the_sink_topic() {
    let Some(brokers) = brokers() else { return };
    let (input, output) = (unique("bids"), unique("bids-per-auction"));
    create_topic(&brokers, &input, 3).await;
    let bids = skewed_bids();
    let records: Vec<Record> = bids
        .iter()
        .map(|(p, auction, price, ts)| Record {
            key: Some(auction.to_string()),
            ..Record::new(
                *p,
                format!(r#"{{"auction": {auction}, "price": {price}, "date_time": "{}"}}"#, timestamp_text(*ts)),
            )
        })
        .collect();
    produce(&brokers, &input, &records);

    let engine = engine(&brokers);
    engine
        .execute(&format!(
            "CREATE STREAM bids (auction BIGINT, price BIGINT, date_time TIMESTAMP, \
               WATERMARK FOR date_time AS date_time - INTERVAL '5 seconds') \
             WITH (connector = 'kafka', topic = '{input}', format = 'json', scan_bounded = 'latest');
             CREATE STREAM per_auction WITH (connector = 'kafka', topic = '{output}', key = 'auction') AS
               SELECT auction, window_start, count(*) AS bids, max(price) AS top
               FROM TUMBLE(bids, date_time, INTERVAL '10 seconds')
               GROUP BY auction, window_start, window_end;
             FLUSH"
        ))
        .await
        .unwrap();

    // The batch answer, computed here: every bid, none late.
    let mut expected: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new();
    for (_, auction, price, ts) in &bids {
        let start = ts - ts.rem_euclid(10_000);
        let e = expected.entry((*auction, start)).or_insert((0, 0));
        e.0 += 1;
        e.1 = e.1.max(*price);
    }
    let mut actual: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new();
    for record in consume_all(&brokers, &output) {
        let value: serde_json::Value = serde_json::from_str(record.value.as_deref().unwrap()).unwrap();
        let auction = value["auction"].as_i64().unwrap();
        assert_eq!(record.key.as_deref(), Some(auction.to_string().as_str()), "records are keyed by auction");
        // arrow-json writes `2023-11-14T22:14:20` (a fraction only when non-zero).
        let start = value["window_start"].as_str().unwrap();
        let start = expected
            .keys()
            .map(|(_, s)| *s)
            .find(|s| timestamp_text(*s).replace(' ', "T") == start.trim_end_matches(".000"))
            .unwrap_or_else(|| panic!("unexpected window start {start}"));
        let previous =
            actual.insert((auction, start), (value["bids"].as_i64().unwrap(), value["top"].as_i64().unwrap()));
        assert!(previous.is_none(), "window ({auction}, {start}) written twice");
    }
    assert_eq!(actual, expected);
    let stats = &show_queries(&engine).await["per_auction"];
    assert_eq!(stats[1], "completed");
    assert_eq!(stats[2], bids.len().to_string(), "rows_in");
    assert_eq!(stats[4], "0", "late_rows: partition watermarks are independent");
    // Window results were timed from the watermark that released them.
    let latency = engine.query_metrics("per_auction").unwrap().emit_latency_quantiles(&[0.5, 0.99]).unwrap();
    assert!(latency[0] <= latency[1]);
}

/// 1,000 bids with every 100th malformed, in two partitions.
fn bids_with_bad_records() -> (Vec<Record>, Vec<(i32, i64)>) {
    let mut records = Vec::new();
    let mut bad = Vec::new(); // (partition, offset)
    let mut offsets = [0i64; 2];
    for i in 0..1000i64 {
        let partition = (i % 2) as i32;
        let value = if i % 100 == 37 {
            bad.push((partition, offsets[partition as usize]));
            format!(r#"{{"auction": {i}, "price": "#)
        } else {
            format!(r#"{{"auction": {i}, "price": {}}}"#, i * 3)
        };
        offsets[partition as usize] += 1;
        records.push(Record { key: Some(format!("k{i}")), ..Record::new(partition, value) });
    }
    (records, bad)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_data_policies_count_drop_dead_letter_or_fail() {
    let Some(brokers) = brokers() else { return };
    let input = unique("bad-bids");
    create_topic(&brokers, &input, 2).await;
    let (records, bad) = bids_with_bad_records();
    produce(&brokers, &input, &records);
    let good_sum: i64 = (0..1000i64).filter(|i| i % 100 != 37).map(|i| i * 3).sum();

    // drop: skipped and counted.
    let engine = engine(&brokers);
    engine
        .execute(&format!(
            "CREATE STREAM bids (auction BIGINT, price BIGINT) WITH (connector = 'kafka', topic = '{input}', \
               scan_bounded = 'latest', bad_data = 'drop');
             CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n, sum(price) AS total FROM bids;
             FLUSH"
        ))
        .await
        .unwrap();
    assert_eq!(
        query(&engine, "SELECT n, total FROM totals").await,
        vec![vec!["990".to_string(), good_sum.to_string()]]
    );
    assert_eq!(show_queries(&engine).await["totals"][5], "10", "bad_rows");

    // dead_letter: the raw records with the error go to the dead-letter topic.
    let dead = unique("bad-bids-dlq");
    create_topic(&brokers, &dead, 1).await;
    let engine2 = self::engine(&brokers);
    engine2
        .execute(&format!(
            "CREATE STREAM bids (auction BIGINT, price BIGINT) WITH (connector = 'kafka', topic = '{input}', \
               scan_bounded = 'latest', bad_data = 'dead_letter', dead_letter_topic = '{dead}');
             CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM bids;
             FLUSH"
        ))
        .await
        .unwrap();
    assert_eq!(query(&engine2, "SELECT n FROM totals").await, vec![vec!["990".to_string()]]);
    assert_eq!(show_queries(&engine2).await["totals"][5], "10", "bad_rows");
    let letters = consume_all(&brokers, &dead);
    assert_eq!(letters.len(), 10);
    let mut where_from: Vec<(i32, i64)> = letters
        .iter()
        .map(|l| {
            assert_eq!(l.headers["eddy.source.topic"], input);
            assert!(!l.headers["eddy.error"].is_empty());
            assert!(l.value.as_deref().unwrap().ends_with("\"price\": "), "the raw record: {:?}", l.value);
            assert!(l.key.as_deref().unwrap().starts_with('k'), "the original key");
            (l.headers["eddy.source.partition"].parse().unwrap(), l.headers["eddy.source.offset"].parse().unwrap())
        })
        .collect();
    where_from.sort();
    let mut expected_bad = bad.clone();
    expected_bad.sort();
    assert_eq!(where_from, expected_bad);

    // fail (the default): the query stops, naming the first bad record.
    let engine3 = self::engine(&brokers);
    engine3
        .execute(&format!(
            "CREATE STREAM bids (auction BIGINT, price BIGINT) WITH (connector = 'kafka', topic = '{input}', \
               scan_bounded = 'latest');
             CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM bids"
        ))
        .await
        .unwrap();
    let error = engine3.execute("FLUSH").await.unwrap_err().to_string();
    let named = bad.iter().any(|(p, o)| error.contains(&format!("topic \"{input}\" partition {p} offset {o}")));
    assert!(named, "the error names topic, partition and offset: {error}");
    assert_eq!(show_queries(&engine3).await["totals"][1], "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_partition_holds_the_watermark_until_the_idle_timeout() {
    let Some(brokers) = brokers() else { return };
    let input = unique("idle");
    create_topic(&brokers, &input, 2).await;
    // Only partition 0 has data; partition 1 stays empty.
    let records: Vec<Record> = (0..50)
        .map(|i| Record::new(0, format!(r#"{{"v": {i}, "ts": "{}"}}"#, timestamp_text(T0 + i * 1000))))
        .collect();
    produce(&brokers, &input, &records);
    let engine = engine(&brokers);
    let started = Instant::now();
    engine
        .execute(&format!(
            "CREATE STREAM s (v BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts) \
               WITH (connector = 'kafka', topic = '{input}', watermark_idle_timeout = '4 seconds');
             CREATE MATERIALIZED VIEW w AS SELECT window_start, count(*) AS n \
               FROM TUMBLE(s, ts, INTERVAL '10 seconds') GROUP BY window_start, window_end"
        ))
        .await
        .unwrap();
    eventually("all rows read", || async { show_queries(&engine).await["w"][2] == "50" }).await;
    // Partition 1 is not idle yet: no watermark, no window closed.
    let held = show_queries(&engine).await["w"][6].clone();
    let checked_at = started.elapsed();
    assert!(checked_at < Duration::from_secs(4), "the check came too late to mean anything ({checked_at:?})");
    assert_eq!(held, "NULL", "the empty partition holds the watermark back");
    assert!(query(&engine, "SELECT * FROM w").await.is_empty());
    // After the idle timeout the stream follows partition 0 alone: rows up to
    // T0 + 49 s close the windows ending at or before it.
    eventually("windows closed after the idle timeout", || async {
        query(&engine, "SELECT count(*) FROM w").await == vec![vec!["4".to_string()]]
    })
    .await;
    assert!(started.elapsed() >= Duration::from_secs(4));
    let windows = query(&engine, "SELECT window_start, n FROM w ORDER BY window_start").await;
    let expected: Vec<Vec<String>> = (0..4).map(|w| vec![timestamp_text(T0 + w * 10_000), "10".to_string()]).collect();
    assert_eq!(windows, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_startup_and_metadata_columns() {
    let Some(brokers) = brokers() else { return };
    let input = unique("meta");
    create_topic(&brokers, &input, 2).await;
    let records: Vec<Record> = (0..20i64)
        .map(|i| Record {
            key: Some(format!("key-{i}")),
            timestamp: Some(T0 + i * 1000),
            headers: vec![("source", format!("s{}", i % 3))],
            ..Record::new((i % 2) as i32, format!(r#"{{"v": {i}}}"#))
        })
        .collect();
    produce(&brokers, &input, &records);
    let engine = engine(&brokers);
    engine
        .execute(&format!(
            "CREATE STREAM s (v BIGINT) INCLUDE key AS k INCLUDE partition INCLUDE offset AS o \
               INCLUDE timestamp AS ts INCLUDE headers AS h \
               WITH (connector = 'kafka', topic = '{input}', scan_bounded = 'latest');
             CREATE MATERIALIZED VIEW everything AS SELECT * FROM s;
             CREATE STREAM late_half (v BIGINT) \
               WITH (connector = 'kafka', topic = '{input}', scan_bounded = 'latest', \
                     scan_startup = 'timestamp', scan_startup_timestamp_ms = '{}');
             CREATE MATERIALIZED VIEW since AS SELECT v FROM late_half;
             CREATE STREAM nothing (v BIGINT) \
               WITH (kafka_topic = '{input}', value_format = 'JSON', connector = 'kafka', \
                     scan_bounded = 'latest', scan_startup = 'latest');
             CREATE MATERIALIZED VIEW none AS SELECT v FROM nothing;
             FLUSH",
            T0 + 12_000
        ))
        .await
        .unwrap();
    let all = query(&engine, "SELECT v, k, kafka_partition, o, ts, h FROM everything ORDER BY v").await;
    // Offsets count per partition: even values in partition 0, odd in 1.
    let expected: Vec<Vec<String>> = (0..20i64)
        .map(|i| {
            vec![
                i.to_string(),
                format!("key-{i}"),
                (i % 2).to_string(),
                (i / 2).to_string(),
                timestamp_text(T0 + i * 1000),
                format!(r#"{{"source":"s{}"}}"#, i % 3),
            ]
        })
        .collect();
    assert_eq!(all, expected);
    let since = query(&engine, "SELECT v FROM since ORDER BY v").await;
    assert_eq!(since, (12..20).map(|i| vec![i.to_string()]).collect::<Vec<_>>());
    assert!(query(&engine, "SELECT v FROM none").await.is_empty());
    let described = query(&engine, "DESCRIBE s").await;
    let types: Vec<(String, String)> = described.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(
        types,
        [
            ("v", "BIGINT"),
            ("k", "TEXT"),
            ("kafka_partition", "INTEGER"),
            ("o", "BIGINT"),
            ("ts", "TIMESTAMP(3)"),
            ("h", "TEXT")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updating_results_are_upserts_with_tombstones() {
    let Some(brokers) = brokers() else { return };
    let (input, output) = (unique("prices"), unique("cheap-auctions"));
    create_topic(&brokers, &input, 1).await;
    // Auction a's max price grows past 100, so it leaves the result; b's and c's stay below.
    let first = [("a", 10), ("b", 5), ("a", 50), ("b", 7)];
    let second = [("a", 120), ("c", 99)];
    let record = |(a, p): &(&str, i64)| Record::new(0, format!(r#"{{"auction": "{a}", "price": {p}}}"#));
    produce(&brokers, &input, &first.iter().map(record).collect::<Vec<_>>());
    let engine = engine(&brokers);
    engine
        .execute(&format!(
            "CREATE STREAM prices (auction TEXT, price BIGINT) WITH (connector = 'kafka', topic = '{input}');
             CREATE STREAM cheap WITH (connector = 'kafka', topic = '{output}', partitions = 3) AS
               SELECT auction, max(price) AS top FROM prices GROUP BY auction HAVING max(price) < 100"
        ))
        .await
        .unwrap();
    eventually("the first records", || async { show_queries(&engine).await["cheap"][2] == "4" }).await;
    produce(&brokers, &input, &second.iter().map(record).collect::<Vec<_>>());
    eventually("the second records", || async { show_queries(&engine).await["cheap"][2] == "6" }).await;
    engine.execute("FLUSH").await.unwrap();
    // Compacting the topic by key must give the final result.
    let mut table: BTreeMap<String, Option<String>> = BTreeMap::new();
    let records = consume_all(&brokers, &output);
    for r in &records {
        table.insert(r.key.clone().expect("upserts are keyed"), r.value.clone());
    }
    assert_eq!(table.len(), 3);
    assert_eq!(table["a"], None, "a tombstone for the key that left: {records:?}");
    assert_eq!(table["b"].as_deref(), Some(r#"{"auction":"b","top":7}"#));
    assert_eq!(table["c"].as_deref(), Some(r#"{"auction":"c","top":99}"#));
    let consumer: BaseConsumer = client(&brokers).create().unwrap();
    let metadata = consumer.fetch_metadata(Some(&output), TIMEOUT).unwrap();
    assert_eq!(metadata.topics()[0].partitions().len(), 3, "the sink created the topic with 3 partitions");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_topic_or_bad_option_fails_at_create() {
    let Some(brokers) = brokers() else { return };
    let engine = engine(&brokers);
    let missing = unique("no-such-topic");
    let error = engine
        .execute(&format!(
            "CREATE STREAM s (v BIGINT) WITH (connector = 'kafka', topic = '{missing}');
             CREATE MATERIALIZED VIEW m AS SELECT * FROM s"
        ))
        .await
        .unwrap_err();
    assert!(error.to_string().contains(&format!("Kafka topic \"{missing}\" does not exist")), "{error}");
    assert_eq!(error.class().sqlstate, "42704");
    let error = engine
        .execute("CREATE STREAM t (v BIGINT) WITH (connector = 'kafka', topic = 'x', scan_startup = 'yesterday')")
        .await
        .unwrap_err();
    assert_eq!(error.class().sqlstate, "22023", "{error}");
    let error = engine
        .execute("CREATE STREAM t (v BIGINT) WITH (connector = 'kafka', topic = 'x', bad_data = 'dead_letter')")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("dead_letter_topic"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_delivery_fails_the_query_instead_of_losing_rows() {
    let Some(brokers) = brokers() else { return };
    let (input, output) = (unique("wide-rows"), unique("small-records-only"));
    create_topic(&brokers, &input, 1).await;
    // The broker refuses record batches over 200 bytes on the output topic.
    let admin: AdminClient<DefaultClientContext> = client(&brokers).create().unwrap();
    let small = NewTopic::new(&output, 1, TopicReplication::Fixed(1)).set("max.message.bytes", "200");
    for r in admin.create_topics([&small], &AdminOptions::new().operation_timeout(Some(TIMEOUT))).await.unwrap() {
        r.unwrap();
    }
    let wide = "x".repeat(500);
    produce(&brokers, &input, &[Record::new(0, format!(r#"{{"v": 1, "text": "{wide}"}}"#))]);
    let engine = engine(&brokers);
    engine
        .execute(&format!(
            "CREATE STREAM wide (v BIGINT, text TEXT) \
               WITH (connector = 'kafka', topic = '{input}', scan_bounded = 'latest');
             CREATE STREAM copied WITH (connector = 'kafka', topic = '{output}') AS SELECT * FROM wide"
        ))
        .await
        .unwrap();
    let error = engine.execute("FLUSH").await.unwrap_err().to_string();
    assert!(error.contains("delivering a result"), "{error}");
    let stats = &show_queries(&engine).await["copied"];
    assert_eq!(stats[1], "failed");
    assert!(stats[7].contains(&output), "the error names the topic: {}", stats[7]);
}

/// The consumer lag (records between each partition's position and its end)
/// is reported for Kafka sources and falls to 0 once everything produced
/// has been read; a non-Kafka source reports none. (The arithmetic for a
/// lag above 0 is unit-tested in the source: a reader this fast is never
/// seen behind for long enough to check here.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumer_lag_is_reported_and_reaches_zero() {
    let Some(brokers) = brokers() else { return };
    let input = unique("lag");
    create_topic(&brokers, &input, 2).await;
    let batch = |from: i64| -> Vec<Record> {
        (from..from + 500)
            .map(|i| Record::new((i % 2) as i32, format!(r#"{{"v": {i}, "ts": "{}"}}"#, timestamp_text(T0 + i))))
            .collect()
    };
    produce(&brokers, &input, &batch(0));
    let engine = engine(&brokers);
    engine
        .execute(&format!(
            "CREATE STREAM s (v BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts) WITH (connector = 'kafka', topic = '{input}');
             CREATE MATERIALIZED VIEW everything AS SELECT v FROM s;
             CREATE STREAM n (price BIGINT) WITH (connector = 'nexmark', table = 'bid', max_events = 10);
             CREATE MATERIALIZED VIEW bids AS SELECT * FROM n"
        ))
        .await
        .unwrap();
    let metrics = engine.query_metrics("everything").unwrap();
    eventually("500 rows read and lag 0", || async {
        metrics.snapshot().rows_in == 500 && metrics.source_lag() == Some(0)
    })
    .await;
    produce(&brokers, &input, &batch(500));
    eventually("1000 rows read and lag 0", || async {
        metrics.snapshot().rows_in == 1000 && metrics.source_lag() == Some(0)
    })
    .await;
    assert_eq!(engine.query_metrics("bids").unwrap().source_lag(), None);
}
