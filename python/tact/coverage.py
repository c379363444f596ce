"""tact.Coverage: which parts of a policy decisions reached, and which none did.

The Python side of `tact test --coverage`, computed by the same C++
(tact::PolicyCoverage, include/tact/coverage.h): every rule (fired, from the
decision trace), every ladder rung (offered), each strike limit's warning,
at_limit and strike, each recovery playbook's stages and
recovery_window_missed, and the goodwill budget's granted, clipped and
exhausted outcomes.

    coverage = tact.Coverage(engine)
    for context in contexts:
        coverage.add(engine.decide(context, trace=True))
    print(coverage.format())              # "rules 12/14 (85.7%)" ...
    report = coverage.report()
    report["categories"]["rules"]["not_reached"][0]["label"]   # 'rule "vip"'
    assert coverage.meets(85)

Decisions without a trace cannot say which rules fired: the rules not seen
firing elsewhere are then "unknown" (counted as not reached), not "never
reached". Not safe for concurrent use: one Coverage per thread.
"""

from __future__ import annotations

from typing import Any, Dict

from . import _tact

__all__ = ["Coverage", "parse_percent"]


class Coverage:
    """A fold over decisions of one policy (tact::PolicyCoverage)."""

    __slots__ = ("_impl",)

    def __init__(self, engine) -> None:
        """The items to reach are enumerated from `engine`'s policy."""
        self._impl = _tact.Coverage(engine._impl)

    def add(self, decision) -> None:
        """Counts what a tact.Decision of this policy reached.

        Raises ValueError, counting nothing, for another policy's decision.
        """
        error = self._impl.add(decision._message)
        if error is not None:
            raise ValueError(error)

    def report(self) -> Dict[str, Any]:
        """{"policy_name", "policy_version", "decisions",
        "untraced_decisions", "reached_count", "total", "percent",
        "categories": {"rules"|"rungs"|"strike_limits"|"playbooks"|"budgets"|
        "service_levels":
        {"reached", "not_reached", "unknown": [{"id", "step", "outcome",
        "label", "decisions"}], "reached_count", "total", "percent"}}}.

        Percentages have one decimal, rounded down (never 100.0 before
        everything is reached); 100.0 when there is nothing to reach.
        """
        return self._impl.report()

    def format(self) -> str:
        """The text summary `tact test --coverage` prints."""
        return self._impl.format()

    def meets(self, min_percent: float) -> bool:
        """Whether the total coverage is at least `min_percent`, to one
        decimal (exactly the threshold passes)."""
        return self._impl.meets(float(min_percent))


def parse_percent(text: str) -> float:
    """A threshold as typed ("85", "85.5", "85.5%"); ValueError otherwise."""
    ok, value = _tact.parse_coverage_percent(text)
    if not ok:
        raise ValueError(value)
    return value
