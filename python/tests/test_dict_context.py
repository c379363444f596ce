"""Context dicts read natively in C++ (python/dict_context.cc) against the
JSON path (json.dumps + tact::ContextFromJson) they replace: the same
context or an error from both, for the example contexts, hand-picked edge
cases and a generated set; native errors name the field."""

import datetime as dt
import json
import math
import random
import re

import pytest

import tact
from tact import _convert, _tact

from conftest import read, example_contexts
from tact.v1 import context_pb2

NOW = "2026-01-05T10:00:00Z"
UTC = dt.timezone.utc


def json_path(context):
    """(True, context bytes) or (False, message), the old way."""
    try:
        _, payload = _convert.context_payload(context)
    except tact.ContextError as e:
        return False, e.message
    return _tact.context_from_json(payload)


def native(context):
    """(True, bytes), (False, message) or None when left to the JSON path."""
    out = _tact.context_from_dict(context)
    if out is None:
        return None
    if isinstance(out, str):
        return False, out
    return True, out.to_bytes()


def assert_same(context):
    """The native result, checked against the JSON path's."""
    expected = json_path(context)
    got = native(context)
    if got is None:
        return None
    assert got[0] == expected[0], (context, got, expected)
    if got[0]:  # map order in the wire format is arbitrary: compare messages
        assert context_pb2.Context.FromString(got[1]) == \
            context_pb2.Context.FromString(expected[1]), context
    return got


# --- Example contexts ------------------------------------------------------------

@pytest.mark.parametrize("path", example_contexts(), ids=lambda p: p.split("/")[-1])
def test_example_contexts_convert_natively_and_identically(engine, path):
    context = json.loads(read(path))
    got = assert_same(context)
    assert got is not None and got[0], path
    assert engine.decide(context).to_json() == engine.decide(read(path)).to_json()


# --- Hand-picked cases -------------------------------------------------------------

def ctx(**fields):
    return dict({"now": NOW}, **fields)


VALID = [
    ctx(customer={"spend_12m": 5, "lifetimeValue": "-9223372036854775808",
                  "tenure_days": 9223372036854775807, "orders12m": "007",
                  "influence": 0.25, "id": "c", "tier": "gold"}),
    ctx(customer={"influence": 3}, case={"sentiment": -(2 ** 53)}),
    ctx(case={"ourFault": True, "our_fault": False}),  # a field twice
    ctx(case={"openedAt": dt.datetime(2026, 1, 5, 10, 0, 0, 123456),
              "incident_at": dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
              "message": "caf\u00e9 \u2603 \U0001f600", "channel": ""}),
    ctx(now=dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.timezone(-dt.timedelta(hours=5, minutes=30)))),
    ctx(now="2026-01-05T10:00:00.123456789Z"),
    ctx(now="2026-01-05T10:00:00+01:30"),
    ctx(now="1970-01-01T00:00:00Z"),
    # RFC 3339 text read in place (dict_context.cc CanonicalTimestamp) and
    # its edges, which protobuf's parser reads.
    ctx(now="2024-02-29T23:59:59Z"), ctx(now="0001-01-01T00:00:00Z"),
    ctx(now="9999-12-31T23:59:59.999999999Z"), ctx(now="2026-01-05T10:00:00.5Z"),
    ctx(now="2026-01-05T10:00:00.1234567891Z"), ctx(now="2026-1-05T10:00:00Z"),
    ctx(now="2026-01-05T10:00:00.Z"), ctx(now="2026-01-05T10:00:00Z\x00x"),
    ctx(now="2026-01-05T10:00:00.000000000Z"), ctx(now="1969-12-31T23:59:59.1Z"),
    ctx(now="2026-01-05t10:00:00Z"), ctx(now="2023-02-29T00:00:00Z"),
    ctx(now="2026-01-05T24:00:00Z"), ctx(now="2026-01-05T10:00:60Z"),
    ctx(now="2026-04-31T10:00:00Z"), ctx(now="0000-01-01T00:00:00Z"),
    ctx(now="2026-01-05T10:00:00+00:00"), ctx(now="2026-01-05T10:00:00.12a4Z"),
    ctx(history=[{"at": NOW, "kind": "complaint", "amount": "100", "caseId": "x",
                  "ref": "r", "step": 2}, {}], attributes={}),
    ctx(history=({"kind": "order"},)),
    ctx(attributes={"b": {"boolValue": False}, "i": {"int_value": "12"},
                    "d": {"doubleValue": 1.5}, "s": {"stringValue": ""},
                    "t": {"timestampValue": dt.datetime(2025, 12, 31, 23, 59, 59)},
                    "u": {"durationValue": dt.timedelta(days=-1, microseconds=5)},
                    "v": {"duration_value": dt.timedelta(hours=1)},
                    "w": {"durationValue": "-0.5s"}, "e": {},
                    "x": {"intValue": 7, "doubleValue": 2.0}}),
    # Left to the JSON path, which accepts them.
    ctx(customer=None), ctx(customer={"tier": None}), ctx(customer={"spend12m": 3.0}),
    ctx(customer={"spend12m": "1e3"}), ctx(customer={"influence": "0.5"}),
    ctx(customer={"influence": 2 ** 60}), ctx(case={"message": dt.datetime(2026, 1, 1)}),
    ctx(case={"our_fault": 1}), ctx(case={"our_fault": "true"}),
    ctx(now=dt.datetime(9999, 12, 31, 23, 59)), ctx(now=dt.datetime(999, 1, 1)),
    ctx(history=None), ctx(attributes={"x": None}),
    ctx(history={"kind": "x"}), ctx(case={"openedAt": {"seconds": 1}}),
    ctx(customer={"spend_12m": -(2 ** 63) - 1}),
]


@pytest.mark.parametrize("context", VALID, ids=range(len(VALID)))
def test_valid_or_lenient_dicts_match_the_json_path(engine, context):
    assert_same(context)
    expected = json_path(context)
    if expected[0]:
        # The same decision, or the same error (an undated event or a time
        # expressions cannot hold is rejected by decide: fail closed).
        assert _decided(engine, context) == _decided(
            engine, _convert.context_payload(context)[1].decode())


def _decided(engine, context):
    try:
        return engine.decide(context).to_json()
    except tact.ContextError as e:
        return e.message


# (context, text every native error message must hold: the field).
INVALID = [
    (ctx(custmer={}), "custmer"),
    (ctx(customer={"teir": "gold"}), "customer.teir"),
    (ctx(customer={"spend12m": True}), "customer.spend12m"),
    (ctx(customer={"spend_12m": 2 ** 63}), "customer.spend_12m"),
    (ctx(customer={"spend12m": "9223372036854775808"}), "customer.spend12m"),
    (ctx(customer={"spend12m": "lots"}), "customer.spend12m"),
    (ctx(customer={"spend12m": [1]}), "customer.spend12m"),
    (ctx(customer={"spend12m": float("nan")}), "customer.spend12m"),
    (ctx(customer={"influence": float("nan")}), "customer.influence"),
    (ctx(customer={"influence": float("inf")}), "customer.influence"),
    (ctx(customer={"influence": True}), "customer.influence"),
    (ctx(customer={"influence": {}}), "customer.influence"),
    (ctx(customer={"tier": 3}), "customer.tier"),
    (ctx(customer={"tier": ["gold"]}), "customer.tier"),
    (ctx(customer={"tier": "\ud800"}), "customer.tier"),
    (ctx(customer={"tier": {1, 2}}), "customer.tier"),
    (ctx(customer="gold"), "customer"),
    (ctx(customer=[]), "customer"),
    (ctx(case={"ourFault": []}), "case.ourFault"),
    (ctx(case={"opened_at": "yesterday"}), "case.opened_at"),
    (ctx(case={"openedAt": "2026-13-01T00:00:00Z"}), "case.openedAt"),
    (ctx(case={"openedAt": 1767607200}), "case.openedAt"),
    (ctx(case={"openedAt": dt.timedelta(1)}), "case.openedAt"),
    (ctx(now="yesterday"), "now"),
    (ctx(now="2026-01-05 10:00:00Z"), "now"),
    (ctx(history="none"), "history"),
    (ctx(customer={"spend12m": "-9223372036854775809"}), "customer.spend12m"),
    (ctx(customer={"spend12m": -(2 ** 63) - 10 ** 6}), "customer.spend12m"),
    (ctx(customer={"spend12m": 10 ** 400}), "customer.spend12m"),
    (ctx(history=[{"kind": "x"}, "y"]), "history[1]"),
    (ctx(history=[{"amount": "x1"}]), "history[0].amount"),
    (ctx(history=[{"at": "then"}]), "history[0].at"),
    (ctx(attributes=[]), "attributes"),
    (ctx(attributes={"vip": True}), "attributes.vip"),
    (ctx(attributes={"vip": {"value": True}}), "attributes.vip.value"),
    (ctx(attributes={"vip": {"boolValue": True, "x": 1}}), "attributes.vip.x"),
    (ctx(attributes={"n": {"intValue": 1.5e300 * 1e300}}), "attributes.n.intValue"),
    (ctx(attributes={"d": {"durationValue": 3600}}), "attributes.d.durationValue"),
    (ctx(attributes={"d": {"durationValue": dt.datetime(2026, 1, 1)}}),
     "attributes.d.durationValue"),
    (ctx(attributes={"t": {"timestampValue": "soon"}}), "attributes.t.timestampValue"),
    (ctx(attributes={"s": {"stringValue": object()}}), "attributes.s.stringValue"),
    ({"now": NOW, (1, 2): 3}, "key"),
]


@pytest.mark.parametrize("context, field", INVALID, ids=range(len(INVALID)))
def test_invalid_dicts_fail_both_ways_naming_the_field(engine, context, field):
    assert not json_path(context)[0]
    got = native(context)
    assert got is not None and not got[0], got
    assert field in got[1], got[1]
    with pytest.raises(tact.ContextError, match="invalid context") as info:
        engine.decide(context)
    assert field in str(info.value)


def test_missing_now_is_the_engines_error_either_way(engine):
    with pytest.raises(tact.ContextError, match="now"):
        engine.decide({"customer": {"tier": "gold"}})


def test_str_subclass_keys_decide_as_their_text(engine):
    # json.dumps writes a str subclass key (e.g. a StrEnum) as its text.
    class Key(str):
        pass

    context = {Key("now"): NOW, "customer": {Key("tier"): "gold"}}
    plain = {"now": NOW, "customer": {"tier": "gold"}}
    assert native(context) is None  # left to the JSON path
    assert engine.decide(context).to_json() == engine.decide(plain).to_json()


def test_decide_many_reads_dicts_natively_with_errors_by_index(engine, contexts):
    good = list(contexts.values())
    batch = good + [ctx(customer={"spend12m": True}), ctx(customer=None)]
    results = engine.decide_many(batch, threads=2, return_exceptions=True)
    for context, decision in zip(good, results):
        assert decision.to_json() == engine.decide(json.dumps(context)).to_json()
    assert isinstance(results[-2], tact.ContextError)
    assert results[-2].index == len(good) and "customer.spend12m" in str(results[-2])
    assert isinstance(results[-1], tact.Decision)  # fell back to JSON


def test_decision_objects_match_their_json(engine, contexts):
    for context in contexts.values():
        d = engine.decide(context, trace=True)
        j = d.to_dict()
        assert d == tact.Decision(d.to_bytes())
        assert [a.action for a in d.actions] == [a["action"] for a in j.get("actions", [])]
        assert [e.amount for e in d.effects] == [int(e.get("amount", 0)) for e in j.get("effects", [])]
        assert len(d.trace) == len(j.get("trace", []))
        assert d.to_json() == d.to_json()  # printed once, cached


# --- Generated contexts ------------------------------------------------------------

# How often the generators pick an unusual value (1: often, 0: never).
_NOISE = [1.0]


def _random_timestamp(rng):
    choice = rng.randrange(6) if rng.random() < _NOISE[0] else rng.choice([0, 1, 2, 5])
    base = dt.datetime(2026, 1, 5, 10, tzinfo=UTC) + dt.timedelta(
        seconds=rng.randrange(-10 ** 9, 10 ** 9), microseconds=rng.randrange(10 ** 6))
    if choice == 0:
        return base.replace(tzinfo=None)
    if choice == 1:
        return base.astimezone(dt.timezone(dt.timedelta(minutes=rng.randrange(-900, 900))))
    if choice == 2:
        return _convert._rfc3339(base)
    if choice == 3:
        return base.strftime("%Y-%m-%dT%H:%M:%S") + rng.choice(
            ["Z", ".5Z", ".123456789Z", "+02:00", "-11:30", ".1234567891Z", "", "z"])
    if choice == 4:
        return rng.choice(["", "now", "2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z",
                           "10000-01-01T00:00:00Z", 12, None, dt.timedelta(1)])
    return base


def _random_int(rng):
    return rng.choice([
        rng.randrange(-10 ** 6, 10 ** 6), str(rng.randrange(-10 ** 12, 10 ** 12)),
        2 ** 63 - 1, -2 ** 63, 2 ** 63, "-0", "+5", " 5", "5 ", "1.0", "1e2", "0x10",
        True, 2.0, 2.5, float("nan"), None, "", "12abc", [1],
    ]) if rng.random() < 0.4 * _NOISE[0] else rng.randrange(-10 ** 9, 10 ** 9)


def _random_double(rng):
    return rng.choice([
        rng.uniform(-1, 1), rng.randrange(-100, 100), 2 ** 53, 2 ** 53 + 1, -2 ** 70,
        "0.5", "NaN", "Infinity", "-Infinity", "1e400", float("inf"), True, None, "x", {},
    ]) if rng.random() < 0.4 * _NOISE[0] else rng.uniform(-1e6, 1e6)


def _random_string(rng):
    return rng.choice(["", "gold", "caf\u00e9", "\u2603" * 3, "a\nb\"c", "\ud800",
                       5, True, None, ["x"], dt.datetime(2026, 1, 1)]) \
        if rng.random() < 0.3 * _NOISE[0] else "".join(rng.choice("abcxyz_ -") for _ in range(rng.randrange(12)))


def _random_bool(rng):
    return rng.choice([True, False, 0, 1, "true", "false", None, [], 2.0]) \
        if rng.random() < 0.3 * _NOISE[0] else rng.random() < 0.5


def _random_duration(rng):
    if rng.random() >= _NOISE[0]:
        return dt.timedelta(seconds=rng.randrange(-10 ** 7, 10 ** 7),
                            microseconds=rng.randrange(10 ** 6))
    return rng.choice([
        dt.timedelta(seconds=rng.randrange(-10 ** 7, 10 ** 7), microseconds=rng.randrange(10 ** 6)),
        dt.timedelta(days=-rng.randrange(1, 1000)), dt.timedelta(days=999999999),
        "3600s", "-1.5s", "1.1234567891s", "1m", "s", 5, None,
    ])


def _key(rng, snake, camel):
    return snake if rng.random() < 0.5 else camel


def _random_value(rng):
    kind = rng.randrange(7) if rng.random() < _NOISE[0] else rng.randrange(6)
    pairs = [("bool_value", "boolValue", _random_bool), ("int_value", "intValue", _random_int),
             ("double_value", "doubleValue", _random_double),
             ("string_value", "stringValue", _random_string),
             ("timestamp_value", "timestampValue", _random_timestamp),
             ("duration_value", "durationValue", _random_duration)]
    if kind == 6:
        return rng.choice([{}, {"bogus": 1}, True, "x", None,
                           {"boolValue": True, "intValue": 1}])
    snake, camel, make = pairs[kind]
    return {_key(rng, snake, camel): make(rng)}


def _random_context(rng):
    context = {}
    if rng.random() < 0.95:
        context["now"] = _random_timestamp(rng) if rng.random() < 0.3 else NOW
    if rng.random() < 0.8:
        customer = {}
        for snake, camel, make in [("id", "id", _random_string), ("tier", "tier", _random_string),
                                   ("spend_12m", "spend12m", _random_int),
                                   ("lifetime_value", "lifetimeValue", _random_int),
                                   ("tenure_days", "tenureDays", _random_int),
                                   ("influence", "influence", _random_double),
                                   ("orders_12m", "orders12m", _random_int)]:
            if rng.random() < 0.5:
                customer[_key(rng, snake, camel)] = make(rng)
        context["customer"] = customer
    if rng.random() < 0.8:
        case = {}
        for snake, camel, make in [("id", "id", _random_string), ("channel", "channel", _random_string),
                                   ("category", "category", _random_string),
                                   ("severity", "severity", _random_string),
                                   ("sentiment", "sentiment", _random_double),
                                   ("message", "message", _random_string),
                                   ("opened_at", "openedAt", _random_timestamp),
                                   ("incident_at", "incidentAt", _random_timestamp),
                                   ("our_fault", "ourFault", _random_bool)]:
            if rng.random() < 0.5:
                case[_key(rng, snake, camel)] = make(rng)
        context["case"] = case
    if rng.random() < 0.5:
        history = []
        for _ in range(rng.randrange(4)):
            event = {}
            for snake, camel, make in [("at", "at", _random_timestamp), ("kind", "kind", _random_string),
                                       ("amount", "amount", _random_int),
                                       ("case_id", "caseId", _random_string),
                                       ("ref", "ref", _random_string), ("step", "step", _random_int)]:
                if rng.random() < 0.5:
                    event[_key(rng, snake, camel)] = make(rng)
            history.append(event)
        context["history"] = history if rng.random() < 0.8 else tuple(history)
    if rng.random() < 0.5:
        context["attributes"] = {f"a{i}": _random_value(rng) for i in range(rng.randrange(5))}
    if rng.random() < 0.03 * _NOISE[0]:
        context[rng.choice(["custmer", "Now", "case_"])] = {}
    return context


def _named_field(context, message):
    """The value at the path an "invalid context: <path>: ..." message
    names, or None when the path does not lead into `context`."""
    prefix = "invalid context: "
    if not message.startswith(prefix) or ": " not in message[len(prefix):]:
        return None
    path = message[len(prefix):].split(": ", 1)[0]
    value = context
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            if not isinstance(value, (list, tuple)) or int(part[1:-1]) >= len(value):
                return None
            value = value[int(part[1:-1])]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return path


@pytest.fixture
def noise():
    def set_noise(value):
        _NOISE[0] = value
    yield set_noise
    _NOISE[0] = 1.0


def test_generated_contexts_match_the_json_path(noise):
    rng = random.Random(20261123)
    counts = {"native ok": 0, "native error": 0, "json path": 0}
    for i in range(4000):
        noise(1.0 if i % 2 else 0.05)
        context = _random_context(rng)
        got = assert_same(context)
        if got is None:
            counts["json path"] += 1
        elif got[0]:
            counts["native ok"] += 1
        else:
            counts["native error"] += 1
            assert _named_field(context, got[1]) is not None, got[1]
    # The generator reaches every outcome, mostly natively.
    assert min(counts.values()) > 100, counts
    assert counts["native ok"] + counts["native error"] > counts["json path"], counts


def test_generated_decisions_are_identical(engine, noise):
    rng = random.Random(5)
    decided = 0
    noise(0.05)
    for _ in range(300):
        context = _random_context(rng)
        expected = json_path(context)
        if not expected[0]:
            with pytest.raises(tact.ContextError):
                engine.decide(context)
            continue
        try:
            want = engine.decide(_convert.context_payload(context)[1].decode()).to_json()
        except tact.ContextError:
            with pytest.raises(tact.ContextError):
                engine.decide(context)
            continue
        assert engine.decide(context).to_json() == want
        decided += 1
    assert decided > 100


# --- Decisions built in C++ against the JSON they print ----------------------------

def _reason(d):
    d = d or {}
    return tact.Reason(d.get("sourceKind", ""), d.get("sourceId", ""), d.get("text", ""))


def _action(d):
    """A RecommendedAction read from proto3 JSON, as decision.py used to."""
    return tact.RecommendedAction(
        rank=int(d.get("rank", 0)), action=d.get("action", ""), title=d.get("title", ""),
        params={p.get("name", ""): _convert.param_value(p.get("value", {}))
                for p in d.get("params", [])},
        priority=int(d.get("priority", 0)), score=float(d.get("score", 0.0)),
        text=d.get("text", ""), reasons=[_reason(r) for r in d.get("reasons", [])],
        tags=list(d.get("tags", [])), required_authority=d.get("requiredAuthority", ""),
        beyond_contract=bool(d.get("beyondContract", False)),
        cost=int(d.get("cost", 0)), agent_minutes=int(d.get("agentMinutes", 0)))


def _expected_attributes(d):
    return {
        "policy_name": d.get("policyName", ""),
        "policy_version": d.get("policyVersion", ""),
        "policy_hash": d.get("policyHash", ""),
        "now": _convert.parse_timestamp(d.get("now", "")),
        "actions": tuple(_action(a) for a in d.get("actions", [])),
        "blocked": tuple(tact.BlockedAction(b.get("action", ""), b.get("code", ""),
                                            _reason(b.get("blockedBy")),
                                            [_reason(r) for r in b.get("wantedBy", [])])
                         for b in d.get("blocked", [])),
        "effects": tuple(tact.Effect(e.get("kind", ""), e.get("ref", ""),
                                     int(e.get("amount", 0)), int(e.get("step", 0)),
                                     e.get("caseId", ""),
                                     _convert.parse_timestamp(e.get("at", "")))
                         for e in d.get("effects", [])),
        "trace": tuple(tact.RuleTrace(t.get("ruleId", ""), bool(t.get("fired", False)),
                                      t.get("failedCondition", ""), t.get("error", ""),
                                      bool(t.get("shadowedByFinal", False)),
                                      {v.get("expression", ""): v.get("value", "")
                                       for v in t.get("values", [])})
                       for t in d.get("trace", [])),
        "needs_approval": tuple(_action(a) for a in d.get("needsApproval", [])),
        "flags": tuple(tact.Flag(f.get("code", ""), _reason(f.get("source")))
                       for f in d.get("flags", [])),
        "total_cost": int(d.get("totalCost", 0)),
        "total_agent_minutes": int(d.get("totalAgentMinutes", 0)),
    }


def _assert_attributes_match_json(decision):
    expected = _expected_attributes(decision.to_dict())
    for name, value in expected.items():
        # repr: exact types and values, and NaN equal to itself.
        assert repr(getattr(decision, name)) == repr(value), name


def test_decision_attributes_equal_those_read_from_its_json(engine, contexts):
    for context in contexts.values():
        for authority in (None, "bot"):
            _assert_attributes_match_json(engine.decide(context, authority=authority, trace=True))


def test_param_values_of_every_kind_equal_those_read_from_json():
    from tact.v1 import decision_pb2
    message = decision_pb2.Decision(policy_name="p\u00e9", now={"seconds": -62135596800})
    action = message.actions.add(rank=1, action="a", score=float("nan"), tags=["x", "y"])
    values = [("b", {"bool_value": False}), ("i", {"int_value": -(2 ** 63)}),
              ("d", {"double_value": float("inf")}), ("s", {"string_value": "\u2603"}),
              ("t", {"timestamp_value": {"seconds": 253402300799, "nanos": 999999999}}),
              ("t2", {"timestamp_value": {"seconds": -1, "nanos": 1500}}),
              ("u", {"duration_value": {"seconds": -315576000000, "nanos": -999999999}}),
              ("u2", {"duration_value": {"seconds": 0, "nanos": -1500}}),
              ("u3", {"duration_value": {"seconds": 86400 * 3 + 5, "nanos": 7000}}),
              ("none", {})]
    for name, value in values:
        action.params.add(name=name, value=value)
    message.blocked.add(action="x", code="wait")  # no blocked_by: Reason()
    message.effects.add(kind="goodwill", amount=2 ** 62, step=-3)
    message.flags.add(code="f")
    message.trace.add(rule_id="r", fired=True, shadowed_by_final=True)
    decision = tact.Decision(message.SerializeToString())
    _assert_attributes_match_json(decision)
    params = decision.actions[0].params
    assert params["u2"] == dt.timedelta(microseconds=-1) and params["none"] is None
    assert math.isnan(decision.actions[0].score)
    assert decision.to_bytes() == message.SerializeToString()
