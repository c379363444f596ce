"""tact.testing: the policy test runner from Python (`tact test`'s runner)."""

import os
import re

import pytest

import tact
import tact.testing

from conftest import REPO

DATA = os.path.join(REPO, "tests", "data", "policy_test")
PASSING = os.path.join(DATA, "case_life.test.textproto")
FAILING = os.path.join(DATA, "failing", "failing.test.textproto")
BROKEN = os.path.join(DATA, "broken", "unknown_field.test.textproto")


def test_run_returns_every_case_with_its_decisions():
    results = tact.testing.run(PASSING)
    assert [r.name for r in results] == [
        "unhappy_first_rung", "second_strike_is_warned",
        "credit_after_two_hours", "bot_sends_the_callback_for_approval"]
    assert all(r.passed and r.failures == [] for r in results)
    assert all(r.file == PASSING for r in results)
    timeline = results[2]
    assert len(timeline.decisions) == 4
    assert isinstance(timeline.decisions[0], tact.Decision)
    # Decided with the trace on, and in order.
    assert [t.rule_id for t in timeline.decisions[0].trace] == ["answer"]
    assert [a.action for a in timeline.decisions[2].actions][0] == "goodwill_credit"


def test_failures_are_the_runners_lines():
    results = tact.testing.run(FAILING)
    assert [r.passed for r in results] == [True, False, False]
    assert results[1].failures == [
        "actions: expected [reply, explain_problem], got [explain_problem, reply]",
        "missing blocked goodwill_credit (budget_exhausted); got blocked: []",
    ]
    assert results[2].failures[0] == (
        "step 2 (Two hours later): param goodwill_credit.amount: expected 2000, got 1500")


def test_check_passes_quietly_and_raises_assertion_error_with_the_diff():
    assert len(tact.testing.check(PASSING)) == 4
    with pytest.raises(AssertionError) as raised:
        tact.testing.check(FAILING)
    text = str(raised.value)
    assert "FAIL " + FAILING + ":wrong_actions\n    actions: expected [reply, explain_problem]" in text
    assert ":passes" not in text
    assert text.endswith("1 passed, 2 failed")


def test_suite_that_does_not_load():
    (suite,) = tact.testing.run_suites(BROKEN)
    assert not suite.passed and suite.cases == [] and suite.engine is None
    assert re.search(r"unknown_field\.test\.textproto:10:3: .*no field named \"expct\"",
                     suite.error)
    with pytest.raises(tact.testing.SuiteError) as raised:
        tact.testing.run(BROKEN)
    assert raised.value.file == BROKEN
    assert isinstance(raised.value, tact.TactError)
    with pytest.raises(AssertionError, match="the suite did not load"):
        tact.testing.check(BROKEN)


def test_directory_runs_every_suite_sorted_and_exposes_the_engine():
    suites = tact.testing.run_suites(DATA)
    assert [s.file for s in suites] == [BROKEN, PASSING, FAILING]
    assert [s.passed for s in suites] == [False, True, False]
    assert suites[1].policy_file == os.path.join(DATA, "case_life.textproto")
    assert suites[1].engine.policy_name == "case_life"


def test_missing_path_raises_suite_error():
    with pytest.raises(tact.testing.SuiteError, match="no such file or directory"):
        tact.testing.run(os.path.join(DATA, "nowhere"))


def test_authority_overrides_every_case():
    results = tact.testing.run(PASSING, authority="robot")
    assert not any(r.passed for r in results)
    assert 'unknown authority "robot"' in results[0].failures[0]


def test_import_tact_is_enough():
    import importlib
    fresh = importlib.import_module("tact")
    assert fresh.testing.run is tact.testing.run


def test_junit_report_is_well_formed_xml(cli, tmp_path):
    import subprocess
    import xml.etree.ElementTree as ET
    # Failure text and a load error with every character XML must escape.
    policy = os.path.join(DATA, "case_life.textproto")
    context = os.path.join(DATA, "contexts", "unhappy.json")
    (tmp_path / "a.test.textproto").write_text(
        f'policy: "{policy}"\n'
        f'cases {{ name: "esc" context_file: "{context}"\n'
        '  steps { description: "tab\\there & <there> \'q\' \\"q\\"" '
        'expect { no_actions: true } } }\n')
    (tmp_path / "b.test.textproto").write_text(
        f'policy: "{policy}"\n'
        f'cases {{ name: "a&b<c>" context_file: "{context}" expect {{ }} }}\n')
    report = tmp_path / "report.xml"
    ran = subprocess.run([cli, "test", f"--junit={report}", str(tmp_path)],
                         capture_output=True, text=True)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    root = ET.parse(report).getroot()
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == (
        "testsuites", "2", "1", "1")
    esc, load = root.iter("testcase")
    assert esc.get("name") == "esc"
    failure = esc.find("failure")
    assert failure.get("message").startswith(
        "step 1 (tab\there & <there> 'q' \"q\"): no_actions: ")
    assert failure.text == failure.get("message")
    assert load.get("name") == "(load)"
    assert 'case "a&b<c>": the name may hold only' in load.find("error").get("message")


# --- coverage (tact test --coverage / --min-coverage) -----------------------

COVERAGE_DATA = os.path.join(REPO, "tests", "data", "policy_coverage")
CASE_LIFE = os.path.join(DATA, "case_life.textproto")


def test_coverage_returns_one_report_per_tested_policy():
    reports = tact.testing.coverage(PASSING)
    assert list(reports) == [CASE_LIFE]
    report = reports[CASE_LIFE]
    assert (report["reached_count"], report["total"], report["percent"]) == (6, 9, 66.6)
    assert report["decisions"] == 7
    assert [i["label"] for i in report["categories"]["budgets"]["not_reached"]] == [
        'budget "goodwill" clipped', 'budget "goodwill" exhausted']


def test_coverage_lists_a_rule_no_case_fired_and_folds_suites_of_one_policy(tmp_path):
    (alone,) = tact.testing.coverage(COVERAGE_DATA).values()
    assert [i["label"] for i in alone["categories"]["rules"]["not_reached"]] == ['rule "answer"']
    # Both suites at once: the same policy file (by two paths), one report.
    both = tmp_path / "both"
    both.mkdir()
    for source in (PASSING, os.path.join(COVERAGE_DATA, "no_answer.test.textproto")):
        text = open(source).read()
        policy = os.path.join(DATA, "case_life.textproto")
        if "policy:" in text:
            relative = os.path.relpath(policy, str(both))
            text = re.sub(r'policy: "[^"]*"', f'policy: "{relative}"', text)
        else:
            text = f'policy: "{policy}"\n' + text.replace(
                'context_file: "contexts/', f'context_file: "{DATA}/contexts/')
        (both / os.path.basename(source)).write_text(text)
    reports = tact.testing.coverage(str(both))
    assert len(reports) == 1
    (report,) = reports.values()
    assert (report["reached_count"], report["total"], report["decisions"]) == (6, 9, 8)
    assert report["categories"]["rules"]["not_reached"] == []


def test_check_min_coverage_passes_exactly_at_and_fails_below():
    assert len(tact.testing.check(PASSING, min_coverage=66.6)) == 4
    assert len(tact.testing.check(PASSING, min_coverage="66.6%")) == 4
    with pytest.raises(AssertionError) as raised:
        tact.testing.check(PASSING, min_coverage=66.7)
    text = str(raised.value)
    assert ("FAIL coverage of " + CASE_LIFE + ": 66.6% (6/9) is below 66.7%\n"
            "    coverage 6/9 (66.6%) over 7 decisions\n") in text
    assert '      never reached: budget "goodwill" clipped\n' in text
    assert text.endswith("\n4 passed, 0 failed")
    # Without a threshold, coverage never fails a check.
    assert len(tact.testing.check(COVERAGE_DATA)) == 1
    with pytest.raises(AssertionError):
        tact.testing.check(COVERAGE_DATA, min_coverage=0.1)


@pytest.mark.parametrize("bad", [101, -1, 85.55, "abc", "", float("nan"), True])
def test_check_refuses_a_bad_min_coverage(bad):
    with pytest.raises(ValueError):
        tact.testing.check(PASSING, min_coverage=bad)


def test_shipped_suites_cover_every_example_policy():
    reports = tact.testing.coverage(os.path.join(REPO, "examples"))
    assert len(reports) == 4
    assert {p: r["percent"] for p, r in reports.items()} == {p: 100.0 for p in reports}
    tact.testing.check(os.path.join(REPO, "examples"), min_coverage=100)

def test_keep_decisions_false_drops_decisions_not_results():
    for path in (PASSING, FAILING):
        kept = tact.testing.run(path)
        dropped = tact.testing.run(path, keep_decisions=False)
        assert [(c.name, c.passed, c.failures) for c in dropped] == [
            (c.name, c.passed, c.failures) for c in kept]
        assert all(c.decisions == [] for c in dropped)
        assert all(c.decisions for c in kept)
    assert len(tact.testing.check(PASSING, keep_decisions=False)) == 4


def test_junit_report_is_valid_xml_whatever_the_bytes(cli, tmp_path):
    import subprocess
    import xml.etree.ElementTree as ET
    policy = os.path.join(DATA, "case_life.textproto")
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "bytes.test.textproto").write_bytes(
        f'policy: "{policy}"\n'.encode() +
        b'cases { name: "bytes" context { now { seconds: 1773144000 } '
        b'customer { id: "c" } case { id: "k" } }\n'
        b'  expect { flags: "\\377\\376 <x>\\001" effects { kind: "\\377" } '
        b'flags: "caf\xc3\xa9" } }\n')
    report = tmp_path / "report.xml"
    missing = tmp_path / "nowhere"
    ran = subprocess.run([cli, "test", f"--junit={report}", str(suites), str(missing)],
                         capture_output=True)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    root = ET.parse(report).getroot()  # raises on a report that is not XML
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "1")
    bytes_case, missing_case = root.iter("testcase")
    text = bytes_case.find("failure").text
    assert "effects: expected [\ufffd()] in this order, got []" in text
    assert "flags: expected [\ufffd\ufffd <x>\ufffd, caf\u00e9] in this order" in text
    assert missing_case.get("name") == "(load)"
    assert missing_case.get("classname") == str(missing)
    assert missing_case.find("error").get("message") == (
        f"{missing}: no such file or directory")
