// Each construct on a minimal policy: exact semantics and boundaries.
#include <memory>
#include <set>
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
using ::tact::testing::MustCompile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// 2026-01-05T10:00:00Z, a Monday.
constexpr int64_t kNow = 1767607200;
constexpr int64_t kDay = 86400;

v1::Context Context(absl::string_view extra) {
  v1::Context context;
  std::string text = absl::StrCat("now { seconds: ", kNow, " } ", extra);
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

std::string Event(absl::string_view kind, int64_t at,
                  absl::string_view rest = "") {
  return absl::StrCat("history { kind: \"", kind, "\" at { seconds: ", at,
                      " } ", rest, " } ");
}

v1::Decision MustDecide(const Engine& engine, const v1::Context& context,
                        const DecideOptions& options = {}) {
  absl::StatusOr<v1::Decision> d = engine.Decide(context, options);
  EXPECT_THAT(d, testing::IsOk());
  return d.ok() ? *d : v1::Decision();
}

std::vector<std::string> Ids(
    const google::protobuf::RepeatedPtrField<v1::RecommendedAction>& actions) {
  std::vector<std::string> ids;
  for (const auto& a : actions) ids.push_back(a.action());
  return ids;
}

bool d_actions_empty(const v1::Decision& d) { return d.actions().empty(); }

int64_t Param(const v1::RecommendedAction& a, absl::string_view name) {
  for (const auto& p : a.params()) {
    if (p.name() == name) return p.value().int_value();
  }
  return -1;
}

// --- Escalation ladders -----------------------------------------------------

constexpr absl::string_view kLadder = R"pb(
  actions { id: "explain" }
  actions { id: "small_credit" }
  actions { id: "replacement" }
  actions { id: "supervisor" }
  ladders {
    id: "unhappy"
    when: "case.sentiment < 0.0"
    rungs { action { action: "explain" } }
    rungs {
      action { action: "small_credit" }
      min_wait: "24h"
    }
    rungs {
      action { action: "replacement" }
      min_wait: "24h"
      entry: "case.severity == 'critical'"
    }
    exhausted { action: "supervisor" }
  }
)pb";

std::string Case(absl::string_view extra = "") {
  return absl::StrCat("case { id: \"k1\" sentiment: -0.5 opened_at { seconds: ",
                      kNow - 10 * kDay, " } ", extra, " } ");
}

std::string Rung(int step, int64_t at, absl::string_view case_id = "k1") {
  return Event("rung_offered", at,
               absl::StrCat("ref: \"unhappy\" step: ", step, " case_id: \"",
                            case_id, "\""));
}

TEST(LadderTest, StartsAtTheFirstRungWithItsEffect) {
  auto engine = MustCompile(kLadder);
  v1::Decision d = MustDecide(*engine, Context(Case()));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("explain"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:0:1"));
}

TEST(LadderTest, OffersOnlyTheNextRung) {
  auto engine = MustCompile(kLadder);
  v1::Decision d =
      MustDecide(*engine, Context(Case() + Rung(1, kNow - 2 * kDay)));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("small_credit"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:0:2"));
}

TEST(LadderTest, RungsOfOtherCasesDoNotCount) {
  auto engine = MustCompile(kLadder);
  v1::Decision d =
      MustDecide(*engine, Context(Case() + Rung(2, kNow - 2 * kDay, "other")));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("explain"));
}

TEST(LadderTest, WaitsUntilTheMinimumTimeHasPassed) {
  auto engine = MustCompile(kLadder);
  // One second short of 24 h since rung 1.
  v1::Decision early =
      MustDecide(*engine, Context(Case() + Rung(1, kNow - kDay + 1)));
  EXPECT_THAT(d_actions_empty(early), true);
  EXPECT_THAT(Blocked(early), ElementsAre("small_credit:wait"));
  EXPECT_THAT(early.blocked(0).blocked_by().text(),
              HasSubstr("not due yet: it waits 1 day after the previous rung"));
  EXPECT_THAT(Effects(early), IsEmpty());
  // Exactly 24 h: due.
  v1::Decision due =
      MustDecide(*engine, Context(Case() + Rung(1, kNow - kDay)));
  EXPECT_THAT(Ids(due.actions()), ElementsAre("small_credit"));
}

TEST(LadderTest, EntryConditionJumpsAboveRungOne) {
  auto engine = MustCompile(kLadder);
  // The case opened 10 days ago, so rung 3's wait since opening has passed.
  v1::Decision d = MustDecide(*engine, Context(Case("severity: \"critical\"")));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("replacement"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:0:3"));
}

TEST(LadderTest, TopRungReachedGivesTheExhaustedOutcome) {
  auto engine = MustCompile(kLadder);
  v1::Decision d = MustDecide(
      *engine, Context(Case() + Rung(1, kNow - 5 * kDay) +
                       Rung(2, kNow - 4 * kDay) + Rung(3, kNow - 3 * kDay)));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("supervisor"));
  EXPECT_THAT(Effects(d), IsEmpty());
}

TEST(LadderTest, SituationMustHold) {
  auto engine = MustCompile(kLadder);
  v1::Decision d =
      MustDecide(*engine, Context("case { id: \"k1\" sentiment: 0.5 }"));
  EXPECT_THAT(Ids(d.actions()), IsEmpty());
}

TEST(LadderTest, BusinessTimeWaitSkipsTheWeekend) {
  auto engine = MustCompile(R"pb(
    actions { id: "explain" }
    actions { id: "credit" }
    calendars {
      id: "office"
      hours { weekday: 1 start: "09:00" end: "17:00" }
      hours { weekday: 5 start: "09:00" end: "17:00" }
    }
    ladders {
      id: "unhappy"
      rungs { action { action: "explain" } }
      rungs {
        action { action: "credit" }
        min_wait: "business_hours(4)"
      }
    }
  )pb");
  // Rung 1 on Friday 2026-01-02 15:00 UTC: 2 business hours that day, 2 more
  // on Monday from 09:00, so rung 2 is due Monday 11:00. Now is Monday 10:00.
  v1::Decision d = MustDecide(
      *engine,
      Context("case { id: \"k1\" } " + Rung(1, kNow - 3 * kDay + 5 * 3600)));
  EXPECT_THAT(Blocked(d), ElementsAre("credit:wait"));
  EXPECT_THAT(d.blocked(0).blocked_by().text(),
              HasSubstr("it waits 4 business hours after the previous rung, "
                        "until 2026-01-05T11:00:00Z"));
}

// --- Strike limits
// ------------------------------------------------------------

constexpr absl::string_view kStrikes = R"pb(
  actions { id: "set_expectations" }
  actions { id: "decline_politely" }
  actions { id: "credit" }
  actions { id: "help" }
  rules {
    id: "always"
    recommend { action: "help" }
    recommend { action: "credit" }
  }
  strike_limits {
    id: "time_wasting"
    counts: "e.kind == 'time_wasting'"
    window: "90d"
    limit: 3
    current_is_strike: "case.category == 'time_wasting'"
    warning { action: "set_expectations" }
    at_limit { action: "decline_politely" }
    suppress: "credit"
  }
)pb";

std::string Strike(int64_t at) { return Event("time_wasting", at); }

TEST(StrikeLimitTest, BelowTheWarningNothingHappens) {
  auto engine = MustCompile(kStrikes);
  v1::Decision d = MustDecide(*engine, Context(Strike(kNow - kDay)));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("credit", "help"));
}

TEST(StrikeLimitTest, WarnsAtLimitMinusOne) {
  auto engine = MustCompile(kStrikes);
  v1::Decision d = MustDecide(
      *engine, Context(Strike(kNow - kDay) + Strike(kNow - 2 * kDay)));
  EXPECT_THAT(Ids(d.actions()),
              ElementsAre("credit", "help", "set_expectations"));
  EXPECT_EQ(d.actions(2).reasons(0).text(),
            "2 of 3 strikes in 90 days: set expectations now, the next one "
            "reaches the limit.");
}

TEST(StrikeLimitTest, AtTheLimitDeclinesAndSuppresses) {
  auto engine = MustCompile(kStrikes);
  v1::Decision d = MustDecide(
      *engine, Context(Strike(kNow - kDay) + Strike(kNow - 2 * kDay) +
                       Strike(kNow - 3 * kDay)));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("decline_politely", "help"));
  EXPECT_THAT(Blocked(d), ElementsAre("credit:strike_limit"));
  EXPECT_EQ(d.blocked(0).blocked_by().text(),
            "Held back: the customer has 3 strikes in 90 days, at or over the "
            "limit of 3.");
}

TEST(StrikeLimitTest, EventExactlyAtTheWindowEdgeCounts) {
  auto engine = MustCompile(kStrikes);
  v1::Decision at_edge = MustDecide(
      *engine, Context(Strike(kNow - kDay) + Strike(kNow - 2 * kDay) +
                       Strike(kNow - 90 * kDay)));
  EXPECT_THAT(Blocked(at_edge), ElementsAre("credit:strike_limit"));
  v1::Decision past_edge = MustDecide(
      *engine, Context(Strike(kNow - kDay) + Strike(kNow - 2 * kDay) +
                       Strike(kNow - 90 * kDay - 1)));
  EXPECT_THAT(Blocked(past_edge), IsEmpty());
}

TEST(StrikeLimitTest, FutureEventsDoNotCount) {
  auto engine = MustCompile(kStrikes);
  v1::Decision d =
      MustDecide(*engine, Context(Strike(kNow - kDay) +
                                  Strike(kNow - 2 * kDay) + Strike(kNow + 1)));
  EXPECT_THAT(Blocked(d), IsEmpty());
}

TEST(StrikeLimitTest, CurrentCaseCountsAndIsRecorded) {
  auto engine = MustCompile(kStrikes);
  v1::Decision d = MustDecide(
      *engine, Context("case { category: \"time_wasting\" } " +
                       Strike(kNow - kDay) + Strike(kNow - 2 * kDay)));
  EXPECT_THAT(Blocked(d), ElementsAre("credit:strike_limit"));
  EXPECT_THAT(Effects(d), ElementsAre("strike:time_wasting:0:3"));
}

// --- Goodwill budgets
// ---------------------------------------------------------

constexpr absl::string_view kBudget = R"pb(
  currency: "USD"
  actions {
    id: "credit"
    amount_param: "amount"
    min_amount: 500
    alternative: "note"
    template: "Credit {amount:money}"
  }
  actions {
    id: "voucher"
    amount_param: "amount"
    template: "Voucher {amount:money}"
  }
  actions { id: "note" }
  budgets {
    id: "goodwill"
    window: "30d"
    per_window: "min(5000, customer.spend_12m / 10)"
    per_case: "3000"
  }
  rules {
    id: "give"
    priority: 2
    recommend {
      action: "credit"
      params { key: "amount" value: "2000" }
    }
  }
  rules {
    id: "more"
    priority: 1
    recommend {
      action: "voucher"
      params { key: "amount" value: "1500" }
    }
  }
)pb";

std::string Granted(int64_t amount, int64_t at,
                    absl::string_view case_id = "old") {
  return Event("goodwill", at,
               absl::StrCat("amount: ", amount, " case_id: \"", case_id, "\""));
}

constexpr absl::string_view kSpender =
    "customer { spend_12m: 100000 } case { id: \"k1\" } ";

TEST(BudgetTest, AmountsWithinTheBudgetPassAndAreRecorded) {
  auto engine = MustCompile(kBudget);
  v1::Decision d = MustDecide(*engine, Context(kSpender));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("credit", "voucher"));
  EXPECT_EQ(Param(d.actions(0), "amount"), 2000);
  // The per-case cap (3000) leaves 1000 for the voucher.
  EXPECT_EQ(Param(d.actions(1), "amount"), 1000);
  EXPECT_EQ(d.actions(1).text(), "Voucher 10.00 USD");
  EXPECT_THAT(d.actions(1).reasons(1).text(),
              HasSubstr("Reduced from 15.00 USD to 10.00 USD"));
  EXPECT_THAT(Effects(d), ElementsAre("goodwill:goodwill:2000:0",
                                      "goodwill:goodwill:1000:0"));
}

TEST(BudgetTest, AlreadyGrantedGoodwillCountsInTheWindowOnly) {
  auto engine = MustCompile(kBudget);
  // 4000 granted 10 days ago leaves 1000 of the 5000 window cap; 4000
  // granted 31 days ago is outside the window.
  v1::Decision d = MustDecide(
      *engine, Context(std::string(kSpender) + Granted(4000, kNow - 10 * kDay) +
                       Granted(4000, kNow - 31 * kDay)));
  EXPECT_EQ(Param(d.actions(0), "amount"), 1000);
  EXPECT_THAT(Blocked(d), ElementsAre("voucher:budget_exhausted"));
}

TEST(BudgetTest, ExactlyUsedUpBlocksAndOffersTheAlternative) {
  auto engine = MustCompile(kBudget);
  v1::Decision d = MustDecide(
      *engine, Context(std::string(kSpender) + Granted(5000, kNow - kDay)));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("note"));
  EXPECT_THAT(Blocked(d), ElementsAre("credit:budget_exhausted",
                                      "voucher:budget_exhausted"));
  EXPECT_THAT(d.blocked(0).blocked_by().text(), HasSubstr("0.00 USD left"));
  EXPECT_THAT(d.actions(0).reasons(0).text(),
              HasSubstr("Offered instead of \"credit\""));
}

TEST(BudgetTest, BelowTheMinimumMeaningfulAmountIsBlocked) {
  auto engine = MustCompile(kBudget);
  // 499 left: below credit's 500 minimum.
  v1::Decision d = MustDecide(
      *engine, Context(std::string(kSpender) + Granted(4501, kNow - kDay)));
  EXPECT_THAT(Blocked(d), ElementsAre("credit:budget_exhausted"));
  EXPECT_THAT(d.blocked(0).blocked_by().text(),
              HasSubstr("below the 5.00 USD"));
  // The voucher has no minimum and takes what is left.
  ASSERT_THAT(Ids(d.actions()), ElementsAre("note", "voucher"));
  EXPECT_EQ(Param(d.actions(1), "amount"), 499);
}

TEST(BudgetTest, PerCaseCapCountsThisCasesGrantsAtAnyTime) {
  auto engine = MustCompile(kBudget);
  v1::Decision d = MustDecide(
      *engine,
      Context(std::string(kSpender) + Granted(2500, kNow - 60 * kDay, "k1")));
  EXPECT_EQ(Param(d.actions(0), "amount"), 500);
}

TEST(BudgetTest, WindowInDaysAndHoursIsThatManyHours) {
  std::string days(kBudget), hours(kBudget);
  days.replace(days.find("window: \"30d\""), 13, "window: \"1d12h\"");
  hours.replace(hours.find("window: \"30d\""), 13, "window: \"36h\"");
  auto in_days = MustCompile(days);
  auto in_hours = MustCompile(hours);
  // 4000 granted within the last 36 hours leaves 1000; before, all 2000.
  EXPECT_EQ(Param(MustDecide(*in_days, Context(std::string(kSpender) +
                                               Granted(4000, kNow - 35 * 3600)))
                      .actions(0),
                  "amount"),
            1000);
  EXPECT_EQ(Param(MustDecide(*in_days, Context(std::string(kSpender) +
                                               Granted(4000, kNow - 37 * 3600)))
                      .actions(0),
                  "amount"),
            2000);
  // At and around the edge, exactly as "36h".
  for (int64_t at :
       {kNow - 36 * 3600 - 1, kNow - 36 * 3600, kNow - 36 * 3600 + 1}) {
    v1::Context context = Context(std::string(kSpender) + Granted(4000, at));
    EXPECT_EQ(Param(MustDecide(*in_days, context).actions(0), "amount"),
              Param(MustDecide(*in_hours, context).actions(0), "amount"))
        << at;
  }
}

TEST(BudgetTest, CalendarPeriodStartsAtTheMonth) {
  std::string policy(kBudget);
  policy.replace(policy.find("window: \"30d\""), 13, "period: CALENDAR_MONTH");
  auto engine = MustCompile(policy);
  // 2025-12-31 is last month: it does not count; 2026-01-01 does.
  v1::Decision last_month = MustDecide(
      *engine, Context(std::string(kSpender) + Granted(5000, 1767225599)));
  EXPECT_EQ(Param(last_month.actions(0), "amount"), 2000);
  v1::Decision this_month = MustDecide(
      *engine, Context(std::string(kSpender) + Granted(5000, 1767225600)));
  EXPECT_THAT(Ids(this_month.actions()), ElementsAre("note"));
}

TEST(BudgetTest, AlternativeReplacingARungStillAdvancesTheLadder) {
  auto engine = MustCompile(R"pb(
    currency: "USD"
    actions { id: "explain" }
    actions { id: "credit" amount_param: "amount" alternative: "note" }
    actions { id: "note" }
    budgets { id: "goodwill" window: "30d" per_window: "1000" }
    ladders {
      id: "unhappy"
      rungs { action { action: "explain" } }
      rungs {
        action {
          action: "credit"
          params { key: "amount" value: "500" }
        }
      }
    }
  )pb");
  v1::Decision d = MustDecide(
      *engine, Context("case { id: \"k1\" } " + Granted(1000, kNow - kDay) +
                       Rung(1, kNow - kDay)));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("note"));
  EXPECT_THAT(Effects(d), ElementsAre("rung_offered:unhappy:0:2"));
}

// The budget offers an alternative like any candidate: the holds and the
// entitlements see it too (issue 6).
constexpr absl::string_view kExhaustedCredit = R"pb(
  currency: "USD"
  actions {
    id: "credit"
    amount_param: "amount"
    min_amount: 500
    alternative: "note"
  }
  actions { id: "note" requires: "notes" }
  budgets { id: "goodwill" window: "30d" per_window: "0" }
  rules {
    id: "give"
    recommend {
      action: "credit"
      params { key: "amount" value: "2000" }
    }
  }
)pb";

TEST(BudgetTest, VetoedAlternativeIsNotOfferedEvenIfNobodyWantedIt) {
  auto engine = MustCompile(absl::StrCat(kExhaustedCredit, R"pb(
    rules { id: "no_notes" veto: "note" reason: "Notes are paused." }
  )pb"));
  v1::Decision d = MustDecide(*engine, Context("case { id: \"k1\" }"));
  EXPECT_THAT(Ids(d.actions()), IsEmpty());
  EXPECT_THAT(Blocked(d),
              ElementsAre("credit:budget_exhausted", "note:vetoed"));
  ASSERT_EQ(d.blocked_size(), 2);
  EXPECT_EQ(d.blocked(1).blocked_by().source_id(), "no_notes");
  EXPECT_EQ(d.blocked(1).blocked_by().text(), "Notes are paused.");
  ASSERT_EQ(d.blocked(1).wanted_by_size(), 1);
  EXPECT_EQ(d.blocked(1).wanted_by(0).source_kind(), "budget");
  EXPECT_THAT(d.blocked(1).wanted_by(0).text(),
              HasSubstr("Offered instead of \"credit\""));
  EXPECT_THAT(Effects(d), IsEmpty());
}

TEST(BudgetTest, AlternativeBlockedAlreadyIsNotOfferedAgain) {
  auto engine = MustCompile(absl::StrCat(kExhaustedCredit, R"pb(
    rules {
      id: "want_note"
      recommend { action: "note" }
    }
    rules { id: "no_notes" veto: "note" }
  )pb"));
  v1::Decision d = MustDecide(*engine, Context("case { id: \"k1\" }"));
  EXPECT_THAT(Ids(d.actions()), IsEmpty());
  EXPECT_THAT(Blocked(d),
              ElementsAre("credit:budget_exhausted", "note:vetoed"));
  ASSERT_EQ(d.blocked_size(), 2);
  ASSERT_EQ(d.blocked(1).wanted_by_size(), 1);
  EXPECT_EQ(d.blocked(1).wanted_by(0).source_id(), "want_note");
}

TEST(BudgetTest, AlternativeBeyondTheContractIsSuppressed) {
  auto engine = MustCompile(absl::StrCat(kExhaustedCredit, R"pb(
    entitlements { tier: "standard" includes: "email" }
    entitlements { tier: "premium" includes: "email" includes: "notes" }
    beyond_contract { mode: SUPPRESS }
  )pb"));
  v1::Decision d = MustDecide(
      *engine, Context("customer { tier: \"standard\" } case { id: \"k1\" }"));
  EXPECT_THAT(Ids(d.actions()), IsEmpty());
  EXPECT_THAT(Blocked(d),
              ElementsAre("credit:budget_exhausted", "note:beyond_contract"));
  ASSERT_EQ(d.blocked_size(), 2);
  EXPECT_EQ(d.blocked(1).blocked_by().source_kind(), "entitlement");
  ASSERT_EQ(d.blocked(1).wanted_by_size(), 1);
  EXPECT_EQ(d.blocked(1).wanted_by(0).source_kind(), "budget");
}

TEST(BudgetTest, AlternativeBeyondTheContractIsMarkedWhenWarning) {
  auto engine = MustCompile(absl::StrCat(kExhaustedCredit, R"pb(
    entitlements { tier: "standard" includes: "email" }
    entitlements { tier: "premium" includes: "email" includes: "notes" }
  )pb"));
  v1::Decision d = MustDecide(
      *engine, Context("customer { tier: \"standard\" } case { id: \"k1\" }"));
  ASSERT_THAT(Ids(d.actions()), ElementsAre("note"));
  EXPECT_TRUE(d.actions(0).beyond_contract());
  ASSERT_EQ(d.actions(0).reasons_size(), 2);
  EXPECT_EQ(d.actions(0).reasons(0).source_kind(), "budget");
  EXPECT_EQ(d.actions(0).reasons(1).source_kind(), "entitlement");
  // Within the contract it is offered as before.
  v1::Decision premium = MustDecide(
      *engine, Context("customer { tier: \"premium\" } case { id: \"k1\" }"));
  ASSERT_THAT(Ids(premium.actions()), ElementsAre("note"));
  EXPECT_FALSE(premium.actions(0).beyond_contract());
}

TEST(BudgetTest, ComputedAmountsBecomeWholeMinorUnits) {
  auto engine = MustCompile(R"pb(
    actions { id: "credit" amount_param: "amount" }
    rules {
      id: "r"
      recommend {
        action: "credit"
        params { key: "amount" value: "customer.spend_12m * 0.0333" }
      }
    }
  )pb");
  v1::Decision d = MustDecide(*engine, Context("customer { spend_12m: 1000 }"));
  ASSERT_EQ(d.actions_size(), 1);
  ASSERT_EQ(d.actions(0).params(0).value().kind_case(), v1::Value::kIntValue);
  EXPECT_EQ(d.actions(0).params(0).value().int_value(),
            33);  // 33.3 rounds down
}

// --- Recovery playbooks
// -------------------------------------------------------

constexpr absl::string_view kPlaybook = R"pb(
  currency: "USD"
  actions { id: "apologize" }
  actions { id: "fix" }
  actions { id: "flowers" }
  actions { id: "handwritten_note" }
  actions { id: "credit" amount_param: "amount" }
  actions { id: "explain_policy" }
  budgets { id: "goodwill" window: "30d" per_window: "1000" }
  rules {
    id: "policy"
    priority: 100
    weight: 50
    recommend { action: "explain_policy" }
  }
  playbooks {
    id: "recovery"
    when: "case.our_fault"
    apology: "apologize"
    fix { action: "fix" }
    surprise { action: "flowers" }
    surprise { action: "handwritten_note" }
    compensation {
      action: "credit"
      params { key: "amount" value: "2500" }
    }
  }
)pb";

std::string Failure(int64_t incident, absl::string_view customer = "c1") {
  return absl::StrCat("customer { id: \"", customer,
                      "\" } case { id: \"k1\" our_fault: true ",
                      "incident_at { seconds: ", incident, " } } ");
}

TEST(PlaybookTest, StagesRankBeforeEverythingElseWhateverTheScores) {
  auto engine = MustCompile(kPlaybook);
  v1::Decision d = MustDecide(*engine, Context(Failure(kNow - 3600)));
  ASSERT_EQ(d.actions_size(), 5);
  EXPECT_EQ(d.actions(0).action(), "apologize");
  EXPECT_EQ(d.actions(1).action(), "fix");
  EXPECT_THAT(d.actions(2).action(),
              ::testing::AnyOf("flowers", "handwritten_note"));
  EXPECT_EQ(d.actions(3).action(), "credit");
  EXPECT_EQ(Param(d.actions(3), "amount"), 1000);  // through the budget
  EXPECT_EQ(d.actions(4).action(), "explain_policy");
  EXPECT_THAT(d.flags(), IsEmpty());
}

TEST(PlaybookTest, FixDeadlineBoundary) {
  auto engine = MustCompile(kPlaybook);
  v1::Decision on_time = MustDecide(*engine, Context(Failure(kNow - kDay)));
  EXPECT_THAT(on_time.flags(), IsEmpty());
  EXPECT_EQ(on_time.actions(1).reasons(0).text(),
            "Fix it fast: within 1 day of the incident, by "
            "2026-01-05T10:00:00Z.");
  v1::Decision late = MustDecide(*engine, Context(Failure(kNow - kDay - 1)));
  ASSERT_EQ(late.flags_size(), 1);
  EXPECT_EQ(late.flags(0).code(), "recovery_window_missed");
  EXPECT_EQ(late.flags(0).source().text(),
            "The fix was due by 2026-01-05T09:59:59Z (1 day after the "
            "incident) and that time has passed.");
  EXPECT_EQ(late.actions(0).action(), "apologize");
}

TEST(PlaybookTest, FixWithinInDaysAndFractionsIsThatManyHours) {
  std::string policy(kPlaybook);
  const std::string apology = "apology: \"apologize\"";
  policy.insert(policy.find(apology) + apology.size(), " fix_within: \"1.5d\"");
  auto engine = MustCompile(policy);
  v1::Decision on_time =
      MustDecide(*engine, Context(Failure(kNow - 36 * 3600)));
  EXPECT_THAT(on_time.flags(), IsEmpty());
  v1::Decision late =
      MustDecide(*engine, Context(Failure(kNow - 36 * 3600 - 1)));
  ASSERT_EQ(late.flags_size(), 1);
  EXPECT_EQ(late.flags(0).code(), "recovery_window_missed");
  EXPECT_THAT(late.actions(1).reasons(0).text(),
              HasSubstr("Fix it now: the 36 hours recovery window closed"));
}

TEST(PlaybookTest, SurpriseIsStablePerCustomerAndVariesAcrossCustomers) {
  auto engine = MustCompile(kPlaybook);
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    std::string customer = absl::StrCat("customer-", i);
    std::string first = MustDecide(*engine, Context(Failure(kNow, customer)))
                            .actions(2)
                            .action();
    std::string again = MustDecide(*engine, Context(Failure(kNow, customer)))
                            .actions(2)
                            .action();
    EXPECT_EQ(first, again);
    seen.insert(first);
  }
  EXPECT_EQ(seen.size(), 2u);
}

TEST(PlaybookTest, DoesNotApplyWithoutAServiceFailure) {
  auto engine = MustCompile(kPlaybook);
  v1::Decision d = MustDecide(*engine, Context("case { our_fault: false }"));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("explain_policy"));
}

// --- Entitlements and authority
// -----------------------------------------------

constexpr absl::string_view kContract = R"pb(
  currency: "USD"
  authorities: "bot"
  authorities: "agent"
  authorities: "supervisor"
  actions { id: "email_reply" requires: "email" }
  actions { id: "phone_call" requires: "phone" }
  actions { id: "refund" authority: "agent" }
  actions {
    id: "credit"
    amount_param: "amount"
    limits { authority: "bot" max_amount: 1000 }
    limits { authority: "agent" max_amount: 5000 }
  }
  entitlements { tier: "standard" includes: "email" }
  entitlements { tier: "premium" includes: "email" includes: "phone" }
  rules {
    id: "r"
    recommend { action: "email_reply" }
    recommend { action: "phone_call" }
  }
)pb";

TEST(EntitlementTest, WarnTagsActionsBeyondTheContract) {
  auto engine = MustCompile(kContract);
  v1::Decision d =
      MustDecide(*engine, Context("customer { tier: \"standard\" }"));
  ASSERT_THAT(Ids(d.actions()), ElementsAre("email_reply", "phone_call"));
  EXPECT_FALSE(d.actions(0).beyond_contract());
  EXPECT_TRUE(d.actions(1).beyond_contract());
  EXPECT_THAT(d.actions(1).reasons(1).text(),
              HasSubstr("does not include phone"));
  v1::Decision premium =
      MustDecide(*engine, Context("customer { tier: \"premium\" }"));
  EXPECT_FALSE(premium.actions(1).beyond_contract());
}

TEST(EntitlementTest, SuppressHoldsThemBack) {
  auto engine = MustCompile(std::string(kContract) +
                            "beyond_contract { mode: SUPPRESS }");
  v1::Decision d =
      MustDecide(*engine, Context("customer { tier: \"standard\" }"));
  EXPECT_THAT(Ids(d.actions()), ElementsAre("email_reply"));
  EXPECT_THAT(Blocked(d), ElementsAre("phone_call:beyond_contract"));
}

TEST(AuthorityTest, ActionsAboveTheCallerNeedApproval) {
  auto engine = MustCompile(std::string(kContract) + R"pb(
    rules {
      id: "money"
      recommend { action: "refund" }
      recommend {
        action: "credit"
        params { key: "amount" value: "2500" }
      }
    })pb");
  DecideOptions bot;
  bot.authority = "bot";
  v1::Decision d =
      MustDecide(*engine, Context("customer { tier: \"premium\" }"), bot);
  EXPECT_THAT(Ids(d.actions()), ElementsAre("email_reply", "phone_call"));
  ASSERT_THAT(Ids(d.needs_approval()), ElementsAre("credit", "refund"));
  EXPECT_EQ(d.needs_approval(0).required_authority(), "agent");
  EXPECT_THAT(d.needs_approval(0).reasons().rbegin()->text(),
              HasSubstr("25.00 USD is above what a bot may grant alone"));
  EXPECT_EQ(d.needs_approval(1).required_authority(), "agent");
  DecideOptions agent;
  agent.authority = "agent";
  v1::Decision as_agent =
      MustDecide(*engine, Context("customer { tier: \"premium\" }"), agent);
  EXPECT_THAT(as_agent.needs_approval(), IsEmpty());
  EXPECT_EQ(as_agent.actions_size(), 4);
}

TEST(AuthorityTest, AmountBeyondEveryLimitNeedsTheTopAuthority) {
  auto engine = MustCompile(std::string(kContract) + R"pb(
    rules {
      id: "money"
      recommend {
        action: "credit"
        params { key: "amount" value: "9000" }
      }
    })pb");
  DecideOptions agent;
  agent.authority = "agent";
  v1::Decision d = MustDecide(*engine, Context(""), agent);
  ASSERT_EQ(d.needs_approval_size(), 1);
  EXPECT_EQ(d.needs_approval(0).required_authority(), "supervisor");
}

TEST(AuthorityTest, UnknownCallerAuthorityIsRejected) {
  auto engine = MustCompile(kContract);
  DecideOptions options;
  options.authority = "intern";
  EXPECT_THAT(engine->Decide(Context(""), options),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("intern")));
}

}  // namespace
}  // namespace tact
