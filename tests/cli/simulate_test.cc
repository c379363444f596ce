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

// Service levels as a simulation of a policy with them totals them (see
// tests/engine/simulation_sla_test.cc): gold 3 cases, first_reply met, ok,
// breached (66.7%), resolution never measured; standard 2 cases,
// first_reply at_risk and missed (50.0%); 1 gold case served beyond the
// contract.
ServiceLevelSummary HandBuiltServiceLevels() {
  ServiceLevelSummary s;
  s.targets = {"first_reply", "resolution"};
  TierServiceLevels& gold = s.by_tier["gold"];
  gold.cases = 3;
  gold.beyond_contract_cases = 1;
  gold.targets["first_reply"] = {3, 1, 1, 0, 1, 0};
  gold.targets["resolution"] = {};
  TierServiceLevels& standard = s.by_tier["standard"];
  standard.cases = 2;
  standard.targets["first_reply"] = {2, 0, 0, 1, 0, 1};
  standard.targets["resolution"] = {};
  s.total.cases = 5;
  s.total.beyond_contract_cases = 1;
  s.total.targets["first_reply"] = {5, 1, 1, 1, 1, 1};
  s.total.targets["resolution"] = {};
  return s;
}

Simulation WithServiceLevels() {
  Simulation sim;
  sim.lines = 5;
  sim.summary.policy_name = "sla";
  sim.summary.policy_version = "1";
  sim.summary.currency = "USD";
  sim.summary.cases = 5;
  sim.summary.service_levels = HandBuiltServiceLevels();
  return sim;
}

TEST(ServiceLevelPrinterTest, TextShowsAttainmentPerTierAndBeyondContract) {
  std::ostringstream text;
  PrintSimulationText(WithServiceLevels(), text);
  EXPECT_THAT(
      text.str(),
      HasSubstr(
          "\nService levels (attainment: met, ok or at risk, of the cases "
          "measured)\n"
          "  tier       target       measured     met      ok  at_risk  "
          "breached  missed  attainment\n"
          "  gold       first_reply         3       1       1        0  "
          "       1       0       66.7%\n"
          "  gold       resolution          0       0       0        0  "
          "       0       0         n/a\n"
          "  standard   first_reply         2       0       0        1  "
          "       0       1       50.0%\n"
          "  standard   resolution          0       0       0        0  "
          "       0       0         n/a\n"
          "  all tiers  first_reply         5       1       1        1  "
          "       1       1       60.0%\n"
          "  all tiers  resolution          0       0       0        0  "
          "       0       0         n/a\n"
          "Served beyond the contracted level (cases with an action tagged "
          "beyond_contract)\n"
          "  tier gold                              1 of 3 (33.3%)\n"
          "  tier standard                           0 of 2 (0.0%)\n"
          "  all tiers                              1 of 5 (20.0%)\n"));
}

TEST(ServiceLevelPrinterTest, NoSectionWithoutServiceLevels) {
  Simulation sim = WithServiceLevels();
  sim.summary.service_levels = {};
  std::ostringstream text;
  PrintSimulationText(sim, text);
  EXPECT_EQ(text.str().find("Service levels"), std::string::npos);
  EXPECT_EQ(text.str().find("contracted level"), std::string::npos);
  EXPECT_EQ(SimulationToJson(sim).find("service_levels"), std::string::npos);
  const std::string html = RenderHtmlReport(sim, {});
  EXPECT_EQ(html.find("Service levels"), std::string::npos);
  EXPECT_EQ(html.find("sla-attainment"), std::string::npos);
}

TEST(ServiceLevelPrinterTest, JsonHasCountsAttainmentAndNullWhenUnmeasured) {
  const std::string json = SimulationToJson(WithServiceLevels());
  EXPECT_THAT(
      json,
      HasSubstr(
          ", \"service_levels\": {\"targets\": [\"first_reply\", "
          "\"resolution\"], \"by_tier\": {\"gold\": {\"cases\": 3, "
          "\"beyond_contract_cases\": 1, \"beyond_contract_share\": 33.3, "
          "\"targets\": {\"first_reply\": {\"measured\": 3, \"met\": 1, "
          "\"ok\": 1, \"at_risk\": 0, \"breached\": 1, \"missed\": 0, "
          "\"attainment\": 66.7}, \"resolution\": {\"measured\": 0, \"met\": "
          "0, \"ok\": 0, \"at_risk\": 0, \"breached\": 0, \"missed\": 0, "
          "\"attainment\": null}}}, \"standard\": {\"cases\": 2, "
          "\"beyond_contract_cases\": 0, \"beyond_contract_share\": 0.0, "));
  EXPECT_THAT(json, HasSubstr("\"total\": {\"cases\": 5, "
                              "\"beyond_contract_cases\": 1, "
                              "\"beyond_contract_share\": 20.0, \"targets\": "
                              "{\"first_reply\": {\"measured\": 5, \"met\": 1, "
                              "\"ok\": 1, \"at_risk\": 1, \"breached\": 1, "
                              "\"missed\": 1, \"attainment\": 60.0}"));
}

TEST(ServiceLevelPrinterTest, BaselineShowsBothSidesAttainment) {
  Simulation sim = WithServiceLevels();
  sim.has_baseline = true;
  sim.policy_label = "new";
  sim.baseline_label = "old";
  sim.baseline = sim.summary;
  // The baseline missed none of standard's first replies: 2 of 2 within.
  sim.baseline.service_levels.by_tier["standard"].targets["first_reply"] = {
      2, 1, 0, 1, 0, 0};
  std::ostringstream text;
  PrintSimulationText(sim, text);
  EXPECT_THAT(text.str(),
              HasSubstr("  tier standard first_reply                 "
                        "100.0% of 2          50.0% of 2\n"));
  EXPECT_THAT(text.str(),
              HasSubstr("  tier gold resolution                         "
                        "n/a of 0            n/a of 0\n"));
  EXPECT_THAT(text.str(),
              HasSubstr("Served beyond the contracted level (cases)\n"
                        "  tier gold                              "
                        "1 of 3 (33.3%)      1 of 3 (33.3%)\n"));
  const std::string html = RenderHtmlReport(sim, {});
  EXPECT_THAT(html, HasSubstr("<th title=\"Click to sort\">Attainment "
                              "(baseline)</th>"));
  EXPECT_THAT(html, HasSubstr("<td>standard</td><td>first_reply</td>"));
}

TEST(ServiceLevelPrinterTest, ReportTablesAndOneBarPerMeasuredTierTarget) {
  const std::string html = RenderHtmlReport(WithServiceLevels(), {});
  EXPECT_THAT(html, HasSubstr("<h2>Service levels</h2>"));
  EXPECT_THAT(html, HasSubstr("data-chart=\"sla-attainment\""));
  // gold, standard and all tiers first_reply; resolution measured nowhere.
  const size_t chart = html.find("data-chart=\"sla-attainment\"");
  const size_t end = html.find("</svg>", chart);
  size_t bars = 0;
  for (size_t at = html.find("<rect class=\"bar", chart); at < end;
       at = html.find("<rect class=\"bar", at + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 3u);
  EXPECT_THAT(html, HasSubstr("<td>gold</td><td>first_reply</td><td "
                              "class=\"num\" data-v=\"3\">3</td>"));
  EXPECT_THAT(html, HasSubstr("data-v=\"-1\">n/a</td>"));
  EXPECT_THAT(html, HasSubstr("<h2>Served beyond the contracted level</h2>"));
  EXPECT_THAT(html, HasSubstr("<td>all tiers</td><td class=\"num\" "
                              "data-v=\"5\">5</td><td class=\"num\" "
                              "data-v=\"1\">1</td><td class=\"num\" "
                              "data-v=\"200\">20.0%</td>"));
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
