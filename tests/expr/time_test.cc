// Time in expressions: CEL's timestamp and duration accessors, with and
// without a time zone, and business time over a policy's calendars
// (inBusinessHours, businessDuration). Each on both sides of its edges.
#include "absl/time/time.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/common/business_calendar.h"
#include "src/expr/program.h"
#include "src/expr/value.h"

namespace tact::internal {
namespace {

// "support_eu": Paris, Monday to Friday 09:00-18:00, closed 2026-05-01;
// "tokyo": a time zone only.
class Calendars : public CalendarCatalog {
 public:
  Calendars() {
    v1::BusinessCalendar eu;
    eu.set_id("support_eu");
    eu.set_time_zone("Europe/Paris");
    for (int day = 1; day <= 5; ++day) {
      v1::WorkingHours* h = eu.add_hours();
      h->set_weekday(day);
      h->set_start("09:00");
      h->set_end("18:00");
    }
    eu.add_holidays("2026-05-01");
    calendars_.push_back(*BusinessCalendar::Create(eu));
    v1::BusinessCalendar tokyo;
    tokyo.set_id("tokyo");
    tokyo.set_time_zone("Asia/Tokyo");
    calendars_.push_back(*BusinessCalendar::Create(tokyo));
  }
  const BusinessCalendar* FindCalendar(absl::string_view name) const override {
    if (name.empty()) return &calendars_[0];
    for (const BusinessCalendar& c : calendars_) {
      if (c.id() == name) return &c;
    }
    return nullptr;
  }
  std::vector<std::string> CalendarNames() const override {
    return {"support_eu", "tokyo"};
  }

 private:
  std::vector<BusinessCalendar> calendars_;
};

class TimeTest : public ::testing::Test {
 protected:
  // The value of `src` at `now` (RFC 3339), "type:value" or "error:...";
  // a load error as "line:col: message".
  std::string Eval(absl::string_view src,
                   absl::string_view now = "2026-01-05T12:00:00Z") {
    ProgramBuilder b;
    b.SetCalendars(&calendars_);
    std::vector<ExprDiagnostic> diags;
    auto id = b.AddExpression(src, nullptr, &diags);
    if (!id.ok()) {
      return absl::StrCat(diags.front().location.line, ":",
                          diags.front().location.column, ": ",
                          diags.front().message);
    }
    auto program = std::move(b).Build();
    v1::Context context;
    absl::Time t;
    std::string err;
    EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, std::string(now), &t, &err))
        << err;
    context.mutable_now()->set_seconds(absl::ToUnixSeconds(t));
    context.mutable_case_()->mutable_opened_at()->set_seconds(
        absl::ToUnixSeconds(t - absl::Hours(72)));
    auto frame = Frame::Create(*program, context);
    EXPECT_TRUE(frame.ok());
    Value v = program->Evaluate(*id, **frame);
    if (v.is_error()) return absl::StrCat("error:", v.string_value);
    return absl::StrCat(TypeName(v.type), ":", FormatValue(v));
  }

  Calendars calendars_;
};

TEST_F(TimeTest, DayOfWeekCountsFromSundayAcrossTheWeekend) {
  // 2026-01-03 is a Saturday.
  EXPECT_EQ(Eval("now.getDayOfWeek()", "2026-01-03T23:59:59Z"), "int:6");
  EXPECT_EQ(Eval("now.getDayOfWeek()", "2026-01-04T00:00:00Z"), "int:0");
  EXPECT_EQ(Eval("now.getDayOfWeek()", "2026-01-05T00:00:00Z"), "int:1");
  // The same instants elsewhere: Paris is ahead, New York behind.
  EXPECT_EQ(Eval("now.getDayOfWeek('Europe/Paris')", "2026-01-03T22:59:59Z"),
            "int:6");
  EXPECT_EQ(Eval("now.getDayOfWeek('Europe/Paris')", "2026-01-03T23:00:00Z"),
            "int:0");
  EXPECT_EQ(
      Eval("now.getDayOfWeek('America/New_York')", "2026-01-04T04:59:59Z"),
      "int:6");
  EXPECT_EQ(
      Eval("now.getDayOfWeek('America/New_York')", "2026-01-04T05:00:00Z"),
      "int:0");
}

TEST_F(TimeTest, CivilFieldsTurnOverAtTheZonesMidnight) {
  // 23:59:59 on New Year's Eve in Paris, then midnight.
  const char* before = "2025-12-31T22:59:59Z";
  const char* after = "2025-12-31T23:00:00Z";
  EXPECT_EQ(Eval("now.getFullYear('Europe/Paris')", before), "int:2025");
  EXPECT_EQ(Eval("now.getFullYear('Europe/Paris')", after), "int:2026");
  EXPECT_EQ(Eval("now.getMonth('Europe/Paris')", before), "int:11");
  EXPECT_EQ(Eval("now.getMonth('Europe/Paris')", after), "int:0");
  EXPECT_EQ(Eval("now.getDate('Europe/Paris')", before), "int:31");
  EXPECT_EQ(Eval("now.getDate('Europe/Paris')", after), "int:1");
  EXPECT_EQ(Eval("now.getDayOfMonth('Europe/Paris')", before), "int:30");
  EXPECT_EQ(Eval("now.getDayOfMonth('Europe/Paris')", after), "int:0");
  EXPECT_EQ(Eval("now.getDayOfYear('Europe/Paris')", before), "int:364");
  EXPECT_EQ(Eval("now.getDayOfYear('Europe/Paris')", after), "int:0");
  EXPECT_EQ(Eval("now.getHours('Europe/Paris')", before), "int:23");
  EXPECT_EQ(Eval("now.getHours('Europe/Paris')", after), "int:0");
  EXPECT_EQ(Eval("now.getMinutes('Europe/Paris')", before), "int:59");
  EXPECT_EQ(Eval("now.getSeconds('Europe/Paris')", before), "int:59");
  // Without a zone: UTC, still the old year.
  EXPECT_EQ(Eval("now.getFullYear()", after), "int:2025");
  EXPECT_EQ(Eval("now.getHours()", after), "int:23");
  // A leap year has a day 365.
  EXPECT_EQ(Eval("now.getDayOfYear()", "2028-12-31T12:00:00Z"), "int:365");
}

TEST_F(TimeTest, HoursFollowTheClocksAtDaylightSavingChanges) {
  // London springs forward at 01:00 UTC on 2026-03-29: 00:59 GMT -> 02:00.
  EXPECT_EQ(Eval("now.getHours('Europe/London')", "2026-03-29T00:59:59Z"),
            "int:0");
  EXPECT_EQ(Eval("now.getHours('Europe/London')", "2026-03-29T01:00:00Z"),
            "int:2");
  // And falls back at 01:00 UTC on 2026-10-25: 01:59 BST -> 01:00 GMT.
  EXPECT_EQ(Eval("now.getHours('Europe/London')", "2026-10-25T00:59:59Z"),
            "int:1");
  EXPECT_EQ(Eval("now.getHours('Europe/London')", "2026-10-25T01:00:00Z"),
            "int:1");
  EXPECT_EQ(Eval("now.getHours('Europe/London')", "2026-10-25T02:00:00Z"),
            "int:2");
}

TEST_F(TimeTest, FixedOffsetsAndUtc) {
  EXPECT_EQ(Eval("now.getHours('+05:30')", "2026-01-01T00:00:00Z"), "int:5");
  EXPECT_EQ(Eval("now.getMinutes('+05:30')", "2026-01-01T00:00:00Z"), "int:30");
  EXPECT_EQ(Eval("now.getHours('-08:00')", "2026-01-01T00:00:00Z"), "int:16");
  EXPECT_EQ(Eval("now.getDate('-08:00')", "2026-01-01T00:00:00Z"), "int:31");
  EXPECT_EQ(Eval("now.getHours('UTC')", "2026-01-01T07:00:00Z"), "int:7");
}

TEST_F(TimeTest, SecondsAndMilliseconds) {
  EXPECT_EQ(Eval("timestamp('2026-01-01T10:20:30.456Z').getSeconds()"),
            "int:30");
  EXPECT_EQ(Eval("timestamp('2026-01-01T10:20:30.456Z').getMilliseconds()"),
            "int:456");
  EXPECT_EQ(Eval("timestamp('1969-12-31T23:59:59.250Z').getMilliseconds()"),
            "int:250");
  EXPECT_EQ(Eval("timestamp('1969-12-31T23:59:59.250Z').getSeconds()"),
            "int:59");
}

TEST_F(TimeTest, DurationAccessorsTruncateTowardZero) {
  EXPECT_EQ(Eval("duration('3730s').getHours()"), "int:1");
  EXPECT_EQ(Eval("duration('3730s').getMinutes()"), "int:62");
  EXPECT_EQ(Eval("duration('3730s').getSeconds()"), "int:3730");
  EXPECT_EQ(Eval("duration('123.321456789s').getMilliseconds()"), "int:321");
  EXPECT_EQ(Eval("duration('-90m').getHours()"), "int:-1");
  EXPECT_EQ(Eval("(now - case.opened_at).getHours()"), "int:72");
}

TEST_F(TimeTest, ZoneMistakesAreLoadErrorsAtTheZone) {
  EXPECT_EQ(Eval("now.getHours('Mars/Olympus') > 3"),
            "1:14: unknown time zone 'Mars/Olympus'; use an IANA name like "
            "'Europe/London', 'UTC' or an offset like '+05:30'");
  EXPECT_EQ(Eval("now.getHours('localtime')"),
            "1:14: unknown time zone 'localtime'; use an IANA name like "
            "'Europe/London', 'UTC' or an offset like '+05:30'");
  EXPECT_EQ(Eval("now.getHours('+25:00')").substr(0, 30),
            "1:14: unknown time zone '+25:0");
  EXPECT_EQ(Eval("now.getHours('../../etc/passwd')").substr(0, 28),
            "1:14: unknown time zone '../");
  EXPECT_EQ(Eval("now.getHours(case.id)"),
            "1:19: getHours() time zone must be a string literal, e.g. "
            "'Europe/London'");
  EXPECT_EQ(Eval("duration('1h').getHours('UTC')"),
            "1:25: getHours() of a duration takes no time zone");
  EXPECT_EQ(Eval("now.getHours('UTC', 'UTC')"),
            "1:5: method 'getHours' expects 0 or 1 arguments, got 2");
  EXPECT_EQ(Eval("case.id.getHours()"),
            "1:9: getHours() applies to timestamp or duration, got string");
  EXPECT_EQ(Eval("now.getDate('Europe/Pariss')").substr(0, 39),
            "1:13: unknown time zone 'Europe/Pariss'");
}

TEST_F(TimeTest, InBusinessHoursOpensAtOpeningAndClosesAtClosing) {
  // Monday 2026-01-05, Paris = UTC+1: 09:00-18:00 local.
  const char* e = "inBusinessHours(now, 'support_eu')";
  EXPECT_EQ(Eval(e, "2026-01-05T07:59:59Z"), "bool:false");
  EXPECT_EQ(Eval(e, "2026-01-05T08:00:00Z"), "bool:true");
  EXPECT_EQ(Eval(e, "2026-01-05T16:59:59Z"), "bool:true");
  EXPECT_EQ(Eval(e, "2026-01-05T17:00:00Z"), "bool:false");
  // Saturday and Sunday are closed.
  EXPECT_EQ(Eval(e, "2026-01-10T12:00:00Z"), "bool:false");
  // In summer Paris is UTC+2: 09:00 local is 07:00 UTC.
  EXPECT_EQ(Eval(e, "2026-06-01T06:59:59Z"), "bool:false");
  EXPECT_EQ(Eval(e, "2026-06-01T07:00:00Z"), "bool:true");
  // The default calendar is the policy's first.
  EXPECT_EQ(Eval("inBusinessHours(now)", "2026-01-05T08:00:00Z"), "bool:true");
}

TEST_F(TimeTest, HolidaysAreClosedAllDay) {
  const char* e = "inBusinessHours(now, 'support_eu')";
  // Friday 2026-05-01 is a holiday; Thursday and the next Monday are not.
  EXPECT_EQ(Eval(e, "2026-04-30T12:00:00Z"), "bool:true");
  EXPECT_EQ(Eval(e, "2026-05-01T12:00:00Z"), "bool:false");
  EXPECT_EQ(Eval(e, "2026-05-04T12:00:00Z"), "bool:true");
}

TEST_F(TimeTest, BusinessDurationSkipsNightsWeekendsAndHolidays) {
  // Friday 2026-01-09 17:00 Paris to Monday 10:00: 1h Friday + 1h Monday.
  EXPECT_EQ(Eval("businessDuration(timestamp('2026-01-09T16:00:00Z'), now, "
                 "'support_eu')",
                 "2026-01-12T09:00:00Z"),
            "duration:7200s");
  // Backwards is negative.
  EXPECT_EQ(Eval("businessDuration(now, timestamp('2026-01-09T16:00:00Z'), "
                 "'support_eu')",
                 "2026-01-12T09:00:00Z"),
            "duration:-7200s");
  // Entirely in a weekend: none.
  EXPECT_EQ(Eval("businessDuration(timestamp('2026-01-10T08:00:00Z'), now, "
                 "'support_eu')",
                 "2026-01-11T20:00:00Z"),
            "duration:0s");
  // Thursday 2026-04-30 17:00 to Monday 2026-05-04 10:00 Paris (UTC+2):
  // 1h Thursday, the holiday Friday, 1h Monday.
  EXPECT_EQ(Eval("businessDuration(timestamp('2026-04-30T15:00:00Z'), now, "
                 "'support_eu') == duration('2h')",
                 "2026-05-04T08:00:00Z"),
            "bool:true");
  // A whole working week.
  EXPECT_EQ(Eval("businessDuration(timestamp('2026-01-05T00:00:00Z'), now) "
                 "== duration('45h')",
                 "2026-01-12T00:00:00Z"),
            "bool:true");
  // Spans beyond ten years are an evaluation error, not a long loop.
  EXPECT_EQ(Eval("businessDuration(timestamp('2000-01-01T00:00:00Z'), now)"),
            "error:businessDuration() spans more than 3660 days");
}

TEST_F(TimeTest, CalendarMistakesAreLoadErrors) {
  EXPECT_EQ(Eval("inBusinessHours(now, 'suport_eu')"),
            "1:22: unknown calendar 'suport_eu'; did you mean 'support_eu'?");
  EXPECT_EQ(Eval("inBusinessHours(now, 'tokyo')"),
            "1:22: inBusinessHours() counts working hours, but calendar "
            "'tokyo' has none (only a time zone)");
  EXPECT_EQ(Eval("inBusinessHours(now, case.id)"),
            "1:27: inBusinessHours() calendar must be a string literal naming "
            "one of the policy's calendars");
  EXPECT_EQ(Eval("businessDuration(now, 'support_eu')"),
            "1:1: businessDuration() applies to timestamp and timestamp, got "
            "timestamp and string");
  EXPECT_EQ(Eval("inBusinessHours(case.id)"),
            "1:1: inBusinessHours() applies to timestamp, got string");
}

TEST(TimeNoCalendarTest, BusinessTimeWithoutCalendarsIsALoadError) {
  ProgramBuilder b;
  std::vector<ExprDiagnostic> diags;
  EXPECT_FALSE(b.AddExpression("inBusinessHours(now)", nullptr, &diags).ok());
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags.front().message,
            "inBusinessHours() counts working hours, but the policy defines no "
            "calendar; add one under `calendars`");
}

}  // namespace
}  // namespace tact::internal
