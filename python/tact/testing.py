"""tact.testing: policy tests (`tact test`) from Python, e.g. under pytest.

The same runner as the CLI (tact::RunPolicyTestFile, include/tact/policy_test.h),
run with the GIL released: a suite file (a tact.v1.PolicyTestSuite in text
format, docs/policy-tests.md) names its policy and holds cases, each decided
and compared with what it expects.

    import tact.testing

    def test_support_policy():
        tact.testing.check("examples/policies/support.test.textproto")

check() raises AssertionError listing every failing case with what differed;
run() returns the results to inspect, run_suites() groups them by file.
coverage() says which parts of each tested policy the cases reached (as
`tact test --coverage`), and check(path, min_coverage=90) also fails when a
tested policy's coverage is below 90% (as `tact test --min-coverage=90`).
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Dict, List, Optional, Union

from . import _tact
from .coverage import Coverage, parse_percent
from .decision import Decision
from .engine import Engine
from .errors import TactError

__all__ = ["CaseResult", "SuiteResult", "SuiteError", "run", "run_suites",
           "check", "coverage"]

PathLike = Union[str, "os.PathLike[str]"]


class SuiteError(TactError):
    """A suite could not run: the path holds no suite, a suite file does not
    parse (its message names FILE:LINE:COL), a context file cannot be read,
    or the policy does not compile. `file` is the suite file or the path."""

    def __init__(self, file: str, message: str):
        self.file = file
        super().__init__(message)


@dataclasses.dataclass(frozen=True)
class CaseResult:
    """One case of a suite, run.

    Attributes:
      file: the suite file.
      name, description: as the case states them.
      passed: every decision was made and matched its expectation.
      failures: what differed, one line each ("step 2 (Two hours later):
        param goodwill_credit.amount: expected 2000, got 1500"); empty when
        passed.
      decisions: every decision made, in order (one per step), each with its
        trace; empty when run with keep_decisions=False.
    """

    file: str
    name: str
    description: str
    passed: bool
    failures: List[str]
    decisions: List[Decision] = dataclasses.field(repr=False)

    def __str__(self) -> str:
        head = f"{'PASS' if self.passed else 'FAIL'} {self.file}:{self.name}"
        return "\n".join([head] + ["    " + line for line in self.failures])


@dataclasses.dataclass(frozen=True)
class SuiteResult:
    """One suite file, run.

    Attributes:
      file: the suite file.
      policy_file: the policy it tests ("" when the suite did not parse).
      error: why the suite could not run (None when it ran); its lines name
        FILE:LINE:COL where known. `cases` is then empty.
      engine: the compiled policy (None when the suite did not run).
      cases: one per case, in file order.
    """

    file: str
    policy_file: str
    error: Optional[str]
    engine: Optional[Engine] = dataclasses.field(repr=False)
    cases: List[CaseResult]

    @property
    def passed(self) -> bool:
        return self.error is None and all(c.passed for c in self.cases)


def _files(path: PathLike) -> List[str]:
    ok, files = _tact.find_policy_test_files(os.fspath(path))
    if not ok:
        raise SuiteError(os.fspath(path), files)
    return files


def run_suites(path: PathLike, *, authority: Optional[str] = None,
               keep_decisions: bool = True) -> List[SuiteResult]:
    """Runs the suite at `path`, or every *.test.textproto below a directory
    (sorted), as `tact test PATH` does. A suite that cannot run comes back
    with its `error` set. `authority` overrides every case's authority.
    keep_decisions=False makes the decisions without traces and drops them
    once checked (CaseResult.decisions is then empty): less memory when only
    pass/fail and the failure lines matter.

    Raises SuiteError when `path` does not exist or holds no suite.
    """
    suites = []
    for file in _files(path):
        raw = _tact.run_policy_test_file(file, authority or "", keep_decisions)
        engine = Engine(raw["engine"]) if raw["engine"] is not None else None
        cases = [CaseResult(file=raw["file"], name=c["name"],
                            description=c["description"], passed=c["passed"],
                            failures=list(c["failures"]),
                            decisions=list(c["decisions"]))
                 for c in raw["cases"]]
        suites.append(SuiteResult(file=raw["file"], policy_file=raw["policy_file"],
                                  error=raw["error"], engine=engine, cases=cases))
    return suites


def run(path: PathLike, *, authority: Optional[str] = None,
        keep_decisions: bool = True) -> List[CaseResult]:
    """Every case of the suites at `path` (see run_suites()), in order.

    Raises SuiteError for the first suite that cannot run, naming it.
    """
    results: List[CaseResult] = []
    for suite in run_suites(path, authority=authority,
                            keep_decisions=keep_decisions):
        if suite.error is not None:
            raise SuiteError(suite.file, f"{suite.file}: the suite did not load:\n{suite.error}")
        results.extend(suite.cases)
    return results


def _fold_coverage(suites: List[SuiteResult]) -> Dict[str, Coverage]:
    """One Coverage per tested policy file, folded over every suite that
    tests it (the same file by any path), keyed by the policy file as the
    first such suite names it, in run order. Every decision made counts, a
    failing case's too; a suite that did not load counts nothing."""
    folded: Dict[str, Coverage] = {}
    names: Dict[str, str] = {}
    for suite in suites:
        if suite.engine is None:
            continue
        key = os.path.realpath(suite.policy_file)
        if key not in names:
            names[key] = suite.policy_file
            folded[suite.policy_file] = Coverage(suite.engine)
        fold = folded[names[key]]
        for case in suite.cases:
            for decision in case.decisions:
                fold.add(decision)
    return folded


def coverage(path: PathLike, *, authority: Optional[str] = None) -> Dict[str, Dict[str, Any]]:
    """Runs the suites at `path` (see run_suites()) and returns, per tested
    policy file, which of its rules, rungs, strike outcomes, playbook stages
    and budget outcomes the cases reached: {policy_file: report}, each report
    the dict of tact.Coverage.report() ("percent", "reached_count", "total",
    "categories": {"rules": {"not_reached": [{"label": ...}], ...}, ...}).
    Suites of one policy file are folded into one report, as
    `tact test --coverage` does. Cases need not pass to count.

    Raises SuiteError for the first suite that cannot run, naming it.
    """
    suites = run_suites(path, authority=authority)
    for suite in suites:
        if suite.error is not None:
            raise SuiteError(suite.file, f"{suite.file}: the suite did not load:\n{suite.error}")
    return {policy: fold.report() for policy, fold in _fold_coverage(suites).items()}


def check(path: PathLike, *, authority: Optional[str] = None,
          min_coverage: Union[None, float, str] = None,
          keep_decisions: bool = True) -> List[CaseResult]:
    """Runs the suites at `path` and returns their cases when all passed
    (keep_decisions as for run_suites(); a min_coverage keeps them anyway).

    Raises AssertionError listing every failing case with what differed, and
    every suite that could not run, as `tact test` prints them, ending with
    "N passed, M failed".

    With `min_coverage` (a percentage, 0 to 100 with at most one decimal:
    90, 85.5 or "85.5%"), also raises when a tested policy's coverage is
    below it (exactly it passes), listing each such policy as
    `tact test --min-coverage` does: "FAIL coverage of POLICY: 66.6% (6/9)
    is below 70.0%" followed by the items never reached. A bad value raises
    ValueError before anything runs.
    """
    threshold = None
    if min_coverage is not None:
        threshold = parse_percent(min_coverage if isinstance(min_coverage, str)
                                  else _percent_text(min_coverage))
    suites = run_suites(path, authority=authority,
                        keep_decisions=keep_decisions or min_coverage is not None)
    return _check_suites(suites, threshold)


def _check_suites(suites: List[SuiteResult],
                  threshold: Optional[float] = None) -> List[CaseResult]:
    """check()'s verdict on suites already run: their cases, or
    AssertionError as `tact test` reports failures (and, with `threshold`,
    a tested policy's coverage below it)."""
    lines: List[str] = []
    passed = failed = 0
    results: List[CaseResult] = []
    for suite in suites:
        if suite.error is not None:
            failed += 1
            lines.append(f"FAIL {suite.file} (the suite did not load)")
            lines.extend("    " + line for line in suite.error.split("\n"))
        for case in suite.cases:
            results.append(case)
            if case.passed:
                passed += 1
            else:
                failed += 1
                lines.append(str(case))
    below: List[str] = []
    if threshold is not None:
        for policy, fold in _fold_coverage(suites).items():
            if not fold.meets(threshold):
                report = fold.report()
                below.append(f"FAIL coverage of {policy}: {report['percent']:.1f}% "
                             f"({report['reached_count']}/{report['total']}) "
                             f"is below {threshold:.1f}%")
                below.extend("    " + line for line in fold.format().rstrip("\n").split("\n"))
    if failed or below:
        raise AssertionError("\n".join(lines + below + [f"{passed} passed, {failed} failed"]))
    return results


def _percent_text(value: float) -> str:
    """A number as parse_percent() reads it: 90 -> "90", 85.5 -> "85.5";
    anything else (more decimals, NaN, a bool) as itself, to be refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"min_coverage {value!r}: expected a percentage from 0 to 100")
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
