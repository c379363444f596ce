// Time in a policy's conditions: rules that read the local clock and the
// policy's calendars decide differently on each side of a closing time, a
// weekend and a holiday; calendars with only a time zone serve calendar
// periods.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr absl::string_view kPolicy = R"pb(
  name: "time"
  version: "1"
  currency: "EUR"
  actions { id: "callback" title: "Call back" template: "We call you back." }
  actions { id: "live_chat" title: "Chat" template: "An agent chats now." }
  actions { id: "weekend_note" title: "Note" template: "Weekend hours." }
  calendars {
    id: "support_eu"
    time_zone: "Europe/Paris"
    hours { weekday: 1 start: "09:00" end: "18:00" }
    hours { weekday: 2 start: "09:00" end: "18:00" }
    hours { weekday: 3 start: "09:00" end: "18:00" }
    hours { weekday: 4 start: "09:00" end: "18:00" }
    hours { weekday: 5 start: "09:00" end: "18:00" }
    holidays: "2026-05-01"
  }
  calendars { id: "tokyo" time_zone: "Asia/Tokyo" }
  rules {
    id: "after-hours-callback"
    when: "!inBusinessHours(now, 'support_eu')"
    recommend { action: "callback" }
    reason: "We are closed: offer a callback."
  }
  rules {
    id: "open-chat"
    when: "inBusinessHours(now, 'support_eu')"
    recommend { action: "live_chat" }
  }
  rules {
    id: "weekend"
    when: "now.getDayOfWeek('Europe/Paris') in [0, 6]"
    recommend { action: "weekend_note" }
  }
  budgets {
    id: "goodwill"
    period: CALENDAR_MONTH
    per_window: "5000"
    calendar: "tokyo"
  }
)pb";

// Paris local time (y-m-d hh:mm) as a context's now.
v1::Context At(int y, int m, int d, int hh, int mm) {
  absl::TimeZone paris;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Paris", &paris));
  v1::Context context;
  context.mutable_now()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), paris)));
  context.mutable_customer()->set_id("c1");
  context.mutable_case_()->set_id("k1");
  return context;
}

std::vector<std::string> Actions(const Engine& engine, const v1::Context& c) {
  absl::StatusOr<v1::Decision> d = engine.Decide(c);
  EXPECT_THAT(d, testing::IsOk());
  std::vector<std::string> ids;
  if (!d.ok()) return ids;
  for (const auto& a : d->actions()) ids.push_back(a.action());
  return ids;
}

class TimeConditionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<const Engine>> engine =
        Engine::FromText(kPolicy, PolicyFormat::kText, "time.textproto");
    ASSERT_THAT(engine, testing::IsOk());
    engine_ = *std::move(engine);
  }
  std::unique_ptr<const Engine> engine_;
};

// A Paris wall-clock time and what the policy advises then.
struct Expected {
  int y, m, d, hh, mm;
  std::vector<std::string> actions;
};

// Checks every row of `table` against the policy.
void ExpectAdvice(const Engine& engine, const std::vector<Expected>& table) {
  for (const Expected& row : table) {
    EXPECT_EQ(Actions(engine, At(row.y, row.m, row.d, row.hh, row.mm)),
              row.actions)
        << row.y << "-" << row.m << "-" << row.d << " " << row.hh << ":"
        << row.mm << " Paris";
  }
}

TEST_F(TimeConditionsTest, OutsideBusinessHoursOffersACallbackFromClosingTime) {
  ExpectAdvice(*engine_, {
                             // Wednesday 2026-01-07, Paris.
                             {2026, 1, 7, 17, 59, {"live_chat"}},
                             {2026, 1, 7, 18, 0, {"callback"}},
                             {2026, 1, 7, 8, 59, {"callback"}},
                             {2026, 1, 7, 9, 0, {"live_chat"}},
                             // The same edge in summer time (UTC+2).
                             {2026, 7, 8, 17, 59, {"live_chat"}},
                             {2026, 7, 8, 18, 0, {"callback"}},
                         });
}

TEST_F(TimeConditionsTest, WeekendsAndHolidaysAreClosed) {
  ExpectAdvice(*engine_,
               {
                   // Friday 23:59 is a weekday; Saturday 00:00 the weekend.
                   {2026, 1, 9, 23, 59, {"callback"}},
                   {2026, 1, 10, 0, 0, {"callback", "weekend_note"}},
                   {2026, 1, 11, 23, 59, {"callback", "weekend_note"}},
                   {2026, 1, 12, 9, 0, {"live_chat"}},
                   // Friday 2026-05-01 is a holiday: closed at noon;
                   // Thursday is open.
                   {2026, 4, 30, 12, 0, {"live_chat"}},
                   {2026, 5, 1, 12, 0, {"callback"}},
               });
}

TEST(TimeConditionsLoadTest, UnknownZoneIsALoadErrorAtItsPosition) {
  CompileResult r = Engine::CompileText(
      R"pb(name: "p"
           actions { id: "a" }
           rules {
             id: "late"
             when: "now.getHours('Europe/Londn') >= 18"
             recommend { action: "a" }
           })pb",
      PolicyFormat::kText, "p.textproto");
  EXPECT_EQ(r.engine, nullptr);
  std::vector<std::string> errors;
  for (const Diagnostic& d : r.diagnostics) errors.push_back(d.ToString());
  EXPECT_THAT(errors,
              ElementsAre(absl::StrCat(
                  "p.textproto:5:34: error: rule \"late\": unknown time zone "
                  "'Europe/Londn'; use an IANA name like 'Europe/London', "
                  "'UTC' or an offset like '+05:30'")));
}

TEST(TimeConditionsLoadTest, ZoneOnlyCalendarIsFineWhereNoHoursAreNeeded) {
  CompileResult r = Engine::CompileText(
      R"pb(name: "p"
           actions { id: "a" }
           calendars { id: "tokyo" time_zone: "Asia/Tokyo" }
           budgets {
             id: "g"
             period: CALENDAR_MONTH
             per_window: "100"
             calendar: "tokyo"
           }
           rules {
             id: "r"
             when: "now.getHours('Asia/Tokyo') < 9"
             recommend { action: "a" }
           })pb",
      PolicyFormat::kText, "p.textproto");
  EXPECT_NE(r.engine, nullptr);
  EXPECT_THAT(r.diagnostics, IsEmpty());
}

}  // namespace
}  // namespace tact
