// A guard against hostile JSON nesting.
#ifndef TACT_SRC_IO_JSON_DEPTH_H_
#define TACT_SRC_IO_JSON_DEPTH_H_

#include "absl/strings/string_view.h"

namespace tact::internal {

// The deepest nesting of objects and arrays in `json`, counting brackets
// outside strings. Malformed JSON still gets an answer (protobuf's parser
// rejects it afterwards); this only bounds what that parser is given.
int JsonNestingDepth(absl::string_view json);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_JSON_DEPTH_H_
