package eddy.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter that only keeps hold of the operators' numRecordsIn /
 * numRecordsOut counters, so that after a job ends the runner can tell how
 * many rows its sources read and its sinks received, whatever the sink
 * (blackhole included). It reports nothing periodically, so it costs nothing
 * while a job runs: Flink maintains these counters anyway.
 *
 * Registered with the MiniCluster as metrics.reporter.rows.factory.class
 * (and in META-INF/services, where Flink looks reporter factories up).
 */
public final class RowCounts implements MetricReporter {
    /** One operator subtask's counter. */
    record Entry(String jobId, String operator, String metric, Counter counter) {}

    static final List<Entry> COUNTERS = new CopyOnWriteArrayList<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (!(metric instanceof Counter) || !(name.equals("numRecordsIn") || name.equals("numRecordsOut"))) {
            return;
        }
        Map<String, String> vars = group.getAllVariables();
        String operator = vars.get("<operator_name>");
        String job = vars.get("<job_id>");
        if (operator != null && job != null) {
            COUNTERS.add(new Entry(job, operator, name, (Counter) metric));
        }
    }

    // The counter keeps its final value after the task ends, so it is kept too.
    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}

    /** Sum of one metric over the job's operators whose name the test accepts. */
    static long sum(String jobId, String metric, java.util.function.Predicate<String> operator) {
        long total = 0;
        for (Entry e : COUNTERS) {
            if (e.jobId().equals(jobId) && e.metric().equals(metric) && operator.test(e.operator())) {
                total += e.counter().getCount();
            }
        }
        return total;
    }

    /** Every counter of the job, summed over subtasks: "operator / metric = n" lines. */
    static String describe(String jobId) {
        Map<String, Long> sums = new java.util.TreeMap<>();
        for (Entry e : COUNTERS) {
            if (e.jobId().equals(jobId)) {
                sums.merge(e.operator() + " / " + e.metric(), e.counter().getCount(), Long::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        sums.forEach((k, v) -> out.append("  ").append(k).append(" = ").append(v).append('\n'));
        return out.toString();
    }

    /** The factory Flink instantiates. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new RowCounts();
        }
    }
}
