//! The query handlers: the simple protocol (`Query`: text, possibly many
//! statements) and the extended protocol (`Parse`/`Bind`/`Describe`/
//! `Execute`) over one engine.
//!
//! pgwire drives the protocol: it sends the row description of a portal at
//! `Describe` (from [`Prepared::schema`], before any row exists), stops a
//! running statement on a `CancelRequest`, and turns an `Err` into an
//! `ErrorResponse` (skipping to `Sync` in the extended protocol).

use std::fmt::Debug;
use std::sync::Arc;

use arrow_pg::datatypes::df::deserialize_parameters;
use async_trait::async_trait;
use datafusion::common::ParamValues;
use eddy_runtime::{Engine, StreamingResult};
use futures::Sink;
use pgwire::api::portal::{Format, Portal};
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::results::Response;
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, ConnectionHandle};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::types::format::FormatOptions;

use crate::error::{classified, error_info, sqlstate, user_error};
use crate::response;
use crate::statement::{parameter_hints, same_columns, Identity, Parsed, Prepared, StatementParser};

/// Runs statements for every connection.
pub struct QueryService {
    engine: Engine,
    parser: Arc<StatementParser>,
}

impl QueryService {
    pub fn new(engine: Engine) -> Self {
        QueryService { parser: Arc::new(StatementParser::new(engine.clone())), engine }
    }

    /// Runs one parsed statement of a simple query. The rows of the last
    /// statement are streamed; earlier statements' are computed before the
    /// next statement runs, so an error stops the rest, as in PostgreSQL.
    async fn run<C>(&self, client: &mut C, parsed: &Parsed, last: bool) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        match parsed {
            Parsed::Session(command) => command.execute(client, &Format::UnifiedText).await,
            Parsed::Engine(statement) if last => {
                let result =
                    self.engine.execute_streaming(statement.clone(), Vec::new()).await.map_err(|e| classified(&e))?;
                streamed(client, result, &Format::UnifiedText)
            }
            Parsed::Engine(statement) => {
                let result = self.engine.execute_statement(statement.clone()).await.map_err(|e| classified(&e))?;
                response::statement_result(result, &Format::UnifiedText, format_options(client))
            }
        }
    }
}

/// The response for a statement's result, its rows streamed and
/// cancellable ([`response::streamed_rows`]).
fn streamed<C: ClientInfo>(client: &C, result: StreamingResult, format: &Format) -> PgWireResult<Response> {
    match result {
        StreamingResult::Rows { schema, stream } => {
            let connection = client.session_extensions().get::<Arc<ConnectionHandle>>().map(|c| c.as_ref().clone());
            response::streamed_rows(&schema, stream, format, format_options(client), connection)
        }
        StreamingResult::Done(result) => response::statement_result(result, format, format_options(client)),
    }
}

fn format_options<C: ClientInfo>(client: &C) -> Arc<FormatOptions> {
    Arc::new(FormatOptions::from_client_metadata(client.metadata()))
}

#[async_trait]
impl SimpleQueryHandler for QueryService {
    /// Runs the statements in order and stops at the first error, which
    /// ends the list of responses (as in PostgreSQL).
    async fn do_query<C>(&self, client: &mut C, query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        tracing::debug!(query, "simple query");
        let statements = self.parser.parse(query, &Identity::of(client))?;
        if statements.is_empty() {
            return Ok(vec![Response::EmptyQuery]);
        }
        let mut responses = Vec::with_capacity(statements.len());
        for (i, parsed) in statements.iter().enumerate() {
            match self.run(client, parsed, i + 1 == statements.len()).await {
                Ok(response) => responses.push(response),
                Err(e) => {
                    responses.push(Response::Error(error_info(e)));
                    break;
                }
            }
        }
        Ok(responses)
    }
}

#[async_trait]
impl ExtendedQueryHandler for QueryService {
    type Statement = Prepared;
    type QueryParser = StatementParser;

    fn query_parser(&self) -> Arc<StatementParser> {
        self.parser.clone()
    }

    async fn do_query<C>(&self, client: &mut C, portal: &Portal<Prepared>, _max_rows: usize) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let prepared = &portal.statement.statement;
        let expected = prepared.parameters.len();
        if portal.parameter_len() != expected {
            return Err(user_error(
                sqlstate::PROTOCOL_VIOLATION,
                format!(
                    "bind message supplies {} parameters, but prepared statement \"{}\" requires {expected}",
                    portal.parameter_len(),
                    portal.statement.id
                ),
                None,
            ));
        }
        match &prepared.parsed {
            Parsed::Session(command) => command.execute(client, &portal.result_column_format).await,
            Parsed::Engine(statement) => {
                let params = match deserialize_parameters(portal, &parameter_hints(prepared))? {
                    ParamValues::List(values) => values.into_iter().map(|v| v.value).collect(),
                    ParamValues::Map(_) => Vec::new(),
                };
                let result =
                    self.engine.execute_streaming(statement.clone(), params).await.map_err(|e| classified(&e))?;
                if let (Some(promised), StreamingResult::Rows { schema, .. }) = (&prepared.schema, &result) {
                    if !same_columns(promised, schema) {
                        return Err(user_error(
                            eddy_common::sqlstate::FEATURE_NOT_SUPPORTED,
                            "cached plan must not change result type",
                            Some("a view it reads was replaced; prepare the statement again".to_string()),
                        ));
                    }
                }
                streamed(client, result, &portal.result_column_format)
            }
        }
    }
}
