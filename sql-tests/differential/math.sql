-- Mathematical functions with edge cases (negative, zero, NULL, infinity, NaN):
-- mod, div, ceil/floor, sign, power, sqrt, cbrt, exp, ln, log, log10, width_bucket,
-- gcd, lcm, factorial, trigonometry, pi, degrees/radians, float division by zero,
-- float overflow and underflow, special float values.

SELECT mod(7, 3), mod(-7, 3), mod(7, -3), mod(-7, -3), mod(7.5, 2), mod(-7.5, 2);
SELECT mod(5, 0);
SELECT mod(5.0, 0);
SELECT div(7, 2), div(-7, 2), div(7.5, 2), div(-7.5, 2), div(9, 3.3);
SELECT div(1, 0);
SELECT id, mod(i4, 7), mod(i8, -3), mod(n10, 2) FROM nums ORDER BY id;
SELECT id, div(n20, 3), div(i4, 5) FROM nums ORDER BY id;
SELECT ceil(1.1), ceil(-1.1), ceil(1.0), floor(1.9), floor(-1.1), ceiling(2.000001), ceil(-0.5);
SELECT ceil(1.1::double precision), floor(-1.1::double precision), ceil(-0.5::double precision), floor(0.5::real);
SELECT id, ceil(f8), floor(f8), ceil(n10), floor(n20) FROM nums ORDER BY id;
-- eddy differs: ceil and floor of real stay real (PostgreSQL: double precision)
-- eddy stream differs: ceil and floor of real stay real (PostgreSQL: double precision)
SELECT id, ceil(f4), floor(f4), pg_typeof(ceil(f4)) FROM nums ORDER BY id;
SELECT sign(-5), sign(0), sign(5.5), sign(-0.0::double precision), sign(NULL::integer), pg_typeof(sign(5));
SELECT id, sign(i4), sign(f8), sign(n20) FROM nums ORDER BY id;
-- eddy differs: power of numerics computes in double precision (PostgreSQL: exact numeric)
SELECT power(2, 10), power(2, -1), power(2.0, 0.5), power(-2, 3), power(0, 0), power(10, 308);
SELECT power(10, 309);
-- eddy refuses: 22003: value out of range: overflow
SELECT power(10::numeric, 309);
SELECT power(-8, 1.0/3);
SELECT power(0, -1);
SELECT power(-8::double precision, 1.0::double precision / 3);
-- eddy differs: power of numerics computes in double precision (PostgreSQL: exact numeric)
SELECT power(2::numeric, 100), power(1.5, 2), power(4::numeric, 0.5), pg_typeof(power(2, 3)), pg_typeof(power(2::numeric, 3));
-- eddy differs: sqrt of a numeric computes in double precision (PostgreSQL: exact numeric)
SELECT sqrt(16), sqrt(2), sqrt(0), sqrt(16::numeric), sqrt(2::numeric), sqrt(1e-10);
SELECT sqrt(-1);
SELECT sqrt(-1::numeric);
SELECT cbrt(27), cbrt(-8), cbrt(2), cbrt(0);
SELECT exp(0), exp(1), exp(-1), exp(1::numeric), exp(709);
SELECT exp(710);
SELECT exp(-1000);
SELECT ln(1), ln(2.718281828459045), ln(10::numeric), ln(0.5);
SELECT ln(0);
SELECT ln(-1);
SELECT ln(0::numeric);
-- eddy differs: log of a numeric computes in double precision (PostgreSQL: exact numeric)
SELECT log(100), log(1000::numeric), log(2, 8), log(10, 1e-5), log10(1000), log10(0.001);
SELECT log(0);
SELECT log(-10::double precision);
SELECT log(1, 10);
-- eddy differs: ln and exp of numerics compute in double precision (PostgreSQL: exact numeric)
-- eddy stream differs: ln and exp of numerics compute in double precision (PostgreSQL: exact numeric)
SELECT id, sqrt(abs(f8)), ln(abs(n10) + 1), exp(i2 / 100.0) FROM nums WHERE i2 BETWEEN -1000 AND 1000 ORDER BY id;
SELECT id, sqrt(i4) FROM nums ORDER BY id;
-- eddy refuses: 42883: function width_bucket does not exist for these argument types
SELECT width_bucket(5.35, 0.024, 10.06, 5), width_bucket(0, 0, 10, 5), width_bucket(10, 0, 10, 5), width_bucket(-1, 0, 10, 5), width_bucket(11, 0, 10, 5);
-- eddy refuses: 42883: function width_bucket does not exist for these argument types
SELECT width_bucket(5, 10, 0, 5), width_bucket(2.5::double precision, 0, 10, 4), width_bucket(NULL, 0, 10, 5);
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 2201G
SELECT width_bucket(5, 0, 10, 0);
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 2201G
SELECT width_bucket(5, 0, 0, 5);
-- eddy refuses: 42883: function width_bucket does not exist for these argument types
SELECT width_bucket(7, ARRAY[0, 5, 10]), width_bucket(10, ARRAY[0, 5, 10]), width_bucket(-1, ARRAY[0, 5, 10]);
-- eddy refuses: 42883: function width_bucket does not exist for these argument types
-- eddy stream refuses: 42883: function width_bucket does not exist for these argument types
SELECT id, width_bucket(f8, -10, 10, 4) FROM nums WHERE abs(f8) < 1e300 ORDER BY id;
SELECT gcd(12, 18), gcd(-12, 18), gcd(0, 5), gcd(0, 0), gcd(12.5, 5), gcd(9223372036854775807, 3);
SELECT lcm(4, 6), lcm(-4, 6), lcm(0, 5), lcm(2.5, 1.5);
-- eddy differs: answers where PostgreSQL raises 22003
SELECT gcd(-2147483648, 0);
-- eddy differs: answers where PostgreSQL raises 22003
SELECT lcm(2147483647, 2147483646);
SELECT id, gcd(i4, 12), lcm(i2, 4) FROM nums WHERE i4 BETWEEN -100000 AND 100000 ORDER BY id;
-- eddy refuses: 22003: Overflow happened on FACTORIAL(25)
SELECT factorial(0), factorial(1), factorial(5), factorial(20), factorial(25);
SELECT factorial(-1);
SELECT 1 / 0.0;
SELECT 1 / 0::double precision;
SELECT 0::double precision / 0;
SELECT 1::real / 0;
SELECT 1.5 % 0;
SELECT 'Infinity'::double precision / 'Infinity'::double precision, 'Infinity'::double precision - 'Infinity'::double precision, 'Infinity'::double precision * 0;
SELECT 'NaN'::double precision = 'NaN'::double precision, 'NaN'::double precision > 'Infinity'::double precision, 'NaN'::real < 0, '-0'::double precision = 0;
SELECT 1e308::double precision * 10;
SELECT 1e-308::double precision * 1e-10;
SELECT 3.4e38::real * 10;
SELECT id, f8 * 2 FROM nums ORDER BY id;
-- eddy refuses: 22000: 1000000000000000000.0000000000 is too large to store in a Decimal128 of precision 17. Max is 9999999.99
-- eddy stream refuses: 22000: 1000000000000000000.0000000000 is too large to store in a Decimal128 of precision 17. Max is 9999999.99
SELECT id, f4 * f4 FROM nums WHERE abs(f4) BETWEEN 1e-10 AND 1e18 OR f4 = 0 ORDER BY id;
SELECT id, f4 * f4 FROM nums WHERE id = 9;
SELECT id, f8 * f8 FROM nums WHERE id = 9;
SELECT id, f8 / 3, f4 / 3, f8 + f4 FROM nums WHERE abs(f8) < 1e300 ORDER BY id;
SELECT id, i4 / 2.0, i4 / 2::double precision, i8 * 0.5 FROM nums ORDER BY id;
SELECT 0.1::double precision + 0.2::double precision, 0.1::real + 0.2::real, 1::double precision / 3, 2::real / 3, 100::double precision / 7;
SELECT 1e15::double precision + 0.3, 123456789.123456789::double precision, 1.0e-5::double precision, 0.000001234::real;
SELECT pi(), degrees(pi()), radians(180), sin(0), cos(0), tan(0), asin(1), acos(1), atan(1), atan2(1, 1);
-- eddy refuses: 42883: function sind() does not exist
SELECT sind(30), cosd(60), tand(45), asind(0.5), round(cot(1)::numeric, 10), sinh(1), cosh(0), tanh(1e10);
SELECT asin(2);
SELECT abs(-1.5::real), abs(-0.0::double precision), abs(NULL::numeric), abs(-9223372036854775807);
SELECT trunc(-1.7::double precision), trunc(1.7::real), round(-1.5::double precision), round(1e20::double precision);
SELECT id, abs(f4), abs(f8), abs(n10) FROM nums ORDER BY id;
-- eddy refuses: 42883: function min_scale() does not exist
SELECT min_scale(1.2300), trim_scale(1.2300), trim_scale(10.00), scale(trim_scale(5.500));
SELECT 7 / 2 * 2, 7.0 / 2 * 2, 7 / 2.0, 7::double precision / 2;
