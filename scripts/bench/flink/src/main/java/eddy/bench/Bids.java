package eddy.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka side of the runner, with the kafka-clients the Flink connector brings:
 * a deterministic synthetic Nexmark bid generator (--produce), a topic dump
 * (--consume), and the topic facts the runner needs (record count, timestamp
 * style of the first record).
 *
 * The generator is mirrored in check_tumble.py; keep the two in step. Bid i
 * (0-based) has event time 2024-01-01 00:00:00 + i ms and, with
 * h = splitmix64(SEED + i) as an unsigned 64-bit number:
 *   auction = 1000 + h % 1000             bidder  = 2000 + (h >>> 16) % 5000
 *   price   = 100 + (h >>> 32) % 99901    channel = CHANNELS[(h >>> 8) & 3]
 *   url     = https://www.nexmark.com/{channel}/item.htm?query=1&channel_id={(h >>> 40) & 1023}
 *   extra   = ""
 * The record key is the auction id (as eddy-bench load keys it).
 */
final class Bids {
    static final long SEED = 42;
    static final String[] CHANNELS = {"Apple", "Google", "Facebook", "Baidu"};
    static final LocalDateTime BASE_TIME = LocalDateTime.of(2024, 1, 1, 0, 0, 0);
    static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Bids() {}

    static long splitmix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Bid i as one JSON object; its auction id goes to key[0]. */
    static String bid(long i, long[] key) {
        long h = splitmix64(SEED + i);
        long auction = 1000 + Long.remainderUnsigned(h, 1000);
        long bidder = 2000 + Long.remainderUnsigned(h >>> 16, 5000);
        long price = 100 + Long.remainderUnsigned(h >>> 32, 99_901);
        String channel = CHANNELS[(int) ((h >>> 8) & 3)];
        long channelId = (h >>> 40) & 1023;
        String time = SQL_TIME.format(BASE_TIME.plusNanos(i * 1_000_000L));
        key[0] = auction;
        return "{\"auction\":" + auction + ",\"bidder\":" + bidder + ",\"price\":" + price
            + ",\"channel\":\"" + channel + "\",\"url\":\"https://www.nexmark.com/" + channel
            + "/item.htm?query=1&channel_id=" + channelId + "\",\"date_time\":\"" + time + "\",\"extra\":\"\"}";
    }

    static Admin admin(String brokers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return Admin.create(p);
    }

    /**
     * Writes n bids into the topic, creating it (with the given partitions) if it
     * does not exist. Refuses a topic that already holds records: runs read all of it.
     */
    static String produce(String brokers, String topic, long n, int partitions) throws Exception {
        try (Admin admin = admin(brokers)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            long existing = size(admin, topic);
            if (existing > 0) {
                throw new FlinkSqlRunner.Failure("topic " + topic + " already holds " + existing
                    + " records; produce into a new or empty topic");
            }
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "1000000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        long started = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            long[] key = new long[1];
            for (long i = 0; i < n && failure.get() == null; i++) {
                String value = bid(i, key);
                producer.send(new ProducerRecord<>(topic, Long.toString(key[0]), value), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format(Locale.ROOT, "{\"produced\":%d,\"topic\":\"%s\",\"partitions\":%d,\"seconds\":%.3f}",
            n, topic, partitions, seconds);
    }

    /** Records in the topic now: the sum over partitions of end offset minus start offset. */
    static long size(String brokers, String topic) throws Exception {
        try (Admin admin = admin(brokers)) {
            return size(admin, topic);
        }
    }

    private static long size(Admin admin, String topic) throws Exception {
        List<TopicPartition> partitions = partitions(admin, topic);
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartition tp : partitions) {
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
        }
        var low = admin.listOffsets(earliest).all().get();
        var high = admin.listOffsets(latest).all().get();
        long total = 0;
        for (TopicPartition tp : partitions) {
            total += high.get(tp).offset() - low.get(tp).offset();
        }
        return total;
    }

    private static List<TopicPartition> partitions(Admin admin, String topic) throws Exception {
        TopicDescription d = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
        List<TopicPartition> out = new ArrayList<>();
        d.partitions().forEach(p -> out.add(new TopicPartition(topic, p.partition())));
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String brokers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /**
     * Reads the topic from its start to the end offsets of now and hands each
     * record's value to the sink; stops early once the sink returns false.
     */
    static void read(String brokers, String topic, java.util.function.Predicate<String> sink) throws Exception {
        List<TopicPartition> partitions;
        try (Admin admin = admin(brokers)) {
            partitions = partitions(admin, topic);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos() * 4;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))
                            && !sink.test(new String(r.value(), StandardCharsets.UTF_8))) {
                        return;
                    }
                }
            }
        }
    }

    /** --consume: prints every record's value of the topic, one per line. */
    static void dump(String brokers, String topic, PrintStream out) throws Exception {
        read(brokers, topic, value -> {
            out.println(value);
            return true;
        });
        out.flush();
    }

    /**
     * 'ISO-8601' if the topic's first record writes date_time as 2024-01-01T00:00:00,
     * else 'SQL' (2024-01-01 00:00:00): eddy-bench load writes the former, --produce the latter.
     */
    static String timestampStyle(String brokers, String topic) throws Exception {
        AtomicReference<String> style = new AtomicReference<>("SQL");
        read(brokers, topic, value -> {
            if (value.matches("(?s).*\"date_time\"\\s*:\\s*\"\\d{4}-\\d\\d-\\d\\dT.*")) {
                style.set("ISO-8601");
            }
            return false;
        });
        return style.get();
    }
}
