//! The schema pull queries see: every materialized view and derived stream,
//! resolved at planning time to a snapshot of its current state, and every
//! source stream, listed (so `pg_catalog` and `information_schema` show it
//! with its columns) but not readable: it keeps no rows. Sinks are not
//! relations: their rows are in their connectors.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use arrow::datatypes::SchemaRef;
use async_trait::async_trait;
use datafusion::catalog::{SchemaProvider, Session};
use datafusion::datasource::{MemTable, TableProvider, TableType};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::Expr;
use datafusion::physical_plan::ExecutionPlan;
use eddy_catalog::{Catalog, CatalogEntry, ObjectKind, StreamDef};

use crate::view::ViewState;

/// Views by name, shared with the engine.
pub type Views = Arc<RwLock<BTreeMap<String, Arc<ViewState>>>>;

/// The streams of `catalog` that read a connector.
pub(crate) fn source_streams(catalog: &Catalog) -> impl Iterator<Item = &StreamDef> {
    catalog.list(ObjectKind::Stream).filter_map(|entry| match entry {
        CatalogEntry::Stream(stream) if stream.query.is_none() => Some(stream),
        _ => None,
    })
}

/// A DataFusion schema over the engine's views and streams. Each lookup of
/// a view takes a consistent snapshot of it.
#[derive(Debug)]
pub struct ViewSchema {
    views: Views,
    catalog: Arc<RwLock<Catalog>>,
}

impl ViewSchema {
    pub fn new(views: Views, catalog: Arc<RwLock<Catalog>>) -> Self {
        ViewSchema { views, catalog }
    }

    fn is_sink(&self, name: &str) -> bool {
        matches!(self.catalog.read().expect("catalog lock").get(name), Some(CatalogEntry::Sink(_)))
    }

    fn source_stream(&self, name: &str) -> Option<SchemaRef> {
        let catalog = self.catalog.read().expect("catalog lock");
        let schema = source_streams(&catalog).find(|s| s.name == name).map(|s| s.schema.clone());
        schema
    }
}

#[async_trait]
impl SchemaProvider for ViewSchema {
    fn table_names(&self) -> Vec<String> {
        let mut names: Vec<String> =
            self.views.read().expect("views lock").keys().filter(|n| !self.is_sink(n)).cloned().collect();
        names.extend(source_streams(&self.catalog.read().expect("catalog lock")).map(|s| s.name.clone()));
        names
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        if self.is_sink(name) {
            return Ok(None);
        }
        let view = self.views.read().expect("views lock").get(name).cloned();
        match view {
            Some(view) => Ok(Some(Arc::new(MemTable::try_new(view.schema.clone(), vec![view.snapshot()])?))),
            None => Ok(self.source_stream(name).map(|schema| {
                Arc::new(SourceStreamTable { name: name.to_string(), schema }) as Arc<dyn TableProvider>
            })),
        }
    }

    fn table_exist(&self, name: &str) -> bool {
        !self.is_sink(name)
            && (self.views.read().expect("views lock").contains_key(name) || self.source_stream(name).is_some())
    }
}

/// A source stream in the pull context: its columns, no rows. The engine
/// refuses a pull query that reads one before it runs (with a hint); the
/// scan error is the last line of defence.
#[derive(Debug)]
pub(crate) struct SourceStreamTable {
    name: String,
    schema: SchemaRef,
}

#[async_trait]
impl TableProvider for SourceStreamTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        _projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Err(DataFusionError::Plan(format!("stream \"{}\" cannot be queried directly", self.name)))
    }
}
