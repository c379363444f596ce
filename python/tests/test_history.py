"""Issue 13 through the binding: one view of the history (at <= now), and
effects that are the events to append, so deciding again after recording
them counts and emits nothing twice."""

import datetime as dt
import os

import tact

from conftest import REPO

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 1, 5, 10, 0, tzinfo=UTC)

# The policy tests/policy/history_test.cc decides with too.
POLICY_PATH = os.path.join(REPO, "tests", "data", "history", "policy.textproto")
with open(POLICY_PATH, encoding="utf-8") as _f:
    POLICY = _f.read()


def _engine():
    return tact.Engine.from_text(POLICY, format="text")


def _context(now, case_id, category, history):
    return {"now": now, "customer": {"id": "c1"},
            "case": {"id": case_id, "category": category,
                     "opened_at": NOW - dt.timedelta(days=1)},
            "history": history}


def _strike(case_id, at):
    return {"kind": "strike", "ref": "time_wasting", "case_id": case_id,
            "step": 1, "at": at}


def _ids(decision):
    return [a.action for a in decision.actions]


def _effects(decision):
    return [(e.kind, e.ref, e.amount, e.step) for e in decision.effects]


def test_an_event_at_now_counts_one_a_second_after_does_not():
    engine = _engine()
    before = [_strike("k0", NOW - dt.timedelta(days=1))]
    at_now = engine.decide(_context(NOW, "k1", "time_wasting",
                                    before + [_strike("k2", NOW)]))
    assert _ids(at_now) == ["decline"]
    later = engine.decide(_context(NOW, "k1", "time_wasting",
                                   before + [_strike("k2", NOW + dt.timedelta(seconds=1))]))
    assert _ids(later) == ["warn"]


def test_effect_is_the_event_to_append():
    decision = _engine().decide(_context(NOW, "k1", "time_wasting", []))
    (effect,) = decision.effects
    assert (effect.kind, effect.ref, effect.step) == ("strike", "time_wasting", 1)
    assert effect.case_id == "k1"
    assert effect.at == NOW
    assert effect.event() == {"kind": "strike", "ref": "time_wasting", "step": 1,
                              "case_id": "k1", "at": NOW}


def test_one_case_decided_many_times_records_nothing_twice():
    engine = _engine()
    history = [_strike("k0", NOW - dt.timedelta(days=1))]

    def decide(now, case_id, category):
        decision = engine.decide(_context(now, case_id, category, history))
        history.extend(e.event() for e in decision.effects)  # as the effect says
        return decision

    # Three messages of one time-wasting conversation: one strike.
    for minute in range(3):
        now = NOW + dt.timedelta(minutes=minute)
        assert _ids(decide(now, "k1", "time_wasting")) == ["warn"]
        assert _ids(decide(now, "k1", "time_wasting")) == ["warn"]  # same now
    assert [e["case_id"] for e in history if e["kind"] == "strike"] == ["k0", "k1"]
    history.clear()  # another customer, with no strikes to warn about

    # An unhappy case: one rung per decision, each recorded once.
    first = decide(NOW, "u1", "unhappy")
    assert _ids(first) == ["explain"]
    assert _effects(first) == [("rung_offered", "unhappy", 0, 1)]
    same = decide(NOW, "u1", "unhappy")
    assert _ids(same) == ["explain"] and _effects(same) == []
    second = decide(NOW + dt.timedelta(hours=1), "u1", "unhappy")
    assert _ids(second) == ["credit"]
    assert _effects(second) == [("rung_offered", "unhappy", 0, 2),
                                ("goodwill", "goodwill", 2000, 0)]
    again = decide(NOW + dt.timedelta(hours=1), "u1", "unhappy")
    assert _ids(again) == ["credit"] and _effects(again) == []
    assert _ids(decide(NOW + dt.timedelta(hours=2), "u1", "unhappy")) == ["supervisor"]

    # Money: the same grant at the same now is not granted twice; later
    # decisions draw on what the case has left (3000 per case).
    late = [decide(NOW, "m1", "late") for _ in range(3)]
    assert [a.params["amount"] for d in late for a in d.actions] == [2000] * 3
    assert [len(d.effects) for d in late] == [1, 0, 0]
    more = decide(NOW + dt.timedelta(hours=1), "m1", "late")
    assert more.actions[0].params["amount"] == 1000
    spent = decide(NOW + dt.timedelta(hours=2), "m1", "late")
    assert _ids(spent) == [] and [b.code for b in spent.blocked] == ["budget_exhausted"]

    granted = {}
    for e in history:
        if e["kind"] == "goodwill":
            granted[e["case_id"]] = granted.get(e["case_id"], 0) + e["amount"]
    assert granted == {"u1": 2000, "m1": 3000}
    rungs = [(e["case_id"], e["step"]) for e in history if e["kind"] == "rung_offered"]
    assert rungs == [("u1", 1), ("u1", 2)]
