//! The `psql` smoke test: the real client against an in-process server —
//! command tags, results, errors, and the catalog meta-commands (`\dt`,
//! `\dm`, `\d name`, `\l`, `\dn`) that run psql's own `pg_catalog` queries.

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
}
