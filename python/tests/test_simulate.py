"""engine.simulate(): the totals of `tact simulate`, from Python."""

import json
import os
import subprocess

import pytest

import tact

from conftest import REPO

DATA = os.path.join(REPO, "tests", "data", "simulate")


@pytest.fixture(scope="module")
def small():
    return tact.Engine.from_file(os.path.join(DATA, "policy.textproto"))


@pytest.fixture(scope="module")
def lines():
    with open(os.path.join(DATA, "cases.jsonl")) as f:
        return f.read().split("\n")[:-1]  # 13 lines, one blank


def test_hand_computed_totals(small, lines):
    # See tests/cli/simulate_test.cc for the case-by-case working.
    result = small.simulate(lines, threads=2)
    assert result["lines"] == 12
    assert result["errors"]["count"] == 2
    assert [e["line"] for e in result["errors"]["first"]] == [9, 13]
    s = result["summary"]
    assert s["cases"] == 10
    assert s["actions"]["reply"]["recommended"] == 10
    assert s["actions"]["credit"] == {"recommended": 1, "needs_approval": 0,
                                      "blocked": {"budget_exhausted": 1}}
    assert s["goodwill_total"] == 2900
    assert s["goodwill_by_tier"] == {"premium": 2200, "standard": 700}
    assert s["goodwill_by_value_band"] == {"100000-499999": 700, "20000-99999": 700,
                                           "500000+": 1500}
    assert (s["strike_warnings"], s["strike_outs"], s["strikes_recorded"]) == (1, 1, 2)
    assert (s["recovery_cases"], s["recovery_window_missed"]) == (2, 1)
    assert (s["beyond_contract_actions"], s["beyond_contract_cost"]) == (1, 700)


def test_accepts_dicts_and_skips_nothing_else(small, lines):
    dicts = [json.loads(line) for i, line in enumerate(lines) if i not in (8, 10, 12)]
    result = small.simulate(dicts)
    assert result["lines"] == 10
    assert result["errors"]["count"] == 0
    assert result["summary"]["goodwill_total"] == 2900


def test_authority_sends_large_credits_for_approval(small, lines):
    s = small.simulate(lines, authority="bot")["summary"]
    assert s["actions"]["credit"]["needs_approval"] == 1
    assert s["actions"]["credit"]["recommended"] == 0


def test_same_summary_as_the_cli(cli, tmp_path):
    cases = os.path.join(REPO, "examples", "cases", "sample_cases.jsonl")
    policy = os.path.join(REPO, "examples", "policies", "service_playbook.textproto")
    out = tmp_path / "summary.json"
    subprocess.run([cli, "simulate", "--policy=" + policy, "--cases=" + cases,
                    "--threads=2", "--json=" + str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    from_cli = json.loads(out.read_text())
    with open(cases) as f:
        from_python = tact.Engine.from_file(policy).simulate(f.read().splitlines())
    assert from_python["lines"] == from_cli["lines"]
    assert from_python["errors"]["count"] == from_cli["errors"]["count"]
    assert from_python["summary"] == from_cli["summary"]
