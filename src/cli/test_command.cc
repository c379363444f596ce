#include "src/cli/test_command.h"

#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "src/cli/command_line.h"
#include "src/cli/exit_codes.h"
#include "src/cli/junit_report.h"
#include "tact/policy_test.h"

// Shared with `tact decide` (defined in decide_command.cc).
ABSL_DECLARE_FLAG(std::string, authority);

ABSL_FLAG(std::string, junit, "",
          "Also write the results as JUnit XML to this file.");

namespace tact::cli {

const char kTestUsage[] =
    R"usage(Usage: tact test [options] PATH...

Runs policy tests: each PATH is a test suite (a tact.v1.PolicyTestSuite in
text format, see docs/policy-tests.md) or a directory, searched recursively
for *.test.textproto files, run in sorted order. A suite names the policy
it tests (by default its own name without ".test": support.test.textproto
tests support.textproto) and holds named cases: a context decided once, or
a timeline of steps decided in turn with each decision's effects recorded
into the history before the next, as a host records them.

Prints one line per case, "PASS FILE:CASE" or "FAIL FILE:CASE" followed by
what differed, indented; a suite that does not load (a syntax error, a
missing context file, a policy that does not compile) is one failure
"FAIL FILE (the suite did not load)" with its errors as FILE:LINE:COL. The
last line is "N passed, M failed".

Flags:
  --junit=FILE       Also write the results as JUnit XML (a testsuite per
                     file, a testcase per case), for CI systems.
  --authority=NAME   Run every case as this authority (e.g. bot), whatever
                     the suite and its cases say. Default: as they say.
  --help             Show this text.

Exit status: 0 when every case passed, 1 when any case failed or a suite
did not load, 2 on a usage error, 3 when the --junit file cannot be
written.

Example:
  tact test examples/policies
)usage";

namespace {

void PrintIndented(absl::string_view text, std::ostream& out) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    out << "    " << line << "\n";
  }
}

}  // namespace

int RunTest(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  absl::StatusOr<ParsedArgs> parsed =
      ParseArgs(args, /*allowed=*/{"junit", "authority"});
  if (!parsed.ok()) {
    err << "tact test: " << parsed.status().message() << "\n"
        << "Run 'tact test --help' for usage.\n";
    return kExitUsage;
  }
  if (parsed->help) {
    out << kTestUsage;
    return kExitOk;
  }
  if (parsed->positional.empty()) {
    err << "tact test: no test file or directory given\n"
        << "Run 'tact test --help' for usage.\n";
    return kExitUsage;
  }

  PolicyTestOptions options;
  options.authority = absl::GetFlag(FLAGS_authority);
  int passed = 0;
  int failed = 0;
  std::vector<PolicyTestSuiteResult> results;
  for (const std::string& path : parsed->positional) {
    absl::StatusOr<std::vector<std::string>> files = FindPolicyTestFiles(path);
    if (!files.ok()) {
      out << "FAIL " << path << " (no test suite)\n";
      PrintIndented(files.status().message(), out);
      ++failed;
      // In the JUnit report too, as a "(load)" error of the path.
      PolicyTestSuiteResult missing;
      missing.file = path;
      missing.status = files.status();
      results.push_back(std::move(missing));
      continue;
    }
    for (const std::string& file : *files) {
      PolicyTestSuiteResult suite = RunPolicyTestFile(file, options);
      if (!suite.status.ok()) {
        out << "FAIL " << file << " (the suite did not load)\n";
        PrintIndented(suite.status.message(), out);
        ++failed;
      }
      for (const PolicyTestCaseResult& c : suite.cases) {
        out << (c.passed ? "PASS " : "FAIL ") << file << ":" << c.name << "\n";
        for (const std::string& line : c.failures) PrintIndented(line, out);
        ++(c.passed ? passed : failed);
      }
      // The decisions are not needed past this point; keep the report small.
      for (PolicyTestCaseResult& c : suite.cases) c.decisions.clear();
      results.push_back(std::move(suite));
    }
  }
  out << passed << " passed, " << failed << " failed\n";

  const std::string junit_path = absl::GetFlag(FLAGS_junit);
  if (!junit_path.empty()) {
    std::ofstream file(junit_path, std::ios::binary | std::ios::trunc);
    file << RenderJUnit(results);
    file.close();
    if (!file) {
      err << junit_path << ": error: cannot write the JUnit report\n";
      return kExitOutputFailed;
    }
  }
  return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace tact::cli
