// `tact simulate`'s cost to serve and --cost-share, through the built binary
// (issue 15): the flag's validation, the text section, the JSON list and the
// report's chart by value band.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/run_tact.h"

namespace tact::cli {
namespace {

using ::tact::cli::testing::RunTact;
using ::tact::cli::testing::TactRun;
using ::testing::HasSubstr;
using ::testing::Not;

const char kPlaybook[] =
    "simulate --policy=examples/policies/service_playbook.textproto "
    "--cases=examples/cases/sample_cases.jsonl --threads=2 ";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CostShareCliTest, RejectsWhatIsNotAPercentage) {
  for (const char* bad :
       {"abc", "-3", "5%%", "inf", "", "0x10", "1e-9", "1e2", "+5"}) {
    TactRun run = RunTact(std::string(kPlaybook) + "--cost-share=" + bad);
    EXPECT_EQ(run.exit_code, 2) << bad;
    EXPECT_THAT(run.err, HasSubstr("--cost-share must be a percentage >= 0"))
        << bad;
  }
}

TEST(CostShareCliTest, PrintsCostToServeAndTheCustomersAboveTheShare) {
  const std::string json = ::testing::TempDir() + "cost_share.json";
  const std::string report = ::testing::TempDir() + "cost_share.html";
  TactRun run =
      RunTact(std::string(kPlaybook) + "--cost-share=5% --json=" + json +
              " --report=" + report);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Cost to serve (action costs)\n  total"));
  EXPECT_THAT(run.out, HasSubstr("lifetime value 500000+"));
  EXPECT_THAT(run.out, HasSubstr("Cost to serve above 5% of spend (lifetime "
                                 "value): "));
  EXPECT_THAT(run.out, HasSubstr("more (see --json or --report)"));
  const std::string summary = ReadFile(json);
  EXPECT_THAT(summary, HasSubstr("\"cost_to_serve_by_value_band\": {"));
  EXPECT_THAT(summary, HasSubstr("\"cost_share\": {\"percent\": 5, "));
  const std::string html = ReadFile(report);
  EXPECT_THAT(html, HasSubstr("Cost to serve by customer lifetime value"));
  EXPECT_THAT(html, HasSubstr("data-chart=\"cost-by-value-band\""));
  EXPECT_THAT(html, HasSubstr("Cost to serve above 5% of spend"));
  std::remove(json.c_str());
  std::remove(report.c_str());
}

TEST(CostShareCliTest, APolicyWithoutCostsSaysSoAndListsNothing) {
  TactRun run = RunTact(
      "simulate --policy=tests/data/simulate/policy.textproto "
      "--cases=tests/data/simulate/cases.jsonl --threads=1");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("(no recommended action has a cost)"));
  EXPECT_THAT(run.out, Not(HasSubstr("of spend")));
}

}  // namespace
}  // namespace tact::cli
