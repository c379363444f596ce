"""engine.why_not() and tact.apply_change(): the answer as objects, each
verified path checked here by applying its changes and deciding again."""

import datetime as dt
import json
import os

import pytest

import tact

from conftest import CONTEXTS, PLAYBOOK, SUPPORT, read


def load(name):
    return json.loads(read(os.path.join(CONTEXTS, name + ".json")))


@pytest.fixture(scope="module")
def support():
    return tact.Engine.from_file(SUPPORT)


@pytest.fixture(scope="module")
def playbook():
    return tact.Engine.from_file(PLAYBOOK)


def recommends(engine, context, action, authority=None):
    decision = engine.decide(context, authority=authority)
    return action in [a.action for a in decision.actions]


def apply_path(context, path, authority=None):
    for change in path.changes:
        if change.kind == "authority":
            authority = change.authority
        else:
            context = tact.apply_change(context, change)
    return context, authority


def test_not_proposed_rule_gives_thresholds_and_is_verified(support):
    context = load("late_delivery_vip")
    why = support.why_not(context, "public_reply")
    assert isinstance(why, tact.WhyNot)
    assert why.action == "public_reply"
    assert why.status == "not_proposed"
    assert "1 checked by deciding again" in why.summary
    (path,) = why.paths
    assert isinstance(path, tact.WhyNotPath)
    assert path.source.source_kind == "rule"
    assert path.source.source_id == "connector-public-complaint"
    assert [c.field for c in path.changes] == ["customer.influence", "case.channel"]
    assert path.changes[0].kind == "set"
    assert path.changes[0].value == pytest.approx(0.7)
    assert path.changes[1].value == "social"
    assert path.changes[0].text.startswith(
        "customer.influence would have to be at least 0.7")
    assert path.verified
    changed, authority = apply_path(context, path)
    assert recommends(support, changed, "public_reply", authority)
    assert not recommends(support, context, "public_reply")


def test_needs_approval_names_the_authority(support):
    context = load("late_delivery_vip")
    why = support.why_not(context, "callback", authority="bot")
    assert why.status == "needs_approval"
    (path,) = why.paths
    (change,) = path.changes
    assert change.kind == "authority"
    assert change.authority == "agent"
    assert change.text.startswith("an agent may approve it")
    assert path.verified
    # As the bot the context alone changes nothing: the authority does.
    assert tact.apply_change(context, change) == tact.apply_change(context, change)
    assert recommends(support, context, "callback", authority="agent")


def test_blocked_by_a_veto(support):
    context = load("demanding_low_spender")
    why = support.why_not(context, "callback")
    assert why.status == "blocked"
    (path,) = why.paths
    assert path.source.source_id == "no-free-special-treatment"
    (change,) = path.changes
    assert change.field == "customer.spend_12m"
    assert change.value == 20000
    changed, _ = apply_path(context, path)
    assert recommends(support, changed, "callback")


def test_stopped_by_a_final_rule(support):
    why = support.why_not(load("legal_hold"), "apologize")
    assert why.status == "stopped"
    assert "legal-or-fraud-hold" in why.paths[0].source.text
    assert why.paths[0].verified


def test_recommended_has_no_paths(support):
    why = support.why_not(load("late_delivery_vip"), "apologize")
    assert why.status == "recommended"
    assert why.paths == []


def test_strike_path_removes_events(playbook):
    context = load("playbook_three_strikes")
    why = playbook.why_not(context, "three_strikes_warning")
    (path,) = why.paths
    (change,) = path.changes
    assert change.kind == "remove_events"
    assert change.count == 1
    assert change.text.startswith("one strike fewer in the window")
    changed, _ = apply_path(context, path)
    assert len(changed["history"]) == len(context["history"]) - 1
    assert recommends(playbook, changed, "three_strikes_warning")


def test_a_path_that_cannot_be_stated_says_why(support):
    why = support.why_not(load("late_delivery_vip"), "goodwill_credit")
    assert why.paths
    for path in why.paths:
        assert not path.verified
        assert path.changes == []
        assert "cannot state" in path.source.text


def test_unknown_action_is_a_value_error_naming_the_nearest(support):
    with pytest.raises(ValueError, match='did you mean "public_reply"'):
        support.why_not(load("late_delivery_vip"), "pubic_reply")
    with pytest.raises(TypeError):
        support.why_not(load("late_delivery_vip"), 7)
    with pytest.raises(ValueError, match="unknown authority"):
        support.why_not(load("late_delivery_vip"), "callback", authority="janitor")


def test_a_malformed_context_is_a_context_error(support):
    with pytest.raises(tact.ContextError):
        support.why_not({"customer": {"tier": "gold"}}, "callback")


def test_apply_change_sets_clears_and_removes():
    context = {"now": "2026-01-05T10:00:00Z",
               "customer": {"tier": "gold", "spend_12m": 10},
               "history": [{"kind": "strike", "at": "2026-01-04T10:00:00Z"},
                           {"kind": "strike", "at": "2026-01-03T10:00:00Z"}]}
    out = tact.apply_change(context, tact.ContextChange(
        kind="set", field="customer.spend_12m", value=500))
    assert out["customer"]["spend12m"] == "500"
    out = tact.apply_change(out, tact.ContextChange(kind="clear",
                                                    field="customer.tier"))
    assert "tier" not in out["customer"]
    out = tact.apply_change(out, tact.ContextChange(
        kind="set", field="now", value=dt.datetime(2026, 2, 1, tzinfo=dt.timezone.utc)))
    assert out["now"] == "2026-02-01T00:00:00Z"
    out = tact.apply_change(out, tact.ContextChange(
        kind="remove_events", event_kind="strike", count=1))
    assert out["history"] == [{"kind": "strike", "at": "2026-01-03T10:00:00Z"}]


def test_apply_change_errors_name_the_problem():
    context = {"now": "2026-01-05T10:00:00Z"}
    with pytest.raises(ValueError, match="customer.teir"):
        tact.apply_change(context, tact.ContextChange(
            kind="set", field="customer.teir", value="gold"))
    with pytest.raises(ValueError, match='unknown change kind "add"'):
        tact.apply_change(context, tact.ContextChange(kind="add"))
    with pytest.raises(TypeError):
        tact.apply_change(context, {"kind": "set"})
    with pytest.raises(tact.ContextError):
        tact.apply_change("{not json", tact.ContextChange(kind="clear",
                                                          field="customer.tier"))
