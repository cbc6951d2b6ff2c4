-- Integer arithmetic at every width: + - * / % on smallint, integer and bigint
-- columns and literals, overflow (22003), unary minus and abs of the minimum,
-- mixed-width promotion, integer division truncation toward zero, division by zero.

SELECT id, i2 + i2 FROM nums WHERE i2 BETWEEN -1000 AND 1000 ORDER BY id;
SELECT id, i2 + i4, i4 + i8 FROM nums WHERE id <> 4 AND id <> 5 ORDER BY id;
SELECT id, i2 - i4, i4 - i8 FROM nums WHERE id <> 4 AND id <> 5 ORDER BY id;
SELECT id, i2 * i4, i4 * i8 FROM nums WHERE id <> 4 AND id <> 5 ORDER BY id;
SELECT id, i2 * 2 FROM nums WHERE i2 BETWEEN -1000 AND 1000 ORDER BY id;
SELECT id, i4 / 3, i4 % 3 FROM nums ORDER BY id;
SELECT id, i8 / 7, i8 % 7 FROM nums ORDER BY id;
SELECT id, i2 / 2, i2 % 2 FROM nums ORDER BY id;
SELECT id, -i2, -i4, -i8 FROM nums WHERE id <> 5 ORDER BY id;
SELECT id, i2 + 1 FROM nums ORDER BY id;
SELECT id, i2 - 1 FROM nums ORDER BY id;
SELECT id, i4 + 1 FROM nums ORDER BY id;
SELECT id, i4 - 1 FROM nums ORDER BY id;
SELECT id, i8 + 1 FROM nums ORDER BY id;
SELECT id, i8 - 1 FROM nums ORDER BY id;
SELECT id, i2 * i2 FROM nums WHERE i2 BETWEEN -181 AND 181 ORDER BY id;
SELECT id, i2 * i2 FROM nums WHERE id = 16;
SELECT id, i2 * i2 FROM nums ORDER BY id;
SELECT id, i4 * i4 FROM nums WHERE i4 BETWEEN -46340 AND 46340 ORDER BY id;
SELECT id, i4 * i4 FROM nums WHERE id = 16;
SELECT id, i8 * i8 FROM nums WHERE i8 BETWEEN -3037000499 AND 3037000499 ORDER BY id;
SELECT id, i8 * i8 FROM nums WHERE id = 16;
SELECT id, -i2 FROM nums WHERE id = 5;
SELECT id, -i4 FROM nums WHERE id = 5;
SELECT id, -i8 FROM nums WHERE id = 5;
SELECT id, abs(i2) FROM nums WHERE id = 5;
SELECT id, abs(i4) FROM nums WHERE id = 5;
SELECT id, abs(i8) FROM nums WHERE id = 5;
SELECT id, abs(i2), abs(i4), abs(i8) FROM nums WHERE id <> 5 ORDER BY id;
SELECT id, i2 / -1, pg_typeof(i2 / -1) FROM nums WHERE id = 5;
SELECT id, i2 / (-1)::smallint FROM nums WHERE id = 5;
SELECT id, i4 / -1 FROM nums WHERE id = 5;
SELECT id, i8 / -1 FROM nums WHERE id = 5;
SELECT id, i2 % -1, i4 % -1, i8 % -1 FROM nums WHERE id = 5;
SELECT id, i2 + i2 FROM nums WHERE id = 4;
SELECT id, i4 + i4 FROM nums WHERE id = 4;
SELECT id, i8 + i8 FROM nums WHERE id = 4;
SELECT id, i4::bigint + i4 FROM nums WHERE id = 4;
SELECT id, i2::integer * i2 FROM nums WHERE id = 5;
SELECT id, i4 * 1.0 FROM nums ORDER BY id;
SELECT id, i2 + i8 FROM nums WHERE id = 4;
SELECT id, i4 / i2 FROM nums WHERE i2 <> 0 ORDER BY id;
SELECT id, i8 % i4 FROM nums WHERE i4 <> 0 ORDER BY id;
SELECT id, i4 / i2 FROM nums ORDER BY id;
SELECT id, i8 % i2 FROM nums ORDER BY id;
SELECT pg_typeof(1::smallint + 1::smallint), pg_typeof(1::smallint + 1), pg_typeof(1 + 1::bigint);
SELECT pg_typeof(1::smallint * 1.5), pg_typeof(1::integer / 2), pg_typeof(2147483648);
SELECT 32767::smallint + 1::smallint;
SELECT (-32768)::smallint - 1::smallint;
SELECT 2147483647 + 1;
SELECT -2147483648 - 1;
SELECT 2147483647 * 2;
SELECT 9223372036854775807 + 1;
SELECT -9223372036854775808 - 1;
SELECT 9223372036854775807 * 2;
SELECT 4611686018427387904 * 2;
SELECT 4611686018427387904 * -2;
SELECT -(-2147483648);
-- eddy refuses: 22003: bigint out of range
SELECT -(-9223372036854775808);
SELECT -(-32768)::smallint;
SELECT (-2147483648) / -1;
SELECT (-9223372036854775808) / -1;
SELECT (-9223372036854775808) % -1;
SELECT 7 / 2, -7 / 2, 7 / -2, -7 / -2;
SELECT 7 % 3, -7 % 3, 7 % -3, -7 % -3;
SELECT 1 / 0;
SELECT 1::smallint / 0::smallint;
SELECT 1::bigint / 0;
SELECT 0 / 0;
SELECT 5 % 0;
SELECT 5::bigint % 0::bigint;
SELECT id, i4 / 0 FROM nums WHERE id = 6;
SELECT id, 10 / i4 FROM nums ORDER BY id;
SELECT id, 10 % i8 FROM nums ORDER BY id;
SELECT 2 + 3 * 4 - 10 / 3 % 2;
SELECT (2 + 3) * (4 - 10) / 3;
SELECT - - 5, - + 5, + - 5;
SELECT 1::smallint + 1.5, 1 + 1.5::real, 1 + 1.5::double precision;
SELECT 3000000000 + 1, pg_typeof(3000000000);
SELECT 9223372036854775808;
SELECT pg_typeof(9223372036854775808);
-- eddy differs: numeric ^ numeric computes in double precision (PostgreSQL: exact numeric)
SELECT 2 ^ 10, 2 ^ -1, 2.0 ^ 0.5;
SELECT (-8) ^ (1.0/3);
-- eddy refuses: 0A000: not supported: Unsupported SQL unary operator PGSquareRoot
SELECT |/ 16, ||/ 27;
-- eddy refuses: 0A000: not supported: Unsupported SQL unary operator BitwiseNot
SELECT 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 4, 256 >> 4;
-- eddy differs: a shift of a smallint computes in integer (PostgreSQL keeps smallint and wraps)
SELECT 1::smallint << 15, 1 << 31, 1::bigint << 63;
SELECT id, i4 & 255, i4 | 1, i4 # 7 FROM nums ORDER BY id;
-- eddy refuses: 0A000: not supported: Unsupported SQL unary operator PGAbs
SELECT @ -5, @ -5.5, @ (-2147483647);
SELECT id, i2 + i4 + i8 FROM nums WHERE i4 BETWEEN -1000000 AND 1000000 ORDER BY id;
