-- Aggregates: count(*)/count(x)/count(DISTINCT), sum/avg/min/max at every type,
-- bool_and/bool_or/every, string_agg, array_agg, stddev/variance (one row, all rows),
-- over empty input and all-NULL input, GROUP BY with HAVING, FILTER, ordered aggregates,
-- overflow of sum, grouping by expressions, grouping sets.

SELECT count(*), count(i4), sum(i4), avg(i4), min(i4), max(i4) FROM empty;
SELECT count(*), sum(i2), sum(i8), sum(f4), sum(f8), sum(n10), avg(n20) FROM empty;
SELECT min(f8), max(n20), bool_and(i4 > 0), bool_or(i4 > 0), string_agg(i4::text, ','), array_agg(i4) FROM empty;
SELECT stddev(i4), variance(i4), stddev_pop(f8), var_pop(n10), stddev_samp(i8), var_samp(f4) FROM empty;
SELECT count(*), count(i4), sum(i4), avg(i4), min(i4), max(i4) FROM nums WHERE id = 6;
SELECT sum(f8), avg(f8), sum(n10), avg(n10), min(n20), max(f4) FROM nums WHERE id = 6;
SELECT bool_and(b), bool_or(b), every(b), count(b) FROM flags WHERE grp = 'n' AND b IS NULL;
SELECT string_agg(s, ','), array_agg(s), count(s) FROM strs WHERE s IS NULL;
SELECT count(*) FROM empty GROUP BY i4;
SELECT count(*), sum(i4) FROM empty HAVING count(*) = 0;
SELECT count(*), count(i2), count(i4), count(i8), count(f4), count(f8), count(n10), count(n20) FROM nums;
SELECT count(DISTINCT i2), count(DISTINCT i4 % 3), count(DISTINCT n10 > 0) FROM nums;
SELECT sum(i2), sum(i4), sum(n10), sum(n20) FROM nums WHERE id <> 4 AND id <> 5;
SELECT sum(i8) FROM nums;
SELECT sum(i8) FROM nums WHERE i8 > 0;
SELECT sum(i8) FROM nums WHERE i8 < 0;
SELECT sum(i4) FROM nums WHERE i4 > 0;
SELECT sum(i2), pg_typeof(sum(i2)) FROM nums WHERE i2 > 0;
SELECT sum(f8) FROM nums WHERE abs(f8) < 1e300;
SELECT sum(f8) FROM nums WHERE f8 > 0;
SELECT avg(i2), avg(i4), avg(i8), avg(f8) FROM nums WHERE id <> 4 AND id <> 5;
-- eddy differs: sum(real) is double precision in Eddy (PostgreSQL: real, with real's rounding)
-- eddy stream differs: sum(real) is double precision in Eddy (PostgreSQL: real, with real's rounding)
-- eddy window differs: sum(real) is double precision in Eddy (PostgreSQL: real, with real's rounding)
SELECT avg(f4), sum(f4), pg_typeof(sum(f4)) FROM nums WHERE abs(f4) < 1e30;
SELECT min(i2), max(i2), min(i4), max(i4), min(i8), max(i8) FROM nums;
SELECT min(f4), max(f4), min(f8), max(f8), min(n10), max(n10), min(n20), max(n20) FROM nums;
SELECT min(s), max(s), min(v), max(v) FROM strs;
SELECT min(b), max(b) FROM flags;
SELECT bool_and(b), bool_or(b), every(c), bool_and(k > -5), bool_or(k > 100) FROM flags;
SELECT grp, bool_and(b), bool_or(b), count(b), count(*) FROM flags GROUP BY grp ORDER BY grp;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate string_agg(strs.s,Utf8(",")) ORDER BY [strs.id ASC NULLS LAST] is not sup
-- eddy window refuses: 0A000: ORDER BY inside the aggregate string_agg(__window_0.s,Utf8(",")) ORDER BY [__window_0.id ASC NULLS LAST
SELECT string_agg(s, ',' ORDER BY id) FROM strs;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate string_agg(strs.s,Utf8(" | ")) ORDER BY [strs.s DESC NULLS FIRST, strs.id
-- eddy window refuses: 0A000: ORDER BY inside the aggregate string_agg(__window_0.s,Utf8(" | ")) ORDER BY [__window_0.s DESC NULLS FI
SELECT string_agg(s, ' | ' ORDER BY s DESC, id) FROM strs WHERE length(s) < 6;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate string_agg(DISTINCT strs.grp,Utf8(",")) ORDER BY [strs.grp ASC NULLS LAST
-- eddy window refuses: 0A000: ORDER BY inside the aggregate string_agg(DISTINCT __window_0.grp,Utf8(",")) ORDER BY [__window_0.grp AS
SELECT string_agg(DISTINCT grp, ',' ORDER BY grp) FROM strs;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate string_agg(strs.v,Utf8(":")) ORDER BY [strs.id ASC NULLS LAST] is not sup
-- eddy window refuses: 0A000: ORDER BY inside the aggregate string_agg(__window_0.v,Utf8(":")) ORDER BY [__window_0.id ASC NULLS LAST
SELECT grp, string_agg(v, ':' ORDER BY id) FROM strs GROUP BY grp ORDER BY grp;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate string_agg(strs.s,NULL) ORDER BY [strs.id ASC NULLS LAST] is not supporte
-- eddy window refuses: 0A000: ORDER BY inside the aggregate string_agg(__window_0.s,NULL) ORDER BY [__window_0.id ASC NULLS LAST] is 
SELECT string_agg(s, NULL ORDER BY id) FROM strs WHERE id < 4;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(nums.i4) ORDER BY [nums.id ASC NULLS LAST] is not supported in 
SELECT array_agg(i4 ORDER BY id) FROM nums;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(strs.s) ORDER BY [strs.id ASC NULLS LAST] is not supported in c
SELECT array_agg(s ORDER BY id) FROM strs WHERE id < 8;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(DISTINCT flags.k) ORDER BY [flags.k ASC NULLS LAST] is not supp
SELECT array_agg(DISTINCT k ORDER BY k) FROM flags;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(flags.b) ORDER BY [flags.id ASC NULLS LAST] is not supported in
SELECT array_agg(b ORDER BY id) FROM flags;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(flags.x) ORDER BY [flags.x ASC NULLS FIRST] is not supported in
SELECT grp, array_agg(x ORDER BY x NULLS FIRST) FROM flags GROUP BY grp ORDER BY grp;
SELECT stddev(x), variance(x), stddev_pop(x), var_pop(x), stddev_samp(x), var_samp(x) FROM (VALUES (5)) v(x);
SELECT stddev(x), variance(x), stddev_pop(x), var_pop(x) FROM (VALUES (5.5::double precision)) v(x);
-- eddy differs: stddev and variance compute in double precision (PostgreSQL: numeric for integer and numeric input)
-- eddy stream differs: stddev and variance compute in double precision (PostgreSQL: numeric for integer and numeric input)
SELECT stddev(k), variance(k), stddev_pop(k), var_pop(k) FROM flags;
-- eddy differs: stddev and variance compute in double precision (PostgreSQL: numeric for integer and numeric input)
-- eddy stream differs: stddev and variance compute in double precision (PostgreSQL: numeric for integer and numeric input)
SELECT stddev(x), variance(x), stddev_pop(x), var_pop(x) FROM flags;
-- eddy differs: stddev and variance compute in double precision (PostgreSQL: numeric for integer and numeric input)
-- eddy stream differs: stddev and variance compute in double precision (PostgreSQL: numeric for integer and numeric input)
-- eddy window differs: stddev and variance compute in double precision (PostgreSQL: numeric for integer and numeric input)
SELECT stddev(n10), variance(n20) FROM nums WHERE id <> 4 AND id <> 5;
SELECT stddev(f8), variance(f8) FROM nums WHERE abs(f8) < 1e300;
SELECT corr(k, x), covar_pop(k, x), covar_samp(k, x), regr_slope(x, k), regr_intercept(x, k), regr_count(x, k) FROM flags;
SELECT grp, count(*), sum(x), avg(x), min(k), max(k) FROM flags GROUP BY grp ORDER BY grp;
SELECT grp, count(*) FROM flags GROUP BY grp HAVING count(*) > 2 ORDER BY grp;
SELECT grp, sum(x) FROM flags GROUP BY grp HAVING sum(x) IS NULL OR sum(x) < 50 ORDER BY grp;
SELECT grp, avg(k) FROM flags GROUP BY grp HAVING bool_or(b) ORDER BY grp;
SELECT grp FROM flags GROUP BY grp HAVING min(x) = max(x) ORDER BY grp;
SELECT b, count(*), sum(k) FROM flags GROUP BY b ORDER BY b NULLS FIRST;
SELECT b, c, count(*) FROM flags GROUP BY b, c ORDER BY b, c;
SELECT k % 2 AS parity, count(*), sum(x) FROM flags GROUP BY k % 2 ORDER BY parity;
SELECT i4 % 2 AS p, count(*) FROM nums GROUP BY 1 ORDER BY 1;
SELECT date_trunc('hour', ts) AS h, count(*), min(id), max(id) FROM nums GROUP BY 1 ORDER BY 1;
SELECT extract(day FROM ts) AS d, count(*) FROM strs GROUP BY 1 ORDER BY 1;
SELECT length(s) AS l, count(*) FROM strs GROUP BY length(s) ORDER BY l NULLS LAST;
SELECT grp, count(*) FILTER (WHERE b), count(*) FILTER (WHERE NOT b), sum(x) FILTER (WHERE x > 10) FROM flags GROUP BY grp ORDER BY grp;
SELECT count(*) FILTER (WHERE i4 > 0), avg(i2) FILTER (WHERE i2 < 0), max(s) FILTER (WHERE s LIKE 'h%') FROM nums, strs WHERE nums.id = strs.id;
SELECT sum(DISTINCT x), avg(DISTINCT x), count(DISTINCT x) FROM flags;
SELECT sum(k), sum(k * 1.5), sum(k::double precision / 2), avg(k), pg_typeof(avg(k)) FROM flags;
SELECT count(*), sum(1), sum(NULL::integer), avg(NULL::numeric), max(NULL::text), count(NULL) FROM flags;
SELECT count(*) FROM nums, flags;
SELECT max(i4) - min(i4), max(n10) - min(n10) FROM nums WHERE id <> 4 AND id <> 5;
SELECT sum(i4) / count(i4), sum(i4)::numeric / count(i4) FROM nums WHERE id <> 4 AND id <> 5;
-- eddy refuses: 42883: function percentile_disc() does not exist
-- eddy stream refuses: 42883: function percentile_disc() does not exist
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_disc(0.5) WITHIN GROUP (ORDER BY x), mode() WITHIN GROUP (ORDER BY k) FROM flags;
-- eddy stream refuses: 0A000: GROUPING SETS, CUBE and ROLLUP is not supported in continuous queries yet
-- eddy window refuses: 0A000: GROUPING SETS, CUBE and ROLLUP is not supported in continuous queries yet
SELECT grp, count(*) FROM flags GROUP BY ROLLUP (grp) ORDER BY grp NULLS LAST, count(*);
-- eddy stream refuses: 0A000: GROUPING SETS, CUBE and ROLLUP is not supported in continuous queries yet
-- eddy window refuses: 0A000: GROUPING SETS, CUBE and ROLLUP is not supported in continuous queries yet
SELECT grouping(b, c), b, c, count(*) FROM flags GROUP BY GROUPING SETS ((b), (c), ()) ORDER BY 1, 2, 3;
SELECT bit_and(k), bit_or(k), bit_xor(x) FROM flags;
SELECT sum(s) FROM strs;
SELECT avg(s) FROM strs;
SELECT grp, s FROM strs GROUP BY grp ORDER BY grp;
SELECT count(*) FROM strs HAVING s IS NULL;
SELECT sum(count(*)) FROM strs;
SELECT max(i4) FROM nums WHERE max(i4) > 0;
