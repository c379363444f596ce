"""tact.Engine: a compiled policy that decides on contexts."""

from __future__ import annotations

import dataclasses
import math
import os
import threading
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _convert
from . import _tact
from .decision import Decision
from .errors import (CancelledError, ContextError, DeadlineExceededError, Diagnostic,
                     PolicyError, ResourceExhaustedError)
from .why_not import WhyNot

__all__ = ["CompileOptions", "Engine"]

_FORMATS = {"text": 1, "json": 2, "binary": 3}

_DEFAULT_LIMITS = _tact.default_compile_options()


@dataclasses.dataclass(frozen=True)
class CompileOptions:
    """The limits a policy loads under (tact::CompileOptions in
    include/tact/engine.h): a hostile or absurd policy over one fails to
    load with PolicyError naming the field, its count and the limit. The
    defaults are the C++ library's.

        Engine.from_file(path, options=CompileOptions(max_rules=1000))
    """

    max_rules: int = _DEFAULT_LIMITS["max_rules"]
    max_expression_bytes: int = _DEFAULT_LIMITS["max_expression_bytes"]
    max_nesting_depth: int = _DEFAULT_LIMITS["max_nesting_depth"]
    max_regex_memory: int = _DEFAULT_LIMITS["max_regex_memory"]
    max_policy_bytes: int = _DEFAULT_LIMITS["max_policy_bytes"]
    max_evaluation_depth: int = _DEFAULT_LIMITS["max_evaluation_depth"]
    max_actions: int = _DEFAULT_LIMITS["max_actions"]
    max_definitions: int = _DEFAULT_LIMITS["max_definitions"]
    max_repeated_field: int = _DEFAULT_LIMITS["max_repeated_field"]

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if type(value) is not int or not 1 <= value < 2**63:
                raise ValueError(f"CompileOptions.{field.name} must be a positive int "
                                 f"below 2**63, not {value!r}")

    def _as_dict(self) -> Dict[str, int]:
        return dataclasses.asdict(self)


assert set(_DEFAULT_LIMITS) == {f.name for f in dataclasses.fields(CompileOptions)}, \
    "CompileOptions differs from tact::CompileOptions"

_DEFAULT_OPTIONS = CompileOptions()


def _check_options(options: Optional[CompileOptions]) -> CompileOptions:
    if options is None:
        return _DEFAULT_OPTIONS
    if not isinstance(options, CompileOptions):
        raise TypeError(f"options must be a tact.CompileOptions, not {type(options).__name__}")
    return options


# Engines rebuilt from pickles (_restore_engine), by (policy hash, compile
# options): a worker process that receives the same engine with every task
# compiles it once. At most _RESTORED_MAX policies are kept, the least
# recently used dropped first.
_RESTORED: Dict[Tuple[str, CompileOptions], "Engine"] = {}
_RESTORED_MAX = 16
_RESTORED_LOCK = threading.Lock()


def _restore_engine(policy_bytes: bytes, options: Dict[str, int],
                    policy_hash: str) -> "Engine":
    """Unpickles an Engine: its compiled policy (wire format) compiled again
    with its compile options, once per process for each policy hash.
    PolicyError when the policy no longer compiles here; ValueError when it
    compiles to another hash (a tact version that reads it differently)."""
    try:
        key = (policy_hash, CompileOptions(**options))
    except TypeError as e:  # an option this tact does not have
        raise ValueError(f"the pickled engine's compile options do not fit tact "
                         f"{_tact.__version__}: {e}") from None
    with _RESTORED_LOCK:
        engine = _RESTORED.pop(key, None)
        if engine is not None:
            _RESTORED[key] = engine  # most recently used last
            return engine
    engine = Engine.from_text(policy_bytes, "binary", options=key[1],
                              source_name=f"<pickled policy {policy_hash[:19]}>")
    if engine.policy_hash != policy_hash:
        raise ValueError(f"the pickled policy {policy_hash} compiles to "
                         f"{engine.policy_hash} with tact {_tact.__version__}")
    with _RESTORED_LOCK:
        engine = _RESTORED.setdefault(key, engine)
        while len(_RESTORED) > _RESTORED_MAX:
            del _RESTORED[next(iter(_RESTORED))]
    return engine

Context = Union[dict, str, bytes, Any]  # Any: a tact.v1.Context message


def _diagnostics(raw: Sequence[dict]) -> List[Diagnostic]:
    return [Diagnostic(**d) for d in raw]


def _error(out: Any, index: Optional[int] = None) -> Exception:
    """The exception for a failed decision from _tact: a str is a malformed
    context, (kind, message) any other failure."""
    if type(out) is tuple:
        return _ERRORS[out[0]](out[1], index)
    return ContextError(out, index)


_ERRORS = {"resource_exhausted": ResourceExhaustedError,
           "deadline_exceeded": DeadlineExceededError,
           "cancelled": CancelledError}


def _check_threads(threads: Optional[int]) -> None:
    if threads is not None:
        if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
            raise ValueError("threads must be a positive int or None")


_TRACE_LEVELS = {"off": 0, "evaluated": 1, "full": 2}

# _impl.decide_dict(context, "", 0, -1, False) without pybind11's argument
# handling: what decide() calls when every option is at its default.
_decide_dict_default = _tact.decide_dict_default

TraceLevel = Union[bool, str]


def _trace_level(trace: TraceLevel) -> int:
    """`trace` as _tact's trace level (tact.v1.TraceLevel): False or "off" 0,
    "evaluated" 1, True or "full" 2."""
    if trace is True:
        return 2
    if trace is False or trace is None:
        return 0
    if isinstance(trace, str) and trace in _TRACE_LEVELS:
        return _TRACE_LEVELS[trace]
    raise ValueError("trace must be False, True, 'off', 'evaluated' or 'full', "
                     f"not {trace!r}")


def _timeout_ms(timeout: Optional[float]) -> int:
    """`timeout` seconds as _tact's milliseconds (-1: none)."""
    if timeout is None:
        return -1
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
            or math.isnan(timeout) or timeout < 0:
        raise ValueError("timeout must be a number of seconds >= 0 or None")
    return int(min(timeout * 1000, 2**62))


def _inputs(contexts: Iterable[Context],
            return_exceptions: bool) -> Tuple[List[Tuple[int, Any]], Dict[int, ContextError]]:
    """The (encoding, payload) pairs _tact takes for `contexts`, and the
    ContextError (with `.index`) of each one that cannot be converted: raised
    at once unless `return_exceptions`, else kept with a placeholder input.
    TypeError for a context of an unsupported type."""
    inputs: List[Tuple[int, Any]] = []
    errors: Dict[int, ContextError] = {}
    for i, context in enumerate(contexts):
        try:
            if type(context) is dict:
                parsed = _tact.context_from_dict(context)
                if type(parsed) is str:
                    raise ContextError(parsed)
                if parsed is not None:
                    inputs.append((_convert.PARSED, parsed))
                    continue
            inputs.append(_convert.context_payload(context))
        except ContextError as e:
            if not return_exceptions:
                raise ContextError(e.message, i) from None
            errors[i] = ContextError(e.message, i)
            inputs.append((_convert.JSON, b""))  # placeholder, replaced by the caller
    return inputs, errors


class Engine:
    """A compiled policy. Immutable; decide() and decide_many() are safe for
    concurrent use by multiple threads and release the GIL while deciding.

    Build one with from_file(), from_text() or from_proto(); every load or
    type error raises PolicyError listing all of them.

    Example:

        engine = tact.Engine.from_file("examples/policies/support.textproto")
        decision = engine.decide({"now": "2026-01-05T10:00:00Z",
                                  "customer": {"tier": "gold"}},
                                 authority="bot")
        print(decision.actions[0].text)
    """

    __slots__ = ("_impl", "_options", "warnings")

    def __init__(self, impl: "_tact.Engine", warnings: Sequence[Diagnostic] = (),
                 options: Optional[CompileOptions] = None):
        """Internal: use from_file(), from_text() or from_proto()."""
        if not isinstance(impl, _tact.Engine):
            raise TypeError("use Engine.from_file(), from_text() or from_proto()")
        self._impl = impl
        self._options = _check_options(options)
        # Diagnostics of severity "warning" found while loading.
        self.warnings: List[Diagnostic] = list(warnings)

    # --- Loading -------------------------------------------------------------

    @classmethod
    def _from_result(cls, result, options: CompileOptions) -> "Engine":
        impl, raw = result
        diagnostics = _diagnostics(raw)
        if impl is None:
            raise PolicyError(diagnostics)
        return cls(impl, [d for d in diagnostics if d.severity != "error"], options)

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"], *,
                  options: Optional[CompileOptions] = None) -> "Engine":
        """Loads a policy file; the format comes from its extension
        (.textproto/.txtpb/.pbtxt, .json, .binpb/.pb). `options`: the limits
        it loads under (default: CompileOptions()).

        Raises PolicyError (with .errors) when it cannot be read, parsed or
        type-checked.
        """
        options = _check_options(options)
        return cls._from_result(
            _tact.compile_file(os.fspath(path), options._as_dict()), options)

    @classmethod
    def from_text(cls, text: Union[str, bytes], format: str = "text", *,
                  source_name: str = "<policy>",
                  options: Optional[CompileOptions] = None) -> "Engine":
        """Compiles a policy held in memory: `format` is "text" (protobuf
        text format), "json" (proto3 JSON) or "binary" (wire format, bytes).
        `source_name` names it in diagnostics; `options` as for from_file().

        Raises PolicyError on any load or type error, ValueError for an
        unknown format, TypeError for str given as binary.
        """
        options = _check_options(options)
        if format not in _FORMATS:
            raise ValueError(f"format must be one of {sorted(_FORMATS)}, not {format!r}")
        if isinstance(text, str):
            if format == "binary":
                raise TypeError("a binary policy is bytes, not str")
            data = text.encode("utf-8", "surrogateescape")
        elif isinstance(text, (bytes, bytearray, memoryview)):
            data = bytes(text)
        else:
            raise TypeError(f"policy text must be str or bytes, not {type(text).__name__}")
        return cls._from_result(
            _tact.compile_text(data, _FORMATS[format], source_name, options._as_dict()),
            options)

    @classmethod
    def from_proto(cls, policy: Any, *,
                   options: Optional[CompileOptions] = None) -> "Engine":
        """Compiles a generated tact.v1.Policy message (tact.v1.policy_pb2).
        Diagnostics have no line numbers; `options` as for from_file()."""
        name = getattr(getattr(policy, "DESCRIPTOR", None), "full_name", None)
        if name != "tact.v1.Policy":
            raise TypeError(f"expected a tact.v1.Policy message, not {type(policy).__name__}")
        return cls.from_text(policy.SerializeToString(), "binary", options=options)

    # --- Travelling (pickle, Dask) -------------------------------------------

    @property
    def compile_options(self) -> CompileOptions:
        """The limits the policy was compiled under."""
        return self._options

    def __reduce__(self):
        """Pickles as the compiled policy (wire format), its compile options
        and its hash: unpickling compiles it again, once per process for a
        given hash and options (later unpickles share that engine), and
        checks the hash. So an Engine can be sent to other processes, e.g.
        Dask workers (tact.dask). Its warnings come from that compile."""
        return (_restore_engine,
                (self._impl.policy_bytes(), self._options._as_dict(), self.policy_hash))

    def __dask_tokenize__(self):
        """Dask's key for the engine: the same policy and options, the same
        token, so tasks over the same engine dedupe."""
        return ("tact.Engine", self.policy_hash, tuple(self._options._as_dict().items()))

    # --- The policy ----------------------------------------------------------

    @property
    def policy_name(self) -> str:
        return self._impl.policy_name

    @property
    def policy_version(self) -> str:
        return self._impl.policy_version

    @property
    def policy_hash(self) -> str:
        """"sha256:<hex>" of the policy; every decision carries it."""
        return self._impl.policy_hash

    @property
    def authorities(self) -> List[str]:
        """The policy's authority levels, lowest first."""
        return list(self._impl.authorities)

    @property
    def policy(self):  # -> tact.v1.policy_pb2.Policy
        """The compiled policy as a generated tact.v1.Policy message."""
        from .v1 import policy_pb2
        return policy_pb2.Policy.FromString(self._impl.policy_bytes())

    def __repr__(self) -> str:
        return (f"<tact.Engine policy={self.policy_name!r} "
                f"version={self.policy_version!r} {self.policy_hash[:19]}>")

    # --- Deciding ------------------------------------------------------------

    def _authority(self, authority: Optional[str]) -> str:
        if authority is None or authority == "":
            return ""
        if not isinstance(authority, str):
            raise TypeError(f"authority must be a str, not {type(authority).__name__}")
        if authority not in self._impl.authorities:
            raise ValueError(f"unknown authority {authority!r}; the policy's are: "
                             f"{', '.join(self._impl.authorities) or '(none)'}")
        return authority

    def decide(self, context: Context, *, authority: Optional[str] = None,
               trace: TraceLevel = False,
               timeout: Optional[float] = None,
               record: bool = False) -> Decision:
        """Decides on one context.

        `context` is a dict (the proto3 JSON shape; snake_case or camelCase
        keys; datetime and timedelta values allowed), a JSON str,
        wire-format bytes, or a tact.v1.Context message. `authority` is the
        one the caller acts with, e.g. "bot": actions above it come back in
        `needs_approval`. `trace` chooses what `decision.trace` records:
        "full" (or True), every rule, whether it fired and if not its first
        false condition; "evaluated", the same for only the rules the rule
        index evaluated (not one entry per rule: a rule it proved cannot
        hold is not listed), cheap enough to leave on; "off" (or False,
        the default), nothing.
        `timeout`: seconds the decision may take (None: no limit); past it,
        DeadlineExceededError "decision deadline passed". A decision
        exceeding an evaluation budget (steps, string bytes) or memory
        raises ResourceExhaustedError naming the budget and the rule.
        `record` fills the decision's record for audit and replay:
        decision_id, context_digest and tact_version (see
        tact.DecisionLog and tact.replay).

        Raises ContextError when the context is malformed (no `now`, unknown
        field, bad JSON or bytes), ValueError for an unknown authority or
        trace level, TypeError for a context of an unsupported type.
        """
        if authority is None and trace is False and timeout is None \
                and record is False:
            # The defaults (the common call), checked cheaply.
            if type(context) is dict:
                out = _decide_dict_default(self._impl, context)
                if type(out) is Decision:
                    return out
                if out is not None:
                    raise _error(out)
            authority, trace_level, timeout_ms = "", 0, -1
        else:
            authority = self._authority(authority)
            trace_level = _trace_level(trace)
            record = bool(record)
            timeout_ms = _timeout_ms(timeout)
            if type(context) is dict:
                # The fast path: the dict is read in C++, no JSON either way.
                out = self._impl.decide_dict(context, authority, trace_level,
                                             timeout_ms, record)
                if out is not None:
                    if type(out) is str or type(out) is tuple:
                        raise _error(out)
                    return out
        # A dict here holds a value only the JSON path reads exactly (see
        # python/dict_context.h); that path gives the same decision.
        encoding, payload = _convert.context_payload(context)
        ok, out = self._impl.decide(encoding, payload, authority, trace_level,
                                    timeout_ms, record)
        if not ok:
            raise _error(out)
        return out

    def why_not(self, context: Context, action: str, *,
                authority: Optional[str] = None,
                timeout: Optional[float] = None) -> WhyNot:
        """Why `action` is not recommended on `context`, and what would
        change that (tact::Engine::WhyNot): its status ("recommended",
        "needs_approval", "blocked", "stopped", "not_proposed"), a summary,
        and per rule or construct that could offer it the changes that
        would, each checked by deciding again (`verified`).

        `context`, `authority` and `timeout` as for decide() (the timeout
        covers all the work). Raises ValueError naming the nearest action id
        when the policy has no such action, and what decide() raises.
        """
        if not isinstance(action, str):
            raise TypeError(f"action must be a str, not {type(action).__name__}")
        authority = self._authority(authority)
        encoding, payload = _convert.context_payload(context)
        ok, out = self._impl.why_not(encoding, payload, action, authority,
                                     _timeout_ms(timeout))
        if not ok:
            if type(out) is tuple and out[0] == "not_found":
                raise ValueError(out[1])
            raise _error(out)
        return WhyNot._from_json(out)

    def decide_many(self, contexts: Iterable[Context], *,
                    authority: Optional[str] = None, trace: TraceLevel = False,
                    threads: Optional[int] = None,
                    return_exceptions: bool = False,
                    timeout: Optional[float] = None) -> List[Any]:
        """Decides on many contexts in parallel on C++ threads, with the GIL
        released; returns the decisions in input order, equal to calling
        decide() on each (`trace` as there).

        `threads`: how many threads (default: one per core, at most one per
        context). A malformed context raises ContextError (with `.index`)
        after the whole batch ran, unless `return_exceptions`, in which case
        its ContextError takes its place in the list.

        `timeout`: seconds the whole batch may take (None: no limit); the
        contexts not decided by then fail with "decision deadline passed".
        Ctrl-C (KeyboardInterrupt) stops the batch within about 100 ms and
        is raised here.
        """
        _check_threads(threads)
        trace_level = _trace_level(trace)
        timeout_ms = _timeout_ms(timeout)
        inputs, errors = _inputs(contexts, return_exceptions)
        outcomes = self._impl.decide_many(inputs, self._authority(authority),
                                          trace_level, threads or 0, timeout_ms)
        results: List[Any] = []
        for i, (ok, out) in enumerate(outcomes):
            if i in errors:
                results.append(errors[i])
            elif ok:
                results.append(out)
            elif return_exceptions:
                results.append(_error(out, i))
            else:
                raise _error(out, i)
        return results

    def simulate(self, cases: Iterable[Context], *,
                 authority: Optional[str] = None, threads: Optional[int] = None,
                 max_listed_errors: int = 20,
                 timeout: Optional[float] = None,
                 baseline: Optional["Engine"] = None,
                 policy_label: str = "", baseline_label: str = "",
                 max_listed_changes: int = 1000,
                 cost_share: Optional[float] = None,
                 max_listed_costly: int = 100) -> dict:
        """Decides every case (on C++ threads, with the GIL released) and
        totals what the policy would do and cost, in C++ (tact::Simulate): the same dict as
        `tact simulate --json` prints, {"lines", "errors", "summary"}.
        Cases that cannot be decided are counted and listed by their 1-based
        position; blank strings are skipped. `timeout` and Ctrl-C work as in
        decide_many(). With `baseline` (another Engine), also "baseline" and
        "changed": the diff of `tact simulate --baseline`, by kind with its
        money (tact.simulation.fails_gate() is `--fail-on`). `cost_share` (a
        percentage) adds the customers whose cost to serve exceeds that share
        of their spend, as `tact simulate --cost-share`. See tact.simulation.
        """
        from .simulation import simulate
        return simulate(self, cases, authority=authority, threads=threads,
                        max_listed_errors=max_listed_errors, timeout=timeout,
                        baseline=baseline, policy_label=policy_label,
                        baseline_label=baseline_label,
                        max_listed_changes=max_listed_changes,
                        cost_share=cost_share,
                        max_listed_costly=max_listed_costly)
