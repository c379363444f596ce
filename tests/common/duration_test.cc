// tact's one duration grammar (src/common/duration.h), shared by policy
// fields and duration('…') in expressions.
#include "src/common/duration.h"

#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace tact::internal {
namespace {

// The parsed value; fails the test when `text` does not parse.
absl::Duration Parse(absl::string_view text) {
  absl::Duration d = absl::InfiniteDuration();
  std::string why;
  EXPECT_TRUE(ParseDuration(text, &d, &why)) << text << ": " << why;
  return d;
}

// Why `text` does not parse; "" (and a test failure) when it does.
std::string Why(absl::string_view text) {
  absl::Duration d = absl::Seconds(7);
  std::string why;
  EXPECT_FALSE(ParseDuration(text, &d, &why)) << text;
  EXPECT_EQ(d, absl::Seconds(7)) << text << ": output left alone on failure";
  return why;
}

constexpr char kExpectedNumber[] =
    "expected a number followed by a unit (h, m, s, ms, us, ns, d)";

TEST(DurationTest, EveryUnit) {
  EXPECT_EQ(Parse("7ns"), absl::Nanoseconds(7));
  EXPECT_EQ(Parse("7us"), absl::Microseconds(7));
  EXPECT_EQ(Parse("7\xC2\xB5s"), absl::Microseconds(7));  // µs
  EXPECT_EQ(Parse("7ms"), absl::Milliseconds(7));
  EXPECT_EQ(Parse("7s"), absl::Seconds(7));
  EXPECT_EQ(Parse("7m"), absl::Minutes(7));
  EXPECT_EQ(Parse("7h"), absl::Hours(7));
  EXPECT_EQ(Parse("7d"), absl::Hours(7 * 24));
}

TEST(DurationTest, PartsAddUpInAnyOrder) {
  EXPECT_EQ(Parse("1d12h"), absl::Hours(36));
  EXPECT_EQ(Parse("12h1d"), absl::Hours(36));
  EXPECT_EQ(Parse("1h30m"), absl::Minutes(90));
  EXPECT_EQ(Parse("1h1h"), absl::Hours(2));
  EXPECT_EQ(Parse("3us4ns"), absl::Nanoseconds(3004));
  EXPECT_EQ(Parse("1d2h3m4s5ms6us7ns"),
            absl::Hours(26) + absl::Minutes(3) + absl::Seconds(4) +
                absl::Milliseconds(5) + absl::Microseconds(6) +
                absl::Nanoseconds(7));
}

TEST(DurationTest, FractionsOfAnyUnit) {
  EXPECT_EQ(Parse("1.5d"), absl::Hours(36));
  EXPECT_EQ(Parse("1.5h"), absl::Minutes(90));
  EXPECT_EQ(Parse("1.5s"), absl::Milliseconds(1500));
  EXPECT_EQ(Parse(".5h"), absl::Minutes(30));
  EXPECT_EQ(Parse("1.h"), absl::Hours(1));
  EXPECT_EQ(Parse("0.000000001s"), absl::Nanoseconds(1));
  // Digits past the 18th do not count but must be digits.
  EXPECT_EQ(Parse("1.0000000000000000009s"), absl::Seconds(1));
  EXPECT_EQ(Why("1.5x5s"), "unknown unit 'x' (use h, m, s, ms, us, ns, d)");
}

TEST(DurationTest, ZeroAndSigns) {
  EXPECT_EQ(Parse("0"), absl::ZeroDuration());
  EXPECT_EQ(Parse("-0"), absl::ZeroDuration());
  EXPECT_EQ(Parse("0s"), absl::ZeroDuration());
  EXPECT_EQ(Parse("-0d"), absl::ZeroDuration());
  EXPECT_EQ(Parse("+2d"), absl::Hours(48));
  EXPECT_EQ(Parse("-250ms"), absl::Milliseconds(-250));
  EXPECT_EQ(Parse("-1d12h"), absl::Hours(-36));  // the sign covers every part
  EXPECT_EQ(Why("--1s"), kExpectedNumber);
  EXPECT_EQ(Why("1s-1s"), "unknown unit 's-' (use h, m, s, ms, us, ns, d)");
}

TEST(DurationTest, RejectsTextThatIsNotADuration) {
  EXPECT_EQ(Why(""), kExpectedNumber);
  EXPECT_EQ(Why("-"), kExpectedNumber);
  EXPECT_EQ(Why("d"), kExpectedNumber);
  EXPECT_EQ(Why("."), kExpectedNumber);
  EXPECT_EQ(Why(".h"), kExpectedNumber);
  EXPECT_EQ(Why("1"), "missing unit (h, m, s, ms, us, ns, d)");
  EXPECT_EQ(Why("1."), "missing unit (h, m, s, ms, us, ns, d)");
  EXPECT_EQ(Why("1h30"), "missing unit (h, m, s, ms, us, ns, d)");
  EXPECT_EQ(Why("90x"), "unknown unit 'x' (use h, m, s, ms, us, ns, d)");
  EXPECT_EQ(Why("3 fortnights"),
            "unknown unit ' fortnights' (use h, m, s, ms, us, ns, d)");
  EXPECT_EQ(Why(" 1h"), kExpectedNumber);
  EXPECT_EQ(Why("1h "), "unknown unit 'h ' (use h, m, s, ms, us, ns, d)");
  EXPECT_EQ(Why("1H"), "unknown unit 'H' (use h, m, s, ms, us, ns, d)");
  EXPECT_EQ(Why("inf"), kExpectedNumber);
}

TEST(DurationTest, HugeNumbers) {
  // A whole number up to 2^63 - 1, with or without leading zeros.
  EXPECT_EQ(Parse("9223372036854775807ns"),
            absl::Nanoseconds(9223372036854775807));
  EXPECT_EQ(Parse("0000000000000000000001h"), absl::Hours(1));
  EXPECT_EQ(Why("9223372036854775808ns"), "out of range");
  EXPECT_EQ(Why("99999999999999999999999s"), "out of range");
  // Beyond absl::Duration's finite range (about 2.9e11 years).
  EXPECT_EQ(Parse("100000000000000d"), absl::Hours(2400000000000000));
  EXPECT_EQ(Why("9223372036854775807d"), "out of range");
  EXPECT_EQ(Why("-9223372036854775807h"), "out of range");
  EXPECT_EQ(Why("2562047788015215h2562047788015215h"), "out of range");
}

// --- FormatSpan: spans as reasons read them -------------------------------

TEST(FormatSpanTest, WholeCountsOfOneUnit) {
  EXPECT_EQ(FormatSpan(absl::Hours(2160)), "90 days");
  EXPECT_EQ(FormatSpan(absl::Hours(24)), "1 day");
  EXPECT_EQ(FormatSpan(absl::Hours(1)), "1 hour");
  EXPECT_EQ(FormatSpan(absl::Minutes(1)), "1 minute");
  EXPECT_EQ(FormatSpan(absl::Seconds(1)), "1 second");
  EXPECT_EQ(FormatSpan(absl::Seconds(45)), "45 seconds");
  EXPECT_EQ(FormatSpan(absl::ZeroDuration()), "0 seconds");
}

TEST(FormatSpanTest, LeadsWithDaysFromTwoDaysOrWholeDays) {
  // Under two days and not whole days: hours.
  EXPECT_EQ(FormatSpan(absl::Hours(36)), "36 hours");
  EXPECT_EQ(FormatSpan(absl::Hours(48) - absl::Seconds(1)),
            "47 hours 59 minutes 59 seconds");
  EXPECT_EQ(FormatSpan(absl::Hours(24) - absl::Seconds(1)),
            "23 hours 59 minutes 59 seconds");
  EXPECT_EQ(FormatSpan(absl::Hours(24) + absl::Seconds(1)),
            "24 hours 1 second");
  // Two days or more: days, then what is left.
  EXPECT_EQ(FormatSpan(absl::Hours(48)), "2 days");
  EXPECT_EQ(FormatSpan(absl::Hours(48) + absl::Seconds(1)), "2 days 1 second");
  EXPECT_EQ(FormatSpan(absl::Hours(60)), "2 days 12 hours");
  EXPECT_EQ(FormatSpan(absl::Hours(49) + absl::Minutes(5)),
            "2 days 1 hour 5 minutes");
}

TEST(FormatSpanTest, LeadsWithHoursFromTwoHoursOrWholeHours) {
  EXPECT_EQ(FormatSpan(absl::Minutes(90)), "90 minutes");
  EXPECT_EQ(FormatSpan(absl::Minutes(119)), "119 minutes");
  EXPECT_EQ(FormatSpan(absl::Minutes(59)), "59 minutes");
  EXPECT_EQ(FormatSpan(absl::Minutes(61)), "61 minutes");
  EXPECT_EQ(FormatSpan(absl::Minutes(120)), "2 hours");
  EXPECT_EQ(FormatSpan(absl::Minutes(150)), "2 hours 30 minutes");
  EXPECT_EQ(FormatSpan(absl::Hours(3) + absl::Seconds(1)), "3 hours 1 second");
}

TEST(FormatSpanTest, LeadsWithMinutesFromTwoMinutesOrWholeMinutes) {
  EXPECT_EQ(FormatSpan(absl::Seconds(90)), "90 seconds");
  EXPECT_EQ(FormatSpan(absl::Seconds(119)), "119 seconds");
  EXPECT_EQ(FormatSpan(absl::Seconds(59)), "59 seconds");
  EXPECT_EQ(FormatSpan(absl::Seconds(120)), "2 minutes");
  EXPECT_EQ(FormatSpan(absl::Seconds(121)), "2 minutes 1 second");
}

TEST(FormatSpanTest, FractionsOfASecondAreExact) {
  EXPECT_EQ(FormatSpan(absl::Milliseconds(1500)), "1.5 seconds");
  EXPECT_EQ(FormatSpan(absl::Milliseconds(250)), "0.25 seconds");
  EXPECT_EQ(FormatSpan(absl::Nanoseconds(1)), "0.000000001 seconds");
  EXPECT_EQ(FormatSpan(absl::Minutes(2) + absl::Milliseconds(500)),
            "2 minutes 0.5 seconds");
  EXPECT_EQ(FormatSpan(absl::Minutes(1) + absl::Milliseconds(1)),
            "60.001 seconds");
  // Below a nanosecond is truncated.
  EXPECT_EQ(FormatSpan(absl::Nanoseconds(1) + absl::Nanoseconds(1) / 4),
            "0.000000001 seconds");
}

TEST(FormatSpanTest, NegativeAndInfinite) {
  EXPECT_EQ(FormatSpan(-absl::Minutes(90)), "-90 minutes");
  EXPECT_EQ(FormatSpan(-absl::Hours(60)), "-2 days 12 hours");
  EXPECT_EQ(FormatSpan(absl::InfiniteDuration()), "forever");
  EXPECT_EQ(FormatSpan(-absl::InfiniteDuration()), "-forever");
}

TEST(FormatSpanTest, HugeSpans) {
  EXPECT_EQ(FormatSpan(absl::Hours(24 * 36600)), "36600 days");
  EXPECT_EQ(FormatSpan(absl::Hours(2400000000000000)), "100000000000000 days");
}

TEST(FormatBusinessSpanTest, HoursMinutesAndSecondsOfBusinessTime) {
  EXPECT_EQ(FormatBusinessSpan(absl::Hours(4)), "4 business hours");
  EXPECT_EQ(FormatBusinessSpan(absl::Hours(1)), "1 business hour");
  // No days: a business day's length depends on the calendar.
  EXPECT_EQ(FormatBusinessSpan(absl::Hours(48)), "48 business hours");
  EXPECT_EQ(FormatBusinessSpan(absl::Minutes(90)), "90 business minutes");
  EXPECT_EQ(FormatBusinessSpan(absl::Minutes(150)),
            "2 business hours 30 business minutes");
  EXPECT_EQ(FormatBusinessSpan(absl::Seconds(30)), "30 business seconds");
  EXPECT_EQ(FormatBusinessSpan(absl::ZeroDuration()), "0 business seconds");
}

}  // namespace
}  // namespace tact::internal
