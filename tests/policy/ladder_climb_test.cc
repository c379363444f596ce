// Ladders never stall (issue 13, principle 4): a rung the customer's
// contract excludes is skipped in the same decision, visibly; a rung entered
// by its `entry` condition before any rung of the case applies at once, and
// the next rung waits from that offer. Multi-step cases record each
// decision's effects in the history before deciding again.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// 2026-01-05T10:00:00Z, a Monday.
constexpr int64_t kT0 = 1767607200;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// Rung 2 needs "phone", rung 4 (the top) needs "gifts"; rung 3 may be
// entered directly for a critical case. A "basic" contract excludes rung 2,
// a "trial" one rungs 2 and 4, a "gold" one nothing.
constexpr absl::string_view kPolicy = R"pb(
  actions { id: "explain" }
  actions { id: "callback" requires: "phone" }
  actions { id: "credit" }
  actions { id: "gift" requires: "gifts" }
  actions { id: "supervisor" }
  entitlements { tier: "trial" includes: "email" }
  entitlements { tier: "basic" includes: "email" includes: "gifts" }
  entitlements {
    tier: "gold"
    includes: "email"
    includes: "phone"
    includes: "gifts"
  }
  beyond_contract { mode: SUPPRESS }
  ladders {
    id: "unhappy"
    when: "case.sentiment < 0.0"
    rungs { action { action: "explain" } }
    rungs {
      action { action: "callback" }
      min_wait: "24h"
    }
    rungs {
      action { action: "credit" }
      min_wait: "24h"
      entry: "case.severity == 'critical'"
    }
    rungs {
      action { action: "gift" }
      min_wait: "24h"
    }
    exhausted { action: "supervisor" }
  }
)pb";

std::unique_ptr<const Engine> MustCompile(absl::string_view text) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(text, PolicyFormat::kText, "t.textproto");
  EXPECT_THAT(engine, testing::IsOk());
  return engine.ok() ? *std::move(engine) : nullptr;
}

// One case of a customer of `tier`, opened at kT0.
v1::Context Case(absl::string_view tier, absl::string_view severity = "") {
  v1::Context context;
  std::string text = absl::StrCat("customer { id: \"c1\" tier: \"", tier,
                                  "\" } case { id: \"k1\" ",
                                  "sentiment: -0.5 opened_at { seconds: ", kT0,
                                  " } severity: \"", severity, "\" }");
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

v1::Decision DecideAt(const Engine& engine, v1::Context context, int64_t at) {
  context.mutable_now()->set_seconds(at);
  absl::StatusOr<v1::Decision> d = engine.Decide(context);
  EXPECT_THAT(d, testing::IsOk());
  return d.ok() ? *d : v1::Decision();
}

// What the host does after a decision: append its effects to the history,
// as events of this case at the decision's time.
void Record(const v1::Decision& d, int64_t at, v1::Context* context) {
  for (const v1::Effect& e : d.effects()) {
    v1::Event* event = context->add_history();
    event->set_kind(e.kind());
    event->set_ref(e.ref());
    event->set_step(e.step());
    event->set_amount(e.amount());
    event->set_case_id(context->case_().id());
    event->mutable_at()->set_seconds(at);
  }
}

void AddRung(int step, int64_t at, v1::Context* context) {
  v1::Event* event = context->add_history();
  event->set_kind("rung_offered");
  event->set_ref("unhappy");
  event->set_step(step);
  event->set_case_id(context->case_().id());
  event->mutable_at()->set_seconds(at);
}

std::vector<std::string> Ids(const v1::Decision& d) {
  std::vector<std::string> ids;
  for (const auto& a : d.actions()) ids.push_back(a.action());
  return ids;
}

std::vector<std::string> Blocked(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& b : d.blocked()) {
    out.push_back(absl::StrCat(b.action(), ":", b.code()));
  }
  return out;
}

std::vector<std::string> Effects(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& e : d.effects()) {
    out.push_back(absl::StrCat(e.kind(), ":", e.ref(), ":", e.step()));
  }
  return out;
}

// --- A rung beyond the contract ---------------------------------------------

TEST(LadderContractTest, ExcludedRungIsSkippedVisiblyInTheSameDecision) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("basic");
  AddRung(1, kT0, &context);
  v1::Decision d = DecideAt(*engine, context, kT0 + 2 * kDay);
  EXPECT_THAT(Ids(d), ElementsAre("credit"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:3"));
  ASSERT_THAT(Blocked(d), ElementsAre("callback:beyond_contract"));
  const v1::BlockedAction& skip = d.blocked(0);
  EXPECT_EQ(skip.blocked_by().source_kind(), "ladder");
  EXPECT_EQ(skip.blocked_by().source_id(), "unhappy");
  EXPECT_THAT(skip.blocked_by().text(),
              HasSubstr("Rung 2 of 4 of the \"unhappy\" ladder is skipped and "
                        "the ladder goes on to rung 3."));
  EXPECT_THAT(skip.blocked_by().text(),
              HasSubstr("Beyond the \"basic\" contract, which does not "
                        "include phone"));
  ASSERT_EQ(skip.wanted_by_size(), 1);
  EXPECT_EQ(skip.wanted_by(0).source_id(), "unhappy");
}

TEST(LadderContractTest, IncludedRungIsOfferedAsBefore) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold");
  AddRung(1, kT0, &context);
  v1::Decision d = DecideAt(*engine, context, kT0 + 2 * kDay);
  EXPECT_THAT(Ids(d), ElementsAre("callback"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:2"));
  EXPECT_THAT(Blocked(d), IsEmpty());
}

TEST(LadderContractTest, WarnModeOffersTheRungTaggedNotSkipped) {
  std::string policy(kPolicy);
  policy.replace(policy.find("SUPPRESS"), 8, "WARN");
  auto engine = MustCompile(policy);
  v1::Context context = Case("basic");
  AddRung(1, kT0, &context);
  v1::Decision d = DecideAt(*engine, context, kT0 + 2 * kDay);
  ASSERT_THAT(Ids(d), ElementsAre("callback"));
  EXPECT_TRUE(d.actions(0).beyond_contract());
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:2"));
}

TEST(LadderContractTest, RungAfterASkipWaitsFromThePreviousRungOffered) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("basic");
  AddRung(1, kT0, &context);
  // Rung 3 waits 24 h from rung 1, the previous rung actually offered.
  v1::Decision early = DecideAt(*engine, context, kT0 + kDay - 1);
  EXPECT_THAT(Ids(early), IsEmpty());
  EXPECT_THAT(Blocked(early),
              ElementsAre("callback:beyond_contract", "credit:wait"));
  EXPECT_THAT(early.blocked(1).blocked_by().text(),
              HasSubstr("Rung 3 of the \"unhappy\" ladder is not due yet"));
  EXPECT_THAT(Effects(early), IsEmpty());
  v1::Decision due = DecideAt(*engine, context, kT0 + kDay);
  EXPECT_THAT(Ids(due), ElementsAre("credit"));
  EXPECT_THAT(Effects(due), ElementsAre("rung_offered:unhappy:3"));
}

TEST(LadderContractTest, ExcludedTopRungGivesTheExhaustedOutcome) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("trial");
  AddRung(1, kT0, &context);
  AddRung(3, kT0 + kDay, &context);
  v1::Decision d = DecideAt(*engine, context, kT0 + 3 * kDay);
  EXPECT_THAT(Ids(d), ElementsAre("supervisor"));
  EXPECT_THAT(d.actions(0).reasons(0).text(),
              HasSubstr("offered in this case or is beyond the customer's "
                        "contract"));
  EXPECT_THAT(Blocked(d), ElementsAre("gift:beyond_contract"));
  EXPECT_THAT(d.blocked(0).blocked_by().text(),
              HasSubstr("Rung 4 of 4 of the \"unhappy\" ladder is skipped and "
                        "no rung is left."));
  EXPECT_THAT(Effects(d), IsEmpty());
}

// A basic customer climbs past rung 2 to the top, then the ladder is
// exhausted; a trial customer skips the top too.
TEST(LadderContractTest, MultiStepClimbPastAnExcludedRungToExhaustion) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("basic");

  v1::Decision d = DecideAt(*engine, context, kT0);
  EXPECT_THAT(Ids(d), ElementsAre("explain"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:1"));
  Record(d, kT0, &context);

  d = DecideAt(*engine, context, kT0 + kHour);
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Blocked(d),
              ElementsAre("callback:beyond_contract", "credit:wait"));
  Record(d, kT0 + kHour, &context);

  d = DecideAt(*engine, context, kT0 + kDay);
  EXPECT_THAT(Ids(d), ElementsAre("credit"));
  EXPECT_THAT(Blocked(d), ElementsAre("callback:beyond_contract"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:3"));
  Record(d, kT0 + kDay, &context);

  d = DecideAt(*engine, context, kT0 + 2 * kDay);
  EXPECT_THAT(Ids(d), ElementsAre("gift"));
  EXPECT_THAT(Blocked(d), IsEmpty());
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:4"));
  Record(d, kT0 + 2 * kDay, &context);

  for (int64_t later : {kT0 + 3 * kDay, kT0 + 4 * kDay}) {
    d = DecideAt(*engine, context, later);
    EXPECT_THAT(Ids(d), ElementsAre("supervisor"));
    EXPECT_THAT(Blocked(d), IsEmpty());
    EXPECT_THAT(Effects(d), IsEmpty());
    Record(d, later, &context);
  }
}

TEST(LadderContractTest, MultiStepTrialCustomerSkipsTheTopToExhaustion) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("trial");
  std::vector<std::string> offered;
  for (int64_t day = 0; day < 4; ++day) {
    v1::Decision d = DecideAt(*engine, context, kT0 + day * kDay);
    offered.push_back(d.actions_size() > 0 ? d.actions(0).action() : "-");
    Record(d, kT0 + day * kDay, &context);
  }
  EXPECT_THAT(offered,
              ElementsAre("explain", "credit", "supervisor", "supervisor"));
}

// --- A rung entered directly
// --------------------------------------------------

TEST(LadderEntryTest, EnteredRungAppliesAtOnceWithNoEarlierRung) {
  auto engine = MustCompile(kPolicy);
  // The case opened a minute ago: rung 3's 24 h wait does not count from it.
  v1::Decision d = DecideAt(*engine, Case("gold", "critical"), kT0 + 60);
  EXPECT_THAT(Ids(d), ElementsAre("credit"));
  EXPECT_THAT(Blocked(d), IsEmpty());
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:3"));
  // Not critical: rung 1, as before.
  v1::Decision calm = DecideAt(*engine, Case("gold"), kT0 + 60);
  EXPECT_THAT(Ids(calm), ElementsAre("explain"));
}

TEST(LadderEntryTest, EnteredRungWaitsFromTheRungOfferedBefore) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold", "critical");
  AddRung(1, kT0 + kHour, &context);
  v1::Decision early = DecideAt(*engine, context, kT0 + kHour + kDay - 1);
  EXPECT_THAT(Blocked(early), ElementsAre("credit:wait"));
  EXPECT_THAT(early.blocked(0).blocked_by().text(),
              HasSubstr("after the previous rung, until "
                        "2026-01-06T11:00:00Z"));
  v1::Decision due = DecideAt(*engine, context, kT0 + kHour + kDay);
  EXPECT_THAT(Ids(due), ElementsAre("credit"));
  EXPECT_THAT(Effects(due), ElementsAre("rung_offered:unhappy:3"));
}

TEST(LadderEntryTest, FirstRungStillWaitsFromTheCaseOpening) {
  std::string policy(kPolicy);
  const std::string first = "rungs { action { action: \"explain\" }";
  policy.insert(policy.find(first) + first.size(), " min_wait: \"1h\"");
  auto engine = MustCompile(policy);
  v1::Decision early = DecideAt(*engine, Case("gold"), kT0 + kHour - 1);
  EXPECT_THAT(Blocked(early), ElementsAre("explain:wait"));
  EXPECT_THAT(early.blocked(0).blocked_by().text(),
              HasSubstr("after the case opened"));
  v1::Decision due = DecideAt(*engine, Case("gold"), kT0 + kHour);
  EXPECT_THAT(Ids(due), ElementsAre("explain"));
}

TEST(LadderEntryTest, MultiStepEntryThenTheNextRungAfterItsWait) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold", "critical");
  const int64_t entered = kT0 + 10 * 60;

  v1::Decision d = DecideAt(*engine, context, entered);
  EXPECT_THAT(Ids(d), ElementsAre("credit"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:3"));
  Record(d, entered, &context);

  // Rung 4 waits 24 h from the offer of rung 3, not from the case opening.
  d = DecideAt(*engine, context, entered + kDay - 1);
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Blocked(d), ElementsAre("gift:wait"));
  EXPECT_THAT(d.blocked(0).blocked_by().text(),
              HasSubstr("until 2026-01-06T10:10:00Z"));
  Record(d, entered + kDay - 1, &context);

  d = DecideAt(*engine, context, entered + kDay);
  EXPECT_THAT(Ids(d), ElementsAre("gift"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:4"));
  Record(d, entered + kDay, &context);

  d = DecideAt(*engine, context, entered + 2 * kDay);
  EXPECT_THAT(Ids(d), ElementsAre("supervisor"));
}

}  // namespace
}  // namespace tact
