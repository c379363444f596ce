"""Exceptions raised by tact, and the structured load diagnostics."""

from __future__ import annotations

import dataclasses
from typing import List, Sequence

__all__ = ["Diagnostic", "TactError", "PolicyError", "ContextError",
           "ResourceExhaustedError", "DeadlineExceededError", "CancelledError"]


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One problem found while loading a policy.

    Attributes:
      severity: "error" or "warning" (warnings never fail a load).
      file: the policy file, or the source name for in-memory policies.
      line, column: 1-based; 0 when unknown (e.g. binary policies).
      element: where in the policy, e.g. 'rule "vip-late"'; "" for the file.
      message: the problem and, where one is obvious, the fix.
      check: for a lint warning, the stable name of its check (e.g.
        "unreachable-rule", docs/policy-language.md#lint); "" otherwise.
    """

    severity: str
    file: str
    line: int
    column: int
    element: str
    message: str
    text: str = dataclasses.field(default="", compare=False)
    check: str = ""

    def __str__(self) -> str:
        # "file:line:col: error: element: message", as `tact check` prints.
        return self.text or f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"


class TactError(Exception):
    """Base class of every tact exception."""


class PolicyError(TactError):
    """A policy could not be loaded: unreadable, malformed or ill-typed.

    `errors` lists every error diagnostic (all of them, not just the first);
    `warnings` the warnings found on the way.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.errors: List[Diagnostic] = [d for d in diagnostics if d.severity == "error"]
        self.warnings: List[Diagnostic] = [d for d in diagnostics if d.severity != "error"]
        lines = [str(d) for d in self.errors] or ["the policy could not be loaded"]
        super().__init__("\n".join(lines))


class ContextError(TactError, ValueError):
    """A context could not be decided on: malformed JSON or wire format, an
    unknown field, a missing `now`, an attribute of the wrong type.

    `index` is the position of the context in a decide_many() batch, None
    for decide().
    """

    def __init__(self, message: str, index: "int | None" = None):
        self.message = message
        self.index = index
        super().__init__(message if index is None else f"context {index}: {message}")


class _DecisionError(TactError):
    """A decision that failed for a reason other than its context."""

    def __init__(self, message: str, index: "int | None" = None):
        self.message = message
        self.index = index
        super().__init__(message if index is None else f"context {index}: {message}")


class ResourceExhaustedError(_DecisionError):
    """A decision ran out of memory (C++ std::bad_alloc) or exceeded an
    evaluation budget (max_evaluation_steps, max_string_bytes_built): absl
    ResourceExhausted. Not a malformed context, and never a crash.

    `index` is the position of the context in a decide_many() batch, None
    for decide().
    """


class DeadlineExceededError(_DecisionError, TimeoutError):
    """A decision (or a batch) did not finish before its `timeout`: absl
    DeadlineExceeded. `index` as for ResourceExhaustedError.
    """


class CancelledError(_DecisionError):
    """A decision stopped because its batch was cancelled (absl Cancelled).
    Ctrl-C during decide_many() or simulate() raises KeyboardInterrupt
    instead; this is what the cases left undecided carry.
    """
