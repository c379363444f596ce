// A guard against hostile JSON nesting.
#ifndef TACT_SRC_IO_JSON_DEPTH_H_
#define TACT_SRC_IO_JSON_DEPTH_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tact::internal {

// The deepest nesting of objects and arrays in `json`, counting brackets
// outside strings. Malformed JSON still gets an answer (protobuf's parser
// rejects it afterwards); this only bounds what that parser is given.
int JsonNestingDepth(absl::string_view json);

// Where protobuf's lenient JSON parser accepts what RFC 8259 does not, and
// tact must not: a key repeated in one object (protobuf keeps one of them
// silently), or a single-quoted or unquoted key or string. Returns "" when
// false when there is none, else true with what (`duplicate key "now"`) and
// where (1-based line and column). Linear; other malformations are left to
// protobuf's parser.
bool FindJsonStrictnessError(absl::string_view json, std::string* problem,
                             int* line, int* column);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_JSON_DEPTH_H_
