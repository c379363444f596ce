// tact::Simulate (tact/simulation.h) on a small policy and case file whose
// every number is worked out by hand below, and the determinism of the
// totals across thread counts.
//
// tests/data/simulate/cases.jsonl, decided with policy.textproto at
// 2026-03-10T12:00Z (every decision also has `reply`, from always_reply):
//   line  1 c1  standard, nothing wrong                -> reply
//   line  2 c2  standard, unhappy, no rung yet          -> explain_problem
//   (rung 1) line  3 c3  premium (LTV 6000.00), unhappy, rung 1  ->
//   credit 15.00 (rung 2) line  4 c4  standard, spend 0, unhappy, rung 1 ->
//   credit blocked
//               budget_exhausted -> handwritten_note
//   line  5 c5  standard, phone                         -> phone_credit 7.00,
//               beyond the contract (standard has no phone)
//   line  6 c6  premium (LTV 1500.00), phone            -> phone_credit 7.00
//   line  7 c7  time_wasting, 1 earlier strike          -> strike 2 of 3:
//   warning line  8 c8  time_wasting, 2 earlier strikes         -> strike 3 of
//   3: decline line  9     malformed JSON                          -> error
//   line 10 c9  our fault, incident 30 h ago            -> apologize, fix_fast,
//               surprise_tip; recovery_window_missed
//   line 11     empty                                   -> ignored
//   line 12 c10 our fault, incident 2 h ago             -> apologize, fix_fast,
//               surprise_tip
//   line 13     unknown field customer.tierr            -> error
#include "tact/simulation.h"

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/batch.h"
#include "tact/engine.h"
#include "tests/testing/simulate_data.h"

namespace tact {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

using ::tact::testing::LoadPolicy;
using ::tact::testing::ReadLines;
using SimulateSmallTest = ::tact::testing::SimulateDataTest;

int64_t Recommended(const SimulationSummary& s, const std::string& action) {
  auto it = s.actions.find(action);
  return it == s.actions.end() ? 0 : it->second.recommended;
}

TEST_F(SimulateSmallTest, CountsEveryNonEmptyLineAndListsUndecidableOnes) {
  Simulation sim = Simulate(*policy_, nullptr, lines_);
  EXPECT_EQ(sim.lines, 12);
  EXPECT_EQ(sim.summary.cases, 10);
  EXPECT_EQ(sim.error_count, 2);
  ASSERT_EQ(sim.errors.size(), 2u);
  EXPECT_EQ(sim.errors[0].line, 9);
  EXPECT_EQ(sim.errors[0].stage, CaseError::Stage::kParse);
  EXPECT_EQ(sim.errors[1].stage, CaseError::Stage::kParse);
  EXPECT_THAT(sim.errors[1].message, HasSubstr("tierr"));
  EXPECT_EQ(sim.errors[1].line, 13);
}

TEST_F(SimulateSmallTest, TalliesActionsRecommendedAndBlocked) {
  const SimulationSummary s = Simulate(*policy_, nullptr, lines_).summary;
  EXPECT_EQ(Recommended(s, "reply"), 10);
  EXPECT_EQ(Recommended(s, "explain_problem"), 1);
  EXPECT_EQ(Recommended(s, "credit"), 1);
  EXPECT_THAT(s.actions.at("credit").blocked,
              ElementsAre(Pair("budget_exhausted", 1)));
  EXPECT_EQ(Recommended(s, "handwritten_note"), 1);
  EXPECT_EQ(Recommended(s, "phone_credit"), 2);
  EXPECT_EQ(Recommended(s, "strike_warning"), 1);
  EXPECT_EQ(Recommended(s, "decline"), 1);
  EXPECT_EQ(Recommended(s, "apologize"), 2);
  EXPECT_EQ(Recommended(s, "fix_fast"), 2);
  EXPECT_EQ(Recommended(s, "surprise_tip"), 2);
}

TEST_F(SimulateSmallTest, TotalsGoodwillByTierAndValueBand) {
  const SimulationSummary s = Simulate(*policy_, nullptr, lines_).summary;
  // c3 1500 (premium, LTV 600000), c5 700 (standard, 50000),
  // c6 700 (premium, 150000).
  EXPECT_EQ(s.goodwill_total, 2900);
  EXPECT_EQ(s.cases_with_goodwill, 3);
  EXPECT_THAT(s.goodwill_by_tier,
              ElementsAre(Pair("premium", 2200), Pair("standard", 700)));
  EXPECT_THAT(s.goodwill_by_value_band,
              ElementsAre(Pair("100000-499999", 700), Pair("20000-99999", 700),
                          Pair("500000+", 1500)));
  EXPECT_EQ(s.budget_exhausted_cases, 1);
  EXPECT_EQ(s.currency, "USD");
}

TEST_F(SimulateSmallTest, CountsStrikeWarningsAndStrikeOuts) {
  const SimulationSummary s = Simulate(*policy_, nullptr, lines_).summary;
  EXPECT_EQ(s.strikes_recorded, 2);
  EXPECT_EQ(s.strike_warnings, 1);
  EXPECT_EQ(s.strike_outs, 1);
}

TEST_F(SimulateSmallTest, DistributesLadderRungsAndRecoverySteps) {
  const SimulationSummary s = Simulate(*policy_, nullptr, lines_).summary;
  ASSERT_EQ(s.rungs.count("unhappy"), 1u);
  EXPECT_EQ(s.rungs.at("unhappy").at(1), 1);
  // c3's credit and c4's, blocked for the budget but still the rung offered
  // (its alternative, the handwritten note, takes its place).
  EXPECT_EQ(s.rungs.at("unhappy").at(2), 2);
  EXPECT_EQ(s.recovery_cases, 2);
  EXPECT_EQ(s.recovery_window_missed, 1);
  int64_t steps = 0;
  for (const auto& [stage, n] : s.recovery_steps) steps += n;
  EXPECT_EQ(steps, 6);  // apology, fix, surprise in c9 and c10
}

TEST_F(SimulateSmallTest, CostsBeyondContractActions) {
  const SimulationSummary s = Simulate(*policy_, nullptr, lines_).summary;
  EXPECT_EQ(s.beyond_contract_actions, 1);
  EXPECT_EQ(s.beyond_contract_cost, 700);
  EXPECT_THAT(s.beyond_contract_by_action,
              ElementsAre(Pair("phone_credit", 1)));
}

TEST_F(SimulateSmallTest, NeedsApprovalAboveTheAuthorityLimit) {
  SimulationOptions options;
  options.authority = "bot";  // may grant up to 10.00 of credit alone
  const SimulationSummary s =
      Simulate(*policy_, nullptr, lines_, options).summary;
  EXPECT_EQ(Recommended(s, "credit"), 0);
  EXPECT_EQ(s.actions.at("credit").needs_approval, 1);
}

TEST_F(SimulateSmallTest, BaselineListsChangedCasesWithTheReason) {
  Simulation sim = Simulate(*policy_, baseline_.get(), lines_);
  ASSERT_TRUE(sim.has_baseline);
  EXPECT_EQ(sim.baseline.policy_version, "0");
  EXPECT_EQ(Recommended(sim.baseline, "phone_credit"), 0);
  EXPECT_EQ(sim.baseline.goodwill_total, 1500);
  EXPECT_EQ(sim.changed_count, 2);
  ASSERT_EQ(sim.changed.size(), 2u);
  EXPECT_EQ(sim.changed[0].line, 5);
  EXPECT_EQ(sim.changed[0].case_id, "c5");
  EXPECT_THAT(sim.changed[0].before, ElementsAre("reply"));
  EXPECT_THAT(sim.changed[0].after, ElementsAre("phone_credit", "reply"));
  EXPECT_THAT(
      sim.changed[0].reasons,
      ElementsAre("+phone_credit (rule phone_gesture, entitlement standard)"));
  EXPECT_THAT(sim.changed[1].reasons,
              ElementsAre("+phone_credit (rule phone_gesture)"));
  EXPECT_EQ(sim.changed[1].line, 6);
}

TEST_F(SimulateSmallTest, CasesKeepTheirPositionsAndFailedOnesCount) {
  std::vector<SimulationCase> cases = {
      {3, BatchContext::Json(lines_[0])},
      {7, BatchContext::Failed(absl::InvalidArgumentError("bad dict\nmore"))},
      {8, BatchContext::Json(lines_[8])},
      {9, BatchContext::Json(R"({"customer": {"tier": "standard"}})")},
  };
  Simulation sim = Simulate(*policy_, nullptr, cases);
  EXPECT_EQ(sim.lines, 4);
  EXPECT_EQ(sim.summary.cases, 1);
  ASSERT_EQ(sim.errors.size(), 3u);
  EXPECT_EQ(sim.errors[0].line, 7);
  EXPECT_EQ(sim.errors[0].stage, CaseError::Stage::kParse);
  EXPECT_EQ(sim.errors[0].message, "bad dict");
  EXPECT_EQ(sim.errors[1].line, 8);
  EXPECT_EQ(sim.errors[1].stage, CaseError::Stage::kParse);
  EXPECT_EQ(sim.errors[2].line, 9);
  EXPECT_EQ(sim.errors[2].stage, CaseError::Stage::kDecide);
  EXPECT_THAT(sim.errors[2].message, HasSubstr("now"));
}

TEST_F(SimulateSmallTest, ListsAtMostMaxListedErrorsButCountsAll) {
  SimulationOptions options;
  options.max_listed_errors = 1;
  Simulation sim = Simulate(*policy_, nullptr, lines_, options);
  EXPECT_EQ(sim.error_count, 2);
  EXPECT_EQ(sim.errors.size(), 1u);
}

TEST_F(SimulateSmallTest, NoCasesGiveEmptyTotals) {
  Simulation sim =
      Simulate(*policy_, nullptr, std::vector<std::string>{"", " "});
  EXPECT_EQ(sim.lines, 0);
  EXPECT_EQ(sim.summary.cases, 0);
  EXPECT_EQ(sim.summary.policy_name, policy_->policy().name());
}

bool SameTotals(const SimulationSummary& a, const SimulationSummary& b) {
  auto tallies = [](const SimulationSummary& s) {
    std::map<std::string,
             std::tuple<int64_t, int64_t, std::map<std::string, int64_t>>>
        out;
    for (const auto& [action, t] : s.actions) {
      out[action] = {t.recommended, t.needs_approval, t.blocked};
    }
    return out;
  };
  return tallies(a) == tallies(b) && a.cases == b.cases &&
         a.goodwill_total == b.goodwill_total &&
         a.goodwill_by_tier == b.goodwill_by_tier &&
         a.goodwill_by_value_band == b.goodwill_by_value_band &&
         a.cases_with_goodwill == b.cases_with_goodwill &&
         a.budget_exhausted_cases == b.budget_exhausted_cases &&
         a.strike_warnings == b.strike_warnings &&
         a.strike_outs == b.strike_outs &&
         a.strikes_recorded == b.strikes_recorded && a.rungs == b.rungs &&
         a.recovery_cases == b.recovery_cases &&
         a.recovery_steps == b.recovery_steps &&
         a.recovery_window_missed == b.recovery_window_missed &&
         a.beyond_contract_actions == b.beyond_contract_actions &&
         a.beyond_contract_cost == b.beyond_contract_cost &&
         a.beyond_contract_by_action == b.beyond_contract_by_action;
}

TEST(SimulateDeterminismTest, SameTotalsForAnyWorkerCount) {
  auto policy = LoadPolicy("examples/policies/service_playbook.textproto");
  auto baseline = LoadPolicy("examples/policies/support.textproto");
  ASSERT_NE(policy, nullptr);
  ASSERT_NE(baseline, nullptr);
  std::vector<std::string> lines =
      ReadLines("examples/cases/sample_cases.jsonl");
  ASSERT_GE(lines.size(), 1000u);
  lines.resize(1000);
  lines[17] = "not json";  // an error in the middle of a worker's chunk
  SimulationOptions one;
  one.threads = 1;
  const Simulation expected = Simulate(*policy, baseline.get(), lines, one);
  for (int threads : {2, 3, 8, 0}) {
    SimulationOptions many;
    many.threads = threads;
    const Simulation sim = Simulate(*policy, baseline.get(), lines, many);
    EXPECT_TRUE(SameTotals(sim.summary, expected.summary)) << threads;
    EXPECT_TRUE(SameTotals(sim.baseline, expected.baseline)) << threads;
    EXPECT_EQ(sim.changed_count, expected.changed_count) << threads;
    ASSERT_EQ(sim.changed.size(), expected.changed.size()) << threads;
    for (size_t i = 0; i < sim.changed.size(); ++i) {
      EXPECT_EQ(sim.changed[i].line, expected.changed[i].line);
      EXPECT_EQ(sim.changed[i].reasons, expected.changed[i].reasons);
      ASSERT_EQ(sim.changed[i].changes.size(),
                expected.changed[i].changes.size());
      for (size_t j = 0; j < sim.changed[i].changes.size(); ++j) {
        EXPECT_EQ(sim.changed[i].changes[j].text,
                  expected.changed[i].changes[j].text);
      }
    }
    for (const auto& [kind, tally] : expected.changes_by_kind) {
      EXPECT_EQ(sim.changes_by_kind.at(kind).cases, tally.cases) << threads;
      EXPECT_EQ(sim.changes_by_kind.at(kind).money, tally.money) << threads;
    }
    EXPECT_EQ(sim.goodwill_delta, expected.goodwill_delta) << threads;
    EXPECT_EQ(sim.money_changed_count, expected.money_changed_count);
    ASSERT_EQ(sim.errors.size(), 1u);
    EXPECT_EQ(sim.errors[0].line, 18);
  }
}

}  // namespace
}  // namespace tact
