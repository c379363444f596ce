"""The cost of service from Python: decisions carry each action's cost and
the total, and engine.simulate() totals the cost to serve and lists the
customers above a share of their spend (as `tact simulate --cost-share`)."""


import pytest

import tact

POLICY = """
name: "costs" currency: "USD"
agent_minute_rate: 100
entitlements { tier: "standard" includes: "email" default: true }
actions { id: "reply" }
actions { id: "callback" cost { agent_minutes: 15 } }
actions { id: "note" cost { amount: 200 agent_minutes: 5 } }
rules { id: "always" recommend { action: "reply" } }
rules { id: "call" when: "case.channel == 'phone'" recommend { action: "callback" } }
rules { id: "unhappy" when: "case.sentiment < 0.0" recommend { action: "note" } }
"""


def case(customer, ltv, case_id, channel, sentiment, history=()):
    return {"now": "2026-03-10T12:00:00Z",
            "customer": {"id": customer, "tier": "standard", "lifetime_value": ltv},
            "case": {"id": case_id, "channel": channel, "sentiment": sentiment},
            "history": list(history)}


@pytest.fixture(scope="module")
def engine():
    return tact.Engine.from_text(POLICY)


def test_decision_carries_costs_and_total(engine):
    d = engine.decide(case("u1", 10000, "c1", "phone", -1.0))
    costs = {a.action: (a.cost, a.agent_minutes) for a in d.actions}
    assert costs == {"reply": (0, 0), "callback": (1500, 15), "note": (700, 5)}
    assert (d.total_cost, d.total_agent_minutes) == (2200, 20)
    assert [(e.kind, e.ref, e.amount, e.step) for e in d.effects] == [
        ("service_cost", "callback", 1500, 15), ("service_cost", "note", 700, 5)]
    assert d.to_dict()["totalCost"] == "2200"


def test_recorded_costs_are_not_emitted_again_at_the_same_now(engine):
    context = case("u1", 10000, "c1", "phone", 0.0)
    first = engine.decide(context)
    context["history"] = [e.event() for e in first.effects]
    again = engine.decide(context)
    assert again.total_cost == 1500
    assert again.effects == ()


def test_simulate_totals_and_lists_customers_above_the_share(engine):
    cases = [case("u1", 10000, "c1", "phone", 0.0),   # 1500 of 10000: 15%
             case("u2", 100000, "c2", "email", -1.0,  # 700 + 9000 of 100000
                  [{"at": "2026-02-01T00:00:00Z", "kind": "service_cost",
                    "ref": "callback", "amount": 9000, "case_id": "c0"}]),
             case("u3", 50000, "c3", "email", 0.0)]   # no cost
    result = engine.simulate(cases, cost_share=9.5)
    s = result["summary"]
    assert s["cost_to_serve_total"] == 2200
    assert s["agent_minutes_total"] == 20
    assert s["cases_with_cost"] == 2
    assert s["cost_to_serve_by_tier"] == {"standard": 2200}
    assert s["cost_to_serve_by_value_band"] == {"0-19999": 1500, "100000-499999": 700}
    share = result["cost_share"]
    assert share["percent"] == 9.5 and share["count"] == 2
    assert [(c["customer_id"], c["decision_cost"], c["history_cost"], c["cost_to_serve"],
             c["spend"]) for c in share["first"]] == [
        ("u1", 1500, 0, 1500, 10000), ("u2", 700, 9000, 9700, 100000)]
    # 9.7% is not above 9.7%.
    assert engine.simulate(cases, cost_share=9.7)["cost_share"]["count"] == 1
    assert "cost_share" not in engine.simulate(cases)


def test_simulate_rejects_a_negative_share(engine):
    with pytest.raises(ValueError, match="cost_share"):
        engine.simulate([], cost_share=-1)
