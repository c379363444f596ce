#include "tact/diagnostic.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tact {

std::string Diagnostic::ToString() const {
  std::string out = file.empty() ? "<policy>" : file;
  if (line > 0) {
    absl::StrAppend(&out, ":", line);
    if (column > 0) absl::StrAppend(&out, ":", column);
  }
  absl::StrAppend(&out, ": ",
                  severity == Severity::kError ? "error" : "warning", ": ");
  if (!element.empty()) absl::StrAppend(&out, element, ": ");
  absl::StrAppend(&out, message);
  if (!check.empty()) absl::StrAppend(&out, " [", check, "]");
  return out;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) return true;
  }
  return false;
}

absl::Status DiagnosticsToStatus(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> lines;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Diagnostic::Severity::kError)
      lines.push_back(d.ToString());
  }
  if (lines.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

}  // namespace tact
