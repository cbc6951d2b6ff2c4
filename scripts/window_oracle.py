#!/usr/bin/env python3
"""Independent oracle for Eddy's windowed aggregates over bounded files.

It re-implements, in plain Python (standard library only), the contract the
engine must meet for a bounded `file` stream, and prints the expected
sqllogictest blocks for `sql-tests/windows/*.slt` and `sql-tests/errors/*.slt`.
It shares no code with Eddy on purpose.

Contract
--------
* Rows are read in file order. A row that cannot be decoded (invalid JSON, a
  value of the wrong type, an unparsable timestamp) is *bad*: it is counted in
  bad_rows and takes no further part (it neither counts in rows_in nor moves
  the watermark).
* Watermark delay D (`WATERMARK FOR date_time AS date_time - INTERVAL 'D'`).
  The watermark before row i is max(ts_j - D) over the good rows j < i
  (-infinity before the first). Row i is LATE iff ts_i < watermark (strictly).
  Late rows are excluded from windowed results and counted in late_rows; they
  still take part in the watermark (they cannot raise it anyway).
* Windows are epoch-aligned, UTC, half-open [start, end):
    TUMBLE(size):            start = floor(ts/size)*size
    HOP(slide, size):        every start = k*slide with start <= ts < start+size
    CUMULATE(step, max):     base = floor(ts/max)*max; windows [base, base+j*step)
                             for j in 1..=max/step with base+j*step > ts
    SESSION(gap), per key:   intervals [ts, ts+gap) of the same key merge when
                             they overlap (|a-b| < gap), transitively; a session
                             is [min ts, max ts + gap)
* One output row per (window, group key) with at least one non-late row that
  passes the WHERE filter; HAVING is applied after aggregation. At the end of a
  bounded input every window closes, so the result is the batch aggregate over
  the non-late rows.
* SHOW QUERIES for a completed bounded query:
  name completed rows_in rows_out late_rows bad_rows infinity NULL
  (rows_out = number of result rows; late_rows counts every late row of the
  stream, including rows a WHERE filter would have removed, because the
  watermark stage runs before the filter.)

Usage (from the repository root)
--------------------------------
    python3 scripts/window_oracle.py rows     sql-tests/data/bids.ndjson            # classify every row
    python3 scripts/window_oracle.py stats    sql-tests/data/bids.ndjson            # rows_in / late / bad
    python3 scripts/window_oracle.py tumble   sql-tests/data/bids.ndjson --size 10s
    python3 scripts/window_oracle.py hop      sql-tests/data/bids.ndjson --slide 5s --size 15s
    python3 scripts/window_oracle.py cumulate sql-tests/data/bids.ndjson --step 10s --max-size 30s
    python3 scripts/window_oracle.py session  sql-tests/data/bids.ndjson --gap 5s

Options for the window commands:
    --delay 2s               watermark delay D (default 2s)
    --key auction|none       group key besides the window (default auction)
    --aggs bids,total,top,low,bidders
                             output aggregates, in order: bids=count(*),
                             total=sum(price), top=max(price), low=min(price),
                             bidders=count(DISTINCT bidder)
    --where-price-gt N       WHERE price > N
    --having-count-gt N      HAVING count(*) > N
    --view NAME              view name used in the printed SELECT and SHOW QUERIES row
    --format json|csv        input format (default: from the file extension)

Output: a `query` block (SELECT ... FROM NAME ORDER BY key, window_start,
window_end) followed by a comment with the SHOW QUERIES row for that view.
Paste them into the .slt file (SHOW QUERIES rows are listed by name).
"""

import argparse
import csv
import datetime as dt
import json
import re
import signal
import sys
from collections import defaultdict

EPOCH = dt.datetime(1970, 1, 1)
INT_FIELDS = ("id", "auction", "bidder", "price")
FIELDS = ("id", "auction", "bidder", "price", "url", "date_time")


class BadRecord(Exception):
    pass


# ---------------------------------------------------------------- parsing

def parse_interval(text):
    """'10s', '10 seconds', '500ms', '2 minutes' -> milliseconds."""
    m = re.fullmatch(r"\s*(\d+)\s*([a-z]+)\s*", text.lower())
    if not m:
        raise ValueError(f"bad interval {text!r}")
    n, unit = int(m.group(1)), m.group(2)
    scale = {
        "ms": 1, "millisecond": 1, "milliseconds": 1,
        "s": 1000, "sec": 1000, "second": 1000, "seconds": 1000,
        "m": 60000, "min": 60000, "minute": 60000, "minutes": 60000,
        "h": 3600000, "hour": 3600000, "hours": 3600000,
    }.get(unit)
    if scale is None:
        raise ValueError(f"bad interval unit {unit!r}")
    return n * scale


def parse_ts(value):
    """'2024-01-01 00:00:07[.fff]' (naive, UTC) -> epoch milliseconds."""
    if not isinstance(value, str):
        raise BadRecord(f"date_time is not a string: {value!r}")
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?", value)
    if not m:
        raise BadRecord(f"bad timestamp {value!r}")
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    frac = (m.group(7) or "").ljust(9, "0")
    t = dt.datetime(y, mo, d, h, mi, s)
    delta = t - EPOCH
    ms = (delta.days * 86400 + delta.seconds) * 1000 + int(frac) // 1_000_000
    if int(frac) % 1_000_000:
        raise BadRecord("sub-millisecond timestamps are not supported by this oracle")
    return ms


def fmt_ts(ms):
    t = EPOCH + dt.timedelta(milliseconds=ms)
    text = t.strftime("%Y-%m-%d %H:%M:%S")
    if ms % 1000:
        text += f".{ms % 1000:03d}"
    return text


def to_int(name, value):
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadRecord(f"{name} is a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    raise BadRecord(f"{name} is not an integer: {value!r}")


def decode(obj):
    if not isinstance(obj, dict):
        raise BadRecord("record is not an object")
    row = {}
    for f in INT_FIELDS:
        row[f] = to_int(f, obj.get(f))
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        raise BadRecord("url is not a string")
    row["url"] = url
    if obj.get("date_time") is None:
        raise BadRecord("date_time is null")
    row["ts"] = parse_ts(obj["date_time"])
    return row


def read_rows(path, fmt=None):
    """Returns (good_rows, bad_lines). Each good row carries its 1-based line."""
    fmt = fmt or ("csv" if path.endswith(".csv") else "json")
    good, bad = [], []
    with open(path, newline="") as f:
        if fmt == "json":
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise BadRecord(f"invalid JSON: {e}")
                    row = decode(obj)
                except BadRecord as e:
                    bad.append((lineno, str(e)))
                    continue
                row["line"] = lineno
                good.append(row)
        else:
            reader = csv.reader(f)
            header = next(reader)
            for lineno, rec in enumerate(reader, 2):
                try:
                    if len(rec) != len(header):
                        raise BadRecord("wrong number of fields")
                    obj = {k: (v if v != "" else None) for k, v in zip(header, rec)}
                    row = decode(obj)
                except BadRecord as e:
                    bad.append((lineno, str(e)))
                    continue
                row["line"] = lineno
                good.append(row)
    return good, bad


# ---------------------------------------------------------------- watermark

def classify(rows, delay):
    """Marks each row with 'wm' (watermark before it, None = -inf) and 'late'."""
    wm = None
    for r in rows:
        r["wm"] = wm
        r["late"] = wm is not None and r["ts"] < wm
        cand = r["ts"] - delay
        if wm is None or cand > wm:
            wm = cand
    return rows


# ---------------------------------------------------------------- windows

def tumble_windows(ts, size):
    start = (ts // size) * size  # floor division: correct for negatives too
    return [(start, start + size)]


def hop_windows(ts, slide, size):
    out = []
    k = ts // slide  # last start <= ts
    while k * slide + size > ts:
        out.append((k * slide, k * slide + size))
        k -= 1
    return sorted(out)


def cumulate_windows(ts, step, max_size):
    assert max_size % step == 0, "max_size must be a multiple of step"
    base = (ts // max_size) * max_size
    return [(base, base + j * step) for j in range(1, max_size // step + 1) if base + j * step > ts]


def sessions(ts_list, gap):
    """Sorted event times -> list of (start, end, [indices]) sessions."""
    order = sorted(range(len(ts_list)), key=lambda i: ts_list[i])
    out = []
    for i in order:
        t = ts_list[i]
        if out and t - out[-1][2] < gap:  # overlaps the previous interval chain
            out[-1][1] = max(out[-1][1], t + gap)
            out[-1][2] = max(out[-1][2], t)
            out[-1][3].append(i)
        else:
            out.append([t, t + gap, t, [i]])
    return [(s, e, idx) for s, e, _, idx in out]


# ---------------------------------------------------------------- aggregation

AGGS = {
    "bids": ("count(*)", "I", lambda rs: len(rs)),
    "total": ("sum(price)", "I", lambda rs: _sum([r["price"] for r in rs])),
    "top": ("max(price)", "I", lambda rs: _ext(max, [r["price"] for r in rs])),
    "low": ("min(price)", "I", lambda rs: _ext(min, [r["price"] for r in rs])),
    "bidders": ("count(DISTINCT bidder)", "I",
                lambda rs: len({r["bidder"] for r in rs if r["bidder"] is not None})),
}


def _sum(vals):
    vals = [v for v in vals if v is not None]
    return sum(vals) if vals else None


def _ext(fn, vals):
    vals = [v for v in vals if v is not None]
    return fn(vals) if vals else None


def fmt_val(v):
    if v is None:
        return "NULL"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def window_groups(kind, rows, args, key):
    """-> dict {(key_value, start, end): [rows]} over the given (non-late, filtered) rows."""
    groups = defaultdict(list)
    if kind == "session":
        gap = parse_interval(args.gap)
        by_key = defaultdict(list)
        for r in rows:
            by_key[r[key] if key else None].append(r)
        for k, rs in by_key.items():
            for s, e, idx in sessions([r["ts"] for r in rs], gap):
                groups[(k, s, e)] = [rs[i] for i in idx]
        return groups
    for r in rows:
        if kind == "tumble":
            ws = tumble_windows(r["ts"], parse_interval(args.size))
        elif kind == "hop":
            ws = hop_windows(r["ts"], parse_interval(args.slide), parse_interval(args.size))
        elif kind == "cumulate":
            ws = cumulate_windows(r["ts"], parse_interval(args.step), parse_interval(args.max_size))
        else:
            raise ValueError(kind)
        for s, e in ws:
            groups[(r[key] if key else None, s, e)].append(r)
    return groups


def run_window(kind, args):
    delay = parse_interval(args.delay)
    rows, bad = read_rows(args.file, args.format)
    classify(rows, delay)
    key = None if args.key == "none" else args.key
    live = [r for r in rows if not r["late"]]
    if args.where_price_gt is not None:
        live = [r for r in live if r["price"] is not None and r["price"] > args.where_price_gt]
    groups = window_groups(kind, live, args, key)
    aggs = args.aggs.split(",")
    out = []
    for (k, s, e), rs in groups.items():
        if args.having_count_gt is not None and not len(rs) > args.having_count_gt:
            continue
        out.append(((k, s, e), [AGGS[a][2](rs) for a in aggs]))
    # ORDER BY key, window_start, window_end (no NULL keys in the test data)
    out.sort(key=lambda x: ((x[0][0] if x[0][0] is not None else -1), x[0][1], x[0][2]))

    cols = ([key] if key else []) + ["window_start", "window_end"] + aggs
    types = ("I" if key else "") + "TT" + "".join(AGGS[a][1] for a in aggs)
    order = ", ".join(([key] if key else []) + ["window_start", "window_end"])
    lines = [f"query {types}", f"SELECT {', '.join(cols)} FROM {args.view} ORDER BY {order}", "----"]
    for (k, s, e), vals in out:
        cells = ([fmt_val(k)] if key else []) + [fmt_ts(s), fmt_ts(e)] + [fmt_val(v) for v in vals]
        lines.append(" ".join(cells))
    print("\n".join(lines))
    late = sum(r["late"] for r in rows)
    print()
    print(f"# SHOW QUERIES row: {args.view} completed {len(rows)} {len(out)} {late} {len(bad)} infinity NULL")
    return out


def cmd_stats(args):
    delay = parse_interval(args.delay)
    rows, bad = read_rows(args.file, args.format)
    classify(rows, delay)
    late = [r for r in rows if r["late"]]
    print(f"rows_in={len(rows)} late_rows={len(late)} bad_rows={len(bad)}")
    for r in late:
        print(f"  late: line {r['line']} id={r['id']} ts={fmt_ts(r['ts'])} watermark={fmt_ts(r['wm'])}"
              f" behind_by={(r['wm'] + delay - r['ts']) / 1000:g}s")
    for lineno, why in bad:
        print(f"  bad: line {lineno}: {why}")


def cmd_rows(args):
    delay = parse_interval(args.delay)
    rows, bad = read_rows(args.file, args.format)
    classify(rows, delay)
    for r in rows:
        wm = "-inf" if r["wm"] is None else fmt_ts(r["wm"])
        behind = 0 if r["wm"] is None else max(0, (r["wm"] + delay - r["ts"]) / 1000)
        tag = "LATE" if r["late"] else ("ooo " if behind > 0 else "    ")
        print(f"line {r['line']:3d} id={r['id']!s:>3} a={r['auction']} ts={fmt_ts(r['ts'])} "
              f"wm={wm:19s} behind={behind:>4g}s {tag}")
    for lineno, why in bad:
        print(f"line {lineno:3d} BAD {why}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("command", choices=["rows", "stats", "tumble", "hop", "cumulate", "session"])
    p.add_argument("file")
    p.add_argument("--delay", default="2s")
    p.add_argument("--format", choices=["json", "csv"])
    p.add_argument("--key", default="auction")
    p.add_argument("--aggs", default="bids,total,top,low")
    p.add_argument("--where-price-gt", type=int)
    p.add_argument("--having-count-gt", type=int)
    p.add_argument("--view", default="v")
    p.add_argument("--size")
    p.add_argument("--slide")
    p.add_argument("--step")
    p.add_argument("--max-size")
    p.add_argument("--gap")
    args = p.parse_args(argv)
    if args.command == "stats":
        cmd_stats(args)
    elif args.command == "rows":
        cmd_rows(args)
    else:
        need = {"tumble": ["size"], "hop": ["slide", "size"], "cumulate": ["step", "max_size"], "session": ["gap"]}
        for n in need[args.command]:
            if getattr(args, n) is None:
                p.error(f"{args.command} needs --{n.replace('_', '-')}")
        run_window(args.command, args)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under `| head`
    main()
