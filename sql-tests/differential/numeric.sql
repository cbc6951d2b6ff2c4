-- numeric (decimal) semantics: result scale of + - * / on numeric(P,S) values,
-- typmod rounding on cast, round/trunc with scales (half away from zero),
-- sum/avg of numeric, overflow of numeric(P,S), numeric vs float.

SELECT id, n10 + n20 FROM nums ORDER BY id;
SELECT id, n10 - n20 FROM nums ORDER BY id;
SELECT id, n10 * n20 FROM nums ORDER BY id;
SELECT id, n10 * n10 FROM nums ORDER BY id;
SELECT id, n20 / 3 FROM nums ORDER BY id;
SELECT id, n10 / 7 FROM nums ORDER BY id;
SELECT id, n10 / n20 FROM nums WHERE n20 <> 0 ORDER BY id;
SELECT id, n10 % 3, n20 % 1 FROM nums ORDER BY id;
SELECT id, n10 + i4, n20 - i8 FROM nums ORDER BY id;
SELECT id, n10 * i2 FROM nums ORDER BY id;
SELECT id, -n10, -n20, abs(n20) FROM nums ORDER BY id;
SELECT 1.10 + 2.205, 1.10 - 2.205, 1.10 * 2.205;
SELECT 1.0 / 3, 2.00 / 3, 1 / 3.0, 10.0 / 4;
SELECT 1::numeric / 3, 1::numeric(10,2) / 3, 1::numeric(20,10) / 3;
SELECT 100.000 / 10, 1e2 / 1, 0.5 * 0.5;
SELECT 12345678901234567890.123 * 10, 0.00000000000000000001 * 0.1;
SELECT 123.456::numeric(5,2), 123.455::numeric(5,2), -123.455::numeric(5,2), 0.005::numeric(3,2);
-- eddy differs: SQLSTATE 22000 where PostgreSQL raises 22003
SELECT 999.995::numeric(5,2);
-- eddy differs: SQLSTATE 22000 where PostgreSQL raises 22003
SELECT 12345.6::numeric(5,2);
SELECT 1.5::numeric(10,0), 2.5::numeric(10,0), -2.5::numeric(10,0), 0.5::numeric(10,0);
SELECT round(2.5), round(3.5), round(-2.5), round(0.5), round(-0.5);
SELECT round(2.5::double precision), round(3.5::double precision), round(-2.5::double precision);
SELECT round(1234.5678, 2), round(1234.5678, 0), round(1234.5678, -2), round(1234.5678, -5);
SELECT round(-1234.5678, 2), round(-1234.5678, -2), round(0.125, 2), round(0.135, 2);
SELECT trunc(1234.5678, 2), trunc(1234.5678), trunc(1234.5678, -2), trunc(-1234.5678, 1);
SELECT id, round(n20, 2), round(n20), trunc(n20, 3), trunc(n20) FROM nums ORDER BY id;
SELECT id, round(n10, -1), round(n10, 1), trunc(n10, 1) FROM nums ORDER BY id;
SELECT id, round(f8) FROM nums WHERE abs(f8) < 1e300 ORDER BY id;
SELECT round(1.5::real), round(0.5::real), round(-0.5::real);
SELECT sum(n10), sum(n20), avg(n10), avg(n20) FROM nums;
SELECT sum(n10), avg(n10), min(n10), max(n10) FROM nums WHERE id <> 4 AND id <> 5;
SELECT avg(n10::numeric(10,2)) FROM nums WHERE id IN (2, 3, 7);
SELECT avg(x) FROM (VALUES (1.0), (2.0), (2.0)) v(x);
SELECT avg(x) FROM (VALUES (1), (2), (2)) v(x);
SELECT sum(x), avg(x) FROM (VALUES (0.1), (0.2), (0.3)) v(x);
SELECT sum(i4), pg_typeof(sum(i4)), sum(i8), pg_typeof(sum(i8)), pg_typeof(sum(i2)) FROM nums;
SELECT avg(i2), avg(i4), avg(i8) FROM nums;
-- eddy differs: avg(real) and sum(real) are double precision (PostgreSQL: avg double, sum real)
-- eddy stream differs: avg(real) and sum(real) are double precision (PostgreSQL: avg double, sum real)
-- eddy window differs: avg(real) and sum(real) are double precision (PostgreSQL: avg double, sum real)
SELECT pg_typeof(avg(i4)), pg_typeof(avg(f4)), pg_typeof(avg(n10)), pg_typeof(sum(f4)) FROM nums;
SELECT 1.0 = 1.00, 1.0 < 1.000001, 0.1 + 0.2 = 0.3, 0.1::float8 + 0.2::float8 = 0.3::float8;
SELECT 99999999.99::numeric(10,2) + 1;
-- eddy differs: SQLSTATE 22000 where PostgreSQL raises 22003
SELECT (99999999.99::numeric(10,2) + 1)::numeric(10,2);
-- eddy refuses: 22003: "1e131071" is out of range for type double precision
SELECT 1e131071::numeric > 0;
-- eddy refuses: 22P02: invalid input syntax for type numeric(38,10): "1e-5"
SELECT '1e-5'::numeric, '1.500'::numeric, '-0.000'::numeric, '00012.10'::numeric;
SELECT 0.1::numeric(2,1) * 3, 1::numeric(3,0) / 8, 7::numeric % 2.5;
-- eddy refuses: 42883: function scale() does not exist
-- eddy stream refuses: 42883: function scale() does not exist
SELECT scale(1.2300), scale(10), scale(1.0 / 3), scale(n10) FROM nums WHERE id = 2;
-- eddy refuses: 42883: function scale() does not exist
-- eddy stream refuses: 42883: function scale() does not exist
SELECT id, scale(n10 * n20), scale(n10 + n20), scale(n10 / n20) FROM nums WHERE id = 2;
-- eddy differs: numeric ^ numeric computes in double precision (PostgreSQL: exact numeric)
SELECT 10::numeric ^ 20, 2::numeric ^ 0.5, 0::numeric ^ 0;
SELECT sqrt(2::numeric), ln(10::numeric), exp(1::numeric), log(2::numeric, 1024::numeric);
-- eddy refuses: 22P02: invalid input syntax for type numeric(38,10): "NaN"
SELECT 'NaN'::numeric, 'NaN'::numeric + 1, 'NaN'::numeric = 'NaN'::numeric, 'NaN'::numeric > 1e100;
-- eddy refuses: 22P02: invalid input syntax for type numeric(38,10): "Infinity"
SELECT 'Infinity'::numeric, '-Infinity'::numeric + 1, 'Infinity'::numeric - 'Infinity'::numeric;
SELECT 1.5::numeric::integer, 2.5::numeric::integer, -2.5::numeric::integer, 2.49::numeric::bigint;
SELECT id, n10::integer, n20::bigint FROM nums WHERE id <> 4 AND id <> 5 ORDER BY id;
-- eddy differs: SQLSTATE 22P02 where PostgreSQL raises 22003
-- eddy stream differs: SQLSTATE 22P02 where PostgreSQL raises 22003
SELECT id, n20::integer FROM nums WHERE id = 4;
SELECT id, n10::real, n20::double precision FROM nums ORDER BY id;
-- eddy differs: double precision to unconstrained numeric keeps 10 decimals (numeric without precision is numeric(38,10))
-- eddy stream differs: double precision to unconstrained numeric keeps 10 decimals (numeric without precision is numeric(38,10))
SELECT id, f8::numeric FROM nums WHERE abs(f8) < 1e20 ORDER BY id;
-- eddy differs: real to numeric converts the float's binary value (PostgreSQL rounds it to 6 significant digits first)
-- eddy stream differs: real to numeric converts the float's binary value (PostgreSQL rounds it to 6 significant digits first)
SELECT id, f4::numeric(20,6) FROM nums WHERE abs(f4) < 1e10 ORDER BY id;
SELECT 1.0::numeric(10,5), 1::numeric(10,5) + 1::numeric(10,2), 3::numeric(4,2) * 2::numeric(4,3);
