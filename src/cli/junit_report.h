// `tact test --junit=FILE`: policy test results as JUnit XML, the format CI
// systems (GitHub Actions, GitLab, Jenkins) read.
#ifndef TACT_SRC_CLI_JUNIT_REPORT_H_
#define TACT_SRC_CLI_JUNIT_REPORT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tact/policy_test.h"

namespace tact::cli {

// One <testsuite> per suite file (named after it), one <testcase> per case
// (classname: the suite file) with a <failure> holding its failure lines; a
// suite that did not load, or a PATH that holds no suite, is one
// <testcase name="(load)"> with an <error>
// holding the status message. Attribute and text values are XML-escaped;
// characters XML 1.0 cannot hold become U+FFFD. No timings, so the report
// is deterministic.
//
// `coverage` (from --coverage) adds, after the suites, a <testsuite> named
// "coverage of POLICY" per tested policy with one <testcase name="coverage">
// (classname: the policy file) whose <system-out> holds the coverage
// summary, and a <failure> when the policy is below --min-coverage.
struct JUnitCoverage {
  std::string policy_file;
  // FormatCoverage's text.
  std::string summary;
  // Empty when the coverage is not below the threshold; else the
  // "... is below PCT%" line.
  std::string below;
};
std::string RenderJUnit(const std::vector<PolicyTestSuiteResult>& suites,
                        const std::vector<JUnitCoverage>& coverage = {});

// `text` escaped for an XML attribute value or element text. Bytes that are
// not UTF-8 (each byte of a bad sequence) and characters XML 1.0 cannot hold
// (controls other than tab, newline and carriage return; U+FFFE, U+FFFF)
// become U+FFFD, so the result is always well-formed UTF-8.
std::string XmlEscape(absl::string_view text);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_JUNIT_REPORT_H_
