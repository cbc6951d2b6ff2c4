#!/usr/bin/env bash
# Flink SQL as a benchmark peer: an embedded Flink 2.2 (FlinkSqlRunner, built
# from this folder's pom.xml out of Maven Central jars) that runs a SQL file
# over pre-loaded Kafka topics, bounded, and prints one JSON line.
#
#   scripts/bench/flink/run.sh --sql FILE [--sql FILE]... [--var NAME=VALUE]... [--brokers B] [--topic T]
#                              [--events N] [--parallelism P] [--warmup] [--label NAME]
#                              [--conf FLINK_KEY=VALUE]... [--verbose]
#   scripts/bench/flink/run.sh --workload q0|q1|q2|tumble|hop --topic T [--brokers B] ...
#         (= --sql bids.sql --sql queries/W.sql --label W --warmup; what scripts/bench.sh calls)
#   scripts/bench/flink/run.sh --produce N --topic T [--partitions P]   synthetic bids into T
#   scripts/bench/flink/run.sh --consume --topic T                       print T's records
#
# The first run builds the shaded jar (mvn -q -B package) into
# <repo>/.cache/flink-bench/ (git-ignored); it is rebuilt when pom.xml or src/
# change. Needs Java 17+ and Maven.
#
# The JSON line is FlinkSqlRunner's (events, seconds and events_per_second of
# the measured run, cpu_seconds = this JVM's CPU time during the measured run
# only, check = rows the sources read / the sinks got), with two fields added
# here from /usr/bin/time -v over the whole JVM: process_cpu_seconds (user +
# sys, including JVM start, class loading, the cluster start and the warm-up
# run) and peak_rss_mb (the JVM's peak resident set, in MiB).
#
# Environment: EDDY_FLINK_HEAP (default 1g, the JVM's -Xmx), EDDY_FLINK_JAVA_OPTS
# (more JVM flags), EDDY_FLINK_CACHE (default <repo>/.cache/flink-bench).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cache="${EDDY_FLINK_CACHE:-$root/.cache/flink-bench}"
jar="$cache/target/flink-sql-runner.jar"

die() { echo "flink-bench: $*" >&2; exit 1; }

# Build once per content of pom.xml + src/.
build() {
    command -v java >/dev/null || die "java not found (apt-get install openjdk-17-jdk-headless)"
    local stamp
    stamp="$(cd "$here" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
    if [[ -f $jar && "$(cat "$cache/stamp" 2>/dev/null)" == "$stamp" ]]; then
        return 0
    fi
    command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
    mkdir -p "$cache"
    rm -f "$cache/stamp"
    echo "flink-bench: building the runner into $cache (Maven Central; once)" >&2
    local started=$SECONDS
    if ! (cd "$here" && mvn -q -B -Dflink.bench.build="$cache/target" package) >"$cache/build.log" 2>&1; then
        cat "$cache/build.log" >&2
        die "build failed (log above, also in $cache/build.log)"
    fi
    echo "$stamp" >"$cache/stamp"
    echo "flink-bench: built in $((SECONDS - started)) s" >&2
}

# /usr/bin/time (GNU time) measures the JVM's CPU and peak RSS.
need_time() {
    [[ -x /usr/bin/time ]] && return 0
    echo "flink-bench: installing GNU time (apt-get install time)" >&2
    { apt-get install -y -q time || { apt-get update -q && apt-get install -y -q time; }; } >&2 \
        || die "/usr/bin/time missing and apt-get install time failed"
}

build

# --workload W: bench.sh's short form.
args=()
direct=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --workload)
            if [[ $# -lt 2 || ! -f $here/queries/$2.sql ]]; then
                known=("$here"/queries/*.sql); known=("${known[@]##*/}")
                die "--workload needs one of: ${known[*]%.sql}"
            fi
            args+=(--sql "$here/bids.sql" --sql "$here/queries/$2.sql" --label "$2" --warmup); shift 2 ;;
        --produce|--consume) direct=1; args+=("$1"); shift ;;
        *) args+=("$1"); shift ;;
    esac
done

read -ra java_opts <<<"${EDDY_FLINK_JAVA_OPTS:-}"
java_cmd=(java "-Xmx${EDDY_FLINK_HEAP:-1g}" "${java_opts[@]}" -jar "$jar")
if [[ $direct == 1 ]]; then
    exec "${java_cmd[@]}" "${args[@]}"
fi

need_time
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rc=0
/usr/bin/time -v -o "$tmp/time" "${java_cmd[@]}" "${args[@]}" >"$tmp/out" || rc=$?
cpu="$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { printf "%.3f", s }' "$tmp/time")"
rss="$(awk -F': ' '/Maximum resident set size \(kbytes\)/ { printf "%.1f", $2 / 1024 }' "$tmp/time")"
last="$(tail -n 1 "$tmp/out")"
if [[ $rc == 0 && $last == "{"*"}" ]]; then
    head -n -1 "$tmp/out"
    echo "${last%\}},\"process_cpu_seconds\":$cpu,\"peak_rss_mb\":$rss}"
else
    cat "$tmp/out"
    [[ $rc == 0 ]] || echo "flink-bench: the runner failed (exit $rc)" >&2
fi
exit "$rc"
