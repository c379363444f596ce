// Over-servicing by promises (issue 17): an action promising a service-level
// target sooner than the customer's contract, both counted from the
// decision's now, is beyond the contract (Entitle), as is a promise on a
// target the contract does not state. The plan's service levels and the
// actions' promises are filled by hand here, so the check is tested apart
// from how the service-level construct compiles them.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/io/policy_source.h"
#include "src/policy/calendar.h"
#include "src/policy/constructs/entitlements.h"
#include "src/policy/plan.h"
#include "src/policy/ranked.h"
#include "tact/codes.h"
#include "tact/engine.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Office hours Monday to Friday, 09:00-17:00 UTC. Actions: "email" (no
// promise), "callback" (promises first_reply), "both" (requires "phone"
// and promises first_reply). Tiers "standard" (the default, when
// `with_default`) and "gold"; "bare" states no targets at all.
constexpr absl::string_view kPolicy = R"pb(
  calendars {
    id: "office"
    hours { weekday: 1 start: "09:00" end: "17:00" }
    hours { weekday: 2 start: "09:00" end: "17:00" }
    hours { weekday: 3 start: "09:00" end: "17:00" }
    hours { weekday: 4 start: "09:00" end: "17:00" }
    hours { weekday: 5 start: "09:00" end: "17:00" }
  }
  actions { id: "email" }
  actions { id: "callback" }
  actions { id: "both" requires: "phone" }
  entitlements { tier: "gold" includes: "phone" }
  entitlements { tier: "bare" includes: "phone" }
)pb";

Span Parse(absl::string_view text) {
  absl::StatusOr<Span> span = ParseSpan(text);
  EXPECT_TRUE(span.ok()) << span.status();
  return span.ok() ? *span : Span();
}

struct Fixture {
  std::unique_ptr<const PolicyPlan> owned;
  PolicyPlan* plan = nullptr;

  int Action(absl::string_view id) const {
    for (size_t i = 0; i < plan->actions.size(); ++i) {
      if (plan->actions[i].id == id) return static_cast<int>(i);
    }
    ADD_FAILURE() << "no action " << id;
    return 0;
  }
};

// The policy with two targets, first_reply and resolution; "standard"
// states first_reply within business_hours(4) and resolution within 5d,
// "gold" first_reply within 1h only; "bare" none.
Fixture Build(bool with_default, bool suppress = false) {
  std::string text = std::string(kPolicy);
  absl::StrAppend(&text, "entitlements { tier: \"standard\"",
                  with_default ? " default: true" : "", " }\n");
  if (suppress) text += "beyond_contract { mode: SUPPRESS }\n";
  std::vector<Diagnostic> diagnostics;
  absl::StatusOr<LoadedPolicy> loaded =
      ParsePolicy(text, PolicyFormat::kText, "p.textproto", &diagnostics);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  Fixture f;
  if (!loaded.ok()) return f;
  f.owned = BuildPlan(*loaded, CompileOptions(), &diagnostics);
  EXPECT_NE(f.owned, nullptr);
  for (const Diagnostic& d : diagnostics) {
    EXPECT_NE(d.severity, Diagnostic::Severity::kError) << d.ToString();
  }
  if (f.owned == nullptr) return f;
  // The test's own copy of what the service-level construct compiles.
  f.plan = const_cast<PolicyPlan*>(f.owned.get());
  ServiceLevelsPlan& sl = f.plan->service_levels;
  sl.present = true;
  sl.targets.resize(2);
  sl.targets[0].id = "first_reply";
  sl.targets[1].id = "resolution";
  sl.calendar = 0;
  sl.spans["standard"] = {Parse("business_hours(4)"), Parse("5d")};
  sl.spans["gold"] = {Parse("1h"), Span()};
  sl.spans["bare"] = {Span(), Span()};
  return f;
}

void Promise(Fixture& f, absl::string_view action, int target,
             absl::string_view within) {
  f.plan->actions[f.Action(action)].promises.push_back(
      PromisePlan{target, Parse(within)});
}

v1::Context At(absl::string_view tier, absl::string_view rfc3339) {
  v1::Context context;
  if (!tier.empty()) context.mutable_customer()->set_tier(std::string(tier));
  absl::Time now;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &now, &error))
      << error;
  context.mutable_now()->set_seconds(absl::ToUnixSeconds(now));
  return context;
}

struct Result {
  bool kept = false;
  bool beyond = false;
  bool blocked = false;  // moved to scratch.blocked as beyond_contract
  std::string note;      // the entitlement note, "" without one
};

Result Check(const Fixture& f, absl::string_view action,
             const v1::Context& context) {
  RankScratch scratch;
  RankedAction r;
  r.action = f.Action(action);
  Result out;
  out.kept = Entitle(*f.plan, context, &r, &scratch);
  out.beyond = r.beyond_contract;
  if (!scratch.blocked.empty()) {
    out.blocked = scratch.blocked.back().code == BlockedCode::kBeyondContract;
  }
  if (scratch.notes.size() > 0) {
    out.note = std::string(scratch.notes[scratch.notes.size() - 1].text());
  }
  return out;
}

// A Tuesday mid-morning, a Friday one minute before closing, and a Friday
// evening: 4 business hours from them end Tuesday 14:00, Monday 12:59 and
// Monday 13:00.
constexpr absl::string_view kTuesday = "2026-01-06T10:00:00Z";
constexpr absl::string_view kFriday1659 = "2026-01-02T16:59:00Z";
constexpr absl::string_view kFridayEvening = "2026-01-02T20:00:00Z";

TEST(PromiseContractTest, AOneHourCallbackOnAFourBusinessHourTierIsBeyond) {
  Fixture f = Build(/*with_default=*/true);
  Promise(f, "callback", 0, "1h");
  Result r = Check(f, "callback", At("standard", kTuesday));
  EXPECT_TRUE(r.kept);
  EXPECT_TRUE(r.beyond);
  EXPECT_EQ(r.note,
            "Beyond the \"standard\" contract: it promises first_reply within "
            "1 hour, where the contract's is 4 business hours; giving it once "
            "sets a standard the customer will then expect every time.");
  // The same promise is the gold contract itself: within it.
  Result gold = Check(f, "callback", At("gold", kTuesday));
  EXPECT_TRUE(gold.kept);
  EXPECT_FALSE(gold.beyond);
  EXPECT_THAT(gold.note, IsEmpty());
  // An action without promises is untouched.
  EXPECT_FALSE(Check(f, "email", At("standard", kTuesday)).beyond);
}

TEST(PromiseContractTest, APromiseEqualToTheContractIsWithinIt) {
  Fixture f = Build(/*with_default=*/true);
  Promise(f, "callback", 0, "business_hours(4)");
  for (absl::string_view now : {kTuesday, kFriday1659, kFridayEvening}) {
    Result r = Check(f, "callback", At("standard", now));
    EXPECT_TRUE(r.kept) << now;
    EXPECT_FALSE(r.beyond) << now;
  }
  // One business minute sooner is beyond.
  Fixture sooner = Build(/*with_default=*/true);
  Promise(sooner, "callback", 0, "business_hours(3.9833333333333334)");
  EXPECT_TRUE(Check(sooner, "callback", At("standard", kTuesday)).beyond);
}

// Counted from now in their own time: at 16:59 on a Friday the contract's 4
// business hours end Monday 12:59, 68 calendar hours away.
TEST(PromiseContractTest, CalendarPromisesAgainstBusinessHoursOverAWeekend) {
  struct Case {
    absl::string_view now;
    absl::string_view promise;
    bool beyond;
  };
  const Case cases[] = {
      {kFriday1659, "1h", true},            // Friday 17:59
      {kFriday1659, "67h59m", true},        // Monday 12:58
      {kFriday1659, "68h", false},          // Monday 12:59: equal
      {kFriday1659, "72h", false},          // Monday 16:59
      {kFridayEvening, "72h", false},       // Monday 20:00 after Monday 13:00
      {kFridayEvening, "65h", false},       // Monday 13:00: equal
      {kFridayEvening, "64h59m59s", true},  // one second before
      {kTuesday, "3h59m59s", true},         // Tuesday 13:59:59
      {kTuesday, "4h", false},              // Tuesday 14:00
  };
  for (const Case& c : cases) {
    Fixture f = Build(/*with_default=*/true);
    Promise(f, "callback", 0, c.promise);
    Result r = Check(f, "callback", At("standard", c.now));
    EXPECT_EQ(r.beyond, c.beyond) << c.promise << " at " << c.now;
    EXPECT_TRUE(r.kept);
  }
}

TEST(PromiseContractTest, AnUnlistedTierIsHeldToTheDefaultContract) {
  Fixture f = Build(/*with_default=*/true);
  Promise(f, "callback", 0, "1h");
  Result trial = Check(f, "callback", At("trial", kTuesday));
  EXPECT_TRUE(trial.beyond);
  EXPECT_THAT(trial.note,
              HasSubstr("Beyond the \"standard\" contract, the default for "
                        "tier \"trial\": it promises first_reply within 1 "
                        "hour, where the contract's is 4 business hours"));
  Result none = Check(f, "callback", At("", kTuesday));
  EXPECT_THAT(none.note, HasSubstr("the default for a customer without a "
                                   "tier: it promises first_reply"));
  // A promise the default contract meets is within it for them too.
  Fixture g = Build(/*with_default=*/true);
  Promise(g, "callback", 1, "5d");
  EXPECT_FALSE(Check(g, "callback", At("trial", kTuesday)).beyond);
}

TEST(PromiseContractTest, WithoutADefaultEveryPromiseIsBeyond) {
  Fixture f = Build(/*with_default=*/false);
  Promise(f, "callback", 1, "30d");
  Result r = Check(f, "callback", At("trial", kTuesday));
  EXPECT_TRUE(r.beyond);
  EXPECT_EQ(r.note,
            "Beyond contract: tier \"trial\" has no entitlement and the "
            "policy names no default: it promises resolution within 30 days, "
            "where the contract states no resolution target; giving it once "
            "sets a standard the customer will then expect every time.");
  // A listed tier keeps its own contract.
  EXPECT_FALSE(Check(f, "callback", At("standard", kTuesday)).beyond);
}

TEST(PromiseContractTest, APromiseOnATargetTheContractDoesNotStateIsBeyond) {
  Fixture f = Build(/*with_default=*/true);
  Promise(f, "callback", 1, "30d");  // gold states no resolution target
  Result gold = Check(f, "callback", At("gold", kTuesday));
  EXPECT_TRUE(gold.beyond);
  EXPECT_THAT(gold.note, HasSubstr("where the contract states no resolution "
                                   "target"));
  EXPECT_TRUE(Check(f, "callback", At("bare", kTuesday)).beyond);
}

TEST(PromiseContractTest, TheNoteNamesEachPromiseBeyondAndMissingFeatures) {
  Fixture f = Build(/*with_default=*/true);
  Promise(f, "both", 0, "1h");   // beyond standard's business_hours(4)
  Promise(f, "both", 1, "10d");  // within standard's 5d
  Promise(f, "both", 1, "2d");   // beyond 5d
  Result r = Check(f, "both", At("standard", kTuesday));
  EXPECT_TRUE(r.beyond);
  EXPECT_EQ(r.note,
            "Beyond the \"standard\" contract, which does not include phone, "
            "and it promises first_reply within 1 hour, where the contract's "
            "is 4 business hours, and resolution within 2 days, where the "
            "contract's is 5 days; giving it once sets a standard the "
            "customer will then expect every time.");
  // Gold includes phone and promises first_reply in 1h, but no resolution.
  Result gold = Check(f, "both", At("gold", kTuesday));
  EXPECT_EQ(gold.note,
            "Beyond the \"gold\" contract: it promises resolution within 10 "
            "days, where the contract states no resolution target, and "
            "resolution within 2 days, where the contract states no "
            "resolution target; giving it once sets a standard the customer "
            "will then expect every time.");
}

TEST(PromiseContractTest, SuppressHoldsAPromiseBeyondTheContractBack) {
  Fixture f = Build(/*with_default=*/true, /*suppress=*/true);
  Promise(f, "callback", 0, "1h");
  Result r = Check(f, "callback", At("standard", kTuesday));
  EXPECT_FALSE(r.kept);
  EXPECT_TRUE(r.blocked);
  EXPECT_THAT(r.note, HasSubstr("it promises first_reply within 1 hour"));
  Result gold = Check(f, "callback", At("gold", kTuesday));
  EXPECT_TRUE(gold.kept);
  EXPECT_FALSE(gold.blocked);
}

}  // namespace
}  // namespace tact::internal

// --- End to end: promises as policies state them ---------------------------

namespace tact {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A Tuesday, 2026-01-06T10:00:00Z, and the Friday before at 16:59.
constexpr int64_t kTuesday10 = 1767693600;
constexpr int64_t kFriday1659 = 1767373140;

constexpr absl::string_view kPromisePolicy = R"pb(
  name: "promises"
  calendars {
    id: "office"
    hours { weekday: 1 start: "09:00" end: "17:00" }
    hours { weekday: 2 start: "09:00" end: "17:00" }
    hours { weekday: 3 start: "09:00" end: "17:00" }
    hours { weekday: 4 start: "09:00" end: "17:00" }
    hours { weekday: 5 start: "09:00" end: "17:00" }
  }
  actions {
    id: "callback"
    promises { target: "first_reply" within: "1h" }
  }
  actions {
    id: "weekend_callback"
    promises { target: "first_reply" within: "72h" }
  }
  actions {
    id: "email_reply"
    promises { target: "first_reply" within: "business_hours(4)" }
  }
  entitlements {
    tier: "standard"
    default: true
    sla { target: "first_reply" within: "business_hours(4)" }
  }
  entitlements {
    tier: "gold"
    sla { target: "first_reply" within: "1h" }
  }
  service_levels { targets { id: "first_reply" measure: FIRST_REPLY } }
  rules {
    id: "all"
    recommend { action: "callback" }
    recommend { action: "weekend_callback" }
    recommend { action: "email_reply" }
  }
)pb";

std::vector<std::string> Offered(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& a : d.actions()) {
    out.push_back(absl::StrCat(a.action(), a.beyond_contract() ? "*" : ""));
  }
  return out;
}

v1::Decision DecideFor(const Engine& engine, absl::string_view tier,
                       int64_t now) {
  v1::Context context;
  context.mutable_now()->set_seconds(now);
  context.mutable_customer()->set_id("c");
  if (!tier.empty()) context.mutable_customer()->set_tier(std::string(tier));
  context.mutable_case_()->set_id("k");
  context.mutable_case_()->mutable_opened_at()->set_seconds(now);
  absl::StatusOr<v1::Decision> d = engine.Decide(context);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : v1::Decision();
}

std::unique_ptr<const Engine> Load(absl::string_view text) {
  CompileResult r = Engine::CompileText(text, PolicyFormat::kText, "p");
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError)
      ADD_FAILURE() << d.ToString();
  }
  return std::move(r.engine);
}

TEST(PromisePolicyTest, PromisesAreCheckedAgainstTheTiersContract) {
  std::unique_ptr<const Engine> engine = Load(kPromisePolicy);
  ASSERT_NE(engine, nullptr);
  v1::Decision standard = DecideFor(*engine, "standard", kTuesday10);
  EXPECT_THAT(Offered(standard),
              ElementsAre("callback*", "email_reply", "weekend_callback"));
  EXPECT_THAT(standard.actions(0).reasons(1).text(),
              HasSubstr("it promises first_reply within 1 hour, where the "
                        "contract's is 4 business hours"));
  // Promising less than the contract is within it: gold's first reply is
  // due within the hour.
  EXPECT_THAT(Offered(DecideFor(*engine, "gold", kTuesday10)),
              ElementsAre("callback", "email_reply", "weekend_callback"));
  // An unlisted tier is held to the default contract.
  EXPECT_THAT(Offered(DecideFor(*engine, "trial", kTuesday10)),
              ElementsAre("callback*", "email_reply", "weekend_callback"));
  // At 16:59 on a Friday 4 business hours end Monday 12:59: 72 hours (Monday
  // 16:59) is within the contract, 1 hour is not.
  EXPECT_THAT(Offered(DecideFor(*engine, "standard", kFriday1659)),
              ElementsAre("callback*", "email_reply", "weekend_callback"));
}

TEST(PromisePolicyTest, WithoutADefaultAnUnlistedTiersPromisesAreBeyond) {
  std::string text(kPromisePolicy);
  const std::string with_default = "default: true";
  text.erase(text.find(with_default), with_default.size());
  CompileResult r = Engine::CompileText(text, PolicyFormat::kText, "p");
  ASSERT_NE(r.engine, nullptr);
  v1::Decision d = DecideFor(*r.engine, "trial", kTuesday10);
  EXPECT_THAT(Offered(d),
              ElementsAre("callback*", "email_reply*", "weekend_callback*"));
  EXPECT_THAT(d.actions(2).reasons(1).text(),
              HasSubstr("where the contract states no first_reply target"));
}

// Under SUPPRESS a ladder skips a rung whose promise is beyond the contract,
// visibly, and goes on to the next.
TEST(PromisePolicyTest, ALadderSkipsARungWhosePromiseIsBeyondTheContract) {
  std::string text(kPromisePolicy);
  text.erase(text.find("rules {"));
  absl::StrAppend(&text, R"pb(
    beyond_contract { mode: SUPPRESS }
    ladders {
      id: "unhappy"
      rungs { action { action: "callback" } }
      rungs { action { action: "email_reply" } }
    }
  )pb");
  std::unique_ptr<const Engine> engine = Load(text);
  ASSERT_NE(engine, nullptr);
  v1::Decision standard = DecideFor(*engine, "standard", kTuesday10);
  EXPECT_THAT(Offered(standard), ElementsAre("email_reply"));
  ASSERT_EQ(standard.blocked_size(), 1);
  EXPECT_EQ(standard.blocked(0).action(), "callback");
  EXPECT_EQ(standard.blocked(0).code(), "beyond_contract");
  EXPECT_THAT(standard.blocked(0).blocked_by().text(),
              HasSubstr("it promises first_reply within 1 hour"));
  // Gold's contract is the callback's promise: rung 1 is offered.
  EXPECT_THAT(Offered(DecideFor(*engine, "gold", kTuesday10)),
              ElementsAre("callback"));
}

}  // namespace
}  // namespace tact
