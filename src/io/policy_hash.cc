// The content hash recorded in every decision, so an audit can tell which
// policy made it.
#include <string>

#include "absl/strings/str_cat.h"
#include "src/common/deterministic_bytes.h"
#include "src/io/policy_source.h"

namespace tact::internal {

std::string PolicyHash(const v1::Policy& policy) {
  // Two equal policies hash alike however they were built (for one
  // protobuf build; the hash is not promised across protobuf versions).
  return absl::StrCat("sha256:", Sha256Hex(DeterministicBytes(policy)));
}

}  // namespace tact::internal
