//! The one list of connectors: option validation at CREATE time and opening
//! sources and sinks when a query starts.

use arrow::datatypes::SchemaRef;
use eddy_catalog::ConnectorOptions;

use crate::datagen::{self, DatagenSource};
use crate::file::{self, FileSink, FileSource};
use crate::nexmark::{self, NexmarkSource};
use crate::{ConnectorError, Sink, Source, SourceContext};

/// Checks a source's options when `CREATE STREAM` runs and returns the schema
/// the stream will have: the declared one, or the connector's own when the
/// statement declared no columns (`nexmark`).
pub fn validate_source(options: &ConnectorOptions, declared: SchemaRef) -> Result<SchemaRef, ConnectorError> {
    match options.connector.as_str() {
        "file" => file::validate_source(options, declared),
        "datagen" => datagen::validate(options, declared),
        "nexmark" => nexmark::validate(options, declared),
        other => Err(ConnectorError::UnknownConnector(other.to_string())),
    }
}

/// Opens the source of a stream for one running query.
pub fn open_source(
    options: &ConnectorOptions,
    schema: SchemaRef,
    ctx: SourceContext,
) -> Result<Box<dyn Source>, ConnectorError> {
    match options.connector.as_str() {
        "file" => Ok(Box::new(FileSource::open(options, schema, ctx)?)),
        "datagen" => Ok(Box::new(DatagenSource::open(options, schema, ctx)?)),
        "nexmark" => Ok(Box::new(NexmarkSource::open(options, schema, ctx)?)),
        other => Err(ConnectorError::UnknownConnector(other.to_string())),
    }
}

/// Checks a sink's options when `CREATE STREAM ... AS` or `CREATE SINK` runs.
pub fn validate_sink(options: &ConnectorOptions) -> Result<(), ConnectorError> {
    match options.connector.as_str() {
        "file" => file::validate_sink(options),
        "datagen" | "nexmark" => Err(ConnectorError::Unsupported {
            connector: options.connector.clone(),
            feature: "writing (it is a source)".into(),
        }),
        other => Err(ConnectorError::UnknownConnector(other.to_string())),
    }
}

/// Opens a sink for one running query writing rows of `schema`.
pub async fn open_sink(options: &ConnectorOptions, _schema: SchemaRef) -> Result<Box<dyn Sink>, ConnectorError> {
    match options.connector.as_str() {
        "file" => Ok(Box::new(FileSink::open(options).await?)),
        _ => {
            // Not a sink connector: report why, as CREATE time would have.
            validate_sink(options)?;
            Err(ConnectorError::UnknownConnector(options.connector.clone()))
        }
    }
}
