#include "src/cli/junit_report.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "tact/policy_test.h"

namespace tact::cli {

namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at the start of `text`
// encoding a character XML 1.0 allows (so not U+FFFE or U+FFFF), or 0.
// `text` starts with a byte >= 0x80.
size_t ValidSequence(absl::string_view text) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  size_t length;
  uint32_t code;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;  // a continuation byte, an overlong lead, or beyond U+10FFFF
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) ||
      code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) || code == 0xFFFE ||
      code == 0xFFFF) {
    return 0;
  }
  return length;
}

}  // namespace

std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
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
          out += kReplacement;  // XML 1.0 has no such character
        } else if (static_cast<unsigned char>(c) < 0x80) {
          out.push_back(c);
        } else if (const size_t n = ValidSequence(text.substr(i)); n > 0) {
          out.append(text.data() + i, n);
          i += n - 1;
        } else {
          // Not UTF-8 (a protobuf message or a file name may hold any
          // bytes): one replacement character per bad byte keeps the file
          // well-formed.
          out += kReplacement;
        }
    }
  }
  return out;
}

std::string RenderJUnit(const std::vector<PolicyTestSuiteResult>& suites,
                        const std::vector<JUnitCoverage>& coverage) {
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
  for (const JUnitCoverage& policy : coverage) {
    const std::string file = XmlEscape(policy.policy_file);
    const bool failed = !policy.below.empty();
    ++tests;
    if (failed) ++failures;
    absl::StrAppend(&body, "  <testsuite name=\"coverage of ", file,
                    "\" tests=\"1\" failures=\"", failed ? 1 : 0,
                    "\" errors=\"0\">\n", "    <testcase classname=\"", file,
                    "\" name=\"coverage\">\n");
    if (failed) {
      absl::StrAppend(&body, "      <failure message=\"",
                      XmlEscape(policy.below), "\">", XmlEscape(policy.below),
                      "</failure>\n");
    }
    absl::StrAppend(&body, "      <system-out>", XmlEscape(policy.summary),
                    "</system-out>\n    </testcase>\n  </testsuite>\n");
  }
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                      "<testsuites name=\"tact test\" tests=\"", tests,
                      "\" failures=\"", failures, "\" errors=\"", errors,
                      "\">\n", body, "</testsuites>\n");
}

}  // namespace tact::cli
