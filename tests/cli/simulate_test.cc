// The totals of `tact simulate` (src/cli/simulation.h) on a small policy and
// case file whose every number is worked out by hand below, and the
// determinism of the totals, the JSON and the HTML across thread counts.
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
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cli/report_html.h"
#include "src/cli/simulation.h"
#include "src/cli/simulation_printer.h"
#include "tact/engine.h"

namespace tact::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::unique_ptr<const Engine> LoadPolicy(const std::string& path) {
  auto engine = Engine::FromFile(path);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? std::move(*engine) : nullptr;
}

class SimulateSmallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    policy_ = LoadPolicy("tests/data/simulate/policy.textproto");
    baseline_ = LoadPolicy("tests/data/simulate/baseline.textproto");
    lines_ = ReadLines("tests/data/simulate/cases.jsonl");
    ASSERT_NE(policy_, nullptr);
    ASSERT_NE(baseline_, nullptr);
    ASSERT_EQ(lines_.size(), 13u);
  }
  std::unique_ptr<const Engine> policy_;
  std::unique_ptr<const Engine> baseline_;
  std::vector<std::string> lines_;
};

int64_t Recommended(const Summary& s, const std::string& action) {
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
  EXPECT_THAT(sim.errors[0].message, HasSubstr("cannot parse"));
  EXPECT_EQ(sim.errors[1].line, 13);
}

TEST_F(SimulateSmallTest, TalliesActionsRecommendedAndBlocked) {
  const Summary s = Simulate(*policy_, nullptr, lines_).summary;
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
  const Summary s = Simulate(*policy_, nullptr, lines_).summary;
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
  EXPECT_EQ(FormatMinorUnits(s.goodwill_total, s.currency), "29.00 USD");
}

TEST_F(SimulateSmallTest, CountsStrikeWarningsAndStrikeOuts) {
  const Summary s = Simulate(*policy_, nullptr, lines_).summary;
  EXPECT_EQ(s.strikes_recorded, 2);
  EXPECT_EQ(s.strike_warnings, 1);
  EXPECT_EQ(s.strike_outs, 1);
}

TEST_F(SimulateSmallTest, DistributesLadderRungsAndRecoverySteps) {
  const Summary s = Simulate(*policy_, nullptr, lines_).summary;
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
  const Summary s = Simulate(*policy_, nullptr, lines_).summary;
  EXPECT_EQ(s.beyond_contract_actions, 1);
  EXPECT_EQ(s.beyond_contract_cost, 700);
  EXPECT_THAT(s.beyond_contract_by_action,
              ElementsAre(Pair("phone_credit", 1)));
}

TEST_F(SimulateSmallTest, NeedsApprovalAboveTheAuthorityLimit) {
  SimulationOptions options;
  options.authority = "bot";  // may grant up to 10.00 of credit alone
  const Summary s = Simulate(*policy_, nullptr, lines_, options).summary;
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

TEST_F(SimulateSmallTest, SamePolicyAsBaselineChangesNothing) {
  Simulation sim = Simulate(*policy_, policy_.get(), lines_);
  EXPECT_EQ(sim.changed_count, 0);
  EXPECT_EQ(SimulationToJson(sim).find("\"changed\": {\"count\": 0"),
            SimulationToJson(sim).find("\"changed\""));
}

TEST_F(SimulateSmallTest, ReportDrawsOneBarPerActionTierRungAndCost) {
  Simulation sim = Simulate(*policy_, baseline_.get(), lines_);
  std::string html = RenderHtmlReport(sim, {"p", "b", "c"});
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = html.find(needle); at != std::string::npos;
         at = html.find(needle, at + 1)) {
      ++n;
    }
    return n;
  };
  // 10 actions recommended, 2 tiers, 2 rungs, 2 cost metrics x 2 policies.
  EXPECT_EQ(count("<rect class=\"bar"), 10u + 2u + 2u + 4u);
  EXPECT_EQ(count("<svg class=\"chart\""), 4u);
  EXPECT_EQ(html.find("http"), std::string::npos) << "the report loads nothing";
}

std::string Everything(const Simulation& sim) {
  std::ostringstream text;
  PrintSimulationText(sim, text);
  return text.str() + SimulationToJson(sim) + RenderHtmlReport(sim, {});
}

TEST(SimulateDeterminismTest, SameBytesForAnyWorkerCount) {
  auto policy = LoadPolicy("examples/policies/service_playbook.textproto");
  ASSERT_NE(policy, nullptr);
  std::vector<std::string> lines =
      ReadLines("examples/cases/sample_cases.jsonl");
  ASSERT_GE(lines.size(), 1000u);
  lines.resize(1000);
  lines[17] = "not json";  // an error in the middle of a worker's chunk
  SimulationOptions one;
  one.threads = 1;
  const std::string expected =
      Everything(Simulate(*policy, nullptr, lines, one));
  for (int threads : {2, 3, 8}) {
    SimulationOptions many;
    many.threads = threads;
    EXPECT_EQ(Everything(Simulate(*policy, nullptr, lines, many)), expected)
        << threads << " threads";
  }
  EXPECT_THAT(expected, HasSubstr("line 18: cannot parse"));
}

}  // namespace
}  // namespace tact::cli
