// The bad-input catalogue: every kind of malformed policy and context we
// know of, each with its exact error code, message and location, and proof
// that nothing else changed (the serving engine keeps its version and its
// decisions stay byte-identical; a failed Decide returns no decision).
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tact/engine_handle.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::testing::HasSubstr;

// The policy every handle serves before a bad reload.
constexpr absl::string_view kGoodPolicy = R"pb(
  name: "good"
  version: "1"
  currency: "USD"
  actions { id: "apologize" }
  attributes { name: "nps" type: INT }
  rules {
    id: "gold"
    when: "customer.tier == 'gold'"
    recommend { action: "apologize" }
  }
)pb";

constexpr absl::string_view kGoodContext = R"({
  "now": "2026-01-05T10:00:00Z",
  "customer": {"id": "c1", "tier": "gold", "influence": 0.5},
  "case": {"id": "k1", "channel": "email", "sentiment": -0.2},
  "attributes": {"nps": {"intValue": "9"}}
})";

// Three lines every text case starts with; the bad part is on line 4.
constexpr absl::string_view kBase =
    "name: \"bad\" version: \"1\" currency: \"USD\"\n"
    "actions { id: \"apologize\" }\n"
    "actions { id: \"credit\" tags: \"monetary\" amount_param: \"amount\" }\n";

// A handle serving kGoodPolicy and the decision it gives on kGoodContext,
// to compare against after each bad input.
class Serving {
 public:
  Serving() {
    EXPECT_THAT(
        handle_.Reload(kGoodPolicy, PolicyFormat::kText, "good.textproto"),
        IsOk());
    engine_ = handle_.Get();
    baseline_ = DecideGood();
  }
  EngineHandle& handle() { return handle_; }
  std::string DecideGood() const {
    absl::StatusOr<v1::Context> context = ContextFromJson(kGoodContext);
    if (!context.ok()) return "bad good context";
    absl::StatusOr<v1::Decision> d = handle_.Decide(*context);
    return d.ok() ? DecisionToJson(*d) : std::string(d.status().message());
  }
  // Nothing changed: the same engine serves and decides the same bytes.
  void ExpectUnchanged() const {
    EXPECT_EQ(handle_.Get(), engine_);
    EXPECT_EQ(DecideGood(), baseline_);
  }

 private:
  EngineHandle handle_;
  std::shared_ptr<const Engine> engine_;
  std::string baseline_;
};

// --- Policies
// ------------------------------------------------------------------

struct PolicyCase {
  std::string name;
  PolicyFormat format;
  std::string text;  // for kText: appended to kBase as line 4 onwards
  absl::StatusCode code;
  std::string message;   // a substring of the status message
  std::string location;  // "file:line:col" (or "file" when unknown)
  CompileOptions options = {};
};

std::ostream& operator<<(std::ostream& os, const PolicyCase& c) {
  return os << c.name;
}

CompileOptions MaxRules(int n) {
  CompileOptions o;
  o.max_rules = n;
  return o;
}
CompileOptions MaxPolicyBytes(int64_t n) {
  CompileOptions o;
  o.max_policy_bytes = n;
  return o;
}

const auto kInvalid = absl::StatusCode::kInvalidArgument;

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, s);
  return out;
}

std::vector<PolicyCase> PolicyCases() {
  const std::string t = "bad.textproto";
  std::vector<PolicyCase> cases = {
      // Text format syntax and schema.
      {"TextSyntaxError", PolicyFormat::kText,
       "rules { id: \"a\" when: \"true\"\n", kInvalid, "Expected identifier",
       t + ":5:1"},
      {"UnknownField", PolicyFormat::kText, "rulez { id: \"a\" }\n", kInvalid,
       "has no field named \"rulez\". Did you mean \"rules\"?", t + ":4:1"},
      {"WrongFieldType", PolicyFormat::kText,
       "rules { id: \"a\" priority: \"high\" }\n", kInvalid,
       "Expected integer, got: \"high\"", t + ":4:27"},
      {"BadStringEscape", PolicyFormat::kText,
       "rules { id: \"a\" when: \"\\xZZ\" }\n", kInvalid,
       "Expected hex digits for escape sequence", t + ":4:26"},
      // Ids and references.
      {"DuplicateRuleId", PolicyFormat::kText,
       "rules { id: \"a\" recommend { action: \"apologize\" } }\n"
       "rules { id: \"a\" recommend { action: \"apologize\" } }\n",
       kInvalid, "rule \"a\": duplicate rule id", t + ":5:9"},
      {"DuplicateActionId", PolicyFormat::kText,
       "actions { id: \"apologize\" }\n", kInvalid,
       "action \"apologize\": duplicate action id", t + ":4:11"},
      {"BadRuleId", PolicyFormat::kText, "rules { id: \"Bad Id!\" }\n",
       kInvalid, "a rule id must be 1-128 characters of [a-z0-9_.-]",
       t + ":4:9"},
      {"UnknownRecommendedAction", PolicyFormat::kText,
       "rules { id: \"a\" recommend { action: \"refund\" } }\n", kInvalid,
       "unknown action \"refund\"; it is not in the action catalogue",
       t + ":4:29"},
      {"UnknownVetoedAction", PolicyFormat::kText,
       "rules { id: \"a\" veto: \"refnd\" }\n", kInvalid,
       "unknown action \"refnd\"", t + ":4:17"},
      {"UnknownAuthority", PolicyFormat::kText,
       "actions { id: \"x\" authority: \"boss\" }\n", kInvalid,
       "action \"x\": unknown authority \"boss\"", t + ":4:19"},
      {"UnknownPlaybookApology", PolicyFormat::kText,
       "playbooks { id: \"p\" when: \"true\" apology: \"nope\" }\n", kInvalid,
       "playbook \"p\": unknown action \"nope\"", t + ":4:34"},
      {"UnknownCompensationLadder", PolicyFormat::kText,
       "playbooks { id: \"p\" when: \"true\" apology: \"apologize\" "
       "compensation_ladder: \"nope\" }\n",
       kInvalid, "playbook \"p\": unknown ladder \"nope\"", t + ":4:55"},
      {"MissingTemplateParameter", PolicyFormat::kText,
       "actions { id: \"x\" template: \"Hi {who}\" }\n"
       "rules { id: \"a\" recommend { action: \"x\" } }\n",
       kInvalid,
       "action \"x\" needs parameter \"who\" but this reference gives none",
       t + ":5:29"},
      // Expressions.
      {"ExpressionSyntaxError", PolicyFormat::kText,
       "rules { id: \"a\" when: \"customer.tier ==\" }\n", kInvalid,
       "rule \"a\": unexpected end of expression", t + ":4:40"},
      {"ParameterExpressionSyntaxError", PolicyFormat::kText,
       "rules { id: \"a\" recommend { action: \"credit\" params { key: "
       "\"amount\" "
       "value: \"1 +\" } } }\n",
       kInvalid, "rule \"a\": unexpected end of expression", t + ":4:80"},
      {"UnknownContextField", PolicyFormat::kText,
       "rules { id: \"a\" when: \"customer.teir == 'gold'\" }\n", kInvalid,
       "unknown field customer.teir; did you mean customer.tier?", t + ":4:33"},
      {"UnknownEventField", PolicyFormat::kText,
       "strike_limits { id: \"s\" counts: \"e.knd == 'x'\" window: \"90d\" "
       "limit: 3 }\n",
       kInvalid, "unknown field e.knd; did you mean e.kind?", t + ":4:36"},
      {"UndeclaredAttribute", PolicyFormat::kText,
       "rules { id: \"a\" when: \"attributes.nps > 5\" }\n", kInvalid,
       "unknown attribute 'nps'", t + ":4:35"},
      {"TypeMismatch", PolicyFormat::kText,
       "rules { id: \"a\" when: \"customer.tier > 3\" }\n", kInvalid,
       "operator '>' cannot compare string with int", t + ":4:38"},
      {"UnknownFunction", PolicyFormat::kText,
       "rules { id: \"a\" when: \"frobnicate(1)\" }\n", kInvalid,
       "unknown function 'frobnicate'", t + ":4:24"},
      {"ConditionNotBool", PolicyFormat::kText,
       "rules { id: \"a\" when: \"customer.spend_12m\" }\n", kInvalid,
       "condition must be bool, got int", t + ":4:33"},
      {"BadRegex", PolicyFormat::kText,
       "rules { id: \"a\" when: \"case.message.matches('(')\" recommend { "
       "action: "
       "\"apologize\" } }\n",
       kInvalid, "invalid regex '(': missing ): (", t + ":4:45"},
      {"RegexRepetitionTooLarge", PolicyFormat::kText,
       "rules { id: \"a\" when: "
       "\"case.message.matches('((((a{100}){100}){100}){100})')\" "
       "recommend { action: \"apologize\" } }\n",
       kInvalid, "invalid repetition size", t + ":4:45"},
      {"RegexOverMemoryBudget", PolicyFormat::kText,
       "rules { id: \"a\" when: "
       "\"case.message.matches('\\\\\\\\pL{1000}\\\\\\\\pN{1000}"
       "\\\\\\\\pL{1000}')\" recommend { action: \"apologize\" } }\n",
       kInvalid, "pattern too large - compile failed", t + ":4:45"},
      {"DeepNesting", PolicyFormat::kText,
       absl::StrCat("rules { id: \"a\" when: \"", std::string(100, '('), "true",
                    std::string(100, ')'), "\" }\n"),
       kInvalid, "expression nests deeper than 64 levels", t + ":4:90"},
      {"LongExpression", PolicyFormat::kText,
       absl::StrCat("rules { id: \"a\" when: \"true", Repeat(" || true", 14000),
                    "\" }\n"),
       kInvalid, "expression is 112004 bytes; the limit is 65536", t + ":4:24"},
      {"DefinitionCycle", PolicyFormat::kText,
       "definitions { name: \"x\" expr: \"y\" }\ndefinitions { name: \"y\" "
       "expr: \"x\" }\n"
       "rules { id: \"a\" when: \"x\" }\n",
       kInvalid, "definition \"x\": cycle in definitions: x -> y -> x",
       t + ":4:32"},
      {"WeightNaN", PolicyFormat::kText,
       "rules { id: \"a\" weight: nan recommend { action: \"apologize\" } }\n",
       kInvalid, "weight must be a finite number >= 0", t + ":4:17"},
      {"WeightInfinity", PolicyFormat::kText,
       "rules { id: \"a\" weight: inf recommend { action: \"apologize\" } }\n",
       kInvalid, "weight must be a finite number >= 0", t + ":4:17"},
      {"MonetaryAmountNotANumber", PolicyFormat::kText,
       "rules { id: \"a\" recommend { action: \"credit\" params { key: "
       "\"amount\" "
       "value: \"'ten'\" } } }\n",
       kInvalid,
       "the amount of action \"credit\" must be a number of minor units, got "
       "string",
       t + ":4:69"},
      // Durations, templates, calendars, caps.
      {"BadDuration", PolicyFormat::kText,
       "strike_limits { id: \"s\" counts: \"e.kind == 'complaint'\" window: "
       "\"3 "
       "fortnights\" limit: 3 }\n",
       kInvalid, "malformed duration \"3 fortnights\"", t + ":4:57"},
      {"NegativeDuration", PolicyFormat::kText,
       "ladders { id: \"l\" when: \"true\" rungs { action { action: "
       "\"apologize\" } "
       "min_wait: \"-5h\" } }\n",
       kInvalid, "ladder \"l\": malformed duration \"-5h\"", t + ":4:71"},
      {"BadFixDeadline", PolicyFormat::kText,
       "playbooks { id: \"p\" when: \"true\" apology: \"apologize\" "
       "fix_within: \"soon\" }\n",
       kInvalid, "playbook \"p\": malformed duration \"soon\"", t + ":4:55"},
      {"BusinessTimeBudgetWindow", PolicyFormat::kText,
       "budgets { id: \"g\" window: \"business_hours(8)\" per_window: \"100\" "
       "}\n",
       kInvalid, "a budget window is calendar time", t + ":4:19"},
      {"BadTemplate", PolicyFormat::kText,
       "actions { id: \"note\" template: \"Hello {name\" }\n", kInvalid,
       "action \"note\": unterminated '{' at offset 6", t + ":4:22"},
      {"UnknownTimeZone", PolicyFormat::kText,
       "calendars { id: \"office\" time_zone: \"Mars/Olympus\" }\n", kInvalid,
       "unknown time zone \"Mars/Olympus\"", t + ":4:1"},
      {"BadWorkingHours", PolicyFormat::kText,
       "calendars { id: \"office\" time_zone: \"UTC\" hours { weekday: 1 "
       "start: \"25:00\" "
       "end: \"17:00\" } }\n",
       kInvalid, "hours[0]: malformed time of day \"25:00\"", t + ":4:1"},
      {"BadWeekday", PolicyFormat::kText,
       "calendars { id: \"office\" time_zone: \"UTC\" hours { weekday: 9 "
       "start: \"09:00\" "
       "end: \"17:00\" } }\n",
       kInvalid, "weekday 9 is not 1 (Monday) to 7 (Sunday)", t + ":4:1"},
      {"BadHoliday", PolicyFormat::kText,
       "calendars { id: \"office\" time_zone: \"UTC\" hours { weekday: 1 "
       "start: \"09:00\" "
       "end: \"17:00\" } holidays: \"2026-13-45\" }\n",
       kInvalid, "holidays[0]: malformed date \"2026-13-45\"", t + ":4:1"},
      {"BusinessHoursWithoutCalendar", PolicyFormat::kText,
       "playbooks { id: \"p\" when: \"true\" apology: \"apologize\" "
       "fix_within: \"business_hours(8)\" }\n",
       kInvalid,
       "business_hours(8) counts working hours, but the policy defines no "
       "calendar",
       t + ":4:55"},
      {"BusinessHoursInZoneOnlyCalendar", PolicyFormat::kText,
       "playbooks { id: \"p\" when: \"true\" apology: \"apologize\" "
       "fix_within: \"business_hours(8)\" }\n"
       "calendars { id: \"office\" time_zone: \"UTC\" }\n",
       kInvalid,
       "business_hours(8) counts working hours, but calendar \"office\" has "
       "none",
       t + ":4:55"},
      {"UnknownCalendar", PolicyFormat::kText,
       "budgets { id: \"g\" window: \"30d\" per_window: \"1000\" calendar: "
       "\"nope\" }\n",
       kInvalid, "budget \"g\": unknown calendar \"nope\"", t + ":4:52"},
      {"NegativeCap", PolicyFormat::kText,
       "budgets { id: \"g\" window: \"30d\" per_window: \"-100\" }\n", kInvalid,
       "the cap \"-100\" is negative; a cap is at least 0", t + ":4:33"},
      {"RollingBudgetWithoutWindow", PolicyFormat::kText,
       "budgets { id: \"g\" per_window: \"100\" }\n", kInvalid,
       "a rolling budget needs a window", t},
      {"TwoBudgets", PolicyFormat::kText,
       "budgets { id: \"g\" window: \"30d\" per_window: \"100\" }\n"
       "budgets { id: \"h\" window: \"30d\" per_window: \"100\" }\n",
       kInvalid, "a policy has at most one goodwill budget", t + ":5:1"},
      {"StrikeLimitZero", PolicyFormat::kText,
       "strike_limits { id: \"s\" counts: \"e.kind == 'complaint'\" window: "
       "\"90d\" "
       "limit: 0 }\n",
       kInvalid, "limit must be at least 1", t + ":4:71"},
      {"LadderWithoutRungs", PolicyFormat::kText,
       "ladders { id: \"l\" when: \"true\" }\n", kInvalid,
       "a ladder has no rungs", t + ":4:1"},
      // Limits.
      {"TooManyRules", PolicyFormat::kText,
       "rules { id: \"a\" recommend { action: \"apologize\" } }\n"
       "rules { id: \"b\" recommend { action: \"apologize\" } }\n"
       "rules { id: \"c\" recommend { action: \"apologize\" } }\n",
       kInvalid, "the policy has 3 rules; the limit is 2", t + ":6:1",
       MaxRules(2)},
      {"PolicyTooLarge", PolicyFormat::kText, "", kInvalid,
       "bytes, more than the limit of 64", t, MaxPolicyBytes(64)},
      // JSON and binary policies.
      {"JsonNotJson", PolicyFormat::kJson, "{\"name\": ", kInvalid,
       "invalid JSON policy: Unexpected end of string", "bad.json:1:10"},
      {"JsonUnknownField", PolicyFormat::kJson,
       "{\"name\": \"x\", \"rulez\": []}", kInvalid,
       "invalid JSON policy: rulez: Cannot find field", "bad.json:1:15"},
      {"JsonWrongType", PolicyFormat::kJson, "{\"name\": \"x\", \"rules\": 5}",
       kInvalid, "invalid value 5 for type type.googleapis.com/tact.v1.Rule",
       "bad.json:1:15"},
      {"JsonDeepNesting", PolicyFormat::kJson,
       absl::StrCat("{\"description\": ", std::string(5000, '['),
                    std::string(5000, ']'), "}"),
       kInvalid, "description: Proto field is not repeating, cannot start list",
       "bad.json:1:117"},
      {"BinaryGarbage", PolicyFormat::kBinary,
       std::string("\xff\xff\xff\xff\x0f\x01", 6), kInvalid, "", "bad.binpb"},
      {"TextBinaryGarbage", PolicyFormat::kText,
       std::string("\x00\x01\xfe\xff", 4), kInvalid,
       "Invalid control characters encountered in text", t + ":1:1"},
  };
  return cases;
}

class BadPolicyTest : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(BadPolicyTest, FailsWithExactErrorAndKeepsTheServingEngine) {
  const PolicyCase& c = GetParam();
  Serving serving;
  std::string file = c.format == PolicyFormat::kJson     ? "bad.json"
                     : c.format == PolicyFormat::kBinary ? "bad.binpb"
                                                         : "bad.textproto";
  std::string text = c.format == PolicyFormat::kText &&
                             c.name.find("Garbage") == std::string::npos
                         ? absl::StrCat(kBase, c.text)
                         : c.text;
  std::vector<Diagnostic> diagnostics;
  absl::Status status =
      serving.handle().Reload(text, c.format, file, c.options, &diagnostics);
  EXPECT_EQ(status.code(), c.code) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(c.message));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr(absl::StrCat(c.location, ": error: ")));
  EXPECT_TRUE(HasErrors(diagnostics));
  serving.ExpectUnchanged();
  // The one-shot API agrees.
  EXPECT_EQ(Engine::FromText(text, c.format, file, c.options).status(), status);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadPolicyTest,
                         ::testing::ValuesIn(PolicyCases()),
                         [](const ::testing::TestParamInfo<PolicyCase>& param) {
                           return param.param.name;
                         });

// Found by hand while fuzzing: 100000 definitions each naming the next
// overflowed the stack (compiling definitions recursed once per link).
TEST(BadPolicyTest, LongDefinitionChainFailsInsteadOfOverflowingTheStack) {
  Serving serving;
  std::string text(kBase);
  constexpr int kLinks = 99999;  // 100000 definitions, the limit
  for (int i = 0; i < kLinks; ++i) {
    absl::StrAppend(&text, "definitions { name: \"d", i, "\" expr: \"d", i + 1,
                    "\" }\n");
  }
  absl::StrAppend(
      &text, "definitions { name: \"d", kLinks, "\" expr: \"true\" }\n",
      "rules { id: \"r\" when: \"d0\" recommend { action: \"apologize\" } }\n");
  absl::Status status =
      serving.handle().Reload(text, PolicyFormat::kText, "bad.textproto");
  EXPECT_EQ(status.code(), kInvalid);
  // Every link reports; the first line is enough (and keeps a failure short).
  EXPECT_EQ(status.message().substr(0, status.message().find('\n')),
            "bad.textproto:4:33: error: definition \"d0\": definitions nest "
            "more than 32 "
            "deep (d0 -> ... -> d32); flatten the chain");
  serving.ExpectUnchanged();
}

TEST(BadPolicyFileTest, OversizedFileIsResourceExhausted) {
  CompileOptions options;
  options.max_policy_bytes = 100;
  absl::Status status =
      Engine::FromFile("examples/policies/support.textproto", options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("more than the limit of 100"));
}

TEST(BadPolicyFileTest, MissingFileIsNotFoundAndKeepsTheServingEngine) {
  Serving serving;
  EXPECT_EQ(
      Engine::FromFile("tests/reliability/no_such.textproto").status().code(),
      absl::StatusCode::kNotFound);
  absl::Status status =
      serving.handle().Reload("tests/reliability/no_such.textproto");
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("tests/reliability/no_such.textproto"));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("cannot read policy file"));
  serving.ExpectUnchanged();
}

// --- Contexts
// ------------------------------------------------------------------

// A context that fails to parse from JSON.
struct JsonContextCase {
  std::string name;
  std::string json;
  std::string message;   // a substring of the status message
  std::string location;  // "line L, column C", or "" when protobuf gives none
};

std::ostream& operator<<(std::ostream& os, const JsonContextCase& c) {
  return os << c.name;
}

std::vector<JsonContextCase> JsonContextCases() {
  return {
      {"NotJson", "now: tomorrow", "invalid context JSON: Unexpected token",
       "(at line 1, column 1)"},
      {"Empty", "", "invalid context JSON: Unexpected end of string", ""},
      {"BinaryGarbage", std::string("\x00\xff\xfe{\x01", 5),
       "invalid context JSON: Encountered non UTF-8 code points", ""},
      {"UnknownField", "{\"now\": \"2026-01-05T10:00:00Z\", \"custmer\": {}}",
       "custmer: Cannot find field", "(at line 1, column 33)"},
      {"WrongType",
       "{\"now\": \"2026-01-05T10:00:00Z\", \"customer\": {\"influence\": "
       "\"high\"}}",
       "(customer.influence): invalid value \"high\" for type TYPE_DOUBLE",
       "(at line 1, column 46)"},
      {"WrongTypeNested",
       "{\"now\": \"2026-01-05T10:00:00Z\",\n \"history\": [{\"amount\": "
       "\"lots\"}]}",
       "(history[0].amount): invalid value \"lots\" for type TYPE_INT64",
       "(at line 2, column 15)"},
      {"BadTimestamp", "{\"now\": \"yesterday\"}",
       "Invalid time format: yesterday", "(at line 1, column 2)"},
      {"TimestampYear10000", "{\"now\": \"10000-01-01T00:00:00Z\"}",
       "Invalid time format: 10000-01-01T00:00:00Z", "(at line 1, column 2)"},
      {"DeepNesting",
       absl::StrCat("{\"attributes\": ", std::string(100, '['),
                    std::string(100, ']'), "}"),
       "invalid context JSON: nested more than 32 levels deep", ""},
      {"AttributeWithoutKind",
       "{\"now\": \"2026-01-05T10:00:00Z\", \"attributes\": "
       "{\"nps\": {\"textValue\": \"9\"}}}",
       "(attributes[0].value) textValue: Cannot find field",
       "(at line 1, column 56)"},
  };
}

class BadContextJsonTest : public ::testing::TestWithParam<JsonContextCase> {};

TEST_P(BadContextJsonTest, FailsToParseWithExactError) {
  const JsonContextCase& c = GetParam();
  Serving serving;
  absl::StatusOr<v1::Context> context = ContextFromJson(c.json);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), kInvalid);
  EXPECT_THAT(std::string(context.status().message()), HasSubstr(c.message));
  if (!c.location.empty()) {
    EXPECT_THAT(std::string(context.status().message()), HasSubstr(c.location));
  }
  serving.ExpectUnchanged();
}

INSTANTIATE_TEST_SUITE_P(
    Catalogue, BadContextJsonTest, ::testing::ValuesIn(JsonContextCases()),
    [](const ::testing::TestParamInfo<JsonContextCase>& param) {
      return param.param.name;
    });

// A context that parses but that Decide rejects.
struct DecideContextCase {
  std::string name;
  std::function<void(v1::Context*)> spoil;
  std::string message;  // the field named, and why
  DecideOptions options = {};
};

std::ostream& operator<<(std::ostream& os, const DecideContextCase& c) {
  return os << c.name;
}

DecideOptions Limits(int64_t history, int64_t attributes,
                     int64_t string_bytes) {
  DecideOptions o;
  o.max_history_events = history;
  o.max_attributes = attributes;
  o.max_string_bytes = string_bytes;
  return o;
}

std::vector<DecideContextCase> DecideContextCases() {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  return {
      {"MissingNow", [](v1::Context* c) { c->clear_now(); },
       "context.now is not set"},
      {"NowAfterYear9999",
       [](v1::Context* c) { c->mutable_now()->set_seconds(253402300800); },
       "context.now: timestamp out of range"},
      {"NowNegativeNanos",
       [](v1::Context* c) { c->mutable_now()->set_nanos(-1); },
       "context.now: timestamp out of range"},
      {"OpenedAtBeforeYear1",
       [](v1::Context* c) {
         c->mutable_case_()->mutable_opened_at()->set_seconds(-62135596801);
       },
       "context.case.opened_at: timestamp out of range"},
      {"HistoryTimestampOutOfRange",
       [](v1::Context* c) {
         c->add_history();
         c->add_history()->mutable_at()->set_seconds(
             std::numeric_limits<int64_t>::max());
       },
       "context.history[1].at: timestamp out of range"},
      {"DurationAttributeOutOfRange",
       [](v1::Context* c) {
         (*c->mutable_attributes())["wait"]
             .mutable_duration_value()
             ->set_seconds(std::numeric_limits<int64_t>::min());
       },
       "context.attributes[wait]: duration out of range"},
      {"InfluenceNaN",
       [](v1::Context* c) { c->mutable_customer()->set_influence(kNaN); },
       "context.customer.influence: NaN is not a number tact decides on"},
      {"SentimentInfinity",
       [](v1::Context* c) { c->mutable_case_()->set_sentiment(-kInf); },
       "context.case.sentiment: an infinity is not a number tact decides on"},
      {"DoubleAttributeNaN",
       [](v1::Context* c) {
         (*c->mutable_attributes())["score"].set_double_value(kNaN);
       },
       "context.attributes[score]: NaN"},
      {"AttributeOfWrongType",
       [](v1::Context* c) {
         (*c->mutable_attributes())["nps"].set_string_value("nine");
       },
       "attribute 'nps' is a string; the policy declares int"},
      {"HugeHistory",
       [](v1::Context* c) {
         for (int i = 0; i < 11; ++i) c->add_history()->set_kind("order");
       },
       "context.history: 11 events exceed max_history_events (10)",
       Limits(10, 100, 1 << 20)},
      {"TooManyAttributes",
       [](v1::Context* c) {
         for (int i = 0; i < 5; ++i) {
           (*c->mutable_attributes())[absl::StrCat("a", i)].set_bool_value(
               true);
         }
       },
       "context.attributes: 6 attributes exceed max_attributes (3)",
       Limits(10, 3, 1 << 20)},
      {"HugeMessage",
       [](v1::Context* c) {
         c->mutable_case_()->set_message(std::string(65, 'x'));
       },
       "context.case.message: a string of 65 bytes exceeds max_string_bytes "
       "(64)",
       Limits(10, 100, 64)},
      {"HugeHistoryKind",
       [](v1::Context* c) { c->add_history()->set_kind(std::string(65, 'k')); },
       "context.history[0].kind: a string of 65 bytes", Limits(10, 100, 64)},
      {"HugeStringAttribute",
       [](v1::Context* c) {
         (*c->mutable_attributes())["note"].set_string_value(
             std::string(100, 'n'));
       },
       "context.attributes[note]: a string of 100 bytes", Limits(10, 100, 64)},
      {"HugeDefaultLimitString",
       [](v1::Context* c) {
         c->mutable_customer()->set_id(std::string((1 << 20) + 1, 'i'));
       },
       "context.customer.id: a string of 1048577 bytes exceeds "
       "max_string_bytes (1048576)"},
  };
}

class BadContextDecideTest
    : public ::testing::TestWithParam<DecideContextCase> {};

TEST_P(BadContextDecideTest, DecideFailsNamingTheFieldAndReturnsNoDecision) {
  const DecideContextCase& c = GetParam();
  Serving serving;
  absl::StatusOr<v1::Context> context = ContextFromJson(kGoodContext);
  ASSERT_THAT(context.status(), IsOk());
  // The unspoiled context decides under the same options.
  ASSERT_THAT(serving.handle().Decide(*context, c.options).status(), IsOk());
  c.spoil(&*context);
  absl::StatusOr<v1::Decision> decision =
      serving.handle().Decide(*context, c.options);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().code(), kInvalid) << decision.status();
  EXPECT_THAT(std::string(decision.status().message()), HasSubstr(c.message));
  serving.ExpectUnchanged();
}

INSTANTIATE_TEST_SUITE_P(
    Catalogue, BadContextDecideTest, ::testing::ValuesIn(DecideContextCases()),
    [](const ::testing::TestParamInfo<DecideContextCase>& param) {
      return param.param.name;
    });

TEST(BadContextTest, UnknownAuthorityIsRejectedNamingTheChoices) {
  Serving serving;
  absl::StatusOr<v1::Context> context = ContextFromJson(kGoodContext);
  ASSERT_THAT(context.status(), IsOk());
  DecideOptions options;
  options.authority = "bot";
  absl::StatusOr<v1::Decision> d = serving.handle().Decide(*context, options);
  EXPECT_EQ(d.status().code(), kInvalid);
  EXPECT_THAT(
      std::string(d.status().message()),
      HasSubstr(
          "unknown authority \"bot\"; the policy declares no authorities"));
  serving.ExpectUnchanged();
}

TEST(BadContextTest, BinaryGarbageIsInvalidArgument) {
  absl::StatusOr<v1::Context> context =
      ContextFromBinary(std::string("\xff\xff\xff\xff\xff\x01", 6));
  EXPECT_EQ(context.status().code(), kInvalid);
  EXPECT_THAT(std::string(context.status().message()),
              HasSubstr("not a valid binary context"));
}

// A condition that fails on this input (division by zero, int overflow) is
// the second error channel: the rule does not fire, the decision goes on.
TEST(BadContextTest, DivisionByZeroAtDecisionTimeOnlyStopsItsRule) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine = Engine::FromText(
      absl::StrCat(kBase,
                   "attributes { name: \"d\" type: INT }\n"
                   "rules { id: \"div\" when: \"100 / attributes.d > 1\" "
                   "recommend { action: \"apologize\" } }\n"
                   "rules { id: \"ovf\" when: \"customer.spend_12m * "
                   "9223372036854775807 > 0\" "
                   "recommend { action: \"apologize\" } }\n"),
      PolicyFormat::kText, "bad.textproto");
  ASSERT_THAT(engine.status(), IsOk());
  absl::StatusOr<v1::Context> context = ContextFromJson(
      R"({"now": "2026-01-05T10:00:00Z", "customer": {"spend12m": "5"},
          "attributes": {"d": {"intValue": "0"}}})");
  ASSERT_THAT(context.status(), IsOk());
  DecideOptions options;
  options.trace = true;
  absl::StatusOr<v1::Decision> d = (*engine)->Decide(*context, options);
  ASSERT_THAT(d.status(), IsOk());
  EXPECT_EQ(d->actions_size(), 0);
  std::string json = DecisionToJson(*d);
  EXPECT_THAT(json, HasSubstr("division by zero"));
  EXPECT_THAT(json, HasSubstr("int overflow"));
}

}  // namespace
}  // namespace tact
