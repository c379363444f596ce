// Reading a policy from text format, JSON or binary, remembering where each
// field came from so later stages can report file:line:col.
#ifndef TACT_SRC_IO_POLICY_SOURCE_H_
#define TACT_SRC_IO_POLICY_SOURCE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/common/source_map.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

// Parses policy text. kAuto means text format here. Parse errors (syntax,
// unknown field, wrong type) are appended to `diagnostics` with their
// position, and the result is InvalidArgument. Never half-applies. Counts
// the repeated fields first, against `options`' limits (max_rules,
// max_actions, max_definitions, max_repeated_field), so a policy over a
// limit fails before the parse spends memory on it.
absl::StatusOr<LoadedPolicy> ParsePolicy(absl::string_view text,
                                         PolicyFormat format,
                                         absl::string_view file,
                                         std::vector<Diagnostic>* diagnostics,
                                         const CompileOptions& options = {});

// Reads and parses a policy file; kAuto picks the format from the extension
// (.textproto/.txtpb/.pbtxt/.txt -> text, .json -> JSON, .binpb/.pb/.bin ->
// binary). A missing or unreadable file, or one larger than `max_bytes`, is
// a diagnostic too (NotFound / ResourceExhausted).
absl::StatusOr<LoadedPolicy> ReadPolicyFile(
    absl::string_view path, PolicyFormat format, int64_t max_bytes,
    std::vector<Diagnostic>* diagnostics, const CompileOptions& options = {});

// The contents of the file at `path`: NotFound when it cannot be read,
// ResourceExhausted when larger than `max_bytes` (checked before reading,
// and again while reading). `what` names the file in messages ("policy
// file", "context file"). The one file reader of the library and the CLI.
absl::StatusOr<std::string> ReadFileUpTo(absl::string_view path,
                                         int64_t max_bytes,
                                         absl::string_view what);

// "sha256:<64 hex digits>" of the policy's deterministic wire serialization.
std::string PolicyHash(const v1::Policy& policy);

// SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string Sha256Hex(absl::string_view bytes);

// SHA-256 of `bytes`, the 32 raw bytes (no allocation).
using Sha256Digest = std::array<unsigned char, 32>;
Sha256Digest Sha256(absl::string_view bytes);

// Appends `size` bytes as 2 * size lowercase hex digits to `*out` (no
// allocation when `*out` has the capacity).
void AppendHex(const unsigned char* bytes, size_t size, std::string* out);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_POLICY_SOURCE_H_
