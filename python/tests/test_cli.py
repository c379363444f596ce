"""The bindings decide exactly as the C++ CLI: `tact decide --format=json`
vs Decision.to_json(), on every example policy and context."""

import json
import subprocess

import pytest

import tact

from conftest import example_contexts, example_policies


def _cli_decide(cli, policy, context, *extra):
    result = subprocess.run(
        [cli, "decide", f"--policy={policy}", f"--context={context}",
         "--format=json", *extra],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("policy", example_policies())
@pytest.mark.parametrize("extra", [(), ("--authority=bot", "--trace")],
                         ids=["plain", "bot_trace"])
def test_cli_and_bindings_agree(cli, policy, extra):
    engine = tact.Engine.from_file(policy)
    contexts = example_contexts()
    assert contexts
    for context in contexts:
        out = _cli_decide(cli, policy, context, *extra)
        with open(context) as f:
            decision = engine.decide(f.read(), authority="bot" if extra else None,
                                     trace=bool(extra))
        assert json.loads(out) == decision.to_dict(), context
        # Byte for byte, too (modulo the final newline).
        assert out.rstrip("\n") == decision.to_json().rstrip("\n"), context


def test_cli_and_bindings_report_the_same_policy_errors(cli, tmp_path):
    path = tmp_path / "bad.textproto"
    path.write_text('name: "p"\nrules { id: "r" when: "customer.teir == 1" }\n')
    result = subprocess.run([cli, "check", str(path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    with pytest.raises(tact.PolicyError) as info:
        tact.Engine.from_file(str(path))
    for error in info.value.errors:
        assert str(error) in result.stdout + result.stderr
