//! The schema pull queries see: every materialized view and derived stream,
//! resolved at planning time to a snapshot of its current state.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use datafusion::catalog::SchemaProvider;
use datafusion::datasource::{MemTable, TableProvider};
use datafusion::error::Result;

use crate::view::ViewState;

/// Views by name, shared with the engine.
pub type Views = Arc<RwLock<BTreeMap<String, Arc<ViewState>>>>;

/// A DataFusion schema over the engine's views. Each lookup takes a
/// consistent snapshot of that view.
#[derive(Debug)]
pub struct ViewSchema {
    views: Views,
}

impl ViewSchema {
    pub fn new(views: Views) -> Self {
        ViewSchema { views }
    }
}

#[async_trait]
impl SchemaProvider for ViewSchema {
    fn table_names(&self) -> Vec<String> {
        self.views.read().expect("views lock").keys().cloned().collect()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        let view = self.views.read().expect("views lock").get(name).cloned();
        match view {
            None => Ok(None),
            Some(view) => Ok(Some(Arc::new(MemTable::try_new(view.schema.clone(), vec![view.snapshot()])?))),
        }
    }

    fn table_exist(&self, name: &str) -> bool {
        self.views.read().expect("views lock").contains_key(name)
    }
}
