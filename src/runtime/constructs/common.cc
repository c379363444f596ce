// Small helpers every construct uses.
#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/runtime/constructs/constructs.h"

namespace tact::internal {

uint64_t StableHash(absl::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace tact::internal
