"""tact.EngineHandle: serving decisions unchanged, a candidate shadowing them
with its differences counted by kind, sampled by share, errors apart."""

import json
import os
import threading

import pytest

import tact
from tact.simulation import CHANGE_KINDS

from conftest import CONTEXTS, SUPPORT, example_contexts, read

GOODWILL = "min(5000, max(500, customer.spend_12m / 20))"
LOWER = "min(4000, max(500, customer.spend_12m / 20))"


def tiny(version, action, bot=True):
    return (f'name: "tiny" version: "{version}" currency: "USD"\n'
            + ('authorities: "bot"\n' if bot else "")
            + 'authorities: "agent"\n'
            f'actions {{ id: "{action}" }}\n'
            f'rules {{ id: "r" recommend {{ action: "{action}" }} }}\n')


NOW = {"now": "2026-01-05T10:00:00Z"}


@pytest.fixture(scope="module")
def support():
    return tact.Engine.from_file(SUPPORT)


@pytest.fixture(scope="module")
def lower():
    text = read(SUPPORT)
    assert GOODWILL in text
    return tact.Engine.from_text(text.replace(GOODWILL, LOWER))


def goodwill_amount(decision):
    for a in list(decision.actions) + list(decision.needs_approval):
        if a.action == "goodwill_credit":
            return a.params["amount"]
    return 0


def test_serving_decisions_are_unchanged_by_a_candidate(support, lower):
    handle = tact.EngineHandle(support)
    handle.set_candidate(lower)
    for path in example_contexts():
        context = json.loads(read(path))
        for trace in (False, True):
            want = support.decide(context, authority="bot", trace=trace)
            got = handle.decide(context, authority="bot", trace=trace)
            assert got.to_json() == want.to_json(), path
            # Every context form goes the same way.
            assert handle.decide(read(path), authority="bot").to_json() == \
                support.decide(read(path), authority="bot").to_json()


def test_a_lower_cap_differs_only_where_it_binds(support, lower):
    handle = tact.EngineHandle(support)
    handle.set_candidate(lower, max_examples=100)
    affected, money = [], 0
    paths = example_contexts()
    for number, path in enumerate(paths):
        decision = handle.decide(json.loads(read(path)))
        amount = goodwill_amount(decision)
        if amount > 4000:
            affected.append(number)
            money += 4000 - amount
    assert affected and len(affected) < len(paths)
    report = handle.shadow_report()
    assert report.active
    assert report.candidate_hash == lower.policy_hash
    assert (report.decided, report.sampled) == (len(paths), len(paths))
    assert report.differing == len(affected)
    assert report.identical == len(paths) - len(affected)
    assert report.candidate_errors == 0
    assert set(report.changes_by_kind) == set(CHANGE_KINDS)
    assert report.changes_by_kind["params"] == tact.handle.KindTally(
        len(affected), money, False)
    assert [e.number for e in report.examples] == affected
    example = report.examples[0]
    assert isinstance(example.serving, tact.Decision)
    assert isinstance(example.candidate, tact.Decision)
    assert goodwill_amount(example.candidate) == 4000
    params = [c for c in example.changes if c.kind == "params"]
    assert params and "goodwill_credit amount" in params[0].text
    assert params[0].money == 4000 - goodwill_amount(example.serving)
    # The example's context is the one decided: it decides the same again.
    assert example.context.case.id
    assert support.decide(example.context).to_json() == example.serving.to_json()


def test_share_samples_exactly_that_share():
    handle = tact.EngineHandle(tact.Engine.from_text(tiny("v1", "a")))
    handle.set_candidate(tact.Engine.from_text(tiny("v2", "b")), share=0.25,
                         max_examples=1000)
    for _ in range(1000):
        handle.decide(NOW)
    report = handle.shadow_report()
    assert (report.decided, report.sampled, report.differing) == (1000, 250, 250)
    assert report.share == 0.25
    assert [e.number for e in report.examples[:3]] == [3, 7, 11]
    assert report.examples[0].changes[0] == tact.handle.ShadowChange(
        "actions_added", "+b (rule r)", 0)


def test_candidate_errors_are_counted_and_never_raised():
    handle = tact.EngineHandle(tact.Engine.from_text(tiny("v1", "a")))
    handle.set_candidate(tact.Engine.from_text(tiny("v2", "a", bot=False)),
                         max_examples=1)
    for _ in range(3):
        assert handle.decide(NOW, authority="bot").actions[0].action == "a"
    report = handle.shadow_report()
    assert report.candidate_errors == 3 and report.differing == 0
    assert len(report.error_examples) == 1
    error = report.error_examples[0]
    assert "bot" in error.error and error.candidate is None
    assert error.serving.policy_version == "v1"


def test_clear_and_replace_reset_the_report_and_reload_keeps_it(tmp_path):
    handle = tact.EngineHandle(tact.Engine.from_text(tiny("v1", "a")))
    assert not handle.shadow_report().active and handle.candidate is None
    handle.set_candidate(tact.Engine.from_text(tiny("c", "b")))
    handle.decide(NOW)
    path = tmp_path / "v2.textproto"
    path.write_text(tiny("v2", "b"))
    assert handle.reload(path).policy_version == "v2"
    handle.decide(NOW)
    report = handle.shadow_report()
    assert (report.serving_swaps, report.differing, report.identical) == (1, 1, 1)
    assert report.since is not None and report.since.tzinfo is not None
    handle.set_candidate(tact.Engine.from_text(tiny("d", "a")))
    assert handle.shadow_report().decided == 0
    assert handle.candidate.policy_version == "d"
    handle.clear_candidate()
    assert not handle.shadow_report().active
    with pytest.raises(tact.PolicyError):
        handle.reload(tmp_path / "missing.textproto")
    assert handle.engine.policy_version == "v2"


def test_large_examples_keep_their_counts_not_their_parts():
    handle = tact.EngineHandle(tact.Engine.from_text(tiny("v1", "a")))
    handle.set_candidate(tact.Engine.from_text(tiny("c", "b")),
                         max_example_bytes=1000)
    handle.decide({**NOW, "case": {"message": "x" * 5000}})
    example = handle.shadow_report().examples[0]
    assert example.context is None and example.context_bytes > 5000
    assert example.serving is not None and example.changes


def test_bad_arguments_raise():
    handle = tact.EngineHandle(tact.Engine.from_text(tiny("v1", "a")))
    candidate = tact.Engine.from_text(tiny("c", "b"))
    for share in (-0.1, 1.5, float("nan"), "0.5", True):
        with pytest.raises(ValueError, match="share"):
            handle.set_candidate(candidate, share=share)
    with pytest.raises(ValueError, match="max_examples"):
        handle.set_candidate(candidate, max_examples=-1)
    with pytest.raises(TypeError, match="candidate must be a tact.Engine"):
        handle.set_candidate("policy.textproto")
    with pytest.raises(TypeError, match="engine must be a tact.Engine"):
        tact.EngineHandle(None)
    with pytest.raises(tact.ContextError):
        handle.decide({"customer": {}})
    assert handle.candidate is None


def test_many_threads_decide_while_the_candidate_changes(support, lower):
    handle = tact.EngineHandle(support)
    context = json.loads(read(os.path.join(CONTEXTS, "outage_critical.json")))
    want = support.decide(context).to_json()
    wrong = []

    def decide():
        for _ in range(40):
            if handle.decide(context).to_json() != want:
                wrong.append(1)

    threads = [threading.Thread(target=decide) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(30):
        if i % 3 == 2:
            handle.clear_candidate()
        else:
            handle.set_candidate(lower, share=0.5)
        handle.shadow_report()
    for t in threads:
        t.join()
    assert not wrong
