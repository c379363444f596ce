// The per-format policy parsers behind ParsePolicy.
#ifndef TACT_SRC_IO_POLICY_FORMATS_H_
#define TACT_SRC_IO_POLICY_FORMATS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/io/policy_source.h"
#include "tact/diagnostic.h"

namespace tact::internal {

// Each parser appends its errors to `diagnostics` (never null) and returns
// InvalidArgument with the same errors rendered, or the policy.

// Protobuf text format, with a full SourceMap.
absl::StatusOr<LoadedPolicy> ParseTextPolicy(
    absl::string_view text, absl::string_view file,
    std::vector<Diagnostic>& diagnostics);

// Proto3 JSON mapping (unknown fields are errors), with a SourceMap of the
// fields the JSON names.
absl::StatusOr<LoadedPolicy> ParseJsonPolicy(
    absl::string_view text, absl::string_view file,
    std::vector<Diagnostic>& diagnostics);

// Protobuf wire format; the SourceMap is empty.
absl::StatusOr<LoadedPolicy> ParseBinaryPolicy(
    absl::string_view bytes, absl::string_view file,
    std::vector<Diagnostic>& diagnostics);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_POLICY_FORMATS_H_
