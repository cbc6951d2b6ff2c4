//! The differential test: every query of the corpus in
//! `sql-tests/differential/` runs on a real PostgreSQL (started by
//! `scripts/postgres.sh`) and on Eddy over the wire, over the same rows, and
//! the answers must agree: the same rows as text (in order when the query has
//! an `ORDER BY`), or errors with the same SQLSTATE.
//!
//! Each table of `schema.sql` is loaded into PostgreSQL from
//! `data/<table>.ndjson` (`json_populate_recordset`) and into Eddy as a file
//! stream `<table>_stream` read by a materialized view `<table>`, so pull
//! queries name the same tables on both sides.
//!
//! Three runs of a query:
//! - **pull**: the query as written, on both;
//! - **stream**: a query over one table without `LIMIT`, subqueries or
//!   set-returning functions also runs (without its `ORDER BY`) as a
//!   continuous query,
//!   `CREATE MATERIALIZED VIEW` over the table's stream, compared with
//!   PostgreSQL's answer (a row error must fail the query with the SQLSTATE
//!   PostgreSQL raises);
//! - **window**: an aggregating query of that kind also runs over
//!   `TUMBLE(<table>_stream, ts, INTERVAL '1 hour')` grouped by
//!   `window_start`, compared with PostgreSQL's `date_bin('1 hour', ts, ...)`.
//!
//! A query whose answers differ fails the test unless a comment right above
//! it says why: `-- eddy refuses: <reason>` (Eddy answers with an error
//! where PostgreSQL has rows), `-- eddy differs: <reason>` (a documented
//! deviation, listed in docs/sql.md), or the same with `eddy stream` /
//! `eddy window` for the other runs. An annotation on a query that agrees
//! fails too, so the list stays true. An internal error (XX000) always fails.
//!
//! `EDDY_POSTGRES_URL` (default `host=127.0.0.1 port=54329 user=postgres
//! dbname=diff`) names the PostgreSQL; `cargo test --test differential
//! [FILTER]` runs the files whose name contains FILTER.

mod common;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use sqlparser::ast::{
    Expr, FunctionArguments, GroupByExpr, Query, SelectItem, SetExpr, Statement, TableFactor, Visit, Visitor,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use tokio_postgres::{Client, NoTls, SimpleQueryMessage};

/// The functions whose call makes a `SELECT` aggregate (for the window run).
const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "bool_and",
    "bool_or",
    "every",
    "string_agg",
    "array_agg",
    "stddev",
    "stddev_pop",
    "stddev_samp",
    "variance",
    "var_pop",
    "var_samp",
];

/// Functions returning sets: a continuous query cannot run them per row yet.
const SET_RETURNING: &[&str] =
    &["unnest", "generate_series", "regexp_split_to_table", "json_array_elements", "json_each", "jsonb_each"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Run {
    Pull,
    Stream,
    Window,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Run::Pull => "pull",
            Run::Stream => "stream",
            Run::Window => "window",
        })
    }
}

/// What a query is expected to give on Eddy, compared with PostgreSQL.
#[derive(Debug, Clone, PartialEq)]
enum Expectation {
    Equal,
    Refused(String),
    Differs(String),
}

#[derive(Debug)]
struct Case {
    file: String,
    line: usize,
    sql: String,
    expect: BTreeMap<Run, Expectation>,
}

impl Case {
    fn expectation(&self, run: Run) -> Expectation {
        self.expect.get(&run).cloned().unwrap_or(Expectation::Equal)
    }
}

/// The answer to one statement.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Rows(Vec<Vec<Option<String>>>),
    Error { sqlstate: String, message: String },
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Rows(rows) => {
                let shown: Vec<String> = rows
                    .iter()
                    .take(8)
                    .map(|r| {
                        let cells: Vec<&str> = r.iter().map(|c| c.as_deref().unwrap_or("NULL")).collect();
                        format!("({})", cells.join(", "))
                    })
                    .collect();
                let more = if rows.len() > 8 { format!(" ... {} rows", rows.len()) } else { String::new() };
                write!(f, "{}{more}", shown.join(" "))
            }
            Outcome::Error { sqlstate, message } => write!(f, "ERROR {sqlstate}: {message}"),
        }
    }
}

/// How one run of one case ended.
#[derive(Debug, PartialEq)]
enum Verdict {
    Equal,
    Refused,
    Differs,
    Failed(String),
}

fn parse_corpus(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).expect("reading a corpus file");
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    let mut cases = Vec::new();
    let mut expect = BTreeMap::new();
    let mut sql = String::new();
    let mut start = 0;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if sql.is_empty() {
            if let Some(comment) = trimmed.strip_prefix("--") {
                if let Some((run, expectation)) = annotation(comment.trim()) {
                    expect.insert(run, expectation);
                }
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
            start = index + 1;
        }
        sql.push_str(line);
        sql.push('\n');
        if trimmed.ends_with(';') {
            let statement = sql.trim().trim_end_matches(';').trim().to_string();
            cases.push(Case { file: file.clone(), line: start, sql: statement, expect: std::mem::take(&mut expect) });
            sql.clear();
        }
    }
    assert!(sql.trim().is_empty(), "{file}: the last query has no ';'");
    cases
}

/// `eddy [stream|window] refuses|differs: reason`.
fn annotation(comment: &str) -> Option<(Run, Expectation)> {
    let rest = comment.strip_prefix("eddy ")?;
    let (run, rest) = match rest.split_once(' ') {
        Some(("stream", rest)) => (Run::Stream, rest),
        Some(("window", rest)) => (Run::Window, rest),
        _ => (Run::Pull, rest),
    };
    let (verb, reason) = rest.split_once(':')?;
    let reason = reason.trim().to_string();
    assert!(!reason.is_empty(), "an annotation needs a reason: -- {comment}");
    match verb.trim() {
        "refuses" => Some((run, Expectation::Refused(reason))),
        "differs" => Some((run, Expectation::Differs(reason))),
        other => panic!("unknown annotation '{other}' in -- {comment}"),
    }
}

async fn outcome(client: &Client, sql: &str) -> Outcome {
    match client.simple_query(sql).await {
        Ok(messages) => Outcome::Rows(
            messages
                .into_iter()
                .filter_map(|m| match m {
                    SimpleQueryMessage::Row(row) => {
                        Some((0..row.len()).map(|i| row.get(i).map(str::to_string)).collect())
                    }
                    _ => None,
                })
                .collect(),
        ),
        Err(e) => match e.as_db_error() {
            Some(db) => Outcome::Error { sqlstate: db.code().code().to_string(), message: db.message().to_string() },
            None => Outcome::Error { sqlstate: "(none)".into(), message: e.to_string() },
        },
    }
}

/// Runs a statement that must succeed (loading, dropping).
async fn must(client: &Client, sql: &str) {
    if let Outcome::Error { sqlstate, message } = outcome(client, sql).await {
        panic!("{sql}\nfailed: {sqlstate} {message}");
    }
}

/// How a column's values are compared, from the type PostgreSQL gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Compare {
    Exact,
    /// float4 / float8: equal within a relative 1e-12 (1e-6 for real):
    /// the last digit of a sum depends on the order of its terms.
    Float(f64),
    /// numeric: equal at the smaller of the two scales. PostgreSQL gives
    /// each numeric value a scale of its own (`avg` of integers has 16 to 20
    /// decimals depending on the value); an Arrow decimal column has one.
    Numeric,
}

fn cells_equal(a: &Option<String>, b: &Option<String>, how: Compare) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return a == b };
    if a == b {
        return true;
    }
    match how {
        Compare::Exact => false,
        Compare::Float(tolerance) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) if x.is_finite() && y.is_finite() => {
                x == y || (x - y).abs() <= tolerance * x.abs().max(y.abs())
            }
            _ => false,
        },
        Compare::Numeric => numeric_equal(a, b),
    }
}

/// Decimal texts equal when rounded (half away from zero) to the smaller scale.
fn numeric_equal(a: &str, b: &str) -> bool {
    fn split(s: &str) -> Option<(bool, String, String)> {
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some((negative, int.to_string(), frac.to_string()))
    }
    /// The digits of `int.frac` rounded to `scale` decimals, as one integer text.
    fn rounded(int: &str, frac: &str, scale: usize) -> String {
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().take(scale)).map(|d| d - b'0').collect();
        digits.extend(std::iter::repeat_n(0, scale.saturating_sub(frac.len())));
        if frac.as_bytes().get(scale).is_some_and(|d| *d >= b'5') {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        let trimmed = text.trim_start_matches('0');
        if trimmed.is_empty() {
            "0".into()
        } else {
            trimmed.into()
        }
    }
    let (Some((na, ia, fa)), Some((nb, ib, fb))) = (split(a), split(b)) else { return false };
    let scale = fa.len().min(fb.len());
    let (ra, rb) = (rounded(&ia, &fa, scale), rounded(&ib, &fb, scale));
    ra == rb && (na == nb || ra == "0")
}

fn rows_equal(a: &[Vec<Option<String>>], b: &[Vec<Option<String>>], columns: &[Compare]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .enumerate()
                    .all(|(i, (p, q))| cells_equal(p, q, *columns.get(i).unwrap_or(&Compare::Exact)))
        })
}

/// A sort key that equal-enough values share: floats and numerics rounded.
fn sort_key(row: &[Option<String>], columns: &[Compare]) -> Vec<Option<String>> {
    row.iter()
        .enumerate()
        .map(|(i, cell)| match (cell, columns.get(i)) {
            (Some(text), Some(Compare::Float(_) | Compare::Numeric)) => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(format!("{:.6e}", v)),
                _ => Some(text.clone()),
            },
            _ => cell.clone(),
        })
        .collect()
}

fn judge(expect: &Expectation, postgres: &Outcome, eddy: &Outcome, ordered: bool, columns: &[Compare]) -> Verdict {
    let same = match (postgres, eddy) {
        (Outcome::Rows(a), Outcome::Rows(b)) if !ordered => {
            let (mut a, mut b) = (a.clone(), b.clone());
            a.sort_by_key(|r| sort_key(r, columns));
            b.sort_by_key(|r| sort_key(r, columns));
            rows_equal(&a, &b, columns)
        }
        (Outcome::Rows(a), Outcome::Rows(b)) => rows_equal(a, b, columns),
        (Outcome::Error { sqlstate: a, .. }, Outcome::Error { sqlstate: b, .. }) => a == b,
        _ => false,
    };
    if let Outcome::Error { sqlstate, message } = eddy {
        if sqlstate == "XX000" || sqlstate == "(none)" {
            return Verdict::Failed(format!("internal error {sqlstate}: {message}"));
        }
    }
    match (expect, same) {
        (Expectation::Equal, true) => Verdict::Equal,
        (Expectation::Equal, false) => Verdict::Failed("answers differ".into()),
        (Expectation::Refused(_), true) | (Expectation::Differs(_), true) => {
            Verdict::Failed("answers agree now: remove the annotation".into())
        }
        (Expectation::Refused(_), false) => match (postgres, eddy) {
            (Outcome::Rows(_), Outcome::Error { .. }) => Verdict::Refused,
            _ => Verdict::Failed("annotated as refused, but Eddy did not answer with an error".into()),
        },
        (Expectation::Differs(_), false) => Verdict::Differs,
    }
}

/// A table of `schema.sql`: its name and the text of its column list.
struct Table {
    name: String,
    create: String,
    columns: String,
}

fn tables(dir: &Path) -> Vec<Table> {
    let text = std::fs::read_to_string(dir.join("schema.sql")).expect("reading schema.sql");
    let statements = Parser::parse_sql(&PostgreSqlDialect {}, &text).expect("parsing schema.sql");
    statements
        .into_iter()
        .map(|statement| match &statement {
            Statement::CreateTable(create) => Table {
                name: create.name.to_string(),
                columns: create.columns.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                create: statement.to_string(),
            },
            other => panic!("schema.sql holds CREATE TABLE statements only, found {other}"),
        })
        .collect()
}

async fn load(postgres: &Client, eddy: &Client, dir: &Path, tables: &[Table]) {
    for table in tables {
        let data = dir.join("data").join(format!("{}.ndjson", table.name));
        let rows: Vec<String> = std::fs::read_to_string(&data)
            .unwrap_or_else(|e| panic!("reading {}: {e}", data.display()))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        let json = format!("[{}]", rows.join(",")).replace('\'', "''");
        must(postgres, &format!("DROP TABLE IF EXISTS {} CASCADE", table.name)).await;
        must(postgres, &table.create).await;
        must(
            postgres,
            &format!("INSERT INTO {0} SELECT * FROM json_populate_recordset(NULL::{0}, '{json}'::json)", table.name),
        )
        .await;
        must(
            eddy,
            &format!(
                "CREATE STREAM {0}_stream ({1}, WATERMARK FOR ts AS ts - INTERVAL '7 days') \
                 WITH (connector = 'file', path = '{2}', format = 'json')",
                table.name,
                table.columns,
                data.display()
            ),
        )
        .await;
        must(eddy, &format!("CREATE MATERIALIZED VIEW {0} AS SELECT * FROM {0}_stream", table.name)).await;
    }
    must(eddy, "FLUSH").await;
}

/// What the parsed query allows: a top-level `ORDER BY`, and the shape of
/// a continuous query over one table.
struct Shape {
    ordered: bool,
    /// The `SELECT` when it reads one table of the corpus and nothing a
    /// continuous query cannot run, with that table's name.
    streamable: Option<(sqlparser::ast::Select, String)>,
    aggregating: bool,
}

fn shape(sql: &str, tables: &[Table]) -> Shape {
    let Ok(mut statements) = Parser::parse_sql(&PostgreSqlDialect {}, sql) else {
        return Shape { ordered: false, streamable: None, aggregating: false };
    };
    let Some(Statement::Query(query)) = statements.pop() else {
        return Shape { ordered: false, streamable: None, aggregating: false };
    };
    let ordered = query.order_by.is_some();
    let streamable = streamable_select(&query, tables);
    let aggregating = streamable.as_ref().is_some_and(|(select, _)| {
        let grouped = !matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty());
        grouped || calls_any(select, AGGREGATES)
    });
    Shape { ordered, streamable, aggregating }
}

fn streamable_select(query: &Query, tables: &[Table]) -> Option<(sqlparser::ast::Select, String)> {
    // A top-level ORDER BY is dropped: a view's rows are compared unordered.
    if query.limit_clause.is_some() || query.with.is_some() || query.fetch.is_some() {
        return None;
    }
    let SetExpr::Select(select) = query.body.as_ref() else { return None };
    if select.distinct.is_some() || select.from.len() != 1 || !select.from[0].joins.is_empty() {
        return None;
    }
    let TableFactor::Table { name, args: None, .. } = &select.from[0].relation else { return None };
    let table = name.to_string();
    if !tables.iter().any(|t| t.name == table) {
        return None;
    }
    let mut finder = Unstreamable(false);
    let _ = select.visit(&mut finder);
    if finder.0 || calls_any(select, SET_RETURNING) {
        return None;
    }
    Some((select.as_ref().clone(), table))
}

/// Finds subqueries and window functions.
struct Unstreamable(bool);

impl Visitor for Unstreamable {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &Expr) -> std::ops::ControlFlow<()> {
        match expr {
            Expr::Subquery(_) | Expr::InSubquery { .. } | Expr::Exists { .. } => self.0 = true,
            Expr::Function(f) if f.over.is_some() => self.0 = true,
            _ => {}
        }
        std::ops::ControlFlow::Continue(())
    }
}

fn calls_any(select: &sqlparser::ast::Select, names: &[&str]) -> bool {
    struct Calls<'a>(&'a [&'a str], bool);
    impl Visitor for Calls<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &Expr) -> std::ops::ControlFlow<()> {
            if let Expr::Function(f) = expr {
                let name = f.name.to_string().to_lowercase();
                if self.0.contains(&name.as_str()) && !matches!(f.args, FunctionArguments::None) {
                    self.1 = true;
                }
            }
            std::ops::ControlFlow::Continue(())
        }
    }
    let mut calls = Calls(names, false);
    let _ = select.visit(&mut calls);
    calls.1
}

/// The select list with every unaliased item named `c1, c2, ...`: a view's
/// columns need distinct names, which the expressions' names may not be.
fn named_items(select: &sqlparser::ast::Select) -> Vec<String> {
    select
        .projection
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            SelectItem::UnnamedExpr(e) => format!("{e} AS c{}", i + 1),
            other => other.to_string(),
        })
        .collect()
}

fn clauses(select: &sqlparser::ast::Select) -> (String, Vec<String>, String) {
    let filter = select.selection.as_ref().map(|w| format!(" WHERE {w}")).unwrap_or_default();
    let group = match &select.group_by {
        GroupByExpr::Expressions(exprs, _) => exprs.iter().map(ToString::to_string).collect(),
        GroupByExpr::All(_) => vec!["ALL".to_string()],
    };
    let having = select.having.as_ref().map(|h| format!(" HAVING {h}")).unwrap_or_default();
    (filter, group, having)
}

/// The query as a continuous query over the table's stream.
fn stream_query(select: &sqlparser::ast::Select, table: &str) -> String {
    let (filter, group, having) = clauses(select);
    let group = if group.is_empty() { String::new() } else { format!(" GROUP BY {}", group.join(", ")) };
    format!("SELECT {} FROM {table}_stream AS {table}{filter}{group}{having}", named_items(select).join(", "))
}

/// The aggregating query per one-hour tumbling window, for Eddy and for
/// PostgreSQL; `None` when its GROUP BY names positions or ALL.
fn window_queries(select: &sqlparser::ast::Select, table: &str) -> Option<(String, String)> {
    let (filter, group, having) = clauses(select);
    if group.iter().any(|g| g == "ALL" || g.parse::<u64>().is_ok()) {
        return None;
    }
    let items = named_items(select).join(", ");
    let rest = if group.is_empty() { String::new() } else { format!(", {}", group.join(", ")) };
    let eddy = format!(
        "SELECT window_start AS w, {items} FROM TUMBLE({table}_stream, ts, INTERVAL '1 hour'){filter} \
         GROUP BY window_start{rest}{having}"
    );
    let bin = "date_bin('1 hour', ts, TIMESTAMP '2000-01-01')";
    let postgres = format!("SELECT {bin} AS w, {items} FROM {table}{filter} GROUP BY {bin}{rest}{having}");
    Some((eddy, postgres))
}

/// How each result column compares, from the types PostgreSQL describes
/// for `sql`; only asked when the texts differ.
async fn column_comparisons(postgres: &Client, sql: &str, expected: &Outcome, answer: &Outcome) -> Vec<Compare> {
    let (Outcome::Rows(a), Outcome::Rows(b)) = (expected, answer) else { return Vec::new() };
    if a == b {
        return Vec::new();
    }
    let Ok(statement) = postgres.prepare(sql).await else { return Vec::new() };
    statement
        .columns()
        .iter()
        .map(|c| match *c.type_() {
            tokio_postgres::types::Type::FLOAT8 => Compare::Float(1e-12),
            tokio_postgres::types::Type::FLOAT4 => Compare::Float(1e-6),
            tokio_postgres::types::Type::NUMERIC => Compare::Numeric,
            _ => Compare::Exact,
        })
        .collect()
}

/// Runs `query` as a materialized view and reads it back; errors at CREATE
/// or while it runs (reported by FLUSH) are the outcome.
async fn as_view(eddy: &Client, name: &str, query: &str) -> Outcome {
    let created = outcome(eddy, &format!("CREATE MATERIALIZED VIEW {name} AS {query}")).await;
    if let Outcome::Error { .. } = created {
        return created;
    }
    let flushed = outcome(eddy, "FLUSH").await;
    let result = match flushed {
        Outcome::Error { .. } => flushed,
        Outcome::Rows(_) => outcome(eddy, &format!("SELECT * FROM {name}")).await,
    };
    must(eddy, &format!("DROP MATERIALIZED VIEW {name}")).await;
    result
}

#[derive(Default)]
struct Tally {
    equal: usize,
    refused: usize,
    differs: usize,
    failed: usize,
}

impl Tally {
    fn add(&mut self, verdict: &Verdict) {
        match verdict {
            Verdict::Equal => self.equal += 1,
            Verdict::Refused => self.refused += 1,
            Verdict::Differs => self.differs += 1,
            Verdict::Failed(_) => self.failed += 1,
        }
    }

    fn total(&self) -> usize {
        self.equal + self.refused + self.differs + self.failed
    }
}

fn corpus_files(dir: &Path, filter: Option<&str>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("reading sql-tests/differential")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql") && !p.ends_with("schema.sql"))
        .filter(|p| filter.is_none_or(|f| p.file_name().unwrap().to_string_lossy().contains(f)))
        .collect();
    files.sort();
    files
}

#[tokio::main]
async fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root");
    let dir = root.join("sql-tests/differential");
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let url = std::env::var("EDDY_POSTGRES_URL")
        .unwrap_or_else(|_| "host=127.0.0.1 port=54329 user=postgres dbname=diff".to_string());
    let (postgres, connection) = tokio_postgres::connect(&url, NoTls).await.unwrap_or_else(|e| {
        panic!("no PostgreSQL at '{url}' ({e}): start it with scripts/postgres.sh start, or set EDDY_POSTGRES_URL")
    });
    tokio::spawn(connection);
    let server = common::TestServer::start().await;
    let mut eddy = server.connect().await;
    let tables = tables(&dir);
    load(&postgres, &eddy, &dir, &tables).await;

    let mut tallies: BTreeMap<(String, Run), Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut view = 0;
    for file in corpus_files(&dir, filter.as_deref()) {
        for case in parse_corpus(&file) {
            let shape = shape(&case.sql, &tables);
            let expected = outcome(&postgres, &case.sql).await;
            let mut runs =
                vec![(Run::Pull, expected.clone(), outcome(&eddy, &case.sql).await, shape.ordered, case.sql.clone())];
            if let Some((select, table)) = &shape.streamable {
                view += 1;
                let answer = as_view(&eddy, &format!("differential_{view}"), &stream_query(select, table)).await;
                let postgres_sql = stream_query_postgres(select, table);
                let expected = outcome(&postgres, &postgres_sql).await;
                runs.push((Run::Stream, expected, answer, false, postgres_sql));
                if shape.aggregating {
                    if let Some((eddy_sql, postgres_sql)) = window_queries(select, table) {
                        view += 1;
                        let answer = as_view(&eddy, &format!("differential_{view}"), &eddy_sql).await;
                        let expected = outcome(&postgres, &postgres_sql).await;
                        runs.push((Run::Window, expected, answer, false, postgres_sql));
                    }
                }
            }
            for run in [Run::Stream, Run::Window] {
                if case.expect.contains_key(&run) && !runs.iter().any(|r| r.0 == run) {
                    failures.push(format!(
                        "{}:{}: [{run}] annotated, but the query has no {run} run\n  {}",
                        case.file, case.line, case.sql
                    ));
                }
            }
            if eddy.is_closed() {
                failures.push(format!("{}:{}: the connection to Eddy closed\n  {}", case.file, case.line, case.sql));
                eddy = server.connect().await;
            }
            for (run, expected, answer, ordered, sql) in runs {
                let columns = column_comparisons(&postgres, &sql, &expected, &answer).await;
                let verdict = judge(&case.expectation(run), &expected, &answer, ordered, &columns);
                tallies.entry((case.file.clone(), run)).or_default().add(&verdict);
                if let Verdict::Failed(why) = verdict {
                    failures.push(format!(
                        "{}:{}: [{run}] {why}\n  {}\n  postgres: {expected}\n  eddy:     {answer}",
                        case.file,
                        case.line,
                        case.sql.replace('\n', "\n  ")
                    ));
                }
            }
        }
    }
    report(&tallies);
    if !failures.is_empty() {
        for failure in &failures {
            println!("\n{failure}");
        }
        println!("\n{} failures", failures.len());
        std::process::exit(1);
    }
}

/// PostgreSQL's side of the stream run: the same items, names and clauses
/// over the table.
fn stream_query_postgres(select: &sqlparser::ast::Select, table: &str) -> String {
    stream_query(select, table).replacen(&format!("{table}_stream AS {table}"), table, 1)
}

fn report(tallies: &BTreeMap<(String, Run), Tally>) {
    println!("differential test against PostgreSQL: queries compared per file and run");
    println!(
        "{:<22} {:<7} {:>8} {:>6} {:>8} {:>8} {:>7}",
        "file", "run", "compared", "equal", "refused", "differs", "failed"
    );
    let mut totals: BTreeMap<Run, Tally> = BTreeMap::new();
    for ((file, run), t) in tallies {
        println!(
            "{file:<22} {run:<7} {:>8} {:>6} {:>8} {:>8} {:>7}",
            t.total(),
            t.equal,
            t.refused,
            t.differs,
            t.failed
        );
        let total = totals.entry(*run).or_default();
        total.equal += t.equal;
        total.refused += t.refused;
        total.differs += t.differs;
        total.failed += t.failed;
    }
    for (run, t) in &totals {
        println!(
            "{:<22} {run:<7} {:>8} {:>6} {:>8} {:>8} {:>7}",
            "TOTAL",
            t.total(),
            t.equal,
            t.refused,
            t.differs,
            t.failed
        );
    }
}
