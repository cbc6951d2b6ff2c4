-- The tumble workload (tumble.sql) writing its windows to a Kafka topic, as JSON,
-- to check its results: ${OUT_TOPIC} (created by the broker on first write).
-- Run it without --warmup: a warm-up would write every window twice.

CREATE TABLE tumble_sink (
    auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), bids BIGINT, top BIGINT
) WITH (
    'connector' = 'kafka',
    'topic' = '${OUT_TOPIC}',
    'properties.bootstrap.servers' = '${BROKERS}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'SQL'
);

INSERT INTO tumble_sink
SELECT auction, window_start, window_end, COUNT(*) AS bids, MAX(price) AS top
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(date_time), INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end;
