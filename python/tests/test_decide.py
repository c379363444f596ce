"""decide(): every input form, the Decision object, its JSON."""

import datetime as dt
import json

import pytest
from google.protobuf import json_format

import tact
from tact.v1 import context_pb2, decision_pb2

from conftest import read, example_contexts


def _forms(context_dict):
    """The same context as a dict, JSON str, wire bytes and a message."""
    as_json = json.dumps(context_dict)
    message = json_format.Parse(as_json, context_pb2.Context())
    return {"dict": context_dict, "json": as_json,
            "bytes": message.SerializeToString(), "message": message,
            "bytearray": bytearray(message.SerializeToString()),
            "json_bytes_message": json_format.Parse(as_json.encode(), context_pb2.Context())}


@pytest.mark.parametrize("path", example_contexts())
def test_all_input_forms_give_the_same_decision(engine, path):
    context = json.loads(read(path))
    decisions = {name: engine.decide(form, authority="bot", trace=True)
                 for name, form in _forms(context).items()}
    reference = decisions["dict"]
    for name, decision in decisions.items():
        assert decision == reference, name
        assert decision.to_json() == reference.to_json(), name


def test_snake_case_dict_and_datetimes(engine, contexts):
    name, camel = sorted(contexts.items())[0]
    snake = json.loads(json.dumps(camel))
    customer = snake.get("customer", {})
    if "spend12m" in customer:
        customer["spend_12m"] = int(customer.pop("spend12m"))
    snake["now"] = dt.datetime.fromisoformat(camel["now"].replace("Z", "+00:00"))
    assert engine.decide(snake) == engine.decide(camel)
    naive = dict(camel, now=snake["now"].replace(tzinfo=None))  # naive = UTC
    assert engine.decide(naive) == engine.decide(camel)


def test_decision_attributes(engine, contexts):
    for context in contexts.values():
        d = engine.decide(context, authority="bot")
        assert d.policy_name == engine.policy_name
        assert d.policy_version == engine.policy_version
        assert d.policy_hash == engine.policy_hash
        assert d.now == dt.datetime.fromisoformat(
            context["now"].replace("Z", "+00:00"))
        assert d.top is (d.actions[0] if d.actions else None)
        for rank, action in enumerate(d.actions, 1):
            assert action.rank == rank
            assert isinstance(action.action, str) and action.action
            assert isinstance(action.params, dict)
            assert isinstance(action.text, str)
            assert action.reasons and all(r.source_kind for r in action.reasons)
            assert action.required_authority == ""
        for action in d.needs_approval:
            assert action.required_authority
        for blocked in d.blocked:
            assert blocked.code and blocked.blocked_by.source_kind
        for effect in d.effects:
            assert effect.kind
        for flag in d.flags:
            assert flag.code
            assert d.has_flag(flag.code)
        assert not d.trace  # not requested


def test_to_dict_and_to_json_agree_with_attributes(engine, contexts):
    for context in contexts.values():
        d = engine.decide(context, trace=True)
        as_dict = d.to_dict()
        assert json.loads(d.to_json()) == as_dict
        assert json.loads(d.to_json(pretty=False)) == as_dict
        assert d.to_json().startswith("{\n  \"policyName\"")
        assert [a["action"] for a in as_dict.get("actions", [])] == [a.action for a in d.actions]
        assert len(as_dict.get("blocked", [])) == len(d.blocked)
        assert len(as_dict.get("effects", [])) == len(d.effects)
        assert len(d.trace) == len(engine.policy.rules)
        for action, raw in zip(d.actions, as_dict.get("actions", [])):
            for param in raw.get("params", []):
                value = param["value"]
                if "intValue" in value:
                    assert action.params[param["name"]] == int(value["intValue"])
                elif "stringValue" in value:
                    assert action.params[param["name"]] == value["stringValue"]


def test_to_proto_and_bytes(engine, contexts):
    context = next(iter(contexts.values()))
    d = engine.decide(context)
    message = d.to_proto()
    assert isinstance(message, decision_pb2.Decision)
    assert message.policy_name == d.policy_name
    assert tact.Decision(d.to_bytes()) == d
    assert json_format.MessageToDict(message) == d.to_dict()


def test_decisions_are_immutable_and_hashable(engine, contexts):
    d = engine.decide(next(iter(contexts.values())))
    with pytest.raises(AttributeError):
        d.actions = ()
    if d.actions:
        with pytest.raises(Exception):
            d.actions[0].action = "x"
    assert len({d, engine.decide(next(iter(contexts.values())))}) == 1
    assert "tact.Decision" in repr(d)


def test_trace_records_every_rule(engine, contexts):
    d = engine.decide(next(iter(contexts.values())), trace=True)
    assert [t.rule_id for t in d.trace] == [r.id for r in engine.policy.rules]
    for t in d.trace:
        assert t.fired or t.failed_condition or t.error or t.shadowed_by_final


def test_trace_shows_the_values_of_a_false_conjunct():
    engine = tact.Engine.from_text("""
        name: "values" currency: "USD" actions { id: "reply" }
        rules { id: "gold" when: "customer.tier == 'gold'" recommend { action: "reply" } }
    """)
    context = {"now": "2026-01-05T10:00:00Z", "customer": {"tier": "silver"}}
    (rule,) = engine.decide(context, trace=True).trace
    assert rule.failed_condition == "customer.tier == 'gold'"
    assert rule.values == {"customer.tier": '"silver"'}
    (rule,) = engine.decide(dict(context, customer={"tier": "gold"}), trace=True).trace
    assert rule.fired and rule.values == {}


MONEY = """
name: "money" currency: "USD" authorities: "bot" authorities: "agent"
actions { id: "apologize" title: "Apologize" template: "Sorry!" }
actions { id: "refund" title: "Refund" template: "Refund {amount:money} by {due}."
          amount_param: "amount" limits { authority: "bot" max_amount: 1000 } }
rules { id: "sorry" when: "case.our_fault" recommend { action: "apologize" }
        priority: 10 reason: "Our fault." }
rules { id: "refund" when: "case.category == 'billing'"
        recommend { action: "refund"
                    params { key: "amount" value: "int(case.sentiment * -5000.0)" }
                    params { key: "due" value: "now + duration('24h')" } } }
"""


@pytest.mark.parametrize("sentiment, bot_may", [(-0.1, True), (-0.9, False)])
def test_authority_limits_move_actions_to_needs_approval(sentiment, bot_may):
    engine = tact.Engine.from_text(MONEY)
    ctx = {"now": dt.datetime(2026, 1, 5, 10, tzinfo=dt.timezone.utc),
           "case": {"category": "billing", "sentiment": sentiment, "ourFault": True}}
    unrestricted = engine.decide(ctx)
    as_bot = engine.decide(ctx, authority="bot")
    as_agent = engine.decide(ctx, authority="agent")
    assert [a.action for a in unrestricted.actions] == ["apologize", "refund"]
    # The same decision; only the authority it records differs.
    agent_proto, unrestricted_proto = as_agent.to_proto(), unrestricted.to_proto()
    assert agent_proto.authority == "agent" and unrestricted_proto.authority == ""
    agent_proto.ClearField("authority")
    assert agent_proto == unrestricted_proto
    refund = unrestricted.actions[1]
    assert refund.params["amount"] == int(sentiment * -5000)
    assert refund.params["due"] == dt.datetime(2026, 1, 6, 10, tzinfo=dt.timezone.utc)
    if bot_may:
        assert [a.action for a in as_bot.actions] == ["apologize", "refund"]
        assert not as_bot.needs_approval
    else:
        assert [a.action for a in as_bot.actions] == ["apologize"]
        assert [a.action for a in as_bot.needs_approval] == ["refund"]
        assert as_bot.needs_approval[0].required_authority == "agent"
    assert unrestricted.actions[0].text == "Sorry!"
    assert unrestricted.actions[0].reasons[0] == tact.Reason("rule", "sorry", "Our fault.")
