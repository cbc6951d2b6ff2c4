//! Eddy over the wire with a real driver (tokio-postgres): the simple and
//! the extended query protocol, prepared statements with parameters, errors
//! with their SQLSTATEs, session settings and cancellation.
//!
//! Expected values come from the Nexmark event mix (computed by hand) or
//! from a batch query over the raw rows, never from the view under test.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{TestServer, BIDS, BIDS_STREAM};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, NoTls, SimpleQueryMessage};

/// The text values of the rows of a simple query.
async fn simple_rows(client: &Client, sql: &str) -> Vec<Vec<Option<String>>> {
    let messages = client.simple_query(sql).await.expect(sql);
    messages
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some((0..row.len()).map(|i| row.get(i).map(str::to_string)).collect()),
            _ => None,
        })
        .collect()
}

/// The SQLSTATE of a failed statement.
fn sqlstate(error: &tokio_postgres::Error) -> &str {
    error.code().map(SqlState::code).unwrap_or("<not a server error>")
}

/// A server with the Nexmark bids, a per-auction aggregate and a plain
/// projection of every bid (the batch oracle), all flushed.
async fn server_with_bids() -> (TestServer, Client) {
    let server = TestServer::start().await;
    let client = server.connect().await;
    client.batch_execute(BIDS_STREAM).await.expect("creating the stream");
    client
        .batch_execute(
            "CREATE MATERIALIZED VIEW per_auction AS \
             SELECT auction, count(*) AS bids, max(price) AS top FROM bids GROUP BY auction; \
             CREATE MATERIALIZED VIEW all_bids AS SELECT auction, price FROM bids; \
             FLUSH",
        )
        .await
        .expect("creating the views");
    (server, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simple_protocol_runs_ddl_flush_and_pull_queries() {
    let (_server, client) = server_with_bids().await;
    let rows = simple_rows(&client, "SELECT count(*) FROM all_bids; SELECT sum(bids) FROM per_auction").await;
    assert_eq!(rows, vec![vec![Some(BIDS.to_string())], vec![Some(BIDS.to_string())]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prepared_statement_with_a_parameter_reads_the_view() {
    let (_server, client) = server_with_bids().await;

    let statement = client
        .prepare("SELECT bids, top FROM per_auction WHERE auction = $1")
        .await
        .expect("preparing a pull query with a parameter");
    assert_eq!(statement.params(), &[Type::INT8]);
    let columns: Vec<(&str, &Type)> = statement.columns().iter().map(|c| (c.name(), c.type_())).collect();
    assert_eq!(columns, vec![("bids", &Type::INT8), ("top", &Type::INT8)]);

    // The oracle: DataFusion's batch aggregate over every bid.
    let mut expected = BTreeMap::new();
    for row in client.query("SELECT auction, count(*), max(price) FROM all_bids GROUP BY auction", &[]).await.unwrap() {
        expected.insert(row.get::<_, i64>(0), (row.get::<_, i64>(1), row.get::<_, i64>(2)));
    }
    assert_eq!(expected.values().map(|(n, _)| n).sum::<i64>(), BIDS);
    assert!(expected.len() > 10, "the bids spread over many auctions");

    for (auction, (bids, top)) in expected.iter().take(25) {
        let row = client.query_one(&statement, &[auction]).await.expect("executing with a parameter");
        assert_eq!((row.get::<_, i64>("bids"), row.get::<_, i64>("top")), (*bids, *top), "auction {auction}");
    }
    let missing = client.query(&statement, &[&-1_i64]).await.unwrap();
    assert!(missing.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_windowed_view_holds_every_bid_once() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    client.batch_execute(BIDS_STREAM).await.unwrap();
    client
        .batch_execute(
            "CREATE MATERIALIZED VIEW per_ms AS \
             SELECT window_start, window_end, count(*) AS bids \
             FROM TUMBLE(bids, date_time, INTERVAL '1 millisecond') GROUP BY window_start, window_end; \
             FLUSH",
        )
        .await
        .unwrap();
    // Event n happens n microseconds after the base time: 1,000 events per
    // millisecond window, 20 full mixes of 46 bids each.
    let rows = client.query("SELECT bids FROM per_ms ORDER BY window_start", &[]).await.unwrap();
    let counts: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(counts, vec![920; 5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describe_gives_the_columns_before_any_row() {
    let (_server, client) = server_with_bids().await;
    let show = client.prepare("SHOW STREAMS").await.unwrap();
    let names: Vec<&str> = show.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, vec!["name", "kind", "connector", "watermark"]);
    let describe = client.prepare("DESCRIBE per_auction").await.unwrap();
    let rows = client.query(&describe, &[]).await.unwrap();
    let columns: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(columns, vec!["auction", "bids", "top"]);
    let ddl = client.prepare("CREATE MATERIALIZED VIEW top_only AS SELECT auction, top FROM per_auction").await;
    assert!(ddl.is_ok(), "DDL prepares with no result columns: {ddl:?}");
    assert!(ddl.unwrap().columns().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_carry_their_sqlstate_over_both_protocols() {
    let (_server, client) = server_with_bids().await;

    let extended = client.query("SELECT * FROM no_such_view", &[]).await.unwrap_err();
    assert_eq!(sqlstate(&extended), "42P01", "{extended:?}");
    let simple = client.batch_execute("SELECT * FROM no_such_view").await.unwrap_err();
    assert_eq!(sqlstate(&simple), "42P01", "{simple:?}");

    let join = client
        .batch_execute(
            "CREATE MATERIALIZED VIEW j AS SELECT a.auction FROM bids a JOIN bids b ON a.auction = b.auction",
        )
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&join), "0A000", "{join:?}");

    let column =
        client.batch_execute("CREATE MATERIALIZED VIEW c AS SELECT no_such_column FROM bids").await.unwrap_err();
    assert_eq!(sqlstate(&column), "42703", "{column:?}");
    let hint = column.as_db_error().and_then(|e| e.hint()).unwrap_or_default();
    assert!(hint.contains("auction"), "the hint names the available columns: {hint:?}");

    let syntax = client.batch_execute("SELEC 1").await.unwrap_err();
    assert_eq!(sqlstate(&syntax), "42601", "{syntax:?}");

    // A failed statement ends a simple query: the one after it does not run.
    let stopped = client.batch_execute("CREATE MATERIALIZED VIEW ok1 AS SELECT auction FROM bids; SELECT * FROM nope; CREATE MATERIALIZED VIEW ok2 AS SELECT auction FROM bids").await;
    assert_eq!(stopped.as_ref().map_err(sqlstate).unwrap_err(), "42P01");
    let views = simple_rows(&client, "SHOW MATERIALIZED VIEWS").await;
    let names: Vec<&str> = views.iter().filter_map(|r| r[0].as_deref()).collect();
    assert!(names.contains(&"ok1") && !names.contains(&"ok2"), "{names:?}");

    // The connection is still usable.
    let one: i64 = client.query_one("SELECT count(*) FROM all_bids", &[]).await.unwrap().get(0);
    assert_eq!(one, BIDS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_settings_are_set_and_shown() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    client
        .batch_execute(
            "SET extra_float_digits = 3; SET application_name = 'wire test'; \
             SET DateStyle = 'ISO, MDY'; SET client_encoding = 'UTF8'",
        )
        .await
        .expect("drivers' SETs are accepted");
    let show = |sql: &'static str| {
        let client = &client;
        async move { simple_rows(client, sql).await[0][0].clone().unwrap_or_default() }
    };
    assert_eq!(show("SHOW extra_float_digits").await, "3");
    assert_eq!(show("SHOW application_name").await, "wire test");
    assert_eq!(show("SHOW server_version").await, "16.0");
    assert_eq!(show("SHOW standard_conforming_strings").await, "on");
    assert_eq!(show("SHOW transaction isolation level").await, "read committed");
    // The extended protocol answers the same.
    let row = client.query_one("SHOW application_name", &[]).await.unwrap();
    assert_eq!(row.columns()[0].name(), "application_name");
    assert_eq!(row.get::<_, String>(0), "wire test");
    client.execute("SET application_name = 'other'", &[]).await.unwrap();
    assert_eq!(show("SHOW application_name").await, "other");
    client.batch_execute("RESET application_name").await.unwrap();
    assert_eq!(show("SHOW application_name").await, "");

    let refused = client.batch_execute("SET client_encoding = 'LATIN1'").await.unwrap_err();
    assert_eq!(sqlstate(&refused), "22023");
    let unknown = client.batch_execute("SHOW no_such_setting").await.unwrap_err();
    assert_eq!(sqlstate(&unknown), "42704");

    // set_config / current_setting act on the session, like SET / SHOW.
    let row = client.query_one("SELECT set_config('application_name', 'via set_config', false)", &[]).await.unwrap();
    assert_eq!(row.columns()[0].name(), "set_config");
    assert_eq!(row.get::<_, String>(0), "via set_config");
    assert_eq!(show("SHOW application_name").await, "via set_config");
    assert_eq!(show("SELECT current_setting('application_name')").await, "via set_config");
    // is_local: only for the transaction, and there is none.
    assert_eq!(show("SELECT set_config('application_name', 'local', true)").await, "local");
    assert_eq!(show("SELECT current_setting('application_name') AS app").await, "via set_config");
    let read_only = client.batch_execute("SELECT set_config('server_version', '9', false)").await.unwrap_err();
    assert_eq!(sqlstate(&read_only), "55P02");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_are_accepted_and_version_names_eddy() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    let transaction = client.transaction().await.expect("BEGIN");
    // `1 + 1` is an integer (int4), as in PostgreSQL.
    let two: i32 = transaction.query_one("SELECT 1 + 1", &[]).await.unwrap().get(0);
    assert_eq!(two, 2);
    transaction.commit().await.expect("COMMIT");
    client.batch_execute("BEGIN; ROLLBACK; START TRANSACTION; COMMIT").await.unwrap();

    let version: String = client.query_one("SELECT version()", &[]).await.unwrap().get(0);
    assert!(version.starts_with("PostgreSQL 16.0 on "), "{version}");
    assert!(version.ends_with(&format!(", Eddy {}", env!("CARGO_PKG_VERSION"))), "{version}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_query_can_be_cancelled() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let cancel = client.cancel_token();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        cancel.cancel_query(NoTls).await
    });
    let long = client.simple_query("SELECT count(*) FROM generate_series(1, 100000000000) AS t(n) WHERE n % 7 = 3");
    let error = tokio::time::timeout(Duration::from_secs(60), long).await.expect("cancelled in time").unwrap_err();
    assert_eq!(sqlstate(&error), "57014", "{error:?}");
    canceller.await.unwrap().expect("the cancel request is delivered");
    let one: i32 = client.query_one("SELECT 1", &[]).await.unwrap().get(0);
    assert_eq!(one, 1);
}

/// Rows are sent as they are computed (simple protocol): the first rows of
/// an endless result arrive, and a cancel request stops it while it
/// streams. In the extended protocol pgwire gathers a portal's rows before
/// sending them; a cancel request stops that too. The connection stays
/// usable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_result_can_be_cancelled() {
    use futures::StreamExt;
    let server = TestServer::start().await;
    let client = server.connect().await;
    // one row per thousand computed: the client's buffer grows slowly
    let endless = "SELECT n FROM generate_series(1, 9000000000000000000) AS t(n) WHERE n % 1000 = 0";
    // extended protocol
    let cancel = client.cancel_token();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        cancel.cancel_query(NoTls).await
    });
    let first = async {
        let rows = client.query_raw(endless, std::iter::empty::<i64>()).await?;
        futures::pin_mut!(rows);
        rows.next().await.expect("an error or a row").map(|_| ())
    };
    let error = tokio::time::timeout(Duration::from_secs(60), first).await.expect("cancelled in time").unwrap_err();
    assert_eq!(sqlstate(&error), "57014", "{error:?}");
    canceller.await.unwrap().expect("the cancel request is delivered");
    // simple protocol: the first row is received before the cancel request
    let cancel = client.cancel_token();
    let (first_row, got_first) = tokio::sync::oneshot::channel();
    let reader = {
        let messages = client.simple_query_raw(endless).await.unwrap();
        tokio::spawn(async move {
            futures::pin_mut!(messages);
            let mut first_row = Some(first_row);
            while let Some(message) = messages.next().await {
                match message {
                    Ok(SimpleQueryMessage::Row(_)) => {
                        if let Some(tx) = first_row.take() {
                            let _ = tx.send(());
                        }
                    }
                    Ok(_) => {}
                    Err(e) => return Some(e),
                }
            }
            None
        })
    };
    tokio::time::timeout(Duration::from_secs(60), got_first)
        .await
        .expect("a first row before the result ends: rows are streamed")
        .expect("a first row");
    cancel.cancel_query(NoTls).await.expect("the cancel request is delivered");
    let error = tokio::time::timeout(Duration::from_secs(60), reader)
        .await
        .expect("cancelled in time")
        .unwrap()
        .expect("an error, not the end of the rows");
    assert_eq!(sqlstate(&error), "57014", "{error:?}");
    let one: i32 = client.query_one("SELECT 1", &[]).await.unwrap().get(0);
    assert_eq!(one, 1);
}

/// Text results spell values as PostgreSQL 16 does (its output for the same
/// literals, by hand): no `.000000` on whole seconds, no `.0` on whole
/// floats, `Infinity`, exponents past 1e15, `postgres`-style intervals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_values_are_spelled_as_postgres_does() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let sql = "SELECT CAST(100 AS DOUBLE PRECISION), CAST(0.1 AS REAL), CAST('inf' AS DOUBLE PRECISION), \
               CAST(1e20 AS DOUBLE PRECISION), TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:01.5', \
               TIME '01:02:03', INTERVAL '10 seconds', INTERVAL '1 day 2 hours', true, DATE '2024-02-29'";
    let expected = [
        "100",
        "0.1",
        "Infinity",
        "1e+20",
        "2024-01-01 00:00:00",
        "2024-01-01 00:00:01.5",
        "01:02:03",
        "00:00:10",
        "1 day 02:00:00",
        "t",
        "2024-02-29",
    ];
    let rows = simple_rows(&client, sql).await;
    let texts: Vec<&str> = rows[0].iter().map(|v| v.as_deref().unwrap_or("NULL")).collect();
    assert_eq!(texts, expected);
    // Binary results are unaffected: the driver decodes real values.
    let row = client.query_one("SELECT CAST(100 AS DOUBLE PRECISION), TIMESTAMP '2024-01-01 00:00:01.5'", &[]).await;
    let row = row.unwrap();
    assert_eq!(row.get::<_, f64>(0), 100.0);
}

/// `to_regtype` / `to_regclass`: the oid of a type or relation, NULL when
/// there is none; psycopg 3 sends the first (with a parameter) when
/// SQLAlchemy connects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn to_regtype_and_to_regclass_find_oids_or_null() {
    let (_server, client) = server_with_bids().await;
    let row = client
        .query_one(
            "SELECT to_regtype('int8') = 20 AS a, to_regtype('hstore') IS NULL AS b, \
             to_regclass('per_auction') IS NOT NULL AS c, to_regclass('no_such_view') IS NULL AS d",
            &[],
        )
        .await
        .unwrap();
    for i in 0..4 {
        assert!(row.get::<_, bool>(i), "column {i}");
    }
    let psycopg = "SELECT typname AS name, oid, typarray AS array_oid, typdelim AS delimiter \
                   FROM pg_type t WHERE t.oid = to_regtype($1) ORDER BY t.oid";
    let rows = client.query(psycopg, &[&"hstore"]).await.unwrap();
    assert!(rows.is_empty());
    let rows = client.query(psycopg, &[&"int8"]).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<_, String>("name"), "int8");
}

/// `information_schema.columns` as PostgreSQL fills it: SQL type names
/// (what Grafana's query builder and knex read) and 1-based positions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn information_schema_columns_has_postgres_type_names() {
    let (_server, client) = server_with_bids().await;
    let rows = simple_rows(
        &client,
        "SELECT c.column_name, c.ordinal_position, c.data_type FROM information_schema.columns AS c \
         WHERE c.table_name = 'per_auction' ORDER BY c.ordinal_position",
    )
    .await;
    let rows: Vec<Vec<String>> =
        rows.into_iter().map(|r| r.into_iter().map(Option::unwrap_or_default).collect()).collect();
    let expected = [["auction", "1", "bigint"], ["bids", "2", "bigint"], ["top", "3", "bigint"]];
    assert_eq!(rows, expected.map(|r| r.map(str::to_string).to_vec()).to_vec());
    let row = client
        .query_one(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'bids' AND column_name = 'date_time'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "timestamp without time zone");
}

/// `LIKE ... ESCAPE` with an escape character other than the backslash
/// (SQLAlchemy's `get_schema_names` sends `ESCAPE '/'` with a parameter in
/// the pattern), and rewritten calls whose arguments hold parameters.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn like_escape_and_rewrites_with_parameters() {
    let (_server, client) = server_with_bids().await;
    let rows = client
        .query(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE $1::VARCHAR || '%' ESCAPE '/' \
             ORDER BY nspname",
            &[&"pg/_"],
        )
        .await
        .unwrap();
    let names: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert!(names.contains(&"public".to_string()) && !names.contains(&"pg_catalog".to_string()), "{names:?}");
    let row = client
        .query_one(
            "SELECT 'a_b' LIKE 'a#_b' ESCAPE '#' AS a, 'axb' LIKE 'a#_b' ESCAPE '#' AS b, \
             '50%' LIKE '50!%' ESCAPE '!' AS c, 'a\\b' LIKE 'a\\b' ESCAPE '#' AS d",
            &[],
        )
        .await
        .unwrap();
    assert_eq!((0..4).map(|i| row.get::<_, bool>(i)).collect::<Vec<_>>(), [true, false, true, true]);
    let row = client.query_one("SELECT to_regclass($1 || '_auction') IS NOT NULL AS found", &[&"per"]).await.unwrap();
    assert!(row.get::<_, bool>(0));
}

/// `pg_settings` lists the settings with their server defaults; pgJDBC
/// reads `max_index_keys` from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_settings_lists_server_defaults() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let rows = simple_rows(
        &client,
        "SELECT name, setting FROM pg_catalog.pg_settings WHERE name IN ('max_index_keys', 'TimeZone') ORDER BY name",
    )
    .await;
    let expected = vec![
        vec![Some("TimeZone".to_string()), Some("UTC".to_string())],
        vec![Some("max_index_keys".to_string()), Some("32".to_string())],
    ];
    assert_eq!(rows, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_functions_name_the_connection() {
    let server = TestServer::start().await;
    let config = format!("host={} port={} user=analyst dbname=reports", server.addr.ip(), server.addr.port());
    let (client, connection) = tokio_postgres::connect(&config, NoTls).await.expect("connecting");
    tokio::spawn(connection);
    let rows = simple_rows(&client, "SELECT current_user, session_user, user, current_database()").await;
    // Any database name reaches Eddy's one database, `eddy`.
    let expected: Vec<Option<String>> = ["analyst", "analyst", "analyst", "eddy"].map(|s| Some(s.to_string())).into();
    assert_eq!(rows, vec![expected]);
    // Named as PostgreSQL names them (`user` is `current_user`).
    let statement =
        client.prepare("SELECT current_user, session_user, user, current_role, current_database()").await.unwrap();
    let names: Vec<&str> = statement.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["current_user", "session_user", "current_user", "current_role", "current_database"]);
    // Inside expressions and with parameters (extended protocol) too.
    let row = client.query_one("SELECT upper(current_user) || $1::text AS who", &[&"!"]).await.unwrap();
    assert_eq!(row.get::<_, String>("who"), "ANALYST!");
    // Who the connection is cannot be set.
    for sql in ["SELECT set_config('user', 'postgres', false)", "SET user = 'postgres'", "RESET database"] {
        let error = client.simple_query(sql).await.unwrap_err();
        assert_eq!(sqlstate(&error), "42704", "{sql}: {error:?}");
    }
    assert_eq!(simple_rows(&client, "SELECT current_user").await, vec![vec![Some("analyst".to_string())]]);
    // information_schema agrees with current_database() (knex's columnInfo filter).
    let row = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() \
             AND table_name = 'pg_class'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn result_columns_are_named_and_typed_as_postgres_does() {
    let (_server, client) = server_with_bids().await;
    let statement = client
        .prepare("SELECT count(*), max(top), 1, 1, bids::text, 2147483648 FROM per_auction GROUP BY bids")
        .await
        .unwrap();
    let columns: Vec<(&str, &Type)> = statement.columns().iter().map(|c| (c.name(), c.type_())).collect();
    assert_eq!(
        columns,
        [
            ("count", &Type::INT8),
            ("max", &Type::INT8),
            ("?column?", &Type::INT4),
            ("?column?", &Type::INT4),
            ("bids", &Type::TEXT),
            ("?column?", &Type::INT8)
        ]
    );
    let rows = client.query(&statement, &[]).await.unwrap();
    // Over all groups the counts add up to the auctions.
    let auctions: i64 = client.query_one("SELECT count(*) FROM per_auction", &[]).await.unwrap().get(0);
    assert_eq!(rows.iter().map(|r| r.get::<_, i64>(0)).sum::<i64>(), auctions);
    assert!(rows.iter().all(|r| r.get::<_, i32>(2) == 1 && r.get::<_, i32>(3) == 1));
}

/// Functions in FROM as PostgreSQL reads them (Grafana's search_path
/// subquery): a one-column table function's column takes the alias, a
/// scalar function is a one-row table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn functions_in_from_are_read_as_postgres_does() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let rows = simple_rows(
        &client,
        "SELECT i, trim(s[i]) FROM generate_series(1, 2) AS i, string_to_array('a, b', ',') s ORDER BY i",
    )
    .await;
    let expected =
        vec![vec![Some("1".to_string()), Some("a".to_string())], vec![Some("2".to_string()), Some("b".to_string())]];
    assert_eq!(rows, expected);
    let row = client.query_one("SELECT * FROM upper($1::text)", &[&"x"]).await.unwrap();
    assert_eq!((row.columns()[0].name(), row.get::<_, String>(0)), ("upper", "X".to_string()));
    let row = client.query_one("SELECT c FROM lower('Y') AS t(c)", &[]).await.unwrap();
    assert_eq!(row.get::<_, String>("c"), "y");
    let error = client.simple_query("SELECT * FROM no_such_function(1)").await.unwrap_err();
    assert_ne!(sqlstate(&error), "XX000", "{error:?}");
}

/// pg_class shows a materialized view as relkind `m`, and only the one in
/// `public`: a system table of the same name keeps its kind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn materialized_views_are_relkind_m_in_public_only() {
    let (_server, client) = server_with_bids().await;
    client.batch_execute("CREATE MATERIALIZED VIEW pg_type AS SELECT auction FROM bids").await.unwrap();
    let rows = simple_rows(
        &client,
        "SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid \
         WHERE c.relname IN ('pg_type', 'per_auction') ORDER BY 1, 2",
    )
    .await;
    let row = |a: &str, b: &str, c: &str| vec![Some(a.to_string()), Some(b.to_string()), Some(c.to_string())];
    assert_eq!(
        rows,
        vec![row("pg_catalog", "pg_type", "r"), row("public", "per_auction", "m"), row("public", "pg_type", "m")]
    );
}

/// Composite values as PostgreSQL reads them: `(f(x)).field`, and
/// `_pg_expandarray` (pgJDBC's getPrimaryKeys) as a set of `(x, n)` rows.
/// Expected: PostgreSQL's `_pg_expandarray('{3,1}')` gives (3,1), (1,2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn composite_fields_and_pg_expandarray() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let rows = simple_rows(
        &client,
        "SELECT (information_schema._pg_expandarray('3 1')).x AS x, (information_schema._pg_expandarray('3 1')).n AS n",
    )
    .await;
    let pair = |x: &str, n: &str| vec![Some(x.to_string()), Some(n.to_string())];
    assert_eq!(rows, vec![pair("3", "1"), pair("1", "2")]);
    let rows = simple_rows(
        &client,
        "SELECT (r.keys).n FROM (SELECT information_schema._pg_expandarray('7 8 9') AS keys) r WHERE (r.keys).x = 8",
    )
    .await;
    assert_eq!(rows, vec![vec![Some("2".to_string())]]);
    // an array, as PostgreSQL's `_pg_expandarray(ARRAY[3,1])`
    let rows = simple_rows(
        &client,
        "SELECT (information_schema._pg_expandarray(ARRAY[3, 1])).x AS x, \
         (information_schema._pg_expandarray(ARRAY[3, 1])).n AS n",
    )
    .await;
    assert_eq!(rows, vec![pair("3", "1"), pair("1", "2")]);
    let error = client.simple_query("SELECT (information_schema._pg_expandarray('1 x')).x").await.unwrap_err();
    let message = error.as_db_error().map(|e| e.message().to_string()).unwrap_or_default();
    assert!(message.contains("invalid int2vector element \"x\""), "{error:?}");
}

/// `x IN (subquery)` in a SELECT list, with PostgreSQL's three values
/// (expected: PostgreSQL's answers to the same query, by its rules).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_subquery_in_the_select_list_has_three_values() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let rows = simple_rows(
        &client,
        "SELECT 1 IN (SELECT 1), 2 IN (SELECT 1), CAST(NULL AS BIGINT) IN (SELECT 1), \
         2 IN (SELECT 1 UNION ALL SELECT NULL), CAST(NULL AS BIGINT) IN (SELECT 1 WHERE false), \
         1 NOT IN (SELECT 2), CASE WHEN 'b' IN (SELECT * FROM (VALUES ('a'), ('b')) t(c)) THEN 'yes' ELSE 'no' END",
    )
    .await;
    let expected: Vec<Option<String>> =
        [Some("t"), Some("f"), None, None, Some("f"), Some("t"), Some("yes")].map(|v| v.map(str::to_string)).into();
    assert_eq!(rows, vec![expected]);
    let rows = simple_rows(
        &client,
        "SELECT c FROM (VALUES ('a'), ('b'), ('c')) t(c) ORDER BY CASE WHEN c IN (SELECT 'b') THEN 0 ELSE 1 END, c",
    )
    .await;
    assert_eq!(rows, vec![vec![Some("b".to_string())], vec![Some("a".to_string())], vec![Some("c".to_string())]]);
    // Nesting stays linear: each level holds one copy of its operands.
    let nested = (0..12).fold("true".to_string(), |inner, _| format!("({inner} IN (SELECT true))"));
    assert_eq!(simple_rows(&client, &format!("SELECT {nested}")).await, vec![vec![Some("t".to_string())]]);
    // Rewritten items keep PostgreSQL's names.
    let statement = client
        .prepare("SELECT 1 IN (SELECT 1), (information_schema._pg_expandarray('4')).n, 2 NOT IN (SELECT 1)")
        .await
        .unwrap();
    let names: Vec<&str> = statement.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["?column?", "n", "?column?"]);
}

/// Scalar subqueries in the SELECT list reach the engine as written (the
/// compatibility parser's rule made a subquery with a table-qualified
/// column NULL), are named after their column, and the functions
/// SQLAlchemy's column listing calls exist.
#[tokio::test]
async fn scalar_subqueries_and_catalog_functions() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let rows = simple_rows(
        &client,
        "SELECT (SELECT count(*) FROM pg_catalog.pg_namespace WHERE pg_namespace.nspname = 'public'), \
         (SELECT t.x FROM (VALUES (1), (2)) t(x) WHERE t.x > 1) AS two, \
         pg_get_serial_sequence('v', 'c'), \
         json_build_object('name', 'cy', 'id', 3, 'big', 3 > 2, 'none', NULL, 'at', \
                           TIMESTAMP '2024-01-01 00:00:01', 'list', make_array(1, 2), 'q', 'a\"b')",
    )
    .await;
    let expected = [
        Some("1"),
        Some("2"),
        None,
        Some(
            r#"{"name" : "cy", "id" : 3, "big" : true, "none" : null, "at" : "2024-01-01T00:00:01", "list" : [1,2], "q" : "a\"b"}"#,
        ),
    ];
    assert_eq!(rows, vec![expected.map(|v| v.map(str::to_string)).to_vec()]);
    // JSON nests, numbers are PostgreSQL's text, composite values are objects
    let rows = simple_rows(
        &client,
        "SELECT json_build_object(), json_build_object('o', json_build_object('f', CAST(1e20 AS DOUBLE PRECISION)), \
         'r', named_struct('a', 1, 'b', 'x'), 'nan', CAST('NaN' AS DOUBLE PRECISION))",
    )
    .await;
    let expected = [Some("{}"), Some(r#"{"o" : {"f" : 1e+20}, "r" : {"a":1,"b":"x"}, "nan" : "NaN"}"#)];
    assert_eq!(rows, vec![expected.map(|v| v.map(str::to_string)).to_vec()]);
    let statement = client.prepare("SELECT (SELECT t.x FROM (VALUES (1)) t(x)), (SELECT 2 AS y)").await.unwrap();
    let names: Vec<&str> = statement.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["x", "y"]);
    let err = client.simple_query("SELECT (SELECT t.x FROM (VALUES (1), (2)) t(x))").await.unwrap_err();
    assert_eq!(err.code().map(|c| c.code()), Some("21000"), "{err}");
}

/// `pg_constraint`'s key columns are arrays (pgJDBC's `getImportedKeys`
/// subscripts them), and `pg_index` is empty: Eddy has no indexes (its
/// vector columns are arrays too, so `getIndexInfo`'s query plans).
#[tokio::test]
async fn catalog_arrays_are_arrays() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let rows = simple_rows(
        &client,
        "SELECT conname, conkey, conkey[2] FROM pg_catalog.pg_constraint \
         WHERE conname IN ('pg_amop_opr_fam_index', 'pg_am_name_index') ORDER BY conname",
    )
    .await;
    let row = |values: [Option<&str>; 3]| values.map(|v| v.map(str::to_string)).to_vec();
    assert_eq!(
        rows,
        vec![
            row([Some("pg_am_name_index"), Some("{2}"), None]),
            row([Some("pg_amop_opr_fam_index"), Some("{7,6,2}"), Some("6")])
        ]
    );
    let statement = client.prepare("SELECT conkey[1] FROM pg_catalog.pg_constraint").await.unwrap();
    assert_eq!(statement.columns()[0].name(), "conkey");
    assert_eq!(statement.columns()[0].type_(), &tokio_postgres::types::Type::INT2);
    let rows =
        simple_rows(&client, "SELECT count(*), max(i.indoption[1]), max(i.indkey[1]) FROM pg_catalog.pg_index i").await;
    assert_eq!(rows, vec![vec![Some("0".to_string()), None, None]]);
    // no oid is an index: NULL, as PostgreSQL answers for a non-index
    let rows = simple_rows(&client, "SELECT pg_get_indexdef(2662), pg_get_indexdef(2662, 1, true)").await;
    assert_eq!(rows, vec![vec![None, None]]);
}

/// One row of text values from `values`.
fn text_row(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(str::to_string)).collect()
}

/// The oid of the relation `name` of `public`.
async fn relation_oid(client: &Client, name: &str) -> String {
    let sql = format!(
        "SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relname = '{name}'"
    );
    simple_rows(client, &sql).await.remove(0).remove(0).expect("an oid")
}

/// The catalog functions psql's `\d+`, `\dt+`, `\l+`, `\df` and
/// SQLAlchemy's reflection call. Expected: PostgreSQL 15's answers for the
/// same oids (`pg_get_function_*`, visibility, `pg_encoding_to_char`,
/// `pg_size_pretty`) and NULL where PostgreSQL has no such object; sizes
/// and definitions from Eddy's own objects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_functions_answer_as_postgres_does() {
    let (_server, client) = server_with_bids().await;
    let rows = simple_rows(
        &client,
        "SELECT pg_type_is_visible(23), pg_collation_is_visible(100), pg_function_is_visible(1686), \
         pg_type_is_visible(999999), pg_get_function_result(1686), pg_get_function_arguments(1686), \
         pg_get_function_arguments(3059), pg_get_function_result(999999), pg_encoding_to_char(6), \
         pg_encoding_to_char(99), pg_has_role('pg_read_all_stats', 'USAGE'), pg_get_ruledef(1), \
         pg_size_pretty(CAST(10485248 AS BIGINT)), pg_size_pretty(CAST(1.50 AS NUMERIC(5, 2)))",
    )
    .await;
    let expected = text_row(&[
        Some("t"),
        Some("t"),
        Some("t"),
        None,
        Some("SETOF record"),
        Some("OUT word text, OUT catcode \"char\", OUT barelabel boolean, OUT catdesc text, OUT baredesc text"),
        Some("text, VARIADIC \"any\""),
        None,
        Some("UTF8"),
        Some(""),
        Some("t"),
        None,
        Some("10 MB"),
        Some("1.50 bytes"),
    ]);
    assert_eq!(rows, vec![expected]);

    // SQLAlchemy 2.1's column query calls a visibility function inside a
    // correlated subquery's value (every collation here is its type's: NULL)
    let rows = simple_rows(
        &client,
        "SELECT pg_catalog.pg_attribute.attname, CASE WHEN (pg_catalog.pg_attribute.attcollation != 0 \
         AND (SELECT pg_catalog.pg_type.typcollation FROM pg_catalog.pg_type \
         WHERE pg_catalog.pg_type.oid = pg_catalog.pg_attribute.atttypid) != pg_catalog.pg_attribute.attcollation) \
         THEN (SELECT json_build_object('name', pg_catalog.pg_collation.collname, 'schema', \
         CASE WHEN pg_catalog.pg_collation_is_visible(pg_catalog.pg_collation.oid) THEN NULL \
         ELSE pg_catalog.pg_namespace.nspname END) FROM pg_catalog.pg_collation JOIN pg_catalog.pg_namespace \
         ON pg_catalog.pg_namespace.oid = pg_catalog.pg_collation.collnamespace \
         WHERE pg_catalog.pg_collation.oid = pg_catalog.pg_attribute.attcollation) ELSE NULL END AS collation \
         FROM pg_catalog.pg_class JOIN pg_catalog.pg_attribute ON pg_catalog.pg_class.oid = pg_catalog.pg_attribute.attrelid \
         WHERE pg_catalog.pg_class.relname = 'per_auction' ORDER BY pg_catalog.pg_attribute.attnum",
    )
    .await;
    let expected: Vec<_> = ["auction", "bids", "top"].iter().map(|name| text_row(&[Some(name), None])).collect();
    assert_eq!(rows, expected);

    // A view's size is its state's; a source stream and an unknown oid hold nothing.
    let view = relation_oid(&client, "all_bids").await;
    let stream = relation_oid(&client, "bids").await;
    let sizes = simple_rows(
        &client,
        &format!(
            "SELECT pg_table_size({view}), pg_total_relation_size({view}), pg_relation_size({view}), \
             pg_table_size({stream}), pg_table_size(999999), pg_database_size('eddy'), pg_database_size('nosuch')"
        ),
    )
    .await
    .remove(0);
    let bytes: Vec<Option<i64>> = sizes.iter().map(|v| v.as_ref().map(|v| v.parse().unwrap())).collect();
    // 4,600 rows of two bigints: at least 73,600 bytes of Arrow buffers
    assert!(bytes[0].unwrap() >= 4600 * 16, "{bytes:?}");
    assert_eq!((bytes[1], bytes[2], bytes[3], bytes[4]), (bytes[0], bytes[0], Some(0), None));
    assert!(bytes[5].unwrap() >= bytes[0].unwrap(), "{bytes:?}");
    assert_eq!(bytes[6], None);
    // \dt+ calls pg_table_size for every row of pg_class
    let listed = simple_rows(
        &client,
        "SELECT c.relname, pg_size_pretty(pg_table_size(c.oid)) FROM pg_catalog.pg_class c \
         WHERE c.relname IN ('bids', 'per_auction') ORDER BY 1",
    )
    .await;
    assert_eq!(listed[0], text_row(&[Some("bids"), Some("0 bytes")]));
    assert_eq!(listed[1][0].as_deref(), Some("per_auction"));
    assert!(listed[1][1].as_deref().is_some_and(|s| s.ends_with(" bytes") || s.ends_with(" kB")), "{listed:?}");

    // The definition of a materialized view as Eddy keeps it; NULL for anything else.
    let per_auction = relation_oid(&client, "per_auction").await;
    let rows = simple_rows(
        &client,
        &format!(
            "SELECT pg_get_viewdef({per_auction}), pg_get_viewdef({per_auction}, true), pg_get_viewdef({stream}), \
             pg_get_viewdef(999999)"
        ),
    )
    .await;
    let definition = "SELECT auction, count(*) AS bids, max(price) AS top FROM bids GROUP BY auction;";
    assert_eq!(rows, vec![text_row(&[Some(definition), Some(definition), None, None])]);
}

/// `pg_class.reloptions` / `relacl` and `pg_namespace.nspacl` are arrays
/// (NULL), as psql's `\d+` and `\dn+` and SQLAlchemy 2.1 read them; a
/// missing column is named as PostgreSQL names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_acl_and_option_columns_are_arrays() {
    let (_server, client) = server_with_bids().await;
    let rows = simple_rows(
        &client,
        "SELECT c.reloptions, c.relacl, array_to_string(c.reloptions, ', '), \
         array_to_string(n.nspacl, E'\\n') FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'per_auction'",
    )
    .await;
    assert_eq!(rows, vec![text_row(&[None, None, None, None])]);
    for sql in ["SELECT c.nosuch FROM pg_catalog.pg_class c", "SELECT nosuch FROM pg_catalog.pg_class"] {
        let error = client.simple_query(sql).await.unwrap_err();
        let error = error.as_db_error().expect("a server error");
        assert_eq!((error.code().code(), error.message()), ("42703", "column \"nosuch\" does not exist"), "{sql}");
    }
}

/// Every column of a materialized view is nullable, as PostgreSQL says of
/// materialized views (here a `count(*)` column too).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn materialized_view_columns_are_nullable() {
    let (_server, client) = server_with_bids().await;
    let rows = simple_rows(
        &client,
        "SELECT a.attname, a.attnotnull FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c \
         ON c.oid = a.attrelid WHERE c.relname = 'per_auction' ORDER BY a.attnum",
    )
    .await;
    let expected: Vec<_> = ["auction", "bids", "top"].iter().map(|name| text_row(&[Some(name), Some("f")])).collect();
    assert_eq!(rows, expected);
    let rows = simple_rows(
        &client,
        "SELECT column_name, is_nullable FROM information_schema.columns \
         WHERE table_name = 'per_auction' ORDER BY ordinal_position",
    )
    .await;
    let expected: Vec<_> = ["auction", "bids", "top"].iter().map(|name| text_row(&[Some(name), Some("YES")])).collect();
    assert_eq!(rows, expected);
}

/// Set-returning functions in a SELECT list give a row per value, side by
/// side zipped with NULLs (PostgreSQL 10+); `ARRAY(subquery)` and the type
/// `name`. Expected: PostgreSQL 15's answers to the same queries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_returning_functions_and_array_subqueries() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let one = |v: &str| vec![Some(v.to_string())];
    assert_eq!(simple_rows(&client, "SELECT generate_series(1, 3)").await, vec![one("1"), one("2"), one("3")]);
    let rows = simple_rows(&client, "SELECT generate_series(1, 5) AS a, generate_series(5, 1, -2) AS b").await;
    let pairs =
        [(Some("1"), Some("5")), (Some("2"), Some("3")), (Some("3"), Some("1")), (Some("4"), None), (Some("5"), None)];
    assert_eq!(rows, pairs.iter().map(|(a, b)| text_row(&[*a, *b])).collect::<Vec<_>>());
    let rows =
        simple_rows(&client, "SELECT generate_subscripts(ARRAY[10, 20, 30], 1, true), unnest(ARRAY['a', 'b'])").await;
    let pairs = [(Some("3"), Some("a")), (Some("2"), Some("b")), (Some("1"), None)];
    assert_eq!(rows, pairs.iter().map(|(a, b)| text_row(&[*a, *b])).collect::<Vec<_>>());
    let statement = client.prepare("SELECT generate_series(1, 2)").await.unwrap();
    assert_eq!(statement.columns()[0].name(), "generate_series");
    let rows = simple_rows(
        &client,
        "SELECT array(select x * 2 from unnest(ARRAY[3, 1, 2]) x where x > 1), \
         array(select x from (values (3), (1), (2)) t(x) order by x desc), \
         array_to_string(CAST(NULL AS TEXT[]) || array(select 'toast.' || x from unnest(CAST(NULL AS TEXT[])) x), ', '), \
         'eddy'::name",
    )
    .await;
    assert_eq!(rows, vec![text_row(&[Some("{6,4}"), Some("{3,2,1}"), Some(""), Some("eddy")])]);
    // over the elements of an outer query's array (psql's \d+)
    let rows = simple_rows(
        &client,
        "SELECT array(select 'toast.' || x from unnest(t.opts) x), array(select x from unnest(t.opts) x where x > 'a') \
         FROM (SELECT string_to_array('a,b', ',') AS opts) t",
    )
    .await;
    assert_eq!(rows, vec![text_row(&[Some("{toast.a,toast.b}"), Some("{b}")])]);
}
