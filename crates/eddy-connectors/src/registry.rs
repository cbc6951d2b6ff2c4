//! The one list of connectors: option validation at CREATE time and opening
//! sources and sinks when a query starts.

use arrow::datatypes::SchemaRef;
use eddy_catalog::ConnectorOptions;

use crate::blackhole::{self, BlackholeSink};
use crate::datagen::{self, DatagenSource};
use crate::file::{self, FileSink, FileSource};
use crate::kafka::{self, KafkaSink, KafkaSource};
use crate::nexmark::{self, NexmarkSource};
use crate::{ConnectorError, Sink, Source, SourceContext};

/// Checks a source's options when `CREATE STREAM` runs and returns the schema
/// the stream will have: the declared one, or the connector's own when the
/// statement declared no columns (`nexmark`).
pub fn validate_source(options: &ConnectorOptions, declared: SchemaRef) -> Result<SchemaRef, ConnectorError> {
    if !options.metadata.is_empty() && options.connector != "kafka" {
        return Err(ConnectorError::Unsupported {
            connector: options.connector.clone(),
            feature: "INCLUDE (metadata columns are a Kafka feature)".into(),
        });
    }
    match options.connector.as_str() {
        "kafka" => kafka::validate_source(options, declared),
        "blackhole" => Err(ConnectorError::Unsupported {
            connector: options.connector.clone(),
            feature: "reading (it is a sink)".into(),
        }),
        "file" => file::validate_source(options, declared),
        "datagen" => datagen::validate(options, declared),
        "nexmark" => nexmark::validate(options, declared),
        other => Err(ConnectorError::UnknownConnector(other.to_string())),
    }
}

/// Opens the source of a stream for one running query. A Kafka source has
/// looked up its topic and assigned its partitions when this returns.
pub async fn open_source(
    options: &ConnectorOptions,
    schema: SchemaRef,
    ctx: SourceContext,
) -> Result<Box<dyn Source>, ConnectorError> {
    match options.connector.as_str() {
        "kafka" => Ok(Box::new(KafkaSource::open(options, schema, ctx).await?)),
        "file" => Ok(Box::new(FileSource::open(options, schema, ctx)?)),
        "datagen" => Ok(Box::new(DatagenSource::open(options, schema, ctx)?)),
        "nexmark" => Ok(Box::new(NexmarkSource::open(options, schema, ctx)?)),
        other => Err(ConnectorError::UnknownConnector(other.to_string())),
    }
}

/// Checks a sink's options when `CREATE STREAM ... AS` or `CREATE SINK` runs.
pub fn validate_sink(options: &ConnectorOptions) -> Result<(), ConnectorError> {
    match options.connector.as_str() {
        "kafka" => kafka::validate_sink(options),
        "blackhole" => blackhole::validate_sink(options),
        "file" => file::validate_sink(options),
        "datagen" | "nexmark" => Err(ConnectorError::Unsupported {
            connector: options.connector.clone(),
            feature: "writing (it is a source)".into(),
        }),
        other => Err(ConnectorError::UnknownConnector(other.to_string())),
    }
}

/// Opens a sink for one running query writing rows of `schema`. For an
/// updating query, `group_key` names the output columns of its group key
/// (sinks that upsert key their records by it).
pub async fn open_sink(
    options: &ConnectorOptions,
    schema: SchemaRef,
    group_key: Option<Vec<usize>>,
) -> Result<Box<dyn Sink>, ConnectorError> {
    match options.connector.as_str() {
        "kafka" => Ok(Box::new(KafkaSink::open(options, schema, group_key).await?)),
        "blackhole" => {
            blackhole::validate_sink(options)?;
            Ok(Box::new(BlackholeSink))
        }
        "file" => Ok(Box::new(FileSink::open(options).await?)),
        _ => {
            // Not a sink connector: report why, as CREATE time would have.
            validate_sink(options)?;
            Err(ConnectorError::UnknownConnector(options.connector.clone()))
        }
    }
}
