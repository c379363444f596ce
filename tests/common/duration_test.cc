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

}  // namespace
}  // namespace tact::internal
