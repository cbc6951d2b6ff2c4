#!/usr/bin/env bash
# Installs the sqllogictest command line (crate sqllogictest-bin) that the
# over-the-wire runner (crates/eddy/tests/sqllogictest_wire.rs) drives against
# `eddy serve`, and prints the path of the binary.
#
#   scripts/sqllogictest.sh           install if missing, print the binary's path
#
# The install is pinned and --locked: 0.29.1 with its own lock file uses
# tokio-postgres 0.7.12, whose error text still holds the server's message
# ("db error: ERROR: ..."); later tokio-postgres versions print "db error"
# only, and `statement error <regex>` could not match a message. A debug
# build (about 2 minutes on 2 cores) is plenty for a test driver.
#
# Environment:
#   EDDY_SLT_VERSION   sqllogictest-bin version (default 0.29.1)
#   EDDY_SLT_HOME      install root (default <repo>/.cache/sqllogictest-<version>, git-ignored)
set -euo pipefail

VERSION=${EDDY_SLT_VERSION:-0.29.1}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=${EDDY_SLT_HOME:-$REPO/.cache/sqllogictest-$VERSION}
BIN=$ROOT/bin/sqllogictest

if [ ! -x "$BIN" ]; then
    echo "installing sqllogictest-bin $VERSION into $ROOT" >&2
    # Its own target dir: the workspace's target/ stays untouched.
    CARGO_TARGET_DIR=$ROOT/build cargo install --quiet --locked --debug \
        --root "$ROOT" --version "$VERSION" sqllogictest-bin >&2
    rm -rf "$ROOT/build"
fi
echo "$BIN"
