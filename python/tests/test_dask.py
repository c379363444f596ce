"""tact.dask on a real Dask cluster (issue 18): a scheduler and two worker
processes on loopback, the sample cases split into files, the result equal
to one machine's (and to `tact simulate --json`), a worker killed mid-run
survived, decision logs replayed and policy suites run on the workers."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import tact

if os.environ.get("TACT_REQUIRE_DASK") == "1":
    import dask  # noqa: F401  (the test command installs Dask: never skip there)
    import distributed  # noqa: F401
distributed = pytest.importorskip("distributed")
import tact.dask  # noqa: E402

from conftest import PLAYBOOK, POLICIES, REPO, SUPPORT, example_contexts, read  # noqa: E402

CASES = os.path.join(REPO, "examples", "cases", "sample_cases.jsonl")
FILES = 5


def _cluster(**kwargs):
    return distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=True,
                                    host="127.0.0.1", dashboard_address=":0",
                                    **kwargs)


@pytest.fixture(scope="module")
def client():
    with _cluster() as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The sample cases split into FILES files (the last ends without a
    newline), with a blank line, malformed ones (one not even UTF-8) and
    undecidable ones spread over the files, so listing and numbering cross
    file boundaries. Returns (paths, the whole as one file, its lines as
    str, surrogate-escaped)."""
    lines = read(CASES).rstrip("\n").encode().split(b"\n")
    lines[7] = b"{bad"
    lines[100] = b""
    lines[2000] = b'{"now": 5}'
    lines[3500] = b'{"now": "\xff"}'
    lines[4100] = b"\x0c"  # not blank to tact simulate: a malformed line
    folder = tmp_path_factory.mktemp("cases")
    size = -(-len(lines) // FILES)
    paths = []
    for i in range(FILES):
        path = folder / f"cases_{i}.jsonl"
        chunk = lines[i * size:(i + 1) * size]
        path.write_bytes(b"\n".join(chunk) + (b"\n" if i < FILES - 1 else b""))
        paths.append(str(path))
    whole = folder / "all.jsonl"
    whole.write_bytes(b"\n".join(lines))
    return paths, str(whole), [line.decode("utf-8", "surrogateescape") for line in lines]


@pytest.fixture(scope="module")
def engines():
    return tact.Engine.from_file(PLAYBOOK), tact.Engine.from_file(SUPPORT)


OPTIONS = dict(cost_share=5.0, max_listed_errors=4, max_listed_changes=50,
               max_listed_costly=25)
WIDE = dict(cost_share=5.0, max_listed_errors=20, max_listed_changes=5000,
            max_listed_costly=5000)


def test_the_cluster_is_two_worker_processes(client):
    pids = client.run(os.getpid)
    assert len(pids) == 2 and os.getpid() not in pids.values()
    assert all(address.startswith("tcp://127.0.0.1:") for address in pids)


def test_distributed_simulate_is_one_machines(client, files, engines):
    paths, _, lines = files
    policy, baseline = engines
    for options in (OPTIONS, dict(OPTIONS, baseline=baseline), dict(WIDE, baseline=baseline)):
        local = policy.simulate(lines, **options)
        assert local["errors"]["count"] == 4 and local["lines"] == len(lines) - 1
        assert [e["line"] for e in local["errors"]["first"]][:4] == [8, 2001, 3501, 4101]
        distributed_result = tact.dask.simulate(policy, paths, client=client, **options)
        assert distributed_result == local
        assert json.dumps(distributed_result) == json.dumps(local)  # key order too
    assert local["changed"]["count"] > 4000 and len(local["changed"]["first"]) > 4000
    assert local["cost_share"]["first"][-1]["line"] > 4000
    # Partitions smaller than a file: cut at line ends, numbered across.
    small = tact.dask.simulate(policy, paths, client=client, blocksize=100_000,
                               baseline=baseline, **OPTIONS)
    assert small == policy.simulate(lines, baseline=baseline, **OPTIONS)
    # One partition per file.
    assert tact.dask.simulate(policy, paths, client=client, blocksize=None, **OPTIONS) == \
        policy.simulate(lines, **OPTIONS)


def test_each_worker_compiles_an_engine_once(client, files, engines):
    paths, _, _ = files
    policy, baseline = engines

    def compiled():
        import tact.engine
        return {key[0]: id(engine) for key, engine in tact.engine._RESTORED.items()}

    tact.dask.simulate(policy, paths, baseline=baseline, client=client, blocksize=100_000)
    first = client.run(compiled)
    tact.dask.simulate(policy, paths, baseline=baseline, client=client, blocksize=100_000)
    assert client.run(compiled) == first  # the same engine objects: not compiled again
    hashes = {policy.policy_hash, baseline.policy_hash}
    assert any(set(per_worker) == hashes for per_worker in first.values())


def test_empty_files(client, tmp_path, engines):
    policy, _ = engines
    empty = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for path in empty:
        path.write_text("")
    assert tact.dask.simulate(policy, [str(p) for p in empty], client=client) == \
        policy.simulate([])


def test_a_bag_of_dicts(client, files, engines):
    import dask.bag
    _, _, lines = files
    policy, _ = engines
    cases = [json.loads(line) for line in lines[:600] if line.startswith('{"')]
    bag = dask.bag.from_sequence(cases, npartitions=7)
    assert tact.dask.simulate(policy, bag, client=client, authority="agent") == \
        policy.simulate(cases, authority="agent")


def test_the_same_json_as_tact_simulate(cli, client, files, tmp_path):
    paths, whole, _ = files
    out = tmp_path / "cli.json"
    subprocess.run([cli, "simulate", f"--policy={PLAYBOOK}", f"--baseline={SUPPORT}",
                    f"--cases={whole}", "--cost-share=5", f"--json={out}"],
                   check=True, stdout=subprocess.DEVNULL)
    policy, baseline = tact.Engine.from_file(PLAYBOOK), tact.Engine.from_file(SUPPORT)
    labels = tact.dask._labels(policy, PLAYBOOK, baseline, SUPPORT)
    result = tact.dask.simulate(policy, paths, baseline=baseline, client=client,
                                cost_share=5.0, policy_label=labels[0],
                                baseline_label=labels[1])
    assert result["errors"]["first"][0]["stage"] == "parse"
    assert tact.simulation.cli_errors(result) == json.loads(out.read_text())


def test_a_worker_killed_mid_run_is_survived(files, engines):
    import dask.bag
    paths, _, lines = files
    policy, baseline = engines
    expected = policy.simulate(lines, baseline=baseline, **OPTIONS)
    with _cluster() as cluster, distributed.Client(cluster) as client:
        pids = client.run(os.getpid)
        # Every partition waits a second before it is decided, so a worker
        # is certainly busy with one when it is killed.
        cases = tact.dask.read_cases(paths).map_partitions(
            lambda part: (time.sleep(1.0), part)[1])
        outcome = {}

        def run():
            try:
                outcome["result"] = tact.dask.simulate(policy, cases, baseline=baseline,
                                                       client=client, **OPTIONS)
            except BaseException as e:  # reported below
                outcome["error"] = e

        runner = threading.Thread(target=run, daemon=True)
        runner.start()
        victim, lost = None, []
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            busy = [(a, keys) for a, keys in client.processing().items() if keys]
            if busy:
                victim, lost = busy[0][0], list(busy[0][1])
            time.sleep(0.02)
        assert victim is not None, "no worker ever took a partition"
        os.kill(pids[victim], signal.SIGKILL)
        runner.join(180)
        assert not runner.is_alive()
        assert "error" not in outcome, outcome.get("error")
        assert outcome["result"] == expected
        with pytest.raises(ProcessLookupError):
            os.kill(pids[victim], 0)  # it really died

        def processed(dask_scheduler, keys):
            # How often each key went to a worker (scheduler transitions).
            return {k: sum(1 for entry in dask_scheduler.story(k)
                           if entry[0] == k and entry[2] == "processing") for k in keys}

        runs = client.run_on_scheduler(processed, keys=lost)
        assert runs and all(n >= 2 for n in runs.values()), runs  # run again elsewhere


def test_replay_logs_on_the_workers(client, engines, tmp_path):
    policy, baseline = engines
    logs = []
    contexts = [read(p) for p in example_contexts()]
    for i in range(3):
        path = tmp_path / f"decisions_{i}.jsonl"
        with tact.DecisionLog(path) as log:
            for context in contexts[i::3]:
                log.append(context, policy.decide(context, record=True))
        logs.append(str(path))
    reports = tact.dask.replay(policy, logs, client=client)
    assert reports == [tact.replay(policy, log) for log in logs]
    assert all(r.ok and r.records > 0 for r in reports)
    against = tact.dask.replay(baseline, logs, client=client)
    assert against == [tact.replay(baseline, log) for log in logs]
    assert sum(r.differing for r in against) > 0


def test_policy_suites_on_the_workers(client, tmp_path):
    suites = tact.dask.run_suites(POLICIES, client=client)
    local = tact.testing.run_suites(POLICIES, keep_decisions=False)
    assert [(s.file, s.error, [(c.name, c.passed, c.failures) for c in s.cases])
            for s in suites] == \
        [(s.file, s.error, [(c.name, c.passed, c.failures) for c in s.cases]) for s in local]
    local_cases = [c for s in local for c in s.cases]
    assert len(tact.dask.check(POLICIES, client=client)) == len(local_cases) > 0
    # A failing case fails the distributed check as `tact test` words it.
    broken = tmp_path / "broken.test.textproto"
    broken.write_text(f'policy: "{SUPPORT}"\n'
                      'cases { name: "always_replied" '
                      'context { now { seconds: 1773154800 } customer { tier: "standard" } } '
                      'expect { excludes: "respond_within_sla" } }\n')
    expected = rf"(?s)FAIL \S*broken.test.textproto:always_replied\n.*\n{len(local_cases)} passed, 1 failed$"
    with pytest.raises(AssertionError, match=expected):
        tact.dask.check([POLICIES, str(broken)], client=client)


def test_bad_input_is_named_before_anything_runs(client, files, engines):
    paths, _, _ = files
    policy, baseline = engines
    with pytest.raises(FileNotFoundError, match="nowhere.jsonl"):
        tact.dask.simulate(policy, paths + ["/nowhere.jsonl"], client=client)
    with pytest.raises(ValueError, match="unknown authority"):
        tact.dask.simulate(policy, paths, client=client, authority="wizard")
    with pytest.raises(TypeError, match="tact.Engine"):
        tact.dask.simulate(policy, paths, client=client, baseline="support")
    with pytest.raises(ValueError, match="blocksize"):
        tact.dask.simulate(policy, paths, client=client, blocksize=0)


def test_the_command_line(cli, files, tmp_path):
    paths, whole, _ = files
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(tact.__file__)))
    args = [sys.executable, "-m", "tact.dask", "simulate", "--local-workers=2",
            f"--policy={PLAYBOOK}", f"--baseline={SUPPORT}", "--cost-share=5",
            "--fail-on=money"] + paths
    run = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 4, run.stderr
    assert "fails --fail-on=money" in run.stderr
    out = tmp_path / "cli.json"
    subprocess.run([cli, "simulate", f"--policy={PLAYBOOK}", f"--baseline={SUPPORT}",
                    f"--cases={whole}", "--cost-share=5", f"--json={out}"],
                   check=True, stdout=subprocess.DEVNULL)
    assert json.loads(run.stdout) == json.loads(out.read_text())
    for bad, message in ((["--fail-on=any"], "needs --baseline"),
                         (["--local-workers=0"], "at least 1"),
                         (["--cost-share=-5"], "expected a percentage"),
                         (["--cost-share=0.0000001"], "at least 0.000001"),
                         (["--blocksize=0"], "positive number of bytes")):
        usage = subprocess.run(args[:5] + [f"--policy={PLAYBOOK}"] + bad + paths,
                               env=env, capture_output=True, text=True, timeout=60)
        assert usage.returncode == 2 and message in usage.stderr, (bad, usage.stderr)
