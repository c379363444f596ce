#include "src/cli/junit_report.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "tact/policy_test.h"

namespace tact::cli {

std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\t':
      case '\r':
        out += absl::StrCat("&#", static_cast<int>(c), ";");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 has no such character
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string RenderJUnit(const std::vector<PolicyTestSuiteResult>& suites) {
  int tests = 0, failures = 0, errors = 0;
  std::string body;
  for (const PolicyTestSuiteResult& suite : suites) {
    const std::string file = XmlEscape(suite.file);
    if (!suite.status.ok()) {
      ++tests;
      ++errors;
      const std::string message = std::string(suite.status.message());
      const std::string first = message.substr(0, message.find('\n'));
      absl::StrAppend(&body, "  <testsuite name=\"", file,
                      "\" tests=\"1\" failures=\"0\" errors=\"1\">\n",
                      "    <testcase classname=\"", file,
                      "\" name=\"(load)\">\n", "      <error message=\"",
                      XmlEscape(first), "\">", XmlEscape(message), "</error>\n",
                      "    </testcase>\n", "  </testsuite>\n");
      continue;
    }
    tests += static_cast<int>(suite.cases.size());
    failures += suite.failed_count();
    absl::StrAppend(&body, "  <testsuite name=\"", file, "\" tests=\"",
                    suite.cases.size(), "\" failures=\"", suite.failed_count(),
                    "\" errors=\"0\">\n");
    for (const PolicyTestCaseResult& c : suite.cases) {
      absl::StrAppend(&body, "    <testcase classname=\"", file, "\" name=\"",
                      XmlEscape(c.name), "\"");
      if (c.passed) {
        absl::StrAppend(&body, "/>\n");
        continue;
      }
      absl::StrAppend(&body, ">\n      <failure message=\"",
                      XmlEscape(c.failures.empty() ? "" : c.failures[0]), "\">",
                      XmlEscape(absl::StrJoin(c.failures, "\n")),
                      "</failure>\n    </testcase>\n");
    }
    absl::StrAppend(&body, "  </testsuite>\n");
  }
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                      "<testsuites name=\"tact test\" tests=\"", tests,
                      "\" failures=\"", failures, "\" errors=\"", errors,
                      "\">\n", body, "</testsuites>\n");
}

}  // namespace tact::cli
