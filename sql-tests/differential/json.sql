-- JSON and JSONB on text: -> ->> #> #>> extraction (by key and index, negative
-- index, missing keys), json_array_length, json_typeof, jsonb operators (@> <@ ? ?| ?& ||
-- - #-), json_build_object/array, to_json/to_jsonb, row_to_json, json_agg/json_object_agg,
-- jsonb normalization (key order, duplicate keys, numbers), casts out of JSON, invalid JSON.

-- eddy refuses: 0A000: type JSON is not supported
SELECT '{"a":1}'::json ->> 'a', '{"a":1}'::json -> 'a', '{"a":"x"}'::json -> 'a', '{"a":"x"}'::json ->> 'a', '{"a":1}'::json ->> 'b';
-- eddy refuses: 0A000: type JSON is not supported
SELECT '{"a":{"b":[1,2,{"c":"d"}]}}'::json #> '{a,b}', '{"a":{"b":[1,2,{"c":"d"}]}}'::json #>> '{a,b,2,c}', '{"a":{"b":1}}'::json #>> '{a,x}';
-- eddy refuses: 0A000: type JSON is not supported
SELECT '[10,20,30]'::json -> 0, '[10,20,30]'::json ->> 2, '[10,20,30]'::json -> 3, '[10,20,30]'::json -> -1, '[10,20,30]'::jsonb -> -1;
-- eddy refuses: 0A000: type JSON is not supported
SELECT '{"a":null}'::json -> 'a', '{"a":null}'::json ->> 'a', ('{"a":null}'::json ->> 'a') IS NULL, '{"a":null}'::jsonb -> 'a';
-- eddy refuses: 0A000: type JSON is not supported
SELECT '{"a":true,"b":1.50,"c":"s","d":[1],"e":{}}'::json ->> 'b', '{"a":true}'::json ->> 'a', '{"d":[1, 2]}'::json ->> 'd', '{"e":{"x": 1}}'::json ->> 'e';
-- eddy refuses: 0A000: type JSON is not supported
SELECT '{"a":1}'::json -> 0, '[1]'::json -> 'a', '1'::json -> 'a', '"s"'::jsonb ->> 0;
-- eddy refuses: 0A000: type JSON is not supported
SELECT ('{"n":"42"}'::json ->> 'n')::integer + 1, ('{"n":1.5}'::jsonb -> 'n')::numeric * 2, ('{"b":true}'::jsonb -> 'b')::boolean, ('{"n":7}'::jsonb ->> 'n')::bigint;
-- eddy differs: SQLSTATE 0A000 where PostgreSQL raises 22023
SELECT ('{"s":"x"}'::jsonb -> 's')::integer;
-- eddy refuses: 42883: function json_array_length() does not exist
SELECT json_array_length('[1,2,[3,4]]'), json_array_length('[]'), jsonb_array_length('[null]'), json_array_length(NULL::json);
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 22023
SELECT json_array_length('{"a":1}');
-- eddy refuses: 42883: function json_typeof() does not exist
SELECT json_typeof('1'), json_typeof('"a"'), json_typeof('null'), json_typeof('[1]'), json_typeof('{}'), jsonb_typeof('true'), jsonb_typeof('1.5');
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '{"a":1,"b":2}'::jsonb @> '{"a":1}', '{"a":1}'::jsonb <@ '{"a":1,"b":2}', '[1,2,3]'::jsonb @> '[3,1]', '{"a":[1,2]}'::jsonb @> '{"a":[2]}', '1'::jsonb @> '1';
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '{"a":1,"b":2}'::jsonb ? 'a', '{"a":1}'::jsonb ? 'b', '["a","b"]'::jsonb ? 'a', '{"a":1,"b":2}'::jsonb ?| ARRAY['b', 'c'], '{"a":1,"b":2}'::jsonb ?& ARRAY['a', 'c'];
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '{"a":1}'::jsonb || '{"b":2}'::jsonb, '{"a":1}'::jsonb || '{"a":3}', '[1,2]'::jsonb || '[3]', '[1]'::jsonb || '2'::jsonb;
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '{"a":1,"b":2}'::jsonb - 'a', '[1,2,3]'::jsonb - 1, '[1,2,3]'::jsonb - -1, '{"a":{"b":1,"c":2}}'::jsonb #- '{a,b}';
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '{"b":1,"a":2,"a":3}'::jsonb, '{"b":1,"a":2,"a":3}'::json, '{"x":1.50,"y":1e2,"z":-0}'::jsonb, '[1.0, 10E-1]'::jsonb = '[1, 1]'::jsonb;
-- eddy refuses: 0A000: type JSON is not supported
SELECT '{ "a" :  1 }'::json, '{ "a" :  1 }'::jsonb, '"\u00e9\n"'::jsonb, '"\u00e9"'::json ->> 0;
-- eddy differs: SQLSTATE 0A000 where PostgreSQL raises 22P02
SELECT '{"a":1'::json;
-- eddy differs: SQLSTATE 0A000 where PostgreSQL raises 22P02
SELECT '{a:1}'::jsonb;
-- eddy differs: SQLSTATE 0A000 where PostgreSQL raises 22P02
SELECT '[1,2,]'::json;
-- eddy differs: SQLSTATE 0A000 where PostgreSQL raises 22P02
SELECT ''::jsonb;
-- eddy refuses: 0A000: type JSONB is not supported
SELECT 'null'::jsonb, 'null'::jsonb IS NULL, 'null'::json ->> 0, jsonb 'null' = 'null'::jsonb;
-- eddy refuses: 42883: function jsonb_build_object() does not exist
SELECT json_build_object('a', 1, 'b', 'x', 'c', NULL, 'd', true, 'e', 1.50), jsonb_build_object('b', 2, 'a', ARRAY[1, 2]);
SELECT json_build_object('a', 1, 'b');
SELECT json_build_object(NULL, 1);
-- eddy refuses: 42883: function json_build_array() does not exist
SELECT json_build_array(1, 'a', NULL, false, 2.5), jsonb_build_array(), json_build_object(), json_object('{a,1,b,2}');
-- eddy refuses: 42883: function to_json() does not exist
SELECT to_json('text'::text), to_json(42), to_json(1.50), to_json(true), to_json(NULL::text), to_json(ARRAY[1, 2]), to_jsonb('a"b'::text);
-- eddy refuses: 42883: function to_json() does not exist
SELECT to_json(timestamp '2024-01-01 10:00:00.5'), to_json(timestamptz '2024-01-01 10:00:00+02'), to_json(date '2024-02-29'), to_jsonb(1e20::double precision), to_json('NaN'::double precision);
-- eddy refuses: 42883: function to_json() does not exist
-- eddy stream refuses: 42883: function to_json() does not exist
SELECT id, to_json(s), to_jsonb(v) FROM strs ORDER BY id;
-- eddy stream refuses: 42883: function json_build_object() does not exist
SELECT id, json_build_object('id', id, 'i4', i4, 'n10', n10, 'f8', f8) FROM nums ORDER BY id;
-- eddy refuses: 42883: function row_to_json() does not exist
-- eddy stream differs: SQLSTATE 42883 where PostgreSQL raises 42703
SELECT id, row_to_json(f) FROM flags f ORDER BY id;
-- eddy refuses: 42883: function to_jsonb() does not exist
-- eddy stream refuses: 42883: function to_jsonb() does not exist
SELECT id, to_jsonb(t) FROM times t WHERE id < 4 ORDER BY id;
-- eddy refuses: 42883: function json_agg() does not exist
-- eddy stream refuses: 42883: function json_agg() does not exist
SELECT json_agg(k ORDER BY id), jsonb_agg(b ORDER BY id), json_object_agg(id, grp ORDER BY id) FROM flags WHERE id < 5;
-- eddy refuses: 42883: function json_agg() does not exist
-- eddy stream refuses: 42883: function json_agg() does not exist
SELECT json_agg(s ORDER BY id) FROM strs WHERE id < 0;
-- eddy refuses: 42883: function jsonb_object_agg() does not exist
-- eddy stream refuses: 42883: function jsonb_object_agg() does not exist
-- eddy window refuses: 42883: function jsonb_object_agg() does not exist
SELECT grp, jsonb_object_agg(id, x ORDER BY id) FROM flags GROUP BY grp ORDER BY grp;
-- eddy refuses: 42883: table function 'json_each' not found
SELECT key, value FROM json_each('{"b":2,"a":[1],"c":null}') ORDER BY key;
-- eddy refuses: 42883: table function 'jsonb_each_text' not found
SELECT key, value FROM jsonb_each_text('{"b":2,"a":"x","c":null}') ORDER BY key;
-- eddy refuses: 42883: table function 'json_array_elements_text' not found
SELECT x FROM json_array_elements_text('[1,"a",null,[2]]') WITH ORDINALITY AS e(x, n) ORDER BY n;
-- eddy refuses: 42883: table function 'jsonb_object_keys' not found
SELECT k FROM jsonb_object_keys('{"b":1,"a":2,"aa":3}') AS k ORDER BY k;
-- eddy refuses: 42883: function jsonb_set() does not exist
SELECT jsonb_set('{"a":1}', '{b}', '2'), jsonb_set('{"a":[1,2]}', '{a,0}', '9'), jsonb_insert('[1,2]', '{0}', '0'), jsonb_strip_nulls('{"a":null,"b":1}');
-- eddy refuses: 42883: function jsonb_pretty() does not exist
SELECT jsonb_pretty('{"a":[1,{"b":2}]}');
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '{"a":{"b":"c"}}'::jsonb -> 'a' ->> 'b', '{"a":[{"b":1},{"b":2}]}'::jsonb -> 'a' -> 1 -> 'b', '{"a":1}'::jsonb ->> NULL;
-- eddy refuses: 42883: function jsonb_path_query_first() does not exist
SELECT jsonb_path_query_first('{"a":[1,2,3]}', '$.a[1]'), jsonb_path_exists('{"a":1}', '$.b'), jsonb_path_query_array('{"a":[1,2,3]}', '$.a[*] ? (@ > 1)');
-- eddy refuses: 0A000: type JSON is not supported
-- eddy stream refuses: 0A000: type JSON is not supported
SELECT id, ('{"id":' || id || ',"s":' || to_json(s)::text || '}')::json ->> 's' FROM strs ORDER BY id;
-- eddy refuses: 42883: function to_jsonb() does not exist
-- eddy stream refuses: 42883: function json_build_object() does not exist
SELECT id, (json_build_object('t', t) ->> 't'), (to_jsonb(tz) #>> '{}') FROM times ORDER BY id;
-- eddy differs: SQLSTATE 0A000 where PostgreSQL raises 42883
SELECT '{"a":1}'::json = '{"a":1}'::json;
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '{"a":1, "b":2}'::jsonb = '{"b":2, "a":1}'::jsonb, '{"a":1}'::jsonb < '{"a":2}'::jsonb, '[1]'::jsonb < '{"a":1}'::jsonb;
-- eddy differs: SQLSTATE 0A000 where PostgreSQL raises 42725
SELECT '{"a":1}' ->> 'a';
-- eddy refuses: 0A000: type JSON is not supported
SELECT '[1,2,3]'::json ->> 1 || 'x', ('{"a":"b"}'::jsonb ->> 'a') = 'b';
-- eddy refuses: 42883: function json_extract_path_text() does not exist
SELECT json_extract_path_text('{"a":{"b":"x"}}', 'a', 'b'), json_extract_path('{"a":[1,2]}', 'a', '1'), jsonb_extract_path_text('{"a":1}', 'z');
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '12345678901234567890'::jsonb, '1e400'::json, '0.1000'::jsonb, '-0.0'::jsonb;
-- eddy refuses: 0A000: type JSONB is not supported
SELECT '1e400'::jsonb;
