"""tact against the hand-written loop, from decide_benchmark's JSON output.

Reads the file --benchmark_out wrote (BM_RuleTable_Tact, _HandLoop,
_TactJson and _HandLoopJson; run with --benchmark_repetitions to get
medians, else the single runs are used) and prints a markdown table:
rules | tact | loop | ratio tact/loop | tact JSON-in | loop JSON-in | ratio.
Times are CPU time per decision (one benchmark thread: wall time minus the
time the thread was not running, which on a shared machine is the steadier
figure); --real uses wall time.

Usage: /usr/bin/python3 benchmarks/rule_table_ratio.py [--real] bench.json
"""

import json
import re
import sys

_UNITS = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
_NAME = re.compile(r"^BM_RuleTable_(Tact|HandLoop|TactJson|HandLoopJson)/(\d+)")


def read_times(benchmarks, field="cpu_time"):
    """{(kind, rules): microseconds}: medians if present, else the runs' mean."""
    medians, runs = {}, {}
    for b in benchmarks:
        m = _NAME.match(b.get("run_name", b["name"]))
        if not m or b.get("error_occurred"):
            continue
        key = (m.group(1), int(m.group(2)))
        us = b[field] * _UNITS[b.get("time_unit", "ns")]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[key] = us
        else:
            runs.setdefault(key, []).append(us)
    times = {k: sum(v) / len(v) for k, v in runs.items()}
    times.update(medians)
    return times


def fmt(us):
    if us is None:
        return "–"
    return f"{us:.3g}" if us < 100 else f"{us:.0f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b else "–"


def table(times):
    sizes = sorted({rules for _, rules in times})
    lines = [
        "| rules | tact µs | loop µs | ratio tact/loop "
        "| tact JSON-in µs | loop JSON-in µs | ratio JSON-in |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        t, h = times.get(("Tact", n)), times.get(("HandLoop", n))
        tj, hj = times.get(("TactJson", n)), times.get(("HandLoopJson", n))
        lines.append(
            f"| {n:,} | {fmt(t)} | {fmt(h)} | {ratio(t, h)} "
            f"| {fmt(tj)} | {fmt(hj)} | {ratio(tj, hj)} |"
        )
    return "\n".join(lines)


def main(argv):
    field = "real_time" if "--real" in argv else "cpu_time"
    args = [a for a in argv[1:] if a != "--real"]
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    with open(args[0], encoding="utf-8") as f:
        times = read_times(json.load(f)["benchmarks"], field)
    if not times:
        sys.stderr.write(f"{args[0]}: no BM_RuleTable_* results\n")
        return 1
    print(table(times))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
