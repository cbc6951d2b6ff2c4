//! Statement results as pgwire responses: rows encoded by arrow-pg (text or
//! binary, per column as the client asked), command tags as they are.
//!
//! For floats, timestamps, times and intervals in text format the protocol
//! library's spelling differs from PostgreSQL's (`100.0`, `inf`,
//! `00:00:01.000000`, `-1 days 02:00:00`, `24:00:00` for a timestamp
//! difference of a day);
//! those columns are sent as [`format_column`] spells them, so psql, drivers
//! and `eddy run` show the same text PostgreSQL would.

use std::sync::Arc;

use arrow::array::{ArrayRef, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use arrow_pg::datatypes::{arrow_schema_to_pg_fields, encode_recordbatch};
use datafusion::execution::SendableRecordBatchStream;
use eddy_runtime::text::format_column;
use eddy_runtime::EngineError;
use eddy_runtime::StatementResult;
use futures::channel::oneshot;
use futures::future::{self, Either};
use futures::{stream, Stream, StreamExt};
use pgwire::api::ConnectionHandle;
use pgwire::messages::data::DataRow;

use crate::error::classified;
use pgwire::api::portal::Format;
use pgwire::api::results::{FieldInfo, QueryResponse, Response, Tag};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::types::format::FormatOptions;

/// The row description of `schema` in `format`.
pub fn row_description(
    schema: &SchemaRef,
    format: &Format,
    options: Option<Arc<FormatOptions>>,
) -> PgWireResult<Vec<FieldInfo>> {
    arrow_schema_to_pg_fields(&described(schema), format, options)
}

/// `schema` as its columns are described: a multidimensional array is
/// described as text (its value is PostgreSQL's text, `{{1,2},{3,4}}`;
/// PostgreSQL calls its type `integer[]`, which the protocol library can
/// neither name for it nor send).
fn described(schema: &SchemaRef) -> SchemaRef {
    let nested = |data_type: &DataType| match data_type {
        DataType::List(f) | DataType::LargeList(f) => {
            matches!(f.data_type(), DataType::List(_) | DataType::LargeList(_))
        }
        _ => false,
    };
    if !schema.fields().iter().any(|f| nested(f.data_type())) {
        return schema.clone();
    }
    let fields: Vec<Field> =
        schema
            .fields()
            .iter()
            .map(|f| {
                if nested(f.data_type()) {
                    f.as_ref().clone().with_data_type(DataType::Utf8)
                } else {
                    f.as_ref().clone()
                }
            })
            .collect();
    Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// Rows as a query response; the tag becomes `SELECT n`.
pub fn rows(
    schema: &SchemaRef,
    batches: Vec<RecordBatch>,
    format: &Format,
    options: Arc<FormatOptions>,
) -> PgWireResult<Response> {
    let fields = Arc::new(row_description(schema, format, Some(options.clone()))?);
    let postgres_text: Vec<usize> = (0..schema.fields().len())
        .filter(|&i| {
            spelled_by_eddy(schema.field(i).data_type(), &options)
                && (format.is_text(i) || is_nested(schema.field(i).data_type()))
        })
        .collect();
    let batches = if postgres_text.is_empty() {
        batches
    } else {
        batches.into_iter().map(|batch| with_postgres_text(batch, &postgres_text)).collect::<PgWireResult<_>>()?
    };
    let encoded = fields.clone();
    let data_rows = batches.into_iter().flat_map(move |batch| encode_recordbatch(encoded.clone(), batch));
    Ok(Response::Query(QueryResponse::new(fields, stream::iter(data_rows))))
}

/// A pull query's rows, computed batch by batch as they are sent (a large
/// result is never held whole). A cancel request for the connection
/// (`connection`) stops them between batches with 57014, as it stops a
/// statement still being planned.
pub fn streamed_rows(
    schema: &SchemaRef,
    batches: SendableRecordBatchStream,
    format: &Format,
    options: Arc<FormatOptions>,
    connection: Option<Arc<ConnectionHandle>>,
) -> PgWireResult<Response> {
    let fields = Arc::new(row_description(schema, format, Some(options.clone()))?);
    let postgres_text: Vec<usize> = (0..schema.fields().len())
        .filter(|&i| {
            spelled_by_eddy(schema.field(i).data_type(), &options)
                && (format.is_text(i) || is_nested(schema.field(i).data_type()))
        })
        .collect();
    let encoded = fields.clone();
    let data_rows = cancellable(batches, connection).flat_map(move |batch| {
        let batch = batch.and_then(|batch| match postgres_text.is_empty() {
            true => Ok(batch),
            false => with_postgres_text(batch, &postgres_text),
        });
        let rows: Box<dyn Iterator<Item = PgWireResult<DataRow>> + Send> = match batch {
            Ok(batch) => encode_recordbatch(encoded.clone(), batch),
            Err(e) => Box::new(std::iter::once(Err(e))),
        };
        stream::iter(rows)
    });
    Ok(Response::Query(QueryResponse::new(fields, data_rows)))
}

/// `batches`, ended by the first error, and by a cancel request for
/// `connection` once they are being read: a cancel request fires the
/// connection's current cancel channel, which pgwire listens to only while
/// the statement runs, so the first read installs one of its own.
fn cancellable(
    batches: SendableRecordBatchStream,
    connection: Option<Arc<ConnectionHandle>>,
) -> impl Stream<Item = PgWireResult<RecordBatch>> + Send + 'static {
    struct Reading {
        batches: SendableRecordBatchStream,
        connection: Option<Arc<ConnectionHandle>>,
        cancel: Option<oneshot::Receiver<()>>,
        done: bool,
    }
    let reading = Reading { batches, connection, cancel: None, done: false };
    stream::unfold(reading, |mut reading| async move {
        if reading.done {
            return None;
        }
        if let Some(connection) = reading.connection.take() {
            reading.cancel = Some(connection.start_query().await);
        }
        let Reading { batches, cancel, .. } = &mut reading;
        let next = match cancel.as_mut() {
            None => Some(batches.next().await),
            Some(cancelled) => match future::select(cancelled, batches.next()).await {
                Either::Left((Ok(()), _)) => None,
                // The channel was replaced (the connection's next statement):
                // no cancel request reaches these rows any more.
                Either::Left((Err(_), next)) => {
                    let next = next.await;
                    *cancel = None;
                    Some(next)
                }
                Either::Right((next, _)) => Some(next),
            },
        };
        match next {
            None => {
                reading.done = true;
                Some((Err(PgWireError::QueryCanceled), reading))
            }
            Some(None) => None,
            Some(Some(Ok(batch))) => Some((Ok(batch), reading)),
            Some(Some(Err(e))) => {
                reading.done = true;
                Some((Err(classified(&EngineError::from(e))), reading))
            }
        }
    })
}

/// Whether a text column of `data_type` is sent as Eddy spells it: only
/// while the session asks for PostgreSQL's defaults (ISO dates, shortest
/// floats); other styles are left to the protocol library.
fn spelled_by_eddy(data_type: &DataType, options: &FormatOptions) -> bool {
    match data_type {
        DataType::Float16 | DataType::Float32 | DataType::Float64 => options.extra_float_digits >= 1,
        DataType::Timestamp(..) | DataType::Time32(_) | DataType::Time64(_) => options.date_style.starts_with("ISO"),
        DataType::Duration(_) | DataType::Interval(_) => options.interval_style == "postgres",
        // The protocol library spells numerics through a 28-digit decimal:
        // a numeric(38, s) value beyond that would fail to send.
        DataType::Decimal128(..) | DataType::Decimal256(..) => true,
        // Nested arrays: the protocol library cannot spell them.
        DataType::List(f) | DataType::LargeList(f) => {
            matches!(f.data_type(), DataType::List(_) | DataType::LargeList(_))
        }
        _ => false,
    }
}

/// A multidimensional array: sent as text in either format ([`described`]).
fn is_nested(data_type: &DataType) -> bool {
    matches!(data_type, DataType::List(f) | DataType::LargeList(f) if matches!(f.data_type(), DataType::List(_) | DataType::LargeList(_)))
}

/// `batch` with the `columns` replaced by their PostgreSQL text.
fn with_postgres_text(batch: RecordBatch, columns: &[usize]) -> PgWireResult<RecordBatch> {
    let mut fields: Vec<Field> = batch.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut arrays: Vec<ArrayRef> = batch.columns().to_vec();
    for &i in columns {
        let text = format_column(&arrays[i]).map_err(|e| PgWireError::ApiError(Box::new(e)))?;
        arrays[i] = Arc::new(StringArray::from(text));
        fields[i] = Field::new(fields[i].name(), DataType::Utf8, true);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(|e| PgWireError::ApiError(Box::new(e)))
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
