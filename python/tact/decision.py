"""A decision, as plain read-only Python objects.

The binding builds these objects straight from the C++ tact.v1.Decision
(python/decision_objects.cc), with snake_case attributes and the schema's
defaults filled in: every field is always there, even when proto3 JSON
leaves it out. A Decision keeps the C++ message: to_json() is printed from
it by tact::DecisionToJson, on first use, so it is byte for byte what the
C++ API and `tact decide` print. See proto/tact/v1/decision.proto for what
each field means.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any, Dict, List, Optional, Tuple

from . import _convert
from . import _tact

__all__ = ["Decision", "RecommendedAction", "BlockedAction", "Effect",
           "Reason", "Flag", "RuleTrace", "ConstructTrace", "ServiceLevel"]


@dataclasses.dataclass(frozen=True)
class Reason:
    """Why an action is recommended or blocked."""

    source_kind: str = ""  # a tact.codes.SourceKind: "rule", "ladder", ...
    source_id: str = ""    # the rule or construct id
    text: str = ""         # a sentence a support agent can read


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
    # The action's cost of service (policy Action.cost): minor units, agent
    # minutes included at the policy's rate; and those agent minutes.
    cost: int = 0
    agent_minutes: int = 0


@dataclasses.dataclass(frozen=True)
class BlockedAction:
    """An action a rule or construct wanted but something held back."""

    action: str = ""
    # A tact.codes.BlockedCode: "vetoed", "strike_limit", "budget_exhausted",
    # "beyond_contract", "wait", "non_positive_amount".
    code: str = ""
    blocked_by: Reason = dataclasses.field(default_factory=Reason)
    wanted_by: List[Reason] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Effect:
    """What the host should record if it follows the advice, e.g.
    strike(ref), goodwill(amount), rung_offered(ref, step), surprise(ref, step):
    exactly the history event to append (see event())."""

    kind: str = ""  # a tact.codes.EffectKind
    ref: str = ""
    amount: int = 0
    step: int = 0
    case_id: str = ""  # the case's id
    at: Optional[datetime.datetime] = None  # the decision's now (aware UTC)

    def event(self) -> Dict[str, Any]:
        """The history event to append, as a context dict entry."""
        out: Dict[str, Any] = {"kind": self.kind}
        if self.at is not None:
            out["at"] = self.at
        for name in ("ref", "amount", "step", "case_id"):
            value = getattr(self, name)
            if value:
                out[name] = value
        return out


@dataclasses.dataclass(frozen=True)
class Flag:
    """A condition the agent should know (a tact.codes.FlagCode), e.g.
    "recovery_window_missed"."""

    code: str = ""
    source: Reason = dataclasses.field(default_factory=Reason)


@dataclasses.dataclass(frozen=True)
class RuleTrace:
    """Whether one rule fired and, if not, why (decide(..., trace=True) or
    trace="evaluated").

    `values`: with a full trace, when `failed_condition` was false, the value
    each of its operands had, by the operand's source text, as a CEL literal
    ({"customer.tier": '"silver"'}; "absent" for an unset attribute).
    """

    rule_id: str = ""
    fired: bool = False
    failed_condition: str = ""
    error: str = ""
    shadowed_by_final: bool = False
    values: Dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ConstructTrace:
    """What one construct saw and did (decide(..., trace=True)): one per
    construct of the policy, in decide order.

    `detail` holds the fields of the kind's message in decision.proto
    (LadderTrace, StrikeTrace, BudgetTrace, PlaybookTrace,
    EntitlementTrace, AuthorityTrace) by their proto names, every field
    present: ints (money in minor units), bools, strs, lists, datetimes,
    timedeltas (None when unset), events as dicts and held actions as
    RecommendedAction.
    """

    kind: str = ""     # a tact.codes.SourceKind: "ladder", "strike_limit", ...
    id: str = ""       # the construct id (the contract's tier, the caller)
    summary: str = ""  # one sentence for a support lead
    stopped: bool = False  # a final rule of higher priority stopped it
    detail: Dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ServiceLevel:
    """Where the case stands on one service-level target at the decision's
    now (tact.v1.ServiceLevelStatus): one per target of the policy's
    service levels, in the policy's order (any trace level).

    `due_at` is None while the clock is paused before its due time (it
    moves) and when the state is "none"; `remaining` is negative once past
    due; `percent` is elapsed * 100 / span, rounded down; `threshold` the
    highest threshold reached (0: none).
    """

    target: str = ""       # the target's id, e.g. "first_reply"
    measure: str = ""      # "first_reply", "next_reply" or "resolution"
    tier: str = ""         # the customer's tier
    entitlement: str = ""  # the contract applied ("" when none)
    within: str = ""       # its span as the policy states it ("" when none)
    state: str = ""        # a tact.codes.SlaState: "ok", "at_risk", ...
    started_at: Optional[datetime.datetime] = None
    stopped_at: Optional[datetime.datetime] = None
    due_at: Optional[datetime.datetime] = None
    # Time counted against the span (business time for a business span) and
    # what is left of it.
    elapsed: datetime.timedelta = datetime.timedelta(0)
    remaining: datetime.timedelta = datetime.timedelta(0)
    percent: int = 0
    threshold: int = 0
    paused: bool = False  # the clock stands still now


# tact.v1.TraceLevel numbers.
_TRACE_LEVELS = {0: "off", 1: "evaluated", 2: "full"}


class Decision:
    """What tact decided on one context. Immutable.

    Attributes: policy_name, policy_version, policy_hash ("sha256:..."),
    now (aware UTC datetime), actions (ranked best first), blocked,
    effects, trace (when requested), needs_approval, flags, total_cost and
    total_agent_minutes (the cost of service of `actions`, minor units),
    construct_trace (when a full trace is requested: what every construct
    did), service_levels (where the case stands on each service-level
    target, ServiceLevel); the record: decision_id, context_digest, authority, trace_level
    and tact_version. Two decisions are equal when their JSON is.
    """

    # _message: the C++ decision (_tact.DecisionMessage); _json_text: its
    # compact JSON once printed, else None. The attributes below are built
    # from _message on first read and then kept in the slot of the same name
    # with a leading "_": _tact.register_decision_types installs them (as
    # descriptors), so a caller that reads only `actions` pays only for
    # those objects.
    __slots__ = ("_message", "_json_text", "_policy_name", "_policy_version",
                 "_policy_hash", "_now", "_actions", "_blocked", "_effects",
                 "_trace", "_needs_approval", "_flags", "_total_cost",
                 "_total_agent_minutes", "_construct_trace", "_service_levels")

    policy_name: str
    policy_version: str
    policy_hash: str
    now: Optional[datetime.datetime]
    actions: Tuple[RecommendedAction, ...]
    blocked: Tuple[BlockedAction, ...]
    effects: Tuple[Effect, ...]
    trace: Tuple[RuleTrace, ...]
    needs_approval: Tuple[RecommendedAction, ...]
    flags: Tuple[Flag, ...]
    total_cost: int
    total_agent_minutes: int
    construct_trace: Tuple[ConstructTrace, ...]
    service_levels: Tuple[ServiceLevel, ...]

    def __init__(self, serialized: bytes):
        """From tact.v1.Decision wire-format bytes (decide() builds its
        decisions directly)."""
        if isinstance(serialized, (bytearray, memoryview)):
            serialized = bytes(serialized)
        if not _tact.fill_decision(self, serialized):
            raise ValueError("not a tact.v1.Decision in wire format")

    @property
    def _json(self) -> str:
        text = self._json_text
        if text is None:
            text = self._message.to_json(False)
            object.__setattr__(self, "_json_text", text)
        return text

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Decision is immutable")

    # The record (decision.proto): read from the C++ decision when asked.
    @property
    def decision_id(self) -> str:
        """32 hex digits identifying the decision's inputs (policy hash,
        context digest, authority, trace level); "" unless decided with
        record=True."""
        return self._message.record()[0]

    @property
    def context_digest(self) -> str:
        """"sha256:<hex>" of the context's deterministic wire format; ""
        unless decided with record=True."""
        return self._message.record()[1]

    @property
    def authority(self) -> str:
        """The authority the decision was made as; "" means unrestricted."""
        return self._message.record()[2]

    @property
    def trace_level(self) -> str:
        """The trace level the decision was made with: "off", "evaluated"
        or "full"."""
        return _TRACE_LEVELS.get(self._message.record()[3], "off")

    @property
    def tact_version(self) -> str:
        """The tact version that decided; "" unless decided with
        record=True."""
        return self._message.record()[4]

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
        return self._message.to_json(True)

    def to_dict(self) -> Dict[str, Any]:
        """json.loads(to_json()): proto3 JSON field names (camelCase), int64
        values as strings, default values left out."""
        return json.loads(self._json)

    def to_bytes(self) -> bytes:
        """The tact.v1.Decision in protobuf wire format."""
        return self._message.to_bytes()

    def to_proto(self):  # -> tact.v1.decision_pb2.Decision
        """The decision as a generated tact.v1.Decision message."""
        from .v1 import decision_pb2
        return decision_pb2.Decision.FromString(self._message.to_bytes())

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


_tact.register_decision_types(Decision, Reason, RecommendedAction,
                              BlockedAction, Effect, Flag, RuleTrace)
_tact.register_construct_trace_type(ConstructTrace)
_tact.register_service_level_type(ServiceLevel)
