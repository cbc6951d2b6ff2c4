-- Nexmark q0: pass-through. Every bid goes to a blackhole sink.

CREATE TABLE q0_sink (
    auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING,
    date_time TIMESTAMP(3), extra STRING
) WITH ('connector' = 'blackhole');

INSERT INTO q0_sink
SELECT auction, bidder, price, channel, url, date_time, extra FROM bids;
