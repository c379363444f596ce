#include "src/cli/test_command.h"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "src/cli/command_line.h"
#include "src/cli/exit_codes.h"
#include "src/cli/junit_report.h"
#include "tact/coverage.h"
#include "tact/policy_test.h"

// Shared with `tact decide` (defined in decide_command.cc).
ABSL_DECLARE_FLAG(std::string, authority);

ABSL_FLAG(std::string, junit, "",
          "Also write the results as JUnit XML to this file.");
ABSL_FLAG(bool, coverage, false,
          "Print which parts of each tested policy the cases reached.");
ABSL_FLAG(std::string, min_coverage, "",
          "Fail when a tested policy's coverage is below this percentage "
          "(implies --coverage).");

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
                     file, a testcase per case), for CI systems; with
                     --coverage, also a testsuite "coverage of POLICY" per
                     policy, failed when below --min-coverage.
  --coverage         After the case lines, print per tested policy what its
                     cases' decisions reached and what they never did:
                     rules fired, ladder rungs offered, strike limit
                     outcomes, playbook stages, budget outcomes. Suites
                     testing the same policy file are folded into one
                     coverage; every decision made counts, a failing case's
                     too; a suite that did not load counts nothing.
  --min-coverage=PCT Implies --coverage. Fails the run when any tested
                     policy's total coverage is below PCT (0 to 100, at
                     most one decimal: 85, 85.5 or 85.5%); exactly PCT
                     passes. Each policy below it is named on a line
                     "FAIL coverage of POLICY: ... is below PCT%" before the
                     last line.
  --authority=NAME   Run every case as this authority (e.g. bot), whatever
                     the suite and its cases say. Default: as they say.
  --help             Show this text.

Exit status: 0 when every case passed, 1 when any case failed, a suite did
not load or a policy's coverage is below --min-coverage, 2 on a usage error
(a --min-coverage that is not a percentage too), 3 when the --junit file
cannot be written.

Examples:
  tact test examples/policies
  tact test --min-coverage=80 examples/policies/support.test.textproto
)usage";

namespace {

void PrintIndented(absl::string_view text, std::ostream& out) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    out << "    " << line << "\n";
  }
}

// The coverage of one policy file, folded over every suite that tests it.
struct PolicyFileCoverage {
  std::string policy_file;          // as the first suite resolved it
  std::vector<std::string> suites;  // the suite files, in run order
  PolicyCoverage coverage;
};

// The key that makes two suites' policy files one: the path made absolute
// and normal (symbolic links resolved where they exist).
std::string PolicyKey(const std::string& policy_file) {
  std::error_code error;
  std::filesystem::path path =
      std::filesystem::weakly_canonical(policy_file, error);
  if (error) path = std::filesystem::absolute(policy_file, error);
  if (error) return policy_file;
  return path.lexically_normal().string();
}

// Whether `args` set the flag `name` (as ParseArgs reads them: "--name",
// "-name", "--name=...", with '-' for '_'), so that an empty value is told
// apart from no flag.
bool FlagGiven(const std::vector<std::string>& args, absl::string_view name) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    absl::string_view flag = arg;
    if (!absl::ConsumePrefix(&flag, "--")) absl::ConsumePrefix(&flag, "-");
    flag = flag.substr(0, flag.find('='));
    if (absl::StrReplaceAll(flag, {{"-", "_"}}) == name) return true;
  }
  return false;
}

// 857 -> "85.7".
std::string Tenths(int64_t tenths) {
  return absl::StrCat(tenths / 10, ".", tenths % 10);
}

}  // namespace

int RunTest(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  absl::StatusOr<ParsedArgs> parsed =
      ParseArgs(args,
                /*allowed=*/{"junit", "authority", "coverage", "min_coverage"});
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

  bool with_coverage = absl::GetFlag(FLAGS_coverage);
  const std::string min_coverage_text = absl::GetFlag(FLAGS_min_coverage);
  double min_coverage = 0;
  const bool min_coverage_given = FlagGiven(args, "min_coverage");
  if (min_coverage_given) {
    absl::StatusOr<double> parsed_percent =
        ParseCoveragePercent(min_coverage_text);
    if (!parsed_percent.ok()) {
      err << "tact test: --min-coverage: " << parsed_percent.status().message()
          << "\n"
          << "Run 'tact test --help' for usage.\n";
      return kExitUsage;
    }
    min_coverage = *parsed_percent;
    with_coverage = true;
  }

  PolicyTestOptions options;
  options.authority = absl::GetFlag(FLAGS_authority);
  int passed = 0;
  int failed = 0;
  std::vector<PolicyTestSuiteResult> results;
  // In the order each policy was first tested; `by_key` indexes it.
  std::vector<PolicyFileCoverage> coverages;
  std::map<std::string, size_t> by_key;
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
      if (with_coverage && suite.engine != nullptr) {
        const std::string key = PolicyKey(suite.policy_file);
        auto [it, inserted] = by_key.emplace(key, coverages.size());
        if (inserted) {
          coverages.push_back(
              {suite.policy_file, {}, PolicyCoverage(*suite.engine)});
        }
        PolicyFileCoverage& folded = coverages[it->second];
        folded.suites.push_back(file);
        absl::Status added;
        for (const PolicyTestCaseResult& c : suite.cases) {
          for (const v1::Decision& decision : c.decisions) {
            if (added.ok()) added = folded.coverage.Add(decision);
          }
        }
        if (!added.ok()) {
          // The policy file changed between two suites' loads.
          out << "FAIL " << file << " (coverage)\n";
          PrintIndented(added.message(), out);
          ++failed;
        }
      }
      // The decisions are not needed past this point; keep the report small.
      for (PolicyTestCaseResult& c : suite.cases) c.decisions.clear();
      results.push_back(std::move(suite));
    }
  }
  bool coverage_met = true;
  std::vector<JUnitCoverage> junit_coverage;
  if (with_coverage) {
    std::vector<std::string> below;
    for (const PolicyFileCoverage& folded : coverages) {
      const CoverageReport report = folded.coverage.Report();
      out << "coverage of " << folded.policy_file << " (tested by "
          << absl::StrJoin(folded.suites, ", ") << ")\n";
      std::string text = FormatCoverage(report);
      if (!text.empty() && text.back() == '\n') text.pop_back();
      PrintIndented(text, out);
      JUnitCoverage junit{folded.policy_file, text + "\n", ""};
      if (min_coverage_given && !MeetsCoverage(report, min_coverage)) {
        junit.below =
            absl::StrCat("coverage of ", folded.policy_file, ": ",
                         Tenths(report.percent_tenths), "% (",
                         report.reached_count, "/", report.total, ") is below ",
                         Tenths(std::llround(min_coverage * 10)), "%");
        below.push_back(absl::StrCat("FAIL ", junit.below, "\n"));
      }
      junit_coverage.push_back(std::move(junit));
    }
    for (const std::string& line : below) out << line;
    coverage_met = below.empty();
  }
  out << passed << " passed, " << failed << " failed\n";

  const std::string junit_path = absl::GetFlag(FLAGS_junit);
  if (!junit_path.empty()) {
    std::ofstream file(junit_path, std::ios::binary | std::ios::trunc);
    file << RenderJUnit(results, junit_coverage);
    file.close();
    if (!file) {
      err << junit_path << ": error: cannot write the JUnit report\n";
      return kExitOutputFailed;
    }
  }
  return failed == 0 && coverage_met ? kExitOk : kExitFailure;
}

}  // namespace tact::cli
