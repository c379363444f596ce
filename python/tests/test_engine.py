"""Loading policies: every constructor, format and property."""

import json
import os

import pytest

import tact
from tact.v1 import policy_pb2

from conftest import SUPPORT, example_policies, read

MINIMAL = """
name: "mini" version: "1" currency: "USD"
authorities: "bot" authorities: "agent"
actions { id: "apologize" title: "Apologize" template: "Sorry!" }
actions { id: "refund" title: "Refund" template: "Refund {amount:money}."
          amount_param: "amount" limits { authority: "bot" max_amount: 1000 } }
rules { id: "sorry" when: "case.our_fault" recommend { action: "apologize" }
        priority: 10 reason: "Our fault." }
rules { id: "refund" when: "case.category == 'billing'"
        recommend { action: "refund" params { key: "amount" value: "2500" } } }
"""


@pytest.mark.parametrize("path", example_policies())
def test_from_file_loads_examples(path):
    engine = tact.Engine.from_file(path)
    assert engine.policy_name
    assert engine.policy_hash.startswith("sha256:")
    assert engine.authorities == list(engine.policy.authorities)
    assert isinstance(engine.warnings, list)
    assert engine.policy_name in repr(engine)


def test_from_file_accepts_pathlike(tmp_path):
    path = tmp_path / "mini.textproto"
    path.write_text(MINIMAL)
    assert tact.Engine.from_file(path).policy_name == "mini"


def test_from_text_all_formats_give_the_same_policy():
    text = tact.Engine.from_text(MINIMAL)
    policy = text.policy
    assert isinstance(policy, policy_pb2.Policy)
    from google.protobuf import json_format
    as_json = json_format.MessageToJson(policy)
    from_json = tact.Engine.from_text(as_json, "json")
    from_binary = tact.Engine.from_text(policy.SerializeToString(), "binary")
    from_proto = tact.Engine.from_proto(policy)
    from_bytes_text = tact.Engine.from_text(MINIMAL.encode(), "text")
    hashes = {e.policy_hash for e in (text, from_json, from_binary, from_proto,
                                       from_bytes_text)}
    assert len(hashes) == 1
    assert from_binary.policy_name == "mini" and from_binary.policy_version == "1"


def test_engines_decide_identically_whatever_the_source():
    ctx = {"now": "2026-01-05T10:00:00Z", "case": {"ourFault": True}}
    a = tact.Engine.from_text(MINIMAL).decide(ctx)
    b = tact.Engine.from_proto(tact.Engine.from_text(MINIMAL).policy).decide(ctx)
    assert a == b
    assert a.actions[0].action == "apologize"


def test_from_text_rejects_unknown_format():
    with pytest.raises(ValueError, match="format"):
        tact.Engine.from_text(MINIMAL, "yaml")


def test_from_text_rejects_str_binary_and_other_types():
    with pytest.raises(TypeError):
        tact.Engine.from_text("name: 'x'", "binary")
    with pytest.raises(TypeError):
        tact.Engine.from_text(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        tact.Engine.from_proto({"name": "x"})


def test_engine_cannot_be_built_directly():
    with pytest.raises(TypeError):
        tact.Engine(object())  # type: ignore[arg-type]


def test_policy_hash_matches_decisions(engine, contexts):
    ctx = next(iter(contexts.values()))
    assert engine.decide(ctx).policy_hash == engine.policy_hash


def test_example_policy_json_round_trip(tmp_path):
    engine = tact.Engine.from_file(SUPPORT)
    from google.protobuf import json_format
    path = tmp_path / "support.json"
    path.write_text(json_format.MessageToJson(engine.policy))
    binpath = tmp_path / "support.binpb"
    binpath.write_bytes(engine.policy.SerializeToString())
    assert tact.Engine.from_file(path).policy_hash == engine.policy_hash
    assert tact.Engine.from_file(binpath).policy_hash == engine.policy_hash


def test_package_metadata():
    assert tact.__version__
    for name in tact.__all__:
        assert hasattr(tact, name)
    pkg = os.path.dirname(tact.__file__)
    assert os.path.exists(os.path.join(pkg, "py.typed"))
    assert os.path.exists(os.path.join(pkg, "_tact.pyi"))


def test_lint_warnings_carry_their_check_name():
    engine = tact.Engine.from_text(
        'name: "lint" currency: "USD"\n'
        'actions { id: "reply" }\n'
        'rules { id: "never" when: "customer.spend_12m > 5 && customer.spend_12m < 3"\n'
        '        recommend { action: "reply" } }\n',
        source_name="lint.textproto")
    (warning,) = engine.warnings
    assert warning.check == "unreachable-rule"
    assert warning.severity == "warning"
    assert (warning.file, warning.line) == ("lint.textproto", 3)
    assert str(warning).endswith(" [unreachable-rule]")
