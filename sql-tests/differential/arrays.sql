-- Arrays: ARRAY[...] literals and '{...}' input, array_length, cardinality,
-- array_upper/lower, subscripts (1-based, out of range gives NULL) and slices, unnest,
-- array_agg, ANY/ALL, array_to_string, string_to_array, array_position(s),
-- array_append/prepend/cat/remove/replace, containment @> <@ and overlap &&, equality, ordering.

-- eddy differs: an array of numeric constants has one scale for every element (PostgreSQL: per element)
SELECT ARRAY[1, 2, 3], ARRAY['a', 'b'], ARRAY[1.5, 2], ARRAY[true, NULL], ARRAY[]::integer[];
-- eddy differs: an array of numeric constants has one scale for every element (PostgreSQL: per element)
SELECT ARRAY[1, 2.5], pg_typeof(ARRAY[1, 2.5]), pg_typeof(ARRAY[1, 2::bigint]), ARRAY[[1, 2], [3, 4]];
SELECT ARRAY[1, 'a'];
-- eddy differs: answers where PostgreSQL raises 42P18
SELECT ARRAY[];
-- eddy refuses: 42601: sql parser error: Cannot parse 2} as BigDecimal: invalid digit found in string
SELECT '{1,2,3}'::integer[], '{}'::text[], '{"a b",NULL,"c,d"}'::text[], '{{1,2},{3,4}}'::integer[];
SELECT array_length(ARRAY[1, 2, 3], 1), array_length(ARRAY[]::integer[], 1), array_length(ARRAY[1, 2], 2), array_length(ARRAY[[1, 2], [3, 4]], 2);
SELECT cardinality(ARRAY[1, 2, 3]), cardinality(ARRAY[]::integer[]), cardinality(ARRAY[[1, 2], [3, 4]]), cardinality(NULL::integer[]);
-- eddy differs: array_dims prints DataFusion's list of lengths, not PostgreSQL's [1:n] bounds
SELECT array_upper(ARRAY[1, 2, 3], 1), array_lower(ARRAY[1, 2, 3], 1), array_ndims(ARRAY[[1], [2]]), array_dims(ARRAY[[1, 2, 3], [4, 5, 6]]);
SELECT (ARRAY[10, 20, 30])[1], (ARRAY[10, 20, 30])[3], (ARRAY[10, 20, 30])[0], (ARRAY[10, 20, 30])[4], (ARRAY[10, 20, 30])[-1], (ARRAY[10, 20, 30])[NULL];
-- eddy refuses: 0A000: not supported: Slice subscript requires a lower bound
SELECT (ARRAY[10, 20, 30])[2:3], (ARRAY[10, 20, 30])[:2], (ARRAY[10, 20, 30])[2:], (ARRAY[10, 20, 30])[3:2], (ARRAY[10, 20, 30])[0:10];
-- eddy refuses: 42883: function array_element does not exist for these argument types
SELECT (ARRAY[[1, 2], [3, 4]])[2][1], (ARRAY[[1, 2], [3, 4]])[1], (ARRAY['a', 'b'])[1.6];
SELECT unnest(ARRAY[3, 1, 2]) AS x ORDER BY x;
SELECT x FROM unnest(ARRAY['b', NULL, 'a']) AS u(x) ORDER BY x;
-- eddy refuses: 0A000: not supported: UNNEST with ordinality is not supported yet
SELECT x, n FROM unnest(ARRAY[10, 20, 30]) WITH ORDINALITY AS u(x, n) ORDER BY n;
SELECT count(*) FROM unnest(ARRAY[]::integer[]);
-- eddy differs: unnest of a multidimensional array unnests one level (PostgreSQL: every element)
SELECT unnest(ARRAY[[1, 2], [3, 4]]) AS x ORDER BY x;
SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a', 'b', 'c']) AS u(n, s) ORDER BY n NULLS LAST;
SELECT id, unnest(string_to_array(s, ',')) AS part FROM strs WHERE id = 19 ORDER BY part;
SELECT id, array_agg(x ORDER BY x) FROM (SELECT id, unnest(ARRAY[id, id * 10]) AS x FROM flags WHERE id < 4) t GROUP BY id ORDER BY id;
SELECT array_to_string(ARRAY[1, 2, 3], ','), array_to_string(ARRAY['a', NULL, 'c'], ','), array_to_string(ARRAY['a', NULL, 'c'], ',', '*'), array_to_string(ARRAY[]::text[], ',');
SELECT string_to_array('a,b,c', ','), string_to_array('a,,c', ','), string_to_array('a,b', ''), string_to_array('abc', NULL), string_to_array('', ','), string_to_array(NULL, ',');
SELECT string_to_array('1,2,3', ',')::integer[], (string_to_array('1,2,3', ','))[2], array_length(string_to_array('a b c', ' '), 1);
SELECT id, string_to_array(s, ','), array_length(string_to_array(s, ' '), 1) FROM strs ORDER BY id;
SELECT array_position(ARRAY['a', 'b', 'c', 'b'], 'b'), array_position(ARRAY[1, 2], 3), array_position(ARRAY[1, NULL], NULL), array_position(ARRAY[1, 2, 1], 1, 2);
SELECT array_positions(ARRAY[1, 2, 1, 3, 1], 1), array_positions(ARRAY[]::integer[], 1);
SELECT array_append(ARRAY[1, 2], 3), array_prepend(0, ARRAY[1, 2]), array_cat(ARRAY[1], ARRAY[2, 3]), ARRAY[1] || ARRAY[2], ARRAY[1] || 2, 0 || ARRAY[1];
-- eddy differs: array_remove and array_replace are DataFusion's: first occurrence only, NULL arguments give NULL
SELECT array_remove(ARRAY[1, 2, 1, NULL], 1), array_remove(ARRAY[1, NULL], NULL), array_replace(ARRAY[1, 2, 1], 1, 9), array_append(NULL::integer[], 1);
-- eddy refuses: 0A000: not supported: Unsupported binary operator: PGOverlap
SELECT ARRAY[1, 2, 3] @> ARRAY[2], ARRAY[1, 2] @> ARRAY[1, 1, 2], ARRAY[1] <@ ARRAY[1, 2], ARRAY[1, 4] <@ ARRAY[1, 2], ARRAY[1, 2] && ARRAY[2, 3], ARRAY[1] && ARRAY[2];
-- eddy refuses: 0A000: not supported: Unsupported binary operator: PGOverlap
SELECT ARRAY[]::integer[] <@ ARRAY[1], ARRAY[1] @> ARRAY[]::integer[], ARRAY[NULL]::integer[] @> ARRAY[NULL]::integer[], ARRAY[1, NULL] && ARRAY[NULL]::integer[];
SELECT ARRAY[1, 2] = ARRAY[1, 2], ARRAY[1, 2] = ARRAY[2, 1], ARRAY[1, 2] < ARRAY[1, 3], ARRAY[1, 2] < ARRAY[1, 2, 0], ARRAY[1, NULL] = ARRAY[1, NULL], ARRAY[2] > ARRAY[1, 9];
SELECT 2 = ANY (ARRAY[1, 2, 3]), 4 = ANY (ARRAY[1, 2, 3]), 4 <> ALL (ARRAY[1, 2, 3]), 2 > ALL (ARRAY[1, NULL]), 0 = ANY (ARRAY[]::integer[]), 0 = ALL (ARRAY[]::integer[]);
SELECT NULL = ANY (ARRAY[1, 2]), 1 = ANY (NULL::integer[]), 1 IN (SELECT unnest(ARRAY[1, 2]));
SELECT id, k = ANY (ARRAY[1, 3, 5]) FROM flags ORDER BY id;
-- eddy stream refuses: 42883: function cardinality does not exist for these argument types
SELECT id FROM flags WHERE x = ANY ('{10,40,90}') ORDER BY id;
SELECT id FROM strs WHERE s = ANY (ARRAY['hello', 'abc', NULL]) ORDER BY id;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(nums.id) ORDER BY [nums.id ASC NULLS LAST] is not supported in 
SELECT array_agg(id ORDER BY id) FROM nums WHERE i4 > 0;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(flags.k) ORDER BY [flags.id ASC NULLS LAST] is not supported in
SELECT grp, array_agg(k ORDER BY id), array_length(array_agg(k), 1) FROM flags GROUP BY grp ORDER BY grp;
-- eddy stream refuses: ORDER BY inside an aggregate of a running (unwindowed) aggregate is not supported
SELECT array_agg(ARRAY[k, x] ORDER BY id) FROM flags WHERE id < 4;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(flags.k) ORDER BY [flags.id ASC NULLS LAST] is not supported in
SELECT array_agg(k ORDER BY id) FROM flags WHERE false;
SELECT cardinality(array_agg(s)), array_length(array_agg(DISTINCT grp), 1) FROM strs;
-- eddy refuses: 0A000: not supported: nth_value not supported for n: 1
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate nth_value(strs.s,Int64(1)) ORDER BY [strs.id ASC NULLS LAST] is not suppo
-- eddy window refuses: 0A000: ORDER BY inside the aggregate nth_value(__window_0.s,Int64(1)) ORDER BY [__window_0.id ASC NULLS LAST] 
SELECT (array_agg(s ORDER BY id))[1], (array_agg(s ORDER BY id DESC))[1] FROM strs;
-- eddy stream refuses: 0A000: ORDER BY inside the aggregate array_agg(strs.s) ORDER BY [strs.s ASC NULLS LAST] is not supported in co
SELECT array_to_string(array_agg(s ORDER BY s), '|') FROM strs WHERE grp = 'a';
SELECT ARRAY(SELECT k FROM flags WHERE k > 3 ORDER BY k), ARRAY(SELECT s FROM strs WHERE id < 0);
-- eddy refuses: 42883: function array_fill() does not exist
SELECT array_fill(7, ARRAY[3]), array_fill('x'::text, ARRAY[2, 2]), trim_array(ARRAY[1, 2, 3, 4], 2);
-- eddy differs: array element casts are DataFusion's: numeric elements get scale 10, floats truncate to integers
SELECT ARRAY[1, 2, 3]::text[], ARRAY['1', '2']::integer[], ARRAY['1.5']::numeric[], ARRAY[1.7, 2.5]::integer[];
SELECT ARRAY['x']::integer[];
SELECT ARRAY['a', 'b'] || 'c'::text, ARRAY[ARRAY[1, 2]] || ARRAY[3, 4];
SELECT ARRAY[1, 2] || ARRAY[[3, 4]];
-- eddy differs: SQLSTATE XX000 where PostgreSQL raises 2202E
SELECT ARRAY[[1, 2], [3]];
SELECT array_length(ARRAY[1, 2], 0), array_upper(ARRAY[]::integer[], 1), array_lower(ARRAY[1], 2);
-- eddy refuses: 42883: function regexp_split_to_array() does not exist
-- eddy stream refuses: 42883: function regexp_split_to_array() does not exist
SELECT id, (string_to_array(s, ','))[2], (regexp_split_to_array(s, '\s+'))[1] FROM strs ORDER BY id;
SELECT generate_series(1, 5) AS a, generate_series(5, 1, -2) AS b ORDER BY a;
SELECT x FROM generate_series(1, 10, 3) AS g(x) ORDER BY x;
-- eddy refuses: 42601: First argument must be a timestamp or NULL, got Literal(TimestampMicrosecond(1704067200000000, None), N
SELECT x FROM generate_series(timestamp '2024-01-01', timestamp '2024-01-02', interval '6 hours') AS g(x) ORDER BY x;
-- eddy refuses: 42601: Argument #1 must be an INTEGER, TIMESTAMP, DATE or NULL, got numeric(1,1)
SELECT x FROM generate_series(0.5, 2, 0.5) AS g(x) ORDER BY x;
SELECT generate_series(1, 3, 0);
SELECT sum(x), count(x) FROM generate_series(1, 100) AS g(x);
