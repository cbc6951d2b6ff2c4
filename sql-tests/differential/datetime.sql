-- Dates, timestamps and intervals: date_trunc (every unit), extract/date_part
-- (every field), interval arithmetic (timestamp +- interval, timestamp - timestamp,
-- interval * number, date + integer, date - date, age), month-end and leap-day
-- arithmetic, time zones (AT TIME ZONE with named zones and offsets), make_*, to_timestamp(epoch).

-- eddy refuses: 22023: unit "microseconds" not recognized
-- eddy stream refuses: 22023: unit "microseconds" not recognized
SELECT id, date_trunc('microseconds', t), date_trunc('milliseconds', t), date_trunc('second', t) FROM times ORDER BY id;
SELECT id, date_trunc('minute', t), date_trunc('hour', t), date_trunc('day', t) FROM times ORDER BY id;
SELECT id, date_trunc('week', t), date_trunc('month', t), date_trunc('quarter', t) FROM times ORDER BY id;
-- eddy refuses: 22023: unit "decade" not recognized
-- eddy stream refuses: 22023: unit "decade" not recognized
SELECT id, date_trunc('year', t), date_trunc('decade', t), date_trunc('century', t), date_trunc('millennium', t) FROM times ORDER BY id;
SELECT id, date_trunc('day', tz), date_trunc('month', tz), date_trunc('week', tz) FROM times ORDER BY id;
-- eddy refuses: 42883: function date_trunc does not exist for these argument types
-- eddy stream refuses: 42883: function date_trunc does not exist for these argument types
SELECT id, date_trunc('day', tz, 'America/New_York'), date_trunc('hour', tz, 'Asia/Kolkata') FROM times ORDER BY id;
-- eddy differs: date_trunc of a date gives a timestamp (PostgreSQL: timestamp with time zone)
-- eddy stream differs: date_trunc of a date gives a timestamp (PostgreSQL: timestamp with time zone)
SELECT id, date_trunc('month', d), date_trunc('week', d), pg_typeof(date_trunc('month', d)) FROM times ORDER BY id;
SELECT date_trunc('fortnight', timestamp '2024-01-01');
SELECT date_trunc('DAY', timestamp '2024-05-05 05:05:05'), date_trunc('Hour', timestamp '2024-05-05 05:05:05');
-- eddy refuses: 22P02: Invalid input syntax for type interval: "3 days 04:05:06"
SELECT date_trunc('hour', interval '3 days 04:05:06'), date_trunc('year', interval '15 months');
SELECT id, extract(year FROM t), extract(month FROM t), extract(day FROM t), extract(hour FROM t), extract(minute FROM t) FROM times ORDER BY id;
SELECT id, extract(second FROM t), extract(milliseconds FROM t), extract(microseconds FROM t) FROM times ORDER BY id;
SELECT id, extract(dow FROM t), extract(isodow FROM t), extract(doy FROM t), extract(week FROM t), extract(isoyear FROM t) FROM times ORDER BY id;
SELECT id, extract(quarter FROM t), extract(decade FROM t), extract(century FROM t), extract(millennium FROM t) FROM times ORDER BY id;
SELECT id, extract(epoch FROM t), extract(epoch FROM tz), extract(julian FROM d) FROM times ORDER BY id;
SELECT id, extract(timezone FROM tz), extract(hour FROM tz), extract(day FROM tz) FROM times ORDER BY id;
SELECT id, extract(year FROM d), extract(dow FROM d), extract(week FROM d), extract(epoch FROM d) FROM times ORDER BY id;
-- eddy differs: answers where PostgreSQL raises 0A000
SELECT extract(hour FROM date '2024-01-01');
SELECT id, date_part('year', t), date_part('month', t), date_part('second', t), date_part('epoch', t), date_part('dow', t) FROM times ORDER BY id;
-- eddy differs: EXTRACT gives double precision (PostgreSQL: numeric); the value is the same
SELECT pg_typeof(extract(year FROM timestamp '2024-01-01')), pg_typeof(date_part('year', timestamp '2024-01-01'));
SELECT extract(foo FROM timestamp '2024-01-01');
SELECT extract(epoch FROM interval '1 day 2 hours'), extract(day FROM interval '40 days'), extract(month FROM interval '14 months'), extract(hour FROM interval '-3 hours 30 minutes');
SELECT date_part('week', date '2024-12-30'), date_part('isoyear', date '2024-12-30'), date_part('week', date '2021-01-03'), date_part('isoyear', date '2021-01-03');
SELECT id, t + interval '1 day', t - interval '1 hour', t + interval '1 month', t - interval '1 year' FROM times ORDER BY id;
SELECT id, t + interval '1.5 seconds', t + interval '90 minutes', t + interval '-1 day 3 hours' FROM times ORDER BY id;
SELECT id, tz + interval '1 day', tz + interval '1 month', tz - interval '30 minutes' FROM times ORDER BY id;
SELECT id, d + 1, d - 1, d + 365, d - 60 FROM times ORDER BY id;
SELECT id, d + interval '1 month', d - interval '1 day', pg_typeof(d + interval '1 day') FROM times ORDER BY id;
SELECT id, d - date '2024-01-01', date '2024-12-31' - d FROM times ORDER BY id;
SELECT id, t - timestamp '2024-01-01 00:00:00', timestamp '2024-01-01' - t FROM times ORDER BY id;
SELECT id, tz - timestamptz '2024-01-01 00:00:00+00' FROM times ORDER BY id;
SELECT id, t - ts FROM times ORDER BY id;
-- eddy refuses: 42883: function age() does not exist
-- eddy stream refuses: 42883: function age() does not exist
SELECT id, age(t, timestamp '2000-01-01'), age(timestamp '2024-03-31', t) FROM times ORDER BY id;
-- eddy refuses: 42883: function age() does not exist
SELECT age(timestamp '2024-03-31', timestamp '2024-02-29'), age(timestamp '2024-02-29', timestamp '2023-02-28'), age(date '2024-01-01', date '2023-01-31');
SELECT date '2024-01-31' + interval '1 month', date '2024-02-29' + interval '1 year', date '2024-03-31' - interval '1 month', timestamp '2023-01-31' + interval '1 month';
SELECT date '2024-01-31' + interval '1 month' + interval '1 month', date '2024-01-31' + interval '2 months';
-- eddy refuses: 42883: operator does not exist: interval * bigint
SELECT timestamp '2024-01-01 00:00' + interval '1 day' * 3, interval '1 hour' * 2.5, interval '1 day' / 3, interval '1 month' * 0.5, 2 * interval '7 minutes';
SELECT interval '1 day' - interval '25 hours', interval '1 month' + interval '31 days', -interval '1 year 2 mons', interval '36 hours' = interval '1 day 12 hours';
SELECT interval '1 month' = interval '30 days', interval '1 day' = interval '24 hours', interval '1 year' > interval '360 days';
-- eddy refuses: 42883: function justify_hours() does not exist
SELECT justify_hours(interval '50 hours'), justify_days(interval '35 days'), justify_interval(interval '1 mon -1 hour');
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 22012
SELECT interval '1 day' / 0;
-- eddy differs: SQLSTATE 22003 where PostgreSQL raises 22008
SELECT interval '2147483647 days' + interval '1 day';
SELECT timestamp '294276-12-31 23:59:59' + interval '1 day';
SELECT date '2024-01-01' + 2147483647;
SELECT date '2024-02-28' + 1, date '2023-02-28' + 1, date '2024-12-31' + 1, date '1999-12-31' + 1;
SELECT date '2024-03-01' - date '2024-02-01', date '2025-03-01' - date '2025-02-01', date '2024-01-01' - date '2023-01-01';
SELECT timestamp '2024-01-01 00:00:00' - timestamp '2023-12-31 23:59:59.999999', timestamp '2024-03-01' - timestamp '2024-02-01';
SELECT date '2024-01-01' + time '10:30', date '2024-01-01' - interval '1 microsecond';
-- eddy refuses: 22P02: Cannot cast timezone to different timezone
-- eddy stream refuses: 22P02: Cannot cast timezone to different timezone
SELECT id, t AT TIME ZONE 'UTC', t AT TIME ZONE 'America/New_York', t AT TIME ZONE 'Asia/Kolkata' FROM times ORDER BY id;
SELECT id, tz AT TIME ZONE 'UTC', tz AT TIME ZONE 'Europe/Berlin', tz AT TIME ZONE 'Australia/Sydney' FROM times ORDER BY id;
-- eddy refuses: 22023: time zone "UTC+3" not recognized
-- eddy stream refuses: 22023: time zone "UTC+3" not recognized
SELECT id, tz AT TIME ZONE '+05:30', tz AT TIME ZONE 'UTC+3', t AT TIME ZONE '-02:00' FROM times ORDER BY id;
-- eddy refuses: 22P02: Cannot cast timezone to different timezone
SELECT timestamp '2024-03-10 02:30:00' AT TIME ZONE 'America/New_York', timestamp '2024-11-03 01:30:00' AT TIME ZONE 'America/New_York';
SELECT timestamptz '2024-03-31 00:59:59+00' AT TIME ZONE 'Europe/London', timestamptz '2024-03-31 01:00:00+00' AT TIME ZONE 'Europe/London';
-- eddy refuses: 42883: function timezone() does not exist
SELECT timezone('Asia/Tokyo', timestamptz '2024-01-01 00:00:00+00'), timezone('Asia/Tokyo', timestamp '2024-01-01 00:00:00');
SELECT timestamp '2024-01-01 12:00' AT TIME ZONE 'Mars/Olympus';
-- eddy refuses: 22008: date/time field value out of range: "2024-06-01 12:00:00 Europe/Paris"
SELECT timestamptz '2024-06-01 12:00:00 Europe/Paris', timestamptz '2024-01-01 12:00:00 America/Los_Angeles', timestamptz '2024-01-01 12:00 EST';
-- eddy refuses: 42883: function make_timestamp() does not exist
SELECT make_date(2024, 2, 29), make_date(-44, 3, 15), make_timestamp(2024, 1, 1, 23, 59, 59.5), make_interval(days => 10, hours => 3);
SELECT make_date(2023, 2, 29);
-- eddy refuses: 42883: function make_timestamptz() does not exist
SELECT make_timestamptz(2024, 7, 1, 12, 0, 0, 'America/New_York'), make_time(23, 59, 59.999999);
SELECT to_timestamp(0), to_timestamp(1700000000), to_timestamp(1700000000.123456), to_timestamp(-1.5), to_timestamp(1e10);
SELECT to_timestamp('NaN'::double precision);
-- eddy refuses: 22007: invalid input syntax for type date: "-infinity"
SELECT to_timestamp('Infinity'::double precision), 'infinity'::timestamp, '-infinity'::date, 'infinity'::timestamp > timestamp '9999-12-31';
SELECT id, to_timestamp(extract(epoch FROM t)) FROM times ORDER BY id;
SELECT timestamp '2024-01-01 10:00:00' < timestamp '2024-01-01 10:00:00.000001', date '2024-01-01' = timestamp '2024-01-01 00:00:00', date '2024-01-02' > timestamptz '2024-01-01 23:00:00-05';
SELECT id, t FROM times WHERE t BETWEEN '2024-01-01' AND '2024-12-31' ORDER BY id;
SELECT id, d FROM times WHERE d >= date '2024-03-01' ORDER BY d, id;
SELECT id, tz FROM times WHERE tz < timestamptz '2000-01-01 00:00:00+00' ORDER BY tz;
SELECT id, t FROM times ORDER BY t DESC NULLS LAST, id;
SELECT min(t), max(t), min(tz), max(tz), min(d), max(d) FROM times;
SELECT count(*), date_trunc('hour', ts) AS h FROM times GROUP BY h ORDER BY h;
SELECT date_bin(interval '15 minutes', timestamp '2024-01-01 10:37:00', timestamp '2024-01-01 00:00:00'), date_bin(interval '1 hour', timestamp '2024-01-01 10:37:00', timestamp '2024-01-01 00:30:00');
SELECT id, date_bin(interval '10 minutes', ts, timestamp '2024-01-01') FROM nums ORDER BY id;
-- eddy refuses: 22P02: Invalid input syntax for type interval: "1 year 2 months 3 days 04:05:06.7"
SELECT timestamp '2024-01-01 10:00' + interval '1 day', interval '1 year 2 months 3 days 04:05:06.7';
SELECT interval '0', interval '-1 day', interval '1 day -1 hour', interval '100 hours', interval '1.5 months', interval '0.000001 seconds';
-- eddy refuses: 22P02: Invalid input syntax for type interval: "3 millennium"
SELECT interval '1 week', interval '1 decade', interval '3 millennium', interval '1 year 13 months';
-- eddy refuses: 42883: function isfinite() does not exist
SELECT isfinite(date '2024-01-01'), isfinite('infinity'::timestamp), date '2024-02-29' IN (date '2024-02-29', NULL);
-- eddy refuses: 0A000: not supported: Only identifiers and literals are supported in tuples
SELECT (date '2024-01-01', date '2024-02-01') OVERLAPS (date '2024-01-15', date '2024-03-01');
-- eddy differs: typed timestamp literals truncate fractional seconds beyond their precision (PostgreSQL rounds)
SELECT timestamp '2024-01-01 10:00:00.123456789', timestamp(0) '2024-01-01 10:00:00.5', timestamp(3) '2024-01-01 10:00:00.123456';
-- eddy refuses: 42704: type "TIMESTAMP" does not exist
SELECT '2024-01-01 10:00:00'::timestamp(2), '2024-01-01 10:00:00.999'::timestamp(1), '2024-12-31 23:59:59.9'::timestamp(0);
-- eddy refuses: 22008: date/time field value out of range: "4714-11-24 BC"
SELECT date '4714-11-24 BC', date '5874897-12-31', timestamp '0001-01-01 00:00:00';
SELECT date '5874898-01-01';
