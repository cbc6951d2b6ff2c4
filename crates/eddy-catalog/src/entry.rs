//! What the catalog stores about each object.

use std::collections::BTreeMap;
use std::fmt;

use arrow::datatypes::SchemaRef;

/// The kinds of named objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Stream,
    MaterializedView,
    Sink,
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::Stream => "stream",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Sink => "sink",
        })
    }
}

/// `WITH (...)` options of a stream or sink: the connector name and the rest,
/// keys lower-cased, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConnectorOptions {
    pub connector: String,
    pub options: BTreeMap<String, String>,
    /// Connector metadata exposed as columns (`INCLUDE partition AS p`), in
    /// the order they follow the declared columns.
    pub metadata: Vec<MetadataColumn>,
}

/// `INCLUDE kind [AS column]`: a piece of connector metadata (a Kafka
/// record's key, partition, offset, timestamp or headers) as a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataColumn {
    /// What is included, lower-cased (`key`, `partition`, ...).
    pub kind: String,
    /// The column's name.
    pub column: String,
}

/// `WATERMARK FOR column AS expr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatermarkDef {
    /// The event-time column.
    pub column: String,
    /// The SQL text of the watermark expression, evaluated per row.
    pub expr: String,
}

/// A stream: either a source over a connector, or derived by a continuous
/// query whose results go to its connector.
#[derive(Debug, Clone)]
pub struct StreamDef {
    pub name: String,
    pub schema: SchemaRef,
    pub watermark: Option<WatermarkDef>,
    pub connector: ConnectorOptions,
    /// The defining `SELECT` for a derived stream.
    pub query: Option<String>,
    /// The statement as the user wrote it.
    pub sql: String,
}

/// A materialized view: a continuous query whose result is kept queryable.
#[derive(Debug, Clone)]
pub struct ViewDef {
    pub name: String,
    pub schema: SchemaRef,
    pub query: String,
    pub sql: String,
}

/// A sink: writes an existing stream or view to a connector.
#[derive(Debug, Clone)]
pub struct SinkDef {
    pub name: String,
    pub from: String,
    pub connector: ConnectorOptions,
    pub sql: String,
}

/// One catalog entry.
#[derive(Debug, Clone)]
pub enum CatalogEntry {
    Stream(StreamDef),
    View(ViewDef),
    Sink(SinkDef),
}

impl CatalogEntry {
    pub fn name(&self) -> &str {
        match self {
            CatalogEntry::Stream(s) => &s.name,
            CatalogEntry::View(v) => &v.name,
            CatalogEntry::Sink(s) => &s.name,
        }
    }

    pub fn kind(&self) -> ObjectKind {
        match self {
            CatalogEntry::Stream(_) => ObjectKind::Stream,
            CatalogEntry::View(_) => ObjectKind::MaterializedView,
            CatalogEntry::Sink(_) => ObjectKind::Sink,
        }
    }

    /// The schema of rows this object produces (sinks produce none).
    pub fn schema(&self) -> Option<SchemaRef> {
        match self {
            CatalogEntry::Stream(s) => Some(s.schema.clone()),
            CatalogEntry::View(v) => Some(v.schema.clone()),
            CatalogEntry::Sink(_) => None,
        }
    }

    pub fn sql(&self) -> &str {
        match self {
            CatalogEntry::Stream(s) => &s.sql,
            CatalogEntry::View(v) => &v.sql,
            CatalogEntry::Sink(s) => &s.sql,
        }
    }
}
