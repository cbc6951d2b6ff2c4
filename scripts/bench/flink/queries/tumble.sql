-- Bids per auction in 10-second tumbling event-time windows: count and top price.
-- One row per (auction, window), emitted when the watermark passes the window's end.

CREATE TABLE tumble_sink (
    auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), bids BIGINT, top BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO tumble_sink
SELECT auction, window_start, window_end, COUNT(*) AS bids, MAX(price) AS top
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(date_time), INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end;
