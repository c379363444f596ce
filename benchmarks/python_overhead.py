#!/usr/bin/env python3
"""Python's cost over C++ for one decision, on the shipped service playbook.

Usage: PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/python_overhead.py

Times engine.decide() with a dict (also reading the decision's actions, and
every attribute), a JSON string, proto bytes and a message,
and decide_many() over the same contexts with 1 and 2 threads, over the
example cases examples/contexts/playbook_*.json (in case-id order, as the C++
benchmark BM_ServicePlaybook does). Prints microseconds per decision; the
C++ figure to subtract is BM_ServicePlaybook's.

With --loop=N it only decides N rounds over the dicts after a warm-up, for
instruction counts: run it under callgrind with N=0 and N=100 and subtract
(benchmarks/README.md, "Python overhead (issue 19)").
"""
import json
import pathlib
import statistics
import sys
import time

from google.protobuf import json_format

import tact
from tact.v1 import context_pb2

ROOT = pathlib.Path(__file__).resolve().parent.parent


def per_call_us(fn, inputs, repeat=7, rounds=300):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(rounds):
            for x in inputs:
                fn(x)
        samples.append((time.perf_counter() - start) / (rounds * len(inputs)) * 1e6)
    return statistics.median(samples)


def main():
    engine = tact.Engine.from_file(str(ROOT / "examples/policies/service_playbook.textproto"))
    texts = [p.read_text() for p in sorted((ROOT / "examples/contexts").glob("playbook_*.json"))]
    dicts = [json.loads(t) for t in texts]
    dicts.sort(key=lambda d: d.get("case", {}).get("id", ""))
    loop = [a for a in sys.argv[1:] if a.startswith("--loop=")]
    if loop:
        for d in dicts * 20:  # warm-up
            engine.decide(d)
        decide = engine.decide
        for _ in range(int(loop[-1][len("--loop="):])):
            for d in dicts:
                decide(d)
        return 0
    texts = [json.dumps(d) for d in dicts]
    messages = []
    for t in texts:
        m = context_pb2.Context()
        json_format.Parse(t, m)
        messages.append(m)
    blobs = [m.SerializeToString() for m in messages]
    print(f"{'input':<22}{'us/decision':>12}")
    attributes = ("policy_name", "policy_version", "policy_hash", "now", "actions",
                  "blocked", "effects", "trace", "needs_approval", "flags",
                  "total_cost", "total_agent_minutes", "construct_trace",
                  "service_levels")

    def read_all(context):
        decision = engine.decide(context)
        for name in attributes:
            getattr(decision, name)

    for name, fn, inputs in [
        ("decide(dict)", engine.decide, dicts),
        # Decision attributes are built on first read: what reading costs.
        ("  + .actions", lambda d: engine.decide(d).actions, dicts),
        ("  + every attribute", read_all, dicts),
        ("decide(json str)", engine.decide, texts),
        ("decide(bytes)", engine.decide, blobs),
        ("decide(message)", engine.decide, messages),
    ]:
        print(f"{name:<22}{per_call_us(fn, inputs):>12.2f}")
    batch = dicts * 200
    for threads in (1, 2):
        start = time.perf_counter()
        engine.decide_many(batch, threads=threads)
        us = (time.perf_counter() - start) / len(batch) * 1e6
        print(f"{f'decide_many x{threads}':<22}{us:>12.2f}")


if __name__ == "__main__":
    sys.exit(main())
