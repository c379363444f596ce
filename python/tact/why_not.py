"""Why an action is not recommended, and what would change that.

    why = engine.why_not(context, "goodwill_credit", authority="bot")
    print(why.status, why.summary)
    for path in why.paths:
        for change in path.changes:
            print(change.text)
        if path.verified:            # tact decided again and it was offered
            changed = context
            for change in path.changes:
                changed = tact.apply_change(changed, change)

Engine.why_not() returns a WhyNot (the tact.v1.WhyNot message of
proto/tact/v1/decision.proto); apply_change() applies one ContextChange to a
context. docs/explanations.md says what each status and change means.
"""

import dataclasses
import datetime as _dt
import json
from typing import Any, List, Mapping, Optional

from . import _convert
from . import _tact
from .decision import Reason
from .errors import ContextError

__all__ = ["ContextChange", "WhyNot", "WhyNotPath", "apply_change"]


@dataclasses.dataclass(frozen=True)
class ContextChange:
    """One change to a context (or to how it is decided).

    kind "set": set `field` (e.g. "customer.spend_12m", "now") to `value`;
    "clear": unset `field`; "remove_events": remove events of `event_kind`
    (and `event_ref` when set) at or before `now`, newest first, until
    `count` events and at least `amount` minor units are gone;
    "authority": decide as `authority`.
    """

    text: str = ""  # "customer.spend_12m would have to be at least 50000 ..."
    kind: str = ""
    field: str = ""
    value: _convert.ParamValue = None
    event_kind: str = ""
    event_ref: str = ""
    count: int = 0
    amount: int = 0
    authority: str = ""
    # The value exactly as tact wrote it (a timestamp keeps its nanoseconds,
    # which a datetime cannot); used while `value` still reads the same.
    _value_json: Optional[Mapping[str, Any]] = dataclasses.field(
        default=None, repr=False, compare=False)

    @classmethod
    def _from_json(cls, raw: Mapping[str, Any]) -> "ContextChange":
        value = raw.get("value")
        return cls(text=raw.get("text", ""), kind=raw.get("kind", ""),
                   field=raw.get("field", ""),
                   value=_convert.param_value(value) if value else None,
                   event_kind=raw.get("eventKind", ""),
                   event_ref=raw.get("eventRef", ""),
                   count=int(raw.get("count", 0)),
                   amount=int(raw.get("amount", 0)),
                   authority=raw.get("authority", ""),
                   _value_json=value)

    def _to_json(self) -> str:
        out = {"text": self.text, "kind": self.kind, "field": self.field,
               "eventKind": self.event_kind, "eventRef": self.event_ref,
               "count": str(self.count), "amount": str(self.amount),
               "authority": self.authority}
        if self._value_json is not None and \
                _convert.param_value(self._value_json) == self.value:
            out["value"] = dict(self._value_json)
        elif self.value is not None:
            out["value"] = _to_value_json(self.value)
        return json.dumps(out)


def _to_value_json(value: Any) -> Mapping[str, Any]:
    """A Python value as a proto3 JSON tact.v1.Value."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, _dt.datetime):
        return {"timestampValue": _convert._json_default(value)}
    if isinstance(value, _dt.timedelta):
        return {"durationValue": _convert._json_default(value)}
    raise TypeError(f"a change's value is a bool, int, float, str, datetime "
                    f"or timedelta, not {type(value).__name__}")


@dataclasses.dataclass(frozen=True)
class WhyNotPath:
    """One rule or construct that could produce the action."""

    # The rule or construct, and what stops it now.
    source: Reason = dataclasses.field(default_factory=Reason)
    # Every change together; empty when none can be stated (source.text says
    # why).
    changes: List[ContextChange] = dataclasses.field(default_factory=list)
    # tact applied the changes, decided again, and the action was offered.
    verified: bool = False


@dataclasses.dataclass(frozen=True)
class WhyNot:
    """Why an action is not recommended, and what would change that."""

    action: str = ""
    # "recommended", "needs_approval", "blocked", "stopped" or "not_proposed".
    status: str = ""
    summary: str = ""
    paths: List[WhyNotPath] = dataclasses.field(default_factory=list)

    @classmethod
    def _from_json(cls, text: str) -> "WhyNot":
        raw = json.loads(text)
        paths = []
        for p in raw.get("paths", []):
            source = p.get("source", {})
            paths.append(WhyNotPath(
                source=Reason(source_kind=source.get("sourceKind", ""),
                              source_id=source.get("sourceId", ""),
                              text=source.get("text", "")),
                changes=[ContextChange._from_json(c)
                         for c in p.get("changes", [])],
                verified=bool(p.get("verified", False))))
        return cls(action=raw.get("action", ""), status=raw.get("status", ""),
                   summary=raw.get("summary", ""), paths=paths)


def apply_change(context: Any, change: ContextChange) -> dict:
    """The context with `change` applied (tact::ApplyChange), as a dict in
    the proto3 JSON shape, ready for Engine.decide(). `context` is anything
    decide() takes. An "authority" change leaves the context as it is:
    decide with authority=change.authority.

    Raises ContextError when the context is malformed, ValueError naming
    the problem when the change cannot be applied (an unknown kind or
    field, a value of the wrong type), TypeError for a change that is not a
    ContextChange.
    """
    if not isinstance(change, ContextChange):
        raise TypeError(f"change must be a tact.ContextChange, not "
                        f"{type(change).__name__}")
    encoding, payload = _convert.context_payload(context)
    ok, out = _tact.apply_change(encoding, payload, change._to_json())
    if not ok:
        if type(out) is tuple:
            raise ValueError(out[1])
        raise ContextError(out)
    return json.loads(out)
