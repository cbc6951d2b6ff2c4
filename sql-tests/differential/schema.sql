-- Tables of the differential test (Eddy's pull queries vs PostgreSQL).
-- Every table has `id integer` (unique: ORDER BY id is a total order) and
-- `ts timestamp` (event time over 2024-01-01/02, for windowed variants).
-- The rows are in data/<table>.ndjson, one JSON object per line.

CREATE TABLE nums (
    id integer,
    ts timestamp,
    i2 smallint,
    i4 integer,
    i8 bigint,
    f4 real,
    f8 double precision,
    n10 numeric(10,2),
    n20 numeric(20,6)
);

CREATE TABLE strs (
    id integer,
    ts timestamp,
    s text,
    v varchar(12),
    grp text,
    pat text
);

CREATE TABLE times (
    id integer,
    ts timestamp,
    t timestamp,
    tz timestamptz,
    d date
);

CREATE TABLE flags (
    id integer,
    ts timestamp,
    b boolean,
    c boolean,
    k smallint,
    x integer,
    grp text
);

CREATE TABLE empty (
    id integer,
    ts timestamp,
    i2 smallint,
    i4 integer,
    i8 bigint,
    f4 real,
    f8 double precision,
    n10 numeric(10,2),
    n20 numeric(20,6)
);
