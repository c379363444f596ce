"""A decision, as plain read-only Python objects.

Built from tact's own proto3 JSON of the tact.v1.Decision (so to_json() is
byte for byte what the C++ tact::DecisionToJson prints), with snake_case
attributes and the schema's defaults filled in: every field is always
there, even when proto3 JSON leaves it out. See proto/tact/v1/decision.proto
for what each field means.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from typing import Any, Dict, List, Mapping, Optional

from . import _convert
from . import _tact

__all__ = ["Decision", "RecommendedAction", "BlockedAction", "Effect",
           "Reason", "Flag", "RuleTrace"]


@dataclasses.dataclass(frozen=True)
class Reason:
    """Why an action is recommended or blocked."""

    source_kind: str = ""  # "rule", "ladder", "strike_limit", "budget", ...
    source_id: str = ""    # the rule or construct id
    text: str = ""         # a sentence a support agent can read

    @classmethod
    def _from_json(cls, d: Optional[Mapping[str, Any]]) -> "Reason":
        d = d or {}
        return cls(d.get("sourceKind", ""), d.get("sourceId", ""), d.get("text", ""))


@dataclasses.dataclass(frozen=True)
class RecommendedAction:
    """One recommended action (or one that needs approval)."""

    rank: int = 0
    action: str = ""
    title: str = ""
    # Parameter name -> value: int (money in minor units), float, str, bool,
    # datetime or timedelta.
    params: Dict[str, _convert.ParamValue] = dataclasses.field(default_factory=dict)
    priority: int = 0
    score: float = 0.0
    text: str = ""  # the action's template, filled in
    reasons: List[Reason] = dataclasses.field(default_factory=list)
    tags: List[str] = dataclasses.field(default_factory=list)
    required_authority: str = ""
    beyond_contract: bool = False

    @classmethod
    def _from_json(cls, d: Mapping[str, Any]) -> "RecommendedAction":
        return cls(
            rank=int(d.get("rank", 0)),
            action=d.get("action", ""),
            title=d.get("title", ""),
            params={p.get("name", ""): _convert.param_value(p.get("value", {}))
                    for p in d.get("params", [])},
            priority=int(d.get("priority", 0)),
            score=float(d.get("score", 0.0)),
            text=d.get("text", ""),
            reasons=[Reason._from_json(r) for r in d.get("reasons", [])],
            tags=list(d.get("tags", [])),
            required_authority=d.get("requiredAuthority", ""),
            beyond_contract=bool(d.get("beyondContract", False)),
        )


@dataclasses.dataclass(frozen=True)
class BlockedAction:
    """An action a rule or construct wanted but something held back."""

    action: str = ""
    # "vetoed", "strike_limit", "budget_exhausted", "beyond_contract", "wait".
    code: str = ""
    blocked_by: Reason = dataclasses.field(default_factory=Reason)
    wanted_by: List[Reason] = dataclasses.field(default_factory=list)

    @classmethod
    def _from_json(cls, d: Mapping[str, Any]) -> "BlockedAction":
        return cls(d.get("action", ""), d.get("code", ""),
                   Reason._from_json(d.get("blockedBy")),
                   [Reason._from_json(r) for r in d.get("wantedBy", [])])


@dataclasses.dataclass(frozen=True)
class Effect:
    """What the host should record if it follows the advice, e.g.
    strike(ref), goodwill(amount), rung_offered(ref, step)."""

    kind: str = ""
    ref: str = ""
    amount: int = 0
    step: int = 0

    @classmethod
    def _from_json(cls, d: Mapping[str, Any]) -> "Effect":
        return cls(d.get("kind", ""), d.get("ref", ""), int(d.get("amount", 0)),
                   int(d.get("step", 0)))


@dataclasses.dataclass(frozen=True)
class Flag:
    """A condition the agent should know, e.g. "recovery_window_missed"."""

    code: str = ""
    source: Reason = dataclasses.field(default_factory=Reason)

    @classmethod
    def _from_json(cls, d: Mapping[str, Any]) -> "Flag":
        return cls(d.get("code", ""), Reason._from_json(d.get("source")))


@dataclasses.dataclass(frozen=True)
class RuleTrace:
    """Whether one rule fired and, if not, why (decide(..., trace=True))."""

    rule_id: str = ""
    fired: bool = False
    failed_condition: str = ""
    error: str = ""
    shadowed_by_final: bool = False

    @classmethod
    def _from_json(cls, d: Mapping[str, Any]) -> "RuleTrace":
        return cls(d.get("ruleId", ""), bool(d.get("fired", False)),
                   d.get("failedCondition", ""), d.get("error", ""),
                   bool(d.get("shadowedByFinal", False)))


class Decision:
    """What tact decided on one context. Immutable.

    Attributes: policy_name, policy_version, policy_hash ("sha256:..."),
    now (aware UTC datetime), actions (ranked best first), blocked,
    effects, trace (when requested), needs_approval, flags.
    Two decisions are equal when their JSON is.
    """

    __slots__ = ("_bytes", "_json", "policy_name", "policy_version",
                 "policy_hash", "now", "actions", "blocked", "effects",
                 "trace", "needs_approval", "flags")

    def __init__(self, serialized: bytes):
        """From tact.v1.Decision wire-format bytes (as decide() returns)."""
        text = _tact.decision_to_json(serialized, False)
        if text is None:
            raise ValueError("not a tact.v1.Decision in wire format")
        d = json.loads(text)
        set_ = object.__setattr__
        set_(self, "_bytes", bytes(serialized))
        set_(self, "_json", text)
        set_(self, "policy_name", d.get("policyName", ""))
        set_(self, "policy_version", d.get("policyVersion", ""))
        set_(self, "policy_hash", d.get("policyHash", ""))
        set_(self, "now", _convert.parse_timestamp(d.get("now", "")))
        set_(self, "actions", tuple(RecommendedAction._from_json(a) for a in d.get("actions", [])))
        set_(self, "blocked", tuple(BlockedAction._from_json(b) for b in d.get("blocked", [])))
        set_(self, "effects", tuple(Effect._from_json(e) for e in d.get("effects", [])))
        set_(self, "trace", tuple(RuleTrace._from_json(t) for t in d.get("trace", [])))
        set_(self, "needs_approval",
             tuple(RecommendedAction._from_json(a) for a in d.get("needsApproval", [])))
        set_(self, "flags", tuple(Flag._from_json(f) for f in d.get("flags", [])))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Decision is immutable")

    @property
    def top(self) -> Optional[RecommendedAction]:
        """The best-ranked action, or None when nothing is recommended."""
        return self.actions[0] if self.actions else None

    def has_flag(self, code: str) -> bool:
        return any(f.code == code for f in self.flags)

    def to_json(self, pretty: bool = True) -> str:
        """The tact.v1.Decision in the proto3 JSON mapping, exactly as the
        C++ tact::DecisionToJson (and `tact decide --format=json`) print it."""
        if not pretty:
            return self._json
        return _tact.decision_to_json(self._bytes, True)

    def to_dict(self) -> Dict[str, Any]:
        """json.loads(to_json()): proto3 JSON field names (camelCase), int64
        values as strings, default values left out."""
        return json.loads(self._json)

    def to_bytes(self) -> bytes:
        """The tact.v1.Decision in protobuf wire format."""
        return self._bytes

    def to_proto(self):  # -> tact.v1.decision_pb2.Decision
        """The decision as a generated tact.v1.Decision message."""
        from .v1 import decision_pb2
        return decision_pb2.Decision.FromString(self._bytes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self._json == other._json

    def __hash__(self) -> int:
        return hash(self._json)

    def __repr__(self) -> str:
        top = ", ".join(a.action for a in self.actions[:3])
        more = ", ..." if len(self.actions) > 3 else ""
        return (f"<tact.Decision policy={self.policy_name!r} now={self.now} "
                f"actions=[{top}{more}] blocked={len(self.blocked)} "
                f"effects={len(self.effects)}>")
