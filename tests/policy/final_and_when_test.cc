// Issue 13, principles 3 and 9: a `final` rule and a veto cover every
// source of candidates (rules and constructs), and every action reference
// may carry its own `when`.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::Blocked;
using ::tact::testing::Effects;
using ::tact::testing::Ids;
using ::tact::testing::MustCompile;
using ::tact::testing::MustDecide;
using ::tact::testing::Record;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// 2026-01-05T10:00:00Z, a Monday.
constexpr int64_t kNow = 1767607200;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// A fraud hold at the top of the policy, above a ladder of money (whose
// first rung a playbook restages as compensation), a strike limit and a
// standard reply.
constexpr absl::string_view kPolicy = R"pb(
  currency: "USD"
  actions { id: "risk_review" }
  actions { id: "apologize" }
  actions { id: "fix_fast" }
  actions { id: "note" }
  actions { id: "explain" }
  actions { id: "reply" }
  actions { id: "decline_politely" }
  actions { id: "warn" }
  actions {
    id: "credit"
    template: "Credit {amount:money}."
    amount_param: "amount"
    alternative: "note"
  }
  attributes { name: "fraud_hold" type: BOOL }
  rules {
    id: "fraud-hold"
    when: "has(attributes.fraud_hold) && attributes.fraud_hold"
    recommend { action: "risk_review" }
    priority: 100
    final: true
  }
  rules {
    id: "standard"
    recommend { action: "reply" }
    priority: 10
  }
  ladders {
    id: "unhappy"
    when: "case.sentiment < 0.0"
    priority: 60
    rungs {
      action {
        action: "credit"
        params { key: "amount" value: "1000" }
      }
    }
    rungs {
      action { action: "explain" }
      min_wait: "24h"
    }
  }
  playbooks {
    id: "recovery"
    when: "case.our_fault"
    apology: "apologize"
    fix { action: "fix_fast" }
    compensation_ladder: "unhappy"
    priority: 50
  }
  strike_limits {
    id: "ts"
    counts: "e.kind == 'time_wasting'"
    window: "90d"
    limit: 2
    warning { action: "warn" }
    at_limit { action: "decline_politely" when: "!case.our_fault" }
    priority: 90
  }
  budgets { id: "goodwill" period: ROLLING window: "30d" per_window: "5000" }
)pb";

std::vector<std::string> LoadErrors(absl::string_view text) {
  CompileResult r =
      Engine::CompileText(text, PolicyFormat::kText, "p.textproto");
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) out.push_back(d.ToString());
  }
  return out;
}

// A case of ours: an unhappy customer, our fault, opened 10 days ago.
v1::Context Context(int64_t now, bool fraud_hold, absl::string_view extra = "",
                    bool our_fault = true) {
  v1::Context context;
  std::string text =
      absl::StrCat("now { seconds: ", now, " } customer { id: \"c1\" } ",
                   "case { id: \"k1\" sentiment: -0.5 our_fault: ",
                   our_fault ? "true" : "false",
                   " opened_at { seconds: ", kNow - 10 * kDay, " } } ", extra);
  if (fraud_hold) {
    absl::StrAppend(&text,
                    " attributes { key: \"fraud_hold\" value { bool_value: "
                    "true } }");
  }
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

// --- Principle 3: final covers constructs ------------------------------------

TEST(FinalTest, WithoutTheHoldConstructsPropose) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d = MustDecide(*engine, Context(kNow, false));
  EXPECT_THAT(Ids(d), ElementsAre("apologize", "fix_fast", "credit", "reply"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:0:1",
                                      "goodwill:goodwill:1000:0"));
}

TEST(FinalTest, AFinalHoldStopsLaddersPlaybooksAndStrikeOutcomes) {
  auto engine = MustCompile(kPolicy);
  // Two strikes on record: the limit's outcome would apply too.
  v1::Decision d = MustDecide(
      *engine,
      Context(kNow, true,
              absl::StrCat("history { kind: \"time_wasting\" at { seconds: ",
                           kNow - kDay,
                           " } } history { kind: \"time_wasting\" "
                           "at { seconds: ",
                           kNow - 2 * kDay, " } }"),
              /*our_fault=*/false));
  EXPECT_THAT(Ids(d), ElementsAre("risk_review"));
  EXPECT_THAT(Blocked(d), IsEmpty());
  EXPECT_THAT(Effects(d), IsEmpty());
  EXPECT_THAT(d.flags(), IsEmpty());
}

TEST(FinalTest, TheHoldOutranksAndStopsMoneyFromAPlaybookStage) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d = MustDecide(*engine, Context(kNow, true));
  ASSERT_GE(d.actions_size(), 1);
  EXPECT_EQ(d.actions(0).action(), "risk_review");
  EXPECT_THAT(Ids(d), ElementsAre("risk_review"));
  EXPECT_THAT(Effects(d), IsEmpty());
}

TEST(FinalTest, AConstructOfTheSamePriorityStillContributes) {
  // The other side of the edge: only strictly lower priorities are stopped.
  std::string policy(kPolicy);
  policy.replace(policy.find("priority: 60"), 12, "priority: 100");
  auto engine = MustCompile(policy);
  v1::Decision d = MustDecide(*engine, Context(kNow, true));
  // The ladder (not restaged: its playbook is stopped) ranks by priority
  // with the hold, then by score and id.
  EXPECT_THAT(Ids(d), ElementsAre("credit", "risk_review"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:0:1",
                                      "goodwill:goodwill:1000:0"));
}

TEST(FinalTest, APlaybookAtTheHoldsPriorityKeepsItsStages) {
  std::string policy(kPolicy);
  policy.replace(policy.find("priority: 50"), 12, "priority: 100");
  auto engine = MustCompile(policy);
  v1::Decision d = MustDecide(*engine, Context(kNow, true));
  // Its steps rank by stage before the hold; the ladder it would restage
  // (priority 60) is stopped, so no money comes with it.
  EXPECT_THAT(Ids(d), ElementsAre("apologize", "fix_fast", "risk_review"));
  EXPECT_THAT(Effects(d), IsEmpty());
}

TEST(FinalTest, HoldThenLiftedOffersTheRungThatWasStopped) {
  auto engine = MustCompile(kPolicy);
  // 1. On hold: nothing offered, nothing to record.
  v1::Context context = Context(kNow, true);
  v1::Decision held = MustDecide(*engine, context);
  EXPECT_THAT(Ids(held), ElementsAre("risk_review"));
  EXPECT_THAT(Effects(held), IsEmpty());
  Record(held, kNow, &context);
  ASSERT_EQ(context.history_size(), 0);

  // 2. The hold is lifted an hour later: the ladder starts at rung 1 (a
  //    stopped rung was never offered), with its money.
  context.mutable_attributes()->erase("fraud_hold");
  context.mutable_now()->set_seconds(kNow + kHour);
  v1::Decision lifted = MustDecide(*engine, context);
  EXPECT_THAT(Ids(lifted),
              ElementsAre("apologize", "fix_fast", "credit", "reply"));
  EXPECT_THAT(Effects(lifted), ElementsAre("rung_offered:unhappy:0:1",
                                           "goodwill:goodwill:1000:0"));
  Record(lifted, kNow + kHour, &context);

  // 3. A day later the next rung is due.
  context.mutable_now()->set_seconds(kNow + kHour + kDay);
  v1::Decision next = MustDecide(*engine, context);
  EXPECT_THAT(Ids(next),
              ElementsAre("apologize", "fix_fast", "explain", "reply"));
  EXPECT_THAT(Effects(next), ElementsAre("rung_offered:unhappy:0:2"));
}

TEST(FinalTest, AHoldPlacedMidLadderRecordsNothingAndTheLadderResumes) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Context(kNow, false);
  Record(MustDecide(*engine, context), kNow, &context);  // rung 1
  ASSERT_EQ(context.history_size(), 2);
  (*context.mutable_attributes())["fraud_hold"].set_bool_value(true);
  context.mutable_now()->set_seconds(kNow + 2 * kDay);
  v1::Decision held = MustDecide(*engine, context);
  EXPECT_THAT(Ids(held), ElementsAre("risk_review"));
  EXPECT_THAT(Blocked(held), IsEmpty());  // no wait shown for a stopped rung
  EXPECT_THAT(Effects(held), IsEmpty());
  context.mutable_attributes()->erase("fraud_hold");
  v1::Decision lifted = MustDecide(*engine, context);
  EXPECT_THAT(Effects(lifted), ElementsAre("rung_offered:unhappy:0:2"));
}

TEST(FinalTest, TheCaseStillCountsAsAStrikeButTheLimitsOutcomeIsStopped) {
  std::string policy(kPolicy);
  policy.replace(policy.find("limit: 2"), 8,
                 "limit: 2 current_is_strike: \"case.category == 'waste'\"");
  auto engine = MustCompile(policy);
  std::string one = absl::StrCat(
      "history { kind: \"time_wasting\" at { seconds: ", kNow - kDay, " } }");
  v1::Context context = Context(kNow, true, one, /*our_fault=*/false);
  context.mutable_case_()->set_category("waste");
  v1::Decision held = MustDecide(*engine, context);
  // The strike says what the case was, not what was offered: recorded.
  EXPECT_THAT(Ids(held), ElementsAre("risk_review"));
  EXPECT_THAT(Effects(held), ElementsAre("strike:ts:0:2"));
  context.mutable_attributes()->erase("fraud_hold");
  v1::Decision lifted = MustDecide(*engine, context);
  EXPECT_THAT(Ids(lifted), ElementsAre("decline_politely", "credit", "reply"));
}

TEST(FinalTest, TheTraceStillShowsTheFinalRule) {
  auto engine = MustCompile(kPolicy);
  DecideOptions options;
  options.trace = true;
  absl::StatusOr<v1::Decision> d = engine->Decide(Context(kNow, true), options);
  ASSERT_THAT(d, testing::IsOk());
  EXPECT_THAT(Ids(*d), ElementsAre("risk_review"));
  EXPECT_THAT(Effects(*d), IsEmpty());
}

// --- Vetoes cover constructs -------------------------------------------------

TEST(VetoTest, ARuleVetoBlocksALadderRungAndRecordsNothing) {
  std::string policy = absl::StrCat(kPolicy, R"pb(
    rules { id: "no-money" when: "customer.id == 'c1'" veto: "credit" })pb");
  auto engine = MustCompile(policy);
  v1::Decision d = MustDecide(*engine, Context(kNow, false));
  EXPECT_THAT(Ids(d), ElementsAre("apologize", "fix_fast", "reply"));
  EXPECT_THAT(Blocked(d), ElementsAre("credit:vetoed"));
  EXPECT_THAT(Effects(d), IsEmpty());
}

TEST(VetoTest, ARuleVetoBlocksABudgetAlternative) {
  std::string policy = absl::StrCat(kPolicy, R"pb(
    rules { id: "no-notes" when: "customer.id == 'c1'" veto: "note" })pb");
  auto engine = MustCompile(policy);
  // The budget is spent: the credit is blocked and its alternative, the
  // note, meets the veto.
  v1::Decision d = MustDecide(
      *engine,
      Context(kNow, false,
              absl::StrCat("history { kind: \"goodwill\" amount: 5000 at { "
                           "seconds: ",
                           kNow - kDay, " } }")));
  EXPECT_THAT(Ids(d), ElementsAre("apologize", "fix_fast", "reply"));
  EXPECT_THAT(Blocked(d),
              ElementsAre("credit:budget_exhausted", "note:vetoed"));
  EXPECT_THAT(Effects(d), IsEmpty());
}

// --- Principle 9: conditional outcomes ---------------------------------------

TEST(WhenTest, AStruckOutCustomerWeFailedIsNotDeclined) {
  auto engine = MustCompile(kPolicy);
  std::string strikes = absl::StrCat(
      "history { kind: \"time_wasting\" at { seconds: ", kNow - kDay,
      " } } history { kind: \"time_wasting\" at { seconds: ", kNow - 2 * kDay,
      " } }");
  v1::Decision ours = MustDecide(*engine, Context(kNow, false, strikes));
  EXPECT_THAT(Ids(ours),
              ElementsAre("apologize", "fix_fast", "credit", "reply"));
  v1::Decision theirs =
      MustDecide(*engine, Context(kNow, false, strikes, /*our_fault=*/false));
  EXPECT_THAT(Ids(theirs), ElementsAre("decline_politely", "credit", "reply"));
}

constexpr absl::string_view kWhen = R"pb(
  actions { id: "a" }
  actions { id: "b" }
  actions { id: "c" }
  actions { id: "fix" }
  actions { id: "sorry" }
  rules {
    id: "r"
    recommend { action: "a" when: "case.severity == 'high'" }
    recommend { action: "b" }
  }
  ladders {
    id: "l"
    rungs { action { action: "c" when: "case.sentiment < 0.0" } }
  }
  playbooks {
    id: "p"
    when: "case.our_fault"
    apology: "sorry"
    fix { action: "fix" when: "case.channel != 'social'" }
  }
)pb";

v1::Context WhenContext(absl::string_view kase) {
  v1::Context context;
  std::string text = absl::StrCat("now { seconds: ", kNow,
                                  " } customer { id: \"c1\" } case { id: "
                                  "\"k1\" ",
                                  kase, " }");
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context));
  return context;
}

TEST(WhenTest, ARuleRecommendationHoldsOnlyWhenItsConditionDoes) {
  auto engine = MustCompile(kWhen);
  EXPECT_THAT(Ids(MustDecide(*engine, WhenContext("severity: 'high'"))),
              ElementsAre("a", "b"));
  EXPECT_THAT(Ids(MustDecide(*engine, WhenContext("severity: 'low'"))),
              ElementsAre("b"));
}

TEST(WhenTest, ARungWhoseConditionIsFalseIsNotOfferedNorRecorded) {
  auto engine = MustCompile(kWhen);
  v1::Decision off = MustDecide(*engine, WhenContext("sentiment: 0.5"));
  EXPECT_THAT(Ids(off), ElementsAre("b"));
  EXPECT_THAT(Effects(off), IsEmpty());
  v1::Decision on = MustDecide(*engine, WhenContext("sentiment: -0.5"));
  EXPECT_THAT(Ids(on), ElementsAre("b", "c"));
  EXPECT_THAT(Effects(on), ElementsAre("rung_offered:l:0:1"));
}

TEST(WhenTest, APlaybookStepHasItsOwnCondition) {
  auto engine = MustCompile(kWhen);
  EXPECT_THAT(
      Ids(MustDecide(*engine, WhenContext("our_fault: true channel: 'email'"))),
      ElementsAre("sorry", "fix", "b"));
  EXPECT_THAT(Ids(MustDecide(*engine,
                             WhenContext("our_fault: true channel: 'social'"))),
              ElementsAre("sorry", "b"));
}

TEST(WhenTest, AnErringConditionDoesNotProposeAndTheTraceSaysWhy) {
  auto engine = MustCompile(R"pb(
    actions { id: "a" }
    actions { id: "b" }
    attributes { name: "n" type: INT }
    rules {
      id: "r"
      recommend { action: "a" when: "attributes.n > 0" }
      recommend { action: "b" }
    })pb");
  DecideOptions trace;
  trace.trace = true;
  // No attribute n: `a` is not proposed, the rest of the rule stands, and
  // the rule's trace names the condition, as for a parameter that errs.
  v1::Decision erring = MustDecide(*engine, WhenContext(""), trace);
  EXPECT_THAT(Ids(erring), ElementsAre("b"));
  ASSERT_EQ(erring.trace_size(), 1);
  EXPECT_TRUE(erring.trace(0).fired());
  EXPECT_THAT(erring.trace(0).error(),
              HasSubstr("when of a: attributes.n > 0"));
  // Merely false: not proposed, and nothing to report.
  v1::Context negative = WhenContext("");
  (*negative.mutable_attributes())["n"].set_int_value(-1);
  v1::Decision false_when = MustDecide(*engine, negative, trace);
  EXPECT_THAT(Ids(false_when), ElementsAre("b"));
  ASSERT_EQ(false_when.trace_size(), 1);
  EXPECT_TRUE(false_when.trace(0).fired());
  EXPECT_EQ(false_when.trace(0).error(), "");
}

// The policies below assert line:column positions: keep them as written.
// clang-format off
TEST(WhenTest, ConditionsAreCheckedAtLoadWithTheirPlace) {
  EXPECT_THAT(LoadErrors(R"pb(actions { id: "a" }
rules { id: "r" recommend { action: "a" when: "case.severty == 'x'" } })pb"),
              Contains(AllOf(HasSubstr("p.textproto:2:53:"),
                             HasSubstr("rule \"r\""), HasSubstr("severty"))));
  EXPECT_THAT(LoadErrors(R"pb(actions { id: "a" }
strike_limits { id: "s" counts: "true" window: "90d" limit: 2
  at_limit { action: "a" when: "case.sentiment" } })pb"),
              Contains(AllOf(HasSubstr("p.textproto:3:"),
                             HasSubstr("strike limit \"s\""))));
  EXPECT_THAT(LoadErrors(R"pb(actions { id: "a" }
ladders { id: "l" rungs { action { action: "a" when: "1 +" } } })pb"),
              Contains(AllOf(HasSubstr("p.textproto:2:"),
                             HasSubstr("ladder \"l\""))));
  EXPECT_THAT(LoadErrors(R"pb(actions { id: "a" }
actions { id: "s" }
playbooks { id: "p" when: "case.our_fault" apology: "s"
  surprise { action: "a" when: "customer.nope" } })pb"),
              Contains(AllOf(HasSubstr("p.textproto:4:"),
                             HasSubstr("playbook \"p\""))));
}
// clang-format on

}  // namespace
}  // namespace tact
