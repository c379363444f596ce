// Policy tests: running the suites of cases a policy ships with
// (proto/tact/v1/policy_test.proto), the model behind `tact test` and
// Python's tact.testing.
//
// Example:
//
//   tact::PolicyTestSuiteResult suite =
//       tact::RunPolicyTestFile("examples/policies/support.test.textproto");
//   if (!suite.status.ok()) {
//     std::cerr << suite.status.message() << "\n";  // "FILE:LINE:COL: ..."
//   }
//   for (const tact::PolicyTestCaseResult& c : suite.cases) {
//     std::cout << (c.passed ? "PASS " : "FAIL ") << c.name << "\n";
//     for (const std::string& line : c.failures) {
//       std::cout << "  " << line << "\n";
//     }
//   }
//
// A suite names its policy (relative to the suite file; by default the
// suite's name without ".test": support.test.textproto tests
// support.textproto). Each case starts from a context (inline or a file)
// and is decided once, or is a timeline of steps decided in turn with the
// previous decision's effects appended to the history between them, exactly
// as a host appends them. Every decision is compared with its `expect`:
// lists are checked as subsets (in order where the schema says so) unless
// the expectation or the suite says `exact`. By default every decision is
// made with DecideOptions::trace on and kept in the result, so a caller can
// fold the suite's decisions (e.g. into coverage of rules and constructs);
// PolicyTestOptions::keep_decisions turns that off. A context_file named by
// many cases is read and parsed once, and copied only while a case runs.
//
// Runs are deterministic: the same files give the same results, failure
// lines included, byte for byte. The result types are thread-compatible
// values.
#ifndef TACT_POLICY_TEST_H_
#define TACT_POLICY_TEST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tact/engine.h"
#include "tact/export.h"
#include "tact/v1/decision.pb.h"
#include "tact/v1/policy_test.pb.h"

namespace tact {

struct PolicyTestOptions {
  // When not empty, the authority of every case, whatever the suite and the
  // case say ("bot" runs the suite as a chatbot would). Default: "".
  std::string authority;

  // Whether each case result keeps its decisions, each with its trace
  // (PolicyTestCaseResult::decisions). A caller that only reads pass/fail
  // and the failure lines sets it false: decisions are then made without a
  // trace and dropped once checked, so a suite's memory does not grow with
  // its decisions. Default: true.
  bool keep_decisions = true;

  // --- Limits (absurd suites fail to load, never hang) ---
  // Largest suite file, and largest context file, in bytes. Default: 64 MiB.
  int64_t max_file_bytes = int64_t{64} << 20;
  // Most cases in one suite. Default: 10000.
  int max_cases = 10000;
  // Most steps in one case. Default: 1000.
  int max_steps = 1000;
  // Most decisions in one suite (a case without steps is one, a timeline
  // one per step). Default: 10000.
  int64_t max_decisions = 10000;
  // A suite over one of these fails to load with ResourceExhausted naming
  // the limit, e.g. "suite.test.textproto: 20000 cases; the limit is 10000
  // (PolicyTestOptions::max_cases)". The policy is compiled with
  // CompileOptions' defaults and each decision runs within DecideOptions'
  // default limits: a timeline whose history outgrows max_history_events
  // fails that case, naming the limit.
};

// One case of a suite, run.
struct PolicyTestCaseResult {
  std::string name;
  std::string description;
  // True when every decision was made and matched its expectation.
  bool passed = false;
  // Why not, one line each, in the order checked; empty when passed. A
  // timeline's lines start with the step: `step 3 (Two hours later): actions:
  // expected [a, b], got [a, c]`.
  std::vector<std::string> failures;
  // Every decision made, in order (one per step; one for a case without
  // steps), each with its trace. A decision that failed ends the case: it
  // has no entry, and its status is in `failures`. Empty when
  // PolicyTestOptions::keep_decisions is false.
  std::vector<v1::Decision> decisions;
};

// One suite file, run.
struct TACT_EXPORT PolicyTestSuiteResult {
  // The suite file, as given.
  std::string file;
  // The policy file it tests, resolved against the suite's directory; empty
  // when the suite did not parse.
  std::string policy_file;
  // Not OK when the suite could not run at all: the file cannot be read or
  // parsed, a case is malformed, a context file cannot be loaded, the
  // policy does not compile, or a limit is exceeded. The message has one
  // problem per line, each starting "FILE:LINE:COL: " where it is known.
  // `cases` is then empty.
  absl::Status status;
  // The suite as parsed (context files not inlined).
  v1::PolicyTestSuite suite;
  // The compiled policy; null when `status` is not OK.
  std::shared_ptr<const Engine> engine;
  // One per case, in file order.
  std::vector<PolicyTestCaseResult> cases;

  // True when the suite ran and every case passed.
  bool passed() const;
  int passed_count() const;
  int failed_count() const;
};

// Loads the suite at `path`, compiles its policy and runs every case.
// Never fails as a call: a suite that cannot run comes back with a non-OK
// `status` (see PolicyTestSuiteResult). Thread-compatible (reads files;
// distinct calls are independent).
TACT_EXPORT PolicyTestSuiteResult RunPolicyTestFile(
    absl::string_view path, const PolicyTestOptions& options = {});

// The suite files under `path`: `path` itself when it is a file, else every
// file named *.test.textproto below the directory, recursively, sorted by
// path. Symbolic links to directories below `path` are not followed (their
// suites are not listed; name them as their own PATH to run them); a
// *.test.textproto symbolic link whose target is missing is listed, so
// running it fails to load naming the link. Returns NotFound when `path`
// does not exist or a directory holds no suite.
TACT_EXPORT absl::StatusOr<std::vector<std::string>> FindPolicyTestFiles(
    absl::string_view path);

// Compares one decision with one expectation; returns what differed, one
// readable line each (empty: it matched). `suite_exact` is the suite's
// `exact`, used when `expect` does not set its own. Deterministic.
TACT_EXPORT std::vector<std::string> CheckExpectation(
    const v1::Expect& expect, const v1::Decision& decision,
    bool suite_exact = false);

}  // namespace tact

#endif  // TACT_POLICY_TEST_H_
