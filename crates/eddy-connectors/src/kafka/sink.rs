//! The Kafka sink: rows encoded as JSON or CSV records, keyed by the `key`
//! columns; updating results as upserts with tombstones for keys that left.
//!
//! Producing is asynchronous and batched by librdkafka; `flush` waits for
//! every delivery report, so a barrier (FLUSH) or the end of a bounded query
//! means every result is in the topic. A failed delivery fails the query.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use arrow::array::{Array, BooleanArray, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;
use async_trait::async_trait;
use eddy_catalog::ConnectorOptions;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::error::KafkaError;
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;

use super::options::SinkConfig;
use crate::format::Format;
use crate::{ConnectorError, Sink};

/// Deliveries allowed in flight before `write` waits for the oldest.
const MAX_IN_FLIGHT: usize = 100_000;
const ADMIN_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) struct KafkaSink {
    config: SinkConfig,
    producer: FutureProducer,
    /// Positions of the key columns in the rows written.
    key: Vec<usize>,
    /// Keys currently in the topic (updating results only), for tombstones.
    live_keys: Option<HashSet<Vec<u8>>>,
    in_flight: VecDeque<DeliveryFuture>,
}

impl KafkaSink {
    /// `group_key` is set for updating queries: the output columns that form
    /// the group key, used when no `key` option is given. Updating results
    /// with a key are upserts: a record per changed key, a tombstone per key
    /// that left the result.
    pub(crate) async fn open(
        options: &ConnectorOptions,
        schema: SchemaRef,
        group_key: Option<Vec<usize>>,
    ) -> Result<Self, ConnectorError> {
        let config = SinkConfig::parse(options)?;
        let key = if config.key.is_empty() {
            group_key.clone().unwrap_or_default()
        } else {
            config
                .key
                .iter()
                .map(|name| {
                    schema.index_of(name).map_err(|_| ConnectorError::UnknownColumn {
                        connector: "the query (key option)".into(),
                        column: name.clone(),
                        available: schema.fields().iter().map(|f| f.name().clone()).collect(),
                    })
                })
                .collect::<Result<_, _>>()?
        };
        let mut client = config.common.client_config();
        client.set("enable.idempotence", "true");
        let producer: FutureProducer = client.create().map_err(|e| kafka("creating the producer", &config, e))?;
        ensure_topic(&config).await?;
        Ok(KafkaSink {
            // Upserts need a key; without one, changes are written as they come.
            live_keys: (group_key.is_some() && !key.is_empty()).then(HashSet::new),
            config,
            producer,
            key,
            in_flight: VecDeque::new(),
        })
    }

    /// One encoded value per row.
    fn values(&self, batch: &RecordBatch) -> Result<Vec<Vec<u8>>, ConnectorError> {
        match self.config.common.format {
            Format::Json => json_lines(batch),
            Format::Csv { delimiter } => (0..batch.num_rows())
                .map(|row| {
                    let mut bytes = Vec::new();
                    let mut writer =
                        arrow_csv::WriterBuilder::new().with_header(false).with_delimiter(delimiter).build(&mut bytes);
                    writer.write(&batch.slice(row, 1))?;
                    drop(writer);
                    if bytes.last() == Some(&b'\n') {
                        bytes.pop();
                    }
                    Ok(bytes)
                })
                .collect(),
        }
    }

    /// One key per row (`None` without key columns or when a key is null):
    /// the value itself for one key column, a JSON object for several.
    fn keys(&self, batch: &RecordBatch) -> Result<Vec<Option<Vec<u8>>>, ConnectorError> {
        let rows = batch.num_rows();
        match self.key.as_slice() {
            [] => Ok(vec![None; rows]),
            [single] => {
                let text = cast(batch.column(*single), &DataType::Utf8)?;
                let text = text.as_any().downcast_ref::<StringArray>().expect("cast to Utf8");
                Ok((0..rows).map(|r| text.is_valid(r).then(|| text.value(r).as_bytes().to_vec())).collect())
            }
            several => {
                let keys = batch.project(several)?;
                Ok(json_lines(&keys)?.into_iter().map(Some).collect())
            }
        }
    }

    /// Hands one record to librdkafka; when its queue is full, waits for
    /// the oldest deliveries first.
    async fn produce(&mut self, key: Option<&[u8]>, value: Option<&[u8]>) -> Result<(), ConnectorError> {
        let mut record = FutureRecord::<[u8], [u8]>::to(&self.config.common.topic);
        if let Some(key) = key {
            record = record.key(key);
        }
        if let Some(value) = value {
            record = record.payload(value);
        }
        loop {
            match self.producer.send_result(record) {
                Ok(delivery) => {
                    self.in_flight.push_back(delivery);
                    break;
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) if !self.in_flight.is_empty() => {
                    record = r;
                    let keep = self.in_flight.len() / 2;
                    wait_for_deliveries(&mut self.in_flight, keep, &self.config).await?;
                }
                Err((e, _)) => return Err(kafka("producing", &self.config, e)),
            }
        }
        if self.in_flight.len() > MAX_IN_FLIGHT {
            wait_for_deliveries(&mut self.in_flight, MAX_IN_FLIGHT / 2, &self.config).await?;
        }
        Ok(())
    }
}

/// Waits until at most `keep` deliveries are in flight; the first failed
/// delivery is the error.
async fn wait_for_deliveries(
    in_flight: &mut VecDeque<DeliveryFuture>,
    keep: usize,
    config: &SinkConfig,
) -> Result<(), ConnectorError> {
    while in_flight.len() > keep {
        let delivery = in_flight.pop_front().expect("not empty");
        match delivery.await {
            Ok(Ok(_)) => {}
            Ok(Err((e, _))) => return Err(kafka("delivering a result", config, e)),
            Err(_) => return Err(kafka("delivering a result", config, KafkaError::Canceled)),
        }
    }
    Ok(())
}

#[async_trait]
impl Sink for KafkaSink {
    async fn write(&mut self, batch: &RecordBatch) -> Result<(), ConnectorError> {
        let values = self.values(batch)?;
        let keys = self.keys(batch)?;
        for (key, value) in keys.iter().zip(&values) {
            self.produce(key.as_deref(), Some(value)).await?;
        }
        Ok(())
    }

    async fn write_snapshot(&mut self, batch: &RecordBatch, changed: &BooleanArray) -> Result<(), ConnectorError> {
        // Without a key there are no upserts: the changed rows, appended.
        let Some(live) = self.live_keys.take() else {
            if changed.true_count() == 0 {
                return Ok(());
            }
            return self.write(&arrow::compute::filter_record_batch(batch, changed)?).await;
        };
        let keys = self.keys(batch)?;
        let changed_rows = arrow::compute::filter_record_batch(batch, changed)?;
        let values = self.values(&changed_rows)?;
        let changed_keys = keys.iter().enumerate().filter(|(row, _)| changed.value(*row)).map(|(_, k)| k);
        for (key, value) in changed_keys.zip(&values) {
            self.produce(key.as_deref(), Some(value)).await?;
        }
        // Keys written before and absent now get a tombstone.
        let present: HashSet<Vec<u8>> = keys.into_iter().flatten().collect();
        for gone in live.difference(&present) {
            self.produce(Some(gone), None).await?;
        }
        self.live_keys = Some(present);
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), ConnectorError> {
        wait_for_deliveries(&mut self.in_flight, 0, &self.config).await
    }
}

/// Rows as JSON objects, nulls included.
fn json_lines(batch: &RecordBatch) -> Result<Vec<Vec<u8>>, ConnectorError> {
    let mut bytes = Vec::new();
    let mut writer = arrow_json::WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, arrow_json::writer::LineDelimited>(&mut bytes);
    writer.write(batch)?;
    writer.finish()?;
    drop(writer);
    // arrow-json escapes newlines inside strings, so each line is one row.
    Ok(bytes.split(|b| *b == b'\n').filter(|line| !line.is_empty()).map(<[u8]>::to_vec).collect())
}

/// Creates the topic unless it exists.
async fn ensure_topic(config: &SinkConfig) -> Result<(), ConnectorError> {
    let admin: AdminClient<DefaultClientContext> =
        config.common.client_config().create().map_err(|e| kafka("creating an admin client", config, e))?;
    let partitions = config.partitions.unwrap_or(-1);
    let topic = NewTopic::new(&config.common.topic, partitions, TopicReplication::Fixed(-1));
    let options = AdminOptions::new().operation_timeout(Some(ADMIN_TIMEOUT)).request_timeout(Some(ADMIN_TIMEOUT));
    let results = admin.create_topics([&topic], &options).await.map_err(|e| ConnectorError::KafkaUnreachable {
        brokers: config.common.brokers.clone(),
        reason: e.to_string(),
    })?;
    for result in results {
        match result {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((_, code)) => {
                return Err(ConnectorError::Kafka {
                    what: format!("creating topic \"{}\"", config.common.topic),
                    reason: code.to_string(),
                })
            }
        }
    }
    Ok(())
}

fn kafka(what: &str, config: &SinkConfig, e: KafkaError) -> ConnectorError {
    ConnectorError::Kafka { what: format!("{what} (topic \"{}\")", config.common.topic), reason: e.to_string() }
}
