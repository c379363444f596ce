"""tact.Coverage: policy coverage from Python (include/tact/coverage.h)."""

import json
import os

import pytest

import tact
from tact.coverage import parse_percent

from conftest import REPO

DATA = os.path.join(REPO, "tests", "data", "simulate")


@pytest.fixture(scope="module")
def small():
    return tact.Engine.from_file(os.path.join(DATA, "policy.textproto"))


@pytest.fixture(scope="module")
def contexts():
    """The decidable cases of tests/data/simulate/cases.jsonl, by case id."""
    out = {}
    with open(os.path.join(DATA, "cases.jsonl")) as f:
        for line in f:
            try:
                context = json.loads(line)
            except ValueError:
                continue
            if "customerr" in line or "tierr" in line:
                continue
            out[context["case"]["id"]] = context
    return out


def covered(engine, contexts, ids, trace=True):
    coverage = tact.Coverage(engine)
    for case_id in ids:
        coverage.add(engine.decide(contexts[case_id], trace=trace))
    return coverage


def not_reached(report):
    return [item["label"] for cat in report["categories"].values()
            for item in cat["not_reached"]]


def test_the_simulation_cases_reach_all_but_compensation_and_clipping(
        small, contexts):
    # See tests/engine/simulation_test.cc for what each case does: no case
    # is unhappy and our fault at once, no grant is reduced.
    ids = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10"]
    coverage = covered(small, contexts, ids)
    report = coverage.report()
    assert report["decisions"] == 10
    assert report["untraced_decisions"] == 0
    assert (report["reached_count"], report["total"]) == (13, 15)
    assert report["percent"] == 86.6  # 86.67%, rounded down
    assert not_reached(report) == ['playbook "failure" compensation',
                                   'budget "goodwill" clipped']
    rungs = report["categories"]["rungs"]
    assert [(i["id"], i["step"], i["decisions"]) for i in rungs["reached"]] == [
        ("unhappy", 1, 1), ("unhappy", 2, 2)]
    text = coverage.format()
    assert text.startswith("coverage 13/15 (86.6%) over 10 decisions\n")
    assert "playbooks 4/5 (80.0%)\n" in text
    assert '  never reached: budget "goodwill" clipped\n' in text
    assert coverage.meets(86.6)
    assert not coverage.meets(86.7)


def test_one_case_less_leaves_its_items_unreached(small, contexts):
    # c9 is the only case past the recovery window; c8 the only at the limit.
    ids = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c10"]
    assert not_reached(covered(small, contexts, ids).report()) == [
        'strike_limit "wasting" at_limit',
        'playbook "failure" compensation',
        'playbook "failure" recovery_window_missed',
        'budget "goodwill" clipped']


def test_rules_are_unknown_without_a_trace(small, contexts):
    report = covered(small, contexts, ["c1"], trace=False).report()
    rules = report["categories"]["rules"]
    assert report["untraced_decisions"] == 1
    assert rules["reached"] == [] and rules["not_reached"] == []
    assert [i["label"] for i in rules["unknown"]] == [
        'rule "always_reply"', 'rule "phone_gesture"']


def test_another_policys_decision_raises(small, contexts):
    other = tact.Engine.from_file(os.path.join(DATA, "baseline.textproto"))
    coverage = tact.Coverage(small)
    with pytest.raises(ValueError, match="the decision is of another policy"):
        coverage.add(other.decide(contexts["c1"], trace=True))
    assert coverage.report()["decisions"] == 0


def test_parse_percent():
    assert parse_percent("85") == 85
    assert parse_percent("85.5%") == 85.5
    for bad in ("", "abc", "100.1", "85.55", "-5"):
        with pytest.raises(ValueError, match="coverage threshold"):
            parse_percent(bad)
