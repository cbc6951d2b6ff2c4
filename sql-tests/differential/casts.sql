-- Casts: text to numbers, booleans, dates and timestamps (good and bad input:
-- 22P02 invalid_text_representation, 22003 out of range, 22008 datetime field out of
-- range, 22007 invalid datetime format), numbers to text and between widths
-- (float to int rounds half to even), CAST(x AS t) and x::t syntax, text columns cast.

SELECT '42'::integer, ' 7 '::integer, '-0'::integer, '+5'::integer;
SELECT 'abc'::integer;
SELECT ''::integer;
SELECT '1.5'::integer;
SELECT '1e3'::integer;
SELECT '99999'::smallint;
SELECT '32767'::smallint, '-32768'::smallint;
SELECT '-32769'::smallint;
SELECT '2147483648'::integer;
SELECT '9223372036854775807'::bigint, '-9223372036854775808'::bigint;
SELECT '9223372036854775808'::bigint;
SELECT '0x1F'::integer;
SELECT '1_000'::integer;
-- eddy refuses: 22P02: invalid input syntax for type numeric(38,10): "1e3"
SELECT '1e3'::numeric, '1E-2'::numeric, ' 12.50 '::numeric, '.5'::numeric, '5.'::numeric;
SELECT '1e3'::double precision, 'inf'::double precision, '-Infinity'::real, 'NaN'::double precision;
SELECT '1e400'::double precision;
SELECT '1e39'::real;
SELECT 'abc'::numeric;
SELECT '12.345'::numeric(4,2);
SELECT 'true'::boolean, 'FALSE'::boolean, 't'::boolean, 'f'::boolean, 'yes'::boolean, 'no'::boolean;
SELECT 'on'::boolean, 'off'::boolean, '1'::boolean, '0'::boolean, ' true '::boolean, 'TrUe'::boolean;
SELECT 'maybe'::boolean;
SELECT '2'::boolean;
SELECT '2024-02-29'::date, '2023-12-31'::date, '20240101'::date, '2024-1-5'::date;
SELECT '2024-02-30'::date;
SELECT '2023-02-29'::date;
SELECT 'not a date'::date;
SELECT '2024-13-01'::date;
SELECT '2024-01-01 10:00:00'::timestamp, '2024-01-01T10:00:00'::timestamp, '2024-01-01'::timestamp;
-- eddy differs: text with more than 6 fractional second digits is truncated to microseconds (PostgreSQL rounds)
SELECT '2024-01-01 10:00:00.123456789'::timestamp, '2024-01-01 10:00:00.5'::timestamp;
-- eddy refuses: 22008: date/time field value out of range: "2024-01-01 24:00:00"
SELECT '2024-01-01 24:00:00'::timestamp;
SELECT '2024-01-01 25:00:00'::timestamp;
SELECT '2024-01-01 10:00:00+02'::timestamptz, '2024-01-01 10:00:00 -05:30'::timestamptz, '2024-01-01T10:00:00Z'::timestamptz;
SELECT '2024-01-01 10:00:00+02'::timestamp;
SELECT '2024-01-01 10:00:00'::timestamptz;
SELECT CAST('42' AS integer), CAST(42 AS text), CAST(4.7 AS integer), CAST('3.14' AS double precision);
SELECT 4.5::integer, 5.5::integer, -4.5::integer, 4.5::double precision::integer, 5.5::double precision::integer;
SELECT 2.5::real::integer, 3.5::real::smallint, (-2.5)::double precision::bigint;
SELECT 1e10::double precision::integer;
SELECT 'NaN'::double precision::integer;
SELECT 32768::smallint;
SELECT -32768::smallint;
SELECT (-32768)::smallint, -32767::smallint;
SELECT 2147483648::integer;
SELECT 70000::integer::smallint;
SELECT 9223372036854775807::double precision::bigint;
SELECT 123::text, (-1.50)::text, 1.0e10::text, true::text, 0.1::real::text, 1e-7::double precision::text;
SELECT 1e15::double precision::text, 1e16::double precision::text, 123456789.125::double precision::text;
SELECT 1::boolean, 0::boolean, 5::boolean;
SELECT true::integer, false::integer;
SELECT 1::bigint::boolean;
-- eddy refuses: 42601: Projections require unique expression names but the expression "CAST(text("abcdef") AS text)" at positi
SELECT 'x'::char(3) || '|', 'abcdef'::varchar(3), 'abcdef'::char(2), 'ab  '::varchar(3);
-- eddy differs: char(n) is text: not blank-padded, trailing blanks compared
SELECT length('ab '::char(5)), length('ab '::varchar(5)), 'ab'::char(5) = 'ab   '::char(5);
SELECT id, s::integer FROM strs WHERE id IN (8, 9) ORDER BY id;
SELECT id, s::integer FROM strs ORDER BY id;
-- eddy refuses: 22P02: invalid input syntax for type numeric(38,10): "1e3"
-- eddy stream refuses: 22P02: invalid input syntax for type numeric(38,10): "1e3"
SELECT id, s::numeric FROM strs WHERE id IN (8, 9, 11, 22) ORDER BY id;
SELECT id, s::double precision FROM strs WHERE id IN (8, 9, 11, 22) ORDER BY id;
SELECT id, s::boolean FROM strs WHERE id = 12;
SELECT id, v::integer FROM strs WHERE id IN (8, 9, 11) ORDER BY id;
SELECT id, i4::text, i8::varchar, f8::text, n10::text FROM nums ORDER BY id;
SELECT id, f4::text, f8::real FROM nums WHERE abs(f8) < 1e30 AND (f8 = 0 OR abs(f8) > 1e-30) ORDER BY id;
SELECT id, f8::real FROM nums WHERE id = 4;
SELECT id, f8::real FROM nums WHERE id = 9;
SELECT id, i8::integer FROM nums WHERE id = 4;
SELECT id, i4::smallint FROM nums WHERE i4 BETWEEN -32768 AND 32767 ORDER BY id;
SELECT id, f8::integer FROM nums WHERE abs(f8) < 1e9 ORDER BY id;
SELECT id, f4::bigint FROM nums WHERE abs(f4) < 1e18 ORDER BY id;
SELECT id, n20::smallint FROM nums WHERE abs(n20) < 30000 ORDER BY id;
SELECT id, t::date, t::text, d::timestamp, d::text FROM times ORDER BY id;
SELECT id, tz::date, tz::timestamp, t::timestamptz FROM times ORDER BY id;
SELECT id, ts::text FROM flags ORDER BY id;
SELECT id, b::text, b::integer, k::integer::boolean FROM flags ORDER BY id;
SELECT id, k::boolean FROM flags ORDER BY id;
SELECT '{1,2,3}'::integer[], '{a,b}'::text[];
SELECT '2024-01-01'::date::timestamptz;
SELECT '12:34:56'::time, '1 day 2 hours'::interval, '1.5'::real::numeric;
SELECT 'P1DT2H'::interval, '-1 month +2 days'::interval, '90 minutes'::interval;
-- eddy differs: bytea to text spells hex digits without PostgreSQL's escape form
SELECT 'abc'::bytea, '\x41'::bytea::text;
SELECT text '42' + 1;
-- eddy refuses: 42883: operator does not exist: text + bigint
SELECT '42' + 1;
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 22P02
SELECT '4.5' + 1;
SELECT 1 || 'a', 'a' || 1.5, 'a' || true;
SELECT 2024-01-01;
SELECT date '2024-03-01' - 1, timestamp '2024-03-01 00:00' - interval '1 second', integer '7', numeric '1.50';
