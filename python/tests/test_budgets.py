"""Evaluation budgets from Python: timeout on decide/decide_many/simulate and
Ctrl-C (KeyboardInterrupt) stopping a batch."""

import os
import subprocess
import sys
import textwrap

import pytest

import tact

# One rule quadratic in the history: 20,000 events take far more than a
# second past the step budget, so only a budget or a signal stops it early.
SLOW_POLICY = """
name: "slow" version: "1" currency: "USD"
actions { id: "a" }
rules { id: "slow" when: "history.exists(a, history.exists(b, a.at > b.at + duration('1000000s')))"
        recommend { action: "a" } }
"""


def _context(events):
    return {"now": "2026-01-05T10:00:00Z", "customer": {"id": "c"},
            "case": {"id": "k"},
            "history": [{"kind": "complaint", "at": "2026-01-01T00:00:00Z"}] * events}


def test_step_budget_is_an_error_naming_the_rule():
    engine = tact.Engine.from_text(SLOW_POLICY)
    with pytest.raises(tact.ResourceExhaustedError,
                       match=r"^evaluation exceeded max_evaluation_steps \(10000000 steps\) "
                             r"in rule 'slow'$"):
        engine.decide(_context(20000))
    assert engine.decide(_context(100)).actions == ()


def test_timeout_in_the_past_and_generous():
    engine = tact.Engine.from_text(SLOW_POLICY)
    with pytest.raises(tact.DeadlineExceededError, match="^decision deadline passed"):
        engine.decide(_context(10), timeout=0)
    engine.decide(_context(10), timeout=60)
    out = engine.decide_many([_context(10)] * 3, timeout=0, return_exceptions=True)
    assert [str(e) for e in out] == [f"context {i}: decision deadline passed" for i in range(3)]
    assert all(isinstance(e, tact.DeadlineExceededError) and isinstance(e, TimeoutError)
               for e in out)
    assert len(engine.decide_many([_context(10)] * 3, timeout=60)) == 3
    sim = engine.simulate([_context(10)] * 2, timeout=0)
    assert sim["errors"]["count"] == 2
    with pytest.raises(ValueError, match="timeout must be"):
        engine.decide(_context(10), timeout=-1)


def test_ctrl_c_stops_decide_many_and_simulate():
    # In a subprocess: a timer thread sends SIGINT while the batch runs; the
    # batch must stop with KeyboardInterrupt, long before it would finish.
    script = textwrap.dedent(f"""
        import os, signal, sys, threading, time
        import tact
        engine = tact.Engine.from_text({SLOW_POLICY!r})
        import json
        ctx = json.dumps({{"now": "2026-01-05T10:00:00Z", "customer": {{"id": "c"}},
                          "case": {{"id": "k"}},
                          "history": [{{"kind": "complaint",
                                        "at": "2026-01-01T00:00:00Z"}}] * 20000}})
        # Each case runs to the step budget (~0.2 s): 400 of them on two
        # threads take far longer than the signal's 0.5 s.
        batch = [ctx] * 400
        for run in ("decide_many", "simulate"):
            threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
            start = time.monotonic()
            try:
                getattr(engine, run)(batch, threads=2)
                print(run, "finished", flush=True)
            except KeyboardInterrupt:
                print(run, "interrupted", time.monotonic() - start, flush=True)
    """)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True,
                            text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0].startswith("decide_many interrupted"), result.stdout
    assert lines[1].startswith("simulate interrupted"), result.stdout
    # Stopped soon after the signal (generous bound).
    for line in lines[:2]:
        assert float(line.split()[2]) < 10, result.stdout
