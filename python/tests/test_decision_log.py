"""The decision record (decide(record=True)), tact.DecisionLog and
tact.replay."""

import json
import os
import re

import pytest

import tact

from conftest import PLAYBOOK, SUPPORT, example_contexts, read


@pytest.fixture(scope="module")
def support():
    return tact.Engine.from_file(SUPPORT)


def _context(name="late_delivery_vip"):
    return json.loads(read(os.path.join(os.path.dirname(SUPPORT), "..",
                                        "contexts", name + ".json")))


def test_record_fills_the_record(support):
    decision = support.decide(_context(), record=True, authority="agent")
    assert re.fullmatch(r"[0-9a-f]{32}", decision.decision_id)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", decision.context_digest)
    assert decision.tact_version == tact.__version__
    assert decision.authority == "agent"
    assert decision.trace_level == "off"
    assert support.decide(_context(), record=True, trace=True).trace_level == "full"


def test_record_off_leaves_the_fields_empty(support):
    decision = support.decide(_context())
    assert decision.decision_id == ""
    assert decision.context_digest == ""
    assert decision.tact_version == ""
    assert decision.authority == ""


def test_every_input_form_gives_the_same_id(support):
    context = _context()
    ids = {support.decide(form, record=True).decision_id
           for form in (context, json.dumps(context))}
    assert len(ids) == 1


def test_changed_inputs_give_other_ids(support):
    base = _context()
    other = _context()
    other["customer"]["tier"] = "standard"
    playbook = tact.Engine.from_file(PLAYBOOK)
    ids = {
        support.decide(base, record=True).decision_id,
        support.decide(other, record=True).decision_id,
        support.decide(base, record=True, authority="bot").decision_id,
        support.decide(base, record=True, trace=True).decision_id,
        playbook.decide(base, record=True).decision_id,
    }
    assert len(ids) == 5


def test_version_is_the_headers():
    root = os.path.join(os.path.dirname(SUPPORT), "..", "..")
    header = read(os.path.join(root, "include", "tact", "version.h"))
    assert f'#define TACT_VERSION "{tact.__version__}"' in header
    # Package metadata cannot include the header: it must agree with it.
    pyproject = read(os.path.join(root, "pyproject.toml"))
    assert f'\nversion = "{tact.__version__}"\n' in pyproject
    module = read(os.path.join(root, "MODULE.bazel"))
    assert re.search(r'module\(\s*name = "tact",\s*version = "' +
                     re.escape(tact.__version__) + '"', module)


def _log_examples(engine, path):
    n = 0
    with tact.DecisionLog(path) as log:
        for i, file in enumerate(example_contexts()):
            context = json.loads(read(file))
            decision = engine.decide(context, record=i % 3 != 2,
                                     authority="bot" if i % 2 else None)
            log.append(context, decision)
            n += 1
    return n


@pytest.mark.parametrize("policy", [SUPPORT, PLAYBOOK])
def test_example_log_replays_identically(tmp_path, policy):
    engine = tact.Engine.from_file(policy)
    path = tmp_path / "log.jsonl"
    n = _log_examples(engine, path)
    report = tact.replay(engine, path)
    assert report.records == n
    assert report.identical == n
    assert report.ok and bool(report)
    assert report.differences == () and report.malformed == ()


def test_log_lines_are_the_cli_format(tmp_path, support):
    path = tmp_path / "log.jsonl"
    context = _context()
    decision = support.decide(context, record=True)
    with tact.DecisionLog(path) as log:
        log.append(context, decision)
    lines = read(path).splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"context", "decision"}
    assert record["decision"] == decision.to_dict()


def test_tampered_record_is_reported(tmp_path, support):
    path = tmp_path / "log.jsonl"
    _log_examples(support, path)
    lines = read(path).splitlines()
    tampered = next(i for i, line in enumerate(lines)
                    if '"action":"' in line.split(',"decision":', 1)[1])
    head, decision = lines[tampered].split(',"decision":', 1)
    decision = decision.replace('"action":"', '"action":"x', 1)
    lines[tampered] = head + ',"decision":' + decision
    path.write_text("\n".join(lines) + "\n")
    report = tact.replay(support, path)
    assert not report.ok
    assert report.differing == 1
    (d,) = report.differences
    assert d.line == tampered + 1
    assert d.same_policy
    assert re.match(r'actions\[0\]\.action: logged "x', d.first_difference)


def test_another_policy_lists_what_changes(tmp_path, support):
    path = tmp_path / "log.jsonl"
    n = _log_examples(support, path)
    report = tact.replay(tact.Engine.from_file(PLAYBOOK), path)
    assert report.other_policy == n
    assert report.differing > 0 and not report.ok
    d = report.differences[0]
    assert not d.same_policy and d.kinds and d.changes
    assert d.changes[0].kind in d.kinds


def test_malformed_lines_name_their_line(tmp_path, support):
    path = tmp_path / "log.jsonl"
    _log_examples(support, path)
    with open(path, "a") as f:
        f.write("{bad\n")
    report = tact.replay(support, path)
    (m,) = report.malformed
    assert m.message.startswith(f"{path}:{m.line}: bad JSON")
    assert not report.ok


def test_missing_log_and_unwritable_directory(tmp_path, support):
    with pytest.raises(FileNotFoundError, match="nonexistent"):
        tact.replay(support, tmp_path / "nonexistent.jsonl")
    with pytest.raises(FileNotFoundError, match="no-such-dir"):
        tact.DecisionLog(tmp_path / "no-such-dir" / "log.jsonl")


def test_closed_log_refuses_appends(tmp_path, support):
    log = tact.DecisionLog(tmp_path / "log.jsonl")
    log.close()
    with pytest.raises(ValueError, match="closed"):
        log.append(_context(), support.decide(_context()))


def test_malformed_context_is_a_context_error(tmp_path, support):
    with tact.DecisionLog(tmp_path / "log.jsonl") as log:
        with pytest.raises(tact.ContextError):
            log.append('{"bogus": 1}', support.decide(_context()))
