//! The statements Eddy understands on top of standard SQL.

use std::fmt;

use eddy_catalog::ObjectKind;
use sqlparser::ast::{ColumnDef, Expr, Ident, Query, Statement};

/// One parsed statement.
#[derive(Debug, Clone, PartialEq)]
pub enum EddyStatement {
    CreateStream(Box<CreateStream>),
    CreateMaterializedView(CreateMaterializedView),
    CreateSink(CreateSink),
    Drop {
        kind: ObjectKind,
        if_exists: bool,
        name: String,
    },
    Show(ShowObjects),
    Describe(String),
    Explain(Box<EddyStatement>),
    Flush,
    /// Anything else: handed to DataFusion (pull queries, `SET`, ...).
    Sql(Box<Statement>),
}

/// `CREATE STREAM name [(columns, WATERMARK FOR ...)] WITH (...) [AS query]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateStream {
    pub name: String,
    pub if_not_exists: bool,
    pub columns: Vec<ColumnDef>,
    pub watermark: Option<WatermarkClause>,
    /// `INCLUDE kind [AS column]` clauses: connector metadata as columns.
    pub includes: Vec<IncludeClause>,
    pub options: Vec<(String, String)>,
    pub query: Option<Box<Query>>,
}

/// `INCLUDE kind [AS column]`.
#[derive(Debug, Clone, PartialEq)]
pub struct IncludeClause {
    /// Lower-cased kind (`key`, `partition`, `offset`, `timestamp`, `headers`).
    pub kind: String,
    pub alias: Option<String>,
}

/// `WATERMARK FOR column AS expr`.
#[derive(Debug, Clone, PartialEq)]
pub struct WatermarkClause {
    pub column: Ident,
    pub expr: Expr,
}

/// `CREATE MATERIALIZED VIEW [IF NOT EXISTS] name AS query`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateMaterializedView {
    pub name: String,
    pub if_not_exists: bool,
    pub query: Box<Query>,
}

/// `CREATE SINK name FROM object WITH (...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateSink {
    pub name: String,
    pub if_not_exists: bool,
    pub from: String,
    pub options: Vec<(String, String)>,
}

/// What a `SHOW` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowObjects {
    Streams,
    MaterializedViews,
    Sinks,
    Queries,
}

pub use eddy_pg::names::{function_name, normalize_ident, normalize_name};

fn write_options(f: &mut fmt::Formatter<'_>, options: &[(String, String)]) -> fmt::Result {
    write!(f, " WITH (")?;
    for (i, (key, value)) in options.iter().enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        write!(f, "{key} = '{}'", value.replace('\'', "''"))?;
    }
    write!(f, ")")
}

impl fmt::Display for EddyStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EddyStatement::CreateStream(s) => {
                write!(f, "CREATE STREAM {}", s.name)?;
                if !s.columns.is_empty() || s.watermark.is_some() {
                    let mut parts: Vec<String> = s.columns.iter().map(|c| c.to_string()).collect();
                    if let Some(w) = &s.watermark {
                        parts.push(format!("WATERMARK FOR {} AS {}", w.column, w.expr));
                    }
                    write!(f, " ({})", parts.join(", "))?;
                }
                for include in &s.includes {
                    write!(f, " INCLUDE {}", include.kind)?;
                    if let Some(alias) = &include.alias {
                        write!(f, " AS {alias}")?;
                    }
                }
                write_options(f, &s.options)?;
                if let Some(q) = &s.query {
                    write!(f, " AS {q}")?;
                }
                Ok(())
            }
            EddyStatement::CreateMaterializedView(v) => {
                write!(f, "CREATE MATERIALIZED VIEW {} AS {}", v.name, v.query)
            }
            EddyStatement::CreateSink(s) => {
                write!(f, "CREATE SINK {} FROM {}", s.name, s.from)?;
                write_options(f, &s.options)
            }
            EddyStatement::Drop { kind, if_exists, name } => {
                let kind = kind.to_string().to_uppercase();
                let if_exists = if *if_exists { " IF EXISTS" } else { "" };
                write!(f, "DROP {kind}{if_exists} {name}")
            }
            EddyStatement::Show(what) => write!(
                f,
                "SHOW {}",
                match what {
                    ShowObjects::Streams => "STREAMS",
                    ShowObjects::MaterializedViews => "MATERIALIZED VIEWS",
                    ShowObjects::Sinks => "SINKS",
                    ShowObjects::Queries => "QUERIES",
                }
            ),
            EddyStatement::Describe(name) => write!(f, "DESCRIBE {name}"),
            EddyStatement::Explain(inner) => write!(f, "EXPLAIN {inner}"),
            EddyStatement::Flush => write!(f, "FLUSH"),
            EddyStatement::Sql(s) => write!(f, "{s}"),
        }
    }
}
