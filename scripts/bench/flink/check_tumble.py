#!/usr/bin/env python3
"""Checks Flink's tumble results against an independent computation.

Recomputes the bids that `FlinkSqlRunner --produce N` writes (the same
generator, written again here in plain Python) and from them the expected
results: every (auction, 10 s window) with its count and max price, and the
row counts of q2 and the hop workload. Compares them with the rows of
queries/tumble_to_kafka.sql's output topic, one JSON object per line (as
`run.sh --consume --topic OUT` prints them).

usage: check_tumble.py --events N [TUMBLE_ROWS.jsonl | -]
Exits 1 on any mismatch.
"""
import argparse
import json
import sys
from datetime import datetime

MASK = (1 << 64) - 1
SEED = 42  # Bids.SEED
BASE = datetime(2024, 1, 1)


def splitmix64(x):
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def bids(n):
    """(auction, price, event time in ms since BASE) of bid 0..n-1, as Bids.bid makes them."""
    for i in range(n):
        h = splitmix64(SEED + i)
        yield 1000 + h % 1000, 100 + (h >> 32) % 99_901, i


def ms(text):
    """A window bound in Flink's SQL timestamp style ("2024-01-01 00:00:10" or "... .000")."""
    fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in text else "%Y-%m-%d %H:%M:%S"
    return round((datetime.strptime(text, fmt) - BASE).total_seconds() * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("rows", nargs="?", help="Flink's tumble rows, JSON lines ('-' for stdin)")
    args = parser.parse_args()

    tumble = {}  # (auction, window start ms) -> [count, max price]
    hop = set()
    q2 = 0
    for auction, price, t in bids(args.events):
        q2 += auction % 123 == 0
        w = tumble.setdefault((auction, t - t % 10_000), [0, 0])
        w[0] += 1
        w[1] = max(w[1], price)
        last = t - t % 2_000
        hop.update((auction, last - k * 2_000) for k in range(5))
    print(json.dumps({"events": args.events, "q2_rows": q2, "tumble_windows": len(tumble), "hop_windows": len(hop)}))
    if args.rows is None:
        return 0

    got = {}
    for line in open(args.rows) if args.rows != "-" else sys.stdin:
        if line.strip():
            r = json.loads(line)
            start, end = ms(r["window_start"]), ms(r["window_end"])
            assert end - start == 10_000, r
            key = (r["auction"], start)
            if key in got:
                print(f"duplicate window {key}")
            got[key] = [r["bids"], r["top"]]
    missing = sorted(set(tumble) - set(got))
    extra = sorted(set(got) - set(tumble))
    wrong = sorted(k for k in set(got) & set(tumble) if got[k] != tumble[k])
    for name, keys in (("missing", missing), ("unexpected", extra), ("wrong", wrong)):
        for k in keys[:5]:
            print(f"{name}: auction {k[0]} window {k[1]} ms: flink {got.get(k)} expected {tumble.get(k)}")
    for k in sorted(got)[:3] + sorted(got)[-1:]:
        want = tumble.get(k, [None, None])
        print(f"sample: auction {k[0]}, window at {k[1] / 1000:g} s: count {got[k][0]} (expected {want[0]}), "
              f"max price {got[k][1]} (expected {want[1]})")
    ok = not (missing or extra or wrong) and len(got) == len(tumble)
    print(f"tumble check: {len(got)} windows from Flink, {len(tumble)} expected, "
          f"{len(missing)} missing, {len(extra)} unexpected, {len(wrong)} wrong: {'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
