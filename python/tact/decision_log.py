"""Decision logs: append decisions with their contexts, and replay them.

    engine = tact.Engine.from_file("examples/policies/support.textproto")
    with tact.DecisionLog("decisions.jsonl") as log:
        decision = engine.decide(context, record=True)
        log.append(context, decision)
    report = tact.replay(engine, "decisions.jsonl")
    assert report.ok, report.differences

A log is JSON Lines: one tact.v1.DecisionLogRecord {context, decision} per
line, the same format as `tact decide --log` writes and `tact replay` reads
(C++: tact/decision_log.h). See docs/explanations.md.
"""

from __future__ import annotations

import dataclasses
import json
import os
from typing import Any, List, Optional, Tuple, Union

from . import _convert
from . import _tact
from .decision import Decision
from .errors import ContextError, TactError

# absl::StatusCode numbers.
_INVALID_ARGUMENT = 3
_NOT_FOUND = 5
_PERMISSION_DENIED = 7


def _os_error(code: int, message: str) -> Exception:
    if code == _NOT_FOUND:
        return FileNotFoundError(message)
    if code == _PERMISSION_DENIED:
        return PermissionError(message)
    if code == _INVALID_ARGUMENT:
        return ContextError(message)
    return TactError(message)


class DecisionLog:
    """Appends decision records to a JSON Lines file, opened for appending
    (created if missing). append() is safe from several threads; each
    record is written whole. Use as a context manager, or call close().

    Raises FileNotFoundError when the file's directory does not exist,
    PermissionError when it may not be written, TactError otherwise; the
    message names the file.
    """

    def __init__(self, path: Union[str, os.PathLike]):
        self.path = os.fspath(path)
        ok, code, out = _tact.DecisionLogWriter.open(self.path)
        if not ok:
            raise _os_error(code, out)
        self._writer: Optional[Any] = out

    def append(self, context: Any, decision: Decision) -> None:
        """Appends one record: `context` (a dict, JSON str, wire bytes or a
        tact.v1.Context message, as Engine.decide takes) and the decision
        made on it (record it with decide(..., record=True) so that the log
        carries its decision id). Raises ContextError for a malformed
        context, ValueError when the log is closed, TactError when the
        write fails."""
        if self._writer is None:
            raise ValueError(f"decision log {self.path!r} is closed")
        if not isinstance(decision, Decision):
            raise TypeError(f"decision must be a tact.Decision, not "
                            f"{type(decision).__name__}")
        encoding, payload = _convert.context_payload(context)
        error = self._writer.append(encoding, payload, decision._message)
        if error is not None:
            raise _os_error(*error)

    def flush(self) -> None:
        """Writes buffered records to the operating system."""
        if self._writer is not None:
            error = self._writer.flush()
            if error is not None:
                raise _os_error(*error)

    def close(self) -> None:
        """Flushes and closes the log; further appends raise ValueError."""
        if self._writer is not None:
            try:
                self.flush()
            finally:
                self._writer = None

    def __enter__(self) -> "DecisionLog":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@dataclasses.dataclass(frozen=True)
class Change:
    """What a host would act on that changes (kind as in tact.simulate)."""
    kind: str
    text: str
    money: int


@dataclasses.dataclass(frozen=True)
class ReplayDifference:
    """A logged decision that does not replay as logged: with the same
    policy, where the JSON first differs (`first_difference`); with another
    policy, what would change (`kinds`, `changes`); or why the context
    could not be decided (`error`)."""
    line: int
    case_id: str
    decision_id: str
    same_policy: bool
    first_difference: str = ""
    kinds: Tuple[str, ...] = ()
    changes: Tuple[Change, ...] = ()
    error: str = ""


@dataclasses.dataclass(frozen=True)
class MalformedLine:
    """A line of the log that is not a record; `message` names FILE:LINE."""
    line: int
    message: str


@dataclasses.dataclass(frozen=True)
class ReplayReport:
    """The result of tact.replay: counts, the records that differ and the
    malformed lines (the first 1000 of each are listed)."""
    log: str
    policy_hash: str
    records: int
    identical: int
    other_policy: int
    unchanged: int
    differing: int
    differences: Tuple[ReplayDifference, ...]
    malformed_count: int
    malformed: Tuple[MalformedLine, ...]

    @property
    def ok(self) -> bool:
        """Every line is a record that replays identically (against another
        policy: with nothing a host acts on changed)."""
        return self.differing == 0 and self.malformed_count == 0

    def __bool__(self) -> bool:
        return self.ok


def replay(engine: Any, path: Union[str, os.PathLike]) -> ReplayReport:
    """Re-decides every record of the log at `path` with `engine` (a
    tact.Engine), each with the authority, trace level and record flag its
    decision records, and compares the new decision with the logged one
    byte for byte; against another policy, says what would change.

    Reads the log one line at a time. Raises FileNotFoundError or
    PermissionError naming the file when it cannot be opened, TactError
    when reading fails or the log has more than 10,000,000 records.
    """
    ok, code, out = _tact.replay(engine._impl, os.fspath(path))
    if not ok:
        raise _os_error(code, out)
    data = json.loads(out)
    differences: List[ReplayDifference] = []
    for d in data["differences"]:
        differences.append(ReplayDifference(
            line=d["line"], case_id=d["caseId"], decision_id=d["decisionId"],
            same_policy=d["samePolicy"],
            first_difference=d.get("firstDifference", ""),
            kinds=tuple(d.get("kinds", ())),
            changes=tuple(Change(c["kind"], c["text"], c["money"])
                          for c in d.get("changes", ())),
            error=d.get("error", "")))
    return ReplayReport(
        log=data["log"], policy_hash=data["policyHash"],
        records=data["records"], identical=data["identical"],
        other_policy=data["otherPolicy"], unchanged=data["unchanged"],
        differing=data["differing"], differences=tuple(differences),
        malformed_count=data["malformedCount"],
        malformed=tuple(MalformedLine(m["line"], m["message"])
                        for m in data["malformed"]))
