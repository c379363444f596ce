"""engine.simulate(): what a policy would have done and cost over many cases.

The Python side of `tact simulate`: the same totals under the same keys as
the CLI's `--json` output ("lines", "errors", "summary"), computed by the
same C++ (tact::Simulate, include/tact/simulation.h) on C++ threads with the
GIL released. This module only converts the cases and sorts the keys.

    summary = engine.simulate(cases, threads=2)
    summary["summary"]["goodwill_total"]      # minor units
    summary["errors"]["first"][0]["line"]     # 1-based position in `cases`

With a baseline (the policy in force today), the diff of `tact simulate
--baseline`: every case where anything a host acts on changed, by kind
(CHANGE_KINDS) with the money it moves, and a gate as `--fail-on`:

    diff = new.simulate(cases, baseline=old)
    diff["changed"]["by_kind"]["params"]      # {"cases": 1, "money": -250}
    diff["changed"]["goodwill_delta"]         # policy - baseline, minor units
    fails_gate(diff, "money")                 # True: as --fail-on=money
"""

from __future__ import annotations

import copy
import math
from typing import Any, Dict, Iterable, List, Optional, Tuple

from . import _tact
from .engine import _check_threads, _inputs

__all__ = ["simulate", "simulate_part", "merge", "cli_errors", "fails_gate", "VALUE_BANDS",
           "CHANGE_KINDS", "GATES"]

# The kinds of change of a diff, as tact::ChangeKind (include/tact/
# simulation.h): the keys of result["changed"]["by_kind"].
CHANGE_KINDS: Tuple[str, ...] = (
    "actions_added", "actions_removed", "order", "params", "details",
    "blocked", "needs_approval", "effects", "flags", "undecidable")

# fails_gate()'s gates, as `tact simulate --fail-on`: the count of
# result["changed"] each looks at.
GATES: Dict[str, str] = {"any": "count", "money": "money_changed",
                         "actions": "actions_changed"}

# Customer value bands over customer.lifetime_value (minor units), as
# tact::kValueBands in include/tact/simulation.h: a case is in the last band
# it reaches.
VALUE_BANDS: List[Tuple[int, str]] = [tuple(band) for band in _tact.value_bands()]

# _tact.Engine.simulate()'s encoding of a case that could not be converted.
_FAILED = 3


def _sorted(value: Any) -> Any:
    """Dicts with sorted keys (as the CLI prints them), recursively."""
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    return value


_STAGES = {"parse": "cannot parse: ", "decide": "cannot decide: ",
           "baseline_decide": "baseline cannot decide: "}


def cli_errors(result: Dict[str, Any]) -> Dict[str, Any]:
    """`result` (of simulate() or merge()) with its listed errors as `tact
    simulate --json` writes them: {"line", "message"} with the stage before
    the message ("cannot parse: ...", "cannot decide: ...", "baseline
    cannot decide: ..."). `result` is not changed."""
    errors = [{"line": e["line"], "message": _STAGES[e["stage"]] + e["message"]}
              for e in result["errors"]["first"]]
    return dict(result, errors=dict(result["errors"], first=errors))


def fails_gate(result: Dict[str, Any], gate: str) -> bool:
    """True when simulate(..., baseline=...)'s `result` fails `gate`, as
    `tact simulate --fail-on=GATE` exits 4: "any" (a changed case), "money"
    (a case where money moved), "actions" (a case whose recommended actions
    were added, removed or reordered). Every gate also fails on a case only
    one policy could decide (changed["undecidable"]); "any" and "money"
    fail when the currency changed (changed["currency_changed"]).
    ValueError on another gate or a result without a baseline."""
    if gate not in GATES:
        raise ValueError(f"gate {gate!r}: expected one of {sorted(GATES)}")
    if "changed" not in result:
        raise ValueError("the result has no diff: simulate(..., baseline=...)")
    changed = result["changed"]
    if changed.get("undecidable", 0) > 0:
        return True
    if gate != "actions" and changed.get("currency_changed", False):
        return True
    return changed[GATES[gate]] > 0


def simulate(engine, cases: Iterable[Any], *, authority: Optional[str] = None,
             threads: Optional[int] = None, max_listed_errors: int = 20,
             timeout: Optional[float] = None, baseline=None,
             policy_label: str = "", baseline_label: str = "",
             max_listed_changes: int = 1000,
             cost_share: Optional[float] = None,
             max_listed_costly: int = 100) -> Dict[str, Any]:
    """Decides every case with `engine` and totals the decisions.

    `cases`: contexts as decide_many() takes them (dicts, JSON text, bytes,
    messages); empty or blank strings (only spaces, tabs, CRs and
    newlines) are skipped, as blank lines are by `tact simulate`. A case that cannot be decided is counted under
    "errors" with its 1-based position, and the rest still count.

    Returns {"lines", "errors": {"count", "first": [{"line", "message",
    "stage"}]}, (stage: "parse", "decide" or "baseline_decide"; `tact
    simulate` prints the stage before the message: cli_errors()),
    "summary": {...}} with the keys of `tact simulate --json` (the rung
    steps are string keys there too, as JSON requires).

    The summary's cost to serve ("cost_to_serve_total", "agent_minutes_total",
    "cases_with_cost", "cost_to_serve_by_tier", "cost_to_serve_by_value_band")
    totals the recommended actions' declared costs (Decision.total_cost).

    When a decision carried service levels (the policy has
    `service_levels`), the summary also holds "service_levels": {"targets":
    [target ids in policy order], "by_tier": {tier: row}, "total": row},
    row = {"cases", "beyond_contract_cases", "beyond_contract_share",
    "targets": {id: {"measured", "met", "ok", "at_risk", "breached",
    "missed", "attainment"}}}: per tier the states of each target, the
    attainment (met + ok + at_risk) / measured as a percentage with one
    decimal (None when nothing was measured) and the cases served beyond
    the contracted level (a recommended action tagged beyond_contract).

    `cost_share`: a percentage (e.g. 5.0). When given, the result also holds
    "cost_share": {"percent", "count", "first": [{"line", "customer_id",
    "case_id", "spend", "decision_cost", "history_cost", "cost_to_serve"}]}:
    the customers whose cost to serve (this decision's cost plus the
    service_cost events already in the history) exceeds that share of their
    spend (customer.lifetime_value), each once, the first
    `max_listed_costly` listed, as `tact simulate --cost-share`.

    `timeout`: seconds the whole simulation may take (None: no limit); cases
    not decided by then count as errors ("decision deadline passed").
    Ctrl-C (KeyboardInterrupt) stops it within about 100 ms.

    `baseline`: another tact.Engine (e.g. the policy in force today); every
    case is decided by both, and the result also has "baseline" (its
    summary) and "changed": {"count", "policy_label", "baseline_label",
    "goodwill_delta", "money_changed", "actions_changed", "by_kind": {kind:
    {"cases", "money"}}, "first": [{"line", "case_id", "before", "after",
    "reasons", "kinds", "changes": [{"kind", "text", "money"}],
    "goodwill_delta"}]}, money in minor units, at most `max_listed_changes`
    cases listed (all counted). Only when set: "undecidable" (cases only
    one policy could decide, kind "undecidable"), "currency_changed": True
    (no money deltas then), "goodwill_delta_overflow": True and a kind's
    "money_overflow": True (the sum did not fit in 64 bits and is
    saturated). The labels default to "name@version", with
    " (policy)" and " (baseline)" when both are the same; pass
    `policy_label` / `baseline_label` (e.g. file names) to name them.
    """
    from .engine import Engine, _timeout_ms
    if baseline is not None and not isinstance(baseline, Engine):
        raise TypeError(f"baseline must be a tact.Engine, not "
                        f"{type(baseline).__name__}")
    timeout_ms = _timeout_ms(timeout)
    positions, contexts = [], []
    for i, case in enumerate(cases):
        if isinstance(case, str) and not case.strip(" \t\r\n") or \
                isinstance(case, bytes) and not case.strip(b" \t\r\n"):
            continue
        positions.append(i + 1)
        contexts.append(case)
    inputs: List[Tuple[int, Any]] = []
    if contexts:
        _check_threads(threads)
        inputs, errors = _inputs(contexts, return_exceptions=True)
        for i, error in errors.items():
            inputs[i] = (_FAILED, error.message)
        authority = engine._authority(authority)
        if baseline is not None:
            baseline._authority(authority)
    # How many errors to list: as many as `len(first) < max_listed_errors`
    # admits, as a C++ int.
    listed = max(0, min(2**31 - 1, math.ceil(max_listed_errors)))
    changes = max(0, min(2**31 - 1, math.ceil(max_listed_changes)))
    share = -1.0
    if cost_share is not None:
        share = float(cost_share)
        if not math.isfinite(share) or share < 0:
            raise ValueError(f"cost_share must be a percentage >= 0, got {cost_share!r}")
    costly = max(0, min(2**31 - 1, math.ceil(max_listed_costly)))
    result = engine._impl.simulate(
        inputs, positions, authority or "", threads or 0, listed, timeout_ms,
        baseline=None if baseline is None else baseline._impl,
        policy_label=policy_label, baseline_label=baseline_label,
        max_listed_changes=changes, cost_share_percent=share,
        max_listed_costly=costly)
    result["summary"] = _sorted(result["summary"])
    if "baseline" in result:
        result["baseline"] = _sorted(result["baseline"])
    return result


# --- Partial totals: simulate in parts, anywhere, and merge -------------------
#
# A part is simulate()'s result over a run of consecutive cases, plus the
# number of positions it covered ("positions": blank lines included, so the
# next part's line numbers follow on), with every costly customer listed
# (a customer costly in two parts counts once). merge() folds the parts, in
# case order, into exactly the result simulate() gives over all the cases at
# once: counts and money added, shares recomputed from the added counts, the
# listed errors, changed cases and costly customers renumbered and cut to
# the same limits. tact.dask runs the parts on a Dask cluster.

# As many costly customers as a C++ int can list: a part lists them all.
_ALL = 2**31 - 1
_INT64_MIN, _INT64_MAX = -2**63, 2**63 - 1


def simulate_part(engine, cases: Iterable[Any], **options: Any) -> Dict[str, Any]:
    """simulate(engine, cases, **options) as a part for merge(): the result
    with "positions" (how many cases, blank ones included, it covered),
    every costly customer listed (one small record each), and "part": what
    merge() checks the parts agree on (the policies' hashes, the options).
    `options` as for simulate(); max_listed_costly is ignored (merge() cuts
    the list)."""
    cases = cases if isinstance(cases, list) else list(cases)
    options["max_listed_costly"] = _ALL
    part = simulate(engine, cases, **options)
    part["positions"] = len(cases)
    baseline = options.get("baseline")
    part["part"] = {
        "policy_hash": engine.policy_hash,
        "baseline_hash": None if baseline is None else baseline.policy_hash,
        "authority": options.get("authority") or "",
        "cost_share": options.get("cost_share"),
        "policy_label": options.get("policy_label", ""),
        "baseline_label": options.get("baseline_label", ""),
        "max_listed_errors": options.get("max_listed_errors", 20),
        "max_listed_changes": options.get("max_listed_changes", 1000),
    }
    return part


def _saturate(value: int) -> Tuple[int, bool]:
    """`value` as the C++ totals hold it: clamped to int64, and whether it
    was clamped."""
    if value > _INT64_MAX:
        return _INT64_MAX, True
    if value < _INT64_MIN:
        return _INT64_MIN, True
    return value, False


def _add(total: Any, part: Any, where: str) -> Any:
    """Folds one part's totals into `total` (a copy is returned): ints are
    added (saturating, as the C++ totals), flags or-ed, names must agree,
    lists of names are united in order of first appearance, dicts are
    folded key by key (a key one side lacks is taken from the other).
    Shares (floats, None) are recomputed afterwards by _reshare()."""
    if isinstance(total, dict) and isinstance(part, dict):
        out = dict(total)
        for key, value in part.items():
            out[key] = _add(out[key], value, f"{where}.{key}") if key in out else value
        return out
    if type(total) is bool and type(part) is bool:
        return total or part
    if type(total) is int and type(part) is int:
        return _saturate(total + part)[0]
    if isinstance(total, str) and isinstance(part, str):
        if total != part:
            raise ValueError(f"the parts differ at {where}: {total!r} and {part!r}; "
                             "were they simulated with the same policies?")
        return total
    if isinstance(total, list) and isinstance(part, list):
        return total + [item for item in part if item not in total]
    if (total is None or isinstance(total, float)) and \
            (part is None or isinstance(part, float)):
        return total  # a share, recomputed by _reshare()
    raise ValueError(f"the parts differ in kind at {where}")


def _share(part: int, whole: int) -> Optional[float]:
    """tact::PercentTenths as simulate() reports it: one decimal or None."""
    tenths = _tact.percent_tenths(part, whole)
    return None if tenths < 0 else tenths / 10.0


_ZERO_TALLY = {"measured": 0, "met": 0, "ok": 0, "at_risk": 0, "breached": 0,
               "missed": 0}


def _reshare(summary: Dict[str, Any]) -> None:
    """Recomputes the shares of a folded summary from its counts, as the C++
    summary does (service levels' attainment and beyond-contract share),
    and gives every row every target, as the C++ rows have them."""
    levels = summary.get("service_levels")
    if levels is None:
        return
    for row in list(levels["by_tier"].values()) + [levels["total"]]:
        for target in levels["targets"]:
            row["targets"].setdefault(target, dict(_ZERO_TALLY))
        row["beyond_contract_share"] = _share(row["beyond_contract_cases"], row["cases"])
        for tally in row["targets"].values():
            tally["attainment"] = _share(
                tally["met"] + tally["ok"] + tally["at_risk"], tally["measured"])


def _renumbered(items: List[Dict[str, Any]], offset: int) -> List[Dict[str, Any]]:
    return [dict(item, line=item["line"] + offset) for item in items]


def merge(parts: Iterable[Dict[str, Any]], *, max_listed_errors: int = 20,
          max_listed_changes: int = 1000,
          max_listed_costly: int = 100) -> Dict[str, Any]:
    """Folds simulate_part() results, in case order, into the result
    simulate() would give over all their cases at once with the same
    options and these limits: the same keys, the same numbers, the listed
    errors, changed cases and costly customers in the same order with line
    numbers counted across the parts. ValueError when the parts come from
    different policies, options or baselines, or are not parts.

    The exception is a total beyond int64 (9.2e18 minor units): it
    saturates either way, but a saturated sum depends on the order it was
    added in, so its value and overflow flags can differ from one
    process's."""
    parts = [copy.deepcopy(p) for p in parts]  # folded in place below
    if not parts:
        raise ValueError("merge() needs at least one part")
    for i, part in enumerate(parts):
        if "positions" not in part or "part" not in part:
            raise ValueError(f"part {i} is not from simulate_part()")
    listed = max(0, min(_ALL, math.ceil(max_listed_errors)))
    changes = max(0, min(_ALL, math.ceil(max_listed_changes)))
    costly = max(0, min(_ALL, math.ceil(max_listed_costly)))
    first = parts[0]["part"]
    for i, part in enumerate(parts):
        for key, value in part["part"].items():
            if value != first[key]:
                raise ValueError(f"the parts differ: part 0 has {key}={first[key]!r}, "
                                 f"part {i} {value!r}; merge only parts simulated with "
                                 "the same policies and options")
    if first["max_listed_errors"] < listed or first["max_listed_changes"] < changes:
        raise ValueError("the parts list fewer errors or changed cases than merge() "
                         "is to list: simulate them with max_listed_errors and "
                         "max_listed_changes at least as large")

    offset = 0
    errors: List[Dict[str, Any]] = []
    changed: List[Dict[str, Any]] = []
    costly_ids = set()  # customers listed; a case without an id counts alone
    first_costly: List[Dict[str, Any]] = []
    money: Dict[str, List[int]] = {}  # change kind -> every part's money
    money_overflow = set()
    result: Dict[str, Any] = {}
    for i, part in enumerate(parts):
        # The lists are cut and renumbered here; the rest is folded.
        positions = part.pop("positions")
        del part["part"]
        errors.extend(_renumbered(part["errors"].pop("first"), offset)[:listed - len(errors)])
        if "changed" in part:
            changed.extend(
                _renumbered(part["changed"].pop("first"), offset)[:changes - len(changed)])
            for kind, tally in part["changed"]["by_kind"].items():
                money.setdefault(kind, []).append(tally["money"])
                if tally.get("money_overflow", False):
                    money_overflow.add(kind)
        if "cost_share" in part:
            for customer in _renumbered(part["cost_share"].pop("first"), offset):
                if customer["customer_id"] != "":
                    if customer["customer_id"] in costly_ids:
                        continue
                    costly_ids.add(customer["customer_id"])
                first_costly.append(customer)
        result = part if i == 0 else _add(result, part, "result")
        offset += positions

    result["errors"]["first"] = errors
    _reshare(result["summary"])
    result["summary"] = _sorted(result["summary"])
    if "baseline" in result:
        _reshare(result["baseline"])
        result["baseline"] = _sorted(result["baseline"])
        diff = result["changed"]
        diff["first"] = changed
        if diff.get("currency_changed", False):
            diff["goodwill_delta"] = 0
            diff.pop("goodwill_delta_overflow", None)
        else:
            # As Simulate(): policy - baseline over the folded totals.
            delta, overflow = _saturate(result["summary"]["goodwill_total"]
                                        - result["baseline"]["goodwill_total"])
            diff["goodwill_delta"] = delta
            if overflow or any(p["changed"].get("goodwill_delta_overflow", False)
                               for p in parts):
                diff["goodwill_delta_overflow"] = True
            else:
                diff.pop("goodwill_delta_overflow", None)
        for kind, tally in diff["by_kind"].items():
            tally["money"], clamped = _saturate(sum(money.get(kind, [])))
            if clamped or kind in money_overflow:
                tally["money_overflow"] = True
    if "cost_share" in result:
        result["cost_share"] = {"percent": parts[0]["cost_share"]["percent"],
                                "count": len(first_costly),
                                "first": first_costly[:costly]}
    return result
