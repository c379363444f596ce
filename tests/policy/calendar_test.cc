#include "src/policy/calendar.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace tact::internal {
namespace {

using ::testing::HasSubstr;

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm),
                         absl::UTCTimeZone());
}

BusinessCalendar London() {
  v1::BusinessCalendar proto;
  google::protobuf::TextFormat::ParseFromString(
      R"pb(
        id: "uk"
        time_zone: "Europe/London"
        hours { weekday: 1 start: "09:00" end: "17:00" }
        hours { weekday: 2 start: "09:00" end: "17:00" }
        hours { weekday: 3 start: "09:00" end: "17:00" }
        hours { weekday: 4 start: "09:00" end: "17:00" }
        hours { weekday: 5 start: "09:00" end: "17:00" }
        holidays: "2026-12-25"
      )pb",
      &proto);
  absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Create(proto);
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return *calendar;
}

TEST(CalendarTest, BusinessHoursWithinOneDay) {
  // Monday 2026-01-05 10:00 UTC = 10:00 London (winter): +3h = 13:00.
  EXPECT_EQ(London().AddBusinessTime(Utc(2026, 1, 5, 10, 0), absl::Hours(3)),
            Utc(2026, 1, 5, 13, 0));
}

TEST(CalendarTest, BusinessHoursSkipTheWeekend) {
  // Friday 15:00 + 4 business hours = Monday 11:00.
  EXPECT_EQ(London().AddBusinessTime(Utc(2026, 1, 9, 15, 0), absl::Hours(4)),
            Utc(2026, 1, 12, 11, 0));
}

TEST(CalendarTest, BusinessHoursSkipHolidays) {
  // Thursday 2026-12-24 16:00 + 2h: 1h on the 24th, the 25th is a holiday,
  // so the second hour ends Saturday? No: the 26th is a Saturday, so Monday
  // 2026-12-28 10:00.
  EXPECT_EQ(London().AddBusinessTime(Utc(2026, 12, 24, 16, 0), absl::Hours(2)),
            Utc(2026, 12, 28, 10, 0));
}

TEST(CalendarTest, StartBeforeOpeningCountsFromOpening) {
  EXPECT_EQ(London().AddBusinessTime(Utc(2026, 1, 5, 6, 0), absl::Hours(1)),
            Utc(2026, 1, 5, 10, 0));
}

TEST(CalendarTest, UsesTheCalendarsTimeZone) {
  // In summer London is UTC+1: Monday 2026-06-01 09:00 London = 08:00 UTC.
  EXPECT_EQ(London().AddBusinessTime(Utc(2026, 6, 1, 7, 0), absl::Hours(1)),
            Utc(2026, 6, 1, 9, 0));
}

TEST(CalendarTest, AlwaysOpenIsCalendarTime) {
  EXPECT_EQ(BusinessCalendar::AlwaysOpen().AddBusinessTime(
                Utc(2026, 1, 10, 23, 0), absl::Hours(2)),
            Utc(2026, 1, 11, 1, 0));
}

TEST(CalendarTest, RejectsMalformedHours) {
  v1::BusinessCalendar proto;
  proto.add_hours()->set_weekday(1);
  EXPECT_THAT(std::string(BusinessCalendar::Create(proto).status().message()),
              HasSubstr("malformed time of day"));
}

TEST(CalendarTest, RejectsOverlappingHours) {
  v1::BusinessCalendar proto;
  google::protobuf::TextFormat::ParseFromString(
      R"pb(
        hours { weekday: 1 start: "09:00" end: "13:00" }
        hours { weekday: 1 start: "12:00" end: "17:00" })pb",
      &proto);
  EXPECT_THAT(std::string(BusinessCalendar::Create(proto).status().message()),
              HasSubstr("overlap"));
}

TEST(CalendarTest, RejectsMalformedHoliday) {
  v1::BusinessCalendar proto;
  google::protobuf::TextFormat::ParseFromString(
      R"pb(
        hours { weekday: 1 start: "09:00" end: "13:00" }
        holidays: "25/12/2026")pb",
      &proto);
  EXPECT_THAT(std::string(BusinessCalendar::Create(proto).status().message()),
              HasSubstr("malformed date \"25/12/2026\""));
}

TEST(SpanTest, ParsesCalendarAndBusinessTime) {
  EXPECT_EQ(ParseSpan("24h")->length, absl::Hours(24));
  EXPECT_EQ(ParseSpan("90m")->length, absl::Minutes(90));
  EXPECT_EQ(ParseSpan("2d")->length, absl::Hours(48));
  EXPECT_EQ(ParseSpan("1h30m")->length, absl::Minutes(90));
  absl::StatusOr<Span> business = ParseSpan("business_hours(8)");
  ASSERT_TRUE(business.ok());
  EXPECT_TRUE(business->business);
  EXPECT_EQ(business->length, absl::Hours(8));
  EXPECT_EQ(ParseSpan("business_hours(1.5)")->length, absl::Minutes(90));
  EXPECT_EQ(business->ToString(), "business_hours(8)");
}

TEST(SpanTest, RejectsMalformedAndNegative) {
  EXPECT_FALSE(ParseSpan("soon").ok());
  EXPECT_FALSE(ParseSpan("-5m").ok());
  EXPECT_FALSE(ParseSpan("business_hours(-1)").ok());
  EXPECT_FALSE(ParseSpan("business_hours(x)").ok());
  EXPECT_FALSE(ParseSpan("inf").ok());
  EXPECT_FALSE(ParseSpan("99999999999d").ok());
}

TEST(SpanTest, DaysCombineWithOtherUnitsAndFractions) {
  EXPECT_EQ(ParseSpan("1d12h")->length, absl::Hours(36));
  EXPECT_EQ(ParseSpan("1.5d")->length, absl::Hours(36));
  EXPECT_EQ(ParseSpan("0")->length, absl::ZeroDuration());
  EXPECT_EQ(ParseSpan("36600d")->length, absl::Hours(24 * 36600));
  // Written in days, a span is at most 100 years; in hours, as before, not.
  EXPECT_THAT(std::string(ParseSpan("36600d1s").status().message()),
              HasSubstr("duration \"36600d1s\" out of range"));
  EXPECT_EQ(ParseSpan("878424h")->length, absl::Hours(878424));
}

TEST(SpanTest, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(ParseSpan("3 fortnights").status().message(),
            "malformed duration \"3 fortnights\": unknown unit ' fortnights' "
            "(use h, m, s, ms, us, ns, d); expected e.g. \"90m\", \"24h\", "
            "\"1d12h\" or \"business_hours(8)\"");
  EXPECT_THAT(std::string(ParseSpan("-1d12h").status().message()),
              HasSubstr("malformed duration \"-1d12h\": a policy duration is "
                        "never negative"));
}

TEST(SpanTest, BusinessSpanUsesTheCalendar) {
  Span span = *ParseSpan("business_hours(4)");
  EXPECT_EQ(span.After(Utc(2026, 1, 9, 15, 0), London()),
            Utc(2026, 1, 12, 11, 0));
  Span plain = *ParseSpan("4h");
  EXPECT_EQ(plain.After(Utc(2026, 1, 9, 15, 0), London()),
            Utc(2026, 1, 9, 19, 0));
}

TEST(SpanTest, LoadErrorsQuoteThePolicyAndReasonsReadTheSpan) {
  EXPECT_EQ(ParseSpan("90d")->Readable(), "90 days");
  EXPECT_EQ(ParseSpan("1d12h")->Readable(), "36 hours");
  EXPECT_EQ(ParseSpan("business_hours(4)")->ToString(), "business_hours(4)");
  EXPECT_EQ(ParseSpan("business_hours(4)")->Readable(), "4 business hours");
  EXPECT_EQ(ParseSpan("business_hours(1.5)")->Readable(),
            "90 business minutes");
}

}  // namespace
}  // namespace tact::internal
