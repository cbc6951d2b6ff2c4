-- JSON and JSONB on text: -> ->> #> #>> extraction (by key and index, negative
-- index, missing keys), json_array_length, json_typeof, jsonb operators (@> <@ ? ?| ?& ||
-- - #-), json_build_object/array, to_json/to_jsonb, row_to_json, json_agg/json_object_agg,
-- jsonb normalization (key order, duplicate keys, numbers), casts out of JSON, invalid JSON.

SELECT '{"a":1}'::json ->> 'a', '{"a":1}'::json -> 'a', '{"a":"x"}'::json -> 'a', '{"a":"x"}'::json ->> 'a', '{"a":1}'::json ->> 'b';
SELECT '{"a":{"b":[1,2,{"c":"d"}]}}'::json #> '{a,b}', '{"a":{"b":[1,2,{"c":"d"}]}}'::json #>> '{a,b,2,c}', '{"a":{"b":1}}'::json #>> '{a,x}';
SELECT '[10,20,30]'::json -> 0, '[10,20,30]'::json ->> 2, '[10,20,30]'::json -> 3, '[10,20,30]'::json -> -1, '[10,20,30]'::jsonb -> -1;
SELECT '{"a":null}'::json -> 'a', '{"a":null}'::json ->> 'a', ('{"a":null}'::json ->> 'a') IS NULL, '{"a":null}'::jsonb -> 'a';
SELECT '{"a":true,"b":1.50,"c":"s","d":[1],"e":{}}'::json ->> 'b', '{"a":true}'::json ->> 'a', '{"d":[1, 2]}'::json ->> 'd', '{"e":{"x": 1}}'::json ->> 'e';
SELECT '{"a":1}'::json -> 0, '[1]'::json -> 'a', '1'::json -> 'a', '"s"'::jsonb ->> 0;
SELECT ('{"n":"42"}'::json ->> 'n')::integer + 1, ('{"n":1.5}'::jsonb -> 'n')::numeric * 2, ('{"b":true}'::jsonb -> 'b')::boolean, ('{"n":7}'::jsonb ->> 'n')::bigint;
SELECT ('{"s":"x"}'::jsonb -> 's')::integer;
SELECT json_array_length('[1,2,[3,4]]'), json_array_length('[]'), jsonb_array_length('[null]'), json_array_length(NULL::json);
SELECT json_array_length('{"a":1}');
SELECT json_typeof('1'), json_typeof('"a"'), json_typeof('null'), json_typeof('[1]'), json_typeof('{}'), jsonb_typeof('true'), jsonb_typeof('1.5');
SELECT '{"a":1,"b":2}'::jsonb @> '{"a":1}', '{"a":1}'::jsonb <@ '{"a":1,"b":2}', '[1,2,3]'::jsonb @> '[3,1]', '{"a":[1,2]}'::jsonb @> '{"a":[2]}', '1'::jsonb @> '1';
SELECT '{"a":1,"b":2}'::jsonb ? 'a', '{"a":1}'::jsonb ? 'b', '["a","b"]'::jsonb ? 'a', '{"a":1,"b":2}'::jsonb ?| ARRAY['b', 'c'], '{"a":1,"b":2}'::jsonb ?& ARRAY['a', 'c'];
SELECT '{"a":1}'::jsonb || '{"b":2}'::jsonb, '{"a":1}'::jsonb || '{"a":3}', '[1,2]'::jsonb || '[3]', '[1]'::jsonb || '2'::jsonb;
SELECT '{"a":1,"b":2}'::jsonb - 'a', '[1,2,3]'::jsonb - 1, '[1,2,3]'::jsonb - -1, '{"a":{"b":1,"c":2}}'::jsonb #- '{a,b}';
SELECT '{"b":1,"a":2,"a":3}'::jsonb, '{"b":1,"a":2,"a":3}'::json, '{"x":1.50,"y":1e2,"z":-0}'::jsonb, '[1.0, 10E-1]'::jsonb = '[1, 1]'::jsonb;
SELECT '{ "a" :  1 }'::json, '{ "a" :  1 }'::jsonb, '"\u00e9\n"'::jsonb, '"\u00e9"'::json ->> 0;
SELECT '{"a":1'::json;
SELECT '{a:1}'::jsonb;
SELECT '[1,2,]'::json;
SELECT ''::jsonb;
SELECT 'null'::jsonb, 'null'::jsonb IS NULL, 'null'::json ->> 0, jsonb 'null' = 'null'::jsonb;
SELECT json_build_object('a', 1, 'b', 'x', 'c', NULL, 'd', true, 'e', 1.50), jsonb_build_object('b', 2, 'a', ARRAY[1, 2]);
SELECT json_build_object('a', 1, 'b');
SELECT json_build_object(NULL, 1);
SELECT json_build_array(1, 'a', NULL, false, 2.5), jsonb_build_array(), json_build_object(), json_object('{a,1,b,2}');
SELECT to_json('text'::text), to_json(42), to_json(1.50), to_json(true), to_json(NULL::text), to_json(ARRAY[1, 2]), to_jsonb('a"b'::text);
SELECT to_json(timestamp '2024-01-01 10:00:00.5'), to_json(timestamptz '2024-01-01 10:00:00+02'), to_json(date '2024-02-29'), to_jsonb(1e20::double precision), to_json('NaN'::double precision);
SELECT id, to_json(s), to_jsonb(v) FROM strs ORDER BY id;
SELECT id, json_build_object('id', id, 'i4', i4, 'n10', n10, 'f8', f8) FROM nums ORDER BY id;
SELECT id, row_to_json(f) FROM flags f ORDER BY id;
SELECT id, to_jsonb(t) FROM times t WHERE id < 4 ORDER BY id;
SELECT json_agg(k ORDER BY id), jsonb_agg(b ORDER BY id), json_object_agg(id, grp ORDER BY id) FROM flags WHERE id < 5;
SELECT json_agg(s ORDER BY id) FROM strs WHERE id < 0;
SELECT grp, jsonb_object_agg(id, x ORDER BY id) FROM flags GROUP BY grp ORDER BY grp;
SELECT key, value FROM json_each('{"b":2,"a":[1],"c":null}') ORDER BY key;
SELECT key, value FROM jsonb_each_text('{"b":2,"a":"x","c":null}') ORDER BY key;
SELECT x FROM json_array_elements_text('[1,"a",null,[2]]') WITH ORDINALITY AS e(x, n) ORDER BY n;
SELECT k FROM jsonb_object_keys('{"b":1,"a":2,"aa":3}') AS k ORDER BY k;
SELECT jsonb_set('{"a":1}', '{b}', '2'), jsonb_set('{"a":[1,2]}', '{a,0}', '9'), jsonb_insert('[1,2]', '{0}', '0'), jsonb_strip_nulls('{"a":null,"b":1}');
SELECT jsonb_pretty('{"a":[1,{"b":2}]}');
SELECT '{"a":{"b":"c"}}'::jsonb -> 'a' ->> 'b', '{"a":[{"b":1},{"b":2}]}'::jsonb -> 'a' -> 1 -> 'b', '{"a":1}'::jsonb ->> NULL;
SELECT jsonb_path_query_first('{"a":[1,2,3]}', '$.a[1]'), jsonb_path_exists('{"a":1}', '$.b'), jsonb_path_query_array('{"a":[1,2,3]}', '$.a[*] ? (@ > 1)');
SELECT id, ('{"id":' || id || ',"s":' || to_json(s)::text || '}')::json ->> 's' FROM strs ORDER BY id;
SELECT id, (json_build_object('t', t) ->> 't'), (to_jsonb(tz) #>> '{}') FROM times ORDER BY id;
SELECT '{"a":1}'::json = '{"a":1}'::json;
SELECT '{"a":1, "b":2}'::jsonb = '{"b":2, "a":1}'::jsonb, '{"a":1}'::jsonb < '{"a":2}'::jsonb, '[1]'::jsonb < '{"a":1}'::jsonb;
SELECT '{"a":1}' ->> 'a';
SELECT '[1,2,3]'::json ->> 1 || 'x', ('{"a":"b"}'::jsonb ->> 'a') = 'b';
SELECT json_extract_path_text('{"a":{"b":"x"}}', 'a', 'b'), json_extract_path('{"a":[1,2]}', 'a', '1'), jsonb_extract_path_text('{"a":1}', 'z');
SELECT '12345678901234567890'::jsonb, '1e400'::json, '0.1000'::jsonb, '-0.0'::jsonb;
SELECT '1e400'::jsonb;
