"""tact.dask: simulate, replay and run policy tests on a Dask cluster.

Optional: `import tact` never imports Dask; this module needs Dask's
distributed scheduler (Debian: python3-dask, python3-distributed).

Deciding is embarrassingly parallel; this module runs it on the cluster
people already operate for such work. The cases are cut into partitions
(a Dask bag, or JSON Lines files: one partition per file, or per
`blocksize` bytes of one); each partition is simulated on a worker, its
decisions made in C++ with the GIL released (so a worker's threads decide
partitions side by side), and the partial totals are merged on the client
into exactly the result one machine gives over the same cases in the same
order (tact.simulation.merge: same keys, same numbers, same listed cases in
the same order, line numbers counted across the files):

    from distributed import Client
    import tact, tact.dask

    client = Client("tcp://scheduler:8786")
    policy = tact.Engine.from_file("policies/new.textproto")
    today = tact.Engine.from_file("policies/current.textproto")
    result = tact.dask.simulate(policy, ["cases/2024.jsonl", "cases/2025.jsonl"],
                                baseline=today, client=client)
    result["changed"]["by_kind"]["params"]      # as engine.simulate() gives it

Engines travel as their compiled policy and compile options (tact.Engine
pickles so) and are compiled once per worker process. Files are read by the
workers, and the client looks at them too (that they exist, their sizes to
cut blocks): their paths must name the same files on both (a shared or
copied file system). A worker lost mid-run costs only its partitions, which Dask
runs again elsewhere; the result is the same.

From a shell, as `tact simulate --json` prints it:

    python3 -m tact.dask simulate --scheduler=tcp://scheduler:8786 \\
        --policy=policies/new.textproto --baseline=policies/current.textproto \\
        cases/2024.jsonl cases/2025.jsonl
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence, Union

import dask
import dask.bag

from . import simulation as _simulation
from . import testing as _testing
from .decision_log import ReplayReport, replay as _replay
from .engine import Engine

__all__ = ["read_cases", "simulate", "replay", "run_suites", "check"]

PathLike = Union[str, "os.PathLike[str]"]
Cases = Union[dask.bag.Bag, PathLike, Sequence[PathLike]]

# Partitions of files: about this many bytes each (~90,000 cases of the
# sample's size), so one huge file is not one partition held in memory.
DEFAULT_BLOCKSIZE = 64 << 20


def read_cases(paths: Union[PathLike, Sequence[PathLike]], *,
               blocksize: Optional[int] = DEFAULT_BLOCKSIZE) -> dask.bag.Bag:
    """JSON Lines files as a bag of lines, in file order: one partition per
    about `blocksize` bytes of a file, cut at line ends (None: one per
    file). The workers read the files; bytes that are not UTF-8 come through
    (surrogate-escaped) to be reported as `tact simulate` reports them."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(p) for p in paths]
    if not paths:
        raise ValueError("no case files given")
    for path in paths:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: no such case file")
    if blocksize is not None and (type(blocksize) is not int or blocksize < 1):
        raise ValueError(f"blocksize must be a positive int of bytes, not {blocksize!r}")
    if blocksize is not None and all(os.path.getsize(p) == 0 for p in paths):
        blocksize = None  # Dask finds no blocks in empty files: one (empty) each
    lines = dask.bag.read_text(paths, blocksize=blocksize, linedelimiter="\n",
                               encoding="utf-8", errors="surrogateescape")
    return lines.map(_chomp)


def _chomp(line: str) -> str:
    # A line as `tact simulate` reads it: without its "\n" (a "\r" stays).
    return line[:-1] if line.endswith("\n") else line


def _as_bag(cases: Cases, blocksize: Optional[int]) -> dask.bag.Bag:
    if isinstance(cases, dask.bag.Bag):
        return cases  # partitioned already: blocksize is for files
    return read_cases(cases, blocksize=blocksize)


def _compute(collection: Any, client: Any) -> Any:
    """Computes on `client` (a distributed.Client), or else on the current
    client or Dask's default scheduler."""
    if client is not None:
        return client.compute(collection, sync=True)
    return collection.compute()


def _simulate_partition(cases: Any, engine: Engine, baseline: Optional[Engine],
                        options: Dict[str, Any]) -> List[Dict[str, Any]]:
    # On a worker: one partition's part, decided with the GIL released.
    return [_simulation.simulate_part(engine, cases, baseline=baseline, **options)]


def simulate(engine: Engine, cases: Cases, *, baseline: Optional[Engine] = None,
             client: Any = None, blocksize: Optional[int] = DEFAULT_BLOCKSIZE,
             authority: Optional[str] = None, threads: int = 1,
             max_listed_errors: int = 20, max_listed_changes: int = 1000,
             cost_share: Optional[float] = None, max_listed_costly: int = 100,
             policy_label: str = "", baseline_label: str = "",
             timeout: Optional[float] = None) -> Dict[str, Any]:
    """engine.simulate() over `cases` on a Dask cluster: the same result,
    with the same options, as one process deciding every case in order.

    `cases`: a dask.bag.Bag of contexts (JSON Lines strings, dicts, bytes,
    messages: whatever engine.simulate() takes; positions count across the
    partitions in order), or a JSON Lines file or a list of them, cut into
    partitions of about `blocksize` bytes (None: one per file; see
    read_cases(); line numbers count across the files, as if they were one).
    `client`: a distributed.Client (None: the current one, else Dask's
    default scheduler). `threads`: C++ threads per partition (default 1:
    the worker's own threads run partitions side by side). `timeout`
    applies to each partition.

    Raises ValueError when a partition's part does not merge (e.g. a bag
    mixing policies), and whatever a partition raised (e.g. a file a worker
    cannot read).
    """
    if not isinstance(engine, Engine):
        raise TypeError(f"engine must be a tact.Engine, not {type(engine).__name__}")
    if baseline is not None and not isinstance(baseline, Engine):
        raise TypeError(f"baseline must be a tact.Engine, not {type(baseline).__name__}")
    engine._authority(authority)  # a bad authority fails here, not on a worker
    if baseline is not None:
        baseline._authority(authority)
    options = dict(authority=authority, threads=threads,
                   max_listed_errors=max_listed_errors,
                   max_listed_changes=max_listed_changes, cost_share=cost_share,
                   policy_label=policy_label, baseline_label=baseline_label,
                   timeout=timeout)
    bag = _as_bag(cases, blocksize)
    # The engines as tasks of their own: each worker unpickles (compiles)
    # them once, not once per partition.
    parts = bag.map_partitions(_simulate_partition, dask.delayed(engine),
                               None if baseline is None else dask.delayed(baseline),
                               options)
    return _simulation.merge(_compute(parts, client),
                             max_listed_errors=max_listed_errors,
                             max_listed_changes=max_listed_changes,
                             max_listed_costly=max_listed_costly)


def replay(engine: Engine, logs: Sequence[PathLike], *,
           client: Any = None) -> List[ReplayReport]:
    """tact.replay() of each decision log in `logs` on the cluster, one log
    per task: the reports in the order of `logs`. The workers read the
    logs."""
    if not isinstance(engine, Engine):
        raise TypeError(f"engine must be a tact.Engine, not {type(engine).__name__}")
    paths = [os.fspath(p) for p in ([logs] if isinstance(logs, (str, os.PathLike)) else logs)]
    shared = dask.delayed(engine)
    reports = [dask.delayed(_replay, pure=True)(shared, path) for path in paths]
    if client is not None:
        return list(client.compute(reports, sync=True))
    return list(dask.compute(*reports))


def run_suites(paths: Union[PathLike, Sequence[PathLike]], *, client: Any = None,
               authority: Optional[str] = None) -> List[_testing.SuiteResult]:
    """tact.testing.run_suites() at scale: every suite file at `paths` (each
    a suite or a directory searched as `tact test` does) runs as its own
    task on the cluster, without keeping decisions. The results come back
    in the order tact.testing.run_suites() gives them, path by path."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = [f for p in paths for f in _testing._files(p)]
    tasks = [dask.delayed(_testing.run_suites, pure=True)(f, authority=authority,
                                                           keep_decisions=False)
             for f in files]
    if client is not None:
        results = client.compute(tasks, sync=True)
    else:
        results = dask.compute(*tasks)
    return [suite for suites in results for suite in suites]


def check(paths: Union[PathLike, Sequence[PathLike]], *, client: Any = None,
          authority: Optional[str] = None) -> List[_testing.CaseResult]:
    """tact.testing.check() at scale (run_suites() on the cluster): the
    cases when all passed, else AssertionError listing every failing case
    and suite as `tact test` prints them."""
    return _testing._check_suites(run_suites(paths, client=client, authority=authority))


# --- python3 -m tact.dask simulate ... -------------------------------------------

_USAGE = """python3 -m tact.dask simulate --policy=FILE [--baseline=FILE]
       (--scheduler=ADDRESS | --local-workers=N) [options] CASES.jsonl...

`tact simulate` on a Dask cluster: decides every case of the JSON Lines files
(line numbers count across them, in the order given) on the cluster's workers
and prints the result as `tact simulate --json` writes it. The workers read
the files and the scheduler must be reachable (e.g. tcp://10.0.0.5:8786, as
`dask-scheduler` prints it); --local-workers=N starts a cluster of N worker
processes on this machine instead."""


def _labels(policy: Engine, policy_path: str, baseline: Engine,
            baseline_path: str) -> "tuple[str, str]":
    """The names `tact simulate` gives the two policies: name@version, and
    the file names too when both have the same."""
    ours = f"{policy.policy_name}@{policy.policy_version}"
    theirs = f"{baseline.policy_name}@{baseline.policy_version}"
    if ours != theirs:
        return ours, theirs
    ours, theirs = f"{ours} ({policy_path})", f"{theirs} ({baseline_path})"
    if policy_path == baseline_path:
        ours, theirs = f"{ours} (policy)", f"{theirs} (baseline)"
    return ours, theirs


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The command line; returns the exit status as `tact simulate`: 0 ran,
    1 a policy or file error, 2 a usage error, 4 the --fail-on gate failed."""
    import argparse
    import json
    import re
    import sys

    parser = argparse.ArgumentParser(prog="python3 -m tact.dask", usage=_USAGE)
    commands = parser.add_subparsers(dest="command", required=True)
    sim = commands.add_parser("simulate", usage=_USAGE)
    sim.add_argument("cases", nargs="+", help="JSON Lines case files")
    sim.add_argument("--policy", required=True)
    sim.add_argument("--baseline")
    where = sim.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="the Dask scheduler's address")
    where.add_argument("--local-workers", type=int,
                       help="start a local cluster of this many worker processes")
    sim.add_argument("--authority")
    sim.add_argument("--cost-share", help="a percentage, e.g. 5 or 2.5%%")
    sim.add_argument("--fail-on", choices=sorted(_simulation.GATES))
    sim.add_argument("--blocksize", type=int, default=DEFAULT_BLOCKSIZE,
                     help="cut files into partitions of about this many bytes "
                          "(default: 64 MiB)")
    sim.add_argument("--json", help="also write the result to this file")
    args = parser.parse_args(argv)
    if args.fail_on and not args.baseline:
        parser.error("--fail-on needs --baseline: it gates the diff")
    if args.local_workers is not None and args.local_workers < 1:
        parser.error(f"--local-workers={args.local_workers}: at least 1")
    if args.blocksize is not None and args.blocksize < 1:
        parser.error(f"--blocksize={args.blocksize}: a positive number of bytes")
    cost_share = None
    if args.cost_share is not None:
        # As `tact simulate --cost-share`: a plain decimal, 0 or at least
        # 0.000001, with an optional %.
        text = args.cost_share[:-1] if args.cost_share.endswith("%") else args.cost_share
        try:
            cost_share = float(text) if re.fullmatch(r"[0-9.]+", text) else -1.0
        except ValueError:
            cost_share = -1.0
        if cost_share < 0 or 0 < cost_share < 0.000001:
            parser.error(f"--cost-share={args.cost_share}: expected a percentage, "
                         "0 or at least 0.000001 (e.g. 5 or 2.5%)")

    from distributed import Client, LocalCluster
    from .errors import PolicyError

    try:
        policy = Engine.from_file(args.policy)
        baseline = Engine.from_file(args.baseline) if args.baseline else None
    except PolicyError as e:
        print(f"tact.dask: {e}", file=sys.stderr)
        return 1
    labels = ("", "")
    if baseline is not None:
        labels = _labels(policy, args.policy, baseline, args.baseline)
    cluster = None
    try:
        if args.scheduler:
            client = Client(args.scheduler)
        else:
            cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1,
                                   processes=True, dashboard_address=":0")
            client = Client(cluster)
        with client:
            result = simulate(policy, args.cases, baseline=baseline, client=client,
                              blocksize=args.blocksize, authority=args.authority,
                              cost_share=cost_share, policy_label=labels[0],
                              baseline_label=labels[1])
    except (OSError, ValueError) as e:
        print(f"tact.dask: {e}", file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            cluster.close()
    text = json.dumps(_simulation.cli_errors(result), indent=2, sort_keys=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    print(text)
    if args.fail_on and _simulation.fails_gate(result, args.fail_on):
        print(f"tact.dask: the diff fails --fail-on={args.fail_on}", file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    # Run as `python3 -m tact.dask`: the functions the workers run must be
    # tact.dask's, not this __main__ copy's.
    import sys as _sys
    from tact.dask import main as _main
    _sys.exit(_main())
