package eddy.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Runs a Flink SQL file in an embedded Flink (one MiniCluster in this JVM) over
 * pre-loaded Kafka topics, bounded, and prints one JSON line with its throughput.
 *
 * <pre>
 * FlinkSqlRunner --sql FILE [--sql FILE]... [--var NAME=VALUE]... [--brokers B] [--topic T]
 *                [--events N] [--parallelism P] [--warmup] [--label NAME]
 *                [--conf KEY=VALUE]... [--verbose]
 * FlinkSqlRunner --produce N --topic T [--brokers B] [--partitions P]
 * FlinkSqlRunner --consume --topic T [--brokers B]
 * </pre>
 *
 * The SQL file's statements are separated by `;`. Every INSERT INTO is part of
 * the job (several run together as one statement set); every other statement
 * (CREATE TABLE, SET, ...) is executed first, in order. `${NAME}` and
 * `${NAME:-default}` are filled in from --var; --brokers and --topic set
 * BROKERS and TOPIC. If the file uses `${TS_FORMAT}` and no --var gives it,
 * it is read off the first record of TOPIC ('SQL' or 'ISO-8601', the values
 * of 'json.timestamp-format.standard').
 *
 * The job's sources must be bounded ('scan.bounded.mode' = 'latest-offset') so
 * that it finishes. The MiniCluster is started once, before any timing; with
 * --warmup the same SQL runs once first (fresh tables, same topics) so the
 * measured run has warm JIT, classes and task manager. The measured time goes
 * from the statement set's execute() (planning, job submission) to the end of
 * the job; CPU seconds are this process's CPU time over the same span.
 *
 * --events N is the number of input records (for events/s); without it the
 * runner counts TOPIC's records itself. Parallelism defaults to 1: one task
 * slot and every operator single-threaded, the fair peer of a single-threaded
 * engine on a small machine (Flink's JVM still runs its own background threads).
 */
public final class FlinkSqlRunner {
    static final String USAGE = "usage: FlinkSqlRunner --sql FILE [--sql FILE]... [--var NAME=VALUE]... [--brokers B] [--topic T] "
        + "[--events N] [--parallelism P] [--warmup] [--label NAME] [--conf KEY=VALUE]... [--verbose]\n"
        + "       FlinkSqlRunner --produce N --topic T [--brokers B] [--partitions P]\n"
        + "       FlinkSqlRunner --consume --topic T [--brokers B]";

    /** A mistake in the command line or the SQL file's placeholders: reported without a stack trace. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    /** A plain failure worth one line, not a stack trace. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    public static void main(String[] argv) {
        int status = 0;
        try {
            run(argv);
        } catch (UsageError | NumberFormatException e) {
            System.err.println("flink-bench: " + e.getMessage() + "\n" + USAGE);
            status = 2;
        } catch (Failure e) {
            System.err.println("flink-bench: " + e.getMessage());
            status = 1;
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // Kafka and Flink leave non-daemon threads behind: exit explicitly, success or not.
        System.exit(status);
    }

    static void run(String[] argv) throws Exception {
        Map<String, String> vars = new LinkedHashMap<>();
        Map<String, String> conf = new LinkedHashMap<>();
        List<String> sql = new ArrayList<>();
        String label = null;
        Long events = null;
        long produce = -1;
        boolean consume = false;
        boolean warmup = false;
        boolean verbose = false;
        int parallelism = 1;
        int partitions = 1;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--sql" -> sql.add(value(argv, ++i, a));
                case "--var" -> put(vars, value(argv, ++i, a));
                case "--conf" -> put(conf, value(argv, ++i, a));
                case "--brokers" -> vars.put("BROKERS", value(argv, ++i, a));
                case "--topic" -> vars.put("TOPIC", value(argv, ++i, a));
                case "--events" -> events = Long.parseLong(value(argv, ++i, a));
                case "--parallelism" -> parallelism = Integer.parseInt(value(argv, ++i, a));
                case "--label" -> label = value(argv, ++i, a);
                case "--warmup" -> warmup = true;
                case "--verbose" -> verbose = true;
                case "--produce" -> produce = Long.parseLong(value(argv, ++i, a));
                case "--partitions" -> partitions = Integer.parseInt(value(argv, ++i, a));
                case "--consume" -> consume = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> throw new UsageError("unknown argument " + a);
            }
        }
        vars.putIfAbsent("BROKERS", "127.0.0.1:9092");
        String brokers = vars.get("BROKERS");

        if (produce >= 0 || consume) {
            String topic = require(vars.get("TOPIC"), "--topic");
            if (consume) {
                Bids.dump(brokers, topic, System.out);
            } else {
                System.out.println(Bids.produce(brokers, topic, produce, partitions));
            }
            return;
        }

        if (sql.isEmpty()) {
            throw new UsageError("missing --sql FILE");
        }
        // Several --sql files run as one script, in order (the shared bids table first).
        StringBuilder script = new StringBuilder();
        for (String file : sql) {
            script.append(SqlScript.read(Path.of(file))).append('\n');
        }
        String text = script.toString();
        if (SqlScript.placeholders(text).contains("TS_FORMAT") && !vars.containsKey("TS_FORMAT")) {
            vars.put("TS_FORMAT", Bids.timestampStyle(brokers, require(vars.get("TOPIC"), "--topic or --var TS_FORMAT=...")));
        }
        List<String> statements = SqlScript.split(SqlScript.substitute(text, vars));
        if (events == null) {
            events = Bids.size(brokers, require(vars.get("TOPIC"), "--events N or --topic"));
        }
        if (label == null) {
            label = Path.of(sql.get(sql.size() - 1)).getFileName().toString().replaceFirst("\\.sql$", "");
        }

        try (MiniCluster cluster = startCluster(parallelism)) {
            Run warm = null;
            if (warmup) {
                warm = execute(cluster, statements, parallelism, conf, label + "-warmup", verbose);
            }
            Run m = execute(cluster, statements, parallelism, conf, label, verbose);
            if (m.rowsIn != events) {
                System.err.printf("flink-bench: WARNING: the sources read %d rows, --events says %d%n", m.rowsIn, events);
            }
            // rows_out: rows the sinks received. For a window workload (one row
            // per auction and window) that is also its window count.
            String check = String.format(Locale.ROOT, "{\"rows_in\":%d,\"rows_out\":%d%s}", m.rowsIn, m.rowsOut,
                label.equals("tumble") || label.equals("hop") ? ",\"windows\":" + m.rowsOut : "");
            System.out.printf(Locale.ROOT,
                "{\"system\":\"flink\",\"workload\":\"%s\",\"flink_version\":\"%s\",\"parallelism\":%d,"
                    + "\"events\":%d,\"seconds\":%.6f,\"events_per_second\":%.1f,\"cpu_seconds\":%.3f,"
                    + "\"submit_seconds\":%.3f,\"job_runtime_seconds\":%.3f,\"warmup_seconds\":%s,\"check\":%s}%n",
                json(label), EnvironmentInformation.getVersion(), parallelism, events, m.seconds, events / m.seconds,
                m.cpuSeconds, m.submitSeconds, m.jobRuntimeSeconds,
                warm == null ? "null" : String.format(Locale.ROOT, "%.3f", warm.seconds), check);
        }
    }

    /** What one execution of the job measured. */
    record Run(double seconds, double submitSeconds, double jobRuntimeSeconds, double cpuSeconds, long rowsIn, long rowsOut) {}

    /** Runs the statements once: the setup statements untimed, then the job, timed to its end. */
    static Run execute(MiniCluster cluster, List<String> statements, int parallelism, Map<String, String> conf,
                   String jobName, boolean verbose) throws Exception {
        Configuration config = new Configuration();
        conf.forEach(config::setString);
        config.setString("pipeline.name", jobName);
        config.set(DeploymentOptions.TARGET, MiniClusterExecutors.NAME);
        config.set(DeploymentOptions.ATTACHED, true);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(
            new MiniClusterExecutors(cluster), config, FlinkSqlRunner.class.getClassLoader());
        env.setParallelism(parallelism);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());

        StatementSet job = tables.createStatementSet();
        int inserts = 0;
        for (String statement : statements) {
            if (SqlScript.keyword(statement).equals("INSERT")) {
                job.addInsertSql(statement);
                inserts++;
            } else {
                tables.executeSql(statement);
            }
        }
        if (inserts == 0) {
            throw new UsageError("the SQL has no INSERT INTO statement: nothing to run");
        }

        long cpuStart = cpuNanos();
        long start = System.nanoTime();
        TableResult result = job.execute();
        long submitted = System.nanoTime();
        JobClient client = result.getJobClient().orElseThrow();
        JobExecutionResult done = client.getJobExecutionResult().get(); // throws if the job failed
        long end = System.nanoTime();
        long cpuEnd = cpuNanos();

        String id = client.getJobID().toString();
        long rowsIn = RowCounts.sum(id, "numRecordsOut", op -> op.startsWith("Source:"));
        long rowsOut = RowCounts.sum(id, "numRecordsIn", FlinkSqlRunner::isSink);
        if (verbose) {
            System.err.printf("flink-bench: job %s (%s) operators:%n%s", jobName, id, RowCounts.describe(id));
        }
        return new Run((end - start) / 1e9, (submitted - start) / 1e9, done.getNetRuntime() / 1e3,
            (cpuEnd - cpuStart) / 1e9, rowsIn, rowsOut);
    }

    /** Table sinks show up as "Sink: NAME" or as a sink-v2 "NAME: Writer" operator. */
    static boolean isSink(String operator) {
        return operator.startsWith("Sink:") || operator.endsWith(": Writer");
    }

    /** A MiniCluster with one task manager of `parallelism` slots, started before any timing. */
    static MiniCluster startCluster(int parallelism) throws Exception {
        Configuration config = new Configuration();
        config.setString("metrics.reporter.rows.factory.class", RowCounts.Factory.class.getName());
        config.setString("rest.bind-port", "0"); // never clash with another runner or a real Flink
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
            .setConfiguration(config)
            .setNumTaskManagers(1)
            .setNumSlotsPerTaskManager(parallelism)
            .build());
        cluster.start();
        return cluster;
    }

    /** Submits pipelines to the one MiniCluster (instead of a new one per job, Flink's local default). */
    static final class MiniClusterExecutors implements PipelineExecutorServiceLoader, PipelineExecutorFactory, PipelineExecutor {
        static final String NAME = "eddy-bench-minicluster";
        private final MiniCluster cluster;

        MiniClusterExecutors(MiniCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
            return this;
        }

        @Override
        public Stream<String> getExecutorNames() {
            return Stream.of(NAME);
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean isCompatibleWith(Configuration configuration) {
            return true;
        }

        @Override
        public PipelineExecutor getExecutor(Configuration configuration) {
            return this;
        }

        @Override
        public CompletableFuture<JobClient> execute(Pipeline pipeline, Configuration configuration, ClassLoader classLoader)
                throws Exception {
            var graph = PipelineExecutorUtils.getStreamGraph(pipeline, configuration);
            return cluster.submitJob(graph).thenApply(submitted -> new MiniClusterJobClient(
                submitted.getJobID(), cluster, classLoader, MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
        }
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String value(String[] argv, int i, String flag) {
        if (i >= argv.length) {
            throw new UsageError(flag + " needs a value");
        }
        return argv[i];
    }

    private static void put(Map<String, String> map, String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new UsageError("expected NAME=VALUE, got " + kv);
        }
        map.put(kv.substring(0, eq), kv.substring(eq + 1));
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new UsageError("missing " + what);
        }
        return value;
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
