-- Real-time clickstream analytics: page views per URL per minute.
-- Reads a recorded click log (bounded file replay), writes each closed
-- window to an NDJSON sink and keeps the per-URL totals queryable.
CREATE STREAM clicks (
    user_id BIGINT, url TEXT, referrer TEXT, ts TIMESTAMP,
    WATERMARK FOR ts AS ts - INTERVAL '2 seconds'
) WITH (connector = 'file', path = 'examples/data/clicks.ndjson', format = 'json');

CREATE STREAM page_views_per_minute
WITH (connector = 'file', path = 'target/examples/page_views_per_minute.ndjson') AS
SELECT url, window_start, window_end, count(*) AS views, count(DISTINCT user_id) AS visitors
FROM TUMBLE(clicks, ts, INTERVAL '1 minute')
GROUP BY url, window_start, window_end;

CREATE MATERIALIZED VIEW views_by_referrer AS
SELECT coalesce(referrer, 'direct') AS referrer, count(*) AS views
FROM clicks
GROUP BY coalesce(referrer, 'direct');

FLUSH;

SELECT url, window_start, views, visitors
FROM page_views_per_minute
ORDER BY window_start, views DESC, url;

SELECT referrer, views FROM views_by_referrer ORDER BY views DESC;

SHOW QUERIES;
