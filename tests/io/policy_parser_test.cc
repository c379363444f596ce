#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "src/io/policy_source.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"
#include "tests/io/test_positions.h"

namespace tact::internal {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr int64_t kNoLimit = 1 << 20;

TEST(ReadPolicyFile, TextJsonAndBinaryOfOnePolicyAreEqual) {
  std::vector<Diagnostic> diagnostics;
  auto text = ReadPolicyFile("tests/data/io/support.textproto",
                             PolicyFormat::kAuto, kNoLimit, &diagnostics);
  auto json = ReadPolicyFile("tests/data/io/support.json", PolicyFormat::kAuto,
                             kNoLimit, &diagnostics);
  auto binary = ReadPolicyFile("tests/data/io/support.binpb",
                               PolicyFormat::kAuto, kNoLimit, &diagnostics);
  ASSERT_TRUE(text.ok()) << text.status();
  ASSERT_TRUE(json.ok()) << json.status();
  ASSERT_TRUE(binary.ok()) << binary.status();
  EXPECT_THAT(diagnostics, IsEmpty());

  EXPECT_EQ(text->policy.name(), "support");
  EXPECT_EQ(text->policy.description(),
            "Late deliveries and \"VIP\" customers");
  ASSERT_THAT(text->policy.rules(), SizeIs(2));
  EXPECT_EQ(text->policy.rules(0).when(),
            "case.category == \"delivery\" &&\n  vip");
  EXPECT_EQ(text->policy.rules(0).recommend(1).params().at("reason"), "late");
  EXPECT_THAT(text->policy.actions(0).tags(), ElementsAre("apology", "free"));
  EXPECT_EQ(text->file, "tests/data/io/support.textproto");

  std::string difference;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differencer.Compare(text->policy, json->policy)) << difference;
  EXPECT_TRUE(differencer.Compare(text->policy, binary->policy)) << difference;
}

TEST(ParsePolicy, AutoMeansTextFormat) {
  std::vector<Diagnostic> diagnostics;
  auto loaded =
      ParsePolicy("name: \"p\"", PolicyFormat::kAuto, "p.txt", &diagnostics);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->policy.name(), "p");
}

TEST(ParsePolicy, AcceptsNullDiagnostics) {
  EXPECT_EQ(
      ParsePolicy("nme: 1", PolicyFormat::kText, "p", nullptr).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(ParsePolicy, TextSyntaxErrorHasPosition) {
  const std::string text =
      "name: \"p\"\nrules {\n  id: \"a\"\n  when \"x\"\n}\n";
  std::vector<Diagnostic> diagnostics;
  auto loaded =
      ParsePolicy(text, PolicyFormat::kText, "p.textproto", &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, SizeIs(1));
  const Diagnostic& d = diagnostics[0];
  EXPECT_EQ(d.severity, Diagnostic::Severity::kError);
  EXPECT_EQ(d.file, "p.textproto");
  // The parser expects ':' where the string starts.
  EXPECT_EQ((FileLocation{d.line, d.column}), PositionOf(text, "\"x\""));
  EXPECT_THAT(d.message, HasSubstr("\":\""));
  EXPECT_THAT(std::string(loaded.status().message()),
              HasSubstr("p.textproto:4:8: error:"));
}

TEST(ParsePolicy, UnknownTextFieldNamesItsPositionAndSuggestsTheField) {
  const std::string text = "rules {\n  id: \"a\"\n  wen: \"x\"\n}\n";
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(text, PolicyFormat::kText, "p", &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, SizeIs(1));
  const Diagnostic& d = diagnostics[0];
  EXPECT_EQ((FileLocation{d.line, d.column}), PositionOf(text, "wen"));
  EXPECT_THAT(d.message, HasSubstr("no field named \"wen\""));
  EXPECT_THAT(d.message, HasSubstr("Did you mean \"when\"?"));
}

TEST(ParsePolicy, UnknownFieldFarFromAnyNameHasNoSuggestion) {
  std::vector<Diagnostic> diagnostics;
  auto loaded =
      ParsePolicy("zzzzzz: 1", PolicyFormat::kText, "p", &diagnostics);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_THAT(diagnostics[0].message, Not(HasSubstr("Did you mean")));
}

TEST(ParsePolicy, WrongTypeIsAnErrorAtTheValue) {
  const std::string text = "rules {\n  priority: \"high\"\n}\n";
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(text, PolicyFormat::kText, "p", &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_EQ((FileLocation{diagnostics[0].line, diagnostics[0].column}),
            PositionOf(text, "\"high\""));
  EXPECT_THAT(diagnostics[0].message, HasSubstr("integer"));
}

TEST(ParsePolicy, ColumnsCountBytesSoATabIsOneColumn) {
  // protobuf's tokenizer expands tabs to 8 columns; diagnostics do not.
  const std::string text = "\tnam: \"p\"\n";
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(text, PolicyFormat::kText, "p", &diagnostics);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_EQ(diagnostics[0].line, 1);
  EXPECT_EQ(diagnostics[0].column, 2);
}

TEST(ParsePolicy, UnterminatedStringIsAnError) {
  const std::string text = "name: \"p\n";
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(text, PolicyFormat::kText, "p", &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, Not(IsEmpty()));
  EXPECT_EQ(diagnostics[0].line, 1);
}

TEST(ParsePolicy, DiagnosticsAreAppended) {
  std::vector<Diagnostic> diagnostics(1);
  diagnostics[0].message = "earlier";
  auto loaded = ParsePolicy("x: 1", PolicyFormat::kText, "p", &diagnostics);
  ASSERT_THAT(diagnostics, SizeIs(2));
  EXPECT_EQ(diagnostics[0].message, "earlier");
  // The status lists this parse's errors only.
  EXPECT_THAT(std::string(loaded.status().message()),
              Not(HasSubstr("earlier")));
}

TEST(ParsePolicy, JsonUnknownFieldIsAnErrorAtItsKey) {
  const std::string json = "{\n  \"name\": \"p\",\n  \"rulez\": []\n}\n";
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(json, PolicyFormat::kJson, "p.json", &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_EQ((FileLocation{diagnostics[0].line, diagnostics[0].column}),
            PositionOf(json, "\"rulez\""));
  EXPECT_THAT(diagnostics[0].message, HasSubstr("rulez"));
}

TEST(ParsePolicy, JsonSyntaxErrorHasPosition) {
  const std::string json = "{\n  \"name\": \"p\"\n  \"version\": \"1\"\n}\n";
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(json, PolicyFormat::kJson, "p.json", &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_EQ((FileLocation{diagnostics[0].line, diagnostics[0].column}),
            PositionOf(json, "\"version\""));
  EXPECT_THAT(diagnostics[0].message, HasSubstr("invalid JSON policy"));
}

TEST(ParsePolicy, JsonWrongTypeIsAnErrorAtTheField) {
  const std::string json = "{\"rules\": [\n  {\"priority\": \"high\"}]}";
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(json, PolicyFormat::kJson, "p.json", &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_EQ((FileLocation{diagnostics[0].line, diagnostics[0].column}),
            PositionOf(json, "\"priority\""));
  EXPECT_THAT(diagnostics[0].message, HasSubstr("rules[0].priority"));
}

TEST(ParsePolicy, JsonErrorsFitOnOneLine) {
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy("{", PolicyFormat::kJson, "p.json", &diagnostics);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_THAT(diagnostics[0].message, Not(HasSubstr("\n")));
  EXPECT_EQ(diagnostics[0].line, 1);
}

TEST(ParsePolicy, JsonAcceptsProtoAndCamelCaseNames) {
  for (const char* json : {R"({"score_modifiers": [{"id": "m"}]})",
                           R"({"scoreModifiers": [{"id": "m"}]})"}) {
    std::vector<Diagnostic> diagnostics;
    auto loaded =
        ParsePolicy(json, PolicyFormat::kJson, "p.json", &diagnostics);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->policy.score_modifiers(0).id(), "m");
  }
}

TEST(ParsePolicy, GarbageBinaryIsNotAValidBinaryPolicy) {
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(std::string("\xff\xff\xff\xff", 4),
                            PolicyFormat::kBinary, "p.binpb", &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_EQ(diagnostics[0].message, "not a valid binary policy");
  EXPECT_EQ(diagnostics[0].line, 0);
}

TEST(ParsePolicy, EmptyTextOrBinaryIsAnEmptyPolicyButEmptyJsonIsAnError) {
  for (PolicyFormat format : {PolicyFormat::kText, PolicyFormat::kBinary}) {
    auto loaded = ParsePolicy("", format, "p", nullptr);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->policy.ByteSizeLong(), 0u);
  }
  // An empty document is not JSON.
  EXPECT_FALSE(ParsePolicy("", PolicyFormat::kJson, "p", nullptr).ok());
}

TEST(ReadPolicyFile, MissingFileIsNotFoundWithADiagnostic) {
  std::vector<Diagnostic> diagnostics;
  auto loaded = ReadPolicyFile("tests/data/io/no-such.textproto",
                               PolicyFormat::kAuto, kNoLimit, &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_EQ(diagnostics[0].file, "tests/data/io/no-such.textproto");
  EXPECT_THAT(diagnostics[0].message, HasSubstr("cannot read"));
}

TEST(ReadPolicyFile, DirectoryIsNotFound) {
  std::vector<Diagnostic> diagnostics;
  auto loaded = ReadPolicyFile("tests/data/io", PolicyFormat::kAuto, kNoLimit,
                               &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(diagnostics, SizeIs(1));
}

TEST(ReadPolicyFile, FileOverTheLimitIsResourceExhausted) {
  std::vector<Diagnostic> diagnostics;
  auto loaded = ReadPolicyFile("tests/data/io/support.textproto",
                               PolicyFormat::kAuto, 100, &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kResourceExhausted);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_THAT(diagnostics[0].message, HasSubstr("limit of 100"));
}

TEST(ReadPolicyFile, ExplicitFormatOverridesTheExtension) {
  std::vector<Diagnostic> diagnostics;
  // JSON read as text format fails at the first '{'.
  auto loaded = ReadPolicyFile("tests/data/io/support.json",
                               PolicyFormat::kText, kNoLimit, &diagnostics);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_THAT(diagnostics, SizeIs(1));
  EXPECT_EQ(diagnostics[0].line, 1);
  EXPECT_EQ(diagnostics[0].column, 1);
}

}  // namespace
}  // namespace tact::internal
