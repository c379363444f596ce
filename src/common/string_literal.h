// Walking quoted string values in policy source text (text format and JSON)
// byte by decoded byte, so positions inside a decoded value (an expression)
// can be traced back to the file.
#ifndef TACT_SRC_IO_STRING_LITERAL_H_
#define TACT_SRC_IO_STRING_LITERAL_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace tact::internal {

enum class SourceSyntax {
  kText,  // protobuf text format: '…' or "…", C escapes, adjacent literals
          // concatenate ("a" "b"), '#' comments between them.
  kJson,  // RFC 8259 strings: "…", JSON escapes, no concatenation.
};

inline constexpr size_t kNoOffset = std::string::npos;

// Returns the offset of the first byte at or after `offset` that is not
// whitespace (nor, in text format, part of a '#' comment).
size_t SkipSpace(absl::string_view text, size_t offset, SourceSyntax syntax);

// Walks the string value whose opening quote is at `quote`: calls
// `visit(byte, source_offset)` for every byte of the decoded value, where
// `source_offset` is where the character (or the escape sequence) producing
// that byte starts. In text format, adjacent literals are followed as one
// value. Returns the offset of the closing quote of the last literal, or
// kNoOffset when the text at `quote` is not a well-formed string literal.
size_t WalkStringValue(absl::string_view text, size_t quote,
                       SourceSyntax syntax,
                       absl::FunctionRef<void(char, size_t)> visit);

// The decoded value of the string at `quote`, or nullopt when malformed.
std::optional<std::string> DecodeStringValue(absl::string_view text,
                                             size_t quote, SourceSyntax syntax);

// The source offset of the byte at 1-based (`line`, `column`) of the decoded
// string value at `quote`; lines of the value are split at '\n' and columns
// count bytes. The position just past the last byte maps to the closing
// quote (where "unexpected end" errors point). Returns kNoOffset when the
// position is outside the value or the literal is malformed.
size_t FindInStringValue(absl::string_view text, size_t quote,
                         SourceSyntax syntax, int line, int column);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_STRING_LITERAL_H_
