"""Decision.construct_trace: what every construct saw and did, as objects
(decide(..., trace=True)); the same values as the C++ trace and the JSON."""

import datetime as dt
import json
import os

import tact

from conftest import CONTEXTS, PLAYBOOK, read


def _decide(name, **kwargs):
    engine = tact.Engine.from_file(PLAYBOOK)
    context = json.loads(read(os.path.join(CONTEXTS, name + ".json")))
    return engine.decide(context, **kwargs)


def _entry(decision, kind):
    found = [e for e in decision.construct_trace if e.kind == kind]
    assert len(found) == 1, [e.kind for e in decision.construct_trace]
    return found[0]


def test_one_entry_per_construct_in_decide_order():
    d = _decide("playbook_unhappy_second_rung", authority="bot", trace=True)
    assert [(e.kind, e.id) for e in d.construct_trace] == [
        ("strike_limit", "time_wasting"), ("ladder", "unhappy_customer"),
        ("playbook", "service_failure"), ("service_level", "service_levels"),
        ("entitlement", "standard"),
        ("budget", "goodwill"), ("authority", "bot")]
    assert all(isinstance(e, tact.ConstructTrace) for e in d.construct_trace)
    assert all(e.summary for e in d.construct_trace)


def test_without_a_trace_there_are_no_entries():
    assert _decide("playbook_unhappy_second_rung").construct_trace == ()


def test_ladder_budget_and_authority_details():
    d = _decide("playbook_unhappy_second_rung", authority="bot", trace=True)
    ladder = _entry(d, "ladder")
    assert ladder.detail["entered"] is True
    assert ladder.detail["current_rung"] == 1
    assert ladder.detail["offered_rung"] == 2
    assert ladder.detail["offered_action"] == "goodwill_credit"
    assert ladder.detail["next_rung"] == 3
    assert ladder.detail["wait"] == dt.timedelta(hours=8)
    assert ladder.detail["next_due"] == dt.datetime(
        2026, 3, 11, 11, 30, tzinfo=dt.timezone.utc)
    assert ladder.summary.startswith("Rung 2 of 3 (goodwill_credit) offered.")

    budget = _entry(d, "budget").detail
    assert (budget["window_cap"], budget["case_cap"]) == (6000, 5000)
    assert (budget["remaining"], budget["granted_now"]) == (5000, 1500)
    assert budget["currency"] == "USD"

    authority = _entry(d, "authority")
    assert authority.id == "bot"
    held = authority.detail["held"]
    assert [h.action for h in held] == ["goodwill_credit"]
    assert isinstance(held[0], tact.RecommendedAction)
    assert held[0].required_authority == "agent"
    assert authority.detail["caller_limits"] == [1000]


def test_strike_limit_lists_the_counted_events():
    d = _decide("playbook_three_strikes", trace=True)
    strikes = _entry(d, "strike_limit").detail
    assert (strikes["count"], strikes["limit"], strikes["at_limit"]) == (
        3, 3, True)
    assert strikes["window"] == dt.timedelta(days=90)
    assert [e["kind"] for e in strikes["counted"]] == ["time_wasting"] * 3
    times = [e["at"] for e in strikes["counted"]]
    assert times == sorted(times)


def test_playbook_past_its_window_and_the_entries_match_the_json():
    d = _decide("playbook_service_failure_late_fix", trace=True)
    playbook = _entry(d, "playbook")
    assert playbook.detail["triggered"] is True
    assert playbook.detail["stages"][:3] == ["apology", "fix", "surprise"]
    assert playbook.detail["window_missed"] is True
    assert d.has_flag("recovery_window_missed")
    from_json = d.to_dict()["constructTrace"]
    assert [e["summary"] for e in from_json] == [
        e.summary for e in d.construct_trace]
    assert tact.Decision(d.to_bytes()).construct_trace == d.construct_trace
