#!/usr/bin/env python3
"""Runs the differential corpus against the PostgreSQL of scripts/postgres.sh.

Loads schema.sql and data/<table>.ndjson (drop + recreate), then runs every query
of every <category>.sql file (each in its own autocommit transaction) and prints,
per file, how many ran OK and how many raised an error, with the SQLSTATE and the
first line of each error.

    scripts/postgres.sh start
    .cache/differential/venv/bin/python sql-tests/differential/check_pg.py \\
        [--url URL] [--out results.txt] [--show] [FILE.sql ...]

--out writes every query with its result (PostgreSQL's text output, or the error),
so two runs can be diffed to check that the corpus is deterministic. --show prints
the results too. Needs psycopg 3:
    python3 -m venv .cache/differential/venv
    .cache/differential/venv/bin/pip install 'psycopg[binary]'
"""
import argparse
import json
import os
import re
import sys

import psycopg
from psycopg.adapt import Loader

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_URL = "postgresql://postgres@127.0.0.1:{}/diff".format(
    os.environ.get("EDDY_POSTGRES_PORT", "54329"))


def read_statements(path):
    """Statements of a corpus file: `--` comment lines dropped, a statement ends
    with `;` at the end of a line. Returns (line number, sql) pairs."""
    out, buf, first = [], [], None
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            stripped = line.rstrip()
            if not buf and (not stripped.strip() or stripped.lstrip().startswith("--")):
                continue
            if stripped.lstrip().startswith("--"):
                continue
            if first is None:
                first = no
            buf.append(stripped)
            if stripped.endswith(";"):
                out.append((first, "\n".join(buf)[:-1].strip()))
                buf, first = [], None
    if buf:
        raise SystemExit(f"{path}:{first}: statement without a terminating ';'")
    return out


def table_names(schema_sql):
    return re.findall(r"CREATE TABLE\s+(\w+)", schema_sql, flags=re.I)


def load(conn, schema_sql):
    tables = table_names(schema_sql)
    with conn.cursor() as cur:
        for t in reversed(tables):
            cur.execute(f"DROP TABLE IF EXISTS {t}")
        cur.execute(schema_sql)
        for t in tables:
            path = os.path.join(HERE, "data", t + ".ndjson")
            with open(path, encoding="utf-8") as f:
                rows = [line.strip() for line in f if line.strip()]
            for r in rows:
                json.loads(r)  # fail early on a bad line
            cur.execute(
                f"INSERT INTO {t} SELECT * FROM json_populate_recordset(NULL::{t}, %s::json)",
                ["[" + ",".join(rows) + "]"])
            cur.execute(f"SELECT count(*) FROM {t}")
            n = cur.fetchone()[0]
            if n != len(rows):
                raise SystemExit(f"{t}: loaded {n} rows of {len(rows)}")
    return tables


class TextLoader(Loader):
    """Keeps PostgreSQL's text output as is (no conversion to Python values)."""

    def load(self, data):
        return bytes(data).decode("utf-8")


def raw_text(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT oid FROM pg_type")
        for (oid,) in cur.fetchall():
            conn.adapters.register_loader(int(oid), TextLoader)


def render(cur):
    cols = [d.name + ":" + str(d.type_code) for d in cur.description]
    lines = ["  " + " | ".join(cols)]
    for row in cur.fetchall():
        lines.append("  " + " | ".join("NULL" if v is None else v for v in row))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--url", default=DEFAULT_URL)
    ap.add_argument("--out", help="write every query and its result to this file")
    ap.add_argument("--show", action="store_true", help="print every result")
    ap.add_argument("files", nargs="*", help="corpus files (default: all *.sql but schema.sql)")
    args = ap.parse_args()

    files = args.files or sorted(
        os.path.join(HERE, f) for f in os.listdir(HERE)
        if f.endswith(".sql") and f != "schema.sql")
    with open(os.path.join(HERE, "schema.sql"), encoding="utf-8") as f:
        schema_sql = f.read()

    conn = psycopg.connect(args.url, autocommit=True)
    tables = load(conn, schema_sql)
    raw_text(conn)
    with conn.cursor() as cur:
        cur.execute("SET statement_timeout = '10s'")

    out = open(args.out, "w", encoding="utf-8") if args.out else None
    total_ok = total_err = 0
    print(f"loaded tables: {', '.join(tables)}")
    for path in files:
        name = os.path.basename(path)
        ok, errors = 0, []
        for line, sql in read_statements(path):
            lines = [f"-- {name}:{line}", sql + ";"]
            try:
                with conn.cursor() as cur:
                    cur.execute(sql, prepare=False)
                    if cur.description is None:
                        raise SystemExit(f"{name}:{line}: not a query: {sql}")
                    lines += render(cur)
                ok += 1
            except psycopg.Error as e:
                first = str(e).split("\n")[0]
                lines.append(f"  ERROR {e.sqlstate}: {first}")
                errors.append((line, e.sqlstate, first))
            if out:
                out.write("\n".join(lines) + "\n")
            if args.show:
                print("\n".join(lines))
        total_ok += ok
        total_err += len(errors)
        print(f"{name}: {ok + len(errors)} queries, {ok} ok, {len(errors)} errors")
        for line, state, first in errors:
            print(f"  {name}:{line}: {state} {first}")
    print(f"total: {total_ok + total_err} queries, {total_ok} ok, {total_err} errors")
    if out:
        out.close()


if __name__ == "__main__":
    main()
