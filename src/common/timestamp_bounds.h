// The ranges of google.protobuf.Timestamp and google.protobuf.Duration, as
// protobuf defines them (timestamp.proto, duration.proto), in whole seconds.
// Every reader and checker of a context's times tests against these.
#ifndef TACT_SRC_COMMON_TIMESTAMP_BOUNDS_H_
#define TACT_SRC_COMMON_TIMESTAMP_BOUNDS_H_

#include <cstdint>

#include "src/common/civil_time.h"

namespace tact::internal {

// 0001-01-01T00:00:00Z, the first second a Timestamp holds.
inline constexpr int64_t kMinTimestampSeconds = -62135596800;
// 9999-12-31T23:59:59Z, the last second a Timestamp holds.
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;
// A Duration's |seconds| is at most this: 10,000 years of 365.25 days.
inline constexpr int64_t kMaxDurationSeconds = 315576000000;

static_assert(kMinTimestampSeconds == DaysFromCivil(1, 1, 1) * kSecondsPerDay);
static_assert(kMaxTimestampSeconds ==
              DaysFromCivil(10000, 1, 1) * kSecondsPerDay - 1);
static_assert(kMaxDurationSeconds == 10000 * 36525 * kSecondsPerDay / 100);

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_TIMESTAMP_BOUNDS_H_
