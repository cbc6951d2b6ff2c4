-- Data type formatting functions: to_char with timestamps, timestamptz, dates,
-- intervals and numbers; to_timestamp(text, fmt), to_date(text, fmt), to_number.

SELECT id, to_char(t, 'YYYY-MM-DD'), to_char(t, 'YYYY-MM-DD HH24:MI:SS') FROM times ORDER BY id;
SELECT id, to_char(t, 'Mon DD YYYY'), to_char(t, 'Month'), to_char(t, 'FMMonth'), to_char(t, 'MON') FROM times ORDER BY id;
SELECT id, to_char(t, 'Day'), to_char(t, 'FMDay'), to_char(t, 'DY'), to_char(t, 'dy'), to_char(t, 'D'), to_char(t, 'ID') FROM times ORDER BY id;
SELECT id, to_char(t, 'Q'), to_char(t, 'WW'), to_char(t, 'IW'), to_char(t, 'W'), to_char(t, 'IYYY'), to_char(t, 'DDD'), to_char(t, 'IDDD') FROM times ORDER BY id;
SELECT id, to_char(t, 'HH12:MI:SS AM'), to_char(t, 'HH:MI pm'), to_char(t, 'HH24'), to_char(t, 'a.m.') FROM times ORDER BY id;
SELECT id, to_char(t, 'SS.MS'), to_char(t, 'US'), to_char(t, 'FF1 FF2 FF3 FF6'), to_char(t, 'SSSS') FROM times ORDER BY id;
SELECT id, to_char(t, 'J'), to_char(t, 'CC'), to_char(t, 'Y,YYY'), to_char(t, 'YY'), to_char(t, 'RM'), to_char(t, 'BC') FROM times ORDER BY id;
SELECT id, to_char(tz, 'YYYY-MM-DD HH24:MI:SS TZ'), to_char(tz, 'OF'), to_char(tz, 'TZH:TZM') FROM times ORDER BY id;
SELECT id, to_char(d, 'YYYY/MM/DD'), to_char(d, 'DD.MM.YY'), to_char(d, 'FMDD FMMonth YYYY') FROM times ORDER BY id;
SELECT to_char(timestamp '2024-03-05 07:08:09', 'FMMM/FMDD/YYYY FMHH12:MI'), to_char(timestamp '2024-03-05', 'DDth MMth YYYYth'), to_char(timestamp '2024-03-01', 'FMDDth'), to_char(timestamp '2024-03-22', 'DDTH');
SELECT to_char(timestamp '2024-01-01 13:00', '"Quarter" Q, "day" DDD'), to_char(timestamp '2024-01-01', 'YYYY"-"MM'), to_char(timestamp '2024-01-01', 'xYYYYx'), to_char(timestamp '2024-01-01', '\YYYY');
SELECT to_char(timestamp '2024-01-01', ''), to_char(NULL::timestamp, 'YYYY'), to_char(timestamp '2024-01-01', NULL);
-- eddy refuses: 22P02: Invalid input syntax for type interval: "1 day 02:03:04.5"
SELECT to_char(interval '1 day 02:03:04.5', 'HH24:MI:SS'), to_char(interval '50 hours', 'DD HH24'), to_char(interval '15 months', 'YY MM');
SELECT to_char(123.456, '999.99'), to_char(123.456, '999'), to_char(-123.456, '999.99'), to_char(0.5, '9.99'), to_char(0.5, '0.99');
SELECT to_char(1234, 'FM9999'), to_char(12, '0000'), to_char(12, 'FM0000'), to_char(-12, '0000'), to_char(12345, '999');
SELECT to_char(1234567.891, '9,999,999.99'), to_char(1234567.891, 'FM9G999G999D00'), to_char(-5, 'S999'), to_char(5, 'S999'), to_char(-5, '999MI'), to_char(-5, '999PR');
SELECT to_char(0, '999'), to_char(0, 'FM999'), to_char(0, '990'), to_char(0.01, 'FM0.00'), to_char(12.5, 'FM999.999'), to_char(12, 'FM999.');
SELECT to_char(485, 'RN'), to_char(2024, 'FMRN'), to_char(3, 'th999'), to_char(21, '99th'), to_char(1.5e10, '9.99EEEE'), to_char(12345, '99V99');
SELECT to_char(1.5::double precision, '9.9'), to_char(2.5::real, '9'), to_char(2.5, '9'), to_char(3.5, '9'), to_char(-2.5, '9');
SELECT id, to_char(i4, 'FM999,999,999,999'), to_char(n10, 'FM99999990.00'), to_char(f8, '9.999EEEE') FROM nums ORDER BY id;
SELECT id, to_char(i8, '99999999999999999999'), to_char(n20, '999999999999999.999999') FROM nums ORDER BY id;
SELECT to_timestamp('2024-01-15 10:30:00', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('15/01/2024', 'DD/MM/YYYY'), to_timestamp('Jan 15 2024', 'Mon DD YYYY');
SELECT to_timestamp('2024-01-15 10:30:00.123456', 'YYYY-MM-DD HH24:MI:SS.US'), to_timestamp('2024-01-15 10:30:00.5', 'YYYY-MM-DD HH24:MI:SS.MS'), to_timestamp('10:30 PM 2024-01-15', 'HH:MI AM YYYY-MM-DD');
SELECT to_timestamp('2024-01-15', 'YYYY-MM-DD'), to_timestamp('20240115103000', 'YYYYMMDDHH24MISS'), to_timestamp('2024  01   15', 'YYYY MM DD'), to_timestamp('2024-01-15 +05:30', 'YYYY-MM-DD TZH:TZM');
SELECT to_timestamp('2024-02-30', 'YYYY-MM-DD');
SELECT to_timestamp('2024-13-01', 'YYYY-MM-DD');
SELECT to_timestamp('garbage', 'YYYY-MM-DD');
SELECT to_timestamp('2024-01-15 25:00', 'YYYY-MM-DD HH24:MI');
SELECT to_timestamp('1 2024', 'DDD YYYY'), to_timestamp('2024 10 1', 'IYYY IW ID'), to_timestamp('44', 'YY'), to_timestamp('99', 'YY');
SELECT to_date('2024-02-29', 'YYYY-MM-DD'), to_date('29.02.2024', 'DD.MM.YYYY'), to_date('February 29, 2024', 'Month DD, YYYY'), to_date('2024 060', 'YYYY DDD');
SELECT to_date('2023-02-29', 'YYYY-MM-DD');
SELECT to_date('2024-01-15 10:30', 'YYYY-MM-DD'), to_date('20240115', 'YYYYMMDD'), to_date('1/2/2024', 'MM/DD/YYYY'), pg_typeof(to_date('2024-01-01', 'YYYY-MM-DD'));
SELECT to_date(NULL, 'YYYY'), to_timestamp(NULL, 'YYYY'), to_date('2024-01-01', NULL);
-- eddy refuses: 42883: function to_number() does not exist
SELECT to_number('12,454.8-', '99G999D9S'), to_number('$1,234.56', 'L9G999D99'), to_number('42', '99'), to_number(' 1 234 ', '9 999'), to_number('-12.5', 'S99.9');
-- eddy differs: SQLSTATE 42883 where PostgreSQL raises 22P02
SELECT to_number('abc', '999');
SELECT id, to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS'), to_char(ts, 'HH24:MI') FROM strs ORDER BY id;
SELECT id, to_char(t, 'YYYY-MM-DD HH24:MI:SS.US'), to_char(tz AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI') FROM times ORDER BY id;
