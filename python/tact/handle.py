"""tact.EngineHandle: the serving policy of a long-running process, and a
candidate policy shadowing it.

    handle = tact.EngineHandle(tact.Engine.from_file("policies/support.textproto"))
    handle.set_candidate(tact.Engine.from_file("policies/next.textproto"), share=0.1)
    decision = handle.decide(context)      # always the serving policy's
    report = handle.shadow_report()
    print(report.differing, "of", report.sampled, "differ")
    for example in report.examples:
        print(example.changes[0].text)     # "goodwill_credit amount 5000 -> 4000 ..."

The candidate decides a share of the same contexts on the side, on the
calling thread after the serving decision (that is its whole cost), and its
differences and errors are only counted and reported: what decide() returns
is byte for byte the serving decision. Everything here is tact::EngineHandle
(include/tact/engine_handle.h) in C++; the GIL is released while deciding.
"""

from __future__ import annotations

import datetime
import math
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

from . import _convert, _tact
from .decision import Decision
from .engine import (CompileOptions, Context, Engine, TraceLevel, _error,
                     _timeout_ms, _trace_level)

__all__ = ["EngineHandle", "ShadowReport", "ShadowExample", "ShadowChange",
           "KindTally"]


@dataclass(frozen=True)
class ShadowChange:
    """One change a host would act on, serving -> candidate, as `tact
    simulate --baseline` prints it. `kind` is one of
    tact.simulation.CHANGE_KINDS; `money` is candidate - serving in minor
    units (0 when the change moves none)."""
    kind: str
    text: str
    money: int


@dataclass(frozen=True)
class ShadowExample:
    """A sampled case the candidate decided differently, or could not decide
    (`error` set, `candidate` None).

    `number` is the serving decision's number since the candidate was set.
    `context` is the tact.v1.Context both decided on, or None when it was
    larger than max_example_bytes (`context_bytes` says how large);
    `serving` and `candidate` are None when a decision was that large."""
    number: int
    context_bytes: int
    serving: Optional[Decision]
    candidate: Optional[Decision]
    changes: List[ShadowChange]
    error: Optional[str]
    _context: Optional[bytes] = field(repr=False, default=None)

    @property
    def context(self):  # -> Optional[tact.v1.context_pb2.Context]
        if self._context is None:
            return None
        from .v1 import context_pb2
        return context_pb2.Context.FromString(self._context)


@dataclass(frozen=True)
class KindTally:
    """The differing cases with a change of one kind, and the money those
    changes moved (candidate - serving, minor units)."""
    cases: int
    money: int
    money_overflow: bool


@dataclass(frozen=True)
class ShadowReport:
    """What the candidate did beside the serving policy (a snapshot).

    `decided`: successful serving decisions since the candidate was set
    (`since`); `sampled`: those the candidate also decided, which came out
    `identical`, `differing` or as `candidate_errors` (the candidate failed
    where the serving policy decided). `changes_by_kind` has every kind of
    tact.simulation.CHANGE_KINDS. `serving_swaps`: reloads of the serving
    policy since the counts began. `active` is False without a candidate
    (everything else then empty)."""
    active: bool
    candidate_name: str
    candidate_version: str
    candidate_hash: str
    share: float
    since: Optional[datetime.datetime]
    serving_swaps: int
    decided: int
    sampled: int
    identical: int
    differing: int
    candidate_errors: int
    currency: str
    currency_changed: bool
    goodwill_delta: int
    goodwill_delta_overflow: bool
    changes_by_kind: Dict[str, KindTally]
    examples: List[ShadowExample]
    error_examples: List[ShadowExample]


def _example(raw: Dict[str, Any]) -> ShadowExample:
    return ShadowExample(
        number=raw["number"], context_bytes=raw["context_bytes"],
        serving=raw["serving"], candidate=raw["candidate"],
        changes=[ShadowChange(*c) for c in raw["changes"]],
        error=raw["error"], _context=raw["context"])


def _report(raw: Dict[str, Any]) -> ShadowReport:
    since = (datetime.datetime.fromtimestamp(raw["since"], datetime.timezone.utc)
             if raw["active"] else None)
    return ShadowReport(
        active=raw["active"], candidate_name=raw["candidate_name"],
        candidate_version=raw["candidate_version"],
        candidate_hash=raw["candidate_hash"], share=raw["share"], since=since,
        serving_swaps=raw["serving_swaps"], decided=raw["decided"],
        sampled=raw["sampled"], identical=raw["identical"],
        differing=raw["differing"], candidate_errors=raw["candidate_errors"],
        currency=raw["currency"], currency_changed=raw["currency_changed"],
        goodwill_delta=raw["goodwill_delta"],
        goodwill_delta_overflow=raw["goodwill_delta_overflow"],
        changes_by_kind={k: KindTally(**v) for k, v in raw["changes_by_kind"].items()},
        examples=[_example(e) for e in raw["examples"]],
        error_examples=[_example(e) for e in raw["error_examples"]])


def _engine(engine: Any, what: str) -> Engine:
    if not isinstance(engine, Engine):
        raise TypeError(f"{what} must be a tact.Engine, not {type(engine).__name__}")
    return engine


class EngineHandle:
    """The serving Engine of a long-running process, swapped whole by
    reload(), and optionally a candidate Engine shadowing it. Safe for
    concurrent use by multiple threads; decide() releases the GIL.

    Example:

        handle = tact.EngineHandle(tact.Engine.from_file("support.textproto"))
        handle.set_candidate(tact.Engine.from_file("next.textproto"), share=0.25)
        handle.decide(context)          # the serving decision, unchanged
        handle.shadow_report().differing
    """

    # _serving and _candidate: the Engines last given, so the engine and
    # candidate properties return them (with their compile options) rather
    # than new wrappers of the same C++ engine.
    __slots__ = ("_impl", "_serving", "_candidate")

    def __init__(self, engine: Engine):
        self._impl = _tact.EngineHandle(_engine(engine, "engine")._impl)
        self._serving = engine
        self._candidate: Optional[Engine] = None

    def _wrap(self, impl: Any) -> Engine:
        for known in (self._serving, self._candidate):
            if known is not None and known._impl.same_engine(impl):
                return known
        return Engine(impl)

    # --- The serving policy --------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The serving Engine."""
        return self._wrap(self._impl.engine())

    def swap(self, engine: Engine) -> None:
        """Makes `engine` the serving policy. Decisions already running
        finish on the previous one; the candidate and its counts stay."""
        self._impl.swap(_engine(engine, "engine")._impl)
        self._serving = engine

    def reload(self, path: Union[str, "os.PathLike[str]"], *,
               options: Optional[CompileOptions] = None) -> Engine:
        """Compiles the policy file at `path` (with `options`, as
        Engine.from_file) and, only if it compiles, makes it the serving
        policy (else PolicyError; the old one serves on). Returns the new
        Engine."""
        engine = Engine.from_file(path, options=options)
        self.swap(engine)
        return engine

    # --- Deciding ------------------------------------------------------------

    def decide(self, context: Context, *, authority: Optional[str] = None,
               trace: TraceLevel = False, timeout: Optional[float] = None,
               record: bool = False) -> Decision:
        """Decides on one context with the serving policy, as Engine.decide()
        (the same arguments, result and exceptions). With a candidate, the
        candidate then decides the same context on the side when sampled;
        its result and errors only reach shadow_report()."""
        authority = self.engine._authority(authority)
        trace = _trace_level(trace)
        timeout_ms = _timeout_ms(timeout)
        record = bool(record)
        if type(context) is dict:
            out = self._impl.decide_dict(context, authority, trace, timeout_ms,
                                         record)
            if out is not None:
                if type(out) is str or type(out) is tuple:
                    raise _error(out)
                return out
        encoding, payload = _convert.context_payload(context)
        ok, out = self._impl.decide(encoding, payload, authority, trace,
                                    timeout_ms, record)
        if not ok:
            raise _error(out)
        return out

    # --- Shadow evaluation ---------------------------------------------------

    def set_candidate(self, candidate: Engine, share: float = 1.0, *,
                      max_examples: int = 20,
                      max_example_bytes: int = 64 << 10) -> None:
        """Makes `candidate` shadow the serving policy, replacing any
        candidate and starting its report afresh.

        `share` in [0, 1]: the share of the serving decisions it also
        decides, by a counter (decision n, from 0, is sampled when
        floor((n + 1) * share) > floor(n * share)), so exactly
        floor(N * share) of N decisions are. The report keeps the first
        `max_examples` differing cases and candidate errors, each context
        and decision up to `max_example_bytes` (larger ones are counted and
        left out). ValueError for a share outside [0, 1] or a negative cap.
        """
        _engine(candidate, "candidate")
        if isinstance(share, bool) or not isinstance(share, (int, float)) \
                or math.isnan(share):
            raise ValueError("share must be a number in [0, 1]")
        for name, value in (("max_examples", max_examples),
                            ("max_example_bytes", max_example_bytes)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an int >= 0")
        error = self._impl.set_candidate(candidate._impl, float(share),
                                         min(max_examples, 2**31 - 1),
                                         min(max_example_bytes, 2**63 - 1))
        if error is not None:
            raise ValueError(error)
        self._candidate = candidate

    def clear_candidate(self) -> None:
        """Stops shadowing and drops the candidate and its report."""
        self._impl.clear_candidate()
        self._candidate = None

    @property
    def candidate(self) -> Optional[Engine]:
        """The candidate Engine, or None."""
        impl = self._impl.candidate()
        return None if impl is None else self._wrap(impl)

    def shadow_report(self) -> ShadowReport:
        """A snapshot of the candidate's report (`active` False without
        one)."""
        return _report(self._impl.shadow_report())

    def __repr__(self) -> str:
        candidate = self.candidate
        return (f"<tact.EngineHandle serving={self.engine!r} "
                f"candidate={candidate!r}>")
