#!/usr/bin/env bash
# Client compatibility suite: real PostgreSQL drivers against Eddy's pgwire
# endpoint. Each client is an independent oracle: it reads the raw Nexmark bids,
# computes the 10-second tumbling-window aggregation itself and compares it with
# Eddy's materialized view row by row, then checks parameters, types, NULLs,
# errors and the catalog queries tools send.
#
#   jdbc     pgJDBC (Maven Central)          scripts/clients/jdbc/
#   psycopg  psycopg 3 (PyPI)                scripts/clients/psycopg/
#   pgx      pgx v5 (Go module proxy)        scripts/clients/pgx/
#   node     node-postgres `pg` (npm)        scripts/clients/node/
#   tools    the tools' own calls: SQLAlchemy  scripts/clients/tools/
#            2.0 and 2.1 Inspector (psycopg2 and psycopg 3), pandas read_sql_*,
#            psqlODBC through pyodbc, psql meta-commands (PyPI, Debian packages)
#
# Usage: scripts/clients/run.sh [--only jdbc|psycopg|pgx|node|tools[,...]] [--strict] [--no-install]
#   --only        run only these clients (comma-separated or repeated)
#   --strict      checks marked KNOWN (Eddy incompatibilities found when the suite
#                 was written) fail the run too (EDDY_CLIENTS_STRICT=1)
#   --no-install  use what is already in the cache, install nothing
#
# Environment:
#   EDDY_PORT     use the Eddy already listening on 127.0.0.1:EDDY_PORT; otherwise
#                 target/debug/eddy (or EDDY_BIN) is started on a free port and
#                 stopped at the end
#   EDDY_HOST     default 127.0.0.1 (with EDDY_PORT)
#   EDDY_BIN      the eddy binary to start (default <repo>/target/debug/eddy;
#                 this script does not build it: `cargo build -p eddy` first)
#   EDDY_CLIENTS_CACHE  where dependencies, builds and logs go
#                 (default <repo>/.cache/clients, git-ignored)
#
# Needs java 17+ and mvn, python3 (venv), go 1.25+, node 18+ and npm; tools also
# needs psql and the PostgreSQL ODBC driver with unixODBC (Debian: postgresql-client,
# odbc-postgresql, unixodbc; installed with apt-get when run as root). Each client
# creates its own objects (jdbc_*, psy_*, pgx_*, node_*, tools_*), so all can share one
# server. Exit status: 0 if every selected client passed, 1 otherwise (the
# failing clients are named at the end).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$REPO/scripts/clients"
CACHE=${EDDY_CLIENTS_CACHE:-$REPO/.cache/clients}
ALL_CLIENTS=(jdbc psycopg pgx node tools)

usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

only=()
install=1
while [ $# -gt 0 ]; do
    case "$1" in
        --only) [ $# -ge 2 ] || { echo "--only needs a value" >&2; exit 2; }
                IFS=, read -ra parts <<<"$2"; only+=("${parts[@]}"); shift 2 ;;
        --only=*) IFS=, read -ra parts <<<"${1#--only=}"; only+=("${parts[@]}"); shift ;;
        --strict) export EDDY_CLIENTS_STRICT=1; shift ;;
        --no-install) install=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
if [ ${#only[@]} -eq 0 ]; then
    clients=("${ALL_CLIENTS[@]}")
else
    clients=()
    for c in "${only[@]}"; do
        case "$c" in
            jdbc|psycopg|pgx|node|tools) clients+=("$c") ;;
            *) echo "unknown client '$c': one of ${ALL_CLIENTS[*]}" >&2; exit 2 ;;
        esac
    done
fi

mkdir -p "$CACHE/logs"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
step() { printf '\n== %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# ------------------------------------------------------------------ installs
# Each returns non-zero with a message on failure; all write only under $CACHE.

install_jdbc() {
    have java || { echo "java not found (apt-get install openjdk-17-jdk-headless)"; return 1; }
    have mvn || { echo "mvn not found (apt-get install maven)"; return 1; }
    mvn -B -q -f "$HERE/jdbc/pom.xml" -Dmaven.repo.local="$CACHE/m2" -Deddy.build.dir="$CACHE/jdbc/target" \
        package dependency:build-classpath
}

install_psycopg() {
    have python3 || { echo "python3 not found"; return 1; }
    if [ ! -x "$CACHE/venv/bin/python" ]; then
        python3 -m venv "$CACHE/venv" || { echo "python3 -m venv failed (apt-get install python3-venv)"; return 1; }
    fi
    # A fresh venv can only be filled from PyPI: say so plainly when it cannot be reached.
    if ! "$CACHE/venv/bin/python" -m pip install -q --disable-pip-version-check -r "$HERE/psycopg/requirements.txt"; then
        echo "pip install failed: is PyPI reachable? (pip index versions psycopg)"
        return 1
    fi
}

go_env() {
    export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOPATH="$CACHE/go" GOFLAGS=-buildvcs=false
}

install_pgx() {
    have go || { echo "go not found"; return 1; }
    go_env
    (cd "$HERE/pgx" && go mod download && go build -o "$CACHE/pgx/pgx-check" .)
}

install_node() {
    have node || { echo "node not found"; return 1; }
    have npm || { echo "npm not found"; return 1; }
    # node_modules lives in the cache, not next to package.json: copy the
    # manifest and lock file there and `npm ci` when the lock file changed.
    mkdir -p "$CACHE/node"
    local stamp="$CACHE/node/.installed-lock"
    if [ -d "$CACHE/node/node_modules/pg" ] && [ -f "$stamp" ] && cmp -s "$stamp" "$HERE/node/package-lock.json"; then
        return 0
    fi
    cp "$HERE/node/package.json" "$HERE/node/package-lock.json" "$CACHE/node/"
    (cd "$CACHE/node" && npm ci --no-audit --no-fund --loglevel=error --cache "$CACHE/npm-cache") &&
        cp "$HERE/node/package-lock.json" "$stamp"
}

# tools: one venv per SQLAlchemy line (requirements-sa20.txt, requirements-sa21.txt),
# and Debian's packages for psql and the ODBC driver.
TOOLS_VENVS=(sa20 sa21)
install_tools() {
    have python3 || { echo "python3 not found"; return 1; }
    local missing=() t0
    have psql || missing+=(postgresql-client)
    if have dpkg; then
        dpkg -s unixodbc >/dev/null 2>&1 || missing+=(unixodbc)
        dpkg -s odbc-postgresql >/dev/null 2>&1 || missing+=(odbc-postgresql)
    else
        ldconfig -p 2>/dev/null | grep -q 'libodbc\.so\.2' || missing+=(unixodbc)
        { have odbcinst && odbcinst -q -d -n "PostgreSQL Unicode" >/dev/null 2>&1; } || missing+=(odbc-postgresql)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ] && have apt-get; then
            t0=$(now)
            echo "apt-get install ${missing[*]}"
            if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; then
                apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
                    { echo "apt-get install ${missing[*]} failed"; return 1; }
            fi
            echo "apt packages (${missing[*]}): $(elapsed "$t0") s"
        else
            # Not fatal: the SQLAlchemy and pandas checks still run; the odbc and
            # psql sections of check.py fail with the same message.
            echo "MISSING (install as root: apt-get install ${missing[*]}): the tools client's odbc/psql checks will fail"
        fi
    fi
    local v
    for v in "${TOOLS_VENVS[@]}"; do
        t0=$(now)
        if [ ! -x "$CACHE/tools-$v/bin/python" ]; then
            python3 -m venv "$CACHE/tools-$v" || { echo "python3 -m venv failed (apt-get install python3-venv)"; return 1; }
        fi
        if ! "$CACHE/tools-$v/bin/python" -m pip install -q --disable-pip-version-check -r "$HERE/tools/requirements-$v.txt"; then
            echo "pip install into tools-$v failed: is PyPI reachable? (pip index versions sqlalchemy)"
            return 1
        fi
        echo "venv tools-$v: $(elapsed "$t0") s"
    done
}

# ------------------------------------------------------------------ runs

run_jdbc() {
    java -cp "$CACHE/jdbc/target/classes:$(cat "$CACHE/jdbc/target/classpath.txt")" dev.eddy.clients.JdbcCheck
}
run_psycopg() { "$CACHE/venv/bin/python" "$HERE/psycopg/check.py"; }
run_pgx() { "$CACHE/pgx/pgx-check"; }
run_node() { NODE_PATH="$CACHE/node/node_modules" node "$HERE/node/check.js"; }
# The SQLAlchemy 2.0 venv runs every section; the 2.1 one the SQLAlchemy and pandas ones.
run_tools() {
    local rc=0
    "$CACHE/tools-sa20/bin/python" "$HERE/tools/check.py" --sections sqlalchemy,pandas,odbc,psql || rc=1
    "$CACHE/tools-sa21/bin/python" "$HERE/tools/check.py" --sections sqlalchemy,pandas || rc=1
    return $rc
}

declare -A install_status install_time run_status run_time

if [ "$install" = 1 ]; then
    for c in "${clients[@]}"; do
        step "install $c (log: $CACHE/logs/install-$c.log)"
        t0=$(now)
        if "install_$c" >"$CACHE/logs/install-$c.log" 2>&1; then
            install_status[$c]=ok
        else
            install_status[$c]=FAILED
            tail -n 30 "$CACHE/logs/install-$c.log"
        fi
        install_time[$c]=$(elapsed "$t0")
        echo "install $c: ${install_status[$c]} (${install_time[$c]} s)"
    done
else
    for c in "${clients[@]}"; do install_status[$c]=skipped; install_time[$c]=0; done
fi

# ------------------------------------------------------------------ the server

server_pid=
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$server_pid" 2>/dev/null || true
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/${EDDY_HOST:-127.0.0.1}/$1") 2>/dev/null; }

if [ -n "${EDDY_PORT:-}" ]; then
    step "using the Eddy at ${EDDY_HOST:-127.0.0.1}:$EDDY_PORT"
    port_open "$EDDY_PORT" || { echo "nothing listens on ${EDDY_HOST:-127.0.0.1}:$EDDY_PORT" >&2; exit 1; }
else
    EDDY_BIN=${EDDY_BIN:-$REPO/target/debug/eddy}
    [ -x "$EDDY_BIN" ] || { echo "no eddy binary at $EDDY_BIN: build it (cargo build -p eddy) or set EDDY_BIN / EDDY_PORT" >&2; exit 1; }
    EDDY_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    export EDDY_HOST=127.0.0.1
    step "starting $EDDY_BIN serve on 127.0.0.1:$EDDY_PORT (log: $CACHE/logs/eddy-server.log)"
    "$EDDY_BIN" serve --listen "127.0.0.1:$EDDY_PORT" --metrics-listen off >"$CACHE/logs/eddy-server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 300); do
        port_open "$EDDY_PORT" && break
        kill -0 "$server_pid" 2>/dev/null || { echo "eddy exited:"; tail -n 20 "$CACHE/logs/eddy-server.log"; exit 1; }
        sleep 0.1
    done
    port_open "$EDDY_PORT" || { echo "eddy did not start listening in 30 s"; tail -n 20 "$CACHE/logs/eddy-server.log"; exit 1; }
fi
export EDDY_PORT EDDY_USER=${EDDY_USER:-eddy} EDDY_DB=${EDDY_DB:-eddy}

# ------------------------------------------------------------------ the clients

for c in "${clients[@]}"; do
    step "run $c (log: $CACHE/logs/run-$c.log)"
    if [ "${install_status[$c]}" = FAILED ]; then
        run_status[$c]="not run (install failed)"; run_time[$c]=0
        continue
    fi
    t0=$(now)
    if "run_$c" 2>&1 | tee "$CACHE/logs/run-$c.log"; then
        run_status[$c]=passed
    else
        run_status[$c]=FAILED
    fi
    run_time[$c]=$(elapsed "$t0")
    if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
        echo "eddy exited during the $c client:"; tail -n 20 "$CACHE/logs/eddy-server.log"
        server_pid=
        run_status[$c]="FAILED (server died)"
    fi
done

# ------------------------------------------------------------------ summary

step "summary"
failed=()
printf '%-8s  %-10s %9s   %-28s %7s   %s\n' client install "time (s)" run "time (s)" "known Eddy incompatibilities"
for c in "${clients[@]}"; do
    known=$(grep -c '^\[known-fail\]' "$CACHE/logs/run-$c.log" 2>/dev/null) || true
    printf '%-8s  %-10s %9s   %-28s %7s   %s\n' "$c" "${install_status[$c]}" "${install_time[$c]}" \
        "${run_status[$c]}" "${run_time[$c]}" "${known:-0} still failing"
    [ "${run_status[$c]}" = passed ] || failed+=("$c")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED clients: ${failed[*]}"
    exit 1
fi
echo "all ${#clients[@]} clients passed"
