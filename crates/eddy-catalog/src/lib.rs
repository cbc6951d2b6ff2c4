//! The catalog: every named object a user declared — streams, materialized
//! views, sinks — with its schema, options and the SQL that defined it.
//!
//! The SQL planner resolves names here; the runtime starts one query per
//! derived object. Entry point: [`Catalog`].

mod catalog;
mod entry;
mod error;

pub use catalog::Catalog;
pub use entry::{
    CatalogEntry, ConnectorOptions, MetadataColumn, ObjectKind, SinkDef, StreamDef, ViewDef, WatermarkDef,
};
pub use error::CatalogError;
