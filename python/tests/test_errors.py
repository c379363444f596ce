"""Every error type, and no crash on hostile input."""

import json
import random

import pytest

import tact
from tact.v1 import context_pb2, decision_pb2

BAD_POLICY = """name: "p"
actions { id: "a" title: "A" template: "x" }
rules {
  id: "r1"
  when: "customer.teir == 'gold'"
  recommend { action: "a" }
}
rules { id: "r2" when: "case.message.matches('(')" recommend { action: "b" } }
"""

NOW = "2026-01-05T10:00:00Z"


# --- PolicyError ---------------------------------------------------------------

def test_policy_error_lists_every_error_with_its_position():
    with pytest.raises(tact.PolicyError) as info:
        tact.Engine.from_text(BAD_POLICY, source_name="bad.textproto")
    errors = info.value.errors
    assert len(errors) == 3
    first = errors[0]
    assert isinstance(first, tact.Diagnostic)
    assert (first.file, first.line, first.column) == ("bad.textproto", 5, 19)
    assert first.element == 'rule "r1"'
    assert first.severity == "error"
    assert "did you mean customer.tier" in first.message
    assert "invalid regex" in errors[1].message and errors[1].line == 8
    assert 'unknown action "b"' in errors[2].message
    assert str(first) == ('bad.textproto:5:19: error: rule "r1": unknown field '
                          'customer.teir; did you mean customer.tier?')
    assert str(info.value).count("\n") == 2  # one line per error
    assert isinstance(info.value, tact.TactError)


def test_policy_error_from_file_names_the_file(tmp_path):
    path = tmp_path / "bad.textproto"
    path.write_text(BAD_POLICY)
    with pytest.raises(tact.PolicyError) as info:
        tact.Engine.from_file(str(path))
    assert all(e.file == str(path) for e in info.value.errors)


def test_missing_file_is_a_policy_error():
    with pytest.raises(tact.PolicyError) as info:
        tact.Engine.from_file("/nonexistent/policy.textproto")
    assert "cannot read" in info.value.errors[0].message
    assert info.value.errors[0].line == 0


@pytest.mark.parametrize("text, fmt", [
    ('{"name": 3', "json"),
    ('{"name": "x", "rules": [{"id": "r", "when": "nope.x"}]}', "json"),
    (b"\xff\xff\x01", "binary"),
    ("name: ", "text"),
    ("rules { id: \"r\" when: \"1 +\" }", "text"),
])
def test_malformed_policies_raise_policy_error(text, fmt):
    with pytest.raises(tact.PolicyError) as info:
        tact.Engine.from_text(text, fmt)
    assert info.value.errors
    assert all(e.severity == "error" for e in info.value.errors)


# --- ContextError ----------------------------------------------------------------

@pytest.mark.parametrize("context, match", [
    ({}, "now"),
    ({"now": NOW, "custmer": {}}, "custmer"),
    ({"now": "yesterday"}, ""),
    ('{"now": ', ""),
    ("not json at all", ""),
    (b"\xff\xff\xff\xff", ""),
    ({"now": NOW, "customer": {"spend12m": "lots"}}, ""),
    ({"now": NOW, "history": "none"}, ""),
])
def test_bad_contexts_raise_context_error(engine, context, match):
    with pytest.raises(tact.ContextError, match=match) as info:
        engine.decide(context)
    assert isinstance(info.value, ValueError)
    assert info.value.index is None


def test_wrong_message_type_is_a_context_error(engine):
    with pytest.raises(tact.ContextError, match="tact.v1.Context"):
        engine.decide(decision_pb2.Decision())


def test_context_without_now_message(engine):
    with pytest.raises(tact.ContextError):
        engine.decide(context_pb2.Context())


def test_unserializable_dicts_are_context_errors(engine):
    with pytest.raises(tact.ContextError):
        engine.decide({"now": NOW, "case": {"message": {1, 2}}})
    with pytest.raises(tact.ContextError):
        engine.decide({"now": NOW, "customer": {"influence": float("nan")}})
    circular = {"now": NOW}
    circular["case"] = circular
    with pytest.raises(tact.ContextError):
        engine.decide(circular)
    with pytest.raises(tact.ContextError):
        engine.decide('{"now": "\ud800"}')  # a lone surrogate


def test_unsupported_context_types_are_type_errors(engine):
    for value in (None, 42, 1.5, ["now"], object()):
        with pytest.raises(TypeError):
            engine.decide(value)


def test_unknown_authority_is_a_value_error(engine):
    ctx = {"now": NOW}
    with pytest.raises(ValueError, match="unknown authority"):
        engine.decide(ctx, authority="president")
    with pytest.raises(TypeError):
        engine.decide(ctx, authority=3)  # type: ignore[arg-type]


def test_deeply_nested_json_is_rejected(engine):
    deep = '{"now": "' + NOW + '", "case": ' + "[" * 100000 + "]" * 100000 + "}"
    with pytest.raises(tact.ContextError):
        engine.decide(deep)
    nested = {}
    for _ in range(50):
        nested = {"a": nested}
    with pytest.raises(tact.ContextError):
        engine.decide({"now": NOW, "case": nested})


# --- Fuzz: never crash -----------------------------------------------------------

def _random_value(rng, depth=0):
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return rng.randrange(-2**70, 2**70)
    if kind == 1:
        return rng.random() * 10 ** rng.randrange(-5, 30)
    if kind == 2:
        return "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(12)))
    if kind == 3:
        return rng.choice([True, False, None])
    if kind == 4:
        return rng.choice([NOW, "2026-13-45T99:00:00Z", "90d", "-1s", ""])
    if kind == 5:
        return rng.choice(["gold", "standard", "critical", "chat"])
    if kind == 6:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["now", "customer", "case", "history", "attributes", "id", "tier",
            "spend12m", "spend_12m", "influence", "at", "kind", "amount",
            "message", "openedAt", "severity", "stringValue", "intValue", "x"]
    return {rng.choice(keys): _random_value(rng, depth + 1)
            for _ in range(rng.randrange(5))}


def _outcome(engine, context):
    try:
        return engine.decide(context, trace=True)
    except tact.ContextError:
        return None


def test_fuzz_random_bytes(engine):
    rng = random.Random(20260405)
    valid = context_pb2.Context()
    valid.now.FromJsonString(NOW)
    seed = valid.SerializeToString()
    for i in range(600):
        if i % 2:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        else:  # mutate a valid context
            data = bytearray(seed + bytes(rng.randrange(256) for _ in range(8)))
            for _ in range(rng.randrange(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
        _outcome(engine, data)


def test_fuzz_random_dicts_and_json(engine):
    rng = random.Random(7)
    decided = 0
    for _ in range(600):
        context = _random_value(rng, 1) if rng.random() < 0.3 else {}
        if isinstance(context, dict):
            context.setdefault("now", NOW)
            for key in ("customer", "case"):
                if rng.random() < 0.5:
                    context[key] = _random_value(rng, 2)
        try:
            as_json = json.dumps(context)
        except (TypeError, ValueError):
            as_json = "{"
        for form in (context, as_json, as_json[: rng.randrange(len(as_json) + 1)]):
            try:
                decided += _outcome(engine, form) is not None
            except TypeError:
                assert not isinstance(form, (dict, str))
    assert decided > 0


def test_fuzz_random_policy_text():
    rng = random.Random(3)
    alphabet = 'rules{}:"when id actions recommend case.tier == && || () 0123 \\\n'
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(80)))
        fmt = rng.choice(["text", "json", "binary"])
        try:
            tact.Engine.from_text(text.encode(), fmt)
        except tact.PolicyError as e:
            assert e.errors


def test_decision_from_garbage_bytes_is_a_value_error():
    with pytest.raises(ValueError):
        tact.Decision(b"\xff\xff\xff")


# --- ResourceExhaustedError ------------------------------------------------------

_OOM_SCRIPT = r'''
import resource, sys
import tact

def vm_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024

# Each definition doubles the one before: customer.id (1 MiB) becomes 1 GiB
# by d10, far past the address space left below.
defs = ['definitions { name: "d0" expr: "customer.id + customer.id" }']
defs += ['definitions { name: "d%d" expr: "d%d + d%d" }' % (k, k - 1, k - 1)
         for k in range(1, 12)]
policy = ('name: "oom" currency: "USD" actions { id: "a" }\n' + "\n".join(defs) +
          '\nrules { id: "r" when: "size(d11) > 0" recommend { action: "a" } }\n')
engine = tact.Engine.from_text(policy)
import json
context = json.dumps({"now": "2026-01-05T10:00:00Z",
                      "customer": {"id": "x" * (1 << 20)}})
resource.setrlimit(resource.RLIMIT_AS, (vm_bytes() + (512 << 20),) * 2)
for call in (lambda: engine.decide(context),
             lambda: engine.decide_many([context, context], threads=1)):
    try:
        call()
        print("decided")
    except tact.ResourceExhaustedError as e:
        print("ResourceExhaustedError:", e.message)
    except tact.ContextError as e:
        print("ContextError:", e.message)
'''


def test_out_of_memory_is_resource_exhausted_not_a_context_error():
    import subprocess
    import sys
    run = subprocess.run([sys.executable, "-c", _OOM_SCRIPT], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 2, run.stdout
    for line in lines:
        assert line.startswith("ResourceExhaustedError: "), line


def test_resource_exhausted_error_is_a_tact_error_with_an_index():
    e = tact.ResourceExhaustedError("out of memory while deciding", 3)
    assert isinstance(e, tact.TactError)
    assert not isinstance(e, tact.ContextError)
    assert (e.message, e.index) == ("out of memory while deciding", 3)
    assert str(e) == "context 3: out of memory while deciding"
