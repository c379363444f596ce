// Small helpers the constructs share.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_COMMON_H_
#define TACT_SRC_POLICY_CONSTRUCTS_COMMON_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace tact::internal {

// A stable 64-bit FNV-1a hash, for deterministic per-customer choices.
uint64_t StableHash(absl::string_view text);

// "2026-03-10T15:00:00Z": RFC 3339 in UTC to the second, for reasons.
// Cheaper than absl::FormatTime, which matters on the decision path.
// Appended to `*out`, reusing its capacity.
void AppendUtc(absl::Time t, std::string* out);

// The context's timestamp as absl::Time.
absl::Time ToTime(const google::protobuf::Timestamp& t);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_COMMON_H_
