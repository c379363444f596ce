// AppendUtc's direct date arithmetic agrees with absl's civil time.
#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "src/common/timestamp_bounds.h"
#include "src/policy/constructs/common.h"

namespace tact::internal {
namespace {

std::string Reference(absl::Time t) {
  absl::CivilSecond s = absl::ToCivilSecond(t, absl::UTCTimeZone());
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", s.year(), s.month(),
                         s.day(), s.hour(), s.minute(), s.second());
}

std::string Formatted(absl::Time t) {
  std::string out = "at ";
  AppendUtc(t, &out);
  return out;
}

TEST(AppendUtcTest, MatchesCivilTimeAcrossTheRange) {
  const int64_t kFirst = kMinTimestampSeconds;  // 0001-01-01T00:00:00Z
  const int64_t kLast = kMaxTimestampSeconds;   // 9999-12-31T23:59:59Z
  for (int64_t s : {kFirst, kFirst + 1, int64_t{-1}, int64_t{0},
                    int64_t{951782400} /* 2000-02-29 */, int64_t{1773154800},
                    int64_t{4107542399} /* 2100-02-28T23:59:59 */, kLast}) {
    absl::Time t = absl::FromUnixSeconds(s);
    EXPECT_EQ(Formatted(t), "at " + Reference(t)) << s;
  }
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200000; ++i) {
    const int64_t s = kFirst + static_cast<int64_t>(rng() % (kLast - kFirst));
    absl::Time t = absl::FromUnixSeconds(s) + absl::Milliseconds(rng() % 1000);
    ASSERT_EQ(Formatted(t), "at " + Reference(t)) << s;
  }
}

TEST(AppendUtcTest, OutsideYearsOneToNineThousandAndTheInfinities) {
  absl::Time before = absl::FromUnixSeconds(-62135596801);  // year 0
  EXPECT_EQ(Formatted(before), "at " + Reference(before));
  absl::Time after = absl::FromUnixSeconds(253402300800);  // year 10000
  EXPECT_EQ(Formatted(after), "at " + Reference(after));
  EXPECT_EQ(Formatted(absl::InfiniteFuture()), "at never");
  EXPECT_EQ(Formatted(absl::InfinitePast()), "at the beginning of time");
}

}  // namespace
}  // namespace tact::internal
