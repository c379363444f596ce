// Policies in the proto3 JSON mapping.
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/json_util.h"
#include "src/io/json_depth.h"
#include "src/io/json_source_map.h"
#include "src/io/policy_formats.h"
#include "src/io/policy_source.h"
#include "tact/diagnostic.h"

namespace tact::internal {

absl::StatusOr<LoadedPolicy> ParseJsonPolicy(
    absl::string_view text, absl::string_view file,
    std::vector<Diagnostic>& diagnostics) {
  LoadedPolicy loaded;
  loaded.file = std::string(file);
  {
    // What protobuf's parser would accept but tact does not: a repeated key
    // (one of the two silently lost), single-quoted or unquoted strings.
    Diagnostic diagnostic;
    std::string problem;
    if (FindJsonStrictnessError(text, &problem, &diagnostic.line,
                                &diagnostic.column)) {
      diagnostic.file = std::string(file);
      diagnostic.message = absl::StrCat("invalid JSON policy: ", problem);
      diagnostics.push_back(diagnostic);
      return absl::InvalidArgumentError(diagnostic.ToString());
    }
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &loaded.policy,
      options);
  JsonScan scan = ScanJson(text, *v1::Policy::descriptor());
  if (status.ok()) {
    loaded.source_map = std::move(scan.source_map);
    return loaded;
  }

  // protobuf's message says what is wrong; the scan says where.
  const JsonError error = LocateJsonError(scan, std::string(status.message()));
  Diagnostic diagnostic;
  diagnostic.file = std::string(file);
  diagnostic.line = error.location.line;
  diagnostic.column = error.location.column;
  diagnostic.message = absl::StrCat("invalid JSON policy: ", error.message);
  diagnostics.push_back(diagnostic);
  return absl::InvalidArgumentError(diagnostic.ToString());
}

}  // namespace tact::internal
