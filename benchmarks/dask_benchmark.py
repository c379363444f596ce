#!/usr/bin/python3
"""Replays generated cases on one process and on a local Dask cluster
(issue 18): cases/s each way, and the cluster's overhead per partition.

    PYTHONPATH=build-bench/python /usr/bin/python3 benchmarks/dask_benchmark.py \\
        --cases=1000000 --files=20 --workers=2

Generates the cases once into --dir (examples/cases/generate_cases.py, fixed
seed; ~0.7 KB each), then simulates the service playbook over them:

  one process, 1 thread   tact.simulation.simulate_part per file + merge
  one process, N threads  the same with C++ threads (threads=N)
  Dask, N workers         tact.dask.simulate on a LocalCluster of N worker
                          processes with one thread each, one partition per
                          file

and checks that every way gives the same result. The overhead per partition
is measured apart: the same cluster over --files x 20 partitions of one case
each, (wall time) / partitions. Prints a Markdown table.
"""

import argparse
import importlib.util
import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
POLICY = os.path.join(REPO, "examples", "policies", "service_playbook.textproto")


def generate(count, files, folder):
    """`count` cases in `files` JSON Lines files under `folder` (reused when
    already there with the same count)."""
    os.makedirs(folder, exist_ok=True)
    paths = [os.path.join(folder, f"cases_{i:03d}.jsonl") for i in range(files)]
    stamp = os.path.join(folder, "COUNT")
    if os.path.exists(stamp) and open(stamp).read() == f"{count} {files}":
        return paths
    spec = importlib.util.spec_from_file_location(
        "generate_cases", os.path.join(REPO, "examples", "cases", "generate_cases.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    rng = random.Random(18)
    per_file = -(-count // files)
    n = 0
    for path in paths:
        with open(path, "w") as out:
            for _ in range(min(per_file, count - n)):
                n += 1
                out.write(json.dumps(gen.make_case(rng, n), separators=(",", ":"),
                                     sort_keys=True))
                out.write("\n")
    with open(stamp, "w") as f:
        f.write(f"{count} {files}")
    return paths


def one_process(engine, paths, threads):
    from tact.simulation import merge, simulate_part
    parts = []
    for path in paths:
        with open(path) as f:
            parts.append(simulate_part(engine, f.read().split("\n"), threads=threads))
    return merge(parts)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dir", default="/tmp/tact-dask-bench")
    args = parser.parse_args(argv)

    import dask.bag
    import distributed

    import tact
    import tact.dask

    paths, gen_s = timed(lambda: generate(args.cases, args.files, args.dir))
    print(f"cases: {args.cases:,} in {args.files} files under {args.dir} "
          f"({sum(os.path.getsize(p) for p in paths) / 2**20:.0f} MiB; {gen_s:.0f} s)",
          file=sys.stderr)
    engine = tact.Engine.from_file(POLICY)
    rows = []
    single, t1 = timed(lambda: one_process(engine, paths, 1))
    rows.append(("one process, 1 thread", t1))
    threaded, tn = timed(lambda: one_process(engine, paths, args.workers))
    rows.append((f"one process, {args.workers} threads", tn))
    assert threaded == single
    with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                  processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        with open(paths[0]) as f:
            one = f.readline()
        # Every worker compiles the engine and imports tact before timing.
        warm = dask.bag.from_sequence([one] * 4 * args.workers, npartitions=4 * args.workers)
        tact.dask.simulate(engine, warm, client=client)
        spread, td = timed(lambda: tact.dask.simulate(engine, paths, client=client))
        rows.append((f"Dask, {args.workers} workers x 1 thread", td))
        assert spread == single
        partitions = args.files * 20
        bag = dask.bag.from_sequence([one] * partitions, npartitions=partitions)
        tact.dask.simulate(engine, bag, client=client)
        _, tp = timed(lambda: tact.dask.simulate(engine, bag, client=client))
    cases = single["lines"]
    print(f"| how | wall time | cases/s | vs one thread |")
    print(f"|---|---:|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} s | {cases / seconds:,.0f} | "
              f"{t1 / seconds:.2f}x |")
    print()
    print(f"overhead per partition: {tp / partitions * 1000:.1f} ms "
          f"({partitions} one-case partitions in {tp:.2f} s on {args.workers} workers)")
    print(f"all {len(rows)} results equal; {cases:,} cases, "
          f"{single['errors']['count']} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
