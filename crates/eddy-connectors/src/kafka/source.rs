//! The Kafka source: one reader thread per query that assigns the topic's
//! partitions itself, polls librdkafka in a loop, and decodes what it
//! collected per partition as whole batches.
//!
//! The thread talks to the query through a bounded channel: back-pressure
//! blocks the thread, librdkafka's own prefetch queue bounds what waits in
//! memory. Nothing async or allocated per record on this path except the
//! optional metadata columns.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arrow::array::{ArrayRef, BooleanArray, Int32Array, Int64Array, StringBuilder, TimestampMillisecondBuilder};
use arrow::compute::filter;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use async_trait::async_trait;
use eddy_catalog::{ConnectorOptions, MetadataColumn};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Header, Headers, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::statistics::Statistics;
use rdkafka::ClientContext;
use rdkafka::{Message, Offset, TopicPartitionList};
use tokio::sync::{mpsc, oneshot};

use super::options::{KafkaBadData, SourceConfig, Startup};
use crate::format::RecordDecoder;
use crate::{ConnectorError, Source, SourceContext, SourceEvent};

/// How long metadata and offset lookups may take.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest a poll waits when no record is there: how often idle
/// partitions and a stopped query are noticed.
const POLL_WAIT: Duration = Duration::from_millis(100);
const CHANNEL_CAPACITY: usize = 4;
/// How often librdkafka reports partition end offsets, and the lag is
/// recomputed.
const LAG_INTERVAL: Duration = Duration::from_secs(1);

/// The metadata a Kafka stream can `INCLUDE`, and its column type.
pub(crate) const METADATA: &[(&str, &str)] = &[
    ("key", "TEXT: the record's key (UTF-8, invalid bytes replaced)"),
    ("partition", "INTEGER"),
    ("offset", "BIGINT"),
    ("timestamp", "TIMESTAMP(3): the record's Kafka timestamp"),
    ("headers", "TEXT: the headers as a JSON object"),
];

fn metadata_type(kind: &str) -> Option<DataType> {
    match kind {
        "key" | "headers" => Some(DataType::Utf8),
        "partition" => Some(DataType::Int32),
        "offset" => Some(DataType::Int64),
        "timestamp" => Some(DataType::Timestamp(TimeUnit::Millisecond, None)),
        _ => None,
    }
}

/// The declared columns followed by the metadata columns.
pub(crate) fn stream_schema(declared: &Schema, metadata: &[MetadataColumn]) -> Result<SchemaRef, ConnectorError> {
    let mut fields: Vec<Field> = declared.fields().iter().map(|f| f.as_ref().clone()).collect();
    for m in metadata {
        let data_type = metadata_type(&m.kind).ok_or_else(|| ConnectorError::InvalidOption {
            option: "INCLUDE".into(),
            reason: format!(
                "Kafka has no metadata '{}'; use one of {}",
                m.kind,
                METADATA.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            ),
        })?;
        if fields.iter().any(|f| f.name() == &m.column) {
            return Err(ConnectorError::InvalidOption {
                option: "INCLUDE".into(),
                reason: format!(
                    "column \"{}\" is declared twice; name it with INCLUDE {} AS other_name",
                    m.column, m.kind
                ),
            });
        }
        fields.push(Field::new(&m.column, data_type, true));
    }
    Ok(Arc::new(Schema::new(fields)))
}

enum Fetched {
    Event(SourceEvent),
    Failed(ConnectorError),
    End,
}

/// A running query's view of its reader thread.
pub(crate) struct KafkaSource {
    topic: String,
    schema: SchemaRef,
    partitions: usize,
    bounded: bool,
    events: mpsc::Receiver<Fetched>,
    stop: Arc<AtomicBool>,
    ended: bool,
}

impl KafkaSource {
    /// Starts the reader and waits until it has assigned the partitions, so
    /// that a missing topic or an unreachable broker fails `CREATE`.
    pub(crate) async fn open(
        options: &ConnectorOptions,
        schema: SchemaRef,
        ctx: SourceContext,
    ) -> Result<Self, ConnectorError> {
        let config = SourceConfig::parse(options)?;
        let payload_fields = schema.fields().len() - options.metadata.len();
        let payload_schema = Arc::new(Schema::new(schema.fields()[..payload_fields].to_vec()));
        let (events_tx, events) = mpsc::channel(CHANNEL_CAPACITY);
        let (ready_tx, ready) = oneshot::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let reader = Reader {
            decoder: RecordDecoder::new(config.common.format.clone(), payload_schema, ctx.batch_size, config.epoch),
            schema: schema.clone(),
            metadata: options.metadata.clone(),
            config: config.clone(),
            ctx,
            out: events_tx,
            stop: stop.clone(),
        };
        std::thread::Builder::new()
            .name(format!("kafka-{}", config.common.topic))
            .spawn(move || reader.run(ready_tx))
            .map_err(|e| ConnectorError::Kafka { what: "starting the reader".into(), reason: e.to_string() })?;
        let partitions =
            ready.await.map_err(|_| ConnectorError::ReaderStopped { topic: config.common.topic.clone() })??;
        Ok(KafkaSource {
            topic: config.common.topic,
            schema,
            partitions,
            bounded: config.bounded,
            events,
            stop,
            ended: false,
        })
    }
}

impl Drop for KafkaSource {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[async_trait]
impl Source for KafkaSource {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn is_bounded(&self) -> bool {
        self.bounded
    }

    fn partitions(&self) -> usize {
        self.partitions
    }

    async fn next_event(&mut self) -> Result<Option<SourceEvent>, ConnectorError> {
        if self.ended {
            return Ok(None);
        }
        match self.events.recv().await {
            Some(Fetched::Event(event)) => Ok(Some(event)),
            Some(Fetched::Failed(e)) => Err(e),
            Some(Fetched::End) => {
                self.ended = true;
                Ok(None)
            }
            None => Err(ConnectorError::ReaderStopped { topic: self.topic.clone() }),
        }
    }
}

/// Records collected from one partition since the last batch.
#[derive(Default)]
struct Pending {
    /// Values, each followed by `\n`.
    bytes: Vec<u8>,
    /// Where each record's value ends in `bytes` (before its `\n`).
    ends: Vec<usize>,
    offsets: Vec<i64>,
    keys: Option<StringBuilder>,
    timestamps: Option<TimestampMillisecondBuilder>,
    headers: Option<StringBuilder>,
    /// Raw keys, kept only for dead letters.
    raw_keys: Vec<Option<Vec<u8>>>,
}

impl Pending {
    fn len(&self) -> usize {
        self.offsets.len()
    }

    fn record(&self, index: usize) -> &[u8] {
        let start = if index == 0 { 0 } else { self.ends[index - 1] + 1 };
        &self.bytes[start..self.ends[index]]
    }
}

struct PartitionState {
    pending: Pending,
    /// The next offset to read.
    position: i64,
    /// Bounded reads stop here (the end offset when the query started).
    end: Option<i64>,
    done: bool,
    idle: bool,
    last_rows: Instant,
}

struct Reader {
    config: SourceConfig,
    decoder: RecordDecoder,
    schema: SchemaRef,
    metadata: Vec<MetadataColumn>,
    ctx: SourceContext,
    out: mpsc::Sender<Fetched>,
    stop: Arc<AtomicBool>,
}

impl Reader {
    fn run(self, ready: oneshot::Sender<Result<usize, ConnectorError>>) {
        let (consumer, mut partitions) = match self.assign() {
            Ok(assigned) => assigned,
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        };
        let dead_letters = match &self.config.bad_data {
            KafkaBadData::DeadLetter(_) => match self.config.common.client_config().create::<BaseProducer>() {
                Ok(p) => Some(p),
                Err(e) => {
                    let _ = ready.send(Err(self.kafka_error("creating the dead-letter producer", e)));
                    return;
                }
            },
            _ => None,
        };
        if ready.send(Ok(partitions.len())).is_err() {
            return;
        }
        if let Err(e) = self.poll_loop(&consumer, &mut partitions, dead_letters.as_ref()) {
            let _ = self.out.blocking_send(Fetched::Failed(e));
        }
    }

    fn kafka_error(&self, what: &str, e: KafkaError) -> ConnectorError {
        ConnectorError::Kafka {
            what: format!("{what} (topic \"{}\")", self.config.common.topic),
            reason: e.to_string(),
        }
    }

    /// Looks the topic up, finds where each partition starts (and ends, when
    /// bounded), and assigns them all to a consumer of our own.
    fn assign(&self) -> Result<(BaseConsumer<EndOffsets>, Vec<PartitionState>), ConnectorError> {
        let common = &self.config.common;
        let mut client = common.client_config();
        // Eddy assigns partitions and keeps offsets itself; librdkafka still
        // wants a group id for an assigned consumer. Nothing is committed.
        if !common.properties.iter().any(|(k, _)| k == "group.id") {
            client.set("group.id", "eddy");
        }
        client.set("enable.auto.commit", "false").set("enable.auto.offset.store", "false");
        // librdkafka pauses fetching for fetch.queue.backoff.ms (1 s by default)
        // whenever its prefetch queue is full; a reader that drains the queue
        // as fast as Eddy does would spend most of its time in that pause
        // (measured: 150k instead of 1M records/s).
        if !common.properties.iter().any(|(k, _)| k == "fetch.queue.backoff.ms") {
            client.set("fetch.queue.backoff.ms", "10");
        }
        if self.config.bounded {
            client.set("enable.partition.eof", "true");
        }
        // The end offsets for the consumer lag come with librdkafka's statistics.
        if !common.properties.iter().any(|(k, _)| k == "statistics.interval.ms") {
            client.set("statistics.interval.ms", LAG_INTERVAL.as_millis().to_string());
        }
        let context = EndOffsets { topic: common.topic.clone(), ends: Mutex::default() };
        let consumer: BaseConsumer<EndOffsets> =
            client.create_with_context(context).map_err(|e| self.kafka_error("creating the consumer", e))?;
        let metadata = consumer
            .fetch_metadata(Some(&common.topic), LOOKUP_TIMEOUT)
            .map_err(|e| ConnectorError::KafkaUnreachable { brokers: common.brokers.clone(), reason: e.to_string() })?;
        let topic = metadata.topics().iter().find(|t| t.name() == common.topic);
        let count = match topic {
            Some(t) if t.error().is_none() && !t.partitions().is_empty() => t.partitions().len(),
            _ => return Err(ConnectorError::TopicNotFound { topic: common.topic.clone() }),
        };
        let mut list = TopicPartitionList::new();
        let mut partitions = Vec::with_capacity(count);
        let starts = match self.config.startup {
            Startup::Timestamp(ms) => {
                let mut query = TopicPartitionList::new();
                for p in 0..count as i32 {
                    query
                        .add_partition_offset(&common.topic, p, Offset::Offset(ms))
                        .map_err(|e| self.kafka_error("looking up start offsets", e))?;
                }
                let found = consumer
                    .offsets_for_times(query, LOOKUP_TIMEOUT)
                    .map_err(|e| self.kafka_error("looking up offsets for scan_startup_timestamp_ms", e))?;
                Some(found)
            }
            _ => None,
        };
        for p in 0..count as i32 {
            let (low, high) = consumer
                .fetch_watermarks(&common.topic, p, LOOKUP_TIMEOUT)
                .map_err(|e| self.kafka_error("reading partition offsets", e))?;
            let start = match self.config.startup {
                Startup::Earliest => low,
                Startup::Latest => high,
                Startup::Timestamp(_) => {
                    match starts.as_ref().and_then(|s| s.find_partition(&common.topic, p)).map(|e| e.offset()) {
                        Some(Offset::Offset(o)) => o,
                        _ => high,
                    }
                }
            };
            list.add_partition_offset(&common.topic, p, Offset::Offset(start))
                .map_err(|e| self.kafka_error("assigning partitions", e))?;
            let end = self.config.bounded.then_some(high);
            partitions.push(PartitionState {
                pending: self.new_pending(),
                position: start,
                end,
                done: false,
                idle: false,
                last_rows: Instant::now(),
            });
        }
        consumer.assign(&list).map_err(|e| self.kafka_error("assigning partitions", e))?;
        Ok((consumer, partitions))
    }

    fn new_pending(&self) -> Pending {
        let wants = |kind: &str| self.metadata.iter().any(|m| m.kind == kind);
        Pending {
            keys: wants("key").then(StringBuilder::new),
            timestamps: wants("timestamp").then(TimestampMillisecondBuilder::new),
            headers: wants("headers").then(StringBuilder::new),
            ..Pending::default()
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || self.out.is_closed()
    }

    fn send(&self, event: SourceEvent) -> Result<(), Stopped> {
        self.out.blocking_send(Fetched::Event(event)).map_err(|_| Stopped)
    }

    fn poll_loop(
        &self,
        consumer: &BaseConsumer<EndOffsets>,
        partitions: &mut [PartitionState],
        dead_letters: Option<&BaseProducer>,
    ) -> Result<(), ConnectorError> {
        let batch_size = self.ctx.batch_size;
        let mut lag_reported = Instant::now();
        loop {
            if self.stopped() {
                return Ok(());
            }
            if lag_reported.elapsed() >= LAG_INTERVAL {
                let ends = consumer.context().ends.lock().expect("end offsets lock").clone();
                let positions: Vec<(i64, bool)> = partitions.iter().map(|p| (p.position, p.done)).collect();
                if let Some(lag) = consumer_lag(&positions, &ends) {
                    self.ctx.metrics.set_source_lag(lag);
                }
                lag_reported = Instant::now();
            }
            if self.finish_bounded(partitions).is_err() {
                return Ok(());
            }
            if partitions.iter().all(|p| p.done) {
                let _ = self.out.blocking_send(Fetched::End);
                return Ok(());
            }
            // Wait for the first record, then take what is already fetched.
            let mut wait = POLL_WAIT;
            let mut taken = 0;
            while taken < batch_size {
                match consumer.poll(wait) {
                    None => break,
                    Some(Ok(message)) => {
                        self.collect(&message, partitions);
                        taken += 1;
                    }
                    Some(Err(KafkaError::PartitionEOF(p))) => {
                        // Everything up to the partition's current end was read.
                        if let Some(state) = partitions.get_mut(p as usize) {
                            if let Some(end) = state.end.as_mut() {
                                *end = (*end).min(state.position);
                            }
                        }
                    }
                    Some(Err(e)) => {
                        // librdkafka retries transport errors itself; a fatal error ends the query.
                        if e.rdkafka_error_code().is_some_and(|c| c == rdkafka::types::RDKafkaErrorCode::Fatal) {
                            return Err(self.kafka_error("consuming", e));
                        }
                        tracing::warn!(topic = %self.config.common.topic, error = %e, "Kafka consumer error");
                    }
                }
                wait = Duration::ZERO;
            }
            for (index, state) in partitions.iter_mut().enumerate() {
                if state.pending.len() == 0 {
                    continue;
                }
                let pending = std::mem::replace(&mut state.pending, self.new_pending());
                state.last_rows = Instant::now();
                state.idle = false;
                if let Some(batch) = self.decode(index, pending, dead_letters)? {
                    if self.send(SourceEvent::Rows { partition: index, batch }).is_err() {
                        return Ok(());
                    }
                }
            }
            if self.mark_idle(partitions).is_err() {
                return Ok(());
            }
        }
    }

    fn collect(&self, message: &BorrowedMessage<'_>, partitions: &mut [PartitionState]) {
        let Some(state) = partitions.get_mut(message.partition() as usize) else { return };
        state.position = message.offset() + 1;
        let pending = &mut state.pending;
        pending.bytes.extend_from_slice(message.payload().unwrap_or_default());
        pending.ends.push(pending.bytes.len());
        pending.bytes.push(b'\n');
        pending.offsets.push(message.offset());
        if let Some(keys) = pending.keys.as_mut() {
            keys.append_option(message.key().map(String::from_utf8_lossy));
        }
        if let Some(timestamps) = pending.timestamps.as_mut() {
            timestamps.append_option(message.timestamp().to_millis());
        }
        if let Some(headers) = pending.headers.as_mut() {
            headers.append_option(message.headers().map(headers_json));
        }
        if matches!(self.config.bad_data, KafkaBadData::DeadLetter(_)) {
            pending.raw_keys.push(message.key().map(<[u8]>::to_vec));
        }
    }

    /// Bounded partitions that reached their end stop holding the watermark.
    fn finish_bounded(&self, partitions: &mut [PartitionState]) -> Result<(), Stopped> {
        for (index, state) in partitions.iter_mut().enumerate() {
            if !state.done && state.end.is_some_and(|end| state.position >= end) {
                state.done = true;
                self.send(SourceEvent::Idle { partition: index })?;
            }
        }
        Ok(())
    }

    fn mark_idle(&self, partitions: &mut [PartitionState]) -> Result<(), Stopped> {
        let Some(timeout) = self.config.idle_timeout else { return Ok(()) };
        for (index, state) in partitions.iter_mut().enumerate() {
            if !state.done && !state.idle && state.last_rows.elapsed() >= timeout {
                state.idle = true;
                self.send(SourceEvent::Idle { partition: index })?;
            }
        }
        Ok(())
    }

    /// Decodes one partition's records at once; only when that fails are they
    /// decoded one by one to find the bad ones and apply `bad_data`.
    fn decode(
        &self,
        partition: usize,
        pending: Pending,
        dead_letters: Option<&BaseProducer>,
    ) -> Result<Option<RecordBatch>, ConnectorError> {
        let count = pending.len();
        let whole =
            self.decoder.decode(&pending.bytes).ok().filter(|b| b.iter().map(|b| b.num_rows()).sum::<usize>() == count);
        let (batches, keep) = match whole {
            Some(batches) => (batches, None),
            None => {
                let (good, bad) = self.decoder.decode_each((0..count).map(|i| pending.record(i)));
                let mut keep = vec![true; count];
                for (index, reason) in &bad {
                    keep[*index] = false;
                    let reason = if pending.record(*index).is_empty() {
                        "the record has no value".to_string()
                    } else {
                        reason.clone()
                    };
                    let location = format!(
                        "topic \"{}\" partition {partition} offset {}",
                        self.config.common.topic, pending.offsets[*index]
                    );
                    match &self.config.bad_data {
                        KafkaBadData::Fail => return Err(ConnectorError::BadRecord { location, reason }),
                        KafkaBadData::Drop => {}
                        KafkaBadData::DeadLetter(topic) => {
                            let producer = dead_letters.expect("a dead-letter producer exists for this policy");
                            self.dead_letter(producer, topic, &pending, *index, partition, &reason)?;
                        }
                    }
                }
                if let Some(producer) = dead_letters.filter(|_| !bad.is_empty()) {
                    producer.flush(LOOKUP_TIMEOUT).map_err(|e| self.kafka_error("writing dead letters", e))?;
                }
                self.ctx.metrics.add_bad_rows(bad.len() as u64);
                (good, Some(BooleanArray::from(keep)))
            }
        };
        let payload = match batches.len() {
            0 => return Ok(None),
            1 => batches.into_iter().next().expect("one batch"),
            _ => arrow::compute::concat_batches(&batches[0].schema(), &batches)?,
        };
        if self.metadata.is_empty() {
            return Ok(Some(payload));
        }
        let mut columns = payload.columns().to_vec();
        let mut pending = pending;
        for m in &self.metadata {
            let column: ArrayRef = match m.kind.as_str() {
                "key" => Arc::new(pending.keys.as_mut().expect("collected").finish()),
                "partition" => Arc::new(Int32Array::from(vec![partition as i32; count])),
                "offset" => Arc::new(Int64Array::from(std::mem::take(&mut pending.offsets))),
                "timestamp" => Arc::new(pending.timestamps.as_mut().expect("collected").finish()),
                "headers" => Arc::new(pending.headers.as_mut().expect("collected").finish()),
                other => unreachable!("metadata kind {other} was validated at CREATE"),
            };
            columns.push(match &keep {
                Some(keep) => filter(column.as_ref(), keep)?,
                None => column,
            });
        }
        Ok(Some(RecordBatch::try_new(self.schema.clone(), columns)?))
    }

    fn dead_letter(
        &self,
        producer: &BaseProducer,
        topic: &str,
        pending: &Pending,
        index: usize,
        partition: usize,
        reason: &str,
    ) -> Result<(), ConnectorError> {
        let source_partition = partition.to_string();
        let source_offset = pending.offsets[index].to_string();
        let headers = OwnedHeaders::new()
            .insert(Header { key: "eddy.error", value: Some(reason) })
            .insert(Header { key: "eddy.source.topic", value: Some(&self.config.common.topic) })
            .insert(Header { key: "eddy.source.partition", value: Some(&source_partition) })
            .insert(Header { key: "eddy.source.offset", value: Some(&source_offset) });
        let mut record = BaseRecord::<[u8], [u8]>::to(topic).payload(pending.record(index)).headers(headers);
        if let Some(Some(key)) = pending.raw_keys.get(index) {
            record = record.key(key.as_slice());
        }
        loop {
            match producer.send(record) {
                Ok(()) => return Ok(()),
                Err((KafkaError::MessageProduction(rdkafka::types::RDKafkaErrorCode::QueueFull), r)) => {
                    producer.poll(Duration::from_millis(10));
                    record = r;
                }
                Err((e, _)) => return Err(self.kafka_error("writing a dead letter", e)),
            }
        }
    }
}

/// The query went away while the reader was sending.
struct Stopped;

/// The consumer's context: keeps the end offset of each partition of
/// `topic` from librdkafka's statistics (the last stable offset, which is
/// the high watermark unless a transaction is open).
struct EndOffsets {
    topic: String,
    ends: Mutex<HashMap<i32, i64>>,
}

impl ClientContext for EndOffsets {
    fn stats(&self, statistics: Statistics) {
        let Some(topic) = statistics.topics.get(&self.topic) else { return };
        let mut ends = self.ends.lock().expect("end offsets lock");
        for (&partition, stats) in &topic.partitions {
            let end = if stats.ls_offset >= 0 { stats.ls_offset } else { stats.hi_offset };
            // librdkafka lists an internal partition -1, and -1001 for unknown offsets.
            if partition >= 0 && end >= 0 {
                ends.insert(partition, end);
            }
        }
    }
}

impl ConsumerContext for EndOffsets {}

/// Records behind the end of the partitions: the sum over partitions of
/// end offset minus the next offset to read (`positions`: next offset and
/// whether the partition is done). `None` until every partition still
/// being read has an end offset.
fn consumer_lag(positions: &[(i64, bool)], ends: &HashMap<i32, i64>) -> Option<u64> {
    let mut lag = 0u64;
    for (partition, &(position, done)) in positions.iter().enumerate() {
        if done {
            continue;
        }
        let end = *ends.get(&(partition as i32))?;
        lag += (end - position).max(0) as u64;
    }
    Some(lag)
}

/// Headers as a JSON object of strings (values as UTF-8, null when absent).
fn headers_json<H: Headers>(headers: &H) -> String {
    let mut object = serde_json::Map::new();
    for header in headers.iter() {
        let value = header
            .value
            .map(|v| serde_json::Value::String(String::from_utf8_lossy(v).into_owned()))
            .unwrap_or(serde_json::Value::Null);
        object.insert(header.key.to_string(), value);
    }
    serde_json::Value::Object(object).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_lag_sums_what_is_left_in_each_partition() {
        let ends = HashMap::from([(0, 100), (1, 50), (2, 7)]);
        // Partition 1 read ahead of a stale end offset counts as 0, a done partition as 0.
        assert_eq!(consumer_lag(&[(90, false), (60, false), (0, true)], &ends), Some(10));
        assert_eq!(consumer_lag(&[(0, false), (0, false), (0, false)], &ends), Some(157));
        // An end offset not reported yet: no lag rather than a wrong one.
        assert_eq!(consumer_lag(&[(0, false), (0, false), (0, false), (0, false)], &ends), None);
    }
}
