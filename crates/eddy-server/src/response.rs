//! Statement results as pgwire responses: rows encoded by arrow-pg (text or
//! binary, per column as the client asked), command tags as they are.

use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use arrow_pg::datatypes::{arrow_schema_to_pg_fields, encode_recordbatch};
use eddy_runtime::StatementResult;
use futures::stream;
use pgwire::api::portal::Format;
use pgwire::api::results::{FieldInfo, QueryResponse, Response, Tag};
use pgwire::error::PgWireResult;
use pgwire::types::format::FormatOptions;

/// The row description of `schema` in `format`.
pub fn row_description(
    schema: &SchemaRef,
    format: &Format,
    options: Option<Arc<FormatOptions>>,
) -> PgWireResult<Vec<FieldInfo>> {
    arrow_schema_to_pg_fields(schema, format, options)
}

/// Rows as a query response; the tag becomes `SELECT n`.
pub fn rows(
    schema: &SchemaRef,
    batches: Vec<RecordBatch>,
    format: &Format,
    options: Arc<FormatOptions>,
) -> PgWireResult<Response> {
    let fields = Arc::new(row_description(schema, format, Some(options))?);
    let encoded = fields.clone();
    let data_rows = batches.into_iter().flat_map(move |batch| encode_recordbatch(encoded.clone(), batch));
    Ok(Response::Query(QueryResponse::new(fields, stream::iter(data_rows))))
}

/// The response for an engine result.
pub fn statement_result(
    result: StatementResult,
    format: &Format,
    options: Arc<FormatOptions>,
) -> PgWireResult<Response> {
    match result {
        StatementResult::Rows { schema, batches } => rows(&schema, batches, format, options),
        StatementResult::Command(tag) => Ok(Response::Execution(Tag::new(&tag))),
    }
}
