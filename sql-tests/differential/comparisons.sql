-- Comparisons: across numeric types (1 = 1.0, int vs numeric vs float, float
-- precision), text in collation C (bytewise: uppercase before lowercase, case
-- sensitive, trailing spaces significant for text and varchar), booleans ordered
-- false < true, BETWEEN [SYMMETRIC], IN lists, ANY/ALL, row comparisons, dates vs timestamps.

SELECT 1 = 1.0, 1 = 1.0::double precision, 1::smallint = 1::bigint, 1.0 = 1.00, 1 <> 1.0000001;
SELECT 0.1::real = 0.1::double precision, 0.1::real = 0.1, 0.1::double precision = 0.1, 0.5::real = 0.5::double precision;
-- eddy differs: numeric to double precision beyond 2^53 rounds differently
SELECT 9007199254740993 = 9007199254740993::double precision, 9007199254740993::numeric = 9007199254740992::double precision;
SELECT 2147483647::integer < 2147483648::bigint, (-32768)::smallint = -32768, 1e20 > 9223372036854775807;
SELECT id FROM nums WHERE i2 = i4 ORDER BY id;
SELECT id FROM nums WHERE i4 = n10 ORDER BY id;
SELECT id FROM nums WHERE f8 = n20 ORDER BY id;
SELECT id FROM nums WHERE f4 = f8 ORDER BY id;
SELECT id FROM nums WHERE f4 = 0.1 ORDER BY id;
SELECT id FROM nums WHERE f8 = 0.1 ORDER BY id;
SELECT id FROM nums WHERE n10 = 0.1 ORDER BY id;
SELECT id, i4 < i8, i4 <= n10, f8 > n20, i2 >= f4 FROM nums ORDER BY id;
SELECT id FROM nums WHERE i8 > 2147483647 ORDER BY id;
SELECT id FROM nums WHERE f8 > 1e300 OR f8 < -1e300 ORDER BY id;
SELECT id FROM nums WHERE f8 = 0 ORDER BY id;
SELECT id FROM nums WHERE n20 BETWEEN -1 AND 1 ORDER BY id;
SELECT id FROM nums WHERE i4 BETWEEN 10 AND -10 ORDER BY id;
-- eddy refuses: 42601: sql parser error: Expected: AND, found: 10 at Line: 1, Column: 48
SELECT id FROM nums WHERE i4 BETWEEN SYMMETRIC 10 AND -10 ORDER BY id;
SELECT id FROM nums WHERE i4 NOT BETWEEN -100 AND 100 ORDER BY id;
SELECT id FROM nums WHERE i2 IN (1, 2, 3.0, 7) ORDER BY id;
SELECT id FROM nums WHERE n10 IN (0.5, 1.5, 12.5) ORDER BY id;
SELECT id FROM nums WHERE i8 IN (SELECT k FROM flags) ORDER BY id;
SELECT id FROM nums WHERE i4 = ANY (ARRAY[0, 70, 100000]) ORDER BY id;
SELECT id FROM nums WHERE i4 > ALL (ARRAY[0, 10]) ORDER BY id;
SELECT 'a' = 'a', 'a' = 'A', 'a' < 'b', 'B' < 'a', 'Z' < 'a', 'abc' < 'abd', 'ab' < 'abc', '' < 'a';
SELECT 'abc' = 'abc ', 'abc'::varchar = 'abc '::varchar, 'abc'::char(5) = 'abc', 'abc '::text > 'abc';
SELECT '10' < '9', '10' < '9'::integer, 'a' > 'Z', '_' < 'a', '~' > 'z', 'é' > 'f';
SELECT id, s FROM strs ORDER BY s COLLATE "C", id;
SELECT id, s FROM strs WHERE s > 'a' ORDER BY s, id;
SELECT id, s FROM strs WHERE s < 'a' ORDER BY s, id;
SELECT id, s FROM strs WHERE s BETWEEN 'A' AND 'Z' ORDER BY id;
SELECT id, s, v FROM strs WHERE s = v ORDER BY id;
SELECT id, s, v, s < v, s = v, s > v FROM strs ORDER BY id;
SELECT id, lower(s) = lower(v), upper(s) = 'HELLO' FROM strs ORDER BY id;
SELECT id FROM strs WHERE s IN ('hello', 'HELLO', 'abc ', '') ORDER BY id;
SELECT id, v FROM strs ORDER BY v, id;
SELECT max(s), min(s), max(v), min(v) FROM strs WHERE grp = 'a';
SELECT true > false, true = true, false < NULL, true >= true;
SELECT id, b, c, b < c, b > c, b >= c FROM flags ORDER BY id;
SELECT id, b FROM flags ORDER BY b, id;
SELECT id, b FROM flags ORDER BY b DESC, id;
SELECT max(b::integer), min(k), max(k) FROM flags;
SELECT date '2024-01-01' < timestamp '2024-01-01 00:00:01', date '2024-01-01' = timestamptz '2024-01-01 00:00:00+00', timestamp '2024-01-01 05:00' = timestamptz '2024-01-01 05:00:00+00';
SELECT id FROM times WHERE t = tz ORDER BY id;
SELECT id FROM times WHERE d = t ORDER BY id;
SELECT id FROM times WHERE d < t ORDER BY id;
SELECT id, t > '2024-01-01', d >= '2024-02-29', tz < '2024-06-01 00:00:00+00' FROM times ORDER BY id;
SELECT (1, 2) < (1, 3), (1, 2) = (1, 2), (1, NULL) = (1, 2), (2, NULL) > (1, 5), (1, 'a') < (1, 'b');
SELECT id, (i2, i4) < (0, 0) FROM nums ORDER BY id;
SELECT 1 = ANY (ARRAY[1, 2]), 3 = ANY (ARRAY[1, 2]), 3 = ANY (ARRAY[1, NULL]), 1 = ALL (ARRAY[1, 1]), 1 = ALL (ARRAY[1, NULL]), 1 < ALL (ARRAY[]::integer[]);
SELECT 5 > ANY ('{1,10}'::integer[]), 'b' = ANY (ARRAY['a', 'b']), 'B' = ANY (string_to_array('a,b', ','));
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 42601
SELECT 1 < 2 < 3;
SELECT id, s FROM strs WHERE s > 1;
SELECT id FROM strs WHERE s = 42;
SELECT id FROM nums WHERE i4 = '70' ORDER BY id;
SELECT id FROM nums WHERE i4 = '7x';
SELECT id FROM nums WHERE n10 = '0.10' ORDER BY id;
SELECT id FROM flags WHERE b = 'true' ORDER BY id;
SELECT id FROM flags WHERE b = 1;
SELECT id FROM times WHERE d = '2024-02-29';
SELECT id FROM times WHERE t < '2024-02-30';
SELECT 1 = true;
SELECT 'a' = NULL, 1 < NULL::numeric, (NULL::integer = NULL::integer) IS NULL;
-- eddy refuses: 22P02: Cannot cast to numeric(15,7). Overflowing on 3.4e38
SELECT id, greatest(i2, i4, i8), least(i2, i4, i8), greatest(f4, n10), least(s, v) FROM nums JOIN strs USING (id) ORDER BY id;
SELECT greatest(1, 2.5, 3::bigint), pg_typeof(greatest(1, 2.5)), least('b', 'B', 'a'), greatest(date '2024-01-01', timestamp '2023-12-31 23:00');
SELECT greatest(1, 'a');
SELECT id, i4 FROM nums WHERE i4 > 0 AND i4 < 100 ORDER BY i4, id;
-- eddy differs: -0 sorts before 0 (PostgreSQL sorts them as equal)
SELECT id, f8 FROM nums ORDER BY f8, id;
SELECT id, n20 FROM nums ORDER BY n20 DESC, id;
