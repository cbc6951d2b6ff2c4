//! Statements a connection answers itself, without the engine: `SET`,
//! `RESET`, `SHOW` of a setting, transaction control, `DISCARD`,
//! `DEALLOCATE`.
//!
//! Eddy has no transactions: queries read consistent view snapshots and DDL
//! takes effect at once. `BEGIN`, `COMMIT` and `ROLLBACK` are accepted
//! because drivers send them around everything; they only move the
//! transaction status the client sees.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;

use arrow::array::StringArray;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use futures::{Sink, SinkExt};
use pgwire::api::portal::Format;
use pgwire::api::results::{Response, Tag};
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::response::TransactionStatus;
use pgwire::messages::startup::ParameterStatus;
use pgwire::messages::PgWireBackendMessage;
use pgwire::types::format::FormatOptions;
use sqlparser::ast::{DiscardObject, Expr, Reset, Set, Statement, Value};

use crate::error::{sqlstate, user_error};
use crate::{response, settings};

/// The parameters a client connected with, kept so `RESET` and
/// `DISCARD ALL` can go back to them.
#[derive(Debug, Clone, Default)]
pub struct StartupParameters(pub HashMap<String, String>);

/// One statement about the session itself.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionCommand {
    /// `SET name = value`; `None` for `DEFAULT`.
    Set {
        name: String,
        value: Option<String>,
    },
    /// `RESET name`.
    Reset(String),
    /// `RESET ALL`.
    ResetAll,
    /// `SHOW name`.
    Show(String),
    /// `SHOW ALL`.
    ShowAll,
    Begin,
    Commit,
    Rollback,
    /// `DISCARD ALL` (connection poolers send it between clients).
    DiscardAll,
    /// `DEALLOCATE name`; `None` for `ALL`.
    Deallocate(Option<String>),
    /// Accepted and without effect: `SET TRANSACTION ...`, `SAVEPOINT`, ...
    NoOp(&'static str),
    /// `SELECT set_config(name, value, is_local)`: sets the parameter for
    /// the session (`is_local` false; with true it would last until the end
    /// of the transaction, and Eddy has none, so it changes nothing) and
    /// returns the value. `column` is the result column's name.
    SetConfig {
        name: String,
        value: String,
        is_local: bool,
        column: String,
    },
    /// `SELECT current_setting(name)`: the session's value of the parameter.
    CurrentSetting {
        name: String,
        column: String,
    },
}

impl SessionCommand {
    /// The session command `statement` is, if it is one.
    pub fn from_statement(statement: &Statement) -> PgWireResult<Option<SessionCommand>> {
        let command = match statement {
            Statement::Set(set) => return set_command(set).map(Some),
            Statement::Query(_) => return setting_function(statement),
            Statement::Reset(reset) => match &reset.reset {
                Reset::ALL => SessionCommand::ResetAll,
                Reset::ConfigurationParameter(name) => {
                    SessionCommand::Reset(settings::canonical_name(&name.to_string()))
                }
            },
            Statement::ShowVariable { variable } => {
                let words: Vec<&str> = variable.iter().map(|i| i.value.as_str()).collect();
                match settings::multi_word_name(&words.join(" ")) {
                    Some(name) => SessionCommand::Show(name.to_string()),
                    None if words.len() == 1 && words[0].eq_ignore_ascii_case("all") => SessionCommand::ShowAll,
                    // sqlparser splits `SHOW my.setting` into words.
                    None => SessionCommand::Show(settings::canonical_name(&words.join("."))),
                }
            }
            Statement::StartTransaction { statements, .. } if statements.is_empty() => SessionCommand::Begin,
            Statement::Commit { .. } => SessionCommand::Commit,
            Statement::Rollback { savepoint: None, .. } => SessionCommand::Rollback,
            Statement::Rollback { savepoint: Some(_), .. } => SessionCommand::NoOp("ROLLBACK"),
            Statement::Savepoint { .. } => SessionCommand::NoOp("SAVEPOINT"),
            Statement::ReleaseSavepoint { .. } => SessionCommand::NoOp("RELEASE"),
            Statement::Discard { object_type: DiscardObject::ALL } => SessionCommand::DiscardAll,
            Statement::Discard { object_type } => SessionCommand::NoOp(match object_type {
                DiscardObject::PLANS => "DISCARD PLANS",
                DiscardObject::SEQUENCES => "DISCARD SEQUENCES",
                _ => "DISCARD TEMP",
            }),
            Statement::Deallocate { name, .. } => {
                if name.quote_style.is_none() && name.value.eq_ignore_ascii_case("all") {
                    SessionCommand::Deallocate(None)
                } else {
                    SessionCommand::Deallocate(Some(name.value.clone()))
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(command))
    }

    /// The columns the command returns: one text column for `SHOW`.
    pub fn schema(&self) -> Option<SchemaRef> {
        match self {
            SessionCommand::Show(name)
            | SessionCommand::SetConfig { column: name, .. }
            | SessionCommand::CurrentSetting { column: name, .. } => {
                Some(Arc::new(Schema::new(vec![Field::new(name, DataType::Utf8, true)])))
            }
            SessionCommand::ShowAll => Some(Arc::new(Schema::new(vec![
                Field::new("name", DataType::Utf8, false),
                Field::new("setting", DataType::Utf8, false),
            ]))),
            _ => None,
        }
    }

    /// Runs the command for `client`'s session.
    pub async fn execute<C>(&self, client: &mut C, format: &Format) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let options = Arc::new(FormatOptions::from_client_metadata(client.metadata()));
        match self {
            SessionCommand::Set { name, value } => {
                let value = value.clone().or_else(|| startup_value(client, name));
                store(client, name, value).await?;
                Ok(Response::Execution(Tag::new("SET")))
            }
            SessionCommand::Reset(name) => {
                if settings::is_read_only(name) {
                    return Err(read_only(name));
                }
                let value = startup_value(client, name);
                store(client, name, value).await?;
                Ok(Response::Execution(Tag::new("RESET")))
            }
            SessionCommand::ResetAll => {
                restore_startup(client).await?;
                Ok(Response::Execution(Tag::new("RESET")))
            }
            SessionCommand::SetConfig { name, value, is_local, .. } => {
                if settings::is_read_only(name) {
                    return Err(read_only(name));
                }
                let value = checked_value(name, value)?;
                if !is_local {
                    store(client, name, Some(value.clone())).await?;
                }
                self.one_value(value, format, options)
            }
            SessionCommand::CurrentSetting { name, .. } | SessionCommand::Show(name) => {
                let value = settings::current_value(client.metadata(), name).ok_or_else(|| {
                    user_error(
                        sqlstate::UNDEFINED_OBJECT,
                        format!("unrecognized configuration parameter \"{name}\""),
                        None,
                    )
                })?;
                self.one_value(value, format, options)
            }
            SessionCommand::ShowAll => {
                let (names, values): (Vec<String>, Vec<String>) =
                    settings::all_values(client.metadata()).into_iter().unzip();
                let schema = self.schema().unwrap_or_else(|| Arc::new(Schema::empty()));
                let columns: Vec<arrow::array::ArrayRef> =
                    vec![Arc::new(StringArray::from(names)), Arc::new(StringArray::from(values))];
                let batch = RecordBatch::try_new(schema.clone(), columns).map_err(internal)?;
                response::rows(&schema, vec![batch], format, options)
            }
            SessionCommand::Begin => Ok(Response::TransactionStart(Tag::new("BEGIN"))),
            SessionCommand::Commit => {
                // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
                let failed = client.transaction_status() == TransactionStatus::Error;
                Ok(Response::TransactionEnd(Tag::new(if failed { "ROLLBACK" } else { "COMMIT" })))
            }
            SessionCommand::Rollback => Ok(Response::TransactionEnd(Tag::new("ROLLBACK"))),
            SessionCommand::DiscardAll => {
                restore_startup(client).await?;
                client.portal_store().clear_portals();
                Ok(Response::Execution(Tag::new("DISCARD ALL")))
            }
            SessionCommand::Deallocate(name) => {
                if let Some(name) = name {
                    client.portal_store().rm_statement(name);
                }
                Ok(Response::Execution(Tag::new("DEALLOCATE")))
            }
            SessionCommand::NoOp(tag) => Ok(Response::Execution(Tag::new(tag))),
        }
    }
}

impl SessionCommand {
    /// A one-row, one-column result of the command's schema.
    fn one_value(&self, value: String, format: &Format, options: Arc<FormatOptions>) -> PgWireResult<Response> {
        let schema = self.schema().unwrap_or_else(|| Arc::new(Schema::empty()));
        let column = Arc::new(StringArray::from(vec![value]));
        let batch = RecordBatch::try_new(schema.clone(), vec![column]).map_err(internal)?;
        response::rows(&schema, vec![batch], format, options)
    }
}

/// `SELECT set_config('name', 'value', is_local)` and `SELECT
/// current_setting('name')` as whole statements with literal arguments,
/// the way tools send them: session commands, since the settings belong to
/// the connection. Other uses of the functions are left to the engine.
fn setting_function(statement: &Statement) -> PgWireResult<Option<SessionCommand>> {
    use sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments, SelectItem, SetExpr};
    let Statement::Query(query) = statement else { return Ok(None) };
    let SetExpr::Select(select) = query.body.as_ref() else { return Ok(None) };
    if !select.from.is_empty() || select.selection.is_some() || select.projection.len() != 1 {
        return Ok(None);
    }
    let (expr, alias) = match &select.projection[0] {
        SelectItem::UnnamedExpr(expr) => (expr, None),
        SelectItem::ExprWithAlias { expr, alias } => (expr, Some(alias.value.clone())),
        _ => return Ok(None),
    };
    let Expr::Function(function) = expr else { return Ok(None) };
    let FunctionArguments::List(list) = &function.args else { return Ok(None) };
    let mut args = Vec::new();
    for arg in &list.args {
        let FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v))) = arg else { return Ok(None) };
        args.push(v.value.clone());
    }
    let function_name = eddy_sql::function_name(function);
    let text = |v: &Value| match v {
        Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s) => Some(s.clone()),
        _ => None,
    };
    let command = match (function_name.as_deref(), args.as_slice()) {
        (Some("set_config"), [name, value, Value::Boolean(is_local)]) => match (text(name), text(value)) {
            (Some(name), Some(value)) => SessionCommand::SetConfig {
                name: settings::canonical_name(&name),
                value,
                is_local: *is_local,
                column: alias.unwrap_or_else(|| "set_config".to_string()),
            },
            _ => return Ok(None),
        },
        (Some("current_setting"), [name]) => match text(name) {
            Some(name) => SessionCommand::CurrentSetting {
                name: settings::canonical_name(&name),
                column: alias.unwrap_or_else(|| "current_setting".to_string()),
            },
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    Ok(Some(command))
}

fn set_command(set: &Set) -> PgWireResult<SessionCommand> {
    let command = match set {
        Set::SingleAssignment { variable, values, .. } => assignment(&variable.to_string(), values)?,
        Set::MultipleAssignments { assignments } if assignments.len() == 1 => {
            assignment(&assignments[0].name.to_string(), std::slice::from_ref(&assignments[0].value))?
        }
        Set::SetTimeZone { value, .. } => assignment("TimeZone", std::slice::from_ref(value))?,
        Set::SetNames { charset_name, .. } => SessionCommand::Set {
            name: "client_encoding".to_string(),
            value: Some(checked_value("client_encoding", &charset_name.value)?),
        },
        Set::SetTransaction { .. } => SessionCommand::NoOp("SET"),
        Set::SetRole { .. } | Set::SetSessionAuthorization(_) | Set::SetSessionParam(_) => SessionCommand::NoOp("SET"),
        other => {
            return Err(user_error(
                eddy_common::sqlstate::FEATURE_NOT_SUPPORTED,
                format!("\"{other}\" is not supported"),
                Some("set one parameter at a time: SET name = value".to_string()),
            ))
        }
    };
    Ok(command)
}

fn assignment(name: &str, values: &[Expr]) -> PgWireResult<SessionCommand> {
    let name = settings::canonical_name(name);
    if settings::is_read_only(&name) {
        return Err(read_only(&name));
    }
    let is_default =
        matches!(values, [Expr::Identifier(i)] if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("default"));
    let value = if is_default {
        None
    } else {
        Some(checked_value(&name, &values.iter().map(value_text).collect::<Vec<_>>().join(", "))?)
    };
    Ok(SessionCommand::Set { name, value })
}

/// A `SET` value as PostgreSQL keeps it: string literals without quotes,
/// identifiers and numbers as written.
fn value_text(expr: &Expr) -> String {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) | Value::EscapedStringLiteral(s) => s.clone(),
            Value::Number(n, _) => n.to_string(),
            Value::Boolean(b) => if *b { "on" } else { "off" }.to_string(),
            other => other.to_string(),
        },
        Expr::Identifier(ident) => ident.value.clone(),
        other => other.to_string(),
    }
}

/// Refuses values Eddy cannot honour: it only speaks UTF8.
fn checked_value(name: &str, value: &str) -> PgWireResult<String> {
    let normalized = value.trim().to_uppercase().replace('-', "");
    if name == "client_encoding" && !matches!(normalized.as_str(), "UTF8" | "UNICODE") {
        return Err(user_error(
            eddy_common::sqlstate::INVALID_PARAMETER_VALUE,
            format!("invalid value for parameter \"client_encoding\": \"{value}\""),
            Some("Eddy sends and receives UTF8 only".to_string()),
        ));
    }
    Ok(if name == "client_encoding" { "UTF8".to_string() } else { value.to_string() })
}

fn read_only(name: &str) -> PgWireError {
    user_error(sqlstate::CANT_CHANGE_RUNTIME_PARAM, format!("parameter \"{name}\" cannot be changed"), None)
}

fn internal(e: arrow::error::ArrowError) -> PgWireError {
    user_error(eddy_common::sqlstate::INTERNAL_ERROR, e.to_string(), None)
}

/// The value `name` had when the session started (`None`: the default).
fn startup_value<C: ClientInfo>(client: &C, name: &str) -> Option<String> {
    let startup = client.session_extensions().get::<StartupParameters>()?;
    startup.0.get(&name.to_lowercase()).cloned()
}

/// Sets (or, for `None`, unsets) `name` for the session and reports the new
/// value when the client tracks it.
async fn store<C>(client: &mut C, name: &str, value: Option<String>) -> PgWireResult<()>
where
    C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    if settings::is_connection_parameter(name) {
        return Err(user_error(
            sqlstate::UNDEFINED_OBJECT,
            format!("unrecognized configuration parameter \"{name}\""),
            Some("the user and database are those the connection logged in with".to_string()),
        ));
    }
    let key = name.to_lowercase();
    match value {
        Some(value) => client.metadata_mut().insert(key, value),
        None => client.metadata_mut().remove(&key),
    };
    if let Some(reported) = settings::reported_name(name) {
        let current = settings::current_value(client.metadata(), name).unwrap_or_default();
        client.feed(PgWireBackendMessage::ParameterStatus(ParameterStatus::new(reported.to_string(), current))).await?;
    }
    Ok(())
}

/// Puts every setting back to what the session started with.
async fn restore_startup<C>(client: &mut C) -> PgWireResult<()>
where
    C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    let startup = client.session_extensions().get::<StartupParameters>().map(|s| s.0.clone()).unwrap_or_default();
    let changed: Vec<String> = client
        .metadata()
        .iter()
        .filter(|(key, value)| startup.get(*key) != Some(*value))
        .map(|(key, _)| key.clone())
        .collect();
    for key in changed {
        let value = startup.get(&key).cloned();
        store(client, &key, value).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(sql: &str) -> SessionCommand {
        let statements = eddy_sql::parse_statements(sql).unwrap();
        let eddy_sql::EddyStatement::Sql(statement) = &statements[0] else { panic!("{sql} is not SQL") };
        SessionCommand::from_statement(statement).unwrap().unwrap()
    }

    #[test]
    fn set_keeps_values_as_postgres_shows_them() {
        let set = |name: &str, value: &str| SessionCommand::Set { name: name.into(), value: Some(value.into()) };
        assert_eq!(command("SET extra_float_digits = 3"), set("extra_float_digits", "3"));
        assert_eq!(command("SET application_name TO 'psql x'"), set("application_name", "psql x"));
        assert_eq!(command("SET DateStyle = ISO, MDY"), set("DateStyle", "ISO, MDY"));
        assert_eq!(command("SET client_encoding = 'utf-8'"), set("client_encoding", "UTF8"));
        assert_eq!(command("SET TIME ZONE 'UTC'"), set("TimeZone", "UTC"));
        assert_eq!(
            command("SET search_path TO DEFAULT"),
            SessionCommand::Set { name: "search_path".into(), value: None }
        );
    }

    #[test]
    fn show_names_multi_word_settings() {
        assert_eq!(command("SHOW transaction isolation level"), SessionCommand::Show("transaction_isolation".into()));
        assert_eq!(command("SHOW server_version"), SessionCommand::Show("server_version".into()));
        assert_eq!(command("SHOW ALL"), SessionCommand::ShowAll);
        assert_eq!(command("SHOW eddy.custom"), SessionCommand::Show("eddy.custom".into()));
    }

    #[test]
    fn transaction_control_is_recognized() {
        assert_eq!(command("BEGIN"), SessionCommand::Begin);
        assert_eq!(command("START TRANSACTION ISOLATION LEVEL SERIALIZABLE"), SessionCommand::Begin);
        assert_eq!(command("COMMIT"), SessionCommand::Commit);
        assert_eq!(command("ROLLBACK"), SessionCommand::Rollback);
    }

    #[test]
    fn server_settings_cannot_be_set() {
        let statements = eddy_sql::parse_statements("SET server_version = '9.0'").unwrap();
        let eddy_sql::EddyStatement::Sql(statement) = &statements[0] else { panic!() };
        assert!(SessionCommand::from_statement(statement).is_err());
    }

    #[test]
    fn other_encodings_are_refused() {
        let statements = eddy_sql::parse_statements("SET client_encoding = 'LATIN1'").unwrap();
        let eddy_sql::EddyStatement::Sql(statement) = &statements[0] else { panic!() };
        assert!(SessionCommand::from_statement(statement).is_err());
    }
}
