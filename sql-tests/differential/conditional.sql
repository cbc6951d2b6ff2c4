-- Conditional expressions: searched and simple CASE (first match wins, ELSE NULL,
-- result type resolution across branches, lazy evaluation of untaken branches),
-- COALESCE, NULLIF, GREATEST/LEAST over mixed types, boolean expressions in select lists,
-- subqueries in conditions (EXISTS, scalar subquery).

SELECT id, CASE WHEN i4 > 0 THEN 'pos' WHEN i4 < 0 THEN 'neg' WHEN i4 = 0 THEN 'zero' END FROM nums ORDER BY id;
SELECT id, CASE WHEN i4 > 0 THEN 'pos' ELSE 'not pos' END FROM nums ORDER BY id;
SELECT id, CASE i2 WHEN 0 THEN 'zero' WHEN 1 THEN 'one' WHEN -1 THEN 'minus one' ELSE 'many' END FROM nums ORDER BY id;
SELECT id, CASE WHEN i2 > 0 THEN i2 ELSE n10 END, CASE WHEN i2 > 0 THEN i4 ELSE f8 END FROM nums ORDER BY id;
SELECT CASE WHEN true THEN 1 ELSE 2.5 END, pg_typeof(CASE WHEN true THEN 1 ELSE 2.5 END), CASE WHEN false THEN 1 END;
SELECT CASE WHEN true THEN 1 ELSE 'a' END;
SELECT CASE WHEN true THEN 'a' ELSE 1 END;
SELECT CASE WHEN true THEN 1 ELSE 1 / 0 END, CASE WHEN false THEN 1 / 0 ELSE 0 END;
SELECT id, CASE WHEN i4 = 0 THEN NULL ELSE 100 / i4 END FROM nums ORDER BY id;
SELECT id, CASE WHEN i4 <> 0 THEN 100 / i4 END FROM nums ORDER BY id;
SELECT CASE 1 WHEN 1.0 THEN 'numeric match' ELSE 'no' END, CASE 'a' WHEN 'A' THEN 'ci' ELSE 'cs' END, CASE NULL::integer WHEN 1 THEN 'x' ELSE 'else' END;
SELECT id, CASE WHEN s = '' THEN 'empty' WHEN s IS NULL THEN 'null' WHEN trim(s) = '' THEN 'blank' ELSE 'text' END FROM strs ORDER BY id;
SELECT id, CASE WHEN b THEN k WHEN c THEN -k END FROM flags ORDER BY id;
SELECT id, CASE WHEN t < '2000-01-01' THEN 'old' WHEN t < '2024-01-01' THEN 'recent' ELSE 'new' END FROM times ORDER BY id;
SELECT id, CASE extract(dow FROM t) WHEN 0 THEN 'Sun' WHEN 6 THEN 'Sat' ELSE 'weekday' END FROM times ORDER BY id;
SELECT sum(CASE WHEN b THEN 1 ELSE 0 END), sum(CASE WHEN b IS NULL THEN 1 END), count(CASE WHEN c THEN 1 END) FROM flags;
SELECT grp, sum(CASE WHEN k > 2 THEN x ELSE 0 END) FROM flags GROUP BY grp ORDER BY grp;
SELECT coalesce(NULL, 1, 2), coalesce(NULL, NULL), coalesce(1, 2.5), pg_typeof(coalesce(1, 2.5)), coalesce('', 'x'), coalesce(NULL, '');
SELECT coalesce(1, 'a');
SELECT coalesce('a', 1);
SELECT id, coalesce(s, v, grp, 'none') FROM strs ORDER BY id;
SELECT id, coalesce(i4::text, s, '?') FROM nums JOIN strs USING (id) ORDER BY id;
SELECT id, coalesce(b, c), coalesce(b, c, false) FROM flags ORDER BY id;
SELECT id, coalesce(t, d::timestamp, timestamp '1900-01-01') FROM times ORDER BY id;
SELECT nullif(0, 0), nullif(0.0, 0), nullif('', ''), nullif(' ', ''), nullif(1, 1.0), pg_typeof(nullif(1, 1.0));
SELECT id, 100 / nullif(i4, 0) FROM nums ORDER BY id;
SELECT id, nullif(k, 0), nullif(b, true) FROM flags ORDER BY id;
SELECT nullif(1, 'a');
SELECT greatest(1, 2, 3), least(1, 2, 3), greatest('a', 'B', 'c'), least(1.5, 2), greatest(1, 2.5::double precision), pg_typeof(greatest(1, 2::bigint));
SELECT greatest(true, false), least(date '2024-01-01', date '2023-01-01'), greatest(timestamp '2024-01-01', date '2024-01-02'), greatest('10', '9');
SELECT id, greatest(k, x, 0), least(k, x) FROM flags ORDER BY id;
SELECT id, greatest(f8, 0), least(f4, f8) FROM nums ORDER BY id;
SELECT id, i4 > 0 AS pos, i4 > 0 AND i2 > 0 AS both_pos, NOT (i4 > 0) AS not_pos FROM nums ORDER BY id;
-- eddy refuses: 0A000: not supported: Physical plan does not support logical expression Exists(Exists { subquery: <subquery>, 
SELECT id, EXISTS (SELECT 1 FROM flags f WHERE f.id = n.id AND f.b) FROM nums n ORDER BY id;
-- eddy refuses: 0A000: not supported: Physical plan does not support logical expression ScalarSubquery(<subquery>)
SELECT id, (SELECT max(k) FROM flags f WHERE f.id <= n.id) FROM nums n ORDER BY id;
SELECT id, i4 IN (SELECT x FROM flags) FROM nums ORDER BY id;
SELECT id, i4 NOT IN (SELECT x FROM flags) FROM nums ORDER BY id;
SELECT (SELECT k FROM flags WHERE id = 1), (SELECT k FROM flags WHERE id = 100);
SELECT (SELECT k FROM flags);
SELECT id, CASE WHEN i4 IS NULL THEN 'n' ELSE i4::text END || '/' || CASE WHEN i2 IS NULL THEN 'n' ELSE i2::text END FROM nums ORDER BY id;
SELECT id, i2 = ANY (ARRAY[i4, i8]), i2 = ALL (ARRAY[i4, i8]) FROM nums ORDER BY id;
SELECT CASE WHEN 1 = 1 THEN 'a' WHEN 1 / 0 = 1 THEN 'b' END;
SELECT id, CASE WHEN id % 2 = 0 THEN 'even' ELSE 'odd' END, CASE WHEN id % 3 = 0 THEN 'fizz' END FROM flags ORDER BY id;
