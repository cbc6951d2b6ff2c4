-- Real-time clickstream analytics on Kafka: page views per URL per minute,
-- from a topic to a topic.
--
--   scripts/kafka.sh start
--   cargo run -p eddy -- run examples/clickstream_kafka.sql --kafka 127.0.0.1:9092
--
-- The example loads a recorded click log into its input topic first, so the
-- topics clickstream.clicks and clickstream.page_views must start empty (the
-- example suite deletes them before each run; by hand:
-- scripts/kafka.sh topics --delete --topic 'clickstream\..*').

-- 1. Your web servers would produce clicks; here a recorded log is copied
--    into a three-partition topic, keyed by user.
CREATE STREAM click_log (user_id BIGINT, url TEXT, referrer TEXT, ts TIMESTAMP)
WITH (connector = 'file', path = 'examples/data/clicks.ndjson', format = 'json');

CREATE STREAM click_loader
WITH (connector = 'kafka', topic = 'clickstream.clicks', partitions = 3, key = 'user_id') AS
SELECT * FROM click_log;

FLUSH;

-- 2. The topic as a stream. Each partition has its own watermark; the
--    stream's is the slowest partition's. scan_bounded = 'latest' reads up to
--    the end offsets at start, so the example finishes (drop it to keep
--    running on new clicks).
CREATE STREAM clicks (
    user_id BIGINT, url TEXT, referrer TEXT, ts TIMESTAMP,
    WATERMARK FOR ts AS ts - INTERVAL '2 seconds'
) INCLUDE partition AS kafka_partition
WITH (connector = 'kafka', topic = 'clickstream.clicks', format = 'json', scan_bounded = 'latest');

-- 3. Page views per URL per minute, written to a topic once each minute
--    closes, keyed by URL, and queryable here.
CREATE STREAM page_views
WITH (connector = 'kafka', topic = 'clickstream.page_views', key = 'url') AS
SELECT url, window_start, window_end, count(*) AS views, count(DISTINCT user_id) AS visitors
FROM TUMBLE(clicks, ts, INTERVAL '1 minute')
GROUP BY url, window_start, window_end;

CREATE MATERIALIZED VIEW clicks_per_partition AS
SELECT kafka_partition, count(*) AS clicks FROM clicks GROUP BY kafka_partition;

FLUSH;

SELECT url, window_start, views, visitors
FROM page_views
ORDER BY window_start, views DESC, url;

SELECT kafka_partition, clicks FROM clicks_per_partition ORDER BY kafka_partition;

SHOW QUERIES;
