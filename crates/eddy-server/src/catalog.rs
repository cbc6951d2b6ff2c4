//! `pg_catalog`, `information_schema` and the Postgres functions clients
//! call, installed on the engine's pull-query context.
//!
//! Materialized views are relkind `m` in `pg_class` (psql's `\dm`, pgJDBC's
//! `MATERIALIZED VIEW` table type), which datafusion-pg-catalog cannot say
//! by itself: its `pg_class` is wrapped ([`EddyPgCatalog`]) and the relkind
//! of each materialized view set at every scan.
//!
//! Installed once per process: datafusion-pg-catalog hands out object ids as
//! it first sees each relation, so one shared instance keeps a view's oid the
//! same for every connection (psql's `\d name` looks a relation up by oid in
//! a second query).
//!
//! Beside the tables clients read, a hidden one ([`objects`]) answers the
//! catalog functions that need a scan (sizes, view definitions): the server
//! rewrites those calls into lookups (`crate::lookups`). Functions of
//! PostgreSQL's fixed catalog rows (visibility, function signatures) are
//! answered from those rows ([`functions`]).

mod functions;
mod objects;
mod size_pretty;

use std::sync::Arc;

use std::collections::HashSet;

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use arrow::datatypes::{DataType, SchemaRef};
use arrow_pg::datatypes::into_pg_type;
use async_trait::async_trait;
use datafusion::catalog::{SchemaProvider, Session, TableProvider};
use datafusion::common::cast::as_string_array;
use datafusion::datasource::{MemTable, TableType};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::Expr;
use datafusion::logical_expr::{
    create_udf, ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::physical_plan::{collect, ExecutionPlan};
use datafusion::scalar::ScalarValue;
use datafusion_pg_catalog::pg_catalog::context::EmptyContextProvider;
use datafusion_pg_catalog::pg_catalog::PgCatalogStaticTables;
use datafusion_pg_catalog::setup_pg_catalog;
use eddy_runtime::{Engine, WeakEngine};

use crate::settings::{all_values, default_value, version_text};
use eddy_runtime::postgres::columnar;

/// The catalog (Postgres: database) pull queries resolve names in.
const CATALOG: &str = eddy_sql::DATABASE;

/// The hidden table of relation and database sizes and view definitions.
pub(crate) const OBJECTS_TABLE: &str = objects::TABLE;

/// Adds `pg_catalog`, `information_schema`, `version()`,
/// `current_setting()` and the `*_description()` functions to the engine's
/// pull context. Does nothing when it already has them.
pub fn install(engine: &Engine) -> Result<()> {
    let ctx = engine.pull_context();
    let installed = ctx.catalog(CATALOG).is_some_and(|c| c.schema("pg_catalog").is_some());
    if installed {
        return Ok(());
    }
    ctx.state_ref().write().config_mut().options_mut().catalog.information_schema = true;
    setup_pg_catalog(ctx, CATALOG, EmptyContextProvider).map_err(|e| *e)?;
    let catalog = ctx.catalog(CATALOG).ok_or_else(|| DataFusionError::Internal("no catalog".into()))?;
    let inner = catalog.schema("pg_catalog").ok_or_else(|| DataFusionError::Internal("no pg_catalog".into()))?;
    catalog.register_schema("pg_catalog", Arc::new(EddyPgCatalog { inner, engine: engine.downgrade() }))?;
    ctx.register_udf(version());
    ctx.register_udf(sql_type_name());
    ctx.register_udf(ExpandVector::udf());
    ctx.register_udf(current_setting());
    ctx.register_udf(ScalarUDF::new_from_impl(JsonBuildObject::new()));
    for udf in functions::udfs(&PgCatalogStaticTables::try_new()?)? {
        ctx.register_udf(udf);
    }
    ctx.register_udf(size_pretty::udf());
    ctx.register_udf(encoding_name());
    ctx.register_udf(is_materialized_view(engine.downgrade()));
    for name in [
        "obj_description",
        "col_description",
        "shobj_description",
        "pg_get_serial_sequence",
        "pg_get_indexdef",
        "pg_get_ruledef",
    ] {
        ctx.register_udf(Constant::udf(name, ScalarValue::Utf8(None)));
    }
    ctx.register_udf(Constant::udf("pg_has_role", ScalarValue::Boolean(Some(true))));
    Ok(())
}

/// datafusion-pg-catalog's `pg_catalog` with `pg_class` patched.
#[derive(Debug)]
struct EddyPgCatalog {
    inner: Arc<dyn SchemaProvider>,
    engine: WeakEngine,
}

#[async_trait]
impl SchemaProvider for EddyPgCatalog {
    fn table_names(&self) -> Vec<String> {
        self.inner.table_names()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        let table = self.inner.table(name).await?;
        let name = name.to_ascii_lowercase();
        let inner = |name: &'static str| self.inner.table(name);
        let required = |table: Option<Arc<dyn TableProvider>>, name: &str| {
            table.ok_or_else(|| DataFusionError::Internal(format!("datafusion-pg-catalog has no {name}")))
        };
        Ok(match (name.as_str(), table) {
            ("pg_class", Some(table)) => {
                Some(Arc::new(PgClass::new(table, inner("pg_namespace").await?, &self.engine)))
            }
            ("pg_settings", Some(table)) => Some(pg_settings(table.schema())?),
            ("pg_database", Some(table)) => Some(Arc::new(OnlyEddyDatabase { inner: table })),
            ("pg_index", Some(table)) => Some(no_indexes(&table.schema())?),
            ("pg_constraint", Some(table)) => Some(Arc::new(ArrayColumns::new(table, CONSTRAINT_ARRAYS))),
            ("pg_namespace", Some(table)) => Some(Arc::new(ArrayColumns::new(table, NAMESPACE_ARRAYS))),
            ("pg_attribute", Some(table)) => Some(Arc::new(PgAttribute {
                inner: table,
                classes: required(self.table("pg_class").await?, "pg_class")?,
            })),
            (objects::TABLE, _) => Some(Arc::new(objects::EddyObjects {
                classes: required(self.table("pg_class").await?, "pg_class")?,
                namespaces: required(inner("pg_namespace").await?, "pg_namespace")?,
                databases: required(inner("pg_database").await?, "pg_database")?,
                engine: self.engine.clone(),
            })),
            (_, other) => other,
        })
    }

    /// Also the hidden table, which [`Self::table_names`] does not list.
    fn table_exist(&self, name: &str) -> bool {
        self.inner.table_exist(name) || name.eq_ignore_ascii_case(objects::TABLE)
    }
}

/// `pg_database` with Eddy's one database only (`\\l` lists `eddy`, not
/// the `postgres` database datafusion-pg-catalog also describes): its scan
/// filters on `datname`.
#[derive(Debug)]
struct OnlyEddyDatabase {
    inner: Arc<dyn TableProvider>,
}

#[async_trait]
impl TableProvider for OnlyEddyDatabase {
    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }

    fn table_type(&self) -> datafusion::datasource::TableType {
        self.inner.table_type()
    }

    async fn scan(
        &self,
        state: &dyn datafusion::catalog::Session,
        projection: Option<&Vec<usize>>,
        _filters: &[datafusion::logical_expr::Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn datafusion::physical_plan::ExecutionPlan>> {
        use datafusion::physical_expr::expressions::{col, lit, BinaryExpr};
        use datafusion::physical_plan::filter::FilterExec;
        use datafusion::physical_plan::projection::ProjectionExec;
        let schema = self.inner.schema();
        let all = self.inner.scan(state, None, &[], None).await?;
        let predicate = Arc::new(BinaryExpr::new(
            col("datname", &schema)?,
            datafusion::logical_expr::Operator::Eq,
            lit(eddy_sql::DATABASE),
        ));
        let filtered: Arc<dyn datafusion::physical_plan::ExecutionPlan> =
            Arc::new(FilterExec::try_new(predicate, all)?);
        let projected: Arc<dyn datafusion::physical_plan::ExecutionPlan> = match projection {
            None => filtered,
            Some(columns) => {
                let exprs: Vec<(Arc<dyn datafusion::physical_plan::PhysicalExpr>, String)> = columns
                    .iter()
                    .map(|&i| Ok((col(schema.field(i).name(), &schema)?, schema.field(i).name().clone())))
                    .collect::<Result<_>>()?;
                Arc::new(ProjectionExec::try_new(exprs, filtered)?)
            }
        };
        Ok(match limit {
            None => projected,
            Some(n) => Arc::new(datafusion::physical_plan::limit::GlobalLimitExec::new(projected, 0, Some(n))),
        })
    }
}

/// `pg_settings` with a row per setting Eddy knows, with its server
/// default (a session's own `SET` values are answered by `SHOW`), in the
/// columns datafusion-pg-catalog declares; the columns Eddy has nothing for
/// are NULL.
fn pg_settings(schema: SchemaRef) -> Result<Arc<dyn TableProvider>> {
    let settings = all_values(&std::collections::HashMap::new());
    let columns = schema
        .fields()
        .iter()
        .map(|field| match field.name().as_str() {
            "name" => Arc::new(StringArray::from_iter_values(settings.iter().map(|(n, _)| n))) as ArrayRef,
            "setting" | "reset_val" => Arc::new(StringArray::from_iter_values(settings.iter().map(|(_, v)| v))),
            "source" => Arc::new(StringArray::from_iter_values(settings.iter().map(|_| "default"))),
            _ => arrow::array::new_null_array(field.data_type(), settings.len()),
        })
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    Ok(Arc::new(MemTable::try_new(schema, vec![vec![batch]])?))
}

/// The `int2vector`/`oidvector` columns of `pg_index`, as arrays of their
/// element type.
const INDEX_VECTORS: &[(&str, DataType)] = &[
    ("indkey", DataType::Int16),
    ("indoption", DataType::Int16),
    ("indcollation", DataType::Int32),
    ("indclass", DataType::Int32),
];

/// The `int2[]`/`oid[]` columns of `pg_constraint`.
const CONSTRAINT_ARRAYS: &[(&str, DataType)] = &[
    ("conkey", DataType::Int16),
    ("confkey", DataType::Int16),
    ("confdelsetcols", DataType::Int16),
    ("conpfeqop", DataType::Int32),
    ("conppeqop", DataType::Int32),
    ("conffeqop", DataType::Int32),
    ("conexclop", DataType::Int32),
];

/// `schema` with the text columns named in `arrays` typed as arrays of
/// their element type (datafusion-pg-catalog keeps PostgreSQL's arrays as
/// text, which clients' `con.conkey[n]` cannot subscript).
fn with_arrays(schema: &SchemaRef, arrays: &[(&str, DataType)]) -> SchemaRef {
    let fields: Vec<arrow::datatypes::Field> = schema
        .fields()
        .iter()
        .map(|field| match arrays.iter().find(|(name, _)| name == field.name()) {
            Some((_, element)) => arrow::datatypes::Field::new(
                field.name(),
                DataType::List(Arc::new(arrow::datatypes::Field::new_list_field(element.clone(), true))),
                true,
            ),
            None => field.as_ref().clone(),
        })
        .collect();
    Arc::new(arrow::datatypes::Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// `pg_index` without rows: Eddy's streams and views have no indexes (the
/// rows datafusion-pg-catalog ships describe PostgreSQL's own system
/// indexes, by oids that name no relation here). Its vector columns are
/// arrays, so clients' `i.indoption[...]` plans.
fn no_indexes(schema: &SchemaRef) -> Result<Arc<dyn TableProvider>> {
    Ok(Arc::new(MemTable::try_new(with_arrays(schema, INDEX_VECTORS), vec![vec![]])?))
}

/// The `aclitem[]` column of `pg_namespace` (psql's `\dn+` reads
/// `array_to_string(n.nspacl, E'\n')`), as text items.
const NAMESPACE_ARRAYS: &[(&str, DataType)] = &[("nspacl", DataType::Utf8)];

/// A catalog table of datafusion-pg-catalog with its array columns as
/// arrays (it keeps them as text): `pg_constraint` (pgJDBC's foreign key
/// query reads `con.conkey[pos.n]`; Eddy's objects have no constraints,
/// the rows are datafusion-pg-catalog's) and `pg_namespace`.
#[derive(Debug)]
struct ArrayColumns {
    inner: Arc<dyn TableProvider>,
    schema: SchemaRef,
}

impl ArrayColumns {
    fn new(inner: Arc<dyn TableProvider>, arrays: &[(&str, DataType)]) -> Self {
        let schema = with_arrays(&inner.schema(), arrays);
        ArrayColumns { inner, schema }
    }
}

#[async_trait]
impl TableProvider for ArrayColumns {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        self.inner.table_type()
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let with_arrays = |batch: RecordBatch| {
            let columns = batch
                .columns()
                .iter()
                .zip(self.schema.fields())
                .map(|(column, field)| match field.data_type() {
                    DataType::List(element) if column.data_type() != field.data_type() => {
                        text_arrays(column, element.data_type())
                    }
                    _ => Ok(column.clone()),
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
        };
        let rows = Rows { table: &self.inner, schema: self.schema.clone(), state };
        rows.scan(with_arrays, projection, filters, limit).await
    }
}

/// Arrays spelled as text (`[2, 20, 3]`, `{1,2}`; NULL or empty for none)
/// as a list column of `element`: integers, or text items.
fn text_arrays(column: &ArrayRef, element: &DataType) -> Result<ArrayRef> {
    let text = arrow::compute::cast(column, &DataType::Utf8)?;
    let text = as_string_array(&text)?;
    if *element == DataType::Utf8 {
        let mut lists = arrow::array::ListBuilder::new(arrow::array::StringBuilder::new());
        for row in text.iter() {
            match row.map(str::trim).filter(|r| !r.is_empty()) {
                Some(row) => {
                    let items = row.trim_matches(['[', ']', '{', '}']).split(',').map(str::trim);
                    lists.append_value(items.filter(|i| !i.is_empty()).map(Some));
                }
                None => lists.append_null(),
            }
        }
        return Ok(Arc::new(lists.finish()));
    }
    let mut values = Vec::new();
    let mut offsets = vec![0i32];
    let mut valid = Vec::with_capacity(text.len());
    for row in text.iter() {
        let row = row.map(str::trim).filter(|r| !r.is_empty());
        valid.push(row.is_some());
        values.extend(int_array_text(row.unwrap_or_default())?);
        offsets.push(values.len() as i32);
    }
    let values = arrow::compute::cast(&arrow::array::Int64Array::from(values), element)?;
    Ok(Arc::new(arrow::array::ListArray::try_new(
        Arc::new(arrow::datatypes::Field::new_list_field(element.clone(), true)),
        arrow::buffer::OffsetBuffer::new(offsets.into()),
        values,
        Some(valid.into()),
    )?))
}

/// All rows of a catalog table of datafusion-pg-catalog (small), to be
/// patched and scanned as a table of `schema`.
struct Rows<'a> {
    table: &'a Arc<dyn TableProvider>,
    schema: SchemaRef,
    state: &'a dyn Session,
}

impl Rows<'_> {
    /// Reads every row, changes each batch with `patch` and scans the result.
    async fn scan(
        self,
        patch: impl Fn(RecordBatch) -> Result<RecordBatch>,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let plan = self.table.scan(self.state, None, &[], None).await?;
        let batches = collect(plan, self.state.task_ctx()).await?.into_iter().map(patch).collect::<Result<Vec<_>>>()?;
        MemTable::try_new(self.schema, vec![batches])?.scan(self.state, projection, filters, limit).await
    }
}

/// `pg_class` with relkind `m` for materialized views, and the columns
/// datafusion-pg-catalog lacks: `reloptions` (`text[]`, SQLAlchemy 2.1's
/// reflection and psql's `\d+` read it) and `relacl` (`aclitem[]`), NULL
/// (Eddy's relations have no storage options and no grants).
#[derive(Debug)]
struct PgClass {
    inner: Arc<dyn TableProvider>,
    schema: SchemaRef,
    /// `pg_namespace`, where the oid of `public` (Eddy's objects) is found.
    namespaces: Option<Arc<dyn TableProvider>>,
    engine: WeakEngine,
}

/// The columns [`PgClass`] adds.
const CLASS_COLUMNS: [&str; 2] = ["reloptions", "relacl"];

impl PgClass {
    fn new(inner: Arc<dyn TableProvider>, namespaces: Option<Arc<dyn TableProvider>>, engine: &WeakEngine) -> Self {
        let base = inner.schema();
        let text_array = DataType::List(Arc::new(arrow::datatypes::Field::new_list_field(DataType::Utf8, true)));
        let mut fields: Vec<arrow::datatypes::Field> = base.fields().iter().map(|f| f.as_ref().clone()).collect();
        for name in CLASS_COLUMNS {
            if base.index_of(name).is_err() {
                fields.push(arrow::datatypes::Field::new(name, text_array.clone(), true));
            }
        }
        let schema = Arc::new(arrow::datatypes::Schema::new_with_metadata(fields, base.metadata().clone()));
        PgClass { inner, schema, namespaces, engine: engine.clone() }
    }
}

/// The oid of the `public` namespace in `namespaces`.
async fn public_namespace(namespaces: &Arc<dyn TableProvider>, state: &dyn Session) -> Result<Option<i64>> {
    let plan = namespaces.scan(state, None, &[], None).await?;
    for batch in collect(plan, state.task_ctx()).await? {
        let schema = batch.schema();
        let (Ok(oid), Ok(name)) = (schema.index_of("oid"), schema.index_of("nspname")) else { return Ok(None) };
        let oids = arrow::compute::cast(batch.column(oid), &DataType::Int64)?;
        let oids = oids.as_primitive::<arrow::datatypes::Int64Type>();
        let names = as_string_array(batch.column(name))?;
        if let Some(row) = names.iter().position(|n| n == Some("public")) {
            return Ok(Some(oids.value(row)));
        }
    }
    Ok(None)
}

#[async_trait]
impl TableProvider for PgClass {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        self.inner.table_type()
    }

    /// Reads the whole of datafusion-pg-catalog's `pg_class` (one row per
    /// relation: small), sets the relkinds and scans the result.
    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let views: HashSet<String> =
            self.engine.upgrade().map(|e| e.materialized_view_names()).unwrap_or_default().into_iter().collect();
        let public = match &self.namespaces {
            Some(namespaces) => public_namespace(namespaces, state).await?,
            None => None,
        };
        let rows = Rows { table: &self.inner, schema: self.schema(), state };
        let patch = |batch: RecordBatch| {
            let batch = with_view_relkinds(batch, &views, public)?;
            let mut columns = batch.columns().to_vec();
            for field in &self.schema.fields()[columns.len()..] {
                columns.push(arrow::array::new_null_array(field.data_type(), batch.num_rows()));
            }
            Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
        };
        rows.scan(patch, projection, filters, limit).await
    }
}

/// `pg_attribute` with every column of a materialized view nullable
/// (`attnotnull` false), as PostgreSQL says of a materialized view's
/// columns whatever its query (a `count(*)` column too).
#[derive(Debug)]
struct PgAttribute {
    inner: Arc<dyn TableProvider>,
    /// `pg_class` as clients see it ([`PgClass`]): where the materialized
    /// views' oids are found.
    classes: Arc<dyn TableProvider>,
}

#[async_trait]
impl TableProvider for PgAttribute {
    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }

    fn table_type(&self) -> TableType {
        self.inner.table_type()
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let mut views = HashSet::new();
        let plan = self.classes.scan(state, None, &[], None).await?;
        for batch in collect(plan, state.task_ctx()).await? {
            let oids = arrow::compute::cast(column(&batch, "oid")?, &DataType::Int64)?;
            let oids = oids.as_primitive::<arrow::datatypes::Int64Type>();
            let kinds = as_string_array(column(&batch, "relkind")?)?;
            views.extend(
                (0..batch.num_rows()).filter(|&r| kinds.is_valid(r) && kinds.value(r) == "m").map(|r| oids.value(r)),
            );
        }
        let patch = |batch: RecordBatch| {
            let relations = arrow::compute::cast(column(&batch, "attrelid")?, &DataType::Int64)?;
            let relations = relations.as_primitive::<arrow::datatypes::Int64Type>();
            let index = batch.schema().index_of("attnotnull")?;
            let not_null = batch.column(index).as_boolean();
            let patched: arrow::array::BooleanArray = (0..batch.num_rows())
                .map(|r| not_null.is_valid(r).then(|| not_null.value(r) && !views.contains(&relations.value(r))))
                .collect();
            let mut columns = batch.columns().to_vec();
            columns[index] = Arc::new(patched);
            Ok(RecordBatch::try_new(batch.schema(), columns)?)
        };
        let rows = Rows { table: &self.inner, schema: self.schema(), state };
        rows.scan(patch, projection, filters, limit).await
    }
}

/// The column `name` of a catalog table's batch.
fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef> {
    batch
        .column_by_name(name)
        .ok_or_else(|| DataFusionError::Internal(format!("a catalog table has no column \"{name}\"")))
}

/// `batch` of `pg_class` with relkind `m` for the relations of the `public`
/// namespace (oid `public`) named in `views`; a system table of the same
/// name keeps its kind. (Source streams stay `r`: as `f`, foreign tables,
/// psql's `\d` would ask for `pg_foreign_table` details Eddy cannot give.)
fn with_view_relkinds(batch: RecordBatch, views: &HashSet<String>, public: Option<i64>) -> Result<RecordBatch> {
    let schema = batch.schema();
    let (Ok(name_index), Ok(kind_index), Ok(namespace_index)) =
        (schema.index_of("relname"), schema.index_of("relkind"), schema.index_of("relnamespace"))
    else {
        return Ok(batch);
    };
    let names = as_string_array(batch.column(name_index))?;
    let kinds = as_string_array(batch.column(kind_index))?;
    let namespaces = arrow::compute::cast(batch.column(namespace_index), &DataType::Int64)?;
    let namespaces = namespaces.as_primitive::<arrow::datatypes::Int64Type>();
    let relkinds: StringArray = names
        .iter()
        .zip(kinds.iter())
        .zip(namespaces.iter())
        .map(|((name, kind), namespace)| match (name, kind) {
            (Some(name), Some("r")) if views.contains(name) && namespace == public => Some("m"),
            (_, kind) => kind,
        })
        .collect();
    let mut columns = batch.columns().to_vec();
    columns[kind_index] = Arc::new(relkinds);
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// `eddy_sql_type_name(arrow_type)`: the SQL name PostgreSQL's
/// `information_schema.columns.data_type` gives the Postgres type a column
/// of this Arrow type (as DataFusion spells it, `Int64`) is sent as:
/// `bigint`, `timestamp without time zone`, `ARRAY`, ... Unknown spellings
/// are kept.
fn sql_type_name() -> ScalarUDF {
    create_udf(
        "eddy_sql_type_name",
        vec![DataType::Utf8],
        DataType::Utf8,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let names = as_string_array(&arrays[0])?;
            let out: StringArray = names.iter().map(|name| name.map(postgres_sql_name)).collect();
            columnar(args, Arc::new(out))
        }),
    )
}

fn postgres_sql_name(arrow_type: &str) -> String {
    use pgwire::api::Type;
    let Some(pg_type) = arrow_type.parse::<DataType>().ok().and_then(|t| into_pg_type(&t).ok()) else {
        return arrow_type.to_string();
    };
    let name = match pg_type {
        Type::BOOL => "boolean",
        Type::INT2 => "smallint",
        Type::INT4 => "integer",
        Type::INT8 => "bigint",
        Type::FLOAT4 => "real",
        Type::FLOAT8 => "double precision",
        Type::NUMERIC => "numeric",
        Type::TEXT => "text",
        Type::VARCHAR => "character varying",
        Type::BPCHAR => "character",
        Type::BYTEA => "bytea",
        Type::DATE => "date",
        Type::TIME => "time without time zone",
        Type::TIMETZ => "time with time zone",
        Type::TIMESTAMP => "timestamp without time zone",
        Type::TIMESTAMPTZ => "timestamp with time zone",
        Type::INTERVAL => "interval",
        Type::JSON => "json",
        Type::JSONB => "jsonb",
        Type::UUID => "uuid",
        ref other if other.name().starts_with('_') => "ARRAY",
        ref other => return other.name().to_string(),
    };
    name.to_string()
}

/// The fields of what [`ExpandVector`] returns: PostgreSQL's
/// `information_schema._pg_expandarray` row, `(x, n)`.
fn expanded_fields() -> arrow::datatypes::Fields {
    arrow::datatypes::Fields::from(vec![
        arrow::datatypes::Field::new("x", DataType::Int16, true),
        arrow::datatypes::Field::new("n", DataType::Int32, false),
    ])
}

/// `eddy_expand_vector(vector)`: the elements of an `int2vector` (an
/// array, or text as the catalog spells one: `'1 3'`) with their 1-based
/// positions, as a list of `(x, n)` rows. `_pg_expandarray(v)`, a
/// set-returning function pgJDBC's key and index metadata queries call, is
/// rewritten to `unnest(eddy_expand_vector(v))`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ExpandVector {
    signature: Signature,
}

impl ExpandVector {
    fn udf() -> ScalarUDF {
        ScalarUDF::new_from_impl(ExpandVector { signature: Signature::user_defined(Volatility::Immutable) })
    }

    fn item() -> Arc<arrow::datatypes::Field> {
        Arc::new(arrow::datatypes::Field::new_list_field(DataType::Struct(expanded_fields()), true))
    }
}

impl ScalarUDFImpl for ExpandVector {
    fn name(&self) -> &str {
        "eddy_expand_vector"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Text stays text; an array's elements are `int2`.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..)] => {
                Ok(vec![DataType::List(Arc::new(arrow::datatypes::Field::new_list_field(DataType::Int16, true)))])
            }
            [_] => Ok(vec![DataType::Utf8]),
            _ => Err(DataFusionError::Plan("_pg_expandarray takes one array".into())),
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(Self::item()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let element = |x: i64| {
            i16::try_from(x).map_err(|_| DataFusionError::Execution(format!("int2vector element {x} is out of range")))
        };
        let vectors: Vec<Option<Vec<Option<i16>>>> = match arrays[0].data_type() {
            DataType::List(_) => {
                let lists = arrays[0].as_list::<i32>();
                (0..lists.len())
                    .map(|row| {
                        (!lists.is_null(row))
                            .then(|| {
                                let elements = arrow::compute::cast(&lists.value(row), &DataType::Int64)?;
                                let elements = elements.as_primitive::<arrow::datatypes::Int64Type>();
                                elements.iter().map(|x| x.map(element).transpose()).collect::<Result<Vec<_>>>()
                            })
                            .transpose()
                    })
                    .collect::<Result<_>>()?
            }
            _ => as_string_array(&arrays[0])?
                .iter()
                .map(|vector| {
                    vector
                        .map(|v| {
                            int_array_text(v).and_then(|xs| xs.into_iter().map(|x| element(x).map(Some)).collect())
                        })
                        .transpose()
                })
                .collect::<Result<_>>()?,
        };
        let (mut xs, mut ns, mut offsets) = (Vec::new(), Vec::new(), vec![0i32]);
        let mut valid = Vec::with_capacity(vectors.len());
        for vector in &vectors {
            valid.push(vector.is_some());
            for (i, x) in vector.iter().flatten().enumerate() {
                xs.push(*x);
                ns.push(i as i32 + 1);
            }
            offsets.push(xs.len() as i32);
        }
        let rows = arrow::array::StructArray::try_new(
            expanded_fields(),
            vec![Arc::new(arrow::array::Int16Array::from(xs)), Arc::new(arrow::array::Int32Array::from(ns))],
            None,
        )?;
        let lists = arrow::array::ListArray::try_new(
            Self::item(),
            arrow::buffer::OffsetBuffer::new(offsets.into()),
            Arc::new(rows),
            Some(valid.into()),
        )?;
        columnar(&args.args, Arc::new(lists))
    }
}

/// The integers of an array or vector as the catalog spells it: `1 3`
/// (`int2vector`), `{1,3}` or `[1, 3]`.
fn int_array_text(text: &str) -> Result<Vec<i64>> {
    text.trim_matches(['[', ']', '{', '}'])
        .split([',', ' '])
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<i64>()
                .map_err(|_| DataFusionError::Execution(format!("invalid int2vector element \"{item}\"")))
        })
        .collect()
}

/// `version()`: `PostgreSQL 16.0 on ..., Eddy x.y.z`.
fn version() -> ScalarUDF {
    let text = version_text();
    create_udf(
        "version",
        vec![],
        DataType::Utf8,
        Volatility::Immutable,
        Arc::new(move |_| Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(text.clone()))))),
    )
}

/// `current_setting(name)` inside larger queries: the server default of a
/// setting (functions are shared by every connection). `SELECT
/// current_setting('x')` on its own, and `SHOW`, answer the session's value
/// (`session::SessionCommand`).
fn current_setting() -> ScalarUDF {
    create_udf(
        "current_setting",
        vec![DataType::Utf8],
        DataType::Utf8,
        Volatility::Stable,
        Arc::new(|args: &[ColumnarValue]| {
            let names = ColumnarValue::values_to_arrays(args)?;
            let names = as_string_array(&names[0])?;
            let mut values = Vec::with_capacity(names.len());
            for name in names.iter() {
                values.push(match name {
                    None => None,
                    Some(name) => Some(default_value(name).ok_or_else(|| {
                        DataFusionError::Execution(format!("unrecognized configuration parameter \"{name}\""))
                    })?),
                });
            }
            columnar(args, Arc::new(StringArray::from(values)))
        }),
    )
}

/// Functions whose answer is the same for every Eddy object, so constant,
/// for any arguments. NULL: `obj_description(oid [, catalog])`,
/// `col_description(oid, column)`, `shobj_description(oid, catalog)` (Eddy
/// objects carry no comments), `pg_get_serial_sequence(table, column)`
/// (Eddy has no sequences; PostgreSQL would fail for a table that does not
/// exist), `pg_get_indexdef(index [, column, pretty])` (Eddy has no
/// indexes: `pg_index` is empty, and PostgreSQL answers NULL for an oid
/// that is not an index) and `pg_get_ruledef(rule [, pretty])` (no rules:
/// `pg_rewrite` is empty). True: `pg_has_role([user,] role, privilege)`
/// (Eddy has no role privileges to refuse; PostgreSQL fails for a role that
/// does not exist).
#[derive(Debug, PartialEq, Eq, Hash)]
struct Constant {
    name: &'static str,
    value: ScalarValue,
    signature: Signature,
}

impl Constant {
    fn udf(name: &'static str, value: ScalarValue) -> ScalarUDF {
        ScalarUDF::new_from_impl(Constant { name, value, signature: Signature::variadic_any(Volatility::Stable) })
    }
}

impl ScalarUDFImpl for Constant {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(self.value.data_type())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let all_scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        Ok(if all_scalar {
            ColumnarValue::Scalar(self.value.clone())
        } else {
            ColumnarValue::Array(self.value.to_array_of_size(args.number_rows)?)
        })
    }
}

/// PostgreSQL's character set encodings, by number (`pg_wchar.h`).
const ENCODINGS: [&str; 42] = [
    "SQL_ASCII",
    "EUC_JP",
    "EUC_CN",
    "EUC_KR",
    "EUC_TW",
    "EUC_JIS_2004",
    "UTF8",
    "MULE_INTERNAL",
    "LATIN1",
    "LATIN2",
    "LATIN3",
    "LATIN4",
    "LATIN5",
    "LATIN6",
    "LATIN7",
    "LATIN8",
    "LATIN9",
    "LATIN10",
    "WIN1256",
    "WIN1258",
    "WIN866",
    "WIN874",
    "KOI8R",
    "WIN1251",
    "WIN1252",
    "ISO_8859_5",
    "ISO_8859_6",
    "ISO_8859_7",
    "ISO_8859_8",
    "WIN1250",
    "WIN1253",
    "WIN1254",
    "WIN1255",
    "WIN1257",
    "KOI8U",
    "SJIS",
    "BIG5",
    "GBK",
    "UHC",
    "GB18030",
    "JOHAB",
    "SHIFT_JIS_2004",
];

/// `pg_encoding_to_char(encoding)`: the encoding's name (`UTF8` for 6, as
/// psql's `\l` shows Eddy's database), `''` for a number that is none, as
/// PostgreSQL answers. (datafusion-pg-catalog's says `UTF-8`, and takes
/// only an `int4`.)
fn encoding_name() -> ScalarUDF {
    create_udf(
        "pg_encoding_to_char",
        vec![DataType::Int64],
        DataType::Utf8,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let numbers = ColumnarValue::values_to_arrays(args)?;
            let numbers = numbers[0].as_primitive::<arrow::datatypes::Int64Type>();
            let names: StringArray = numbers
                .iter()
                .map(|n| n.map(|n| usize::try_from(n).ok().and_then(|n| ENCODINGS.get(n)).copied().unwrap_or("")))
                .collect();
            columnar(args, Arc::new(names))
        }),
    )
}

/// `eddy_is_materialized_view(schema, name)`: whether `schema.name` is one
/// of the engine's materialized views (`information_schema.columns` calls
/// it for `is_nullable`).
fn is_materialized_view(engine: WeakEngine) -> ScalarUDF {
    create_udf(
        "eddy_is_materialized_view",
        vec![DataType::Utf8, DataType::Utf8],
        DataType::Boolean,
        Volatility::Stable,
        Arc::new(move |args: &[ColumnarValue]| {
            let views: HashSet<String> =
                engine.upgrade().map(|e| e.materialized_view_names()).unwrap_or_default().into_iter().collect();
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let (schemas, names) = (as_string_array(&arrays[0])?, as_string_array(&arrays[1])?);
            let out: arrow::array::BooleanArray = schemas
                .iter()
                .zip(names.iter())
                .map(|(schema, name)| Some(schema == Some("public") && name.is_some_and(|n| views.contains(n))))
                .collect();
            columnar(args, Arc::new(out))
        }),
    )
}

/// `json_build_object(key, value, ...)`: a JSON object as text (Eddy's
/// JSON documents are TEXT), spelled as PostgreSQL spells it (`{"a" : 1,
/// "b" : [1,2]}`). Keys are text; values keep their JSON kind (numbers,
/// booleans, null, arrays) and anything else is its text as a JSON string
/// (timestamps as `2024-01-01T00:00:00`, as PostgreSQL writes them in JSON).
#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonBuildObject {
    signature: Signature,
}

impl JsonBuildObject {
    fn new() -> Self {
        let signature = Signature::one_of(
            vec![
                datafusion::logical_expr::TypeSignature::Nullary,
                datafusion::logical_expr::TypeSignature::VariadicAny,
            ],
            Volatility::Immutable,
        );
        JsonBuildObject { signature }
    }
}

impl ScalarUDFImpl for JsonBuildObject {
    fn name(&self) -> &str {
        "json_build_object"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    /// Text marked as JSON, so an object built from it nests it as JSON.
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<arrow::datatypes::FieldRef> {
        if !args.arg_fields.len().is_multiple_of(2) {
            return Err(eddy_common::SqlError::into_datafusion(
                eddy_common::sqlstate::INVALID_PARAMETER_VALUE,
                "argument list must have even number of elements (json_build_object takes key, value pairs)",
            ));
        }
        let metadata = [(EXTENSION_NAME.to_string(), JSON_EXTENSION.to_string())].into();
        Ok(Arc::new(arrow::datatypes::Field::new(self.name(), DataType::Utf8, true).with_metadata(metadata)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let json: Vec<bool> = args
            .arg_fields
            .iter()
            .map(|f| f.metadata().get(EXTENSION_NAME).is_some_and(|name| name == JSON_EXTENSION))
            .collect();
        let arrays = args.args.iter().map(|a| a.to_array(args.number_rows)).collect::<Result<Vec<_>>>()?;
        let mut out = arrow::array::StringBuilder::new();
        for row in 0..args.number_rows {
            let mut object = String::from("{");
            for (i, pair) in arrays.chunks(2).enumerate() {
                let key = ScalarValue::try_from_array(&pair[0], row)?;
                if key.is_null() {
                    return Err(eddy_common::SqlError::into_datafusion(
                        eddy_common::sqlstate::INVALID_PARAMETER_VALUE,
                        "null value not allowed for object key",
                    ));
                }
                if i > 0 {
                    object.push_str(", ");
                }
                object.push_str(&serde_json::Value::String(scalar_text(&key)?).to_string());
                object.push_str(" : ");
                let value = ScalarValue::try_from_array(&pair[1], row)?;
                match value {
                    ScalarValue::Utf8(Some(text)) if json[2 * i + 1] => object.push_str(&text),
                    value => json_value(&value, &mut object)?,
                }
            }
            object.push('}');
            out.append_value(object);
        }
        columnar(&args.args, Arc::new(out.finish()))
    }
}

/// A value's text, as a cast to text gives it.
fn scalar_text(value: &ScalarValue) -> Result<String> {
    let text = arrow::compute::cast(&value.to_array()?, &DataType::Utf8)?;
    Ok(as_string_array(&text)?.value(0).to_string())
}

/// The field metadata key of an Arrow extension type, and the JSON one's
/// name: `json_build_object` marks its result with them.
const EXTENSION_NAME: &str = "ARROW:extension:name";
const JSON_EXTENSION: &str = "arrow.json";

/// `value` appended to `out` as PostgreSQL's `to_json` writes it: numbers
/// in PostgreSQL's text (`1e+20`; NaN and infinities as strings), arrays
/// and composite values (structs) as JSON arrays and objects.
fn json_value(value: &ScalarValue, out: &mut String) -> Result<()> {
    if value.is_null() {
        out.push_str("null");
        return Ok(());
    }
    let data_type = value.data_type();
    match value {
        ScalarValue::Boolean(Some(b)) => out.push_str(if *b { "true" } else { "false" }),
        ScalarValue::Float16(Some(_)) | ScalarValue::Float32(Some(_)) | ScalarValue::Float64(Some(_)) => {
            let text = eddy_runtime::text::format_column(&value.to_array()?)
                .map_err(|e| DataFusionError::Execution(e.to_string()))?
                .pop()
                .flatten()
                .unwrap_or_default();
            if text.parse::<f64>().is_ok_and(f64::is_finite) {
                out.push_str(&text);
            } else {
                out.push_str(&serde_json::Value::String(text).to_string());
            }
        }
        _ if data_type.is_integer() || data_type.is_decimal() => out.push_str(&scalar_text(value)?),
        ScalarValue::List(_) | ScalarValue::LargeList(_) | ScalarValue::FixedSizeList(_) => {
            let values = match value {
                ScalarValue::List(list) => list.value(0),
                ScalarValue::LargeList(list) => list.value(0),
                ScalarValue::FixedSizeList(list) => list.value(0),
                _ => unreachable!("a list"),
            };
            out.push('[');
            for i in 0..values.len() {
                if i > 0 {
                    out.push(',');
                }
                json_value(&ScalarValue::try_from_array(&values, i)?, out)?;
            }
            out.push(']');
        }
        ScalarValue::Struct(row) => {
            out.push('{');
            for (i, (field, column)) in row.fields().iter().zip(row.columns()).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(field.name().clone()).to_string());
                out.push(':');
                json_value(&ScalarValue::try_from_array(column, 0)?, out)?;
            }
            out.push('}');
        }
        _ => out.push_str(&serde_json::Value::String(scalar_text(value)?).to_string()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_types_get_postgres_sql_names() {
        assert_eq!(postgres_sql_name("Int64"), "bigint");
        assert_eq!(postgres_sql_name("Timestamp(ns)"), "timestamp without time zone");
        assert_eq!(postgres_sql_name("Utf8View"), "text");
        assert_eq!(postgres_sql_name("List(Int64)"), "ARRAY");
        assert_eq!(postgres_sql_name("no such type"), "no such type");
    }
}
