"""Engines travel (pickle) and simulations merge from parts (issue 18): the
pieces tact.dask stands on, tested without Dask."""

import json
import os
import pickle
import random
import subprocess
import sys

import pytest

import tact
from tact.simulation import merge, simulate_part

from conftest import PLAYBOOK, REPO, SUPPORT, example_contexts, read

CASES = os.path.join(REPO, "examples", "cases", "sample_cases.jsonl")


@pytest.fixture(scope="module")
def playbook():
    return tact.Engine.from_file(PLAYBOOK)


@pytest.fixture(scope="module")
def support():
    return tact.Engine.from_file(SUPPORT)


@pytest.fixture(scope="module")
def lines():
    """The sample cases with a blank line, a malformed one and one that
    does not decide, so errors and positions are merged too."""
    out = read(CASES).split("\n")
    out[7] = "{bad"
    out[100] = ""
    out[2000] = '{"now": 5}'
    return out


# --- Engines travel ------------------------------------------------------------

def test_a_pickled_engine_decides_identically(playbook):
    copy = pickle.loads(pickle.dumps(playbook))
    assert copy.policy_hash == playbook.policy_hash
    assert copy.compile_options == playbook.compile_options
    for path in example_contexts():
        context = read(path)
        assert copy.decide(context, record=True).to_json() == \
            playbook.decide(context, record=True).to_json(), path


def test_a_pickle_is_the_policy_not_the_file(tmp_path, playbook):
    # The policy file may be gone (or changed) where the engine arrives.
    path = tmp_path / "p.textproto"
    path.write_text(read(PLAYBOOK))
    engine = tact.Engine.from_file(path)
    data = pickle.dumps(engine)
    path.write_text("not a policy")
    assert pickle.loads(data).policy_hash == playbook.policy_hash


def test_unpickling_compiles_once_per_process_and_options(playbook):
    first = pickle.loads(pickle.dumps(playbook))
    assert pickle.loads(pickle.dumps(playbook)) is first
    assert pickle.loads(pickle.dumps(first)) is first
    tight = tact.Engine.from_file(PLAYBOOK, options=tact.CompileOptions(max_rules=500))
    other = pickle.loads(pickle.dumps(tight))
    assert other is not first
    assert other.compile_options.max_rules == 500
    assert other.policy_hash == first.policy_hash


def test_compile_options_travel_and_bind():
    options = tact.CompileOptions(max_rules=2)
    with pytest.raises(tact.PolicyError, match="max_rules"):
        tact.Engine.from_file(PLAYBOOK, options=options)
    small = ('name: "p" version: "1" authorities: "bot" '
             'actions { id: "a" title: "A" template: "a" } '
             'rules { id: "r" when: "true" recommend { action: "a" } }')
    engine = tact.Engine.from_text(small, options=options)
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.compile_options == options
    assert tact.CompileOptions() == tact.Engine.from_text(small).compile_options


@pytest.mark.parametrize("bad", [{"max_rules": 0}, {"max_rules": True}, {"max_rules": 2**70},
                                 {"max_nesting_depth": 2**40}, {"max_regex_memory": 1.5}])
def test_compile_options_out_of_range(bad):
    if bad.get("max_nesting_depth") is not None:
        # A positive int too wide for the C++ field: refused when compiling.
        with pytest.raises(ValueError, match="out of range"):
            tact.Engine.from_file(PLAYBOOK, options=tact.CompileOptions(**bad))
        return
    with pytest.raises(ValueError, match=list(bad)[0]):
        tact.CompileOptions(**bad)


def test_a_pickle_from_another_policy_hash_is_refused(playbook):
    from tact.engine import _restore_engine
    payload = playbook._impl.policy_bytes()
    with pytest.raises(ValueError, match="compiles to"):
        _restore_engine(payload, playbook.compile_options._as_dict(), "sha256:" + "0" * 64)


def test_importing_tact_does_not_import_dask():
    code = ("import sys, tact, tact.simulation; "
            "assert not {'dask', 'distributed'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ))


# --- Simulations merge from parts -------------------------------------------------

def _split(items, cuts):
    edges = [0] + cuts + [len(items)]
    return [items[a:b] for a, b in zip(edges, edges[1:])]


LIMITS = dict(max_listed_errors=2, max_listed_changes=30, max_listed_costly=40)


@pytest.mark.parametrize("with_baseline", [False, True])
def test_parts_merge_into_the_whole(playbook, support, lines, with_baseline):
    options = dict(cost_share=5.0)
    if with_baseline:
        options["baseline"] = support
    whole = playbook.simulate(lines, **options, **LIMITS)
    assert whole["errors"]["count"] == 2 and whole["lines"] == 4999
    assert whole["summary"]["service_levels"]["total"]["cases"] > 0
    rng = random.Random(18)
    splits = [[2500], [1, 7, 8, 101, 2000, 2001], [4999]]
    splits += [sorted(rng.sample(range(1, len(lines)), rng.randint(2, 30))) for _ in range(3)]
    for cuts in splits:
        parts = [simulate_part(playbook, chunk, **options) for chunk in _split(lines, cuts)]
        assert merge(parts, **LIMITS) == whole, cuts


def test_merge_lists_a_customer_costly_in_two_parts_once(playbook):
    case = json.loads(read(CASES).split("\n")[1])  # case_00002: costly at 5%
    cases = [json.dumps(case)] * 3
    whole = playbook.simulate(cases, cost_share=5.0)
    assert whole["cost_share"]["count"] == 1
    parts = [simulate_part(playbook, [c], cost_share=5.0) for c in cases]
    assert merge(parts) == whole


def test_merge_does_not_change_its_parts(playbook, lines):
    parts = [simulate_part(playbook, chunk) for chunk in _split(lines[:300], [100, 200])]
    before = json.dumps(parts, sort_keys=True)
    merge(parts)
    assert json.dumps(parts, sort_keys=True) == before


def test_parts_of_other_policies_do_not_merge(playbook, support, lines):
    ours = simulate_part(playbook, lines[:10])
    theirs = simulate_part(support, lines[10:20])
    with pytest.raises(ValueError, match="part 0 has policy_hash"):
        merge([ours, theirs])
    with pytest.raises(ValueError, match="part 0 has baseline_hash=None"):
        merge([ours, simulate_part(playbook, lines[10:20], baseline=support)])
    with pytest.raises(ValueError, match="not from simulate_part"):
        merge([playbook.simulate(lines[:10])])
    for name, options in (("authority", dict(authority="agent")),
                          ("cost_share", dict(cost_share=50.0)),
                          ("policy_label", dict(policy_label="next"))):
        with pytest.raises(ValueError, match=f"the parts differ: part 0 has {name}"):
            merge([simulate_part(playbook, lines[:10], cost_share=5.0),
                   simulate_part(playbook, lines[10:20], **dict(dict(cost_share=5.0), **options))])
    # Same name and version, another policy: told apart by hash.
    renamed = tact.Engine.from_text(read(PLAYBOOK).replace('title: "Apologize"',
                                                           'title: "Say sorry"'))
    assert renamed.policy_name == playbook.policy_name
    with pytest.raises(ValueError, match="policy_hash"):
        merge([ours_full := simulate_part(playbook, lines[:10]),
               simulate_part(renamed, lines[10:20])])
    assert ours_full["part"]["policy_hash"] == playbook.policy_hash
    with pytest.raises(ValueError, match="list fewer"):
        merge([simulate_part(playbook, lines[:10], max_listed_changes=5)],
              max_listed_changes=6)
    with pytest.raises(ValueError, match="at least one part"):
        merge([])


def test_blank_is_what_tact_simulate_calls_blank(playbook):
    # Only spaces, tabs, CRs (and the newline) make a line blank; a form
    # feed is a malformed case, as the CLI counts it.
    result = playbook.simulate([" \t\r\n", "\x0c", b" \r\n"])
    assert result["lines"] == 1 and result["errors"]["first"][0]["line"] == 2


def test_undecodable_lines_are_reported_as_tact_simulate_does(playbook, cli, tmp_path):
    raw = b'{"now": "\xff"}'
    path = tmp_path / "cases.jsonl"
    path.write_bytes(raw + b"\n")
    out = tmp_path / "out.json"
    subprocess.run([cli, "simulate", f"--policy={PLAYBOOK}", f"--cases={path}",
                    f"--json={out}"], check=True, stdout=subprocess.DEVNULL)
    from_cli = json.loads(out.read_text())
    ours = playbook.simulate([raw.decode("utf-8", "surrogateescape")])
    assert tact.simulation.cli_errors(ours)["errors"] == from_cli["errors"]
    assert "UTF-8" in from_cli["errors"]["first"][0]["message"]


def test_a_handle_keeps_its_engines_compile_options():
    options = tact.CompileOptions(max_rules=5000)
    engine = tact.Engine.from_file(PLAYBOOK, options=options)
    handle = tact.EngineHandle(engine)
    assert handle.engine is engine and handle.engine.compile_options == options
    handle.set_candidate(tact.Engine.from_file(SUPPORT, options=options))
    assert handle.candidate.compile_options == options
    reloaded = handle.reload(SUPPORT, options=tact.CompileOptions(max_rules=70))
    assert handle.engine is reloaded and handle.engine.compile_options.max_rules == 70
    assert pickle.loads(pickle.dumps(handle.engine)).compile_options.max_rules == 70
    handle.clear_candidate()
    assert handle.candidate is None


def test_merged_money_saturates_and_says_so(playbook, support, lines):
    parts = [simulate_part(playbook, chunk, baseline=support)
             for chunk in _split(lines[:400], [200])]
    for part in parts:
        part["changed"]["by_kind"]["effects"]["money"] = 2**62 + 5
    merged = merge(parts)
    tally = merged["changed"]["by_kind"]["effects"]
    assert tally["money"] == 2**63 - 1 and tally["money_overflow"] is True
    assert "money_overflow" not in merged["changed"]["by_kind"]["params"]
