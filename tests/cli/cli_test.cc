// Behaviour of the `tact` tool that goldens alone would not pin down: exit
// codes, where diagnostics point, determinism, and that the example cases
// rank actions the way the example policy intends.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tact/v1/decision.pb.h"
#include "tests/cli/run_tact.h"

namespace tact::cli::testing {
namespace {

using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kPolicyPath[] = "examples/policies/support.textproto";
constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kUsage = 2;

std::string DecideArgs(const std::string& context_path,
                       const std::string& flags) {
  return std::string("decide --policy=") + kPolicyPath +
         " --context=" + context_path + " " + flags;
}

std::string ExampleContext(const std::string& name) {
  return "examples/contexts/" + name + ".json";
}

// Decides on an example context through the CLI and parses the JSON output.
v1::Decision DecideExample(const std::string& name) {
  TactRun run = RunTact(DecideArgs(ExampleContext(name), "--format=json"));
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  v1::Decision decision;
  auto status = google::protobuf::util::JsonStringToMessage(run.out, &decision);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << run.out;
  return decision;
}

std::vector<std::string> ActionIds(const v1::Decision& decision) {
  std::vector<std::string> ids;
  for (const auto& action : decision.actions()) ids.push_back(action.action());
  return ids;
}

const v1::BlockedAction* FindBlocked(const v1::Decision& decision,
                                     const std::string& action) {
  for (const auto& blocked : decision.blocked()) {
    if (blocked.action() == action) return &blocked;
  }
  return nullptr;
}

// --- Usage -------------------------------------------------------------------

TEST(CliUsageTest, HelpOnTheBinaryPrintsUsageAndExitsZero) {
  TactRun run = RunTact("--help");
  EXPECT_EQ(run.exit_code, kOk);
  EXPECT_THAT(run.out, StartsWith("Usage: tact COMMAND"));
  EXPECT_THAT(run.err, IsEmpty());
}

TEST(CliUsageTest, HelpOnEachSubcommandPrintsItsOwnUsage) {
  TactRun check = RunTact("check --help");
  EXPECT_EQ(check.exit_code, kOk);
  EXPECT_THAT(check.out, StartsWith("Usage: tact check [--strict] POLICY..."));
  TactRun decide = RunTact("decide --help");
  EXPECT_EQ(decide.exit_code, kOk);
  EXPECT_THAT(decide.out, StartsWith("Usage: tact decide --policy="));
  // --help wins over otherwise invalid arguments.
  TactRun mixed = RunTact("decide --bogus --help");
  EXPECT_EQ(mixed.exit_code, kOk);
  EXPECT_THAT(mixed.out, StartsWith("Usage: tact decide"));
}

TEST(CliUsageTest, NoCommandIsAUsageError) {
  TactRun run = RunTact("");
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, StartsWith("Usage: tact COMMAND"));
}

TEST(CliUsageTest, UnknownCommandIsAUsageError) {
  TactRun run = RunTact("simulat");
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("unknown command 'simulat'"));
}

TEST(CliUsageTest, UnknownFlagIsAUsageError) {
  TactRun run =
      RunTact(DecideArgs(ExampleContext("infrequent_buyer"), "--explian"));
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("unknown flag '--explian'"));
  EXPECT_THAT(run.out, IsEmpty());
}

TEST(CliUsageTest, FlagOfAnotherSubcommandIsAUsageError) {
  TactRun run = RunTact(std::string("check --format=json ") + kPolicyPath);
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("unknown flag '--format=json'"));
}

TEST(CliUsageTest, DecideWithoutPolicyIsAUsageError) {
  TactRun run = RunTact("decide --context=" + ExampleContext("legal_hold"));
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("--policy is required"));
}

TEST(CliUsageTest, DecideWithoutContextIsAUsageError) {
  TactRun run = RunTact(std::string("decide --policy=") + kPolicyPath);
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("--context is required"));
}

TEST(CliUsageTest, UnknownFormatIsAUsageError) {
  TactRun run =
      RunTact(DecideArgs(ExampleContext("legal_hold"), "--format=xml"));
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("--format must be text or json, not 'xml'"));
}

TEST(CliUsageTest, UnknownTraceLevelIsAUsageError) {
  TactRun run =
      RunTact(DecideArgs(ExampleContext("legal_hold"), "--trace-level=some"));
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err,
              HasSubstr("--trace-level must be off, evaluated or full, not "
                        "'some'"));
  EXPECT_THAT(run.out, IsEmpty());
}

TEST(CliUsageTest, TraceWithAnotherTraceLevelIsAUsageError) {
  TactRun run = RunTact(DecideArgs(ExampleContext("legal_hold"),
                                   "--trace --trace-level=evaluated"));
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("--trace means --trace-level=full"));
  // The same level twice is fine.
  EXPECT_EQ(RunTact(DecideArgs(ExampleContext("legal_hold"),
                               "--trace --trace-level=full"))
                .exit_code,
            kOk);
}

TEST(CliUsageTest, BadBoolValueIsAUsageError) {
  TactRun run =
      RunTact(DecideArgs(ExampleContext("legal_hold"), "--explain=maybe"));
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("--explain"));
}

TEST(CliUsageTest, CheckWithoutPolicyIsAUsageError) {
  TactRun run = RunTact("check");
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("no policy given"));
}

TEST(CliUsageTest, FlagValueMayBeTheNextArgument) {
  TactRun separate =
      RunTact(std::string("decide --policy ") + kPolicyPath + " --context " +
              ExampleContext("legal_hold") + " --format json");
  TactRun joined =
      RunTact(DecideArgs(ExampleContext("legal_hold"), "--format=json"));
  EXPECT_EQ(separate.exit_code, kOk) << separate.err;
  EXPECT_EQ(separate.out, joined.out);
}

// --- check -------------------------------------------------------------------

TEST(CliCheckTest, ValidPolicyReportsRuleAndActionCounts) {
  TactRun run = RunTact(std::string("check ") + kPolicyPath);
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out, ContainsRegex(std::string("^") + kPolicyPath +
                                     ": ok \\([0-9]+ rules, [0-9]+ actions"));
}

TEST(CliCheckTest, MisspeltFieldNamesPositionAndSuggestsTheField) {
  TactRun run = RunTact("check tests/data/cli/misspelt_field.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.out, IsEmpty());
  // Line 9 holds `when: "customer.teir == ...`; the path starts at column 10
  // and the misspelt part ends at column 22.
  EXPECT_THAT(run.err,
              AllOf(ContainsRegex("tests/data/cli/misspelt_field\\.textproto:9:"
                                  "(1[0-9]|2[0-2]): error: "),
                    HasSubstr("vip-late"), HasSubstr("customer.teir"),
                    HasSubstr("did you mean customer.tier?")));
}

TEST(CliCheckTest, ExpressionSyntaxErrorNamesPosition) {
  TactRun run =
      RunTact("check tests/data/cli/expression_syntax_error.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(
      run.err,
      AllOf(ContainsRegex("expression_syntax_error\\.textproto:8:[0-9]+: "
                          "error: "),
            HasSubstr("unfinished")));
}

TEST(CliCheckTest, TextFormatSyntaxErrorNamesPosition) {
  TactRun run =
      RunTact("check tests/data/cli/textproto_syntax_error.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.err,
              ContainsRegex("textproto_syntax_error\\.textproto:[5-9]:[0-9]+: "
                            "error: "));
}

TEST(CliCheckTest, BadRegexIsALoadError) {
  TactRun run = RunTact("check tests/data/cli/bad_regex.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.err,
              AllOf(ContainsRegex("bad_regex\\.textproto:9:[0-9]+: error: "),
                    HasSubstr("angry-words"), ContainsRegex("[Rr]eg")));
}

TEST(CliCheckTest, MissingFileIsAnErrorNamingIt) {
  TactRun run = RunTact("check tests/data/cli/no_such_policy.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.err, HasSubstr("no_such_policy.textproto"));
}

TEST(CliCheckTest, ChecksEveryPolicyAndFailsIfAnyFails) {
  TactRun run = RunTact(std::string("check ") + kPolicyPath +
                        " tests/data/cli/misspelt_field.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.out, HasSubstr(std::string(kPolicyPath) + ": ok"));
  EXPECT_THAT(run.err, HasSubstr("misspelt_field.textproto:9:"));
}

// --- decide ------------------------------------------------------------------

TEST(CliDecideTest, JsonOutputIsByteIdenticalAcrossRuns) {
  const std::string args =
      DecideArgs(ExampleContext("outage_critical"), "--format=json --trace");
  TactRun first = RunTact(args);
  TactRun second = RunTact(args);
  ASSERT_EQ(first.exit_code, kOk) << first.err;
  EXPECT_FALSE(first.out.empty());
  EXPECT_EQ(first.out, second.out);
}

TEST(CliDecideTest, TextOutputIsByteIdenticalAcrossRuns) {
  const std::string args =
      DecideArgs(ExampleContext("demanding_low_spender"), "--explain");
  TactRun first = RunTact(args);
  TactRun second = RunTact(args);
  ASSERT_EQ(first.exit_code, kOk) << first.err;
  EXPECT_EQ(first.out, second.out);
}

TEST(CliDecideTest, JsonOutputIsADecisionOfThePolicy) {
  v1::Decision decision = DecideExample("late_delivery_vip");
  EXPECT_EQ(decision.policy_name(), "support");
  EXPECT_EQ(decision.policy_version(), "2026.03");
  EXPECT_THAT(decision.policy_hash(), StartsWith("sha256:"));
  ASSERT_GT(decision.actions_size(), 0);
  for (int i = 0; i < decision.actions_size(); ++i) {
    EXPECT_EQ(decision.actions(i).rank(), i + 1);
  }
  EXPECT_EQ(decision.trace_size(), 0) << "trace only when asked";
}

TEST(CliDecideTest, TraceFlagAddsOneTraceEntryPerRule) {
  TactRun run = RunTact(
      DecideArgs(ExampleContext("legal_hold"), "--format=json --trace"));
  ASSERT_EQ(run.exit_code, kOk) << run.err;
  v1::Decision decision;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &decision).ok());
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromFile(kPolicyPath);
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ(decision.trace_size(), (*engine)->policy().rules_size());
}

// Each level in the JSON, and the evaluated trace lists fewer rules than
// the full one (the index leaves out the rest) but every one that fired.
TEST(CliDecideTest, TraceLevelChoosesTheTraceInJson) {
  auto decide = [](const std::string& flags) {
    TactRun run = RunTact(DecideArgs(ExampleContext("late_delivery_vip"),
                                     "--format=json " + flags));
    EXPECT_EQ(run.exit_code, kOk) << run.err;
    v1::Decision decision;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(run.out, &decision).ok());
    return decision;
  };
  v1::Decision off = decide("--trace-level=off");
  v1::Decision evaluated = decide("--trace-level=evaluated");
  v1::Decision full = decide("--trace-level=full");
  EXPECT_EQ(off.trace_level(), v1::TRACE_OFF);
  EXPECT_EQ(off.trace_size(), 0);
  EXPECT_EQ(evaluated.trace_level(), v1::TRACE_EVALUATED);
  EXPECT_EQ(full.trace_level(), v1::TRACE_FULL);
  EXPECT_GT(evaluated.trace_size(), 0);
  EXPECT_LT(evaluated.trace_size(), full.trace_size());
  int fired_evaluated = 0, fired_full = 0;
  for (const auto& t : evaluated.trace()) fired_evaluated += t.fired();
  for (const auto& t : full.trace()) fired_full += t.fired();
  EXPECT_EQ(fired_evaluated, fired_full);
  // --explain records the full trace unless told otherwise.
  EXPECT_EQ(decide("--explain").trace_level(), v1::TRACE_FULL);
  EXPECT_EQ(decide("--explain --trace-level=evaluated").trace_level(),
            v1::TRACE_EVALUATED);
}

TEST(CliDecideTest, TextSaysAnEvaluatedTraceListsOnlyEvaluatedRules) {
  TactRun run = RunTact(DecideArgs(ExampleContext("late_delivery_vip"),
                                   "--trace-level=evaluated"));
  ASSERT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out,
              HasSubstr("only the rules the rule index evaluated are listed"));
  // --explain without a trace prints no trace section.
  TactRun explained = RunTact(DecideArgs(ExampleContext("late_delivery_vip"),
                                         "--explain --trace-level=off"));
  ASSERT_EQ(explained.exit_code, kOk) << explained.err;
  EXPECT_THAT(explained.out, HasSubstr("What to do, and why"));
  EXPECT_THAT(explained.out, Not(HasSubstr("Rule trace")));
}

TEST(CliDecideTest, BinaryContextDecidesLikeItsJson) {
  const std::string json_path = ExampleContext("outage_critical");
  std::ifstream json_file(json_path);
  std::string json((std::istreambuf_iterator<char>(json_file)),
                   std::istreambuf_iterator<char>());
  absl::StatusOr<v1::Context> context = ContextFromJson(json);
  ASSERT_TRUE(context.ok()) << context.status();
  const std::string binary_path =
      ::testing::TempDir() + "outage_critical_context.binpb";
  {
    std::ofstream out(binary_path, std::ios::binary);
    ASSERT_TRUE(context->SerializeToOstream(&out));
  }
  TactRun from_json = RunTact(DecideArgs(json_path, "--format=json"));
  TactRun from_binary = RunTact(DecideArgs(binary_path, "--format=json"));
  EXPECT_EQ(from_binary.exit_code, kOk) << from_binary.err;
  EXPECT_EQ(from_binary.out, from_json.out);
}

TEST(CliDecideTest, PolicyErrorsAreReportedAndExitOne) {
  TactRun run = RunTact(
      "decide --policy=tests/data/cli/misspelt_field.textproto --context=" +
      ExampleContext("late_delivery_vip"));
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(run.err, HasSubstr("did you mean customer.tier?"));
}

TEST(CliDecideTest, MissingContextFileExitsOne) {
  TactRun run = RunTact(DecideArgs("tests/data/cli/no_such_context.json", ""));
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.err,
              HasSubstr("tests/data/cli/no_such_context.json: error:"));
}

TEST(CliDecideTest, ContextWithUnknownFieldExitsOne) {
  TactRun run =
      RunTact(DecideArgs("tests/data/cli/context_unknown_field.json", ""));
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.err, AllOf(HasSubstr("context_unknown_field.json: error:"),
                             HasSubstr("loyalty")));
  EXPECT_THAT(run.out, IsEmpty());
}

TEST(CliDecideTest, ContextWithoutNowExitsOne) {
  TactRun run =
      RunTact(DecideArgs("tests/data/cli/context_without_now.json", ""));
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.err, AllOf(HasSubstr("context_without_now.json: error:"),
                             HasSubstr("now")));
}

TEST(CliDecideTest, UnknownAuthorityExitsOne) {
  TactRun run = RunTact(
      DecideArgs(ExampleContext("late_delivery_vip"), "--authority=intern"));
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.err, HasSubstr("intern"));
  EXPECT_THAT(run.out, IsEmpty());
}

TEST(CliDecideTest, ExplainAddsSentencesAndRuleTrace) {
  TactRun plain = RunTact(DecideArgs(ExampleContext("legal_hold"), ""));
  TactRun explained =
      RunTact(DecideArgs(ExampleContext("legal_hold"), "--explain"));
  ASSERT_EQ(explained.exit_code, kOk) << explained.err;
  EXPECT_THAT(plain.out, Not(HasSubstr("Rule trace")));
  EXPECT_THAT(explained.out,
              AllOf(StartsWith(plain.out), HasSubstr("What to do, and why"),
                    HasSubstr("Rule trace: "),
                    ContainsRegex("fired +legal-or-fraud-hold"),
                    ContainsRegex("shadowed +apology-first")));
}

// --- The example cases rank as the policy intends ----------------------------

TEST(CliExamplesTest, ServiceFailureStartsWithTheApology) {
  for (const char* name : {"late_delivery_vip", "outage_critical"}) {
    v1::Decision decision = DecideExample(name);
    ASSERT_GT(decision.actions_size(), 0) << name;
    EXPECT_EQ(decision.actions(0).action(), "apologize") << name;
  }
}

TEST(CliExamplesTest, BigSpenderLetDownGetsRecoveryAndCallbackCreditLater) {
  // Seed 002: never everything at once; the credit waits for round two (the
  // next contact after the recorded apology, see support.test.textproto).
  v1::Decision decision = DecideExample("late_delivery_vip");
  EXPECT_THAT(ActionIds(decision),
              ::testing::IsSupersetOf({"apologize", "expedite_fix",
                                       "surprise_gesture", "callback"}));
  EXPECT_THAT(ActionIds(decision), Not(::testing::Contains("goodwill_credit")));
}

TEST(CliExamplesTest, BotNeedsApprovalForTheCallback) {
  TactRun run = RunTact(DecideArgs(ExampleContext("late_delivery_vip"),
                                   "--format=json --authority=bot"));
  ASSERT_EQ(run.exit_code, kOk) << run.err;
  v1::Decision decision;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &decision).ok());
  EXPECT_THAT(ActionIds(decision), Not(::testing::Contains("goodwill_credit")));
  EXPECT_THAT(ActionIds(decision), Not(::testing::Contains("callback")));
  ASSERT_EQ(decision.needs_approval_size(), 1);
  EXPECT_EQ(decision.needs_approval(0).action(), "callback");
  EXPECT_EQ(decision.needs_approval(0).required_authority(), "agent");
}

TEST(CliExamplesTest, OutagePastTheWindowEscalates) {
  v1::Decision decision = DecideExample("outage_critical");
  EXPECT_THAT(ActionIds(decision),
              ::testing::IsSupersetOf({"expedite_fix", "escalate_to_supervisor",
                                       "status_updates"}));
}

TEST(CliExamplesTest, ProspectIsAskedToBuyAndGetsNoGoodwill) {
  v1::Decision decision = DecideExample("prospect_many_questions");
  EXPECT_THAT(ActionIds(decision), ::testing::Contains("ask_for_purchase"));
  EXPECT_THAT(ActionIds(decision), Not(::testing::Contains("goodwill_credit")));
  const v1::BlockedAction* blocked = FindBlocked(decision, "goodwill_credit");
  ASSERT_NE(blocked, nullptr);
  EXPECT_EQ(blocked->blocked_by().source_id(), "no-goodwill-for-prospects");
}

TEST(CliExamplesTest, DemandingLowSpenderIsOfferedPremiumNotAFreeCallback) {
  v1::Decision decision = DecideExample("demanding_low_spender");
  EXPECT_THAT(
      ActionIds(decision),
      ::testing::IsSupersetOf({"offer_premium_plan", "set_expectations"}));
  EXPECT_THAT(ActionIds(decision), Not(::testing::Contains("callback")));
  const v1::BlockedAction* blocked = FindBlocked(decision, "callback");
  ASSERT_NE(blocked, nullptr);
  EXPECT_EQ(blocked->blocked_by().source_id(), "no-free-special-treatment");
}

TEST(CliExamplesTest, ThirdStrikeDeclinesAndReviewsOnly) {
  v1::Decision decision = DecideExample("repeat_complainer");
  EXPECT_THAT(ActionIds(decision), ::testing::UnorderedElementsAre(
                                       "polite_decline", "account_review"));
}

TEST(CliExamplesTest, InfrequentBuyerIsOfferedASchedule) {
  v1::Decision decision = DecideExample("infrequent_buyer");
  EXPECT_THAT(ActionIds(decision), ::testing::Contains("offer_order_schedule"));
}

TEST(CliExamplesTest, ConnectorInPublicGetsAPublicReplyFirst) {
  v1::Decision decision = DecideExample("connector_social_complaint");
  ASSERT_GT(decision.actions_size(), 0);
  EXPECT_THAT(
      ActionIds(decision),
      ::testing::IsSupersetOf({"public_reply", "callback", "explain_policy"}));
  EXPECT_THAT(ActionIds(decision), Not(::testing::Contains("goodwill_credit")));
}

TEST(CliExamplesTest, LegalHoldStopsEverythingElse) {
  v1::Decision decision = DecideExample("legal_hold");
  EXPECT_THAT(ActionIds(decision), ::testing::ElementsAre("risk_review"));
}

// --- Output that cannot be written, threads (issue 14 #4) -------------------

constexpr int kOutputFailed = 3;

TEST(CliOutputTest, UnwritableOutputIsAnErrorForEveryCommand) {
  const std::string commands[] = {
      DecideArgs(ExampleContext("late_delivery_vip"), "--format=json"),
      std::string("check ") + kPolicyPath,
      std::string("simulate --policy=tests/data/simulate/policy.textproto "
                  "--cases=tests/data/simulate/cases.jsonl --threads=1")};
  for (const std::string& command : commands) {
    TactRun ok = RunTact(command);
    EXPECT_EQ(ok.exit_code, kOk) << command << "\n" << ok.err;
    TactRun full = RunTact(command + " > /dev/full");
    EXPECT_EQ(full.exit_code, kOutputFailed) << command;
    EXPECT_THAT(full.err,
                HasSubstr("tact: error: cannot write the output to standard "
                          "output"))
        << command;
  }
}

TEST(CliUsageTest, TooManyThreadsIsAUsageErrorNotAnAbort) {
  const std::string simulate =
      "simulate --policy=tests/data/simulate/policy.textproto "
      "--cases=tests/data/simulate/cases.jsonl ";
  TactRun many = RunTact(simulate + "--threads=100000");
  EXPECT_EQ(many.exit_code, kUsage);
  EXPECT_THAT(many.err, HasSubstr("--threads must be at most 256"));
  TactRun most = RunTact(simulate + "--threads=256");
  EXPECT_EQ(most.exit_code, kOk) << most.err;
}

// A cases file may be any size, but each line is one context: a line over
// the context file limit stops the read naming it (it was read whole, at any
// size). A line at the limit is read, and counted as not parsing.
TEST(CliSimulateTest, ACasesLineOverTheContextLimitIsAnErrorNamingTheLine) {
  std::ifstream sample("tests/data/simulate/cases.jsonl");
  std::string first;
  ASSERT_TRUE(std::getline(sample, first));
  const auto write = [&](const std::string& name, size_t line_bytes) {
    const std::string path = ::testing::TempDir() + name;
    std::ofstream out(path, std::ios::binary);
    out << first << "\n"
        << std::string(line_bytes, 'x') << "\n"
        << first << "\n";
    return path;
  };
  const std::string simulate =
      "simulate --policy=tests/data/simulate/policy.textproto --threads=1 "
      "--cases=";
  const std::string over = write("cases_over.jsonl", (64 << 20) + 1);
  TactRun run = RunTact(simulate + over);
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.err,
              HasSubstr(over + ":2: error: the line is more than 67108864 "
                               "bytes, the limit for one context "
                               "(kDefaultMaxContextBytes)\n"));
  std::remove(over.c_str());
  const std::string at = write("cases_at.jsonl", 64 << 20);
  run = RunTact(simulate + at);
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.err, Not(HasSubstr("kDefaultMaxContextBytes")));
  std::remove(at.c_str());
}

// --- tact test (issue 15) ----------------------------------------------------

constexpr char kTestData[] = "tests/data/policy_test";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

TEST(CliTestCommandTest, PassingSuitePrintsOneLinePerCaseAndExitsZero) {
  TactRun run =
      RunTact(std::string("test ") + kTestData + "/case_life.test.textproto");
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_EQ(run.out,
            "PASS tests/data/policy_test/case_life.test.textproto:"
            "unhappy_first_rung\n"
            "PASS tests/data/policy_test/case_life.test.textproto:"
            "second_strike_is_warned\n"
            "PASS tests/data/policy_test/case_life.test.textproto:"
            "credit_after_two_hours\n"
            "PASS tests/data/policy_test/case_life.test.textproto:"
            "bot_sends_the_callback_for_approval\n"
            "4 passed, 0 failed\n");
  EXPECT_THAT(run.err, IsEmpty());
}

TEST(CliTestCommandTest, FailingCasePrintsItsDiffIndentedAndExitsOne) {
  TactRun run = RunTact(std::string("test ") + kTestData + "/failing");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.out,
              HasSubstr("PASS tests/data/policy_test/failing/"
                        "failing.test.textproto:passes\n"
                        "FAIL tests/data/policy_test/failing/"
                        "failing.test.textproto:wrong_actions\n"
                        "    actions: expected [reply, explain_problem], got "
                        "[explain_problem, reply]\n"
                        "    missing blocked goodwill_credit "
                        "(budget_exhausted); got blocked: []\n"));
  // A timeline's lines name the step that differed.
  EXPECT_THAT(run.out,
              HasSubstr("FAIL tests/data/policy_test/failing/"
                        "failing.test.textproto:wrong_amount_in_a_timeline\n"
                        "    step 2 (Two hours later): param "
                        "goodwill_credit.amount: expected 2000, got 1500\n"));
  EXPECT_THAT(run.out, ::testing::EndsWith("\n1 passed, 2 failed\n"));
}

TEST(CliTestCommandTest, BrokenSuiteIsOneFailureNamingWhere) {
  TactRun run = RunTact(std::string("test ") + kTestData + "/broken " +
                        kTestData + "/case_life.test.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.out,
              StartsWith("FAIL tests/data/policy_test/broken/"
                         "unknown_field.test.textproto (the suite did not "
                         "load)\n    tests/data/policy_test/broken/"
                         "unknown_field.test.textproto:10:3: "));
  EXPECT_THAT(run.out, ::testing::EndsWith("\n4 passed, 1 failed\n"));
}

TEST(CliTestCommandTest, DirectoryRunsEverySuiteBelowItSorted) {
  TactRun run = RunTact(std::string("test ") + kTestData);
  EXPECT_EQ(run.exit_code, kFailure);
  const size_t broken = run.out.find("broken/unknown_field");
  const size_t passing = run.out.find("case_life.test.textproto:");
  const size_t failing = run.out.find("failing/failing.test.textproto:");
  ASSERT_NE(failing, std::string::npos) << run.out;
  EXPECT_LT(broken, passing);
  EXPECT_LT(passing, failing);
  EXPECT_THAT(run.out, ::testing::EndsWith("\n5 passed, 3 failed\n"));
}

TEST(CliTestCommandTest, MissingPathFailsAndUsageErrorsExitTwo) {
  TactRun missing = RunTact(std::string("test ") + kTestData + "/nowhere");
  EXPECT_EQ(missing.exit_code, kFailure);
  EXPECT_THAT(missing.out, HasSubstr("no such file or directory"));
  EXPECT_THAT(missing.out, ::testing::EndsWith("0 passed, 1 failed\n"));
  TactRun none = RunTact("test");
  EXPECT_EQ(none.exit_code, kUsage);
  EXPECT_THAT(none.err, HasSubstr("no test file or directory given"));
  TactRun flag = RunTact(std::string("test --junti=x ") + kTestData);
  EXPECT_EQ(flag.exit_code, kUsage);
  EXPECT_THAT(flag.err, HasSubstr("unknown flag '--junti=x'"));
}

TEST(CliTestCommandTest, AuthorityFlagOverridesEveryCase) {
  TactRun run = RunTact(std::string("test --authority=robot ") + kTestData +
                        "/case_life.test.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.out, HasSubstr("decide failed: unknown authority \"robot\""));
}

TEST(CliTestCommandTest, JUnitReportHoldsEverySuiteAndFailure) {
  const std::string path = ::testing::TempDir() + "policy_tests.xml";
  TactRun run = RunTact(std::string("test --junit=") + path + " " + kTestData);
  EXPECT_EQ(run.exit_code, kFailure);
  const std::string xml = ReadAll(path);
  EXPECT_THAT(xml, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<testsuites name=\"tact test\" tests=\"8\" "
                              "failures=\"2\" errors=\"1\">\n"));
  EXPECT_THAT(xml,
              HasSubstr("  <testsuite name=\"tests/data/policy_test/"
                        "case_life.test.textproto\" tests=\"4\" "
                        "failures=\"0\" errors=\"0\">\n"
                        "    <testcase classname=\"tests/data/policy_test/"
                        "case_life.test.textproto\" name=\"unhappy_first_rung\""
                        "/>\n"));
  EXPECT_THAT(xml,
              HasSubstr("name=\"wrong_actions\">\n"
                        "      <failure message=\"actions: expected [reply, "
                        "explain_problem], got [explain_problem, reply]\">"
                        "actions: expected [reply, explain_problem], got "
                        "[explain_problem, reply]&#10;missing blocked "
                        "goodwill_credit (budget_exhausted); got blocked: "
                        "[]</failure>\n"));
  // The load error, with protobuf's quotes escaped.
  EXPECT_THAT(xml, HasSubstr("name=\"(load)\">\n      <error message=\""
                             "tests/data/policy_test/broken/"
                             "unknown_field.test.textproto:10:3: Message type "
                             "&quot;tact.v1.PolicyTestCase&quot; has no field "
                             "named &quot;expct&quot;.\">"));
  std::remove(path.c_str());
}

// Whether `text` is well-formed UTF-8 holding only characters XML 1.0
// allows (no controls but tab, newline and carriage return).
bool IsXmlSafeUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
      ++i;
      continue;
    }
    size_t n = c >= 0xF0 && c <= 0xF4   ? 4
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xC2 && c <= 0xDF ? 2
                                        : 0;
    if (n == 0 || i + n > text.size()) return false;
    uint32_t code = c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
      const unsigned char b = text[i + k];
      if ((b & 0xC0) != 0x80) return false;
      code = (code << 6) | (b & 0x3F);
    }
    if ((n == 3 && code < 0x800) || (n == 4 && code < 0x10000) ||
        code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) ||
        code == 0xFFFE || code == 0xFFFF) {
      return false;
    }
    i += n;
  }
  return true;
}

// Bytes that are not UTF-8 (in expectations, hence in failure lines, and in
// file names) become U+FFFD in the JUnit file, as do controls; valid UTF-8
// is kept.
TEST(CliTestCommandTest, JUnitReportIsValidUtf8WhateverTheBytes) {
  const std::string dir = ::testing::TempDir() + "junit_bytes";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream suite(dir + "/b\xff.test.textproto");
    suite << "policy: \""
          << std::filesystem::absolute(std::string(kTestData) +
                                       "/case_life.textproto")
                 .string()
          << "\"\n"
          << R"(cases { name: "bytes"
  context { now { seconds: 1773144000 } customer { id: "c" } case { id: "k" } }
  expect {
    effects { kind: "\377" ref: "\300\200" }
    flags: "\377\376 <x>\001" flags: "caf\303\251"
  }
})";
  }
  const std::string path = ::testing::TempDir() + "bytes.xml";
  TactRun run = RunTact("test --junit=" + path + " " + dir);
  EXPECT_EQ(run.exit_code, kFailure) << run.out << run.err;
  const std::string xml = ReadAll(path);
  EXPECT_TRUE(IsXmlSafeUtf8(xml)) << xml;
  const std::string bad = "\xEF\xBF\xBD";  // U+FFFD
  EXPECT_THAT(xml, HasSubstr("b" + bad + ".test.textproto"));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"effects: expected [" + bad +
                             "(" + bad + bad + ")] in this order, got []\">"));
  EXPECT_THAT(xml, HasSubstr("flags: expected [" + bad + bad + " &lt;x&gt;" +
                             bad + ", caf\xC3\xA9] in this order, got []"));
  std::remove(path.c_str());
}

// A PATH that holds no suite is in the report as a load error, as it is in
// the exit status.
TEST(CliTestCommandTest, JUnitReportHoldsPathsWithoutASuite) {
  const std::string path = ::testing::TempDir() + "missing.xml";
  TactRun run = RunTact(std::string("test --junit=") + path + " " + kTestData +
                        "/nowhere " + kTestData + "/case_life.test.textproto");
  EXPECT_EQ(run.exit_code, kFailure);
  const std::string xml = ReadAll(path);
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"tact test\" tests=\"5\" "
                             "failures=\"0\" errors=\"1\">\n"
                             "  <testsuite name=\"tests/data/policy_test/"
                             "nowhere\" tests=\"1\" failures=\"0\" "
                             "errors=\"1\">\n"
                             "    <testcase classname=\"tests/data/"
                             "policy_test/nowhere\" name=\"(load)\">\n"
                             "      <error message=\"tests/data/policy_test/"
                             "nowhere: no such file or directory\">"));
  std::remove(path.c_str());
}

TEST(CliTestCommandTest, UnwritableJUnitFileIsAnOutputFailure) {
  TactRun run = RunTact(std::string("test --junit=/nonexistent/dir/x.xml ") +
                        kTestData + "/case_life.test.textproto");
  EXPECT_EQ(run.exit_code, kOutputFailed);
  EXPECT_THAT(run.err, HasSubstr("/nonexistent/dir/x.xml: error: cannot "
                                 "write the JUnit report"));
  TactRun full = RunTact(std::string("test ") + kTestData +
                         "/case_life.test.textproto > /dev/full");
  EXPECT_EQ(full.exit_code, kOutputFailed);
}

// --- tact test --coverage (issue 15) ----------------------------------------

constexpr char kCaseLifeCoverage[] =
    "coverage of tests/data/policy_test/case_life.textproto (tested by "
    "tests/data/policy_test/case_life.test.textproto)\n"
    "    coverage 6/9 (66.6%) over 7 decisions\n"
    "    rules 1/1 (100.0%)\n"
    "    rungs 2/2 (100.0%)\n"
    "    strike_limits 2/3 (66.6%)\n"
    "      never reached: strike_limit \"time_wasting\" at_limit\n"
    "    playbooks 0/0 (none declared)\n"
    "    budgets 1/3 (33.3%)\n"
    "      never reached: budget \"goodwill\" clipped\n"
    "      never reached: budget \"goodwill\" exhausted\n"
    "    service_levels 0/0 (none declared)\n";

TEST(CliTestCoverageTest, CoveragePrintsEachPolicyAfterTheCases) {
  TactRun run = RunTact(std::string("test --coverage ") + kTestData +
                        "/case_life.test.textproto");
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_EQ(run.out,
            "PASS tests/data/policy_test/case_life.test.textproto:"
            "unhappy_first_rung\n"
            "PASS tests/data/policy_test/case_life.test.textproto:"
            "second_strike_is_warned\n"
            "PASS tests/data/policy_test/case_life.test.textproto:"
            "credit_after_two_hours\n"
            "PASS tests/data/policy_test/case_life.test.textproto:"
            "bot_sends_the_callback_for_approval\n" +
                std::string(kCaseLifeCoverage) + "4 passed, 0 failed\n");
  EXPECT_THAT(run.err, IsEmpty());
  // Without the flag, no coverage.
  TactRun plain =
      RunTact(std::string("test ") + kTestData + "/case_life.test.textproto");
  EXPECT_THAT(plain.out, Not(HasSubstr("coverage")));
}

TEST(CliTestCoverageTest, ASuiteThatMissesARuleListsItAsNeverReached) {
  TactRun run = RunTact("test --coverage tests/data/policy_coverage");
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out, HasSubstr("    coverage 0/9 (0.0%) over 1 decision\n"
                                 "    rules 0/1 (0.0%)\n"
                                 "      never reached: rule \"answer\"\n"));
  EXPECT_THAT(run.out, ::testing::EndsWith("\n1 passed, 0 failed\n"));
}

// Two suites of one policy file (named by different relative paths) are one
// coverage: the rule the second suite misses, the first reaches.
TEST(CliTestCoverageTest, SuitesOfOnePolicyAreFoldedIntoOneCoverage) {
  TactRun run =
      RunTact(std::string("test --coverage ") + "tests/data/policy_coverage " +
              kTestData + "/case_life.test.textproto");
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out,
              HasSubstr("coverage of tests/data/policy_test/case_life.textproto"
                        " (tested by tests/data/policy_coverage/"
                        "no_answer.test.textproto, tests/data/policy_test/"
                        "case_life.test.textproto)\n"
                        "    coverage 6/9 (66.6%) over 8 decisions\n"
                        "    rules 1/1 (100.0%)\n"));
  EXPECT_THAT(run.out, Not(HasSubstr("never reached: rule")));
  size_t count = 0;
  for (size_t at = run.out.find("coverage of "); at != std::string::npos;
       at = run.out.find("coverage of ", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << run.out;
}

// 6/9 is 66.67%: 66.6 (what the summary shows) passes, 66.7 fails.
TEST(CliTestCoverageTest, MinCoverageFailsBelowAndPassesExactlyAt) {
  const std::string suite =
      std::string(kTestData) + "/case_life.test.textproto";
  TactRun at = RunTact("test --min-coverage=66.6 " + suite);
  EXPECT_EQ(at.exit_code, kOk) << at.out << at.err;
  // --min-coverage implies --coverage.
  EXPECT_THAT(at.out, HasSubstr(kCaseLifeCoverage));
  EXPECT_THAT(at.out, Not(HasSubstr("is below")));
  EXPECT_THAT(at.out, ::testing::EndsWith("\n4 passed, 0 failed\n"));

  TactRun above = RunTact("test --min-coverage=66.7% " + suite);
  EXPECT_EQ(above.exit_code, kFailure) << above.out << above.err;
  EXPECT_THAT(above.out,
              HasSubstr(std::string(kCaseLifeCoverage) +
                        "FAIL coverage of tests/data/policy_test/"
                        "case_life.textproto: 66.6% (6/9) is below 66.7%\n"
                        "4 passed, 0 failed\n"));

  TactRun full = RunTact("test --coverage --min-coverage=100 " + suite);
  EXPECT_EQ(full.exit_code, kFailure);
  TactRun zero = RunTact("test --min-coverage=0 tests/data/policy_coverage");
  EXPECT_EQ(zero.exit_code, kOk) << zero.out;
}

// With --coverage, the JUnit report has a testsuite per policy: its
// summary in <system-out>, a <failure> only below --min-coverage.
TEST(CliTestCoverageTest, JUnitReportHoldsTheCoverage) {
  const std::string path = ::testing::TempDir() + "coverage_tests.xml";
  const std::string suite =
      std::string(kTestData) + "/case_life.test.textproto";
  const std::string coverage_suite =
      "  <testsuite name=\"coverage of tests/data/policy_test/"
      "case_life.textproto\" tests=\"1\" failures=\"";
  const std::string coverage_case =
      "    <testcase classname=\"tests/data/policy_test/case_life.textproto\" "
      "name=\"coverage\">\n";
  const std::string system_out =
      "      <system-out>coverage 6/9 (66.6%) over 7 decisions&#10;rules 1/1 "
      "(100.0%)&#10;";

  TactRun met =
      RunTact("test --min-coverage=66.6 --junit=" + path + " " + suite);
  EXPECT_EQ(met.exit_code, kOk) << met.out << met.err;
  std::string xml = ReadAll(path);
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"tact test\" tests=\"5\" "
                             "failures=\"0\" errors=\"0\">\n"));
  EXPECT_THAT(xml, HasSubstr(coverage_suite + "0\" errors=\"0\">\n" +
                             coverage_case + system_out));
  EXPECT_THAT(xml, Not(HasSubstr("<failure")));

  TactRun below =
      RunTact("test --min-coverage=66.7 --junit=" + path + " " + suite);
  EXPECT_EQ(below.exit_code, kFailure) << below.out << below.err;
  xml = ReadAll(path);
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"tact test\" tests=\"5\" "
                             "failures=\"1\" errors=\"0\">\n"));
  EXPECT_THAT(xml,
              HasSubstr(coverage_suite + "1\" errors=\"0\">\n" + coverage_case +
                        "      <failure message=\"coverage of "
                        "tests/data/policy_test/case_life.textproto: "
                        "66.6% (6/9) is below 66.7%\">"));

  // Without --coverage, no coverage in the report.
  TactRun plain = RunTact("test --junit=" + path + " " + suite);
  EXPECT_EQ(plain.exit_code, kOk);
  EXPECT_THAT(ReadAll(path), Not(HasSubstr("coverage")));
  std::remove(path.c_str());
}

TEST(CliTestCoverageTest, BadMinCoverageIsAUsageError) {
  const std::string suite =
      std::string(kTestData) + "/case_life.test.textproto";
  for (const char* bad : {"abc", "101", "-5", "85.55", "", "50%%"}) {
    SCOPED_TRACE(bad);
    TactRun run =
        RunTact(std::string("test '--min-coverage=") + bad + "' " + suite);
    EXPECT_EQ(run.exit_code, kUsage) << run.out;
    EXPECT_THAT(run.err, HasSubstr("tact test: --min-coverage: "));
    EXPECT_THAT(run.out, IsEmpty());
  }
}

// --- simulate --baseline as a gate (issue 15 #3) ----------------------------

constexpr int kDiffGate = 4;

// `tact simulate` of tests/data/simulate/diff/VARIANT.textproto against
// base.textproto (same name@version), with `flags`.
TactRun SimulateDiff(const std::string& variant, const std::string& flags) {
  return RunTact(
      "simulate --policy=tests/data/simulate/diff/" + variant +
      ".textproto --baseline=tests/data/simulate/diff/base.textproto "
      "--cases=tests/data/simulate/diff/cases.jsonl --threads=1 " +
      flags);
}

TEST(CliSimulateDiffTest, AMoneyOnlyChangeFailsTheMoneyAndAnyGates) {
  TactRun run = SimulateDiff("money", "");
  EXPECT_EQ(run.exit_code, kOk) << "no --fail-on: the diff is not a gate";
  EXPECT_THAT(
      run.out,
      AllOf(HasSubstr("with diff_small@1 "
                      "(tests/data/simulate/diff/money.textproto) against "
                      "baseline diff_small@1 "
                      "(tests/data/simulate/diff/base.textproto)"),
            HasSubstr("Changed decisions: 1 (25.0%)\n"),
            ContainsRegex("\n  params +1 case  -2.50 USD\n"),
            ContainsRegex("\n  effects +1 case  -2.50 USD\n"),
            HasSubstr("  goodwill -2.50 USD (policy - baseline); money moved "
                      "in 1, actions changed in 0\n"),
            HasSubstr("\n      credit amount 1500 -> 1250 (-2.50 USD)\n")));
  // The labels are too wide for the columns: those say which is which.
  EXPECT_THAT(run.out, ContainsRegex("\n +baseline +policy\n"));

  run = SimulateDiff("money", "--fail-on=money");
  EXPECT_EQ(run.exit_code, kDiffGate);
  EXPECT_THAT(run.err, HasSubstr("tact simulate: the diff fails "
                                 "--fail-on=money: 1 case changed\n"));
  EXPECT_THAT(run.out, HasSubstr("credit amount 1500 -> 1250"))
      << "the output is complete";
  EXPECT_EQ(SimulateDiff("money", "--fail-on=any").exit_code, kDiffGate);
  EXPECT_EQ(SimulateDiff("money", "--fail-on=actions").exit_code, kOk);
}

TEST(CliSimulateDiffTest, GatesPassWhenNothingOfTheirKindChanged) {
  for (const char* gate : {"any", "money", "actions"}) {
    TactRun run = SimulateDiff("identical", std::string("--fail-on=") + gate);
    EXPECT_EQ(run.exit_code, kOk) << gate << "\n" << run.err;
    EXPECT_THAT(run.out, HasSubstr("Changed decisions: 0 (0.0%)\n"));
  }
  EXPECT_EQ(SimulateDiff("order", "--fail-on=actions").exit_code, kDiffGate);
  EXPECT_EQ(SimulateDiff("order", "--fail-on=money").exit_code, kOk);
  EXPECT_EQ(SimulateDiff("blocked_code", "--fail-on=any").exit_code, kDiffGate);
  EXPECT_EQ(SimulateDiff("blocked_code", "--fail-on=actions").exit_code, kOk);
}

TEST(CliSimulateDiffTest, GateFilesAreWrittenBeforeTheGateFails) {
  const std::string json = ::testing::TempDir() + "diff_gate.json";
  TactRun run = SimulateDiff("money", "--fail-on=money --json=" + json);
  EXPECT_EQ(run.exit_code, kDiffGate);
  std::ifstream in(json);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  EXPECT_THAT(text, AllOf(HasSubstr("\"goodwill_delta\": -250"),
                          HasSubstr("\"params\": {\"cases\": 1, \"money\": "
                                    "-250}")));
  std::remove(json.c_str());
}

TEST(CliSimulateDiffTest, FailOnNeedsABaselineAndAKnownKind) {
  TactRun run = RunTact(
      "simulate --policy=tests/data/simulate/policy.textproto "
      "--cases=tests/data/simulate/cases.jsonl --fail-on=any");
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("--fail-on needs --baseline"));
  run = SimulateDiff("money", "--fail-on=everything");
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err, HasSubstr("--fail-on='everything': expected any, "
                                 "money or actions"));
}

TEST(CliSimulateDiffTest, AnEmptyFailOnIsAUsageError) {
  TactRun run = SimulateDiff("money", "--fail-on=");
  EXPECT_EQ(run.exit_code, kUsage);
  EXPECT_THAT(run.err,
              HasSubstr("--fail-on='': expected any, money or actions"));
  EXPECT_EQ(SimulateDiff("money", "").exit_code, kOk) << "not given: no gate";
}

// The diff of tests/data/simulate/diff/`policy` against `baseline` over
// `cases` there.
TactRun SimulatePair(const std::string& policy, const std::string& baseline,
                     const std::string& cases, const std::string& flags) {
  return RunTact("simulate --policy=tests/data/simulate/diff/" + policy +
                 ".textproto --baseline=tests/data/simulate/diff/" + baseline +
                 ".textproto --cases=tests/data/simulate/diff/" + cases +
                 " --threads=1 " + flags);
}

TEST(CliSimulateDiffTest, CasesThePolicyCannotDecideFailEveryGate) {
  // undecidable.textproto declares vip an int; lines 2 and 3 give a string.
  for (const char* gate : {"any", "money", "actions"}) {
    TactRun run = SimulatePair("undecidable", "base", "undecidable_cases.jsonl",
                               std::string("--fail-on=") + gate);
    EXPECT_EQ(run.exit_code, kDiffGate) << gate;
    EXPECT_THAT(run.err, HasSubstr("2 cases changed (2 decided by one policy "
                                   "only)\n"))
        << gate;
    EXPECT_THAT(
        run.out,
        AllOf(HasSubstr("Changed decisions: 2 (66.7%)\n"),
              ContainsRegex("\n  undecidable +2 cases\n"),
              HasSubstr("  line 3 case u3: reply, apologize, credit -> "
                        "(none)\n      policy could not decide: attribute "
                        "'vip' is a string; the policy declares int\n"),
              HasSubstr("Cases that could not be decided: 2\n")));
  }
  TactRun run = SimulatePair("base", "undecidable", "undecidable_cases.jsonl",
                             "--fail-on=actions");
  EXPECT_EQ(run.exit_code, kDiffGate);
  EXPECT_THAT(run.out, HasSubstr("\n      baseline could not decide: "
                                 "attribute 'vip' is a string"));
  // Neither side decides them: errors, not changes.
  run = SimulatePair("undecidable", "undecidable", "undecidable_cases.jsonl",
                     "--fail-on=any");
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Changed decisions: 0 (0.0%)\n"));
}

TEST(CliSimulateDiffTest, SwappedAmountsFailTheMoneyGate) {
  TactRun run =
      SimulatePair("swap", "swap_base", "cases.jsonl", "--fail-on=money");
  EXPECT_EQ(run.exit_code, kDiffGate);
  EXPECT_THAT(
      run.out,
      AllOf(HasSubstr("money moved in 1, actions changed in 0\n"),
            HasSubstr("      credit amount 1500 -> 500 (-10.00 USD)\n"
                      "      refund amount 500 -> 1500 (+10.00 USD)\n")));
}

TEST(CliSimulateDiffTest, MoneyIsPrintedInTheCurrencysDecimals) {
  TactRun run = SimulatePair("jpy_money", "jpy_base", "cases.jsonl", "");
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out,
              AllOf(ContainsRegex("\n  params +1 case  -250 JPY\n"),
                    HasSubstr("  goodwill -250 JPY (policy - baseline)"),
                    HasSubstr("      credit amount 1500 -> 1250 (-250 JPY)\n"),
                    ContainsRegex("\n  total +1500 JPY +1250 JPY\n")));
}

TEST(CliSimulateDiffTest, AMoneySumThatOverflowsSaysSo) {
  const std::string json = ::testing::TempDir() + "diff_overflow.json";
  const std::string html = ::testing::TempDir() + "diff_overflow.html";
  TactRun run = SimulatePair("overflow", "overflow_base", "cases.jsonl",
                             "--json=" + json + " --report=" + html);
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out, ContainsRegex("\n  actions_added +4 cases  overflow\n"));
  std::ifstream in(json);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("\"actions_added\": {\"cases\": 4, \"money\": "
                              "9223372036854775807, \"money_overflow\": "
                              "true}"));
  std::remove(json.c_str());
  std::ifstream report(html);
  std::string page((std::istreambuf_iterator<char>(report)),
                   std::istreambuf_iterator<char>());
  EXPECT_THAT(page, HasSubstr(">overflow<"));
  std::remove(html.c_str());
}

TEST(CliSimulateDiffTest, ACurrencyChangeIsReportedAndFailsTheMoneyGate) {
  TactRun run = SimulateDiff("eur", "--fail-on=money");
  EXPECT_EQ(run.exit_code, kDiffGate);
  EXPECT_THAT(run.out,
              AllOf(HasSubstr("\ncurrency changed: USD -> EUR (money deltas "
                              "are not computed across currencies)\n"),
                    HasSubstr("  goodwill not compared (the currency "
                              "changed)")));
  EXPECT_THAT(run.err, HasSubstr("the currency changed: USD -> EUR\n"));
  EXPECT_EQ(SimulateDiff("eur", "--fail-on=any").exit_code, kDiffGate);
  EXPECT_EQ(SimulateDiff("eur", "--fail-on=actions").exit_code, kOk);
  EXPECT_THAT(SimulateDiff("identical", "").out,
              Not(HasSubstr("currency changed")));
}

TEST(CliSimulateDiffTest, TheSameFileTwiceIsLabelledByRole) {
  TactRun run = SimulateDiff("base", "--fail-on=any");
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out,
              HasSubstr("with diff_small@1 "
                        "(tests/data/simulate/diff/base.textproto) (policy) "
                        "against baseline diff_small@1 "
                        "(tests/data/simulate/diff/base.textproto) "
                        "(baseline):"));
}

TEST(CliSimulateDiffTest, DifferentVersionsAreLabelledByNameAndVersionOnly) {
  TactRun run = RunTact(
      "simulate --policy=tests/data/simulate/policy.textproto "
      "--baseline=tests/data/simulate/baseline.textproto "
      "--cases=tests/data/simulate/cases.jsonl --threads=1");
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out,
              AllOf(HasSubstr("with sim_small@1 against baseline sim_small@0:"),
                    ContainsRegex("\n +sim_small@0 +sim_small@1\n")));
}

// --- check: lint warnings and --strict ---------------------------------------

constexpr char kLintPolicy[] = "tests/data/cli/lint_warnings.textproto";

TEST(CliCheckTest, LintWarningsNameFileLineColumnAndCheckButPass) {
  TactRun run = RunTact(std::string("check ") + kLintPolicy);
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.out, HasSubstr(std::string(kLintPolicy) +
                                 ": ok (3 rules, 3 actions, 3 warnings)"));
  // Line 20 is `when: "customer.spend_12m > 5 && ..."` of rule "mid-spender".
  EXPECT_THAT(
      run.err,
      AllOf(HasSubstr(std::string(kLintPolicy) +
                      ":20:3: warning: rule \"mid-spender\": the rule can "
                      "never fire"),
            HasSubstr("[unreachable-rule]\n"), HasSubstr("[shadowed-rule]\n"),
            HasSubstr("[unused-action]\n")));
}

TEST(CliCheckTest, StrictMakesLintWarningsFail) {
  TactRun run = RunTact(std::string("check --strict ") + kLintPolicy);
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.out, HasSubstr(std::string(kLintPolicy) +
                                 ": failed (--strict, 3 warnings)"));
  EXPECT_THAT(run.out, Not(HasSubstr(": ok")));
  EXPECT_THAT(run.err, HasSubstr(":20:3: warning: "));
}

TEST(CliCheckTest, StrictFailsIfAnyPolicyWarnsAndStillChecksTheOthers) {
  TactRun run =
      RunTact(std::string("check --strict ") + kLintPolicy + " " + kPolicyPath);
  EXPECT_EQ(run.exit_code, kFailure);
  EXPECT_THAT(run.out, AllOf(HasSubstr(std::string(kLintPolicy) + ": failed"),
                             HasSubstr(std::string(kPolicyPath) + ": ok (")));
}

TEST(CliCheckTest, StrictPassesAWarningFreePolicy) {
  TactRun run = RunTact(std::string("check --strict ") + kPolicyPath);
  EXPECT_EQ(run.exit_code, kOk) << run.err;
  EXPECT_THAT(run.err, IsEmpty());
}

}  // namespace
}  // namespace tact::cli::testing
