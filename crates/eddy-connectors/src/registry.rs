//! The one list of connectors: option validation at CREATE time and opening
//! sources and sinks when a query starts.

use arrow::datatypes::SchemaRef;
use eddy_catalog::ConnectorOptions;

use crate::{ConnectorError, Sink, Source, SourceContext};

/// Checks a source's options when `CREATE STREAM` runs and returns the schema
/// the stream will have: the declared one, or the connector's own when the
/// statement declared no columns (`nexmark`).
pub fn validate_source(options: &ConnectorOptions, declared: SchemaRef) -> Result<SchemaRef, ConnectorError> {
    let _ = (options, declared);
    todo!("helper fills this in")
}

/// Opens the source of a stream for one running query.
pub fn open_source(
    options: &ConnectorOptions,
    schema: SchemaRef,
    ctx: SourceContext,
) -> Result<Box<dyn Source>, ConnectorError> {
    let _ = (options, schema, ctx);
    todo!("helper fills this in")
}

/// Checks a sink's options when `CREATE STREAM ... AS` or `CREATE SINK` runs.
pub fn validate_sink(options: &ConnectorOptions) -> Result<(), ConnectorError> {
    let _ = options;
    todo!("helper fills this in")
}

/// Opens a sink for one running query writing rows of `schema`.
pub async fn open_sink(options: &ConnectorOptions, schema: SchemaRef) -> Result<Box<dyn Sink>, ConnectorError> {
    let _ = (options, schema);
    todo!("helper fills this in")
}
