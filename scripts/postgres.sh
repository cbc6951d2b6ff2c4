#!/usr/bin/env bash
# Runs a private PostgreSQL server on 127.0.0.1 for Eddy's differential tests (Eddy's
# pull-query answers compared with a real PostgreSQL's). It uses the binaries of
# Debian's `postgresql` package (installed with apt-get when missing) with its own
# data dir under the repo's cache dir; the system cluster (pg_ctlcluster, port 5432)
# is never touched.
#
#   scripts/postgres.sh install         apt-get install postgresql if initdb is missing
#   scripts/postgres.sh start [--fresh] start the server (initdb on first use) and wait
#                                       until it answers; --fresh wipes its data first
#   scripts/postgres.sh stop            stop it (fast shutdown, immediate after 30 s)
#   scripts/postgres.sh status          exit 0 if it answers, 1 if not
#   scripts/postgres.sh url             print the connection URL
#   scripts/postgres.sh psql ARGS...    psql connected to it, e.g. psql -c 'select 1'
#
# The server: user `postgres` (superuser, trust auth, loopback only), database `diff`,
# initdb --locale=C.UTF-8 --encoding=UTF8 (text sorts bytewise by code point, case maps Unicode), and TimeZone 'UTC',
# DateStyle 'ISO, MDY', IntervalStyle postgres, extra_float_digits 1, lc_messages C,
# fsync off. URL: postgresql://postgres@127.0.0.1:54329/diff
# Run as root, the server runs as the system user eddy-pg (created when missing);
# run as another user, it runs as that user.
#
# Environment:
#   EDDY_POSTGRES_HOME           cache dir (default <repo>/.cache/postgres, git-ignored):
#                                data/, run/ (socket), postgres.log
#   EDDY_POSTGRES_PORT           port (default 54329)
#   EDDY_POSTGRES_DB             database created on start (default diff)
#   EDDY_POSTGRES_BIN            dir of initdb/pg_ctl (default the newest
#                                /usr/lib/postgresql/*/bin)
#   EDDY_POSTGRES_USER           OS user the server runs as when run as root (default eddy-pg)
#   EDDY_POSTGRES_FRESH          1 = same as start --fresh
#   EDDY_POSTGRES_START_TIMEOUT  seconds start waits for the server (default 60)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

PGHOME=${EDDY_POSTGRES_HOME:-$REPO/.cache/postgres}
HOST=127.0.0.1
PORT=${EDDY_POSTGRES_PORT:-54329}
DB=${EDDY_POSTGRES_DB:-diff}
START_TIMEOUT=${EDDY_POSTGRES_START_TIMEOUT:-60}
OS_USER=${EDDY_POSTGRES_USER:-eddy-pg}
URL=postgresql://postgres@$HOST:$PORT/$DB

DATA=$PGHOME/data
SOCK=$PGHOME/run
LOG=$PGHOME/postgres.log

say() { echo "postgres: $*"; }
die() { echo "postgres: $*" >&2; exit 1; }

# The newest installed server's bin dir (Debian: /usr/lib/postgresql/<major>/bin).
find_bin() {
    if [[ -n ${EDDY_POSTGRES_BIN:-} ]]; then echo "$EDDY_POSTGRES_BIN"; return 0; fi
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $d && -x $d/initdb ]] || return 1
    echo "$d"
}

install() {
    if find_bin >/dev/null; then return 0; fi
    [[ $(id -u) == 0 ]] || die "PostgreSQL is not installed and this is not root; run: sudo apt-get install -y postgresql"
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and there is no apt-get; set EDDY_POSTGRES_BIN"
    say "installing Debian's postgresql package"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
        || die "apt-get install postgresql failed"
    find_bin >/dev/null || die "installed postgresql but found no /usr/lib/postgresql/*/bin/initdb"
}

# PostgreSQL refuses to run as root: as root, run the server tools as $OS_USER.
as_server() {
    if [[ $(id -u) == 0 ]]; then
        (cd "$PGHOME" && runuser -u "$OS_USER" -- "$@")
    else
        (cd "$PGHOME" && "$@")
    fi
}

ensure_user() {
    [[ $(id -u) == 0 ]] || return 0
    id "$OS_USER" >/dev/null 2>&1 && return 0
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$OS_USER" || die "could not create system user $OS_USER"
    say "created system user $OS_USER"
}

# The cache dir, owned by the server's user, reachable through every parent dir.
ensure_home() {
    mkdir -p "$PGHOME" "$SOCK"
    if [[ $(id -u) == 0 ]]; then
        chown "$OS_USER:" "$PGHOME" "$SOCK"
        [[ -d $DATA ]] && chown -R "$OS_USER:" "$DATA"
        runuser -u "$OS_USER" -- test -w "$PGHOME" \
            || die "user $OS_USER cannot reach $PGHOME (a parent dir is not searchable); set EDDY_POSTGRES_HOME"
    fi
    chmod 700 "$SOCK"
}

# Settings that make results deterministic (and loading fast). Rewritten on every start.
write_conf() {
    cat >"$DATA/eddy.conf" <<EOF
# Written by scripts/postgres.sh on every start; edits here are lost.
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 50
shared_buffers = 64MB
TimeZone = 'UTC'
log_timezone = 'UTC'
DateStyle = 'ISO, MDY'
IntervalStyle = 'postgres'
extra_float_digits = 1
lc_messages = 'C'
lc_monetary = 'C'
lc_numeric = 'C'
lc_time = 'C'
default_text_search_config = 'pg_catalog.english'
# A throw-away test server: no durability.
fsync = off
synchronous_commit = off
full_page_writes = off
# Keep the log small: errors from the tests are expected.
log_min_messages = warning
log_min_error_statement = panic
log_line_prefix = '%m [%p] '
EOF
    cat >"$DATA/pg_hba.conf" <<'EOF'
# Written by scripts/postgres.sh: trust, local socket and loopback only.
local all all              trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128      trust
EOF
    grep -qx "include 'eddy.conf'" "$DATA/postgresql.conf" || echo "include 'eddy.conf'" >>"$DATA/postgresql.conf"
    [[ $(id -u) == 0 ]] && chown "$OS_USER:" "$DATA/eddy.conf" "$DATA/pg_hba.conf"
    return 0
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

q() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres "$@"; }

answers() { port_open "$PORT" && q -d postgres -tAc 'select 1' >/dev/null 2>&1; }

# Pid of the postmaster if it runs on our data dir.
our_pid() {
    [[ -f $DATA/postmaster.pid ]] || return 1
    local pid
    pid=$(head -n 1 "$DATA/postmaster.pid")
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "-D $DATA" || return 1
    echo "$pid"
}

# The server answering on our port is ours (its data dir is $DATA).
is_ours() {
    local dir
    dir=$(q -d postgres -tAc 'show data_directory' 2>/dev/null) || return 1
    [[ $dir -ef $DATA ]]
}

ensure_db() {
    if [[ -z $(q -d postgres -tAc "select 1 from pg_database where datname = '$DB'") ]]; then
        q -d postgres -c "create database \"$DB\"" >/dev/null
    fi
}

start() {
    local fresh=${EDDY_POSTGRES_FRESH:-0}
    case "$*" in
        "") ;;
        --fresh) fresh=1 ;;
        *) die "usage: scripts/postgres.sh start [--fresh]" ;;
    esac

    install
    BIN=$(find_bin)
    if [[ $fresh == 1 ]]; then
        if our_pid >/dev/null; then stop; fi
    elif answers; then
        is_ours || die "port $PORT is in use by another PostgreSQL server (not $DATA)"
        ensure_db
        say "already running at $URL"
        return 0
    elif port_open "$PORT" && ! our_pid >/dev/null; then
        die "port $PORT is in use by something that does not answer as PostgreSQL"
    fi

    ensure_user
    if [[ $fresh == 1 && -d $DATA ]]; then
        say "--fresh: wiping $DATA"
        rm -rf "$DATA"
    fi
    ensure_home

    if ! our_pid >/dev/null; then
        if [[ ! -f $DATA/PG_VERSION ]]; then
            rm -rf "$DATA"
            as_server "$BIN/initdb" -D "$DATA" -U postgres --locale=C.UTF-8 --encoding=UTF8 \
                --auth=trust --no-sync >"$PGHOME/initdb.log" 2>&1 \
                || { cat "$PGHOME/initdb.log" >&2; die "initdb failed (output above, also in $PGHOME/initdb.log)"; }
            say "initialized $DATA ($("$BIN/postgres" --version))"
        fi
        write_conf
        # pg_ctl starts the postmaster in its own session; -w waits until it accepts connections.
        if ! as_server "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_TIMEOUT" start >/dev/null; then
            echo "---- last 40 lines of $LOG" >&2
            tail -n 40 "$LOG" >&2 2>/dev/null || true
            die "the server did not start"
        fi
    fi

    local deadline=$((SECONDS + START_TIMEOUT))
    until answers; do
        our_pid >/dev/null || { tail -n 40 "$LOG" >&2 2>/dev/null || true; die "the server exited during start-up"; }
        ((SECONDS < deadline)) || die "the server did not answer within ${START_TIMEOUT}s ('scripts/postgres.sh stop' stops it)"
        sleep 0.2
    done
    ensure_db
    say "running at $URL (log: $LOG)"
}

stop() {
    local pid
    if ! pid=$(our_pid); then
        if port_open "$PORT"; then
            say "not started by this script (no server on $DATA), but something listens on $HOST:$PORT; left alone"
        else
            say "not running"
        fi
        return 0
    fi
    BIN=$(find_bin)
    if ! as_server "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1; then
        say "no clean shutdown within 30 s; immediate shutdown of pid $pid"
        as_server "$BIN/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped (pid $pid)"
}

status() {
    local pid
    BIN=$(find_bin) || { say "not installed"; return 1; }
    if answers; then
        if pid=$(our_pid); then
            say "running at $URL (pid $pid, log: $LOG)"
        else
            say "a server not started by this script answers on $HOST:$PORT"
        fi
    elif pid=$(our_pid); then
        say "starting or unhealthy: pid $pid is alive but $HOST:$PORT does not answer"
        return 1
    else
        say "not running"
        return 1
    fi
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
    install) install ;;
    start)   start "$@" ;;
    stop)    stop ;;
    status)  status ;;
    url)     echo "$URL" ;;
    psql)    BIN=$(find_bin) || die "not installed"; exec "$BIN/psql" -X "$URL" "$@" ;;
    *)       # usage: the comment block at the top of this file
             sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
