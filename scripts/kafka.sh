#!/usr/bin/env bash
# Runs a local single-node Apache Kafka 4.x broker (KRaft mode, one process that
# is both broker and controller) on 127.0.0.1, for Eddy's Kafka tests and for
# trying Eddy by hand. The broker jars come from Maven Central (no download of
# the Kafka distribution is needed), so it only takes Java 17+ and Maven.
#
#   scripts/kafka.sh fetch            download the broker jars into the cache dir
#   scripts/kafka.sh start [--fresh]  start the broker (fetches first if needed) and
#                                     wait until it answers; --fresh wipes its data
#   scripts/kafka.sh stop             stop it (clean shutdown, KILL after 30 s)
#   scripts/kafka.sh status           exit 0 if it is running, 1 if not
#   scripts/kafka.sh topics ARGS...   kafka-topics against it, e.g.
#                                     topics --create --topic t1 --partitions 3
#                                     topics --list | --describe --topic t1
#
# Environment:
#   EDDY_KAFKA_VERSION        Kafka version (default 4.1.1; 4.x only)
#   EDDY_KAFKA_HOME           cache dir (default <repo>/.cache/kafka-<version>, git-ignored):
#                             libs/, data/, logs/, server.properties, kafka.pid, kafka.out
#   EDDY_KAFKA_PORT           broker port (default 9092); the controller uses port+1
#   EDDY_KAFKA_FRESH          1 = same as start --fresh
#   EDDY_KAFKA_START_TIMEOUT  seconds start waits for the broker (default 60)
set -euo pipefail

KAFKA_VERSION=${EDDY_KAFKA_VERSION:-4.1.1}   # the one place the version is set
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
POM=$REPO/scripts/kafka/pom.xml

KHOME=${EDDY_KAFKA_HOME:-$REPO/.cache/kafka-$KAFKA_VERSION}
HOST=127.0.0.1
PORT=${EDDY_KAFKA_PORT:-9092}
CONTROLLER_PORT=$((PORT + 1))
BOOTSTRAP=$HOST:$PORT
START_TIMEOUT=${EDDY_KAFKA_START_TIMEOUT:-60}

LIBS=$KHOME/libs
DATA=$KHOME/data
LOGS=$KHOME/logs
PID_FILE=$KHOME/kafka.pid
OUT_FILE=$KHOME/kafka.out
SERVER_PROPS=$KHOME/server.properties
CLIENT_PROPS=$KHOME/client.properties
FETCHED=$LIBS/.fetched

# JVM flags for the short-lived tools (StorageTool, TopicCommand): start fast, log
# warnings only, to stderr.
TOOL_JVM=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
          "-Dlog4j2.configurationFile=$KHOME/log4j2-tools.properties")

say() { echo "kafka: $*"; }
die() { echo "kafka: $*" >&2; exit 1; }

need() {
    command -v "$1" >/dev/null 2>&1 || die "'$1' not found; $2"
}

# What marks a complete fetch: the version and the pom it was resolved from.
fetch_stamp() { echo "$KAFKA_VERSION $(sha256sum "$POM" | cut -d' ' -f1)"; }

# Downloads kafka_2.13, kafka-tools and a log4j2 binding with their runtime
# dependencies into $LIBS (once), and writes the log4j2 configs.
fetch() {
    need java "install a JDK 17+ (apt-get install openjdk-17-jdk-headless)"
    if [[ -f $FETCHED && "$(cat "$FETCHED")" == "$(fetch_stamp)" ]]; then
        write_log_configs
        return 0
    fi
    need mvn "install Maven (apt-get install maven)"
    say "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS"
    mkdir -p "$KHOME"
    # Resolve into a temp dir and swap it in, so a failed fetch leaves no half-filled libs/.
    rm -rf "$LIBS.tmp"
    if ! mvn -q -B -f "$POM" -Dkafka.version="$KAFKA_VERSION" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" \
        >"$KHOME/fetch.log" 2>&1; then
        cat "$KHOME/fetch.log" >&2
        die "fetch failed (mvn output above, also in $KHOME/fetch.log)"
    fi
    [[ -f $LIBS.tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || die "fetch failed: kafka_2.13-$KAFKA_VERSION.jar missing"
    rm -rf "$LIBS"
    mv "$LIBS.tmp" "$LIBS"
    fetch_stamp >"$FETCHED"
    write_log_configs
    say "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS" | cut -f1))"
}

# log4j2 configs: the broker logs at INFO to logs/server.log (rolled by size, like
# the distribution's config/log4j2.yaml but without its copy to stdout and without
# needing jackson-yaml); the tools log warnings to stderr.
write_log_configs() {
    mkdir -p "$LOGS"
    cat >"$KHOME/log4j2.properties" <<'EOF'
# Written by scripts/kafka.sh. ${sys:kafka.logs.dir} is set on the java command line.
status = warn
name = eddy-kafka-broker

appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.filePattern = ${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3

rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE

# Per-request logging is far too chatty at INFO (the distribution sets WARN too).
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.requestchannel.name = kafka.network.RequestChannel$
logger.requestchannel.level = WARN
EOF
    cat >"$KHOME/log4j2-tools.properties" <<'EOF'
# Written by scripts/kafka.sh: command-line tools log warnings to stderr.
status = warn
name = eddy-kafka-tools
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF
    # Admin-client settings for the tools: fail fast instead of retrying for a minute.
    cat >"$CLIENT_PROPS" <<'EOF'
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

# One combined broker+controller node with a static single-voter quorum.
write_server_props() {
    cat >"$SERVER_PROPS" <<EOF
# Written by scripts/kafka.sh on every start; edits here are lost.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
num.partitions=1
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
# Internal topics on a single node: replication factor 1, and few partitions so
# the first consumer group / transaction starts quickly.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
}

# Runs one of Kafka's command-line tools (a main class) on the fetched jars.
tool() {
    local main=$1; shift
    java "${TOOL_JVM[@]}" -cp "$LIBS/*" "$main" "$@"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# The broker answers a metadata request (listing topics).
broker_answers() {
    port_open "$PORT" || return 1
    timeout 30 java "${TOOL_JVM[@]}" -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_PROPS" --list >/dev/null 2>&1
}

# Pid from the pid file if that process is alive and is our broker, else nothing.
our_pid() {
    [[ -f $PID_FILE ]] || return 1
    local pid
    pid=$(cat "$PID_FILE")
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "kafka.Kafka $SERVER_PROPS" || return 1
    echo "$pid"
}

show_logs() {
    echo "---- last 40 lines of $LOGS/server.log" >&2
    tail -n 40 "$LOGS/server.log" >&2 2>/dev/null || true
    if [[ -s $OUT_FILE ]]; then
        echo "---- last 40 lines of $OUT_FILE" >&2
        tail -n 40 "$OUT_FILE" >&2
    fi
}

start() {
    local fresh=${EDDY_KAFKA_FRESH:-0}
    case "$*" in
        "") ;;
        --fresh) fresh=1 ;;
        *) die "usage: scripts/kafka.sh start [--fresh]" ;;
    esac

    fetch
    if [[ $fresh == 1 ]]; then
        if our_pid >/dev/null; then stop; fi
    elif port_open "$PORT"; then
        if broker_answers; then
            say "already running at $BOOTSTRAP"
            return 0
        fi
        # Ours but still starting? Wait for it like a fresh start would.
        our_pid >/dev/null || die "port $PORT is in use by something that does not answer as a Kafka broker"
    fi

    local pid
    if ! pid=$(our_pid); then
        port_open "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT is already in use"
        if [[ $fresh == 1 ]]; then
            say "--fresh: wiping $DATA"
            rm -rf "$DATA"
        fi
        write_server_props
        # Format the storage once; the data is kept between restarts.
        if [[ ! -f $DATA/meta.properties ]]; then
            local cluster_id
            cluster_id=$(tool kafka.tools.StorageTool random-uuid)
            tool kafka.tools.StorageTool format -t "$cluster_id" -c "$SERVER_PROPS" >/dev/null
            echo "$cluster_id" >"$KHOME/cluster.id"
            say "formatted $DATA (cluster id $cluster_id)"
        fi
        # Start detached (own session, so it outlives this shell and its job control).
        : >"$OUT_FILE"
        nohup setsid java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
            -Djava.awt.headless=true \
            "-Dkafka.logs.dir=$LOGS" "-Dlog4j2.configurationFile=$KHOME/log4j2.properties" \
            -cp "$LIBS/*" kafka.Kafka "$SERVER_PROPS" >>"$OUT_FILE" 2>&1 </dev/null &
        pid=$!
        echo "$pid" >"$PID_FILE"
    fi

    # Wait until it answers a metadata request: a cheap port probe every 0.5 s,
    # then one TopicCommand --list (a JVM start, ~1-2 s).
    local deadline=$((SECONDS + START_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            show_logs
            die "the broker exited during start-up"
        fi
        if port_open "$PORT" && broker_answers; then
            say "running at $BOOTSTRAP (log: $LOGS/server.log)"
            return 0
        fi
        sleep 0.5
    done
    show_logs
    die "the broker did not answer within ${START_TIMEOUT}s (pid $pid still running; 'scripts/kafka.sh stop' stops it)"
}

stop() {
    local pid
    if ! pid=$(our_pid); then
        rm -f "$PID_FILE"
        if port_open "$PORT"; then
            say "not started by this script (no pid in $PID_FILE), but something listens on $BOOTSTRAP; left alone"
        else
            say "not running"
        fi
        return 0
    fi
    kill -TERM "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
        say "no clean shutdown within 30 s; killing pid $pid"
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    fi
    rm -f "$PID_FILE"
    say "stopped (pid $pid)"
}

status() {
    local pid
    if pid=$(our_pid) && port_open "$PORT"; then
        say "running at $BOOTSTRAP (pid $pid, log: $LOGS/server.log)"
    elif pid=$(our_pid); then
        say "starting or unhealthy: pid $pid is alive but $BOOTSTRAP does not accept connections"
        return 1
    elif port_open "$PORT"; then
        say "something (not started by this script) listens on $BOOTSTRAP"
    else
        say "not running"
        return 1
    fi
}

topics() {
    fetch
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
        --command-config "$CLIENT_PROPS" "$@"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
    fetch)  fetch ;;
    start)  start "$@" ;;
    stop)   stop ;;
    status) status ;;
    topics) topics "$@" ;;
    *)      # usage: the comment block at the top of this file
            sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
