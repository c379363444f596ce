// `tact decide --log` and `tact replay`: logs of the shipped examples replay
// with exit 0; a tampered record, a changed policy and malformed lines exit 1
// and are listed; bad command lines exit 2.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tact/v1/decision.pb.h"
#include "tests/cli/run_tact.h"

namespace tact::cli::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kSupport[] = "examples/policies/support.textproto";
constexpr char kPlaybook[] = "examples/policies/service_playbook.textproto";

// A file of this process alone: two runs of the suite at once (ctest -j,
// a sanitizer build beside a plain one) never share a log.
std::string TempPath(const std::string& name) {
  const std::string path = (std::filesystem::path(::testing::TempDir()) /
                            absl::StrCat(getpid(), "_", name))
                               .string();
  std::filesystem::remove(path);
  return path;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::vector<std::string> ExampleContexts() {
  std::vector<std::string> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator("examples/contexts")) {
    if (entry.path().extension() == ".json") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Logs every example context decided by `policy` through `tact decide
// --log`. Returns the number of records.
int LogExamples(const std::string& policy, const std::string& log) {
  int n = 0;
  for (const std::string& context : ExampleContexts()) {
    const std::string authority = n % 2 == 1 ? " --authority=bot" : "";
    TactRun run =
        RunTact(absl::StrCat("decide --policy=", policy, " --context=", context,
                             " --log=", log, authority));
    EXPECT_EQ(run.exit_code, 0) << context << ": " << run.err;
    ++n;
  }
  return n;
}

std::string ReplayArgs(const std::string& log, const std::string& policy,
                       const std::string& flags = "") {
  return absl::StrCat("replay ", log, " --policy=", policy, " ", flags);
}

TEST(DecideLogTest, LogPrintsTheDecisionIdFirstAndAppendsOneLine) {
  const std::string log = TempPath("decide_log.jsonl");
  const std::string args =
      absl::StrCat("decide --policy=", kSupport,
                   " --context=examples/contexts/legal_hold.json");
  TactRun plain = RunTact(args);
  TactRun logged = RunTact(args + " --log=" + log);
  ASSERT_EQ(logged.exit_code, 0) << logged.err;
  EXPECT_THAT(plain.out, Not(StartsWith("Decision ")));
  EXPECT_THAT(logged.out, ContainsRegex("^Decision [0-9a-f]{32}\n"));
  // Apart from that line, the same text.
  EXPECT_EQ(logged.out.substr(logged.out.find('\n') + 1), plain.out);
  const std::string id = logged.out.substr(9, 32);
  std::string text = ReadAll(log);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_THAT(text, HasSubstr(absl::StrCat("\"decisionId\":\"", id, "\"")));
  EXPECT_THAT(text, HasSubstr("\"tactVersion\":\""));

  // JSON output carries the record; a second run appends.
  TactRun json = RunTact(args + " --format=json --log=" + log);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr(absl::StrCat("\"decisionId\": \"", id)));
  text = ReadAll(log);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

TEST(DecideLogTest, UnwritableLogIsAnErrorNamingIt) {
  TactRun run =
      RunTact(absl::StrCat("decide --policy=", kSupport,
                           " --context=examples/contexts/legal_hold.json"
                           " --log=/nonexistent-dir/log.jsonl"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("\"/nonexistent-dir/log.jsonl\""));
}

TEST(ReplayCliTest, ExampleLogsReplayWithZeroDifferences) {
  for (const char* policy : {kSupport, kPlaybook}) {
    const std::string log = TempPath("examples.jsonl");
    const int n = LogExamples(policy, log);
    TactRun run = RunTact(ReplayArgs(log, policy));
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_THAT(run.out, HasSubstr(absl::StrCat("records:          ", n)));
    EXPECT_THAT(run.out, HasSubstr(absl::StrCat("identical:        ", n)));
    EXPECT_THAT(run.out, HasSubstr("OK: every record replays"));
  }
}

TEST(ReplayCliTest, TamperedRecordExitsOneNamingItsLine) {
  const std::string log = TempPath("tampered.jsonl");
  LogExamples(kSupport, log);
  std::vector<std::string> lines =
      absl::StrSplit(ReadAll(log), '\n', absl::SkipEmpty());
  // The first logged integer parameter of a decision (a credit's amount).
  int tampered = -1;
  for (size_t i = 0; i < lines.size() && tampered < 0; ++i) {
    const std::string amount = "{\"intValue\":\"";
    const size_t at = lines[i].find(amount, lines[i].find(",\"decision\":"));
    if (at == std::string::npos) continue;
    lines[i].insert(at + amount.size(), "9");
    tampered = static_cast<int>(i) + 1;
  }
  ASSERT_GT(tampered, 0);
  WriteAll(log, absl::StrJoin(lines, "\n") + "\n");

  TactRun run = RunTact(ReplayArgs(log, kSupport));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("differing:        1\n"));
  EXPECT_THAT(run.out,
              ContainsRegex(absl::StrCat("line ", tampered,
                                         ": case [a-z_0-9]+, decision "
                                         "[0-9a-f]{32}\n    actions\\[")));
  EXPECT_THAT(run.out, ContainsRegex("value.intValue: logged \"9[0-9]+\", "
                                     "replayed \"[0-9]+\""));

  TactRun json = RunTact(ReplayArgs(log, kSupport, "--format=json"));
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_THAT(json.out, HasSubstr(absl::StrCat("\"line\": ", tampered)));
  EXPECT_THAT(json.out, HasSubstr("\"ok\": false"));
}

TEST(ReplayCliTest, ChangedPolicyListsTheChangedCases) {
  const std::string log = TempPath("changed.jsonl");
  LogExamples(kSupport, log);
  // A new version of the support policy that also apologizes in every
  // case: the cases without an apology change.
  std::string policy = ReadAll(kSupport);
  const std::string changed = TempPath("support_changed.textproto");
  WriteAll(changed, absl::StrReplaceAll(policy, {{"version: \"2026.03\"",
                                                  "version: \"2026.04\""}}) +
                        "\nrules {\n  id: \"always-apologize\"\n"
                        "  when: \"true\"\n"
                        "  recommend { action: \"apologize\" }\n}\n");
  TactRun run = RunTact(ReplayArgs(log, changed));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("another policy:"));
  EXPECT_THAT(run.out, ContainsRegex("line [0-9]+: case [a-z_0-9]+, decision "
                                     "[0-9a-f]{32}\n    would change: "
                                     "actions_added"));
  EXPECT_THAT(run.out, HasSubstr("actions_added: +apologize"));
  EXPECT_THAT(run.out, HasSubstr("FAIL: "));
}

TEST(ReplayCliTest, MalformedLinesExitOneNamingLogAndLine) {
  const std::string log = TempPath("malformed.jsonl");
  LogExamples(kSupport, log);
  std::string text = ReadAll(log);
  text += "{\"context\": {\"now\": \"2026-01-01T00:00:00Z\"}}\n";
  text += "not json\n";
  WriteAll(log, text);
  const int lines =
      static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  TactRun run = RunTact(ReplayArgs(log, kSupport));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr(absl::StrCat(log, ":", lines - 1,
                                              ": missing decision")));
  EXPECT_THAT(run.out, HasSubstr(absl::StrCat(log, ":", lines, ": bad JSON")));
  EXPECT_THAT(run.out, HasSubstr("malformed lines:  2"));
}

TEST(ReplayCliTest, MultiStepCaseReplays) {
  // Decide, append the decision's effects to the history, decide again at a
  // later now: both decisions logged, both replay.
  const std::string log = TempPath("multistep.jsonl");
  const std::string first =
      "examples/contexts/playbook_unhappy_first_rung.json";
  TactRun one =
      RunTact(absl::StrCat("decide --policy=", kPlaybook, " --context=", first,
                           " --log=", log, " --format=json"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  auto context = ContextFromFile(first);
  ASSERT_TRUE(context.ok()) << context.status();
  const std::string line = ReadAll(log);
  v1::DecisionLogRecord record;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &record).ok());
  ASSERT_GT(record.decision().effects_size(), 0);
  for (const v1::Effect& effect : record.decision().effects()) {
    v1::Event* event = context->add_history();
    event->set_kind(effect.kind());
    event->set_ref(effect.ref());
    event->set_amount(effect.amount());
    event->set_step(effect.step());
    event->set_case_id(effect.case_id());
    *event->mutable_at() = effect.at();
  }
  context->mutable_now()->set_seconds(context->now().seconds() + 2 * 3600);
  std::string json;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(*context, &json).ok());
  const std::string second = TempPath("second_step.json");
  WriteAll(second, json);
  TactRun two = RunTact(absl::StrCat("decide --policy=", kPlaybook,
                                     " --context=", second, " --log=", log));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_THAT(two.out, StartsWith("Decision "));
  EXPECT_THAT(one.out, Not(HasSubstr(two.out.substr(9, 32))));

  TactRun run = RunTact(ReplayArgs(log, kPlaybook));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("identical:        2"));
}

TEST(ReplayCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunTact(absl::StrCat("replay --policy=", kSupport)).exit_code, 2);
  EXPECT_EQ(RunTact("replay log.jsonl").exit_code, 2);
  EXPECT_EQ(RunTact(absl::StrCat("replay a b --policy=", kSupport)).exit_code,
            2);
  EXPECT_EQ(RunTact(absl::StrCat("replay a --format=xml --policy=", kSupport))
                .exit_code,
            2);
  TactRun help = RunTact("replay --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, StartsWith("Usage: tact replay LOG --policy=POLICY"));
}

TEST(ReplayCliTest, MissingLogExitsOneNamingIt) {
  TactRun run = RunTact(ReplayArgs("/nonexistent/log.jsonl", kSupport));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("\"/nonexistent/log.jsonl\""));
}

}  // namespace
}  // namespace tact::cli::testing
