-- String functions on text and varchar: lengths (characters vs bytes), case mapping,
-- substring/substr with odd ranges, position/strpos, trims, padding, left/right,
-- repeat, replace, split_part (incl. negative index), reverse, concat/concat_ws,
-- starts_with, md5, to_hex, ascii/chr, regexp_replace/regexp_match/regexp_split_to_array,
-- format, quote_ident/quote_literal, translate, overlay, || concatenation.

SELECT id, length(s), char_length(s), character_length(s), octet_length(s), bit_length(s) FROM strs ORDER BY id;
SELECT id, length(v), octet_length(v) FROM strs ORDER BY id;
SELECT id, upper(s), lower(s) FROM strs ORDER BY id;
SELECT id, initcap(s) FROM strs ORDER BY id;
-- eddy differs: upper and lower use Unicode's full case mapping (ß becomes SS)
SELECT initcap('hello WORLD foo-bar o''neil x1y 1st'), upper('straße'), lower('ÀÉÎ');
SELECT id, s || '|' || v, s || NULL FROM strs ORDER BY id;
SELECT id, substring(s FROM 2 FOR 3), substring(s, 2), substr(s, 2, 3) FROM strs ORDER BY id;
SELECT substr('hello', 0), substr('hello', 0, 2), substr('hello', -1, 3), substr('hello', 10), substr('hello', 2, 0);
SELECT substr('hello', 3, 100), substring('hello' FROM -5 FOR 7), substring('hello' FOR 2), substring('hello' FROM 4);
SELECT substr('hello', 2, -1);
-- eddy refuses: 42883: function substr(text) does not exist
SELECT substring('foobar' FROM 'o+b'), substring('foobar' FROM 'x'), substring('Thomas' FROM '...$');
-- eddy refuses: 42601: sql parser error: Expected: IN or BETWEEN after NOT, found: SIMILAR at Line: 1, Column: 27
SELECT substring('foobar' SIMILAR '%#"o_b#"%' ESCAPE '#');
-- eddy refuses: 42601: Projections require unique expression names but the expression "strpos(strs.s, text("l"))" at position 
SELECT id, position('l' IN s), strpos(s, 'l'), position('' IN s) FROM strs ORDER BY id;
SELECT position('lo' IN 'hello'), strpos('hello', 'z'), strpos('日本語', '語'), position(NULL IN 'a');
SELECT id, '[' || trim(s) || ']', '[' || ltrim(s) || ']', '[' || rtrim(s) || ']', '[' || btrim(s) || ']' FROM strs ORDER BY id;
SELECT trim(both 'x' FROM 'xxhixx'), trim(leading 'x' FROM 'xxhixx'), trim(trailing 'x' FROM 'xxhixx'), trim('xy' FROM 'xyhiyx');
-- eddy refuses: 42601: sql parser error: Expected: ), found: '  x  ' at Line: 1, Column: 107
SELECT ltrim('zzabcz', 'z'), rtrim('zzabcz', 'z'), btrim('  a b  '), btrim('abcba', 'ab'), trim(both FROM '  x  ');
SELECT lpad('hi', 5), lpad('hi', 5, '*'), lpad('hello', 3), lpad('hi', 6, 'ab'), lpad('hi', 0), lpad('hi', -1);
SELECT rpad('hi', 5), rpad('hi', 5, '*'), rpad('hello', 3), rpad('hi', 7, 'ab'), rpad('hi', 5, '');
SELECT id, lpad(s, 8, '.'), rpad(s, 8, '.') FROM strs ORDER BY id;
SELECT left('hello', 2), left('hello', -2), left('hello', 0), left('hello', 10), right('hello', 2), right('hello', -2), right('hello', 0);
SELECT id, left(s, 3), right(s, 3) FROM strs ORDER BY id;
SELECT repeat('ab', 3), repeat('ab', 0), repeat('ab', -1), repeat('', 5), repeat(NULL, 2);
SELECT replace('hello world', 'o', '0'), replace('aaa', 'a', 'bb'), replace('abc', '', 'x'), replace('abc', 'b', '');
SELECT id, replace(s, 'l', 'L') FROM strs ORDER BY id;
SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', 4), split_part('a,b,c', ',', -1), split_part('a,b,c', ',', -3), split_part('a,b,c', ',', -4);
SELECT split_part('a,b,c', ',', 0);
SELECT split_part('abc', '', 1), split_part('', ',', 1), split_part('a,,b', ',', 2), split_part('a::b', '::', 2);
SELECT id, split_part(s, ',', 1), split_part(s, ',', 3), split_part(s, ' ', -1) FROM strs ORDER BY id;
SELECT id, reverse(s) FROM strs ORDER BY id;
-- eddy differs: concat spells a boolean true/false (PostgreSQL: t/f)
SELECT concat('a', 1, 2.5, true, NULL), concat_ws('-', 1, NULL, 'x', ''), concat_ws('', 'a', 'b');
SELECT concat();
SELECT id, concat(s, v), concat_ws('/', s, v, grp) FROM strs ORDER BY id;
-- eddy refuses: 0A000: not supported: Unsupported binary operator: PGStartsWith
SELECT starts_with('hello', 'he'), starts_with('hello', 'He'), starts_with('hello', ''), starts_with('', 'a'), 'hello' ^@ 'hel';
SELECT id, starts_with(s, 'h') FROM strs ORDER BY id;
SELECT md5(''), md5('hello'), md5('日本語');
SELECT id, md5(s) FROM strs ORDER BY id;
SELECT to_hex(255), to_hex(0), to_hex(-1), to_hex(2147483647), to_hex(9223372036854775807), to_hex(-9223372036854775808);
SELECT id, to_hex(i4), to_hex(i8) FROM nums ORDER BY id;
SELECT ascii('A'), ascii(''), ascii('é'), ascii('😀'), chr(65), chr(233), chr(128512);
-- eddy differs: answers where PostgreSQL raises 54000
SELECT chr(0);
SELECT chr(-1);
SELECT id, ascii(s) FROM strs ORDER BY id;
SELECT regexp_replace('hello world', 'o', '0'), regexp_replace('hello world', 'o', '0', 'g'), regexp_replace('Hello', 'h', 'J', 'i');
-- eddy differs: regexp_replace replacement text: \& is not the whole match
SELECT regexp_replace('abc123def', '[0-9]+', '<\&>'), regexp_replace('john smith', '(\w+) (\w+)', '\2, \1');
-- eddy differs: regexp_replace with empty matches follows the Rust regex engine
SELECT regexp_replace('aaa', 'a*', 'X', 'g'), regexp_replace('abc', '', '-', 'g'), regexp_replace('a.b.c', '\.', '', 'g');
SELECT id, regexp_replace(s, '[aeiou]', '*', 'g') FROM strs ORDER BY id;
SELECT regexp_match('foobarbequebaz', 'bar.*que'), regexp_match('abc', 'x'), regexp_match('2024-01-15', '(\d+)-(\d+)-(\d+)');
SELECT (regexp_match('key=value', '(\w+)=(\w+)'))[2];
-- eddy refuses: 42883: function regexp_matches() does not exist
SELECT regexp_matches('a1b22c333', '\d+', 'g') AS m ORDER BY m;
-- eddy refuses: 42883: function regexp_split_to_array() does not exist
SELECT regexp_split_to_array('a1b22c333d', '\d+'), regexp_split_to_array('hello world', '\s+'), regexp_split_to_array('abc', '');
-- eddy refuses: 42883: function regexp_substr() does not exist
SELECT regexp_count('banana', 'an'), regexp_instr('banana', 'an', 1, 2), regexp_substr('banana', 'n.', 1, 2), regexp_like('Banana', '^b', 'i');
SELECT regexp_replace('abc', '(', 'x');
-- eddy refuses: 42883: function format() does not exist
SELECT format('Hello %s, you are %s', 'Bob', 42), format('%I.%I', 'my table', 'col'), format('%L', 'it''s'), format('%L', NULL);
-- eddy refuses: 42883: function format() does not exist
SELECT format('%s|%s', NULL, 'x'), format('%5s|%-5s|', 'ab', 'cd'), format('%2$s %1$s', 'a', 'b'), format('100%%');
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 22023
SELECT format('%s %s', 'only one');
-- eddy refuses: 42883: function quote_literal() does not exist
SELECT quote_ident('simple'), quote_ident('Mixed Case'), quote_literal('O''Reilly'), quote_literal(42), quote_nullable(NULL);
SELECT translate('12345', '143', 'ax'), translate('hello', 'el', 'ip'), overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4), overlay('abc' PLACING 'Z' FROM 2);
SELECT 'a' || 'b' || 'c', 'x' || 1 || 2, 1 || ('2' || 'x');
SELECT 1 || 2 || 'x';
SELECT id, v, v || '!', length(v || s) FROM strs ORDER BY id;
SELECT string_to_array('a,b,,c', ','), string_to_array('a b c', ' ', 'b'), string_to_array('abc', NULL), string_to_array('', ',');
-- eddy refuses: 42883: function convert_from() does not exist
SELECT encode('hello'::bytea, 'base64'), encode('hello'::bytea, 'hex'), convert_from(decode('aGVsbG8=', 'base64'), 'UTF8');
-- eddy differs: text to bytea and bytea functions are DataFusion's
SELECT sha256('abc'::bytea), length('日本語'::bytea);
SELECT 'abc' < 'abd', 'abc' < 'abcd', 'B' < 'a', 'a' < 'B', '' < ' ', 'Z' < 'a', 'é' > 'z';
-- eddy refuses: 42883: function unistr() does not exist
SELECT unistr('\0041\00e9'), E'tab\there', E'new\\nline', 'it''s', $$dollar 'quoted'$$;
SELECT lower(NULL), upper(NULL), length(NULL), trim(NULL), lpad(NULL, 3), reverse(NULL), md5(NULL);
SELECT length(repeat('x', 100000)), octet_length(repeat('é', 1000));
SELECT id, s FROM strs WHERE s = 'abc' ORDER BY id;
SELECT id, s FROM strs WHERE s = 'abc ' ORDER BY id;
SELECT id, v FROM strs WHERE v = 'abc' ORDER BY id;
SELECT id, length(s) FROM strs WHERE length(s) > 5 ORDER BY id;
