-- Nexmark q5-style hopping windows: bids per auction in 10-second windows that
-- start every 2 seconds (each bid counts in 5 windows).

CREATE TABLE hop_sink (
    auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), bids BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO hop_sink
SELECT auction, window_start, window_end, COUNT(*) AS bids
FROM TABLE(HOP(TABLE bids, DESCRIPTOR(date_time), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end;
