"""Decision attributes built on first read, dict contexts converted into a
reused message and decisions made into recycled messages (issue 19): none
of it may show."""

import datetime as dt
import gc
import json
import threading

import pytest

import tact

from conftest import PLAYBOOK, example_contexts, read

ATTRIBUTES = ("policy_name", "policy_version", "policy_hash", "now", "actions",
              "blocked", "effects", "trace", "needs_approval", "flags",
              "total_cost", "total_agent_minutes", "construct_trace",
              "service_levels")


def _contexts():
    return [json.loads(read(p)) for p in example_contexts()]


def _read_all(decision):
    return {name: getattr(decision, name) for name in ATTRIBUTES}


def _expected(decision):
    """Every attribute of a twin of `decision` rebuilt from its wire format
    and read at once."""
    return _read_all(tact.Decision(decision.to_bytes()))


def test_attributes_equal_the_decision_rebuilt_from_bytes(engine):
    for context in _contexts():
        decision = engine.decide(context, trace=True)
        twin = tact.Decision(decision.to_bytes())
        assert _read_all(decision) == _read_all(twin)
        assert decision.to_json() == twin.to_json()
        assert decision.to_dict() == json.loads(decision.to_json())


def test_attributes_read_after_the_engine_is_gone():
    path = PLAYBOOK
    engine = tact.Engine.from_file(path)
    contexts = _contexts()
    decisions = [engine.decide(c, trace=True) for c in contexts]
    reference = tact.Engine.from_file(path)
    expected = [_read_all(reference.decide(c, trace=True)) for c in contexts]
    del engine
    gc.collect()
    for decision, want in zip(decisions, expected):
        assert _read_all(decision) == want


def test_a_decision_kept_while_many_others_are_made_and_dropped(engine):
    contexts = _contexts()
    kept = engine.decide(contexts[0], trace=True)  # nothing read yet
    half_read = engine.decide(contexts[-1], trace=True)
    first_actions = half_read.actions
    for _ in range(20):
        for context in contexts:
            engine.decide(context, trace=True).actions  # made, read, dropped
    gc.collect()
    assert _read_all(kept) == _read_all(engine.decide(contexts[0], trace=True))
    assert half_read.actions is first_actions
    assert _read_all(half_read) == \
        _read_all(engine.decide(contexts[-1], trace=True))
    assert kept.to_json() == engine.decide(contexts[0], trace=True).to_json()


def test_every_reader_gets_the_same_objects(engine):
    decision = engine.decide(_contexts()[0], trace=True)
    for name in ATTRIBUTES:
        assert getattr(decision, name) is getattr(decision, name), name


def test_threads_reading_one_decision_at_once(engine):
    contexts = _contexts()
    for context in contexts:
        decision = engine.decide(context, trace=True)
        expected = _expected(decision)
        start = threading.Barrier(8)
        seen = []

        def read_all():
            start.wait()
            seen.append(_read_all(decision))

        threads = [threading.Thread(target=read_all) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(seen) == 8
        for got in seen:
            assert got == expected
            for name in ATTRIBUTES:  # one object per attribute, whoever built it
                assert got[name] is seen[0][name], name


def test_attributes_stay_read_only(engine):
    decision = engine.decide(_contexts()[0])
    for name in ATTRIBUTES:
        with pytest.raises(AttributeError, match="immutable"):
            setattr(decision, name, ())
        with pytest.raises(AttributeError, match="immutable"):
            object.__setattr__(decision, name, ())
        with pytest.raises(AttributeError):
            delattr(decision, name)
    assert _read_all(decision) == _expected(decision)


def test_the_attributes_on_the_class_and_on_other_objects():
    descriptor = tact.Decision.actions
    assert repr(descriptor) == "<attribute 'actions' of 'Decision' objects>"
    with pytest.raises(TypeError, match="actions reads only tact.Decision"):
        descriptor.__get__(object(), object)
    empty = tact.Decision.__new__(tact.Decision)
    with pytest.raises(AttributeError, match="no actions"):
        empty.actions


def test_init_again_forgets_what_was_read(engine):
    contexts = _contexts()
    a = engine.decide(contexts[0], trace=True)
    b = engine.decide(contexts[-1], trace=True)
    assert a.to_json() != b.to_json()
    decision = tact.Decision(a.to_bytes())
    assert decision.actions == a.actions
    decision.__init__(b.to_bytes())
    assert _read_all(decision) == _read_all(b)
    assert decision.to_json() == b.to_json()
    with pytest.raises(TypeError, match="only a tact.Decision"):
        tact._tact.fill_decision(object(), a.to_bytes())


def test_dicts_in_a_row_decide_as_their_json(engine):
    """The reused context message keeps nothing of the one before: a large
    context, then a small one, then an invalid one, then the first again."""
    contexts = _contexts()
    order = sorted(contexts, key=lambda c: -len(json.dumps(c)))
    order = order + order[::-1]
    for context in order:
        assert engine.decide(context, trace=True) == \
            engine.decide(json.dumps(context), trace=True)
        bad = dict(context, no_such_field=1)
        with pytest.raises(tact.ContextError):
            engine.decide(bad)
        assert engine.decide(context).to_json() == \
            engine.decide(json.dumps(context)).to_json()


class _DecidingZone(dt.tzinfo):
    """UTC, but deciding on another context whenever asked its offset: a
    dict converted while another is being converted on the same thread."""

    def __init__(self, engine, context):
        self.engine, self.context, self.inner = engine, context, []

    def utcoffset(self, when):
        self.inner.append(self.engine.decide(self.context))
        return dt.timedelta(0)

    def dst(self, when):
        return dt.timedelta(0)


def test_a_dict_decided_while_converting_another(engine):
    contexts = _contexts()
    outer, inner = contexts[0], contexts[-1]
    zone = _DecidingZone(engine, inner)
    now = dt.datetime.fromisoformat(outer["now"].replace("Z", "+00:00"))
    given = dict(outer, now=now.replace(tzinfo=zone))
    decision = engine.decide(given)
    assert zone.inner, "utcoffset was not called"
    assert decision == engine.decide(json.dumps(outer))
    for d in zone.inner:
        assert d == engine.decide(json.dumps(inner))


def test_the_default_call_decides_as_the_general_one(engine):
    """decide(dict) with every option at its default takes its own path
    (_tact.decide_dict_default): the same decisions and errors."""
    for context in _contexts():
        fast = engine.decide(context)
        assert fast == engine.decide(context, authority="", trace="off",
                                     record=False, timeout=1000)
        assert fast == engine.decide(json.dumps(context))
    # A value only the JSON path reads exactly (None): it goes there.
    context = dict(_contexts()[0], customer=dict(_contexts()[0].get("customer", {}),
                                                 id=None))
    assert engine.decide(context) == engine.decide(json.dumps(context))
    with pytest.raises(tact.ContextError, match="now"):
        engine.decide({"customer": {"tier": "gold"}})
    with pytest.raises(TypeError):
        engine.decide(42)


def test_decide_dict_default_checks_its_arguments(engine):
    fast = tact._tact.decide_dict_default
    with pytest.raises(TypeError, match="takes \\(engine, context\\)"):
        fast(engine._impl)
    with pytest.raises(TypeError, match="_tact.Engine first"):
        fast(object(), {})
    assert fast(engine._impl, "not a dict") is None
    assert type(fast(engine._impl, {})) is str  # no `now`


def test_handle_and_engine_decisions_interleaved_and_kept(engine):
    """An EngineHandle decides into the recycled messages too: decisions of
    both, kept unread while others are made and dropped, stay whole."""
    handle = tact.EngineHandle(engine)
    contexts = _contexts()
    kept = [(handle.decide(c), engine.decide(c)) for c in contexts]
    for _ in range(5):
        for context in contexts:
            handle.decide(context)
            engine.decide(context)
    for (from_handle, from_engine), context in zip(kept, contexts):
        assert from_handle == from_engine
        assert _read_all(from_handle) == _read_all(engine.decide(context))


def test_a_foreign_decisions_unknown_fields_never_reach_a_later_decision(engine):
    # A Decision made from bytes (another program's, a newer schema's) is
    # not recycled into later decisions: its unknown field stays its own.
    context = _contexts()[0]
    expected = engine.decide(context).to_bytes()
    unknown = b"\xb8\x3e\x01"  # field 999, varint 1
    foreign = tact.Decision(expected + unknown)
    assert foreign.to_bytes().endswith(unknown)
    del foreign
    gc.collect()
    for _ in range(8):
        assert engine.decide(context).to_bytes() == expected


def test_a_huge_decision_is_not_kept_for_recycling(engine):
    # Thousands of history events and a decision with many entries: the
    # next ordinary decisions are as before (and the memory is let go).
    context = _contexts()[0]
    expected = engine.decide(context).to_bytes()
    huge = json.loads(json.dumps(context))
    huge.setdefault("history", [])
    huge["history"] = huge["history"] + [
        {"at": "2026-01-01T00:00:00Z", "kind": "note"}] * 5000
    engine.decide(huge)
    for _ in range(4):
        assert engine.decide(context).to_bytes() == expected
