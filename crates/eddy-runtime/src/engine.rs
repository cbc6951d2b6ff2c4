//! The engine: statement execution over the catalog and running queries.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use datafusion::execution::context::SessionContext;
use eddy_catalog::{Catalog, CatalogEntry, ConnectorOptions, MetadataColumn, ObjectKind, SinkDef, StreamDef, ViewDef};
use eddy_common::{Classify, ErrorClass};
use eddy_sql::{
    parse_statements, CreateMaterializedView, CreateSink, CreateStream, EddyStatement, OutputKind, PlanError,
    ShowObjects, StreamPlanner, StreamingPlan,
};
use sqlparser::ast::{Query, Statement};

use crate::pipeline::{self, QueryStatus, RunningQuery};
use crate::show::{sql_type_name, table, Column};
use crate::view::{Retention, ViewState};

/// How many of its most recent rows an append-only derived stream keeps
/// queryable (its rows live in its sink; a materialized view keeps all).
pub const DERIVED_STREAM_ROWS: usize = 100_000;
use crate::view_schema::{ViewSchema, Views};
use crate::{EngineError, StatementResult};

/// An embedded Eddy: a catalog, its running queries and their state.
/// Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

/// A handle that does not keep the engine alive (for what the engine
/// itself holds, such as catalog tables that read its catalog).
#[derive(Clone)]
pub struct WeakEngine(std::sync::Weak<Inner>);

impl std::fmt::Debug for WeakEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WeakEngine")
    }
}

impl WeakEngine {
    /// The engine, unless it was dropped.
    pub fn upgrade(&self) -> Option<Engine> {
        self.0.upgrade().map(|inner| Engine { inner })
    }
}

pub(crate) struct Inner {
    pub(crate) catalog: Arc<RwLock<Catalog>>,
    pub(crate) planner: StreamPlanner,
    pub(crate) queries: Mutex<BTreeMap<String, RunningQuery>>,
    pub(crate) views: Views,
    /// Where pull queries run: DataFusion with the views as its `public` schema.
    pub(crate) pull: SessionContext,
    pub(crate) next_barrier: AtomicU64,
    pub(crate) config: EngineConfig,
    /// The defining statement of every object, in creation order: what
    /// `catalog.sql` holds and a restart replays.
    pub(crate) definitions: Mutex<Vec<(String, String)>>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// The file in the data dir that holds the catalog's statements.
const CATALOG_FILE: &str = "catalog.sql";

/// Replaces `path` with `bytes` so that a crash leaves the old or the new file, never half.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension("sql.tmp");
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temp, path)
}

/// A query's name, status and live counters (for `/metrics`).
#[derive(Debug, Clone)]
pub struct QueryReport {
    pub name: String,
    /// `running`, `completed` or `failed`.
    pub status: &'static str,
    /// Why it failed, when it did.
    pub error: Option<String>,
    pub metrics: Arc<eddy_common::QueryMetrics>,
}

/// How an engine is set up.
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// The Kafka cluster `connector = 'kafka'` uses when a statement names no
    /// `bootstrap_servers`.
    pub kafka_brokers: Option<String>,
    /// Where the catalog is kept across restarts (`catalog.sql`); in memory
    /// only when unset.
    pub data_dir: Option<std::path::PathBuf>,
}

impl EngineConfig {
    /// Settings from the environment: `EDDY_KAFKA` (or `KAFKA_BROKERS`).
    pub fn from_env() -> Self {
        let kafka_brokers = std::env::var("EDDY_KAFKA").or_else(|_| std::env::var("KAFKA_BROKERS")).ok();
        let data_dir = std::env::var_os("EDDY_DATA_DIR").filter(|d| !d.is_empty()).map(Into::into);
        EngineConfig { kafka_brokers: kafka_brokers.filter(|b| !b.trim().is_empty()), data_dir }
    }
}

impl Inner {
    /// The `WITH (...)` options of a statement, with the engine's defaults filled in.
    fn connector_options(&self, options: &[(String, String)]) -> Result<ConnectorOptions, EngineError> {
        let mut options = connector_options(options)?;
        if options.connector == "kafka" {
            let named =
                ["bootstrap_servers", "properties.bootstrap.servers"].iter().any(|k| options.options.contains_key(*k));
            if let (false, Some(brokers)) = (named, &self.config.kafka_brokers) {
                options.options.insert("bootstrap_servers".into(), brokers.clone());
            }
        }
        Ok(options)
    }
}

fn connector_options(options: &[(String, String)]) -> Result<ConnectorOptions, EngineError> {
    let mut map = BTreeMap::new();
    for (key, value) in options {
        if map.insert(key.clone(), value.clone()).is_some() {
            return Err(PlanError::Invalid(format!("option \"{key}\" is given twice")).into());
        }
    }
    let connector = map.remove("connector").ok_or_else(|| {
        PlanError::Invalid("WITH (...) needs connector = 'kafka' | 'file' | 'datagen' | 'nexmark'".to_string())
    })?;
    Ok(ConnectorOptions { connector: connector.to_lowercase(), options: map, metadata: Vec::new() })
}

fn command(tag: &str) -> StatementResult {
    StatementResult::Command(tag.to_string())
}

impl Engine {
    /// An engine configured from the environment ([`EngineConfig::from_env`]).
    pub fn new() -> Self {
        Engine::with_config(EngineConfig::from_env())
    }

    pub fn with_config(config: EngineConfig) -> Self {
        let planner = StreamPlanner::new();
        let views: Views = Arc::default();
        let objects: Arc<RwLock<Catalog>> = Arc::default();
        let pull = SessionContext::new_with_state(planner.session_state().clone());
        crate::postgres::register(&pull);
        pull.register_udaf(crate::subquery::rows());
        pull.register_udf(crate::subquery::one_row());
        pull.register_udf(crate::subquery::one_match());
        let catalog = pull.catalog(eddy_sql::DATABASE).expect("the default catalog");
        catalog
            .register_schema("public", Arc::new(ViewSchema::new(views.clone(), objects.clone())))
            .expect("replacing the public schema");
        Engine {
            inner: Arc::new(Inner {
                catalog: objects,
                planner,
                queries: Mutex::default(),
                views,
                pull,
                next_barrier: AtomicU64::new(0),
                config,
                definitions: Mutex::default(),
            }),
        }
    }

    /// Every query with its status and counters, by name.
    pub fn query_statuses(&self) -> Vec<QueryReport> {
        let queries = self.inner.queries.lock().expect("queries lock");
        queries
            .iter()
            .map(|(name, q)| {
                let status = q.progress.borrow().status.clone();
                QueryReport {
                    name: name.clone(),
                    status: status.name(),
                    error: match status {
                        QueryStatus::Failed { message, .. } => Some(message),
                        _ => None,
                    },
                    metrics: q.metrics.clone(),
                }
            })
            .collect()
    }

    /// The live counters of a running (or finished) query.
    pub fn query_metrics(&self, name: &str) -> Option<Arc<eddy_common::QueryMetrics>> {
        self.inner.queries.lock().expect("queries lock").get(name).map(|q| q.metrics.clone())
    }

    pub fn downgrade(&self) -> WeakEngine {
        WeakEngine(Arc::downgrade(&self.inner))
    }

    /// The names of the materialized views.
    pub fn materialized_view_names(&self) -> Vec<String> {
        let catalog = self.inner.catalog.read().expect("catalog lock");
        catalog.list(eddy_catalog::ObjectKind::MaterializedView).map(|entry| entry.name().to_string()).collect()
    }

    /// The names of the source streams (read from a connector; derived
    /// streams are not among them).
    pub fn source_stream_names(&self) -> Vec<String> {
        crate::view_schema::source_streams(&self.inner.catalog.read().expect("catalog lock"))
            .map(|stream| stream.name.clone())
            .collect()
    }

    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// Parses `sql` into statements without running them.
    pub fn parse(&self, sql: &str) -> Result<Vec<EddyStatement>, EngineError> {
        Ok(parse_statements(sql).map_err(PlanError::from)?)
    }

    /// Parses and runs every statement of `sql`, stopping at the first error.
    pub async fn execute(&self, sql: &str) -> Result<Vec<StatementResult>, EngineError> {
        let mut results = Vec::new();
        for statement in self.parse(sql)? {
            results.push(self.execute_statement(statement).await?);
        }
        Ok(results)
    }

    /// Runs one statement. Catalog changes are written to the data dir (when
    /// there is one) before the statement returns.
    pub async fn execute_statement(&self, statement: EddyStatement) -> Result<StatementResult, EngineError> {
        let changes = match &statement {
            EddyStatement::CreateStream(s) => Some((s.name.clone(), true)),
            EddyStatement::CreateMaterializedView(v) => Some((v.name.clone(), true)),
            EddyStatement::CreateSink(s) => Some((s.name.clone(), true)),
            EddyStatement::Drop { name, .. } => Some((name.clone(), false)),
            _ => None,
        };
        let result = self.run_statement(statement).await?;
        if let Some((name, created)) = changes {
            self.record_definition(&name, created)?;
        }
        Ok(result)
    }

    /// Updates the definitions after a statement and writes them to the data dir.
    fn record_definition(&self, name: &str, created: bool) -> Result<(), EngineError> {
        if !self.note_definition(name, created) {
            return Ok(());
        }
        let Some(dir) = &self.inner.config.data_dir else { return Ok(()) };
        let text: String = {
            let definitions = self.inner.definitions.lock().expect("definitions lock");
            definitions.iter().map(|(_, sql)| format!("{sql};\n")).collect()
        };
        write_atomically(&dir.join(CATALOG_FILE), text.as_bytes())
            .map_err(|source| EngineError::DataDir { path: dir.display().to_string(), source })
    }

    /// Updates the in-memory definitions; false when nothing changed.
    fn note_definition(&self, name: &str, created: bool) -> bool {
        let mut definitions = self.inner.definitions.lock().expect("definitions lock");
        let known = definitions.iter().any(|(n, _)| n == name);
        if created && !known {
            let catalog = self.inner.catalog.read().expect("catalog lock");
            let Some(entry) = catalog.get(name) else { return false };
            definitions.push((name.to_string(), entry.sql().to_string()));
            true
        } else if !created && known {
            definitions.retain(|(n, _)| n != name);
            true
        } else {
            false
        }
    }

    /// Re-creates every object of the data dir's catalog, in creation order,
    /// and starts their queries again (from their sources' start: offsets are
    /// not checkpointed yet). Returns how many objects came back; the first
    /// statement that fails stops the restore with its error, and the file is
    /// left as it was.
    pub async fn restore(&self) -> Result<usize, EngineError> {
        let Some(dir) = &self.inner.config.data_dir else { return Ok(0) };
        let path = dir.join(CATALOG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(source) => return Err(EngineError::DataDir { path: path.display().to_string(), source }),
        };
        let statements = self.parse(&text)?;
        let count = statements.len();
        // The file is not rewritten while it is replayed: a failure leaves it whole.
        for statement in statements {
            let sql = statement.to_string();
            let name = match &statement {
                EddyStatement::CreateStream(s) => s.name.clone(),
                EddyStatement::CreateMaterializedView(v) => v.name.clone(),
                EddyStatement::CreateSink(s) => s.name.clone(),
                _ => {
                    return Err(EngineError::Restore {
                        statement: sql,
                        message: "not a CREATE statement".into(),
                        class: ErrorClass::internal(),
                    })
                }
            };
            self.run_statement(statement).await.map_err(|e| EngineError::Restore {
                statement: sql,
                message: e.to_string(),
                class: e.class(),
            })?;
            self.note_definition(&name, true);
        }
        Ok(count)
    }

    async fn run_statement(&self, statement: EddyStatement) -> Result<StatementResult, EngineError> {
        match statement {
            EddyStatement::CreateStream(s) if s.query.is_some() => self.create_derived_stream(*s).await,
            EddyStatement::CreateStream(s) => self.create_source_stream(*s),
            EddyStatement::CreateMaterializedView(v) => self.create_view(v).await,
            EddyStatement::CreateSink(s) => self.create_sink(s).await,
            EddyStatement::Drop { kind, if_exists, name } => self.drop_object(kind, if_exists, &name),
            EddyStatement::Show(what) => self.show(what),
            EddyStatement::Describe(name) => self.describe(&name),
            EddyStatement::Explain(inner) => self.explain(*inner),
            EddyStatement::Flush => self.flush().await,
            EddyStatement::Sql(statement) => self.run_sql(*statement).await,
        }
    }

    fn exists(&self, name: &str) -> bool {
        self.inner.catalog.read().expect("catalog lock").get(name).is_some()
    }

    fn create_source_stream(&self, stmt: CreateStream) -> Result<StatementResult, EngineError> {
        if stmt.if_not_exists && self.exists(&stmt.name) {
            return Ok(command("CREATE STREAM"));
        }
        let def = self.plan_source_stream(&stmt)?;
        self.inner.catalog.write().expect("catalog lock").insert(CatalogEntry::Stream(def), BTreeSet::new())?;
        Ok(command("CREATE STREAM"))
    }

    fn plan_source_stream(&self, stmt: &CreateStream) -> Result<StreamDef, EngineError> {
        let mut options = self.inner.connector_options(&stmt.options)?;
        options.metadata = stmt
            .includes
            .iter()
            .map(|i| MetadataColumn {
                kind: i.kind.clone(),
                column: i.alias.clone().unwrap_or_else(|| format!("{}_{}", options.connector, i.kind)),
            })
            .collect();
        let catalog = self.inner.catalog.read().expect("catalog lock");
        let (declared, watermark) = self.inner.planner.plan_stream_columns(stmt, &catalog)?;
        let schema = eddy_connectors::validate_source(&options, declared)?;
        let def = StreamDef {
            name: stmt.name.clone(),
            schema,
            watermark,
            connector: options,
            query: None,
            sql: EddyStatement::CreateStream(Box::new(stmt.clone())).to_string(),
        };
        self.inner.planner.plan_watermark(&def)?;
        Ok(def)
    }

    fn plan(&self, query: &Query) -> Result<(StreamingPlan, BTreeSet<String>), EngineError> {
        let catalog = self.inner.catalog.read().expect("catalog lock");
        let planned = self.inner.planner.plan_query(query, &catalog)?;
        Ok((planned.plan, planned.reads))
    }

    /// Starts `plan` as the query `name`, with materialized state and an optional sink.
    async fn launch(
        &self,
        name: &str,
        plan: &StreamingPlan,
        sink: Option<&ConnectorOptions>,
        retention: Retention,
    ) -> Result<(), EngineError> {
        let view = Arc::new(ViewState::new(plan.output_schema.clone(), plan.kind, retention));
        let sink = match sink {
            None => None,
            Some(options) => {
                let group_key = (plan.kind == OutputKind::Updating).then(|| plan.group_key().unwrap_or_default());
                Some(eddy_connectors::open_sink(options, plan.output_schema.clone(), group_key).await?)
            }
        };
        let running = pipeline::start(name.to_string(), plan, view.clone(), sink).await?;
        self.inner.views.write().expect("views lock").insert(name.to_string(), view);
        self.inner.queries.lock().expect("queries lock").insert(name.to_string(), running);
        Ok(())
    }

    async fn create_derived_stream(&self, stmt: CreateStream) -> Result<StatementResult, EngineError> {
        if stmt.if_not_exists && self.exists(&stmt.name) {
            return Ok(command("CREATE STREAM"));
        }
        if !stmt.columns.is_empty() || stmt.watermark.is_some() || !stmt.includes.is_empty() {
            return Err(PlanError::Invalid(
                "CREATE STREAM ... AS SELECT takes its columns from the query; remove the column list".into(),
            )
            .into());
        }
        let options = self.inner.connector_options(&stmt.options)?;
        eddy_connectors::validate_sink(&options)?;
        let query = stmt.query.as_ref().expect("derived streams have a query");
        let (plan, reads) = self.plan(query)?;
        let def = StreamDef {
            name: stmt.name.clone(),
            schema: plan.output_schema.clone(),
            watermark: None,
            connector: options.clone(),
            query: Some(query.to_string()),
            sql: EddyStatement::CreateStream(Box::new(stmt.clone())).to_string(),
        };
        self.inner.catalog.write().expect("catalog lock").insert(CatalogEntry::Stream(def), reads)?;
        if let Err(e) = self.launch(&stmt.name, &plan, Some(&options), Retention::Recent(DERIVED_STREAM_ROWS)).await {
            let _ = self.inner.catalog.write().expect("catalog lock").remove(ObjectKind::Stream, &stmt.name);
            return Err(e);
        }
        Ok(command("CREATE STREAM"))
    }

    async fn create_view(&self, stmt: CreateMaterializedView) -> Result<StatementResult, EngineError> {
        if stmt.if_not_exists && self.exists(&stmt.name) {
            return Ok(command("CREATE MATERIALIZED VIEW"));
        }
        let (plan, reads) = self.plan(&stmt.query)?;
        let def = ViewDef {
            name: stmt.name.clone(),
            schema: plan.output_schema.clone(),
            query: stmt.query.to_string(),
            sql: EddyStatement::CreateMaterializedView(stmt.clone()).to_string(),
        };
        self.inner.catalog.write().expect("catalog lock").insert(CatalogEntry::View(def), reads)?;
        if let Err(e) = self.launch(&stmt.name, &plan, None, Retention::All).await {
            let _ = self.inner.catalog.write().expect("catalog lock").remove(ObjectKind::MaterializedView, &stmt.name);
            return Err(e);
        }
        Ok(command("CREATE MATERIALIZED VIEW"))
    }

    /// A sink runs its own query: `SELECT *` over a source stream, or the
    /// defining query of a view or derived stream, with the sink as output.
    async fn create_sink(&self, stmt: CreateSink) -> Result<StatementResult, EngineError> {
        if stmt.if_not_exists && self.exists(&stmt.name) {
            return Ok(command("CREATE SINK"));
        }
        let options = self.inner.connector_options(&stmt.options)?;
        eddy_connectors::validate_sink(&options)?;
        let query_text = {
            let catalog = self.inner.catalog.read().expect("catalog lock");
            match catalog.lookup(&stmt.from)? {
                CatalogEntry::Stream(s) => s.query.clone().unwrap_or_else(|| format!("SELECT * FROM \"{}\"", s.name)),
                CatalogEntry::View(v) => v.query.clone(),
                CatalogEntry::Sink(_) => {
                    return Err(PlanError::Invalid(format!(
                        "\"{}\" is a sink; a sink reads a stream or a view",
                        stmt.from
                    ))
                    .into())
                }
            }
        };
        let query = match self.parse(&query_text)?.pop() {
            Some(EddyStatement::Sql(statement)) => match *statement {
                Statement::Query(q) => q,
                _ => return Err(PlanError::Invalid("the source of a sink is not a query".into()).into()),
            },
            _ => return Err(PlanError::Invalid("the source of a sink is not a query".into()).into()),
        };
        let (plan, mut reads) = self.plan(&query)?;
        reads.insert(stmt.from.clone());
        let def = SinkDef {
            name: stmt.name.clone(),
            from: stmt.from.clone(),
            connector: options.clone(),
            sql: EddyStatement::CreateSink(stmt.clone()).to_string(),
        };
        self.inner.catalog.write().expect("catalog lock").insert(CatalogEntry::Sink(def), reads)?;
        // A sink's rows are in its connector; it keeps none for pull queries.
        if let Err(e) = self.launch(&stmt.name, &plan, Some(&options), Retention::Recent(0)).await {
            let _ = self.inner.catalog.write().expect("catalog lock").remove(ObjectKind::Sink, &stmt.name);
            return Err(e);
        }
        Ok(command("CREATE SINK"))
    }

    fn drop_object(&self, kind: ObjectKind, if_exists: bool, name: &str) -> Result<StatementResult, EngineError> {
        let tag = format!("DROP {}", kind.to_string().to_uppercase());
        let removed = self.inner.catalog.write().expect("catalog lock").remove(kind, name);
        match removed {
            Ok(_) => {}
            Err(eddy_catalog::CatalogError::NotFound { .. }) if if_exists => return Ok(command(&tag)),
            Err(e) => return Err(e.into()),
        }
        if let Some(query) = self.inner.queries.lock().expect("queries lock").remove(name) {
            query.stop();
        }
        self.inner.views.write().expect("views lock").remove(name);
        Ok(command(&tag))
    }

    fn show(&self, what: ShowObjects) -> Result<StatementResult, EngineError> {
        if what == ShowObjects::Queries {
            return self.show_queries();
        }
        let catalog = self.inner.catalog.read().expect("catalog lock");
        match what {
            ShowObjects::Streams => {
                let streams: Vec<&StreamDef> = catalog
                    .list(ObjectKind::Stream)
                    .filter_map(|e| match e {
                        CatalogEntry::Stream(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                table(vec![
                    Column::Text("name", streams.iter().map(|s| Some(s.name.clone())).collect()),
                    Column::Text(
                        "kind",
                        streams
                            .iter()
                            .map(|s| Some(if s.query.is_some() { "derived" } else { "source" }.into()))
                            .collect(),
                    ),
                    Column::Text("connector", streams.iter().map(|s| Some(s.connector.connector.clone())).collect()),
                    Column::Text(
                        "watermark",
                        streams
                            .iter()
                            .map(|s| s.watermark.as_ref().map(|w| format!("{} AS {}", w.column, w.expr)))
                            .collect(),
                    ),
                ])
            }
            ShowObjects::MaterializedViews => {
                let views: Vec<&ViewDef> = catalog
                    .list(ObjectKind::MaterializedView)
                    .filter_map(|e| match e {
                        CatalogEntry::View(v) => Some(v),
                        _ => None,
                    })
                    .collect();
                let states = self.inner.views.read().expect("views lock");
                let kind = |name: &str| {
                    states.get(name).map(|v| match v.kind {
                        OutputKind::Append => "append-only".to_string(),
                        OutputKind::Updating => "updating".to_string(),
                    })
                };
                table(vec![
                    Column::Text("name", views.iter().map(|v| Some(v.name.clone())).collect()),
                    Column::Text("kind", views.iter().map(|v| kind(&v.name)).collect()),
                    Column::Text("definition", views.iter().map(|v| Some(v.query.clone())).collect()),
                ])
            }
            ShowObjects::Sinks | ShowObjects::Queries => {
                let sinks: Vec<&SinkDef> = catalog
                    .list(ObjectKind::Sink)
                    .filter_map(|e| match e {
                        CatalogEntry::Sink(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                table(vec![
                    Column::Text("name", sinks.iter().map(|s| Some(s.name.clone())).collect()),
                    Column::Text("from", sinks.iter().map(|s| Some(s.from.clone())).collect()),
                    Column::Text("connector", sinks.iter().map(|s| Some(s.connector.connector.clone())).collect()),
                ])
            }
        }
    }

    fn show_queries(&self) -> Result<StatementResult, EngineError> {
        let queries = self.inner.queries.lock().expect("queries lock");
        let mut name = Vec::new();
        let mut status = Vec::new();
        let (mut rows_in, mut rows_out, mut late, mut bad) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut watermark = Vec::new();
        let mut error = Vec::new();
        for (query_name, query) in queries.iter() {
            let m = query.metrics.snapshot();
            let progress = query.progress.borrow().clone();
            name.push(Some(query_name.clone()));
            status.push(Some(progress.status.name().to_string()));
            rows_in.push(m.rows_in as i64);
            rows_out.push(m.rows_out as i64);
            late.push(m.late_rows as i64);
            bad.push(m.bad_rows as i64);
            watermark.push((!m.watermark.is_min()).then(|| m.watermark.to_string()));
            error.push(match progress.status {
                QueryStatus::Failed { message, .. } => Some(message),
                _ => None,
            });
        }
        table(vec![
            Column::Text("name", name),
            Column::Text("status", status),
            Column::Int("rows_in", rows_in),
            Column::Int("rows_out", rows_out),
            Column::Int("late_rows", late),
            Column::Int("bad_rows", bad),
            Column::Text("watermark", watermark),
            Column::Text("error", error),
        ])
    }

    fn describe(&self, name: &str) -> Result<StatementResult, EngineError> {
        let catalog = self.inner.catalog.read().expect("catalog lock");
        let entry = catalog.lookup(name)?;
        let Some(schema) = entry.schema() else {
            return Err(
                PlanError::Invalid(format!("\"{name}\" is a sink; DESCRIBE the stream or view it reads")).into()
            );
        };
        table(vec![
            Column::Text("column_name", schema.fields().iter().map(|f| Some(f.name().clone())).collect()),
            Column::Text("data_type", schema.fields().iter().map(|f| Some(sql_type_name(f.data_type()))).collect()),
            Column::Text(
                "is_nullable",
                schema.fields().iter().map(|f| Some(if f.is_nullable() { "YES" } else { "NO" }.into())).collect(),
            ),
        ])
    }

    fn explain(&self, statement: EddyStatement) -> Result<StatementResult, EngineError> {
        let text = match &statement {
            EddyStatement::CreateMaterializedView(v) => self.plan(&v.query)?.0.to_string(),
            EddyStatement::CreateStream(s) => match &s.query {
                Some(q) => self.plan(q)?.0.to_string(),
                None => {
                    let def = self.plan_source_stream(s)?;
                    let columns: Vec<String> = def
                        .schema
                        .fields()
                        .iter()
                        .map(|f| format!("{} {}", f.name(), sql_type_name(f.data_type())))
                        .collect();
                    format!("Source: {} (connector '{}') [{}]", def.name, def.connector.connector, columns.join(", "))
                }
            },
            other => return Err(EngineError::Unsupported(format!("EXPLAIN of {other}"))),
        };
        table(vec![Column::Text("plan", text.lines().map(|l| Some(l.to_string())).collect())])
    }

    /// Waits until every running query processed the input available now;
    /// bounded queries until they complete. Fails if a query failed while
    /// it waited.
    async fn flush(&self) -> Result<StatementResult, EngineError> {
        let id = self.inner.next_barrier.fetch_add(1, Ordering::Relaxed) + 1;
        // Each failure is reported by one FLUSH (the first after it): a
        // query that failed earlier and was reported stays visible in SHOW
        // QUERIES but no longer fails every FLUSH.
        let waits: Vec<_> = {
            let queries = self.inner.queries.lock().expect("queries lock");
            queries
                .values()
                .filter(|q| {
                    let failed = matches!(q.progress.borrow().status, QueryStatus::Failed { .. });
                    !(failed && q.failure_reported.load(Ordering::Relaxed))
                })
                .map(|q| {
                    if !q.bounded {
                        q.send_barrier(id);
                    }
                    (q.name.clone(), q.bounded, q.progress.clone(), q.failure_reported.clone())
                })
                .collect()
        };
        for (name, bounded, mut progress, reported) in waits {
            let done = progress
                .wait_for(|p| p.status != QueryStatus::Running || (!bounded && p.barrier >= id))
                .await
                .map(|p| p.status.clone());
            if let Ok(QueryStatus::Failed { message, class }) = done {
                if !reported.swap(true, Ordering::Relaxed) {
                    return Err(EngineError::QueryFailed { name, message, class });
                }
            }
        }
        Ok(command("FLUSH"))
    }

    /// A pull query (or other DataFusion statement) over consistent snapshots
    /// of every view and derived stream.
    async fn run_sql(&self, statement: Statement) -> Result<StatementResult, EngineError> {
        self.plan_pull_query(&statement).await?.run(&self.inner.pull, Vec::new()).await
    }
}
