//! The DataFusion `ContextProvider` over Eddy's catalog.
//!
//! Functions come from a DataFusion `SessionState`; tables are the catalog's
//! streams and views plus the window tables a query's `FROM` introduced.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use arrow::datatypes::{DataType, SchemaRef};
use datafusion::common::TableReference;
use datafusion::config::ConfigOptions;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::SessionState;
use datafusion::logical_expr::planner::{ContextProvider, ExprPlanner};
use datafusion::logical_expr::{AggregateUDF, HigherOrderUDF, LogicalTableSource, ScalarUDF, TableSource, WindowUDF};
use eddy_catalog::Catalog;

/// Resolves names while one statement is planned. Remembers the first name
/// it could not resolve, so the planner can report it as Eddy's own error.
pub(crate) struct CatalogContext<'a> {
    state: &'a SessionState,
    catalog: &'a Catalog,
    extra: HashMap<String, SchemaRef>,
    pub(crate) missing: RefCell<Option<String>>,
}

impl<'a> CatalogContext<'a> {
    pub(crate) fn new(state: &'a SessionState, catalog: &'a Catalog, extra: HashMap<String, SchemaRef>) -> Self {
        CatalogContext { state, catalog, extra, missing: RefCell::new(None) }
    }
}

impl ContextProvider for CatalogContext<'_> {
    fn get_table_source(&self, name: TableReference) -> Result<Arc<dyn TableSource>> {
        let table = name.table();
        let schema = match self.extra.get(table) {
            Some(schema) => Some(schema.clone()),
            None => self.catalog.get(table).and_then(|entry| entry.schema()),
        };
        match schema {
            Some(schema) if name.schema().is_none() => Ok(Arc::new(LogicalTableSource::new(schema))),
            _ => {
                self.missing.borrow_mut().get_or_insert_with(|| name.to_string());
                Err(DataFusionError::Plan(format!("\"{name}\" does not exist")))
            }
        }
    }

    fn get_expr_planners(&self) -> &[Arc<dyn ExprPlanner>] {
        self.state.expr_planners()
    }

    fn get_function_meta(&self, name: &str) -> Option<Arc<ScalarUDF>> {
        self.state.scalar_functions().get(name).cloned()
    }

    fn get_higher_order_meta(&self, name: &str) -> Option<Arc<HigherOrderUDF>> {
        self.state.higher_order_functions().get(name).cloned()
    }

    fn get_aggregate_meta(&self, name: &str) -> Option<Arc<AggregateUDF>> {
        self.state.aggregate_functions().get(name).cloned()
    }

    fn get_window_meta(&self, name: &str) -> Option<Arc<WindowUDF>> {
        self.state.window_functions().get(name).cloned()
    }

    fn get_variable_type(&self, _variable_names: &[String]) -> Option<DataType> {
        None
    }

    fn options(&self) -> &ConfigOptions {
        self.state.config_options()
    }

    fn udf_names(&self) -> Vec<String> {
        self.state.scalar_functions().keys().cloned().collect()
    }

    fn higher_order_function_names(&self) -> Vec<String> {
        self.state.higher_order_functions().keys().cloned().collect()
    }

    fn udaf_names(&self) -> Vec<String> {
        self.state.aggregate_functions().keys().cloned().collect()
    }

    fn udwf_names(&self) -> Vec<String> {
        self.state.window_functions().keys().cloned().collect()
    }
}
