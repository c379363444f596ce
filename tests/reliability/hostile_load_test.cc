// Hostile-but-valid policies at load time (issue 14, "Linear load"): every
// format loads in time linear in its size, every count has a limit checked
// while reading, and values the schema does not define are load errors
// naming the field. Time and memory are asserted only as generous bounds.
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::testing::HasSubstr;

const auto kInvalid = absl::StatusCode::kInvalidArgument;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

// A valid policy of about `bytes` bytes, all on one line: many rules, with
// tabs between fields so the tokenizer's tab-expanded columns are mapped too.
std::string OneLinePolicy(size_t bytes) {
  std::string text =
      "name: \"long\" currency: \"USD\" actions { id: \"apologize\" }";
  for (int i = 0; text.size() < bytes; ++i) {
    absl::StrAppend(&text, "\trules { id: \"r", i,
                    "\" when: \"customer.tier == 'gold'\"\t"
                    "recommend { action: \"apologize\" } }");
  }
  return text;
}

// Was quadratic: each field's tokenizer column was mapped by walking its
// line from the start (a 2.5 MB one-line policy took 85 s).
TEST(LinearLoadTest, OneLineTextPolicyLoadsInLinearTime) {
  const std::string text = OneLinePolicy(2500 * 1000);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(text, PolicyFormat::kText, "long.textproto");
  const double seconds = SecondsSince(start);
  ASSERT_THAT(engine.status(), IsOk());
  EXPECT_GT((*engine)->policy().rules_size(), 20000);
  // Well under a second in a release build; generous for sanitizers.
  EXPECT_LT(seconds, 10.0);
}

// Positions on a long line past tabs are still exact byte columns: a
// tokenizer error (an unknown field) and a compiler error (inside a string).
TEST(LinearLoadTest, ErrorsAfterTabsOnALongLinePointAtTheByte) {
  const std::string good = OneLinePolicy(100 * 1000);
  // 1-based column of "wen", after two tabs and `rules { id: "bad" `.
  const size_t unknown_column = good.size() + 21;
  absl::Status status =
      Engine::FromText(
          absl::StrCat(good, "\t\trules { id: \"bad\" wen: \"x\" }"),
          PolicyFormat::kText, "long.textproto")
          .status();
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_THAT(
      std::string(status.message()),
      HasSubstr(absl::StrCat("long.textproto:1:", unknown_column, ": error: ")))
      << status.message().substr(0, 300);
  // The end of `when: "1 +"` maps to its closing quote.
  const size_t quote_column = good.size() + 30;
  status = Engine::FromText(
               absl::StrCat(good, "\trules { id: \"bad\" when: \"1 +\" }"),
               PolicyFormat::kText, "long.textproto")
               .status();
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr(absl::StrCat("long.textproto:1:", quote_column,
                                     ": error: rule \"bad\": unexpected end")))
      << status.message().substr(0, 300);
}

// --- Count limits, checked while reading.

constexpr absl::string_view kHead =
    "name: \"p\" currency: \"USD\"\n"
    "actions { id: \"apologize\" }\n";

std::string Rules(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    absl::StrAppend(&text, "rules { id: \"r", i,
                    "\" recommend { action: \"apologize\" } }\n");
  }
  return text;
}

absl::Status Load(absl::string_view text, const CompileOptions& options,
                  PolicyFormat format = PolicyFormat::kText,
                  absl::string_view file = "p.textproto") {
  return Engine::FromText(text, format, file, options).status();
}

// The policy `text` (text format) in `format`.
std::string Convert(absl::string_view text, PolicyFormat format) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(text, PolicyFormat::kText, "p");
  EXPECT_THAT(engine.status(), IsOk());
  if (!engine.ok()) return "";
  if (format == PolicyFormat::kBinary) {
    return (*engine)->policy().SerializeAsString();
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString((*engine)->policy(),
                                                          &json, print)
                  .ok());
  return json;
}

CompileOptions WithLimits(int rules, int actions, int definitions,
                          int repeated) {
  CompileOptions o;
  o.max_rules = rules;
  o.max_actions = actions;
  o.max_definitions = definitions;
  o.max_repeated_field = repeated;
  return o;
}

TEST(CountLimitTest, RulesAtTheLimitLoadAndOneMoreFailsAtTheExtraRule) {
  const std::string text = absl::StrCat(kHead, Rules(3));
  EXPECT_THAT(Load(text, WithLimits(3, 9, 9, 9)), IsOk());
  const absl::Status status = Load(text, WithLimits(2, 9, 9, 9));
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_EQ(std::string(status.message()),
            "p.textproto:5:1: error: the policy has 3 rules; the limit is 2 "
            "(CompileOptions::max_rules)");
}

TEST(CountLimitTest, ActionsAndDefinitionsHaveTheirOwnLimits) {
  const std::string text = absl::StrCat(
      kHead, "actions { id: \"b\" }\n",
      "definitions { name: \"x\" expr: \"true\" }\n"
      "definitions { name: \"y\" expr: \"x\" }\n",
      "rules { id: \"r\" when: \"y\" recommend { action: \"b\" } }\n");
  EXPECT_THAT(Load(text, WithLimits(1, 2, 2, 9)), IsOk());
  absl::Status status = Load(text, WithLimits(1, 1, 2, 9));
  EXPECT_EQ(std::string(status.message()),
            "p.textproto:3:1: error: the policy has 2 actions; the limit is 1 "
            "(CompileOptions::max_actions)");
  status = Load(text, WithLimits(1, 2, 1, 9));
  EXPECT_EQ(std::string(status.message()),
            "p.textproto:5:1: error: the policy has 2 definitions; the limit "
            "is 1 (CompileOptions::max_definitions)");
}

TEST(CountLimitTest, NestedRepeatedFieldsListsAndMapsCountPerMessage) {
  const std::string text = absl::StrCat(
      kHead,
      "actions { id: \"c\" amount_param: \"amount\" tags: [\"monetary\", "
      "\"x\"] }\n"
      "rules { id: \"r\" recommend { action: \"c\" params { key: \"amount\" "
      "value: \"5\" } params { key: \"note\" value: \"'n'\" } } }\n");
  EXPECT_THAT(Load(text, WithLimits(9, 9, 9, 2)), IsOk());
  const absl::Status status = Load(text, WithLimits(9, 9, 9, 1));
  EXPECT_EQ(status.code(), kInvalid);
  // The first message to close over the limit: the tags list.
  EXPECT_EQ(std::string(status.message()),
            "p.textproto:3:61: error: actions[1] has 2 tags; the limit is 1 "
            "(CompileOptions::max_repeated_field)");
  const std::string ladder = absl::StrCat(
      kHead,
      "ladders { id: \"l\" when: \"true\"\n"
      "  rungs { action { action: \"apologize\" } }\n"
      "  rungs { action { action: \"apologize\" } entry: \"false\" }\n"
      "  rungs { action { action: \"apologize\" } entry: \"false\" } }\n");
  EXPECT_THAT(Load(ladder, WithLimits(9, 9, 9, 3)), IsOk());
  EXPECT_EQ(Load(ladder, WithLimits(9, 9, 9, 2)).message(),
            "p.textproto:6:3: error: ladders[0] has 3 rungs; the limit is 2 "
            "(CompileOptions::max_repeated_field)");
  const absl::Status params = Load(text, WithLimits(9, 9, 9, 2));
  EXPECT_THAT(params, IsOk());
}

TEST(CountLimitTest, JsonAndBinaryPoliciesAreCountedToo) {
  const std::string text = absl::StrCat(kHead, Rules(3));
  const std::string json = Convert(text, PolicyFormat::kJson);
  EXPECT_THAT(Load(json, WithLimits(3, 9, 9, 9), PolicyFormat::kJson, "p.json"),
              IsOk());
  const size_t third = json.find("{\"id\":\"r2\"");
  ASSERT_NE(third, std::string::npos);
  EXPECT_EQ(Load(json, WithLimits(2, 9, 9, 9), PolicyFormat::kJson, "p.json")
                .message(),
            absl::StrCat("p.json:1:", third + 1,
                         ": error: the policy has 3 rules; the limit is 2 "
                         "(CompileOptions::max_rules)"));
  const std::string binary = Convert(text, PolicyFormat::kBinary);
  EXPECT_THAT(
      Load(binary, WithLimits(3, 9, 9, 9), PolicyFormat::kBinary, "p.binpb"),
      IsOk());
  EXPECT_EQ(
      Load(binary, WithLimits(2, 9, 9, 9), PolicyFormat::kBinary, "p.binpb")
          .message(),
      "p.binpb: error: the policy has 3 rules; the limit is 2 "
      "(CompileOptions::max_rules)");
}

TEST(CountLimitTest, PolicyMessagesAreCountedToo) {
  v1::Policy policy;
  policy.set_name("p");
  policy.add_actions()->set_id("a");
  policy.add_actions()->set_id("b");
  v1::Action* third = policy.add_actions();
  third->set_id("c");
  third->add_tags("t");
  EXPECT_THAT(Engine::FromPolicy(policy, WithLimits(9, 3, 9, 9)).status(),
              IsOk());
  EXPECT_EQ(
      Engine::FromPolicy(policy, WithLimits(9, 2, 9, 9)).status().message(),
      "<policy>: error: the policy has 3 actions; the limit is 2 "
      "(CompileOptions::max_actions)");
}

// A million rules used to cost 2 GB and 16 s before the rule limit reported.
TEST(CountLimitTest, AMillionRulesFailFastNamingTheLimit) {
  std::string text(kHead);
  text.reserve(30 << 20);
  for (int i = 0; i < 1000000; ++i) absl::StrAppend(&text, "rules { }\n");
  const auto start = std::chrono::steady_clock::now();
  const absl::Status status = Load(text, CompileOptions());
  EXPECT_LT(SecondsSince(start), 10.0);
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_EQ(std::string(status.message()),
            "p.textproto:100003:1: error: the policy has 1000000 rules; the "
            "limit is 100000 (CompileOptions::max_rules)");
}

// The count used to be reported only when its message closed cleanly: a
// count over the limit followed by input the scanner could not follow (a
// stray '}', junk, a truncation) loaded with no limit at all. Now the
// messages left open report as "at least"; at the limit, the same input
// gets protobuf's parse error instead.
TEST(CountLimitTest, ACountOverTheLimitFollowedByJunkOrATruncationFails) {
  const std::string text = absl::StrCat(kHead, Rules(3));
  struct Case {
    std::string text;
    int rules;  // the count read before the scan stopped
  };
  for (const Case& bad :
       {Case{absl::StrCat(text, "}\n"), 3},
        Case{absl::StrCat(text, "% junk\n"), 3},
        Case{text.substr(0, text.size() - 5), 3},
        Case{absl::StrCat(text, "rules { id: \"x\" when: \"true\""), 4}}) {
    const absl::Status status =
        Load(bad.text, WithLimits(bad.rules - 1, 9, 9, 9));
    EXPECT_EQ(std::string(status.message()),
              absl::StrCat("p.textproto:", bad.rules + 2,
                           ":1: error: the policy has at least ", bad.rules,
                           " rules; the limit is ", bad.rules - 1,
                           " (CompileOptions::max_rules)"))
        << bad.text.substr(text.size() - 10);
    const absl::Status at_limit =
        Load(bad.text, WithLimits(bad.rules, 9, 9, 9));
    EXPECT_EQ(at_limit.code(), kInvalid);
    EXPECT_THAT(std::string(at_limit.message()),
                ::testing::Not(HasSubstr("CompileOptions::max_rules")))
        << at_limit.message();
  }
  // A list of messages is counted past its first element, whatever fields
  // the elements have.
  const std::string list = absl::StrCat(
      kHead,
      "rules: [{ id: \"a\" recommend { action: \"apologize\" } },\n"
      "  { id: \"b\" recommend { action: \"apologize\" } },\n"
      "  { id: \"c\" recommend { action: \"apologize\" } }]\n");
  EXPECT_THAT(Load(list, WithLimits(3, 9, 9, 9)), IsOk());
  EXPECT_EQ(std::string(Load(list, WithLimits(2, 9, 9, 9)).message()),
            "p.textproto:5:3: error: the policy has 3 rules; the limit is 2 "
            "(CompileOptions::max_rules)");
  EXPECT_EQ(
      std::string(Load(list.substr(0, list.size() - 3), WithLimits(2, 9, 9, 9))
                      .message()),
      "p.textproto:5:3: error: the policy has at least 3 rules; the limit is "
      "2 (CompileOptions::max_rules)");

  // JSON: rules come last; cut before the closing '}', or junk in the list.
  const std::string json = Convert(text, PolicyFormat::kJson);
  ASSERT_EQ(json.substr(json.size() - 2), "]}");
  const size_t third = json.find("{\"id\":\"r2\"");
  ASSERT_NE(third, std::string::npos);
  for (const std::string& bad :
       {json.substr(0, json.size() - 1),
        absl::StrCat(json.substr(0, json.size() - 2), ",}"),
        json.substr(0, json.size() - 6)}) {
    EXPECT_EQ(std::string(Load(bad, WithLimits(2, 9, 9, 9), PolicyFormat::kJson,
                               "p.json")
                              .message()),
              absl::StrCat("p.json:1:", third + 1,
                           ": error: the policy has at least 3 rules; the "
                           "limit is 2 (CompileOptions::max_rules)"))
        << bad;
    const absl::Status at_limit =
        Load(bad, WithLimits(3, 9, 9, 9), PolicyFormat::kJson, "p.json");
    EXPECT_EQ(at_limit.code(), kInvalid);
    EXPECT_THAT(std::string(at_limit.message()),
                ::testing::Not(HasSubstr("CompileOptions::max_rules")))
        << at_limit.message();
  }

  // Binary: truncated, or followed by a field of an invalid wire type.
  const std::string binary = Convert(text, PolicyFormat::kBinary);
  for (const std::string& bad :
       {binary.substr(0, binary.size() - 1), absl::StrCat(binary, "\x07")}) {
    EXPECT_EQ(std::string(Load(bad, WithLimits(2, 9, 9, 9),
                               PolicyFormat::kBinary, "p.binpb")
                              .message()),
              "p.binpb: error: the policy has at least 3 rules; the limit is "
              "2 (CompileOptions::max_rules)");
    const absl::Status at_limit =
        Load(bad, WithLimits(3, 9, 9, 9), PolicyFormat::kBinary, "p.binpb");
    EXPECT_EQ(at_limit.code(), kInvalid);
    EXPECT_THAT(std::string(at_limit.message()),
                ::testing::Not(HasSubstr("CompileOptions::max_rules")))
        << at_limit.message();
  }
}

// The reviewer's case: a million rules and a stray '}' cost 2 GB and 16 s.
TEST(CountLimitTest, AMillionRulesAndAStrayBraceFailFast) {
  std::string text(kHead);
  text.reserve(30 << 20);
  for (int i = 0; i < 1000000; ++i) absl::StrAppend(&text, "rules { }\n");
  text += "}\n";
  const auto start = std::chrono::steady_clock::now();
  const absl::Status status = Load(text, CompileOptions());
  EXPECT_LT(SecondsSince(start), 10.0);
  EXPECT_EQ(std::string(status.message()),
            "p.textproto:100003:1: error: the policy has at least 1000000 "
            "rules; the limit is 100000 (CompileOptions::max_rules)");
}

// The CLI's --context goes through this reader and its limit (it read any
// size before).
TEST(ContextFileLimitTest, AContextFileOverTheLimitIsNotRead) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/hostile_context.json");
  const std::string json = R"({"now": "2026-01-05T10:00:00Z"})";
  {
    std::ofstream out(path, std::ios::binary);
    out << json;
  }
  EXPECT_THAT(ContextFromFile(path, json.size()).status(), IsOk());
  const absl::Status status = ContextFromFile(path, json.size() - 1).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(std::string(status.message()),
            absl::StrCat("context file is ", json.size(),
                         " bytes, more than the limit of ", json.size() - 1));
  EXPECT_EQ(ContextFromFile(path + ".missing").status().code(),
            absl::StatusCode::kNotFound);
}

// --- Values protobuf accepts and tact cannot interpret.

// An undefined `period` used to load and silently disable the budget's
// history.
TEST(ValueCheckTest, UndefinedEnumNumbersAreLoadErrorsNamingTheValues) {
  const auto budget = [](absl::string_view period) {
    return absl::StrCat(kHead, "budgets { id: \"g\" period: ", period,
                        " per_window: \"100\" }\n");
  };
  EXPECT_THAT(Load(budget("3"), CompileOptions()), IsOk());
  const absl::Status status = Load(budget("4"), CompileOptions());
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_EQ(std::string(status.message()),
            "p.textproto:3:19: error: budgets[0].period: 4 is not a Period; "
            "the values are ROLLING (0), CALENDAR_MONTH (1), "
            "CALENDAR_QUARTER (2), CALENDAR_YEAR (3)");
  const std::string mode = absl::StrCat(kHead, "beyond_contract { mode: 2 }\n");
  EXPECT_EQ(std::string(Load(mode, CompileOptions()).message()),
            "p.textproto:3:19: error: beyond_contract.mode: 2 is not a Mode; "
            "the values are WARN (0), SUPPRESS (1)");
  EXPECT_THAT(Load(absl::StrCat(kHead, "beyond_contract { mode: 1 }\n"),
                   CompileOptions()),
              IsOk());
  // JSON and binary.
  EXPECT_EQ(
      std::string(Load(R"({"name": "p", "beyondContract": {"mode": 2}})",
                       CompileOptions(), PolicyFormat::kJson, "p.json")
                      .message()),
      "p.json:1:34: error: beyond_contract.mode: 2 is not a Mode; the values "
      "are WARN (0), SUPPRESS (1)");
  v1::Policy policy;
  policy.set_name("p");
  policy.mutable_beyond_contract()->set_mode(
      static_cast<v1::BeyondContract::Mode>(2));
  EXPECT_EQ(std::string(Load(policy.SerializeAsString(), CompileOptions(),
                             PolicyFormat::kBinary, "p.binpb")
                            .message()),
            "p.binpb: error: beyond_contract.mode: 2 is not a Mode; the values "
            "are WARN (0), SUPPRESS (1)");
}

TEST(ValueCheckTest, InvalidUtf8InStringsIsALoadErrorNamingTheField) {
  const std::string good = absl::StrCat(
      kHead,
      "rules { id: \"r\" reason: \"caf\\303\\251\" recommend { action: "
      "\"apologize\" } }\n");
  EXPECT_THAT(Load(good, CompileOptions()), IsOk());
  const std::string bad =
      absl::StrCat(kHead,
                   "rules { id: \"r\" reason: \"caf\\303\" recommend { action: "
                   "\"apologize\" } }\n");
  EXPECT_EQ(std::string(Load(bad, CompileOptions()).message()),
            "p.textproto:3:17: error: rules[0].reason: the string is not "
            "valid UTF-8");
  // Binary: protobuf's own parser would fail without naming the field.
  const std::string binary("\x0a\x01p\x2a\x0a\x0a\x02\xc3\x28", 10);
  EXPECT_EQ(std::string(
                Load(binary, CompileOptions(), PolicyFormat::kBinary, "p.binpb")
                    .message()),
            "p.binpb: error: actions[0].id: the string is not valid UTF-8");
}

TEST(ValueCheckTest, CurrencyIsThreeUppercaseLetters) {
  const auto with = [](absl::string_view currency) {
    return absl::StrCat("name: \"p\" currency: \"", currency,
                        "\"\nactions { id: \"apologize\" }\n");
  };
  EXPECT_THAT(Load(with("EUR"), CompileOptions()), IsOk());
  EXPECT_THAT(Load(with(""), CompileOptions()), IsOk());
  for (absl::string_view bad : {"usd", "US", "USDX", "U$D"}) {
    EXPECT_EQ(std::string(Load(with(bad), CompileOptions()).message()),
              absl::StrCat("p.textproto:1:11: error: currency \"", bad,
                           "\" is not an ISO 4217 code (three uppercase "
                           "letters, e.g. \"USD\")"));
  }
}

// Timestamp literals are int64 nanoseconds, as every time an expression
// computes with: the documented range (docs/reliability.md) is exact.
TEST(ValueCheckTest, TimestampLiteralsOutsideTheNanosecondRangeAreLoadErrors) {
  const auto with = [](absl::string_view literal) {
    return absl::StrCat(kHead, "rules { id: \"r\" when: \"now < timestamp('",
                        literal,
                        "')\" recommend { action: \"apologize\" } }\n");
  };
  EXPECT_THAT(Load(with("2262-04-11T23:47:16Z"), CompileOptions()), IsOk());
  EXPECT_THAT(Load(with("1677-09-21T00:12:44Z"), CompileOptions()), IsOk());
  for (absl::string_view bad : {"2262-04-11T23:47:17Z", "1677-09-21T00:12:43Z",
                                "9999-12-31T23:59:59Z"}) {
    EXPECT_THAT(std::string(Load(with(bad), CompileOptions()).message()),
                HasSubstr("out of range (years 1678 to 2262)"))
        << bad;
  }
}

}  // namespace
}  // namespace tact
