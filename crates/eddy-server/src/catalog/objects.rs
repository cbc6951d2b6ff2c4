//! `pg_catalog.eddy_objects`: what PostgreSQL's size and definition
//! functions answer about Eddy's relations and its database, by oid.
//!
//! A table, not functions: clients call `pg_table_size(c.oid)` for every
//! row of `pg_class` (psql's `\dt+`), the oids are datafusion-pg-catalog's
//! (known by scanning `pg_class`), and a view's state is read by scanning
//! it: both need a scan, which a scalar function cannot run. The server
//! rewrites each call into a lookup here (`crate::lookups`). The table is
//! not listed in `pg_class`: clients never see it.
//!
//! A row per relation of `pg_class` (`kind` `relation`) and per database
//! (`database`). `bytes` is an estimate of what the object holds: for a
//! materialized view or derived stream the Arrow memory of its current
//! state, 0 for a source stream (it keeps no rows) and for the catalog
//! tables (computed when read), and for the database the sum over its
//! relations. `definition` is a materialized view's defining query, as
//! `pg_get_viewdef` gives it (with PostgreSQL's closing `;`), NULL for any
//! other relation.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use async_trait::async_trait;
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::cast::as_string_array;
use datafusion::datasource::{MemTable, TableType};
use datafusion::error::Result;
use datafusion::logical_expr::Expr;
use datafusion::physical_plan::{collect, ExecutionPlan};
use eddy_runtime::{StatementResult, WeakEngine};

/// The table's name in `pg_catalog`.
pub(crate) const TABLE: &str = "eddy_objects";

/// [`TABLE`]: Eddy's relations and database with their sizes and view
/// definitions (see the module documentation).
#[derive(Debug)]
pub(crate) struct EddyObjects {
    /// `pg_class` as clients see it (materialized views are relkind `m`).
    pub(crate) classes: Arc<dyn TableProvider>,
    pub(crate) namespaces: Arc<dyn TableProvider>,
    pub(crate) databases: Arc<dyn TableProvider>,
    pub(crate) engine: WeakEngine,
}

fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("oid", DataType::Int32, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("bytes", DataType::Int64, false),
        Field::new("definition", DataType::Utf8, true),
    ]))
}

/// One row of [`TABLE`].
struct Object {
    oid: i32,
    kind: &'static str,
    name: String,
    bytes: i64,
    definition: Option<String>,
}

#[async_trait]
impl TableProvider for EddyObjects {
    fn schema(&self) -> SchemaRef {
        schema()
    }

    fn table_type(&self) -> TableType {
        TableType::View
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let mut objects = self.relations(state).await?;
        let total: i64 = objects.iter().map(|o| o.bytes).sum();
        for batch in rows(&self.databases, state).await? {
            let (oids, names) = (int_column(&batch, "oid")?, string_column(&batch, "datname")?);
            for (oid, name) in oids.iter().zip(names.iter()) {
                if let (Some(oid), Some(name)) = (oid, name) {
                    objects.push(Object {
                        oid,
                        kind: "database",
                        name: name.to_string(),
                        bytes: total,
                        definition: None,
                    });
                }
            }
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Int32Array::from_iter_values(objects.iter().map(|o| o.oid))),
            Arc::new(StringArray::from_iter_values(objects.iter().map(|o| o.kind))),
            Arc::new(StringArray::from_iter_values(objects.iter().map(|o| o.name.as_str()))),
            Arc::new(Int64Array::from_iter_values(objects.iter().map(|o| o.bytes))),
            Arc::new(StringArray::from_iter(objects.iter().map(|o| o.definition.as_deref()))),
        ];
        let batch = RecordBatch::try_new(schema(), columns)?;
        MemTable::try_new(schema(), vec![vec![batch]])?.scan(state, projection, filters, limit).await
    }
}

impl EddyObjects {
    /// A row per relation of `pg_class`; Eddy's own (those of `public`)
    /// with their sizes and definitions.
    async fn relations(&self, state: &dyn Session) -> Result<Vec<Object>> {
        let engine = self.engine.upgrade();
        let public = super::public_namespace(&self.namespaces, state).await?;
        let definitions: HashMap<String, String> = match &engine {
            Some(engine) => view_definitions(engine).await?,
            None => HashMap::new(),
        };
        let sources = engine.as_ref().map(|e| e.source_stream_names()).unwrap_or_default();
        let own = engine.as_ref().and_then(|e| e.pull_context().catalog(super::CATALOG)?.schema("public"));
        let mut objects = Vec::new();
        for batch in rows(&self.classes, state).await? {
            let oids = int_column(&batch, "oid")?;
            let names = string_column(&batch, "relname")?;
            let namespaces = int_column(&batch, "relnamespace")?;
            for row in 0..batch.num_rows() {
                if oids.is_null(row) || names.is_null(row) {
                    continue;
                }
                let (oid, name) = (oids.value(row), names.value(row));
                let mut object = Object { oid, kind: "relation", name: name.to_string(), bytes: 0, definition: None };
                let is_own = namespaces.is_valid(row) && Some(i64::from(namespaces.value(row))) == public;
                if let (true, Some(schema)) = (is_own, &own) {
                    object.definition = definitions.get(name).map(|d| format!("{d};"));
                    if !sources.iter().any(|s| s == name) {
                        if let Some(table) = schema.table(name).await? {
                            let plan = table.scan(state, None, &[], None).await?;
                            let batches = collect(plan, state.task_ctx()).await?;
                            object.bytes = batches.iter().map(|b| b.get_array_memory_size() as i64).sum();
                        }
                    }
                }
                objects.push(object);
            }
        }
        Ok(objects)
    }
}

/// Every row of a catalog table.
async fn rows(table: &Arc<dyn TableProvider>, state: &dyn Session) -> Result<Vec<RecordBatch>> {
    collect(table.scan(state, None, &[], None).await?, state.task_ctx()).await
}

/// The materialized views' defining queries, by name (`SHOW MATERIALIZED
/// VIEWS`).
async fn view_definitions(engine: &eddy_runtime::Engine) -> Result<HashMap<String, String>> {
    let shown = engine
        .execute("SHOW MATERIALIZED VIEWS")
        .await
        .map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?;
    let mut definitions = HashMap::new();
    for result in shown {
        let StatementResult::Rows { batches, .. } = result else { continue };
        for batch in batches {
            let (names, texts) = (string_column(&batch, "name")?, string_column(&batch, "definition")?);
            for (name, text) in names.iter().zip(texts.iter()) {
                if let (Some(name), Some(text)) = (name, text) {
                    definitions.insert(name.to_string(), text.to_string());
                }
            }
        }
    }
    Ok(definitions)
}

/// The column `name` of `batch` as 32-bit integers (oids).
fn int_column(batch: &RecordBatch, name: &str) -> Result<Int32Array> {
    let column = batch.column_by_name(name).ok_or_else(|| missing(name))?;
    Ok(arrow::compute::cast(column, &DataType::Int32)?.as_primitive::<arrow::datatypes::Int32Type>().clone())
}

/// The column `name` of `batch` as text.
fn string_column(batch: &RecordBatch, name: &str) -> Result<StringArray> {
    let column = batch.column_by_name(name).ok_or_else(|| missing(name))?;
    Ok(as_string_array(&arrow::compute::cast(column, &DataType::Utf8)?)?.clone())
}

fn missing(name: &str) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Internal(format!("a catalog table has no column \"{name}\""))
}
