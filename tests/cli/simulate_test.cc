// `tact simulate`'s renderings (src/cli/simulation_printer.h,
// src/cli/report_html.h) of tact::Simulate's totals (tested in
// tests/engine/simulation_test.cc) on tests/data/simulate/, and the
// determinism of the text, the JSON and the HTML across thread counts.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cli/report_html.h"
#include "src/cli/simulation_printer.h"
#include "tact/engine.h"
#include "tact/simulation.h"
#include "tests/testing/simulate_data.h"

namespace tact::cli {
namespace {

using ::testing::HasSubstr;

using ::tact::testing::LoadPolicy;
using ::tact::testing::ReadLines;
using SimulationPrinterTest = ::tact::testing::SimulateDataTest;

TEST(FormatMinorUnitsTest, TwoDecimalsAndTheCurrency) {
  EXPECT_EQ(FormatMinorUnits(2900, "USD"), "29.00 USD");
  EXPECT_EQ(FormatMinorUnits(-5, ""), "-0.05");
}

TEST_F(SimulationPrinterTest, ErrorsReadWithTheirStage) {
  Simulation sim = Simulate(*policy_, nullptr, lines_);
  std::string json = SimulationToJson(sim);
  EXPECT_THAT(json, HasSubstr("{\"line\": 9, \"message\": \"cannot parse: "));
  CaseError undecided{4, CaseError::Stage::kDecide, "no now"};
  EXPECT_EQ(CaseErrorText(undecided), "cannot decide: no now");
  undecided.stage = CaseError::Stage::kBaselineDecide;
  EXPECT_EQ(CaseErrorText(undecided), "baseline cannot decide: no now");
}

TEST_F(SimulationPrinterTest, SamePolicyAsBaselineChangesNothing) {
  Simulation sim = Simulate(*policy_, policy_.get(), lines_);
  EXPECT_EQ(sim.changed_count, 0);
  EXPECT_EQ(SimulationToJson(sim).find("\"changed\": {\"count\": 0"),
            SimulationToJson(sim).find("\"changed\""));
}

TEST_F(SimulationPrinterTest, ReportDrawsOneBarPerActionTierRungAndCost) {
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
  // 10 actions recommended, 2 tiers, 2 rungs, 3 cost metrics (goodwill,
  // beyond-contract cost, cost to serve) x 2 policies; the policy declares no
  // costs, so no chart of cost to serve by value band (an empty one).
  EXPECT_EQ(count("<rect class=\"bar"), 10u + 2u + 2u + 6u);
  EXPECT_EQ(count("<svg class=\"chart\""), 4u);
  EXPECT_EQ(count("cost-by-value-band"), 0u);
  EXPECT_EQ(html.find("http"), std::string::npos) << "the report loads nothing";
}

// base.textproto and money.textproto in tests/data/simulate/diff/: the same
// name@version, a credit of 15.00 -> 12.50 in one case of four.
Simulation MoneyDiff() {
  auto base = LoadPolicy("tests/data/simulate/diff/base.textproto");
  auto money = LoadPolicy("tests/data/simulate/diff/money.textproto");
  EXPECT_NE(base, nullptr);
  EXPECT_NE(money, nullptr);
  if (base == nullptr || money == nullptr) return {};
  SimulationOptions options;
  options.policy_label = "diff_small@1 (money.textproto)";
  options.baseline_label = "diff_small@1 (base.textproto)";
  return Simulate(*money, base.get(),
                  ReadLines("tests/data/simulate/diff/cases.jsonl"), options);
}

TEST(SimulationDiffPrinterTest, ReportShowsTheDiffByKindWithItsLines) {
  const std::string html =
      RenderHtmlReport(MoneyDiff(), {"money.textproto", "base.textproto", "c"});
  EXPECT_THAT(html, HasSubstr("<h2>Changed decisions (1)</h2>"));
  EXPECT_THAT(html,
              HasSubstr("Baseline diff_small@1 (base.textproto) &rarr; policy "
                        "diff_small@1 (money.textproto). Goodwill -2.50 USD"));
  EXPECT_THAT(html, HasSubstr("<td>params</td><td class=\"num\" "
                              "data-v=\"1\">1</td><td class=\"num\" "
                              "data-v=\"-250\">-2.50 USD</td>"));
  EXPECT_THAT(html, HasSubstr("<td>order</td><td class=\"num\" "
                              "data-v=\"0\">0</td>"));
  EXPECT_THAT(html, HasSubstr("<td>params, effects</td>"));
  EXPECT_THAT(html,
              HasSubstr("credit amount 1500 -&gt; 1250 (-2.50 USD); effect "
                        "goodwill goodwill amount 1500 -&gt; amount 1250 "
                        "(-2.50 USD)"));
  EXPECT_THAT(html, HasSubstr("<th title=\"Click to sort\">Baseline "
                              "diff_small@1 (base.textproto)</th>"));
}

TEST(SimulationDiffPrinterTest, TextListsKindsMoneyAndChangeLines) {
  std::ostringstream text;
  PrintSimulationText(MoneyDiff(), text);
  EXPECT_THAT(text.str(),
              HasSubstr("Changed decisions: 1 (25.0%)\n"
                        "  params                                         "
                        "1 case  -2.50 USD\n"
                        "  effects                                        "
                        "1 case  -2.50 USD\n"
                        "  goodwill -2.50 USD (policy - baseline); money "
                        "moved in 1, actions changed in 0\n"
                        "  line 3 case d3: reply, apologize, credit -> reply, "
                        "apologize, credit\n"
                        "      credit amount 1500 -> 1250 (-2.50 USD)\n"));
}

TEST(SimulationDiffPrinterTest, JsonHasTheKindsTheLinesAndTheLabels) {
  const std::string json = SimulationToJson(MoneyDiff());
  EXPECT_THAT(json, HasSubstr("\"changed\": {\"count\": 1, \"policy_label\": "
                              "\"diff_small@1 (money.textproto)\", "
                              "\"baseline_label\": \"diff_small@1 "
                              "(base.textproto)\", \"goodwill_delta\": -250, "
                              "\"money_changed\": 1, \"actions_changed\": 0, "
                              "\"by_kind\": {\"actions_added\": {\"cases\": 0, "
                              "\"money\": 0}"));
  EXPECT_THAT(json, HasSubstr("\"kinds\": [\"params\", \"effects\"], "
                              "\"changes\": [{\"kind\": \"params\", "
                              "\"text\": \"credit amount 1500 -> 1250 (-2.50 "
                              "USD)\", \"money\": -250}"));
}

std::string Everything(const Simulation& sim) {
  std::ostringstream text;
  PrintSimulationText(sim, text);
  return text.str() + SimulationToJson(sim) + RenderHtmlReport(sim, {});
}

TEST(SimulationPrinterDeterminismTest, SameBytesForAnyWorkerCount) {
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
