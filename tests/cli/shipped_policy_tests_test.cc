// The policy tests shipped beside the example policies (issue 15): every
// suite passes with `tact test`, and changing a shipped policy so that it
// decides differently makes `tact test` fail, naming the case it broke.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/run_tact.h"

namespace tact::cli::testing {
namespace {

namespace fs = std::filesystem;

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kOk = 0;
constexpr int kFailure = 1;

// Every shipped suite, beside the policy it tests.
constexpr const char* kShippedSuites[] = {
    "examples/policies/support.test.textproto",
    "examples/policies/service_playbook.test.textproto",
    "examples/helpdesk/helpdesk_policy.test.textproto",
    "examples/chatbot/chatbot_policy.test.textproto",
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(ShippedPolicyTestsTest, EverySuitePasses) {
  for (const char* suite : kShippedSuites) {
    SCOPED_TRACE(suite);
    ASSERT_TRUE(fs::exists(suite));
    TactRun run = RunTact(std::string("test ") + suite);
    EXPECT_EQ(run.exit_code, kOk) << run.out << run.err;
    EXPECT_THAT(run.out, HasSubstr(std::string("PASS ") + suite + ":"));
    EXPECT_THAT(run.out, Not(HasSubstr("FAIL ")));
    EXPECT_THAT(run.out, ContainsRegex("[1-9][0-9]* passed, 0 failed\n$"));
  }
}

// Every suite under examples/ at once, as the docs run them: each shipped
// suite is found and its cases pass.
TEST(ShippedPolicyTestsTest, TheExamplesDirectoryPasses) {
  TactRun run = RunTact("test examples/");
  EXPECT_EQ(run.exit_code, kOk) << run.out << run.err;
  for (const char* suite : kShippedSuites) {
    EXPECT_THAT(run.out, HasSubstr(std::string("PASS ") + suite + ":"));
  }
  EXPECT_THAT(run.out, Not(HasSubstr("FAIL ")));
  EXPECT_THAT(run.out, ContainsRegex("[1-9][0-9]* passed, 0 failed\n$"));
}

// A copy of the service playbook and its suite (with the contexts it reads,
// at the same relative paths) in a fresh directory, with the one occurrence
// of `from` in the policy replaced by `to` (nothing when `from` is empty).
fs::path CopyServicePlaybook(const std::string& dir_name,
                             const std::string& from, const std::string& to) {
  const fs::path root = fs::path(::testing::TempDir()) / dir_name;
  fs::remove_all(root);
  fs::create_directories(root / "policies");
  fs::copy("examples/contexts", root / "contexts", fs::copy_options::recursive);
  fs::copy_file("examples/policies/service_playbook.test.textproto",
                root / "policies" / "service_playbook.test.textproto");
  std::string policy = ReadFile("examples/policies/service_playbook.textproto");
  if (!from.empty()) {
    const size_t at = policy.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    EXPECT_EQ(policy.find(from, at + 1), std::string::npos)
        << from << " is not unique in the policy";
    if (at != std::string::npos) policy.replace(at, from.size(), to);
  }
  WriteFile(root / "policies" / "service_playbook.textproto", policy);
  return root / "policies" / "service_playbook.test.textproto";
}

// The other side of the edge below: the unchanged copy passes, so a failure
// of the changed one is the change's.
TEST(ShippedPolicyTestsTest, AnUnchangedCopyPasses) {
  const fs::path suite = CopyServicePlaybook("playbook_unchanged", "", "");
  TactRun run = RunTact("test '" + suite.string() + "'");
  EXPECT_EQ(run.exit_code, kOk) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr(" passed, 0 failed"));
}

// A money-only change: the ladder's second rung grants 16.00 USD instead of
// 15.00. The suite fails, naming the cases that pinned the amount, and keeps
// passing those that do not depend on it.
TEST(ShippedPolicyTestsTest, ChangingAnAmountFailsTheCasesThatPinIt) {
  const fs::path suite = CopyServicePlaybook(
      "playbook_amount_changed", "params { key: \"amount\" value: \"1500\" }",
      "params { key: \"amount\" value: \"1600\" }");
  TactRun run = RunTact("test '" + suite.string() + "'");
  EXPECT_EQ(run.exit_code, kFailure) << run.out << run.err;
  const std::string fail = "FAIL " + suite.string() + ":";
  EXPECT_THAT(run.out,
              HasSubstr(fail + "unhappy_customer_ladder_one_rung_at_a_time\n"));
  EXPECT_THAT(
      run.out,
      HasSubstr(fail + "second_rung_context_offers_the_small_credit\n"));
  EXPECT_THAT(
      run.out,
      HasSubstr("param goodwill_credit.amount: expected 1500, got 1600"));
  EXPECT_THAT(run.out, HasSubstr("PASS " + suite.string() +
                                 ":contracted_standard_for_everyone\n"));
  EXPECT_THAT(run.out, ContainsRegex("[0-9]+ passed, [1-9][0-9]* failed\n$"));
}

// A rule change: the fraud hold no longer stops the rules below it.
TEST(ShippedPolicyTestsTest, DroppingFinalFromTheFraudHoldFailsItsCase) {
  const fs::path suite = CopyServicePlaybook("playbook_not_final",
                                             "  priority: 100\n  final: true\n",
                                             "  priority: 100\n");
  TactRun run = RunTact("test '" + suite.string() + "'");
  EXPECT_EQ(run.exit_code, kFailure) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("FAIL " + suite.string() +
                                 ":fraud_hold_stops_everything\n"));
  EXPECT_THAT(run.out, ContainsRegex("[0-9]+ passed, [1-9][0-9]* failed\n$"));
}

}  // namespace
}  // namespace tact::cli::testing
