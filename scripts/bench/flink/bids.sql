-- The shared source table of every workload in queries/ (run.sh passes
-- this file first: --sql bids.sql --sql queries/W.sql).

-- The Nexmark bids, one JSON object per Kafka record, read from the start of
-- the topic to its end offsets at job start (bounded, so the job finishes).
CREATE TABLE bids (
    auction   BIGINT,
    bidder    BIGINT,
    price     BIGINT,
    channel   STRING,
    url       STRING,
    date_time TIMESTAMP(3),
    extra     STRING,
    WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = '${TOPIC}',
    'properties.bootstrap.servers' = '${BROKERS}',
    'properties.group.id' = 'flink-bench',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = 'latest-offset',
    'format' = 'json',
    -- SQL: "2024-01-01 00:00:00.000" (FlinkSqlRunner --produce); ISO-8601:
    -- "2024-01-01T00:00:00.000" (eddy-bench load). The runner detects it
    -- from the topic's first record unless --var TS_FORMAT=... is given.
    'json.timestamp-format.standard' = '${TS_FORMAT:-SQL}'
);
