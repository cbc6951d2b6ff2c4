//! `eddy-bench`: Nexmark bids in Kafka, read three ways.
//!
//! - `load` fills a topic with Nexmark bids as JSON (not timed by the runs).
//! - `eddy` runs one workload in an embedded Eddy over the topic with
//!   `scan_bounded = 'latest'` and times it.
//! - `baseline` reads the same topic with a bare rdkafka consumer and decodes
//!   it with arrow-json into batches, nothing else: the ceiling for any engine.
//! - `facts` computes the workloads' expected results directly from the
//!   decoded rows (plain Rust, no Eddy operator), so runs can be checked.
//!
//! Each prints one JSON line. `scripts/bench.sh` runs them side by side with
//! Flink SQL and writes `docs/benchmarks.md`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use arrow::array::AsArray;
use arrow::datatypes::{DataType, Field, Int64Type, Schema, SchemaRef, TimeUnit, TimestampMillisecondType};
use arrow::record_batch::RecordBatch;
use clap::{Parser, Subcommand, ValueEnum};
use eddy_catalog::ConnectorOptions;
use eddy_connectors::{SourceContext, SourceEvent};
use eddy_runtime::{Engine, EngineConfig, StatementResult};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};
use serde_json::json;

const TIMEOUT: Duration = Duration::from_secs(30);
const BATCH_SIZE: usize = 8192;

#[derive(Parser)]
#[command(name = "eddy-bench", about = "Nexmark on Kafka: load, run Eddy, run the raw-consume baseline")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a topic and fill it with Nexmark bids (JSON, keyed by auction).
    Load {
        #[arg(long, default_value = "127.0.0.1:9092")]
        brokers: String,
        #[arg(long)]
        topic: String,
        /// How many bids.
        #[arg(long)]
        bids: u64,
        #[arg(long, default_value_t = 1)]
        partitions: i32,
        /// Nexmark events per second of event time (spacing of date_time).
        #[arg(long, default_value_t = 10_000)]
        events_per_second: u64,
    },
    /// Run one workload in Eddy over the topic (bounded) and time it.
    Eddy {
        #[arg(long, default_value = "127.0.0.1:9092")]
        brokers: String,
        #[arg(long)]
        topic: String,
        #[arg(long, value_enum)]
        workload: Workload,
    },
    /// Consume the topic and decode it into Arrow batches, nothing else.
    Baseline {
        #[arg(long, default_value = "127.0.0.1:9092")]
        brokers: String,
        #[arg(long)]
        topic: String,
    },
    /// The workloads' expected results, computed from the rows directly.
    Facts {
        #[arg(long, default_value = "127.0.0.1:9092")]
        brokers: String,
        #[arg(long)]
        topic: String,
    },
}

#[derive(Clone, Copy, ValueEnum, Debug)]
enum Workload {
    /// Nexmark q0: pass-through.
    Q0,
    /// Nexmark q1: currency conversion (projection).
    Q1,
    /// Nexmark q2: a filter on auction ids.
    Q2,
    /// Bids per auction in 10-second tumbling windows (count, max price).
    Tumble,
    /// Nexmark q5-style: bids per auction in hopping windows of 10 s every 2 s.
    Hop,
}

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::Q0 => "q0",
            Workload::Q1 => "q1",
            Workload::Q2 => "q2",
            Workload::Tumble => "tumble",
            Workload::Hop => "hop",
        }
    }

    /// The statement that starts the workload's query, named `out`.
    fn sql(self) -> &'static str {
        match self {
            Workload::Q0 => {
                "CREATE STREAM out WITH (connector = 'blackhole') AS \
                 SELECT auction, bidder, price, channel, url, date_time, extra FROM bids"
            }
            Workload::Q1 => {
                "CREATE STREAM out WITH (connector = 'blackhole') AS \
                 SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bids"
            }
            Workload::Q2 => {
                "CREATE STREAM out WITH (connector = 'blackhole') AS \
                 SELECT auction, price FROM bids WHERE auction % 123 = 0"
            }
            Workload::Tumble => {
                "CREATE MATERIALIZED VIEW out AS \
                 SELECT auction, window_start, window_end, count(*) AS bids, max(price) AS top \
                 FROM TUMBLE(bids, date_time, INTERVAL '10 seconds') GROUP BY auction, window_start, window_end"
            }
            Workload::Hop => {
                "CREATE MATERIALIZED VIEW out AS \
                 SELECT auction, window_start, window_end, count(*) AS bids \
                 FROM HOP(bids, date_time, INTERVAL '2 seconds', INTERVAL '10 seconds') \
                 GROUP BY auction, window_start, window_end"
            }
        }
    }
}

fn bid_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("auction", DataType::Int64, true),
        Field::new("bidder", DataType::Int64, true),
        Field::new("price", DataType::Int64, true),
        Field::new("channel", DataType::Utf8, true),
        Field::new("url", DataType::Utf8, true),
        Field::new("date_time", DataType::Timestamp(TimeUnit::Millisecond, None), true),
        Field::new("extra", DataType::Utf8, true),
    ]))
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let report = match cli.command {
        Command::Load { brokers, topic, bids, partitions, events_per_second } => {
            runtime.block_on(load(&brokers, &topic, bids, partitions, events_per_second))?
        }
        Command::Eddy { brokers, topic, workload } => runtime.block_on(run_eddy(&brokers, &topic, workload))?,
        Command::Baseline { brokers, topic } => baseline(&brokers, &topic)?,
        Command::Facts { brokers, topic } => facts(&brokers, &topic)?,
    };
    println!("{report}");
    Ok(())
}

/// CPU seconds (user + system) and peak RSS (MiB) of this process so far.
fn usage() -> (f64, f64) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_maxrss as f64 / 1024.0)
}

fn client(brokers: &str) -> ClientConfig {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", brokers);
    config
}

async fn load(
    brokers: &str,
    topic: &str,
    bids: u64,
    partitions: i32,
    events_per_second: u64,
) -> Result<serde_json::Value> {
    let admin: AdminClient<DefaultClientContext> = client(brokers).create()?;
    let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
    for result in admin.create_topics([&new], &AdminOptions::new().operation_timeout(Some(TIMEOUT))).await? {
        if let Err((name, code)) = result {
            bail!("creating topic {name}: {code} (load into a new topic: the runs read everything in it)");
        }
    }
    // Nexmark's mix has 46 bids in every 50 events.
    let max_events = bids * 50 / 46 + 50;
    let mut options = ConnectorOptions { connector: "nexmark".into(), ..Default::default() };
    for (k, v) in [
        ("table", "bid".to_string()),
        ("max_events", max_events.to_string()),
        ("events_per_second", events_per_second.to_string()),
        ("base_time", "2024-01-01 00:00:00".to_string()),
        ("rate_limit", "false".to_string()),
    ] {
        options.options.insert(k.into(), v);
    }
    let metrics = Arc::default();
    let mut source =
        eddy_connectors::open_source(&options, bid_schema(), SourceContext { metrics, batch_size: BATCH_SIZE }).await?;
    let producer: BaseProducer = client(brokers)
        .set("linger.ms", "20")
        .set("batch.size", "1000000")
        .set("queue.buffering.max.messages", "1000000")
        .create()?;
    let started = Instant::now();
    let mut written = 0u64;
    while written < bids {
        let Some(SourceEvent::Rows { batch, .. }) = source.next_event().await? else { break };
        let take = (bids - written).min(batch.num_rows() as u64) as usize;
        let batch = batch.slice(0, take);
        let auctions = batch.column(0).as_primitive::<Int64Type>().clone();
        let mut json = Vec::new();
        let mut writer = arrow_json::LineDelimitedWriter::new(&mut json);
        writer.write(&batch)?;
        writer.finish()?;
        drop(writer);
        for (row, value) in json.split(|b| *b == b'\n').filter(|l| !l.is_empty()).enumerate() {
            let key = auctions.value(row).to_string();
            let mut record = BaseRecord::to(topic).key(&key).payload(value);
            loop {
                match producer.send(record) {
                    Ok(()) => break,
                    Err((_, r)) => {
                        producer.poll(Duration::from_millis(5));
                        record = r;
                    }
                }
            }
        }
        written += take as u64;
    }
    producer.flush(Duration::from_secs(120))?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(json!({ "loaded": written, "topic": topic, "partitions": partitions, "seconds": seconds }))
}

/// How many records the topic holds now (sum over partitions of end − start).
fn topic_size(brokers: &str, topic: &str) -> Result<u64> {
    let consumer: BaseConsumer = client(brokers).set("group.id", "eddy-bench").create()?;
    let metadata = consumer.fetch_metadata(Some(topic), TIMEOUT)?;
    let partitions = metadata.topics().first().context("no such topic")?.partitions().len() as i32;
    let mut total = 0;
    for p in 0..partitions {
        let (low, high) = consumer.fetch_watermarks(topic, p, TIMEOUT)?;
        total += (high - low) as u64;
    }
    Ok(total)
}

async fn run_eddy(brokers: &str, topic: &str, workload: Workload) -> Result<serde_json::Value> {
    let events = topic_size(brokers, topic)?;
    let engine = Engine::with_config(EngineConfig { kafka_brokers: Some(brokers.to_string()), ..Default::default() });
    engine
        .execute(&format!(
            "CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT, \
               date_time TIMESTAMP, extra TEXT, WATERMARK FOR date_time AS date_time - INTERVAL '4 seconds') \
             WITH (connector = 'kafka', topic = '{topic}', format = 'json', scan_bounded = 'latest')"
        ))
        .await?;
    let (cpu_before, _) = usage();
    let started = Instant::now();
    engine.execute(workload.sql()).await?;
    engine.execute("FLUSH").await?;
    let seconds = started.elapsed().as_secs_f64();
    let (cpu_after, peak_rss_mb) = usage();
    let metrics = engine.query_metrics("out").context("the query ran")?;
    let stats = metrics.snapshot();
    if stats.rows_in != events {
        bail!("Eddy read {} rows, the topic holds {events}", stats.rows_in);
    }
    let latency = metrics.emit_latency_quantiles(&[0.5, 0.99]);
    let check = match workload {
        Workload::Tumble | Workload::Hop => {
            let rows = engine.execute("SELECT count(*), sum(bids)::bigint FROM out").await?.pop();
            let Some(StatementResult::Rows { batches, .. }) = rows else { bail!("no result") };
            let windows = batches[0].column(0).as_primitive::<Int64Type>().value(0);
            let counted = batches[0].column(1).as_primitive::<Int64Type>().value(0);
            json!({ "windows": windows, "bids_counted": counted, "late_rows": stats.late_rows })
        }
        _ => json!({ "rows_out": stats.rows_out }),
    };
    Ok(json!({
        "system": "eddy",
        "workload": workload.name(),
        "events": events,
        "seconds": seconds,
        "events_per_second": events as f64 / seconds,
        "cpu_seconds": cpu_after - cpu_before,
        "peak_rss_mb": peak_rss_mb,
        "latency_p50_ms": latency.as_ref().map(|l| l[0].as_secs_f64() * 1000.0),
        "latency_p99_ms": latency.as_ref().map(|l| l[1].as_secs_f64() * 1000.0),
        "check": check,
    }))
}

/// Reads every record of the topic (from the start to the end offsets now),
/// decoding each partition's records in batches with arrow-json.
fn read_topic(brokers: &str, topic: &str, mut on_batch: impl FnMut(&RecordBatch)) -> Result<u64> {
    // The same fetch tuning as Eddy's source (see kafka/source.rs).
    let consumer: BaseConsumer =
        client(brokers).set("group.id", "eddy-bench").set("fetch.queue.backoff.ms", "10").create()?;
    let metadata = consumer.fetch_metadata(Some(topic), TIMEOUT)?;
    let partitions = metadata.topics().first().context("no such topic")?.partitions().len();
    let mut list = TopicPartitionList::new();
    let mut remaining = 0u64;
    let mut ends = Vec::new();
    for p in 0..partitions as i32 {
        let (low, high) = consumer.fetch_watermarks(topic, p, TIMEOUT)?;
        list.add_partition_offset(topic, p, Offset::Offset(low))?;
        remaining += (high - low) as u64;
        ends.push(high);
    }
    consumer.assign(&list)?;
    let schema = bid_schema();
    let mut buffers: Vec<(Vec<u8>, usize)> = vec![(Vec::new(), 0); partitions];
    let decode = |bytes: &[u8], on_batch: &mut dyn FnMut(&RecordBatch)| -> Result<u64> {
        let mut decoder = arrow_json::ReaderBuilder::new(schema.clone()).with_batch_size(BATCH_SIZE).build_decoder()?;
        decoder.decode(bytes)?;
        let batch = decoder.flush()?.context("a batch")?;
        on_batch(&batch);
        Ok(batch.num_rows() as u64)
    };
    let mut rows = 0;
    // Wait only when nothing is queued; drain what is with zero-timeout polls.
    let mut wait = Duration::from_millis(100);
    while remaining > 0 {
        let Some(message) = consumer.poll(wait) else {
            wait = Duration::from_millis(100);
            continue;
        };
        wait = Duration::ZERO;
        let message = message?;
        let (bytes, count) = &mut buffers[message.partition() as usize];
        bytes.extend_from_slice(message.payload().unwrap_or_default());
        bytes.push(b'\n');
        *count += 1;
        remaining -= 1;
        if *count == BATCH_SIZE {
            rows += decode(bytes, &mut on_batch)?;
            bytes.clear();
            *count = 0;
        }
    }
    for (bytes, count) in &buffers {
        if *count > 0 {
            rows += decode(bytes, &mut on_batch)?;
        }
    }
    Ok(rows)
}

fn baseline(brokers: &str, topic: &str) -> Result<serde_json::Value> {
    let (cpu_before, _) = usage();
    let started = Instant::now();
    let rows = read_topic(brokers, topic, |_| {})?;
    let seconds = started.elapsed().as_secs_f64();
    let (cpu_after, peak_rss_mb) = usage();
    Ok(json!({
        "system": "baseline",
        "workload": "consume+decode",
        "events": rows,
        "seconds": seconds,
        "events_per_second": rows as f64 / seconds,
        "cpu_seconds": cpu_after - cpu_before,
        "peak_rss_mb": peak_rss_mb,
    }))
}

fn facts(brokers: &str, topic: &str) -> Result<serde_json::Value> {
    let mut q2 = 0u64;
    let mut tumble: HashSet<(i64, i64)> = HashSet::new();
    let mut hop: HashSet<(i64, i64)> = HashSet::new();
    let rows = read_topic(brokers, topic, |batch| {
        let auction = batch.column(0).as_primitive::<Int64Type>();
        let time = batch.column(5).as_primitive::<TimestampMillisecondType>();
        for row in 0..batch.num_rows() {
            let (a, t) = (auction.value(row), time.value(row));
            q2 += u64::from(a % 123 == 0);
            tumble.insert((a, t - t.rem_euclid(10_000)));
            // Hopping windows of 10 s every 2 s: the five starts within 10 s before t.
            let last = t - t.rem_euclid(2_000);
            for k in 0..5 {
                hop.insert((a, last - k * 2_000));
            }
        }
    })?;
    Ok(json!({
        "events": rows,
        "q2_rows": q2,
        "tumble_windows": tumble.len(),
        "hop_windows": hop.len(),
        "hop_bids_counted": rows * 5,
    }))
}
