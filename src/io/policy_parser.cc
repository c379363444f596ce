// ParsePolicy: one entry point for the three policy formats.
#include <climits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/io/policy_formats.h"
#include "src/io/policy_scan.h"
#include "src/io/policy_source.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

namespace tact::internal {

absl::StatusOr<LoadedPolicy> ParseBinaryPolicy(
    absl::string_view bytes, absl::string_view file,
    std::vector<Diagnostic>& diagnostics) {
  LoadedPolicy loaded;
  loaded.file = std::string(file);
  if (bytes.size() <= static_cast<size_t>(INT_MAX) &&
      loaded.policy.ParseFromArray(bytes.data(),
                                   static_cast<int>(bytes.size()))) {
    return loaded;
  }
  Diagnostic diagnostic;
  diagnostic.file = std::string(file);
  diagnostic.message = "not a valid binary policy";
  diagnostics.push_back(diagnostic);
  return absl::InvalidArgumentError(diagnostic.ToString());
}

absl::StatusOr<LoadedPolicy> ParsePolicy(absl::string_view text,
                                         PolicyFormat format,
                                         absl::string_view file,
                                         std::vector<Diagnostic>* diagnostics,
                                         const CompileOptions& options) {
  std::vector<Diagnostic> ignored;
  std::vector<Diagnostic>& out =
      diagnostics != nullptr ? *diagnostics : ignored;
  // Counts before memory is spent on the elements.
  const absl::Status counts =
      ScanPolicyCounts(text, format, file, options, out);
  if (!counts.ok()) return counts;
  switch (format) {
    case PolicyFormat::kJson:
      return ParseJsonPolicy(text, file, out);
    case PolicyFormat::kBinary:
      return ParseBinaryPolicy(text, file, out);
    case PolicyFormat::kAuto:
    case PolicyFormat::kText:
      break;
  }
  return ParseTextPolicy(text, file, out);
}

}  // namespace tact::internal
