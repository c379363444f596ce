// Golden tests of the `tact` tool: each case runs the built binary and
// compares its exit status, stdout and stderr with tests/golden/NAME.golden.
//
// To regenerate after an intended change, run tests/golden/update.sh and
// review the diff: ranked actions must still make sense for each case.
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/cli/run_tact.h"

namespace tact::cli::testing {
namespace {

constexpr char kPolicy[] = "--policy=examples/policies/support.textproto";

struct GoldenCase {
  std::string name;
  std::string args;
};

// Names the case in test output (and in ctest's list) instead of its bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::string Decide(const std::string& context, const std::string& flags = "") {
  std::string args = std::string("decide ") + kPolicy +
                     " --context=examples/contexts/" + context + ".json";
  if (!flags.empty()) args += " " + flags;
  return args;
}

// The same with examples/policies/service_playbook.textproto, which uses
// every construct.
std::string DecidePlaybook(const std::string& context,
                           const std::string& flags) {
  return "decide --policy=examples/policies/service_playbook.textproto "
         "--context=examples/contexts/" +
         context + ".json " + flags;
}

std::vector<GoldenCase> Cases() {
  std::vector<GoldenCase> cases = {
      {"help", "--help"},
      {"check_help", "check --help"},
      {"decide_help", "decide --help"},
      {"replay_help", "replay --help"},
      {"check_support_ok", "check examples/policies/support.textproto"},
      {"check_misspelt_field", "check tests/data/cli/misspelt_field.textproto"},
      {"check_expression_syntax_error",
       "check tests/data/cli/expression_syntax_error.textproto"},
      {"check_textproto_syntax_error",
       "check tests/data/cli/textproto_syntax_error.textproto"},
      {"check_bad_regex", "check tests/data/cli/bad_regex.textproto"},
      {"check_misspelt_feature",
       "check tests/data/cli/misspelt_feature.textproto"},
      {"check_inverted_limits",
       "check tests/data/cli/inverted_limits.textproto"},
      {"test_help", "test --help"},
      {"test_failing", "test tests/data/policy_test/failing"},
  };
  for (const char* context :
       {"late_delivery_vip", "connector_social_complaint",
        "prospect_many_questions", "infrequent_buyer", "demanding_low_spender",
        "repeat_complainer", "outage_critical", "legal_hold"}) {
    cases.push_back({std::string("decide_") + context, Decide(context)});
  }
  for (const char* context : {"late_delivery_vip", "demanding_low_spender",
                              "repeat_complainer", "legal_hold"}) {
    cases.push_back({std::string("decide_explain_") + context,
                     Decide(context, "--explain")});
  }
  cases.push_back({"decide_as_bot_late_delivery_vip",
                   Decide("late_delivery_vip", "--authority=bot --explain")});
  cases.push_back({"decide_trace_prospect_many_questions",
                   Decide("prospect_many_questions", "--trace")});
  cases.push_back({"decide_trace_evaluated_late_delivery_vip",
                   Decide("late_delivery_vip", "--trace-level=evaluated")});
  cases.push_back(
      {"decide_json_trace_evaluated_late_delivery_vip",
       Decide("late_delivery_vip", "--format=json --trace-level=evaluated")});
  cases.push_back({"decide_json_outage_critical",
                   Decide("outage_critical", "--format=json")});
  cases.push_back({"decide_json_trace_prospect_many_questions",
                   Decide("prospect_many_questions", "--format=json --trace")});
  // Every construct in --explain (docs/explanations.md): the ladder, the
  // budget and an authority hold; the strike limit at its limit; the
  // playbook past its fix window; an action beyond the contract.
  cases.push_back({"decide_explain_playbook_unhappy_second_rung",
                   DecidePlaybook("playbook_unhappy_second_rung",
                                  "--authority=bot --explain")});
  for (const char* context :
       {"playbook_three_strikes", "playbook_service_failure_late_fix",
        "playbook_goodwill_budget_clipped",
        "playbook_over_servicing_callback"}) {
    cases.push_back({std::string("decide_explain_") + context,
                     DecidePlaybook(context, "--explain")});
  }
  cases.push_back(
      {"decide_json_trace_playbook_three_strikes",
       DecidePlaybook("playbook_three_strikes", "--format=json --trace")});
  // Service levels (issue 17): the section after the actions, and the
  // construct's facts in --explain.
  cases.push_back({"decide_explain_service_levels",
                   "decide --policy=tests/data/cli/service_levels.textproto "
                   "--context=tests/data/cli/service_levels_context.json "
                   "--explain"});
  cases.push_back(
      {"check_lint_warnings", "check tests/data/cli/lint_warnings.textproto"});
  cases.push_back({"check_strict_lint_warnings",
                   "check --strict tests/data/cli/lint_warnings.textproto"});
  cases.push_back({"decide_why_not_late_delivery_vip",
                   Decide("late_delivery_vip", "--why-not=public_reply")});
  cases.push_back(
      {"decide_why_not_as_bot_late_delivery_vip",
       Decide("late_delivery_vip", "--authority=bot --why-not=callback")});
  cases.push_back({"decide_why_not_blocked_demanding_low_spender",
                   Decide("demanding_low_spender", "--why-not=callback")});
  cases.push_back({"decide_why_not_stopped_legal_hold",
                   Decide("legal_hold", "--why-not=apologize")});
  cases.push_back(
      {"decide_why_not_json_late_delivery_vip",
       Decide("late_delivery_vip", "--format=json --why-not=public_reply")});
  cases.push_back({"decide_why_not_unknown_action",
                   Decide("late_delivery_vip", "--why-not=pubic_reply")});
  // Service levels: attainment per tier (tests/data/simulate/sla/).
  cases.push_back({"simulate_service_levels",
                   "simulate --policy=tests/data/simulate/sla/policy.textproto "
                   "--cases=tests/data/simulate/sla/cases.jsonl"});
  return cases;
}

// What a golden file holds: the command, its exit status, stdout, stderr.
std::string Render(const GoldenCase& golden, const TactRun& run) {
  std::ostringstream text;
  text << "$ tact " << golden.args << "\n"
       << "exit: " << run.exit_code << "\n"
       << "--- stdout\n"
       << run.out << "--- stderr\n"
       << run.err;
  return text.str();
}

std::string GoldenPath(const GoldenCase& golden) {
  return "tests/golden/" + golden.name + ".golden";
}

bool UpdateMode() {
  const char* update = std::getenv("TACT_UPDATE_GOLDENS");
  return update != nullptr && std::string(update) == "1";
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, OutputMatchesGoldenFile) {
  const GoldenCase& golden = GetParam();
  const std::string actual = Render(golden, RunTact(golden.args));
  const std::string path = GoldenPath(golden);

  if (UpdateMode()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    ASSERT_TRUE(out) << "cannot write " << path;
    out << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing; run tests/golden/update.sh";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str())
      << "output differs from " << path
      << "; if the change is intended, run tests/golden/update.sh and review "
         "the diff";
}

INSTANTIATE_TEST_SUITE_P(
    Cli, GoldenTest, ::testing::ValuesIn(Cases()),
    [](const ::testing::TestParamInfo<GoldenCase>& case_info) {
      return case_info.param.name;
    });

}  // namespace
}  // namespace tact::cli::testing
