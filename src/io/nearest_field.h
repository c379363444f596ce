// "Did you mean" suggestions for misspelled field names.
#ifndef TACT_SRC_IO_NEAREST_FIELD_H_
#define TACT_SRC_IO_NEAREST_FIELD_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace tact::internal {

// The field of `descriptor` whose name (or JSON name) is closest to `name`
// by edit distance, when close enough to be a plausible typo (at most 2
// edits, and fewer than half of the name); empty otherwise.
std::string NearestFieldName(const google::protobuf::Descriptor& descriptor,
                             absl::string_view name);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_NEAREST_FIELD_H_
