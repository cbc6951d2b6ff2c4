//! The `kafka` connector: a source that reads every partition of a topic
//! with its own watermark, and a sink that writes results as records.

mod options;
mod sink;
mod source;

use arrow::datatypes::SchemaRef;
use eddy_catalog::ConnectorOptions;

pub(crate) use sink::KafkaSink;
pub(crate) use source::KafkaSource;

use crate::ConnectorError;

/// Checks a Kafka stream's options and returns its schema: the declared
/// columns followed by the `INCLUDE`d metadata columns.
pub(crate) fn validate_source(options: &ConnectorOptions, declared: SchemaRef) -> Result<SchemaRef, ConnectorError> {
    options::SourceConfig::parse(options)?;
    if declared.fields().is_empty() {
        return Err(ConnectorError::InvalidOption {
            option: "topic".into(),
            reason: "declare the columns of a Kafka stream: CREATE STREAM s (col TYPE, ...) WITH (...)".into(),
        });
    }
    source::stream_schema(&declared, &options.metadata)
}

pub(crate) fn validate_sink(options: &ConnectorOptions) -> Result<(), ConnectorError> {
    options::SinkConfig::parse(options).map(|_| ())
}
