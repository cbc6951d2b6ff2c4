#!/usr/bin/env bash
# Installs what the tests need, then runs every check and test of Eddy:
# formatting, clippy (warnings are errors), unit and operator tests, the
# sqllogictest suite (sql-tests/), and every example in examples/.
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

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (unit, operator, integration and sqllogictest suites)"
cargo test --workspace

step "examples"
cargo build -p eddy
for example in examples/*.sql; do
    echo "-- eddy run $example"
    target/debug/eddy run "$example" --format csv > /dev/null
done
echo "examples: $(ls examples/*.sql | wc -l) passed, 0 failed"
