#!/usr/bin/env python3
"""Turns the JSON lines of one scripts/bench.sh run into docs/benchmarks.md's
result tables and a bar chart (SVG, standard library only).

usage: report.py RESULTS.jsonl MACHINE.txt OUT.md OUT.svg
"""
import json
import sys

WORKLOADS = [
    ("q0", "Nexmark q0: pass-through"),
    ("q1", "Nexmark q1: projection (currency conversion)"),
    ("q2", "Nexmark q2: filter (auction % 123 = 0)"),
    ("tumble", "10 s tumbling window per auction: count, max(price)"),
    ("hop", "q5-style hopping window (10 s every 2 s) per auction: count"),
]


def fmt(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def check_text(run, facts):
    """Compares a run's own counts with the facts computed from the rows."""
    check = run.get("check") or {}
    expected = {
        "q0": ("rows_out", facts["events"]),
        "q1": ("rows_out", facts["events"]),
        "q2": ("rows_out", facts["q2_rows"]),
        "tumble": ("windows", facts["tumble_windows"]),
        "hop": ("windows", facts["hop_windows"]),
    }[run["workload"]]
    key, want = expected
    if key not in check:
        return "not checked"
    got = check[key]
    mark = "ok" if got == want else "MISMATCH"
    return f"{mark}: {key} {got:,} (expected {want:,})"


def main():
    results_path, machine_path, md_path, svg_path = sys.argv[1:5]
    rows = [json.loads(line) for line in open(results_path) if line.strip()]
    facts = next(r for r in rows if "q2_rows" in r)
    load = next(r for r in rows if "loaded" in r)
    baseline = next(r for r in rows if r.get("system") == "baseline")
    by = {(r.get("system"), r.get("workload")): r for r in rows}
    out = []
    out.append(f"Data: {load['loaded']:,} Nexmark bids (JSON, keyed by auction) in a "
               f"{load['partitions']}-partition topic.\n")
    out.append(open(machine_path).read().strip() + "\n")
    out.append("| workload | system | events/s | CPU-s per M events | peak RSS (MiB) | emit latency p50 / p99 (ms) | check |")
    out.append("|---|---|---|---|---|---|---|")
    b = baseline
    out.append(f"| (any) | raw consume + arrow-json decode | {fmt(b['events_per_second'])} | "
               f"{fmt(b['cpu_seconds'] / b['events'] * 1e6, 2)} | {fmt(b['peak_rss_mb'])} | – | {b['events']:,} rows |")
    chart = []
    for key, title in WORKLOADS:
        for system in ("eddy", "flink"):
            r = by.get((system, key))
            if r is None:
                out.append(f"| {key} | {system} | not run | | | | |")
                continue
            latency = "–"
            if r.get("latency_p50_ms") is not None:
                latency = f"{r['latency_p50_ms']:.1f} / {r['latency_p99_ms']:.1f}"
            cpu = r.get("cpu_seconds")
            check = check_text(r, facts)
            out.append(f"| {key} | {system} | {fmt(r['events_per_second'])} | "
                       f"{fmt(cpu / r['events'] * 1e6 if cpu is not None else None, 2)} | "
                       f"{fmt(r.get('peak_rss_mb'))} | {latency} | {check} |")
            chart.append((key, system, r["events_per_second"]))
    out.append("")
    out.append("| workload | Eddy / baseline (events/s) | Eddy / Flink (events/s) | Eddy / Flink (peak RSS) |")
    out.append("|---|---|---|---|")
    for key, title in WORKLOADS:
        e, f = by.get(("eddy", key)), by.get(("flink", key))
        out.append(f"| {key} — {title} | {ratio(e and e['events_per_second'], b['events_per_second'])} | "
                   f"{ratio(e and e['events_per_second'], f and f['events_per_second'])} | "
                   f"{ratio(e and e.get('peak_rss_mb'), f and f.get('peak_rss_mb'))} |")
    out.append("")
    open(md_path, "w").write("\n".join(out) + "\n")
    write_svg(svg_path, chart, b["events_per_second"])


def write_svg(path, chart, baseline):
    width, bar_h, gap, left = 760, 18, 6, 120
    peak = max([v for _, _, v in chart] + [baseline])
    colors = {"eddy": "#2b7bb9", "flink": "#e07b39"}
    y = 40
    parts = [f'<text x="{left}" y="20" font-size="14" font-family="sans-serif">'
             'events per second (higher is better); dashed: raw consume baseline</text>']
    for key, system, value in chart:
        w = (width - left - 120) * value / peak
        parts.append(f'<text x="5" y="{y + 13}" font-size="12" font-family="sans-serif">{key} {system}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colors[system]}"/>')
        parts.append(f'<text x="{left + w + 5:.1f}" y="{y + 13}" font-size="11" '
                     f'font-family="sans-serif">{value:,.0f}</text>')
        y += bar_h + gap
    bx = left + (width - left - 120) * baseline / peak
    parts.append(f'<line x1="{bx:.1f}" y1="30" x2="{bx:.1f}" y2="{y}" stroke="#444" stroke-dasharray="4,3"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y + 10}" '
           f'style="background:#fff">' + "".join(parts) + "</svg>\n")
    open(path, "w").write(svg)


if __name__ == "__main__":
    main()
