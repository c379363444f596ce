// Civil-date arithmetic (src/common/civil_time.h) and the protobuf time
// bounds (src/common/timestamp_bounds.h), against absl's civil time.
#include "src/common/civil_time.h"

#include <cstdint>
#include <random>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "src/common/timestamp_bounds.h"

namespace tact::internal {
namespace {

int64_t AbslDays(int64_t year, int month, int day) {
  return absl::CivilDay(year, month, day) - absl::CivilDay(1970, 1, 1);
}

TEST(CivilTimeTest, KnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1, 1, 1), -719162);
  EXPECT_EQ(DaysFromCivil(9999, 12, 31), 2932896);
  const CivilDate leap = CivilFromDays(DaysFromCivil(2000, 2, 29));
  EXPECT_EQ(leap.year, 2000);
  EXPECT_EQ(leap.month, 2);
  EXPECT_EQ(leap.day, 29);
}

TEST(CivilTimeTest, AgreesWithAbslAndRoundTrips) {
  // Every day of years 1 to 10000, spot-checked, then at random.
  for (int64_t days = DaysFromCivil(1, 1, 1);
       days <= DaysFromCivil(10000, 12, 31); days += 997) {
    const CivilDate date = CivilFromDays(days);
    const absl::CivilDay expected = absl::CivilDay(1970, 1, 1) + days;
    ASSERT_EQ(date.year, expected.year()) << days;
    ASSERT_EQ(date.month, expected.month()) << days;
    ASSERT_EQ(date.day, expected.day()) << days;
    ASSERT_EQ(DaysFromCivil(date.year, date.month, date.day), days);
  }
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const int64_t year = static_cast<int64_t>(rng() % 20000) - 5000;
    const int month = static_cast<int>(rng() % 12) + 1;
    const int day = static_cast<int>(rng() % DaysInMonth(year, month)) + 1;
    ASSERT_EQ(DaysFromCivil(year, month, day), AbslDays(year, month, day))
        << year << "-" << month << "-" << day;
  }
}

TEST(CivilTimeTest, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2100));
  EXPECT_FALSE(IsLeapYear(2026));
  EXPECT_TRUE(IsLeapYear(0));
  EXPECT_TRUE(IsLeapYear(-4));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2026, 1), 31);
  EXPECT_EQ(DaysInMonth(2026, 4), 30);
  EXPECT_EQ(DaysInMonth(2026, 12), 31);
}

TEST(CivilTimeTest, FloorDivRoundsDown) {
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(-7, 2), -4);
  EXPECT_EQ(FloorDiv(-8, 2), -4);
  EXPECT_EQ(FloorDiv(0, 86400), 0);
  EXPECT_EQ(FloorDiv(-1, 86400), -1);
  EXPECT_EQ(FloorDiv(7, -2), -4);
}

TEST(TimestampBoundsTest, AreProtobufsRange) {
  EXPECT_EQ(kMinTimestampSeconds, -62135596800);  // 0001-01-01T00:00:00Z
  EXPECT_EQ(kMaxTimestampSeconds, 253402300799);  // 9999-12-31T23:59:59Z
  EXPECT_EQ(kMaxDurationSeconds, 315576000000);   // 10,000 years
  const CivilDate last =
      CivilFromDays(FloorDiv(kMaxTimestampSeconds, kSecondsPerDay));
  EXPECT_EQ(last.year, 9999);
  EXPECT_EQ(last.month, 12);
  EXPECT_EQ(last.day, 31);
  EXPECT_EQ(
      kMaxTimestampSeconds - FloorDiv(kMaxTimestampSeconds, 86400) * 86400,
      86399);
}

}  // namespace
}  // namespace tact::internal
