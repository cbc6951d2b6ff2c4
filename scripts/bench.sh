#!/usr/bin/env bash
# Nexmark on Kafka, side by side: Eddy, a raw-consume baseline, and Flink SQL,
# over the same pre-loaded topic, in one run. Writes docs/benchmarks.md's
# results and docs/benchmarks.svg.
#
#   scripts/bench.sh [BIDS] [PARTITIONS]      (defaults: 2000000 bids, 2 partitions)
#
# Needs: the Kafka broker (started here if it is not running), a release build
# of eddy-bench (built here into target/bench-release), and for Flink Java 17 +
# Maven (scripts/bench/flink/run.sh fetches Flink from Maven Central). Set
# SKIP_FLINK=1 to leave Flink out.
set -euo pipefail
cd "$(dirname "$0")/.."

BIDS="${1:-2000000}"
PARTITIONS="${2:-2}"
BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
TOPIC="nexmark-bids-${BIDS}-$(date +%s)"
OUT="target/bench-results"
mkdir -p "$OUT"
RESULTS="$OUT/results-$(date +%Y%m%d-%H%M%S).jsonl"

step() { printf '\n== %s\n' "$*" >&2; }

scripts/kafka.sh start >&2

step "release build of eddy-bench"
CARGO_TARGET_DIR=target/bench-release cargo build --release -p eddy-bench >&2
BENCH=target/bench-release/release/eddy-bench

step "loading $BIDS bids into $TOPIC ($PARTITIONS partitions; not timed)"
$BENCH load --brokers "$BROKERS" --topic "$TOPIC" --bids "$BIDS" --partitions "$PARTITIONS" | tee -a "$RESULTS"

step "facts: expected results computed from the rows"
$BENCH facts --brokers "$BROKERS" --topic "$TOPIC" | tee -a "$RESULTS"

step "baseline: consume + decode (one warm-up read first)"
$BENCH baseline --brokers "$BROKERS" --topic "$TOPIC" >/dev/null
$BENCH baseline --brokers "$BROKERS" --topic "$TOPIC" | tee -a "$RESULTS"

for workload in q0 q1 q2 tumble hop; do
    step "eddy $workload"
    $BENCH eddy --brokers "$BROKERS" --topic "$TOPIC" --workload "$workload" | tee -a "$RESULTS"
done

if [ "${SKIP_FLINK:-0}" != 1 ]; then
    for workload in q0 q1 q2 tumble hop; do
        step "flink $workload"
        scripts/bench/flink/run.sh --brokers "$BROKERS" --topic "$TOPIC" --workload "$workload" | tee -a "$RESULTS"
    done
fi

step "report"
{
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)."
    echo "Run: $(date -u +'%Y-%m-%d %H:%M UTC'), \`scripts/bench.sh $BIDS $PARTITIONS\`, results in \`$RESULTS\`."
} > "$OUT/machine.txt"
python3 scripts/bench/report.py "$RESULTS" "$OUT/machine.txt" "$OUT/tables.md" docs/benchmarks.svg
cat "$OUT/tables.md"
