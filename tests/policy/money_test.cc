// Money is never nonsense (issue 13, principle 7): an amount of zero or
// less is held, authority limits never decrease with authority, and a
// budget's reasons name the cap that bound, across decisions of one case.
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
using ::tact::testing::Ids;
using ::tact::testing::MustCompile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// 2026-01-05T10:00:00Z, a Monday.
constexpr int64_t kNow = 1767607200;
constexpr int64_t kDay = 86400;

std::vector<std::string> Errors(absl::string_view text) {
  CompileResult r =
      Engine::CompileText(text, PolicyFormat::kText, "p.textproto");
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) out.push_back(d.ToString());
  }
  return out;
}

v1::Context Context(absl::string_view extra, int64_t now = kNow) {
  v1::Context context;
  std::string text = absl::StrCat("now { seconds: ", now, " } ", extra);
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

v1::Decision MustDecide(const Engine& engine, const v1::Context& context,
                        const DecideOptions& options = {}) {
  absl::StatusOr<v1::Decision> d = engine.Decide(context, options);
  EXPECT_THAT(d, testing::IsOk());
  return d.ok() ? *d : v1::Decision();
}

std::vector<std::string> Effects(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& e : d.effects()) {
    out.push_back(absl::StrCat(e.kind(), ":", e.ref(), ":", e.amount()));
  }
  return out;
}

int64_t Param(const v1::RecommendedAction& a, absl::string_view name) {
  for (const auto& p : a.params()) {
    if (p.name() == name) return p.value().int_value();
  }
  return -1;
}

// --- Amounts of zero or less ------------------------------------------------

// clang-format off
std::string RefundPolicy(absl::string_view amount,
                         absl::string_view more = "") {
  return absl::StrCat(R"pb(
    currency: "USD"
    actions {
      id: "refund"
      template: "Refund {amount:money}"
      amount_param: "amount"
      alternative: "note"
    }
    actions { id: "note" }
    rules {
      id: "owed"
      recommend {
        action: "refund"
        params { key: "amount" value: ")pb", amount, R"pb(" }
      }
    }
  )pb", more);
}
// clang-format on

std::string Spender(int64_t spend) {
  return absl::StrCat("customer { id: \"c\" spend_12m: ", spend,
                      " } case { id: \"k1\" } ");
}

TEST(NonPositiveAmountTest, ANegativeAmountIsHeldNamingTheExpression) {
  auto engine = MustCompile(RefundPolicy("customer.spend_12m - 5000"));
  v1::Decision d = MustDecide(*engine, Context(Spender(3800)));
  EXPECT_THAT(Ids(d), IsEmpty());  // and no alternative instead
  EXPECT_THAT(Blocked(d), ElementsAre("refund:non_positive_amount"));
  const v1::Reason& why = d.blocked(0).blocked_by();
  EXPECT_EQ(why.source_kind(), "rule");
  EXPECT_EQ(why.source_id(), "owed");
  EXPECT_THAT(why.text(), AllOf(HasSubstr("amount = customer.spend_12m - 5000"),
                                HasSubstr("evaluates to -12.00 USD"),
                                HasSubstr("zero or less is not offered")));
  ASSERT_EQ(d.blocked(0).wanted_by_size(), 1);
  EXPECT_EQ(d.blocked(0).wanted_by(0).source_id(), "owed");
  EXPECT_THAT(Effects(d), IsEmpty());
}

TEST(NonPositiveAmountTest, ZeroIsHeldAndOneMinorUnitIsOffered) {
  auto engine = MustCompile(RefundPolicy("customer.spend_12m - 5000"));
  v1::Decision zero = MustDecide(*engine, Context(Spender(5000)));
  EXPECT_THAT(Blocked(zero), ElementsAre("refund:non_positive_amount"));
  EXPECT_THAT(zero.blocked(0).blocked_by().text(),
              HasSubstr("evaluates to 0.00 USD"));
  v1::Decision one = MustDecide(*engine, Context(Spender(5001)));
  ASSERT_THAT(Ids(one), ElementsAre("refund"));
  EXPECT_EQ(Param(one.actions(0), "amount"), 1);
  EXPECT_EQ(one.actions(0).text(), "Refund 0.01 USD");
  EXPECT_THAT(Blocked(one), IsEmpty());
}

TEST(NonPositiveAmountTest, LessThanAMinorUnitIsNothing) {
  auto engine = MustCompile(RefundPolicy("customer.spend_12m * 0.0001"));
  // 0.5 minor units: no whole minor unit to give.
  EXPECT_THAT(Blocked(MustDecide(*engine, Context(Spender(5000)))),
              ElementsAre("refund:non_positive_amount"));
  // 1.0 minor unit is.
  EXPECT_THAT(Ids(MustDecide(*engine, Context(Spender(10000)))),
              ElementsAre("refund"));
}

TEST(NonPositiveAmountTest, HeldBeforeTheBudgetWhichRecordsNothing) {
  auto engine = MustCompile(RefundPolicy(
      "customer.spend_12m - 5000",
      R"pb(budgets { id: "goodwill" window: "30d" per_window: "10000" })pb"));
  v1::Decision held = MustDecide(*engine, Context(Spender(4000)));
  EXPECT_THAT(Ids(held), IsEmpty());
  EXPECT_THAT(Blocked(held), ElementsAre("refund:non_positive_amount"));
  EXPECT_THAT(Effects(held), IsEmpty());
  v1::Decision given = MustDecide(*engine, Context(Spender(6000)));
  EXPECT_THAT(Ids(given), ElementsAre("refund"));
  EXPECT_THAT(Effects(given), ElementsAre("goodwill:goodwill:1000"));
}

// --- Authority limits
// ---------------------------------------------------------

// clang-format off
std::string Limits(absl::string_view limits, absl::string_view authority = "") {
  return absl::StrCat(R"pb(currency: "USD"
authorities: "bot" authorities: "agent" authorities: "supervisor"
actions { id: "refund" template: "Refund {amount:money}" amount_param: "amount" )pb",
                      authority, "\n", limits, "}\n");
}
// clang-format on

TEST(AuthorityLimitTest, InvertedLimitsAreALoadErrorNamingThem) {
  EXPECT_THAT(
      Errors(Limits("limits { authority: \"bot\" max_amount: 9000 }\n"
                    "limits { authority: \"agent\" max_amount: 5000 }\n")),
      ElementsAre(AllOf(
          HasSubstr("p.textproto:5:1"),
          HasSubstr("action \"refund\": authority limits must not decrease "
                    "with authority: \"agent\" may grant 50.00 USD alone but "
                    "\"bot\", below it, 90.00 USD"))));
}

TEST(AuthorityLimitTest, EqualAndRisingLimitsAreFine) {
  EXPECT_THAT(
      Errors(Limits("limits { authority: \"bot\" max_amount: 5000 }\n"
                    "limits { authority: \"agent\" max_amount: 5000 }\n")),
      IsEmpty());
  EXPECT_THAT(
      Errors(Limits("limits { authority: \"agent\" max_amount: 5000 }\n"
                    "limits { authority: \"bot\" max_amount: 1000 }\n"
                    "limits { authority: \"supervisor\" max_amount: 9000 }\n")),
      IsEmpty());
}

TEST(AuthorityLimitTest, AHigherLimitBelowALowerOneTwoStepsUpIsAnError) {
  // supervisor (30.00) below bot (40.00), with agent unlimited between:
  // agent is the first to exceed.
  EXPECT_THAT(
      Errors(Limits("limits { authority: \"bot\" max_amount: 4000 }\n"
                    "limits { authority: \"supervisor\" max_amount: 3000 }\n")),
      ElementsAre(HasSubstr("\"supervisor\" may grant 30.00 USD alone but "
                            "\"agent\", below it, has no limit on this "
                            "action; give \"agent\" a limit")));
}

TEST(AuthorityLimitTest, AnUnlimitedLowerAuthorityAboveTheActionsOwnIsAnError) {
  EXPECT_THAT(
      Errors(Limits("limits { authority: \"agent\" max_amount: 5000 }\n")),
      ElementsAre(HasSubstr("\"agent\" may grant 50.00 USD alone but "
                            "\"bot\", below it, has no limit")));
  // Below the action's own authority a bot may not act at all: fine.
  EXPECT_THAT(
      Errors(Limits("limits { authority: \"agent\" max_amount: 5000 }\n",
                    "authority: \"agent\"")),
      IsEmpty());
}

TEST(AuthorityLimitTest, AnAuthorityLimitedTwiceIsAnError) {
  EXPECT_THAT(
      Errors(Limits("limits { authority: \"bot\" max_amount: 1000 }\n"
                    "limits { authority: \"bot\" max_amount: 2000 }\n")),
      ElementsAre(AllOf(HasSubstr("p.textproto:5:1"),
                        HasSubstr("authority \"bot\" has two limits"))));
}

TEST(AuthorityLimitTest, EachAuthorityGrantsUpToItsOwnLimit) {
  auto engine = MustCompile(absl::StrCat(
      Limits("limits { authority: \"bot\" max_amount: 1000 }\n"
             "limits { authority: \"agent\" max_amount: 5000 }\n"
             "limits { authority: \"supervisor\" max_amount: 9000 }\n"),
      R"pb(rules {
             id: "r"
             recommend {
               action: "refund"
               params { key: "amount" value: "customer.spend_12m" }
             }
           })pb"));
  DecideOptions agent;
  agent.authority = "agent";
  // At the agent's own limit: alone.
  v1::Decision at = MustDecide(*engine, Context(Spender(5000)), agent);
  EXPECT_THAT(Ids(at), ElementsAre("refund"));
  EXPECT_EQ(at.needs_approval_size(), 0);
  // One minor unit above: a supervisor approves.
  v1::Decision above = MustDecide(*engine, Context(Spender(5001)), agent);
  ASSERT_EQ(above.needs_approval_size(), 1);
  EXPECT_EQ(above.needs_approval(0).required_authority(), "supervisor");
}

// --- Budget reasons name the cap that bound
// -----------------------------------

constexpr absl::string_view kBudget = R"pb(
  currency: "USD"
  actions {
    id: "credit"
    amount_param: "amount"
    template: "Credit {amount:money}"
    min_amount: 500
    alternative: "note"
  }
  actions {
    id: "voucher"
    amount_param: "amount"
    template: "Voucher {amount:money}"
  }
  actions { id: "note" }
  budgets { id: "goodwill" window: "30d" per_window: "5000" per_case: "3000" }
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

std::string Granted(int64_t amount, int64_t at, absl::string_view case_id) {
  return absl::StrCat("history { kind: \"goodwill\" at { seconds: ", at,
                      " } amount: ", amount, " case_id: \"", case_id, "\" } ");
}

std::string CaseOf(absl::string_view id) {
  return absl::StrCat("customer { id: \"c\" } case { id: \"", id, "\" } ");
}

// The reason of the budget on offered or blocked `action`, or "".
std::string BudgetReason(const v1::Decision& d, absl::string_view action) {
  for (const auto& b : d.blocked()) {
    if (b.action() == action) return b.blocked_by().text();
  }
  for (const auto& a : d.actions()) {
    if (a.action() != action) continue;
    for (const auto& r : a.reasons()) {
      if (r.source_kind() == "budget") return r.text();
    }
  }
  return "";
}

TEST(BudgetReasonTest, PerCaseCapBound) {
  auto engine = MustCompile(kBudget);
  // 2600 of this case's 3000 already granted; the window has 5000 - 2600.
  v1::Decision d = MustDecide(
      *engine, Context(CaseOf("k1") + Granted(2600, kNow - kDay, "k1")));
  EXPECT_THAT(Blocked(d), ElementsAre("credit:budget_exhausted"));
  // The voucher, without a minimum, takes what the case has left.
  ASSERT_THAT(Ids(d), ElementsAre("note", "voucher"));
  EXPECT_EQ(Param(d.actions(1), "amount"), 400);
  EXPECT_EQ(BudgetReason(d, "voucher"),
            "Reduced from 15.00 USD to 4.00 USD: the goodwill budget has 4.00 "
            "USD left for this case (30.00 USD per case, 26.00 USD already "
            "granted in this case).");
  EXPECT_EQ(BudgetReason(d, "credit"),
            "The goodwill budget has 4.00 USD left for this case (30.00 USD "
            "per case, 26.00 USD already granted in this case); below the "
            "5.00 USD that makes this gesture meaningful.");
}

TEST(BudgetReasonTest, PerWindowCapBound) {
  auto engine = MustCompile(kBudget);
  // 4800 granted in another case: the window (200 left) binds, not the case.
  v1::Decision d = MustDecide(
      *engine, Context(CaseOf("k1") + Granted(4800, kNow - kDay, "old")));
  EXPECT_EQ(BudgetReason(d, "credit"),
            "The goodwill budget has 2.00 USD left for this customer (50.00 "
            "USD per window, 48.00 USD already granted); below the 5.00 USD "
            "that makes this gesture meaningful.");
}

TEST(BudgetReasonTest, EarlierInThisDecisionBound) {
  auto engine = MustCompile(kBudget);
  // Nothing granted before: the credit's 2000 leaves the voucher 1000 of
  // the case's 3000, which alone would have covered its 1500.
  v1::Decision d = MustDecide(*engine, Context(CaseOf("k1")));
  ASSERT_THAT(Ids(d), ElementsAre("credit", "voucher"));
  EXPECT_EQ(Param(d.actions(1), "amount"), 1000);
  EXPECT_EQ(BudgetReason(d, "voucher"),
            "Reduced from 15.00 USD to 10.00 USD: the goodwill budget has "
            "10.00 USD left after the 20.00 USD granted earlier in this "
            "decision (30.00 USD per case, 0.00 USD already granted in this "
            "case).");
}

TEST(BudgetReasonTest, ACapThatBindsNamesEarlierGrantsToo) {
  auto engine = MustCompile(kBudget);
  // The window has 1200 left: the credit takes it all, and the voucher's
  // 1500 would not have fit the window even without the credit.
  v1::Decision d = MustDecide(
      *engine, Context(CaseOf("k1") + Granted(3800, kNow - kDay, "old")));
  ASSERT_THAT(Ids(d), ElementsAre("credit"));
  EXPECT_EQ(Param(d.actions(0), "amount"), 1200);
  EXPECT_THAT(BudgetReason(d, "credit"),
              HasSubstr("Reduced from 20.00 USD to 12.00 USD: the goodwill "
                        "budget has 12.00 USD left for this customer (50.00 "
                        "USD per window, 38.00 USD already granted)."));
  EXPECT_EQ(BudgetReason(d, "voucher"),
            "The goodwill budget has 0.00 USD left for this customer (50.00 "
            "USD per window, 38.00 USD already granted, 12.00 USD earlier in "
            "this decision); nothing left to give.");
}

// A case over several decisions: each records its goodwill effects in the
// history the next one reads.
TEST(BudgetReasonTest, PerCaseThenPerWindowAcrossDecisions) {
  auto engine = MustCompile(kBudget);
  std::string history;
  auto record = [&](const v1::Decision& d, int64_t at,
                    absl::string_view case_id) {
    for (const auto& e : d.effects()) {
      ASSERT_EQ(e.kind(), "goodwill");
      history += Granted(e.amount(), at, case_id);
    }
  };
  // 1. Case k1: 2000 + 1000 uses the case's 3000.
  v1::Decision first = MustDecide(*engine, Context(CaseOf("k1")));
  EXPECT_THAT(Effects(first),
              ElementsAre("goodwill:goodwill:2000", "goodwill:goodwill:1000"));
  record(first, kNow, "k1");
  // 2. The same case an hour later: the per-case cap binds.
  v1::Decision again =
      MustDecide(*engine, Context(CaseOf("k1") + history, kNow + 3600));
  EXPECT_THAT(Ids(again), ElementsAre("note"));
  EXPECT_THAT(Effects(again), IsEmpty());
  EXPECT_THAT(BudgetReason(again, "credit"),
              HasSubstr("0.00 USD left for this case (30.00 USD per case, "
                        "30.00 USD already granted in this case)"));
  // 3. A new case the next day: its own 3000 per case, but the window has
  // 2000 left, all of it for the credit.
  v1::Decision next =
      MustDecide(*engine, Context(CaseOf("k2") + history, kNow + kDay));
  ASSERT_THAT(Ids(next), ElementsAre("credit"));
  EXPECT_EQ(Param(next.actions(0), "amount"), 2000);
  EXPECT_THAT(Effects(next), ElementsAre("goodwill:goodwill:2000"));
  EXPECT_THAT(Blocked(next), ElementsAre("voucher:budget_exhausted"));
  // The window's 2000 would have covered the voucher's 1500 alone: the
  // credit, earlier in this decision, bound.
  EXPECT_EQ(BudgetReason(next, "voucher"),
            "The goodwill budget has 0.00 USD left after the 20.00 USD "
            "granted earlier in this decision (50.00 USD per window, 30.00 USD "
            "already granted); nothing left to give.");
  record(next, kNow + kDay, "k2");
  // 4. Past the window (30 days after the first grants), money is back.
  v1::Decision later =
      MustDecide(*engine, Context(CaseOf("k3") + history, kNow + 31 * kDay));
  EXPECT_THAT(Ids(later), ElementsAre("credit", "voucher"));
}

}  // namespace
}  // namespace tact
