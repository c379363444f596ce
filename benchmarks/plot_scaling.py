#!/usr/bin/env python3
"""Draws time per decision against the number of rules, as an SVG.

Usage: benchmarks/plot_scaling.py BENCHMARK_JSON OUT_SVG

BENCHMARK_JSON is Google Benchmark's --benchmark_out (JSON format) of
decide_benchmark run with repetitions; the medians of BM_DecideInto/<rules>
(one reused Decision, the embedding fast path) and BM_Decide/<rules> (a new
Decision each time) are plotted on log-log axes with the issue's targets
for comparison. Standard
library only, so it runs on any machine that ran the benchmark.
"""
import json
import math
import sys

TARGETS_US = {100: 2.0, 1000: 10.0, 10000: 50.0}


SERIES = (("BM_DecideInto", "DecideInto (reused Decision)", "#1f77b4"),
          ("BM_Decide", "Decide (new Decision)", "#7f7f7f"))


def medians(path, prefix):
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        name = b["name"]
        if not name.startswith(prefix + "/") or not name.endswith("_median"):
            continue
        rules = int(name.split("/")[1].split("_")[0])
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
        out[rules] = b["real_time"] * scale
    return dict(sorted(out.items()))


def svg(series):
    width, height, left, right, top, bottom = 640, 400, 70, 20, 40, 50
    every = [p for _, _, points in series for p in points.items()] + list(TARGETS_US.items())
    xs = [math.log10(r) for r, _ in every]
    ys = [math.log10(v) for _, v in every]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))

    def px(x):
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y):
        return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">'
        'tact: time per decision vs rules (median, log-log)</text>',
    ]
    for e in range(x0, x1 + 1):
        x = px(e)
        parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{height - bottom}" stroke="#ddd"/>')
        parts.append(f'<text x="{x}" y="{height - bottom + 16}" text-anchor="middle">{10 ** e:,}</text>')
    for e in range(y0, y1 + 1):
        y = py(e)
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{10 ** e:g} µs</text>')
    parts.append(f'<text x="{width / 2}" y="{height - 12}" text-anchor="middle">rules in the policy</text>')
    for k, (label, color, points) in enumerate(series):
        line = " ".join(f"{px(math.log10(r))},{py(math.log10(v))}" for r, v in points.items())
        parts.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>')
        last = max(points)
        for r, v in points.items():
            x, y = px(math.log10(r)), py(math.log10(v))
            parts.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{color}"/>')
            # The first series (the faster) labels below its points, the
            # others above; the rightmost label ends at its point.
            dy = 18 if k == 0 else -8
            anchor, dx = ("end", -8) if r == last else ("start", 8)
            parts.append(f'<text x="{x + dx}" y="{y + dy}" text-anchor="{anchor}" '
                         f'fill="{color}">{v:.1f} µs</text>')
        parts.append(f'<text x="{left + 10}" y="{top + 14 + 16 * k}" fill="{color}">{label}</text>')
    for r, v in TARGETS_US.items():
        x, y = px(math.log10(r)), py(math.log10(v))
        parts.append(f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="none" stroke="#d62728" stroke-width="2"/>')
    parts.append(f'<text x="{left + 10}" y="{top + 14 + 16 * len(series)}" fill="#d62728">target (issue 6)</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    series = [(label, color, medians(sys.argv[1], prefix)) for prefix, label, color in SERIES]
    series = [s for s in series if s[2]]
    if not series:
        sys.exit("no BM_Decide*/<rules>_median entries; run with --benchmark_repetitions")
    with open(sys.argv[2], "w") as f:
        f.write(svg(series))


if __name__ == "__main__":
    main()
