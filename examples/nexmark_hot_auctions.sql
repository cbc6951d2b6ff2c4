-- Hot auctions: bids per auction in 10-second tumbling windows, over the
-- built-in Nexmark generator (no Kafka needed). max_events bounds the run so
-- FLUSH returns once every window has closed.
CREATE STREAM bids (
    WATERMARK FOR date_time AS date_time - INTERVAL '1 second'
) WITH (connector = 'nexmark', table = 'bid', events_per_second = 1000,
        max_events = 100000, base_time = '2024-01-01 00:00:00', rate_limit = 'false');

CREATE MATERIALIZED VIEW bids_per_auction AS
SELECT auction, window_start, window_end, count(*) AS bids, max(price) AS top_price
FROM TUMBLE(bids, date_time, INTERVAL '10 seconds')
GROUP BY auction, window_start, window_end;

FLUSH;

SELECT window_start, auction, bids, top_price
FROM bids_per_auction
ORDER BY bids DESC, window_start, auction
LIMIT 10;

SHOW QUERIES;
