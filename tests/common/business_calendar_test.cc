// The business calendar's model: working windows in local time, holidays,
// a time zone only, and business-time arithmetic across days, weekends and
// daylight-saving changes.
#include "src/common/business_calendar.h"

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace tact::internal {
namespace {

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm),
                         absl::UTCTimeZone());
}

// `zone`, open `start`-`end` on the given weekdays (1 = Monday).
BusinessCalendar Make(const std::string& zone, const std::string& start,
                      const std::string& end, int first_day, int last_day,
                      const std::string& holiday = "") {
  v1::BusinessCalendar proto;
  proto.set_id("c");
  proto.set_time_zone(zone);
  for (int day = first_day; day <= last_day; ++day) {
    v1::WorkingHours* h = proto.add_hours();
    h->set_weekday(day);
    h->set_start(start);
    h->set_end(end);
  }
  if (!holiday.empty()) proto.add_holidays(holiday);
  absl::StatusOr<BusinessCalendar> c = BusinessCalendar::Create(proto);
  EXPECT_TRUE(c.ok()) << c.status();
  return *c;
}

TEST(BusinessCalendarTest, AZoneOnlyCalendarIsValidWithoutHours) {
  v1::BusinessCalendar proto;
  proto.set_id("tokyo");
  proto.set_time_zone("Asia/Tokyo");
  absl::StatusOr<BusinessCalendar> c = BusinessCalendar::Create(proto);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->has_hours());
  EXPECT_EQ(c->time_zone().name(), "Asia/Tokyo");
  EXPECT_FALSE(c->IsOpen(Utc(2026, 1, 5, 3, 0)));
  EXPECT_TRUE(Make("UTC", "09:00", "17:00", 1, 1).has_hours());
  EXPECT_TRUE(BusinessCalendar::AlwaysOpen().has_hours());
}

TEST(BusinessCalendarTest, OpenFromOpeningUntilJustBeforeClosing) {
  const BusinessCalendar c = Make("Europe/London", "09:00", "18:00", 1, 5);
  // Monday 2026-01-05, London = UTC in winter.
  EXPECT_FALSE(c.IsOpen(Utc(2026, 1, 5, 8, 59)));
  EXPECT_TRUE(c.IsOpen(Utc(2026, 1, 5, 9, 0)));
  EXPECT_TRUE(c.IsOpen(Utc(2026, 1, 5, 17, 59)));
  EXPECT_FALSE(c.IsOpen(Utc(2026, 1, 5, 18, 0)));
  // Friday evening, Saturday.
  EXPECT_TRUE(c.IsOpen(Utc(2026, 1, 9, 17, 59)));
  EXPECT_FALSE(c.IsOpen(Utc(2026, 1, 10, 12, 0)));
}

TEST(BusinessCalendarTest, HolidaysAreClosedAllDay) {
  const BusinessCalendar c =
      Make("Europe/London", "09:00", "18:00", 1, 5, "2026-12-25");
  EXPECT_TRUE(c.IsOpen(Utc(2026, 12, 24, 12, 0)));
  EXPECT_FALSE(c.IsOpen(Utc(2026, 12, 25, 12, 0)));
  absl::Duration d;
  ASSERT_TRUE(c.BusinessTimeBetween(Utc(2026, 12, 24, 0, 0),
                                    Utc(2026, 12, 26, 0, 0), &d));
  EXPECT_EQ(d, absl::Hours(9));
}

TEST(BusinessCalendarTest, WorkingHoursAreWallClockOnDaylightSavingDays) {
  // Open every day 00:00-12:00 in London. On 2026-03-29 the clocks skip
  // 01:00-02:00, so that day has 11 working hours, and noon is 11:00 UTC.
  const BusinessCalendar c = Make("Europe/London", "00:00", "12:00", 1, 7);
  EXPECT_TRUE(c.IsOpen(Utc(2026, 3, 29, 10, 59)));
  EXPECT_FALSE(c.IsOpen(Utc(2026, 3, 29, 11, 0)));
  absl::Duration d;
  ASSERT_TRUE(c.BusinessTimeBetween(Utc(2026, 3, 28, 23, 0),
                                    Utc(2026, 3, 29, 23, 0), &d));
  EXPECT_EQ(d, absl::Hours(11));
  // Waiting 11 working hours from the day's opening ends at its closing.
  EXPECT_EQ(c.AddBusinessTime(Utc(2026, 3, 29, 0, 0), absl::Hours(11)),
            Utc(2026, 3, 29, 11, 0));
  // On 2026-10-25 the clocks repeat 01:00-02:00: 13 working hours.
  ASSERT_TRUE(c.BusinessTimeBetween(Utc(2026, 10, 24, 23, 0),
                                    Utc(2026, 10, 25, 23, 0), &d));
  EXPECT_EQ(d, absl::Hours(13));
}

TEST(BusinessCalendarTest, BusinessTimeAcrossAWeekend) {
  const BusinessCalendar c = Make("Europe/London", "09:00", "17:00", 1, 5);
  absl::Duration d;
  // Friday 16:00 to Monday 10:00: one hour each side.
  ASSERT_TRUE(c.BusinessTimeBetween(Utc(2026, 1, 9, 16, 0),
                                    Utc(2026, 1, 12, 10, 0), &d));
  EXPECT_EQ(d, absl::Hours(2));
  ASSERT_TRUE(c.BusinessTimeBetween(Utc(2026, 1, 12, 10, 0),
                                    Utc(2026, 1, 9, 16, 0), &d));
  EXPECT_EQ(d, -absl::Hours(2));
  // Saturday to Sunday: nothing.
  ASSERT_TRUE(c.BusinessTimeBetween(Utc(2026, 1, 10, 0, 0),
                                    Utc(2026, 1, 11, 23, 0), &d));
  EXPECT_EQ(d, absl::ZeroDuration());
  // Adding it back lands where it started counting.
  EXPECT_EQ(c.AddBusinessTime(Utc(2026, 1, 9, 16, 0), absl::Hours(2)),
            Utc(2026, 1, 12, 10, 0));
}

TEST(BusinessCalendarTest, SpansBeyondTheLimitAreRefused) {
  const BusinessCalendar c = Make("UTC", "09:00", "17:00", 1, 5);
  absl::Duration d;
  const absl::Time from = Utc(2026, 1, 1, 0, 0);
  EXPECT_TRUE(c.BusinessTimeBetween(
      from, from + absl::Hours(24) * BusinessCalendar::kMaxSpanDays, &d));
  EXPECT_FALSE(c.BusinessTimeBetween(
      from,
      from + absl::Hours(24) * BusinessCalendar::kMaxSpanDays +
          absl::Seconds(1),
      &d));
}

TEST(LoadZoneTest, IanaNamesUtcAndFixedOffsets) {
  absl::TimeZone zone;
  EXPECT_TRUE(LoadZone("Europe/London", &zone));
  EXPECT_EQ(zone.name(), "Europe/London");
  EXPECT_TRUE(LoadZone("UTC", &zone));
  EXPECT_TRUE(LoadZone("America/Argentina/Buenos_Aires", &zone));
  ASSERT_TRUE(LoadZone("+05:30", &zone));
  EXPECT_EQ(absl::ToCivilMinute(Utc(2026, 1, 1, 0, 0), zone),
            absl::CivilMinute(2026, 1, 1, 5, 30));
  ASSERT_TRUE(LoadZone("-08:00", &zone));
  EXPECT_EQ(absl::ToCivilMinute(Utc(2026, 1, 1, 0, 0), zone),
            absl::CivilMinute(2025, 12, 31, 16, 0));
  for (const char* bad : {"", "Mars/Olympus", "localtime", "05:30", "+24:00",
                          "+05:60", "/etc/passwd", "../UTC", "Europe//Paris",
                          "Europe/"}) {
    EXPECT_FALSE(LoadZone(bad, &zone)) << bad;
  }
}

TEST(BusinessCalendarTest, CalendarZonesReadLikeExpressionZones) {
  v1::BusinessCalendar proto;
  proto.set_time_zone("+09:00");
  EXPECT_TRUE(BusinessCalendar::Create(proto).ok());
  proto.set_time_zone("localtime");
  EXPECT_FALSE(BusinessCalendar::Create(proto).ok());
}

}  // namespace
}  // namespace tact::internal
