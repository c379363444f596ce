// tact::DecisionLogWriter and tact::Replay: logs of the shipped examples
// replay identically; a tampered record, another policy and malformed lines
// are reported where they are.
#include "tact/decision_log.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::tact::testing::StatusIs;
using ::testing::HasSubstr;

// A file of this process alone: two runs of the suite at once (ctest -j,
// a sanitizer build beside a plain one) never share a log.
std::string TempPath(const std::string& name) {
  const std::string path = (std::filesystem::path(::testing::TempDir()) /
                            absl::StrCat(getpid(), "_", name))
                               .string();
  std::remove(path.c_str());
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

std::unique_ptr<const Engine> Load(const std::string& path) {
  auto engine = Engine::FromFile(path);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

// Logs every example context decided by `engine`, recorded, in turns as
// unrestricted, a bot and with a trace. Returns the records written.
int LogExamples(const Engine& engine, const std::string& path) {
  auto log = DecisionLogWriter::Open(path);
  EXPECT_TRUE(log.ok()) << log.status();
  if (!log.ok()) return 0;
  int n = 0;
  for (const std::string& file : ExampleContexts()) {
    auto context = ContextFromFile(file);
    EXPECT_TRUE(context.ok()) << context.status();
    DecideOptions options;
    options.record = n % 4 != 3;  // some unrecorded records too
    if (n % 3 == 1) options.authority = "bot";
    if (n % 3 == 2) options.trace_level = v1::TRACE_FULL;
    auto decision = engine.Decide(*context, options);
    EXPECT_TRUE(decision.ok()) << file << ": " << decision.status();
    EXPECT_THAT((*log)->Append(*context, *decision), IsOk());
    ++n;
  }
  EXPECT_THAT((*log)->Flush(), IsOk());
  return n;
}

TEST(DecisionLogTest, LineIsTheRecordsCompactJson) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Context context,
      ContextFromFile("examples/contexts/late_delivery_vip.json"));
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision decision, engine->Decide(context));
  const std::string line = DecisionLogLine(context, decision);
  EXPECT_THAT(line, ::testing::StartsWith("{\"context\":{\"customer\":"));
  EXPECT_THAT(line, HasSubstr("\"now\":\"2026-03-10T15:00:00Z\""));
  EXPECT_THAT(line,
              HasSubstr(absl::StrCat(
                  ",\"decision\":", DecisionToJson(decision, false), "}")));
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(DecisionLogTest, LineOrdersAttributesByKey) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  v1::Context a, b;
  a.mutable_now()->set_seconds(1'700'000'000);
  b.mutable_now()->set_seconds(1'700'000'000);
  for (const char* k : {"zeta", "alpha", "mid", "beta", "omega"}) {
    (*a.mutable_attributes())[k].set_int_value(1);
  }
  for (const char* k : {"omega", "beta", "mid", "alpha", "zeta"}) {
    (*b.mutable_attributes())[k].set_int_value(1);
  }
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision decision, engine->Decide(a));
  const std::string line = DecisionLogLine(a, decision);
  EXPECT_EQ(line, DecisionLogLine(b, decision));
  EXPECT_LT(line.find("\"alpha\""), line.find("\"beta\""));
  EXPECT_LT(line.find("\"omega\""), line.find("\"zeta\""));
}

TEST(DecisionLogTest, AppendsToAnExistingLog) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  const std::string path = TempPath("append.jsonl");
  const int n = LogExamples(*engine, path);
  LogExamples(*engine, path);
  const std::string text = ReadAll(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2 * n);
}

TEST(DecisionLogTest, OpenNamesAMissingDirectory) {
  auto log = DecisionLogWriter::Open("/nonexistent-dir/decisions.jsonl");
  EXPECT_THAT(log.status(),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("\"/nonexistent-dir/decisions.jsonl\"")));
}

TEST(DecisionLogTest, OpenNamesAnUnwritableFile) {
  std::string path = TempPath("readonly.jsonl");
  WriteAll(path, "");
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  if (std::FILE* f = std::fopen(path.c_str(), "a")) {
    // Running as root: file modes do not stop it; a read-only kernel file
    // does.
    std::fclose(f);
    path = "/sys/kernel/notes";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no unwritable file";
  }
  auto log = DecisionLogWriter::Open(path);
  EXPECT_THAT(log.status(),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr(path)));
}

TEST(DecisionLogTest, OpenNamesADirectory) {
  auto log = DecisionLogWriter::Open(::testing::TempDir());
  EXPECT_THAT(log.status(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                     HasSubstr("Is a directory")));
}

TEST(DecisionLogTest, ConcurrentAppendsWriteWholeLines) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  const std::string path = TempPath("concurrent.jsonl");
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Context context,
      ContextFromFile("examples/contexts/late_delivery_vip.json"));
  DecideOptions options;
  options.record = true;
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision decision,
                            engine->Decide(context, options));
  {
    TACT_ASSERT_OK_AND_ASSIGN(auto log, DecisionLogWriter::Open(path));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 50; ++i) {
          EXPECT_THAT(log->Append(context, decision), IsOk());
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }  // closing flushes
  TACT_ASSERT_OK_AND_ASSIGN(ReplayReport report, Replay(*engine, path));
  EXPECT_EQ(report.records, 200);
  EXPECT_EQ(report.identical, 200);
  EXPECT_TRUE(report.ok());
}

TEST(ReplayTest, ExampleLogsReplayIdentically) {
  for (const char* policy : {"examples/policies/support.textproto",
                             "examples/policies/service_playbook.textproto"}) {
    auto engine = Load(policy);
    ASSERT_NE(engine, nullptr);
    const std::string path = TempPath("examples.jsonl");
    const int n = LogExamples(*engine, path);
    ASSERT_GT(n, 10);
    TACT_ASSERT_OK_AND_ASSIGN(ReplayReport report, Replay(*engine, path));
    EXPECT_EQ(report.records, n) << policy;
    EXPECT_EQ(report.identical, n) << policy;
    EXPECT_EQ(report.differing, 0) << policy;
    EXPECT_EQ(report.malformed_count, 0) << policy;
    EXPECT_TRUE(report.ok()) << ReplayReportToJson(report);
  }
}

TEST(ReplayTest, TamperedAmountIsReportedWithItsPath) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  const std::string path = TempPath("tampered.jsonl");
  LogExamples(*engine, path);
  // Change the first logged amount (an integer parameter, e.g. a credit's
  // minor units) of the first decision that has one.
  std::vector<std::string> lines =
      absl::StrSplit(ReadAll(path), '\n', absl::SkipEmpty());
  int tampered = -1;
  std::string decision_id;
  for (size_t i = 0; i < lines.size() && tampered < 0; ++i) {
    const size_t decision = lines[i].find(",\"decision\":");
    const std::string amount = "{\"intValue\":\"";
    const size_t money = lines[i].find(amount, decision);
    if (money == std::string::npos) continue;
    const size_t digit = money + amount.size();
    lines[i].insert(digit, "9");
    tampered = static_cast<int>(i);
    const size_t id = lines[i].find("\"decisionId\":\"");
    if (id != std::string::npos) decision_id = lines[i].substr(id + 14, 32);
  }
  ASSERT_GE(tampered, 0) << "no logged decision grants money";
  WriteAll(path, absl::StrJoin(lines, "\n") + "\n");

  TACT_ASSERT_OK_AND_ASSIGN(ReplayReport report, Replay(*engine, path));
  EXPECT_EQ(report.differing, 1);
  EXPECT_EQ(report.identical, report.records - 1);
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.differences.size(), 1u);
  const ReplayDifference& d = report.differences[0];
  EXPECT_EQ(d.line, tampered + 1);
  EXPECT_EQ(d.decision_id, decision_id);
  EXPECT_TRUE(d.same_policy);
  EXPECT_THAT(d.first_difference,
              ::testing::MatchesRegex(R"(actions\[[0-9]+\]\.params\[[0-9]+\])"
                                      R"(\.value\.intValue: logged "9[0-9]*", )"
                                      R"(replayed "[0-9]+")"));
}

TEST(ReplayTest, AnotherPolicyListsTheChangedCases) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  const std::string path = TempPath("changed_policy.jsonl");
  const int n = LogExamples(*engine, path);
  // A copy of the policy with only its version changed.
  std::string text = ReadAll("examples/policies/support.textproto");
  const std::string changed_path = TempPath("support_changed.textproto");
  ASSERT_THAT(text, HasSubstr("version: \""));
  text = absl::StrReplaceAll(text, {{"version: \"", "version: \"changed-"}});
  WriteAll(changed_path, text);
  auto renamed = Load(changed_path);
  ASSERT_NE(renamed, nullptr);
  ASSERT_NE(renamed->policy_hash(), engine->policy_hash());
  // Only the version changed: no case changes what a host does.
  TACT_ASSERT_OK_AND_ASSIGN(ReplayReport same, Replay(*renamed, path));
  EXPECT_EQ(same.other_policy, n);
  EXPECT_EQ(same.unchanged, n);
  EXPECT_TRUE(same.ok()) << ReplayReportToJson(same);

  // The other shipped policy decides the same cases differently.
  auto playbook = Load("examples/policies/service_playbook.textproto");
  ASSERT_NE(playbook, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(ReplayReport report, Replay(*playbook, path));
  EXPECT_EQ(report.records, n);
  EXPECT_EQ(report.other_policy, n);
  EXPECT_GT(report.differing, 0);
  EXPECT_EQ(report.unchanged + report.differing, n);
  EXPECT_FALSE(report.ok());
  for (const ReplayDifference& d : report.differences) {
    EXPECT_FALSE(d.same_policy);
    EXPECT_FALSE(d.case_id.empty());
    if (d.error.empty()) {
      EXPECT_FALSE(d.kinds.empty()) << d.line;
      EXPECT_FALSE(d.changes.empty()) << d.line;
    }
  }
}

TEST(ReplayTest, MalformedLinesNameTheirLine) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  const std::string path = TempPath("malformed.jsonl");
  LogExamples(*engine, path);
  std::vector<std::string> lines =
      absl::StrSplit(ReadAll(path), '\n', absl::SkipEmpty());
  lines.insert(lines.begin() + 1, "{not json");
  lines.insert(lines.begin() + 2, "{\"context\":{},\"decision\":{},\"x\":1}");
  lines.insert(lines.begin() + 3, "{\"decision\":{}}");
  lines.insert(lines.begin() + 4,
               "{\"context\":{\"now\":\"2026-01-01T00:00:00Z\"}}");
  // The limit admits the longest record exactly; one byte more is too long.
  ReplayOptions options;
  options.max_line_bytes = 0;
  for (const std::string& line : lines) {
    options.max_line_bytes =
        std::max<int64_t>(options.max_line_bytes, line.size());
  }
  lines.insert(lines.begin() + 5, std::string(options.max_line_bytes + 1, 'x'));
  WriteAll(path, absl::StrJoin(lines, "\n") + "\n");

  TACT_ASSERT_OK_AND_ASSIGN(ReplayReport report,
                            Replay(*engine, path, options));
  EXPECT_EQ(report.malformed_count, 5);
  EXPECT_EQ(report.records, static_cast<int64_t>(lines.size()) - 5);
  EXPECT_EQ(report.identical, report.records);
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.malformed.size(), 5u);
  EXPECT_EQ(report.malformed[0].line, 2);
  EXPECT_THAT(report.malformed[0].message,
              ::testing::StartsWith(absl::StrCat(path, ":2: bad JSON")));
  EXPECT_THAT(report.malformed[1].message,
              ::testing::StartsWith(absl::StrCat(path, ":3: unknown field")));
  EXPECT_EQ(report.malformed[2].message,
            absl::StrCat(path, ":4: missing context"));
  EXPECT_EQ(report.malformed[3].message,
            absl::StrCat(path, ":5: missing decision"));
  EXPECT_THAT(report.malformed[4].message,
              ::testing::StartsWith(absl::StrCat(path, ":6: line longer than ",
                                                 options.max_line_bytes)));
}

TEST(ReplayTest, RecordLimitIsAnError) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  const std::string path = TempPath("limit.jsonl");
  const int n = LogExamples(*engine, path);
  ReplayOptions options;
  options.max_records = n;
  EXPECT_THAT(Replay(*engine, path, options), IsOk());
  options.max_records = n - 1;
  EXPECT_THAT(Replay(*engine, path, options).status(),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr(absl::StrCat(path, ":", n, ": more than ",
                                              n - 1, " records"))));
}

TEST(ReplayTest, MissingLogIsNotFound) {
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(Replay(*engine, "/nonexistent/log.jsonl").status(),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("\"/nonexistent/log.jsonl\"")));
}

TEST(ReplayTest, MultiStepCaseReplays) {
  // Decide, append the effects to the history, decide again: both logged
  // decisions replay, and the second differs from the first.
  auto engine = Load("examples/policies/support.textproto");
  ASSERT_NE(engine, nullptr);
  const std::string path = TempPath("multistep.jsonl");
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Context context,
      ContextFromFile("examples/contexts/playbook_unhappy_first_rung.json"));
  DecideOptions options;
  options.record = true;
  std::vector<std::string> ids;
  {
    TACT_ASSERT_OK_AND_ASSIGN(auto log, DecisionLogWriter::Open(path));
    for (int step = 0; step < 2; ++step) {
      TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                                engine->Decide(context, options));
      ASSERT_THAT(log->Append(context, d), IsOk());
      ids.push_back(d.decision_id());
      for (const v1::Effect& effect : d.effects()) {
        v1::Event* event = context.add_history();
        event->set_kind(effect.kind());
        event->set_ref(effect.ref());
        event->set_amount(effect.amount());
        event->set_step(effect.step());
        event->set_case_id(effect.case_id());
        *event->mutable_at() = effect.at();
      }
      context.mutable_now()->set_seconds(context.now().seconds() + 3600);
    }
  }
  EXPECT_NE(ids[0], ids[1]);
  TACT_ASSERT_OK_AND_ASSIGN(ReplayReport report, Replay(*engine, path));
  EXPECT_EQ(report.records, 2);
  EXPECT_EQ(report.identical, 2);
}

TEST(ReplayTest, ReportJsonListsEverything) {
  ReplayReport report;
  report.log_path = "log.jsonl";
  report.policy_hash = "sha256:ab";
  report.records = 3;
  report.identical = 1;
  report.differing = 2;
  report.other_policy = 1;
  ReplayDifference same;
  same.line = 2;
  same.case_id = "c2";
  same.decision_id = "d2";
  same.first_difference = "actions[0].action: logged \"a\", replayed \"b\"";
  ReplayDifference other;
  other.line = 3;
  other.case_id = "c3";
  other.same_policy = false;
  other.changes.push_back({ChangeKind::kParams, "credit amount 1 -> 2", 1});
  other.kinds.push_back(ChangeKind::kParams);
  report.differences = {same, other};
  report.malformed_count = 1;
  report.malformed.push_back({4, "log.jsonl:4: missing context"});
  EXPECT_EQ(
      ReplayReportToJson(report, false),
      R"({"log":"log.jsonl","policyHash":"sha256:ab","records":3,)"
      R"("identical":1,"otherPolicy":1,"unchanged":0,"differing":2,)"
      R"("differences":[{"line":2,"caseId":"c2","decisionId":"d2",)"
      R"("samePolicy":true,"firstDifference":"actions[0].action: logged )"
      R"(\"a\", replayed \"b\""},{"line":3,"caseId":"c3","decisionId":"",)"
      R"("samePolicy":false,"kinds":["params"],"changes":[{"kind":"params",)"
      R"("text":"credit amount 1 -> 2","money":1}]}],"malformedCount":1,)"
      R"("malformed":[{"line":4,"message":"log.jsonl:4: missing context"}],)"
      R"("ok":false})");
}

}  // namespace
}  // namespace tact
