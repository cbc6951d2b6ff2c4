-- Nexmark q1: currency conversion (a projection): the price in euros.

CREATE TABLE q1_sink (
    auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), date_time TIMESTAMP(3), extra STRING
) WITH ('connector' = 'blackhole');

INSERT INTO q1_sink
SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bids;
