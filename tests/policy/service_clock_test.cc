// The service-level clock (src/policy/service_clock.h): business hours
// across a weekend, a holiday and both DST changes of Europe/London, pauses,
// each threshold at and one second past its edge, met and missed at the due
// time, reopened resolutions and next-reply runs.
#include "src/policy/service_clock.h"

#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "src/common/business_calendar.h"
#include "src/policy/calendar.h"
#include "src/policy/constructs/construct_plans.h"
#include "src/policy/constructs/service_level.h"
#include "src/policy/outcome.h"
#include "tact/codes.h"
#include "tact/v1/decision.pb.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {
namespace {

using Kind = ClockEvent::Kind;

absl::Time T(const char* rfc3339) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) << err;
  return t;
}

// Monday to Friday 09:00-17:00 in Europe/London; Good Friday 2026 closed.
BusinessCalendar London() {
  v1::BusinessCalendar proto;
  proto.set_id("uk");
  proto.set_time_zone("Europe/London");
  for (int day = 1; day <= 5; ++day) {
    v1::WorkingHours* h = proto.add_hours();
    h->set_weekday(day);
    h->set_start("09:00");
    h->set_end("17:00");
  }
  proto.add_holidays("2026-04-03");
  absl::StatusOr<BusinessCalendar> c = BusinessCalendar::Create(proto);
  EXPECT_TRUE(c.ok()) << c.status();
  return *c;
}

Span Business(absl::Duration d) { return Span{d, true}; }
Span Wall(absl::Duration d) { return Span{d, false}; }

class ClockTest : public ::testing::Test {
 protected:
  void Add(Kind kind, const char* at, bool pausing = false,
           bool resolving = false) {
    ClockEvent e;
    e.kind = kind;
    e.at = T(at);
    e.pausing = pausing;
    e.resolving = resolving;
    e.index = static_cast<int32_t>(events_.size());
    events_.push_back(e);
  }
  ServiceLevelState Run(ClockMeasure measure, const char* now, Span span,
                        const char* opened = "2026-03-02T10:00:00Z") {
    ClockInput in;
    in.measure = measure;
    in.opened_at = opened == nullptr ? absl::InfinitePast() : T(opened);
    in.events = events_;
    in.now = T(now);
    in.span = span;
    in.calendar = &calendar_;
    in.thresholds = thresholds_;
    ServiceLevelState s;
    RunClock(in, &s);
    return s;
  }

  BusinessCalendar calendar_ = London();
  std::vector<ClockEvent> events_;
  std::vector<int> thresholds_ = {50, 75, 100, 150};
};

TEST_F(ClockTest, BusinessHoursSkipTheWeekend) {
  // Friday 2026-03-06 15:00 UTC (GMT): two hours on Friday, two on Monday.
  const char* opened = "2026-03-06T15:00:00Z";
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-09T08:00:00Z",
                            Business(absl::Hours(4)), opened);
  EXPECT_EQ(s.state, SlaState::kAtRisk);  // 50% reached on Friday
  EXPECT_EQ(s.elapsed, absl::Hours(2));
  EXPECT_EQ(s.remaining, absl::Hours(2));
  EXPECT_EQ(s.percent, 50);
  EXPECT_EQ(s.threshold, 50);
  EXPECT_EQ(s.started, T(opened));
  EXPECT_EQ(s.due, T("2026-03-09T11:00:00Z"));
  EXPECT_FALSE(s.paused);
  s = Run(ClockMeasure::kFirstReply, "2026-03-09T09:59:59Z",
          Business(absl::Hours(4)), opened);
  EXPECT_EQ(s.threshold, 50);
  EXPECT_EQ(s.percent, 74);
  s = Run(ClockMeasure::kFirstReply, "2026-03-09T10:00:00Z",
          Business(absl::Hours(4)), opened);
  EXPECT_EQ(s.threshold, 75);
  // Calendar time counts the weekend.
  s = Run(ClockMeasure::kFirstReply, "2026-03-09T08:00:00Z",
          Wall(absl::Hours(4)), opened);
  EXPECT_EQ(s.state, SlaState::kBreached);
  EXPECT_EQ(s.due, T("2026-03-06T19:00:00Z"));
  EXPECT_EQ(s.elapsed, absl::Hours(65));
  EXPECT_EQ(s.remaining, absl::Hours(-61));
}

TEST_F(ClockTest, BreachedOneSecondPastDueThoughTheDeskIsClosed) {
  // Friday 2026-03-06 13:00 UTC (GMT) + 4 business hours: due 17:00, the
  // close. Exactly at due: at risk; one second later (no business time
  // counted since) and on Saturday: breached.
  const char* opened = "2026-03-06T13:00:00Z";
  const Span span = Business(absl::Hours(4));
  ServiceLevelState s =
      Run(ClockMeasure::kFirstReply, "2026-03-06T17:00:00Z", span, opened);
  EXPECT_EQ(s.state, SlaState::kAtRisk);
  EXPECT_EQ(s.due, T("2026-03-06T17:00:00Z"));
  s = Run(ClockMeasure::kFirstReply, "2026-03-06T17:00:01Z", span, opened);
  EXPECT_EQ(s.state, SlaState::kBreached);
  EXPECT_EQ(s.elapsed, absl::Hours(4));
  EXPECT_EQ(s.due, T("2026-03-06T17:00:00Z"));
  s = Run(ClockMeasure::kFirstReply, "2026-03-07T12:00:00Z", span, opened);
  EXPECT_EQ(s.state, SlaState::kBreached);
  // A reply at the close is met; one on Saturday is missed, though no
  // business time passed after the close.
  Add(Kind::kAgentReply, "2026-03-06T17:00:00Z");
  s = Run(ClockMeasure::kFirstReply, "2026-03-07T12:00:00Z", span, opened);
  EXPECT_EQ(s.state, SlaState::kMet);
  events_.clear();
  Add(Kind::kAgentReply, "2026-03-07T10:00:00Z");
  s = Run(ClockMeasure::kFirstReply, "2026-03-07T12:00:00Z", span, opened);
  EXPECT_EQ(s.state, SlaState::kMissed);
  EXPECT_EQ(s.elapsed, absl::Hours(4));
  EXPECT_EQ(s.due, T("2026-03-06T17:00:00Z"));
}

TEST_F(ClockTest, AHolidayIsClosed) {
  // Thursday 2026-04-02 14:00 UTC (15:00 BST): two hours to 17:00 BST;
  // Good Friday is a holiday; Monday opens at 09:00 BST = 08:00 UTC.
  const char* opened = "2026-04-02T14:00:00Z";
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-04-03T12:00:00Z",
                            Business(absl::Hours(4)), opened);
  EXPECT_EQ(s.elapsed, absl::Hours(2));
  EXPECT_EQ(s.due, T("2026-04-06T10:00:00Z"));
  s = Run(ClockMeasure::kFirstReply, "2026-04-06T10:00:00Z",
          Business(absl::Hours(4)), opened);
  EXPECT_EQ(s.elapsed, absl::Hours(4));
  EXPECT_EQ(s.state, SlaState::kAtRisk);
  EXPECT_EQ(s.due, T("2026-04-06T10:00:00Z"));
  s = Run(ClockMeasure::kFirstReply, "2026-04-06T10:00:01Z",
          Business(absl::Hours(4)), opened);
  EXPECT_EQ(s.state, SlaState::kBreached);
}

TEST_F(ClockTest, DaylightSavingChanges) {
  // Spring: Friday 2026-03-27 16:00 UTC = 16:00 GMT, one hour; Monday
  // 2026-03-30 opens at 09:00 BST = 08:00 UTC, three more hours.
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-30T10:00:00Z",
                            Business(absl::Hours(4)), "2026-03-27T16:00:00Z");
  EXPECT_EQ(s.elapsed, absl::Hours(3));
  EXPECT_EQ(s.due, T("2026-03-30T11:00:00Z"));
  // Autumn: Friday 2026-10-23 15:00 UTC = 16:00 BST, one hour; Monday
  // 2026-10-26 opens at 09:00 GMT = 09:00 UTC.
  s = Run(ClockMeasure::kFirstReply, "2026-10-26T10:00:00Z",
          Business(absl::Hours(4)), "2026-10-23T15:00:00Z");
  EXPECT_EQ(s.elapsed, absl::Hours(2));
  EXPECT_EQ(s.due, T("2026-10-26T12:00:00Z"));
}

TEST_F(ClockTest, PausesAndResumesByStatus) {
  Add(Kind::kStatus, "2026-03-02T11:00:00Z", /*pausing=*/true);
  Add(Kind::kStatus, "2026-03-02T13:00:00Z", /*pausing=*/false);
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T12:00:00Z",
                            Wall(absl::Hours(4)));
  EXPECT_TRUE(s.paused);
  EXPECT_EQ(s.elapsed, absl::Hours(1));
  EXPECT_EQ(s.due, absl::InfiniteFuture());  // it moves while paused
  EXPECT_EQ(s.state, SlaState::kOk);
  s = Run(ClockMeasure::kFirstReply, "2026-03-02T14:00:00Z",
          Wall(absl::Hours(4)));
  EXPECT_FALSE(s.paused);
  EXPECT_EQ(s.elapsed, absl::Hours(2));
  EXPECT_EQ(s.due, T("2026-03-02T16:00:00Z"));
}

TEST_F(ClockTest, ACustomerMessageEndsAPause) {
  Add(Kind::kStatus, "2026-03-02T11:00:00Z", /*pausing=*/true);
  Add(Kind::kCustomerMessage, "2026-03-02T12:30:00Z");
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T13:00:00Z",
                            Wall(absl::Hours(4)));
  EXPECT_FALSE(s.paused);
  EXPECT_EQ(s.elapsed, absl::Minutes(90));
  EXPECT_EQ(s.due, T("2026-03-02T15:30:00Z"));
}

TEST_F(ClockTest, PausedAfterDueKeepsTheDueTime) {
  Add(Kind::kStatus, "2026-03-02T15:00:00Z", /*pausing=*/true);
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T18:00:00Z",
                            Wall(absl::Hours(4)));
  EXPECT_TRUE(s.paused);
  EXPECT_EQ(s.elapsed, absl::Hours(5));
  EXPECT_EQ(s.state, SlaState::kBreached);
  EXPECT_EQ(s.due, T("2026-03-02T14:00:00Z"));
}

TEST_F(ClockTest, EachThresholdAtAndOneSecondPastItsEdge) {
  // Opened 10:00, 4 hours: 50% at 12:00, 75% at 13:00, 100% at 14:00,
  // 150% at 16:00.
  struct Edge {
    const char* before;
    const char* at;
    const char* after;
    int percent;
    int below;
  };
  const Edge edges[] = {
      {"2026-03-02T11:59:59Z", "2026-03-02T12:00:00Z", "2026-03-02T12:00:01Z",
       50, 0},
      {"2026-03-02T12:59:59Z", "2026-03-02T13:00:00Z", "2026-03-02T13:00:01Z",
       75, 50},
      {"2026-03-02T13:59:59Z", "2026-03-02T14:00:00Z", "2026-03-02T14:00:01Z",
       100, 75},
      {"2026-03-02T15:59:59Z", "2026-03-02T16:00:00Z", "2026-03-02T16:00:01Z",
       150, 100},
  };
  for (const Edge& e : edges) {
    SCOPED_TRACE(e.percent);
    EXPECT_EQ(Run(ClockMeasure::kFirstReply, e.before, Wall(absl::Hours(4)))
                  .threshold,
              e.below);
    EXPECT_EQ(
        Run(ClockMeasure::kFirstReply, e.at, Wall(absl::Hours(4))).threshold,
        e.percent);
    EXPECT_EQ(
        Run(ClockMeasure::kFirstReply, e.after, Wall(absl::Hours(4))).threshold,
        e.percent);
  }
  EXPECT_EQ(Run(ClockMeasure::kFirstReply, "2026-03-02T11:59:59Z",
                Wall(absl::Hours(4)))
                .state,
            SlaState::kOk);
  // 100%: at risk (due now); one second later breached.
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T14:00:00Z",
                            Wall(absl::Hours(4)));
  EXPECT_EQ(s.state, SlaState::kAtRisk);
  EXPECT_EQ(s.percent, 100);
  EXPECT_EQ(s.remaining, absl::ZeroDuration());
  EXPECT_EQ(s.due, T("2026-03-02T14:00:00Z"));
  s = Run(ClockMeasure::kFirstReply, "2026-03-02T14:00:01Z",
          Wall(absl::Hours(4)));
  EXPECT_EQ(s.state, SlaState::kBreached);
  EXPECT_EQ(s.remaining, absl::Seconds(-1));
  EXPECT_EQ(s.due, T("2026-03-02T14:00:00Z"));
}

TEST_F(ClockTest, AReplyAtTheDueTimeIsMetOneSecondLaterMissed) {
  Add(Kind::kAgentReply, "2026-03-02T14:00:00Z");
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-03T10:00:00Z",
                            Wall(absl::Hours(4)));
  EXPECT_EQ(s.state, SlaState::kMet);
  EXPECT_EQ(s.stopped, T("2026-03-02T14:00:00Z"));
  EXPECT_EQ(s.elapsed, absl::Hours(4));
  events_.clear();
  Add(Kind::kAgentReply, "2026-03-02T14:00:01Z");
  s = Run(ClockMeasure::kFirstReply, "2026-03-03T10:00:00Z",
          Wall(absl::Hours(4)));
  EXPECT_EQ(s.state, SlaState::kMissed);
  EXPECT_EQ(s.due, T("2026-03-02T14:00:00Z"));
}

TEST_F(ClockTest, AReplyBeforeTheCaseOpenedDoesNotStopIt) {
  Add(Kind::kAgentReply, "2026-03-02T09:00:00Z");
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T11:00:00Z",
                            Wall(absl::Hours(4)));
  EXPECT_EQ(s.state, SlaState::kOk);
  EXPECT_EQ(s.elapsed, absl::Hours(1));
}

TEST_F(ClockTest, APauseBeforeTheCaseOpenedDoesNotPauseIt) {
  // A pausing status before opening is ignored, as a resolving one is.
  Add(Kind::kStatus, "2026-03-02T09:00:00Z", /*pausing=*/true);
  for (ClockMeasure m :
       {ClockMeasure::kFirstReply, ClockMeasure::kResolution}) {
    ServiceLevelState s = Run(m, "2026-03-02T11:00:00Z", Wall(absl::Hours(4)));
    EXPECT_EQ(s.state, SlaState::kOk);
    EXPECT_EQ(s.elapsed, absl::Hours(1));
    EXPECT_FALSE(s.paused);
  }
  // At the opening instant it pauses.
  events_.clear();
  Add(Kind::kStatus, "2026-03-02T10:00:00Z", /*pausing=*/true);
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T11:00:00Z",
                            Wall(absl::Hours(4)));
  EXPECT_EQ(s.elapsed, absl::ZeroDuration());
  EXPECT_TRUE(s.paused);
}

TEST_F(ClockTest, AResolvedCaseStopsEveryClock) {
  // Solved at 11:00, reopened by a customer message at 13:00: the first
  // reply (2 hours) counts 10-11 and 13-14 only.
  Add(Kind::kStatus, "2026-03-02T11:00:00Z", false, /*resolving=*/true);
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T13:00:00Z",
                            Wall(absl::Hours(2)));
  EXPECT_EQ(s.elapsed, absl::Hours(1));
  EXPECT_EQ(s.state, SlaState::kAtRisk);  // 50%, not breached
  EXPECT_EQ(s.due, absl::InfiniteFuture());
  EXPECT_TRUE(s.paused);
  EXPECT_TRUE(s.resolved);
  Add(Kind::kCustomerMessage, "2026-03-02T13:00:00Z");
  s = Run(ClockMeasure::kFirstReply, "2026-03-02T14:00:00Z",
          Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kAtRisk);
  EXPECT_EQ(s.due, T("2026-03-02T14:00:00Z"));
  s = Run(ClockMeasure::kFirstReply, "2026-03-02T14:00:01Z",
          Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kBreached);
  EXPECT_FALSE(s.resolved);
}

TEST_F(ClockTest, ResolutionReopened) {
  Add(Kind::kStatus, "2026-03-02T11:00:00Z", false, /*resolving=*/true);
  ServiceLevelState s = Run(ClockMeasure::kResolution, "2026-03-02T12:00:00Z",
                            Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kMet);
  EXPECT_EQ(s.elapsed, absl::Hours(1));
  EXPECT_EQ(s.stopped, T("2026-03-02T11:00:00Z"));
  // A customer message reopens it; resolved time does not count.
  Add(Kind::kCustomerMessage, "2026-03-02T12:00:00Z");
  s = Run(ClockMeasure::kResolution, "2026-03-02T12:30:00Z",
          Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kAtRisk);  // 75%
  EXPECT_EQ(s.elapsed, absl::Minutes(90));
  EXPECT_EQ(s.stopped, absl::InfiniteFuture());
  EXPECT_EQ(s.due, T("2026-03-02T13:00:00Z"));
  Add(Kind::kStatus, "2026-03-02T13:00:00Z", false, /*resolving=*/true);
  s = Run(ClockMeasure::kResolution, "2026-03-02T20:00:00Z",
          Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kMet);
  EXPECT_EQ(s.elapsed, absl::Hours(2));
  s = Run(ClockMeasure::kResolution, "2026-03-02T20:00:00Z",
          Wall(absl::Hours(2) - absl::Seconds(1)));
  EXPECT_EQ(s.state, SlaState::kMissed);
  // A later non-resolved status reopens it too.
  Add(Kind::kStatus, "2026-03-02T21:00:00Z");
  s = Run(ClockMeasure::kResolution, "2026-03-02T21:00:01Z",
          Wall(absl::Hours(4)));
  EXPECT_EQ(s.elapsed, absl::Hours(2) + absl::Seconds(1));
  EXPECT_EQ(s.state, SlaState::kAtRisk);  // 50%
  EXPECT_EQ(s.stopped, absl::InfiniteFuture());
}

TEST_F(ClockTest, NextReplyRuns) {
  Add(Kind::kCustomerMessage, "2026-03-02T10:00:00Z");
  ServiceLevelState s = Run(ClockMeasure::kNextReply, "2026-03-02T11:00:00Z",
                            Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kNone);  // no agent reply yet: first reply's
  Add(Kind::kAgentReply, "2026-03-02T10:30:00Z");
  Add(Kind::kCustomerMessage, "2026-03-02T11:00:00Z");
  Add(Kind::kCustomerMessage, "2026-03-02T11:10:00Z");
  s = Run(ClockMeasure::kNextReply, "2026-03-02T11:30:00Z",
          Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kOk);
  EXPECT_EQ(s.started, T("2026-03-02T11:00:00Z"));
  EXPECT_EQ(s.elapsed, absl::Minutes(30));
  Add(Kind::kAgentReply, "2026-03-02T12:00:00Z");
  s = Run(ClockMeasure::kNextReply, "2026-03-02T12:30:00Z",
          Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kMet);
  EXPECT_EQ(s.elapsed, absl::Hours(1));
  EXPECT_EQ(s.stopped, T("2026-03-02T12:00:00Z"));
  Add(Kind::kCustomerMessage, "2026-03-02T13:00:00Z");
  s = Run(ClockMeasure::kNextReply, "2026-03-02T13:10:00Z",
          Wall(absl::Hours(2)));
  EXPECT_EQ(s.state, SlaState::kOk);
  EXPECT_EQ(s.started, T("2026-03-02T13:00:00Z"));
  EXPECT_EQ(s.elapsed, absl::Minutes(10));
  EXPECT_EQ(s.stopped, absl::InfiniteFuture());
}

TEST_F(ClockTest, NoClock) {
  // No opening time: no first reply or resolution clock.
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T12:00:00Z",
                            Wall(absl::Hours(4)), nullptr);
  EXPECT_EQ(s.state, SlaState::kNone);
  // The contract states no span.
  s = Run(ClockMeasure::kFirstReply, "2026-03-02T12:00:00Z", Span{});
  EXPECT_EQ(s.state, SlaState::kNone);
  EXPECT_EQ(s.due, absl::InfiniteFuture());
}

TEST_F(ClockTest, ASpanUnderOneNanosecondDoesNotDivideByZero) {
  // Load refuses such spans; a direct call still must not crash.
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2026-03-02T10:00:01Z",
                            Wall(absl::Nanoseconds(0.5)));
  EXPECT_EQ(s.state, SlaState::kBreached);
  EXPECT_GT(s.percent, 100);
}

TEST(ServiceLevelStatusTest, TimesBeyondTheProtoRangeAreLeftOut) {
  // Due in year 10000 and 20000 years counted: due_at absent, durations
  // clamped to +-10000 years, the status prints as valid JSON.
  ServiceTargetPlan target;
  target.id = "resolution";
  target.measure = v1::ServiceLevelTarget::RESOLUTION;
  ServiceLevelState s;
  s.state = SlaState::kBreached;
  s.started = T("9999-12-31T00:00:00Z");
  s.due = T("9999-12-31T23:59:59Z") + absl::Seconds(1);
  s.elapsed = absl::Hours(24 * 365) * 20000;
  s.remaining = -s.elapsed;
  v1::ServiceLevelStatus out;
  out.mutable_due_at()->set_seconds(1);  // reused: cleared
  WriteServiceLevelStatus(target, s, &out);
  EXPECT_EQ(out.started_at().seconds(), 253402214400);
  EXPECT_FALSE(out.has_due_at());
  EXPECT_EQ(out.elapsed().seconds(), 315576000000);
  EXPECT_EQ(out.remaining().seconds(), -315576000000);
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(out, &json).ok())
      << json;
  // The last instant of year 9999 is written.
  s.due = T("9999-12-31T23:59:59Z");
  WriteServiceLevelStatus(target, s, &out);
  EXPECT_EQ(out.due_at().seconds(), 253402300799);
}

TEST_F(ClockTest, HugeRatiosDoNotOverflow) {
  ServiceLevelState s = Run(ClockMeasure::kFirstReply, "2126-03-02T10:00:00Z",
                            Wall(absl::Nanoseconds(1)));
  EXPECT_EQ(s.state, SlaState::kBreached);
  EXPECT_EQ(s.percent, 2147483647);
  EXPECT_EQ(s.threshold, 150);
  EXPECT_TRUE(ThresholdReached(absl::Hours(3), absl::Hours(4), 75));
  EXPECT_FALSE(ThresholdReached(absl::Hours(3) - absl::Nanoseconds(1),
                                absl::Hours(4), 75));
}

}  // namespace
}  // namespace tact::internal
