-- Errors PostgreSQL raises while analyzing a query: unknown columns, tables and
-- functions (42703, 42P01, 42883), operators with mismatched types (text > integer
-- column, boolean + integer), aggregates on the wrong type (sum(text)), aggregates in
-- WHERE, non-grouped columns, ambiguous references, wrong argument counts, syntax errors.

SELECT id, s > 1 FROM strs;
SELECT id FROM strs WHERE s > i4;
SELECT sum(s) FROM strs;
SELECT avg(b) FROM flags;
SELECT sum(t) FROM times;
SELECT avg(d) FROM times;
SELECT b + 1 FROM flags;
SELECT s * 2 FROM strs;
SELECT - s FROM strs;
SELECT NOT k FROM flags;
SELECT id FROM flags WHERE k;
SELECT t + t FROM times;
SELECT d * 2 FROM times;
SELECT t + 1 FROM times;
SELECT no_such_column FROM nums;
SELECT id FROM no_such_table;
SELECT no_such_function(1);
SELECT length(42);
SELECT upper(1);
-- eddy differs: SQLSTATE 42601 where PostgreSQL raises 42883
-- eddy stream differs: SQLSTATE 42601 where PostgreSQL raises 42883
SELECT substr(s) FROM strs;
SELECT lpad('a');
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 22P02
SELECT round('abc', 2);
-- eddy differs: answers where PostgreSQL raises 42883
SELECT round(1.5::double precision, 1);
SELECT date_trunc('hour', 42);
SELECT extract(year FROM 'not a timestamp'::text);
SELECT id FROM nums, strs;
SELECT nums.k FROM nums JOIN flags USING (id);
SELECT id, count(*) FROM nums;
SELECT grp, k FROM flags GROUP BY grp;
SELECT id FROM nums WHERE sum(i4) > 0;
SELECT count(*) FROM nums GROUP BY count(*);
SELECT id FROM nums ORDER BY no_such_column;
SELECT id FROM nums ORDER BY 5;
SELECT id FROM nums GROUP BY 9;
SELECT i4 FROM nums UNION SELECT s FROM strs;
SELECT 1 FROM nums LIMIT -1;
-- eddy differs: SQLSTATE 42601 where PostgreSQL raises 22P02
SELECT 1 FROM nums LIMIT 'x';
SELECT FROM;
SELECT 1 +;
SELECT * FORM nums;
SELECT "NoSuchQuotedColumn" FROM nums;
SELECT ID, I4 FROM NUMS WHERE ID = 1;
SELECT "id" FROM "nums" WHERE "id" = 1;
SELECT count(*, id) FROM nums;
-- eddy differs: answers where PostgreSQL raises 42601
-- eddy stream differs: answers where PostgreSQL raises 42601
-- eddy window differs: answers where PostgreSQL raises 42601
SELECT count(DISTINCT *) FROM nums;
SELECT max() FROM nums;
SELECT 1 = 'a';
SELECT 'a'::unknown_type;
-- eddy differs: answers where PostgreSQL raises 42601
SELECT CAST(1 AS integer(10));
