"""engine.simulate(): what a policy would have done and cost over many cases.

The Python side of `tact simulate`: the same totals under the same keys as
the CLI's `--json` output ("lines", "errors", "summary"), computed from
Engine.decide_many() so the decisions run on C++ threads with the GIL
released. Only the totalling is Python.

    summary = engine.simulate(cases, threads=2)
    summary["summary"]["goodwill_total"]      # minor units
    summary["errors"]["first"][0]["line"]     # 1-based position in `cases`
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Tuple

from .errors import ContextError

__all__ = ["simulate", "VALUE_BANDS"]

# Customer value bands over customer.lifetime_value (minor units), as
# kValueBands in src/cli/simulation.h: a case is in the last band it reaches.
VALUE_BANDS: List[Tuple[int, str]] = [
    (0, "0-19999"),
    (20000, "20000-99999"),
    (100000, "100000-499999"),
    (500000, "500000+"),
]


def _band(lifetime_value: int) -> str:
    key = VALUE_BANDS[0][1]
    for lower, name in VALUE_BANDS:
        if lifetime_value >= lower:
            key = name
    return key


def _empty_summary(policy) -> Dict[str, Any]:
    return {
        "policy": policy.name, "version": policy.version,
        "currency": policy.currency, "cases": 0, "actions": {},
        "goodwill_total": 0, "goodwill_by_tier": {}, "goodwill_by_value_band": {},
        "cases_with_goodwill": 0, "budget_exhausted_cases": 0,
        "strikes_recorded": 0, "strike_warnings": 0, "strike_outs": 0,
        "rungs": {}, "recovery_cases": 0, "recovery_steps": {},
        "recovery_window_missed": 0, "beyond_contract_actions": 0,
        "beyond_contract_cost": 0, "beyond_contract_by_action": {},
    }


def _tally(summary: Dict[str, Any], action: str) -> Dict[str, Any]:
    return summary["actions"].setdefault(
        action, {"recommended": 0, "needs_approval": 0, "blocked": {}})


def _customer(context: Any) -> Tuple[str, int]:
    """(tier, lifetime value) from a context dict, JSON text or bytes."""
    import json
    if isinstance(context, (str, bytes)):
        try:
            context = json.loads(context)
        except ValueError:
            return "", 0
    if not isinstance(context, dict):  # a tact.v1.Context message
        return context.customer.tier, int(context.customer.lifetime_value)
    customer = context.get("customer") or {}
    value = customer.get("lifetimeValue", customer.get("lifetime_value", 0))
    return customer.get("tier", ""), int(value or 0)


def _add(summary: Dict[str, Any], decision: Dict[str, Any], tier: str,
         lifetime_value: int, warning_actions, limit_actions, amount_params) -> None:
    summary["cases"] += 1
    strike_warning = strike_out = False
    stages = []
    for a in decision.get("actions", []):
        _tally(summary, a["action"])["recommended"] += 1
        for r in a.get("reasons", []):
            if r.get("sourceKind") == "strike_limit":
                if a["action"] in limit_actions:
                    strike_out = True
                elif a["action"] in warning_actions:
                    strike_warning = True
        if a.get("playbookStage"):
            stages.append(a["playbookStage"])
        if a.get("beyondContract"):
            cost = 0
            param = amount_params.get(a["action"])
            for p in a.get("params", []):
                if param and p.get("name") == param and "intValue" in p.get("value", {}):
                    cost = int(p["value"]["intValue"])
            summary["beyond_contract_actions"] += 1
            summary["beyond_contract_cost"] += cost
            by_action = summary["beyond_contract_by_action"]
            by_action[a["action"]] = by_action.get(a["action"], 0) + 1
    for a in decision.get("needsApproval", []):
        _tally(summary, a["action"])["needs_approval"] += 1
    budget_exhausted = False
    for b in decision.get("blocked", []):
        blocked = _tally(summary, b["action"])["blocked"]
        code = b.get("code", "")
        blocked[code] = blocked.get(code, 0) + 1
        budget_exhausted |= code == "budget_exhausted"
        strike_out |= code == "strike_limit"
    goodwill = 0
    strike_recorded = False
    for e in decision.get("effects", []):
        kind = e.get("kind")
        if kind == "goodwill":
            goodwill += int(e.get("amount", 0))
        elif kind == "strike":
            strike_recorded = True
        elif kind == "rung_offered":
            steps = summary["rungs"].setdefault(e.get("ref", ""), {})
            step = str(int(e.get("step", 0)))
            steps[step] = steps.get(step, 0) + 1
    summary["goodwill_total"] += goodwill
    if goodwill:
        summary["cases_with_goodwill"] += 1
        tier = tier or "(none)"
        by_tier = summary["goodwill_by_tier"]
        by_tier[tier] = by_tier.get(tier, 0) + goodwill
        by_band = summary["goodwill_by_value_band"]
        band = _band(lifetime_value)
        by_band[band] = by_band.get(band, 0) + goodwill
    summary["budget_exhausted_cases"] += budget_exhausted
    summary["strike_warnings"] += strike_warning and not strike_out
    summary["strike_outs"] += strike_out
    summary["strikes_recorded"] += strike_recorded
    if stages:
        summary["recovery_cases"] += 1
        for stage in stages:
            summary["recovery_steps"][stage] = summary["recovery_steps"].get(stage, 0) + 1
    if any(f.get("code") == "recovery_window_missed" for f in decision.get("flags", [])):
        summary["recovery_window_missed"] += 1


def _sorted(value: Any) -> Any:
    """Dicts with sorted keys (as the CLI prints them), recursively."""
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    return value


def simulate(engine, cases: Iterable[Any], *, authority: Optional[str] = None,
             threads: Optional[int] = None, max_listed_errors: int = 20) -> Dict[str, Any]:
    """Decides every case with `engine` and totals the decisions.

    `cases`: contexts as decide_many() takes them (dicts, JSON text, bytes,
    messages); empty or blank strings are skipped, as blank lines are by
    `tact simulate`. A case that cannot be decided is counted under
    "errors" with its 1-based position, and the rest still count.

    Returns {"lines", "errors": {"count", "first": [{"line", "message"}]},
    "summary": {...}} with the keys of `tact simulate --json` (the rung
    steps are string keys there too, as JSON requires).
    """
    policy = engine.policy
    warning_actions = {r.action for s in policy.strike_limits for r in s.warning}
    limit_actions = {r.action for s in policy.strike_limits for r in s.at_limit}
    amount_params = {a.id: a.amount_param for a in policy.actions if a.amount_param}

    positions, contexts = [], []
    for i, case in enumerate(cases):
        if isinstance(case, (str, bytes)) and not case.strip():
            continue
        positions.append(i + 1)
        contexts.append(case)
    decisions = engine.decide_many(contexts, authority=authority, threads=threads,
                                   return_exceptions=True) if contexts else []

    summary = _empty_summary(policy)
    errors: List[Dict[str, Any]] = []
    error_count = 0
    for line, context, decision in zip(positions, contexts, decisions):
        if isinstance(decision, ContextError):
            error_count += 1
            if len(errors) < max_listed_errors:
                message = str(decision.message).split("\n")[0]
                errors.append({"line": line, "message": message})
            continue
        tier, lifetime_value = _customer(context)
        _add(summary, decision.to_dict(), tier, lifetime_value,
             warning_actions, limit_actions, amount_params)
    return {"lines": len(positions),
            "errors": {"count": error_count, "first": errors},
            "summary": _sorted(summary)}
