-- Pattern matching: LIKE / ILIKE / NOT LIKE / NOT ILIKE (with % and _ wildcards,
-- the default backslash escape and ESCAPE clauses), SIMILAR TO, POSIX regular
-- expressions ~ ~* !~ !~*, with NULLs and patterns taken from a column.

SELECT 'hello' LIKE 'h%', 'hello' LIKE 'H%', 'hello' LIKE '_ello', 'hello' LIKE 'hell', 'hello' LIKE '%', '' LIKE '%', '' LIKE '_';
SELECT 'hello' ILIKE 'H%', 'HELLO' ILIKE '%ll%', 'hello' NOT LIKE 'h%', 'hello' NOT ILIKE 'X%', 'héllo' ILIKE 'HÉ%';
SELECT '100%' LIKE '100\%', '1000' LIKE '100\%', 'a_b' LIKE 'a\_b', 'axb' LIKE 'a\_b', 'a\b' LIKE 'a\\b';
SELECT '100%' LIKE '100#%' ESCAPE '#', 'a_b' LIKE 'a!_b' ESCAPE '!', 'a\b' LIKE 'a\b' ESCAPE '', 'a%' LIKE 'a%' ESCAPE '';
SELECT 'abc' LIKE 'abc\';
-- eddy differs: answers where PostgreSQL raises 22025
SELECT 'abc' LIKE 'a%' ESCAPE 'xy';
SELECT 'abc' ~~ 'a%', 'abc' !~~ 'a%', 'ABC' ~~* 'a%', 'ABC' !~~* 'a%';
SELECT NULL LIKE '%', 'a' LIKE NULL, NULL NOT LIKE 'a', 'a' ILIKE NULL, NULL::text ~ '.*';
SELECT 'line1
line2' LIKE 'line1%line2', 'a
b' LIKE 'a_b', 'tab	x' LIKE 'tab_x';
SELECT id, s FROM strs WHERE s LIKE 'h%' ORDER BY id;
SELECT id, s FROM strs WHERE s ILIKE 'h%' ORDER BY id;
SELECT id, s FROM strs WHERE s NOT LIKE '%l%' ORDER BY id;
SELECT id, s FROM strs WHERE s LIKE '%\%' ORDER BY id;
SELECT id, s FROM strs WHERE s LIKE '%\_%' ORDER BY id;
SELECT id, s FROM strs WHERE s LIKE '%_%' ORDER BY id;
SELECT id, s FROM strs WHERE s LIKE '___' ORDER BY id;
SELECT id, s FROM strs WHERE s LIKE '% %' ORDER BY id;
SELECT id, s FROM strs WHERE s LIKE '%\\%' ORDER BY id;
SELECT id, s FROM strs WHERE s LIKE '%😀' ORDER BY id;
SELECT id, s FROM strs WHERE s LIKE '日_語' ORDER BY id;
SELECT id, s FROM strs WHERE s ILIKE '%É%' ORDER BY id;
SELECT id, s, pat, s LIKE pat, s ILIKE pat, s NOT LIKE pat FROM strs ORDER BY id;
-- eddy stream refuses: 42601: Invalid escape character in LIKE expression. Expected a single character wrapped with single quotes, go
SELECT id, s LIKE pat ESCAPE '' FROM strs ORDER BY id;
SELECT id, v LIKE 'a%', v ILIKE 'a%' FROM strs ORDER BY id;
SELECT 'abc' SIMILAR TO 'abc', 'abc' SIMILAR TO 'a', 'abc' SIMILAR TO '%(b|d)%', 'abc' SIMILAR TO '(b|c)%', 'abc' NOT SIMILAR TO 'a_c';
SELECT 'aaa' SIMILAR TO 'a+', 'ab' SIMILAR TO 'a{1,2}b', 'abc' SIMILAR TO '[a-c]*', 'a.c' SIMILAR TO 'a.c', 'abc' SIMILAR TO 'a.c';
SELECT '100%' SIMILAR TO '100#%' ESCAPE '#', 'x' SIMILAR TO NULL, NULL SIMILAR TO 'x';
SELECT id, s SIMILAR TO '[0-9 ]+' FROM strs ORDER BY id;
SELECT 'hello' ~ 'ell', 'hello' ~ '^ell', 'hello' ~ 'L', 'hello' ~* 'L', 'hello' !~ 'z', 'hello' !~* 'H';
-- eddy refuses: 2201B: invalid regular expression: unrecognized escape sequence
SELECT 'abc123' ~ '\d+$', 'abc' ~ '^[a-c]{3}$', 'a.c' ~ 'a\.c', 'abc' ~ 'a\.c', 'foo bar' ~ '\mbar\M', 'x' ~ '';
SELECT 'AbC' ~ '(?i)abc', 'abc' ~ 'a|z', 'ab' ~ '^(a|b)+$', '日本語' ~ '^.{3}$', '😀' ~ '^.$';
SELECT 'abc' ~ '(';
SELECT 'abc' ~ '[';
SELECT 'abc' ~ 'a{2,1}';
SELECT id, s FROM strs WHERE s ~ '^[0-9]+$' ORDER BY id;
SELECT id, s FROM strs WHERE s ~ '^\s*-?[0-9.]+(e[0-9]+)?\s*$' ORDER BY id;
SELECT id, s FROM strs WHERE s ~* 'hello' ORDER BY id;
SELECT id, s FROM strs WHERE s !~ '[a-z]' ORDER BY id;
SELECT id, s FROM strs WHERE s !~* '[a-z]' ORDER BY id;
SELECT id, s ~ '^\s|\s$' FROM strs ORDER BY id;
-- eddy differs: backslashes in regular expressions are read by the Rust regex syntax
-- eddy stream differs: backslashes in regular expressions are read by the Rust regex syntax
SELECT id, s FROM strs WHERE s ~ '\\' ORDER BY id;
SELECT id, s FROM strs WHERE s ~ '[[:upper:]]' ORDER BY id;
SELECT id, s FROM strs WHERE s ~ '[[:space:]]' ORDER BY id;
SELECT id, s FROM strs WHERE s ~ '^.{2}$' ORDER BY id;
SELECT id, s, s ~ pat FROM strs WHERE id NOT IN (15, 16, 17) ORDER BY id;
SELECT count(*) FILTER (WHERE s LIKE '%a%'), count(*) FILTER (WHERE s ILIKE '%a%'), count(*) FILTER (WHERE s ~ 'a'), count(*) FILTER (WHERE s NOT LIKE '%a%') FROM strs;
SELECT id, CASE WHEN s LIKE 'h%' THEN 'h' WHEN s ~ '^[0-9]' THEN 'digit' ELSE 'other' END FROM strs ORDER BY id;
-- eddy refuses: 0A000: not supported: ANY in LIKE expression
SELECT 'abc' LIKE ANY (ARRAY['x%', 'a%']), 'abc' LIKE ALL (ARRAY['a%', '%c']), 'abc' ILIKE ANY (ARRAY['X%', 'Y%']);
SELECT 1 LIKE '1%';
SELECT 12 ~ '1';
SELECT 'ab' LIKE 'a' || '%', 'xa%' LIKE '%' || 'a\%';
