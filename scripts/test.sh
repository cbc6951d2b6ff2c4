#!/usr/bin/env bash
# Installs what the tests need, then runs every check and test of Eddy:
# formatting, clippy (warnings are errors), unit and operator tests, the
# sqllogictest suite (sql-tests/), the Kafka tests against a real broker
# (scripts/kafka.sh), the Postgres wire and psql tests, every example in
# examples/ (crates/eddy/tests/examples.rs runs them through the binary), and
# the sqllogictest files over the wire (sqllogictest-bin, -e postgres and
# -e postgres-extended, against `eddy serve`; scripts/sqllogictest.sh installs
# it into .cache/), the client compatibility suite (scripts/clients/run.sh: pgJDBC, psycopg, pgx,
# node-postgres, and the tools' own calls: SQLAlchemy, pandas, psqlODBC, psql; each installed
# from its registry into .cache/).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "client tools for the compatibility tests"
if ! command -v psql >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null
fi
psql --version

step "sqllogictest command line (sqllogictest-bin, for the over-the-wire runner)"
SQLLOGICTEST_BIN=$(scripts/sqllogictest.sh)
export SQLLOGICTEST_BIN

step "Kafka broker (Apache Kafka from Maven Central)"
# A broker that was already running is left running; one started here is stopped at the end.
started_kafka=0
if ! scripts/kafka.sh status >/dev/null 2>&1; then
    scripts/kafka.sh start
    started_kafka=1
fi
stop_kafka() { if [ "$started_kafka" = 1 ]; then scripts/kafka.sh stop || true; fi; }
trap stop_kafka EXIT
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${EDDY_KAFKA_PORT:-9092}}"

step "PostgreSQL server (Debian's package, own data dir) for the differential test"
# A server that was already running is left running; one started here is stopped at the end.
started_postgres=0
if ! scripts/postgres.sh status >/dev/null 2>&1; then
    scripts/postgres.sh start
    started_postgres=1
fi
stop_services() {
    stop_kafka
    if [ "$started_postgres" = 1 ]; then scripts/postgres.sh stop || true; fi
}
trap stop_services EXIT
export EDDY_POSTGRES_URL="${EDDY_POSTGRES_URL:-host=127.0.0.1 port=${EDDY_POSTGRES_PORT:-54329} user=postgres dbname=diff}"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (unit, operator, integration, Kafka, sqllogictest in-process and over the wire, wire, example and bench-smoke suites)"
cargo test --workspace

step "client compatibility suite (pgJDBC, psycopg, pgx, node-postgres against target/debug/eddy)"
scripts/clients/run.sh
