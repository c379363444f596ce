// One test per diagnostic kind: the message text and its location.
#include "src/expr/checker.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/expr/program.h"

namespace tact::internal {
namespace {

class CheckerTest : public ::testing::Test {
 protected:
  CheckerTest() : CheckerTest(ProgramLimits{}) {}
  explicit CheckerTest(ProgramLimits limits) : builder_(limits) {
    EXPECT_TRUE(builder_.DeclareAttribute("plan", ValueType::kString).ok());
    EXPECT_TRUE(builder_.DeclareAttribute("score", ValueType::kDouble).ok());
  }

  // "line:col: message" of the first diagnostic of a condition, or "ok".
  std::string Condition(absl::string_view src) {
    std::vector<ExprDiagnostic> diags;
    auto result = builder_.AddCondition(src, &diags);
    if (result.ok()) return "ok";
    EXPECT_FALSE(diags.empty());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    return Render(diags.front());
  }

  std::string Expression(absl::string_view src,
                         const ValueType* expected = nullptr) {
    std::vector<ExprDiagnostic> diags;
    auto result = builder_.AddExpression(src, expected, &diags);
    if (result.ok()) return "ok";
    return Render(diags.front());
  }

  static std::string Render(const ExprDiagnostic& d) {
    return absl::StrCat(d.location.line, ":", d.location.column, ": ",
                        d.message);
  }

  ProgramBuilder builder_;
};

TEST_F(CheckerTest, SyntaxErrorIsReported) {
  EXPECT_EQ(Condition("customer.tier == "),
            "1:18: unexpected end of expression");
}

TEST_F(CheckerTest, UnknownFieldSuggestsNearest) {
  EXPECT_EQ(Condition("customer.teir == \"gold\""),
            "1:10: unknown field customer.teir; did you mean customer.tier?");
  EXPECT_EQ(Condition("case.catgory == \"x\""),
            "1:6: unknown field case.catgory; did you mean case.category?");
}

TEST_F(CheckerTest, UnknownFieldWithoutCloseMatchHasNoSuggestion) {
  EXPECT_EQ(Condition("customer.zzzzzzzzzz == 1"),
            "1:10: unknown field customer.zzzzzzzzzz");
}

TEST_F(CheckerTest, UnknownIdentifierSuggestsRoot) {
  EXPECT_EQ(Condition("custmer.tier == \"gold\""),
            "1:1: unknown identifier 'custmer'; did you mean customer?");
}

TEST_F(CheckerTest, UnknownIdentifierSuggestsDefinition) {
  ASSERT_TRUE(
      builder_.DeclareDefinition("is_vip", "customer.tier == \"vip\"").ok());
  EXPECT_EQ(Condition("is_vp"),
            "1:1: unknown identifier 'is_vp'; did you mean is_vip?");
}

TEST_F(CheckerTest, UnknownAttributeSuggestsDeclared) {
  EXPECT_EQ(Condition("attributes.plann == \"x\""),
            "1:12: unknown attribute 'plann'; did you mean 'plan'?");
  EXPECT_EQ(Condition("attributes[\"scor\"] > 1.0"),
            "1:11: unknown attribute 'scor'; did you mean 'score'?");
}

TEST_F(CheckerTest, AttributeIndexNeedsLiteral) {
  EXPECT_EQ(Condition("attributes[case.id] == \"x\""),
            "1:17: attribute name must be a string literal, e.g. "
            "attributes[\"plan\"]");
}

TEST_F(CheckerTest, UnknownFunctionSuggestsNearest) {
  EXPECT_EQ(Condition("sise(case.message) > 3"),
            "1:1: unknown function 'sise'; did you mean 'size'?");
  EXPECT_EQ(Condition("case.message.startWith(\"a\")"),
            "1:14: unknown method 'startWith'; did you mean 'startsWith'?");
}

TEST_F(CheckerTest, WrongArgumentCount) {
  EXPECT_EQ(Condition("size(case.message, 1) > 0"),
            "1:1: function 'size' expects 1 argument, got 2");
  EXPECT_EQ(Condition("case.message.contains()"),
            "1:14: method 'contains' expects 1 argument, got 0");
  EXPECT_EQ(Expression("min(1)"),
            "1:1: function 'min' expects at least 2 arguments, got 1");
  EXPECT_EQ(Condition("history.exists(e)"),
            "1:9: macro 'exists' expects 2 arguments, got 1");
}

TEST_F(CheckerTest, FunctionArgumentTypeMismatch) {
  EXPECT_EQ(Expression("size(customer.tenure_days)"),
            "1:1: size() applies to string or list(event), got int");
  EXPECT_EQ(Condition("case.message.contains(customer.tenure_days)"),
            "1:14: contains() applies to string and string, got string and "
            "int");
  EXPECT_EQ(Expression("case.our_fault.lowerAscii()"),
            "1:16: lowerAscii() applies to string, got bool");
  EXPECT_EQ(Expression("abs(case.message)"),
            "1:1: abs() applies to int, double or duration, got string");
  EXPECT_EQ(Condition("matches(customer.tenure_days, \"a\")"),
            "1:18: matches() applies to string, got int");
  EXPECT_EQ(Expression("int(case.our_fault)"),
            "1:1: cannot convert bool to int");
  EXPECT_EQ(Expression("double(now)"),
            "1:1: cannot convert timestamp to double");
  EXPECT_EQ(Expression("min(1, case.our_fault)"),
            "1:13: min() cannot apply to bool");
  EXPECT_EQ(Expression("max(1, case.message)"),
            "1:13: max() arguments must have one type, got int and string");
}

TEST_F(CheckerTest, OperatorTypeMismatch) {
  EXPECT_EQ(Condition("customer.tier < 3"),
            "1:15: operator '<' cannot compare string with int");
  EXPECT_EQ(Expression("customer.tier + 1"),
            "1:15: operator '+' cannot apply to string and int");
  EXPECT_EQ(Condition("customer.tier && true"),
            "1:15: operator '&&' requires bool operands, got string and bool");
  EXPECT_EQ(Condition("!customer.tier"),
            "1:1: operator '!' requires bool, got string");
  EXPECT_EQ(Condition("case.id in [1, 2]"),
            "1:13: operator 'in' cannot compare string with int");
  EXPECT_EQ(Expression("1.5 % 2"),
            "1:5: operator '%' cannot apply to double and int");
}

TEST_F(CheckerTest, ConditionMustBeBool) {
  EXPECT_EQ(Condition("customer.spend_12m + 1"),
            "1:20: condition must be bool, got int");
}

TEST_F(CheckerTest, ExpressionOfExpectedType) {
  const ValueType kDouble = ValueType::kDouble;
  EXPECT_EQ(Expression("customer.spend_12m", &kDouble), "ok");
  EXPECT_EQ(Expression("case.id", &kDouble),
            "1:6: expression must be double, got string");
}

TEST_F(CheckerTest, BadRegexNamesRe2Error) {
  EXPECT_EQ(Condition("case.message.matches(\"a(b\")"),
            "1:22: invalid regex 'a(b': missing ): a(b");
}

TEST_F(CheckerTest, RegexMustBeLiteral) {
  EXPECT_EQ(Condition("case.message.matches(case.id)"),
            "1:27: matches() pattern must be a string literal");
  EXPECT_EQ(Condition("matches(case.message, case.id)"),
            "1:28: matches() pattern must be a string literal");
}

TEST_F(CheckerTest, BadDurationLiteral) {
  EXPECT_EQ(Condition("now - case.opened_at > duration(\"90x\")"),
            "1:33: invalid duration literal '90x': unknown unit 'x' (use h, "
            "m, s, ms, us, ns, d)");
  EXPECT_EQ(Condition("now - case.opened_at > duration(\"90\")"),
            "1:33: invalid duration literal '90': missing unit (h, m, s, ms, "
            "us, ns, d)");
  EXPECT_EQ(Condition("duration(case.id) > duration(\"1s\")"),
            "1:15: duration() argument must be a string literal");
}

TEST_F(CheckerTest, BadTimestampLiteral) {
  EXPECT_EQ(Condition("now > timestamp(\"2026-13-01\")"),
            "1:17: invalid timestamp literal '2026-13-01': expected RFC "
            "3339, e.g. 2026-01-01T00:00:00Z");
}

TEST_F(CheckerTest, DefinitionCycle) {
  ASSERT_TRUE(builder_.DeclareDefinition("a", "b && true").ok());
  ASSERT_TRUE(builder_.DeclareDefinition("b", "!a").ok());
  auto diags = builder_.CompileDefinitions();
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].first, "a");
  EXPECT_EQ(diags[0].second.message, "cycle in definitions: a -> b -> a");
  EXPECT_EQ(diags[0].second.location.column, 1);
  EXPECT_EQ(diags[1].first, "b");
  EXPECT_EQ(diags[1].second.message, "cycle in definitions: a -> b -> a");
  EXPECT_EQ(diags[1].second.location.column, 2);
  EXPECT_EQ(Condition("a"), "1:1: cycle in definitions: a -> b -> a");
}

TEST_F(CheckerTest, SelfReferentialDefinition) {
  ASSERT_TRUE(builder_.DeclareDefinition("x", "x || true").ok());
  EXPECT_EQ(Condition("x"), "1:1: cycle in definitions: x -> x");
}

TEST_F(CheckerTest, ErrorInsideDefinitionIsNamedAtReference) {
  ASSERT_TRUE(
      builder_.DeclareDefinition("vip", "customer.teir == \"vip\"").ok());
  EXPECT_EQ(Condition("true && vip"),
            "1:9: definition 'vip' has errors: unknown field customer.teir; "
            "did you mean customer.tier?");
}

TEST(CheckerLimitsTest, NestingDeeperThanLimit) {
  ProgramLimits limits;
  limits.max_nesting_depth = 4;
  ProgramBuilder builder(limits);
  std::vector<ExprDiagnostic> diags;
  EXPECT_FALSE(builder.AddCondition("((((true))))", &diags).ok());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].message, "expression nests deeper than 4 levels");
  EXPECT_EQ(diags[0].location.column, 1);  // the outermost level over the limit
}

TEST(CheckerLimitsTest, ExpressionLongerThanLimit) {
  ProgramLimits limits;
  limits.max_expression_bytes = 10;
  ProgramBuilder builder(limits);
  std::vector<ExprDiagnostic> diags;
  auto result = builder.AddCondition("customer.tier == \"gold\"", &diags);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "1:1: expression is 23 bytes; the limit is 10");
}

TEST_F(CheckerTest, FilterResultOnlyWithSizeOrMacro) {
  EXPECT_EQ(Condition("history.filter(e, e.amount > 0) == history"),
            "1:9: a list(event) (history or filter()) can only be used as the "
            "argument of size() or the receiver of a macro");
  EXPECT_EQ(Condition("size(history.filter(e, e.amount > 0)) > 1"), "ok");
  EXPECT_EQ(Condition("history.filter(e, e.amount > 0).size() > 1"), "ok");
  EXPECT_EQ(Condition("history.filter(e, e.amount > 0).exists(f, f.step > 1)"),
            "ok");
  EXPECT_EQ(Expression("history"),
            "1:1: a list(event) (history or filter()) can only be used as the "
            "argument of size() or the receiver of a macro");
}

TEST_F(CheckerTest, TernaryBranchesOfDifferentTypes) {
  EXPECT_EQ(Expression("case.our_fault ? 1 : \"one\""),
            "1:16: ternary branches have different types: int and string");
  EXPECT_EQ(Expression("case.our_fault ? 1 : 2.5"), "ok");
  EXPECT_EQ(Expression("customer.tier ? 1 : 2"),
            "1:10: ternary condition must be bool, got string");
}

TEST_F(CheckerTest, ListLiteralOnlyRightOfIn) {
  EXPECT_EQ(Expression("[1, 2]"),
            "1:1: a list literal is only allowed on the right of 'in'");
  EXPECT_EQ(Condition("case.id in case.channel"),
            "1:17: operator 'in' requires a list literal on the right, e.g. "
            "x in [\"a\", \"b\"]");
}

TEST_F(CheckerTest, MacroVariableFields) {
  EXPECT_EQ(Condition("history.exists(e, e.amout > 0)"),
            "1:21: unknown field e.amout; did you mean e.amount?");
  EXPECT_EQ(Condition("history.exists(e, e.amount)"),
            "1:21: predicate of exists() must be bool, got int");
  EXPECT_EQ(Condition("customer.tier.exists(e, true)"),
            "1:15: macro 'exists' applies to history or a filter over it, got "
            "string");
  EXPECT_EQ(Condition("history.exists(1, true)"),
            "1:16: first argument of exists() must be a variable name");
}

TEST_F(CheckerTest, MessageRootNeedsField) {
  EXPECT_EQ(Condition("customer == 1"),
            "1:1: 'customer' is a message; select a field, e.g. customer.tier");
}

TEST_F(CheckerTest, HasNeedsField) {
  EXPECT_EQ(Condition("has(1)"),
            "1:5: has() argument must be a field, e.g. has(customer.tier)");
  EXPECT_EQ(Condition("has(customer.tier)"), "ok");
  EXPECT_EQ(Condition("has(attributes.plan)"), "ok");
}

TEST_F(CheckerTest, ReportsEveryIndependentError) {
  std::vector<ExprDiagnostic> diags;
  EXPECT_FALSE(builder_
                   .AddCondition(
                       "customer.teir == \"a\" && case.chanel == \"b\"", &diags)
                   .ok());
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[1].message,
            "unknown field case.chanel; did you mean case.channel?");
  EXPECT_EQ(diags[1].location.column, 30);
}

TEST(ClosestMatchTest, TranspositionIsOneEdit) {
  EXPECT_EQ(ClosestMatch("teir", {"tier", "id", "spend_12m"}), "tier");
  EXPECT_EQ(ClosestMatch("qqqq", {"tier", "id"}), "");
}

TEST(DurationLiteralTest, GoStyleUnitsAndDays) {
  int64_t n;
  std::string err;
  ASSERT_TRUE(ParseDurationLiteral("90s", &n, &err));
  EXPECT_EQ(n, 90'000'000'000);
  ASSERT_TRUE(ParseDurationLiteral("1h30m", &n, &err));
  EXPECT_EQ(n, 5'400'000'000'000);
  ASSERT_TRUE(ParseDurationLiteral("1.5s", &n, &err));
  EXPECT_EQ(n, 1'500'000'000);
  ASSERT_TRUE(ParseDurationLiteral("2d", &n, &err));
  EXPECT_EQ(n, 172'800'000'000'000);
  ASSERT_TRUE(ParseDurationLiteral("-250ms", &n, &err));
  EXPECT_EQ(n, -250'000'000);
  ASSERT_TRUE(ParseDurationLiteral("3us4ns", &n, &err));
  EXPECT_EQ(n, 3004);
  EXPECT_FALSE(ParseDurationLiteral("", &n, &err));
  EXPECT_FALSE(ParseDurationLiteral("s", &n, &err));
  EXPECT_FALSE(ParseDurationLiteral("100000000h", &n, &err));
  EXPECT_EQ(err, "out of range");
}

TEST(TimestampLiteralTest, Rfc3339) {
  int64_t n;
  std::string err;
  ASSERT_TRUE(ParseTimestampLiteral("1970-01-01T00:00:01Z", &n, &err));
  EXPECT_EQ(n, 1'000'000'000);
  ASSERT_TRUE(ParseTimestampLiteral("1970-01-01T01:00:00+01:00", &n, &err));
  EXPECT_EQ(n, 0);
  EXPECT_FALSE(ParseTimestampLiteral("2026-01-01", &n, &err));
  EXPECT_FALSE(ParseTimestampLiteral("3000-01-01T00:00:00Z", &n, &err));
}

}  // namespace
}  // namespace tact::internal

namespace tact::internal {
namespace {

// Hostile sources through the public builder: always an InvalidArgument
// with a diagnostic, never a crash.
TEST(HostileSourceTest, BuilderRejectsHostileSources) {
  std::string nul("true && ");
  nul.push_back('\0');
  const std::string cases[] = {
      std::string(1 << 20, '('),
      std::string(60000, '(') + "true" + std::string(60000, ')'),
      std::string(3000, '!') + "true",
      "case.id == 'abc",
      nul,
      "case.id == '\xE2\x82'",
      "'\xFF' == case.id",
  };
  for (const std::string& src : cases) {
    ProgramBuilder builder;
    std::vector<ExprDiagnostic> diags;
    auto result = builder.AddCondition(src, &diags);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << src.substr(0, 20);
    ASSERT_EQ(diags.size(), 1u);
    EXPECT_FALSE(diags[0].message.empty());
  }
}

}  // namespace
}  // namespace tact::internal
