"""engine.simulate(): the totals of `tact simulate`, from Python."""

import json
import os
import subprocess

import pytest

import tact
from tact.simulation import CHANGE_KINDS, fails_gate

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


# --- The diff with a baseline (issue 15 #3) ---------------------------------

DIFF = os.path.join(DATA, "diff")


def _diff_engine(name):
    return tact.Engine.from_file(os.path.join(DIFF, name + ".textproto"))


@pytest.fixture(scope="module")
def diff_cases():
    with open(os.path.join(DIFF, "cases.jsonl")) as f:
        return f.read().splitlines()


def test_money_only_change_is_changed_with_its_delta(diff_cases):
    base, money = _diff_engine("base"), _diff_engine("money")
    result = money.simulate(diff_cases, baseline=base,
                            policy_label="money.textproto",
                            baseline_label="base.textproto")
    changed = result["changed"]
    assert changed["count"] == 1
    assert changed["goodwill_delta"] == -250
    assert result["summary"]["goodwill_total"] - result["baseline"]["goodwill_total"] == -250
    assert changed["by_kind"]["params"] == {"cases": 1, "money": -250}
    assert changed["by_kind"]["effects"] == {"cases": 1, "money": -250}
    assert sorted(changed["by_kind"]) == sorted(CHANGE_KINDS)
    assert (changed["policy_label"], changed["baseline_label"]) == (
        "money.textproto", "base.textproto")
    (case,) = changed["first"]
    assert (case["line"], case["case_id"], case["kinds"]) == (3, "d3", ["params", "effects"])
    assert case["changes"][0] == {"kind": "params", "money": -250,
                                  "text": "credit amount 1500 -> 1250 (-2.50 USD)"}
    assert fails_gate(result, "money")
    assert fails_gate(result, "any")
    assert not fails_gate(result, "actions")


def test_same_name_and_version_are_labelled_apart_by_default(diff_cases):
    result = _diff_engine("money").simulate(diff_cases, baseline=_diff_engine("base"))
    assert result["changed"]["policy_label"] == "diff_small@1 (policy)"
    assert result["changed"]["baseline_label"] == "diff_small@1 (baseline)"


@pytest.mark.parametrize("variant, authority, kinds", [
    ("identical", None, {}),
    ("blocked_code", None, {"blocked": 1}),
    ("effects", None, {"effects": 1}),
    ("order", None, {"order": 2}),
    ("approval", "bot", {"needs_approval": 1}),
    ("title", None, {"details": 2}),
])
def test_one_kind_of_change_each(diff_cases, variant, authority, kinds):
    result = _diff_engine(variant).simulate(diff_cases, baseline=_diff_engine("base"),
                                            authority=authority)
    by_kind = {k: v["cases"] for k, v in result["changed"]["by_kind"].items() if v["cases"]}
    assert by_kind == kinds
    assert result["changed"]["count"] == max(kinds.values(), default=0)
    assert fails_gate(result, "any") == bool(kinds)
    assert not fails_gate(result, "money")


def test_the_diff_is_the_clis(cli, tmp_path, diff_cases):
    out = tmp_path / "diff.json"
    run = subprocess.run(
        [cli, "simulate", "--policy=" + os.path.join(DIFF, "money.textproto"),
         "--baseline=" + os.path.join(DIFF, "base.textproto"),
         "--cases=" + os.path.join(DIFF, "cases.jsonl"), "--threads=1",
         "--json=" + str(out), "--fail-on=money"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert run.returncode == 4, run.stderr
    from_cli = json.loads(out.read_text())
    from_python = _diff_engine("money").simulate(
        diff_cases, baseline=_diff_engine("base"),
        policy_label=from_cli["changed"]["policy_label"],
        baseline_label=from_cli["changed"]["baseline_label"])
    assert from_python["changed"] == from_cli["changed"]
    assert from_python["baseline"] == from_cli["baseline"]


def test_baseline_must_be_an_engine_and_gates_known(small, lines):
    with pytest.raises(TypeError, match="baseline must be a tact.Engine"):
        small.simulate(lines, baseline="policy.textproto")
    result = small.simulate(lines)
    assert "changed" not in result and "baseline" not in result
    with pytest.raises(ValueError, match="no diff"):
        fails_gate(result, "any")
    with pytest.raises(ValueError, match="gate 'everything'"):
        fails_gate(small.simulate(lines, baseline=small), "everything")


def test_baseline_authority_is_checked(small, lines, diff_cases):
    with pytest.raises(ValueError, match="unknown authority 'supervisor'"):
        _diff_engine("base").simulate(diff_cases, baseline=small, authority="supervisor")


def test_a_case_one_side_cannot_decide_fails_every_gate_as_the_cli(cli, tmp_path):
    # undecidable.textproto declares vip an int; lines 2 and 3 give a string.
    cases_path = os.path.join(DIFF, "undecidable_cases.jsonl")
    with open(cases_path) as f:
        cases = f.read().splitlines()
    result = _diff_engine("undecidable").simulate(cases, baseline=_diff_engine("base"))
    changed = result["changed"]
    assert (changed["count"], changed["undecidable"]) == (2, 2)
    assert changed["by_kind"]["undecidable"] == {"cases": 2, "money": 0}
    assert changed["first"][0]["changes"][0]["text"].startswith(
        "policy could not decide: attribute 'vip'")
    for gate in ("any", "money", "actions"):
        assert fails_gate(result, gate), gate
    out = tmp_path / "undecidable.json"
    run = subprocess.run(
        [cli, "simulate", "--policy=" + os.path.join(DIFF, "undecidable.textproto"),
         "--baseline=" + os.path.join(DIFF, "base.textproto"),
         "--cases=" + cases_path, "--threads=1", "--json=" + str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert run.returncode == 0, run.stderr
    from_cli = json.loads(out.read_text())
    from_python = _diff_engine("undecidable").simulate(
        cases, baseline=_diff_engine("base"),
        policy_label=from_cli["changed"]["policy_label"],
        baseline_label=from_cli["changed"]["baseline_label"])
    assert from_python["changed"] == from_cli["changed"]
    # A currency change fails "money" and "any", not "actions".
    eur = _diff_engine("eur").simulate(cases[:1], baseline=_diff_engine("base"))
    assert eur["changed"]["currency_changed"] is True
    assert fails_gate(eur, "money") and fails_gate(eur, "any")
    assert not fails_gate(eur, "actions")


# --- Service levels (issue 17 #3) --------------------------------------------

SLA = os.path.join(DATA, "sla")


def _sla_engine(name):
    return tact.Engine.from_file(os.path.join(SLA, name + ".textproto"))


@pytest.fixture(scope="module")
def sla_cases():
    with open(os.path.join(SLA, "cases.jsonl")) as f:
        return f.read().splitlines()


def test_service_levels_per_tier(sla_cases):
    # See tests/engine/simulation_sla_test.cc for the case-by-case states.
    levels = _sla_engine("policy").simulate(sla_cases)["summary"]["service_levels"]
    assert levels["targets"] == ["first_reply", "resolution"]
    assert sorted(levels["by_tier"]) == ["gold", "standard"]
    gold = levels["by_tier"]["gold"]
    assert gold["cases"] == 4
    assert gold["beyond_contract_cases"] == 0
    assert gold["beyond_contract_share"] == 0.0
    assert gold["targets"]["first_reply"] == {
        "measured": 4, "met": 1, "ok": 1, "at_risk": 1, "breached": 1,
        "missed": 0, "attainment": 75.0}
    standard = levels["by_tier"]["standard"]
    assert standard["beyond_contract_cases"] == 1
    assert standard["beyond_contract_share"] == 33.3
    assert standard["targets"]["first_reply"]["attainment"] == 66.7
    # No resolution target in the standard contract: nothing measured.
    assert standard["targets"]["resolution"]["measured"] == 0
    assert standard["targets"]["resolution"]["attainment"] is None
    total = levels["total"]
    assert total["cases"] == 7
    assert total["targets"]["first_reply"]["attainment"] == 71.4
    assert total["beyond_contract_share"] == 14.3


def test_service_levels_as_the_cli(cli, tmp_path, sla_cases):
    out = tmp_path / "summary.json"
    subprocess.run([cli, "simulate", "--policy=" + os.path.join(SLA, "policy.textproto"),
                    "--baseline=" + os.path.join(SLA, "baseline.textproto"),
                    "--cases=" + os.path.join(SLA, "cases.jsonl"),
                    "--json=" + str(out)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    from_cli = json.loads(out.read_text())
    result = _sla_engine("policy").simulate(sla_cases, baseline=_sla_engine("baseline"))
    assert result["summary"]["service_levels"] == from_cli["summary"]["service_levels"]
    assert result["baseline"]["service_levels"] == from_cli["baseline"]["service_levels"]
    base = result["baseline"]["service_levels"]["by_tier"]["standard"]
    assert base["targets"]["first_reply"]["attainment"] == 100.0


def test_no_service_levels_without_them(small, lines):
    assert "service_levels" not in small.simulate(lines)["summary"]
