//! The `psql` smoke test: the real client against an in-process server —
//! command tags, results, errors, and the catalog meta-commands (`\dt`,
//! `\dm`, `\d name`, `\l`, `\dn`, and their `+` forms, `\df`) that run
//! psql's own `pg_catalog` queries.

mod common;

use std::net::SocketAddr;
use std::process::{Command, Output};

use common::{TestServer, BIDS, BIDS_STREAM};

/// Runs `psql` with one `-c` per command, unaligned and without a psqlrc.
async fn psql(addr: SocketAddr, commands: &[&str]) -> Output {
    let mut command = Command::new("psql");
    command
        .args(["-X", "-w", "-A", "-h", &addr.ip().to_string(), "-p", &addr.port().to_string(), "-U", "eddy"])
        .args(["-d", "eddy", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose"])
        .env_remove("PGPASSWORD")
        .env_remove("PGSERVICE");
    for c in commands {
        command.args(["-c", c]);
    }
    tokio::task::spawn_blocking(move || command.output()).await.expect("the psql task").expect("psql is installed")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `commands` and returns stdout, failing on any error.
async fn psql_ok(addr: SocketAddr, commands: &[&str]) -> String {
    let output = psql(addr, commands).await;
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success() && !stderr.contains("ERROR"), "{commands:?}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_runs_statements_and_prints_their_tags() {
    let server = TestServer::start().await;
    assert_eq!(psql_ok(server.addr, &["SELECT 1 AS one"]).await, "one\n1\n(1 row)\n");

    let out = psql_ok(
        server.addr,
        &[
            BIDS_STREAM,
            "CREATE MATERIALIZED VIEW per_auction AS SELECT auction, count(*) AS bids FROM bids GROUP BY auction",
            "FLUSH",
            "SELECT sum(bids) AS total FROM per_auction",
        ],
    )
    .await;
    assert_eq!(out, format!("CREATE STREAM\nCREATE MATERIALIZED VIEW\nFLUSH\ntotal\n{BIDS}\n(1 row)\n"));

    let failed = psql(server.addr, &["SELECT * FROM no_such_view"]).await;
    assert!(!failed.status.success());
    let stderr = text(&failed.stderr);
    assert!(stderr.contains("ERROR:  42P01:"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_meta_commands_read_the_catalog() {
    let server = TestServer::start().await;
    psql_ok(
        server.addr,
        &[
            BIDS_STREAM,
            "CREATE MATERIALIZED VIEW per_auction AS SELECT auction, count(*) AS bids, max(price) AS top FROM bids GROUP BY auction",
        ],
    )
    .await;

    // Materialized views are relkind 'm': \dm lists them, \dt (tables) does not;
    // the source stream is listed as a table, with its columns.
    let views = psql_ok(server.addr, &["\\dm"]).await;
    assert!(views.lines().any(|l| l.starts_with("public|per_auction|materialized view|")), "\\dm:\n{views}");
    let tables = psql_ok(server.addr, &["\\dt"]).await;
    assert!(!tables.contains("per_auction"), "\\dt:\n{tables}");
    assert!(tables.lines().any(|l| l.starts_with("public|bids|table|")), "\\dt:\n{tables}");
    let stream = psql_ok(server.addr, &["\\d bids"]).await;
    assert!(stream.lines().any(|l| l.starts_with("date_time|timestamp without time zone|")), "\\d bids:\n{stream}");

    let described = psql_ok(server.addr, &["\\d per_auction"]).await;
    assert!(described.starts_with("Materialized view \"public.per_auction\""), "\\d per_auction:\n{described}");
    for column in ["auction|bigint", "bids|bigint", "top|bigint"] {
        assert!(described.lines().any(|l| l.starts_with(column)), "\\d per_auction has {column}:\n{described}");
    }

    let schemas = psql_ok(server.addr, &["\\dn"]).await;
    assert!(schemas.lines().any(|l| l.starts_with("public|")), "\\dn:\n{schemas}");

    let databases = psql_ok(server.addr, &["\\l"]).await;
    assert!(databases.contains("List of databases"), "\\l:\n{databases}");
    // Eddy's one database, and no other.
    let names: Vec<&str> =
        databases.lines().filter(|l| l.contains("|UTF8|")).map(|l| l.split('|').next().unwrap()).collect();
    assert_eq!(names, ["eddy"], "\\l:\n{databases}");
}

/// The `+` meta-commands and `\df`: sizes (`pg_table_size`,
/// `pg_size_pretty`, `pg_database_size`), a materialized view's definition
/// (`pg_get_viewdef`, `ARRAY(...)` over `reloptions`), access privileges
/// (`nspacl`, `pg_has_role`) and function signatures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_verbose_meta_commands_read_the_catalog() {
    let server = TestServer::start().await;
    psql_ok(
        server.addr,
        &[
            BIDS_STREAM,
            "CREATE MATERIALIZED VIEW per_auction AS SELECT auction, count(*) AS bids FROM bids GROUP BY auction",
            "FLUSH",
        ],
    )
    .await;
    // Schema|Name|Type|Owner|Persistence|Access method|Size|Description
    let listed = psql_ok(server.addr, &["\\d+"]).await;
    let size = |listing: &str, name: &str| -> Option<String> {
        let line = listing.lines().find(|l| l.starts_with(&format!("public|{name}|")))?;
        line.split('|').nth(6).map(str::to_string)
    };
    assert_eq!(size(&listed, "bids").as_deref(), Some("0 bytes"), "\\d+:\n{listed}");
    let view_size = size(&listed, "per_auction").unwrap_or_default();
    assert!(view_size.ends_with(" bytes") || view_size.ends_with(" kB"), "\\d+:\n{listed}");
    assert_ne!(view_size, "0 bytes", "\\d+:\n{listed}");
    let tables = psql_ok(server.addr, &["\\dt+"]).await;
    assert!(size(&tables, "bids").is_some() && size(&tables, "per_auction").is_none(), "\\dt+:\n{tables}");
    let views = psql_ok(server.addr, &["\\dm+"]).await;
    assert_eq!(size(&views, "per_auction"), Some(view_size), "\\dm+:\n{views}");

    let described = psql_ok(server.addr, &["\\d+ per_auction"]).await;
    assert!(described.starts_with("Materialized view \"public.per_auction\""), "\\d+ per_auction:\n{described}");
    assert!(
        described.contains("View definition:\nSELECT auction, count(*) AS bids FROM bids GROUP BY auction;"),
        "\\d+ per_auction:\n{described}"
    );
    // every column of a materialized view is nullable: psql's Nullable column is empty
    assert!(described.lines().any(|l| l.starts_with("bids|bigint|||")), "\\d+ per_auction:\n{described}");

    let functions = psql_ok(server.addr, &["\\df"]).await;
    assert!(functions.contains("List of functions"), "\\df:\n{functions}");
    let system = psql_ok(server.addr, &["\\dfS pg_get_keywords"]).await;
    assert!(
        system.contains("pg_catalog|pg_get_keywords|SETOF record|OUT word text, OUT catcode \"char\""),
        "\\dfS pg_get_keywords:\n{system}"
    );
    let schemas = psql_ok(server.addr, &["\\dn+"]).await;
    assert!(schemas.lines().any(|l| l.starts_with("public|")), "\\dn+:\n{schemas}");
    let databases = psql_ok(server.addr, &["\\l+"]).await;
    assert!(databases.lines().any(|l| l.starts_with("eddy|")), "\\l+:\n{databases}");
}
