//! Options of the `kafka` connector, for sources and sinks.

use std::time::Duration;

use eddy_catalog::ConnectorOptions;
use rdkafka::ClientConfig;

use crate::epoch::EpochUnit;
use crate::format::Format;
use crate::options::{parse_duration, Options};
use crate::{BadDataPolicy, ConnectorError};

const COMMON: &[&str] = &["topic", "kafka_topic", "bootstrap_servers", "format", "value_format", "csv.delimiter"];
const SOURCE_ONLY: &[&str] = &[
    "scan_startup",
    "scan_startup_timestamp_ms",
    "scan_bounded",
    "watermark_idle_timeout",
    "bad_data",
    "dead_letter_topic",
    "timestamp_unit",
];
const SINK_ONLY: &[&str] = &["key", "partitions"];
/// librdkafka settings passed through as they are.
const PROPERTIES: &str = "properties.";

/// The idle timeout when none is given: long enough not to mistake a slow
/// partition for an idle one, short enough that an empty partition does not
/// stop every window from closing.
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// What both sources and sinks need.
#[derive(Debug, Clone)]
pub(crate) struct KafkaCommon {
    pub(crate) topic: String,
    pub(crate) brokers: String,
    pub(crate) format: Format,
    /// `properties.*` with the prefix removed.
    pub(crate) properties: Vec<(String, String)>,
}

impl KafkaCommon {
    fn parse(o: &Options<'_>, options: &ConnectorOptions) -> Result<Self, ConnectorError> {
        let topic = o
            .get("topic")
            .or(o.get("kafka_topic"))
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| ConnectorError::MissingOption { connector: "kafka".into(), option: "topic".into() })?
            .to_string();
        let properties: Vec<(String, String)> = options
            .options
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(PROPERTIES).map(|k| (k.to_string(), v.clone())))
            .collect();
        let brokers = o
            .get("bootstrap_servers")
            .map(str::to_string)
            .or_else(|| properties.iter().find(|(k, _)| k == "bootstrap.servers").map(|(_, v)| v.clone()))
            .ok_or(ConnectorError::NoKafkaCluster)?;
        // ksqlDB spells CSV 'DELIMITED'.
        let format = match o.get("format").or(o.get("value_format")).map(str::to_ascii_lowercase) {
            Some(f) if f == "delimited" => Format::parse(Some("csv"), o.get("csv.delimiter"))?,
            f => Format::parse(f.as_deref(), o.get("csv.delimiter"))?,
        };
        Ok(KafkaCommon { topic, brokers, format, properties })
    }

    /// A librdkafka configuration for this cluster with the pass-through settings.
    pub(crate) fn client_config(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", &self.brokers);
        for (key, value) in &self.properties {
            config.set(key, value);
        }
        config
    }
}

/// Where a source starts reading each partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Startup {
    Earliest,
    Latest,
    /// The first record at or after this time (epoch milliseconds).
    Timestamp(i64),
}

/// What a source does with a record it cannot decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KafkaBadData {
    Fail,
    Drop,
    /// Write the raw record, with the error in its headers, to this topic.
    DeadLetter(String),
}

#[derive(Debug, Clone)]
pub(crate) struct SourceConfig {
    pub(crate) common: KafkaCommon,
    pub(crate) startup: Startup,
    /// Stop at the end offsets that existed when the query started.
    pub(crate) bounded: bool,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) bad_data: KafkaBadData,
    /// The unit of epoch numbers in timestamp columns.
    pub(crate) epoch: EpochUnit,
}

impl SourceConfig {
    pub(crate) fn parse(options: &ConnectorOptions) -> Result<Self, ConnectorError> {
        let valid: Vec<&str> = COMMON.iter().chain(SOURCE_ONLY).copied().collect();
        let o = Options::new(options, &valid, &[PROPERTIES])?;
        let common = KafkaCommon::parse(&o, options)?;
        let startup = match o.get("scan_startup").map(str::to_ascii_lowercase).as_deref() {
            None | Some("earliest") => Startup::Earliest,
            Some("latest") => Startup::Latest,
            Some("timestamp") => {
                Startup::Timestamp(o.number::<i64>("scan_startup_timestamp_ms")?.ok_or_else(|| {
                    ConnectorError::InvalidOption {
                        option: "scan_startup".into(),
                        reason: "'timestamp' needs scan_startup_timestamp_ms = <epoch milliseconds>".into(),
                    }
                })?)
            }
            Some(other) => {
                return Err(ConnectorError::InvalidOption {
                    option: "scan_startup".into(),
                    reason: format!("expected 'earliest', 'latest' or 'timestamp', found '{other}'"),
                })
            }
        };
        let bounded = match o.get("scan_bounded").map(str::to_ascii_lowercase).as_deref() {
            None | Some("none") => false,
            Some("latest") => true,
            Some(other) => {
                return Err(ConnectorError::InvalidOption {
                    option: "scan_bounded".into(),
                    reason: format!("expected 'latest' (stop at the end offsets at start) or 'none', found '{other}'"),
                })
            }
        };
        let idle_timeout = match o.get("watermark_idle_timeout") {
            None => Some(DEFAULT_IDLE_TIMEOUT),
            Some(text) if matches!(text.trim().to_ascii_lowercase().as_str(), "none" | "off") => None,
            Some(text) => Some(parse_duration(text).ok_or_else(|| ConnectorError::InvalidOption {
                option: "watermark_idle_timeout".into(),
                reason: format!("expected a duration such as '5 seconds', '500ms' or 'none', found '{text}'"),
            })?),
        };
        let bad_data = match o.get("bad_data").map(str::to_ascii_lowercase).as_deref() {
            Some("dead_letter") => KafkaBadData::DeadLetter(o.required("dead_letter_topic")?.to_string()),
            other => match other.map(BadDataPolicy::parse).transpose().map_err(|_| ConnectorError::InvalidOption {
                option: "bad_data".into(),
                reason: format!("expected 'fail', 'drop' or 'dead_letter', found '{}'", other.unwrap_or_default()),
            })? {
                None | Some(BadDataPolicy::Fail) => KafkaBadData::Fail,
                Some(BadDataPolicy::Drop) => KafkaBadData::Drop,
            },
        };
        if o.get("dead_letter_topic").is_some() && !matches!(bad_data, KafkaBadData::DeadLetter(_)) {
            return Err(ConnectorError::InvalidOption {
                option: "dead_letter_topic".into(),
                reason: "it is only used with bad_data = 'dead_letter'".into(),
            });
        }
        let epoch = EpochUnit::parse(o.get("timestamp_unit"))?;
        Ok(SourceConfig { common, startup, bounded, idle_timeout, bad_data, epoch })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SinkConfig {
    pub(crate) common: KafkaCommon,
    /// Names of the columns that make a record's key.
    pub(crate) key: Vec<String>,
    /// Partitions of the topic when the sink creates it; the broker's default otherwise.
    pub(crate) partitions: Option<i32>,
}

impl SinkConfig {
    pub(crate) fn parse(options: &ConnectorOptions) -> Result<Self, ConnectorError> {
        let valid: Vec<&str> = COMMON.iter().chain(SINK_ONLY).copied().collect();
        let o = Options::new(options, &valid, &[PROPERTIES])?;
        let common = KafkaCommon::parse(&o, options)?;
        let key = o
            .get("key")
            .map(|k| k.split(',').map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()).collect())
            .unwrap_or_default();
        let partitions = o.number::<i32>("partitions")?;
        if partitions.is_some_and(|p| p < 1) {
            return Err(ConnectorError::InvalidOption {
                option: "partitions".into(),
                reason: "a topic needs at least one partition".into(),
            });
        }
        Ok(SinkConfig { common, key, partitions })
    }
}
