// Evaluation semantics of every operator, function and macro, over frames
// built from a context.
#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "re2/re2.h"
#include "src/expr/program.h"
#include "src/expr/value.h"

namespace tact::internal {
namespace {

constexpr char kContext[] = R"pb(
  customer {
    id: "c-1"
    tier: "gold"
    spend_12m: 120000
    tenure_days: 400
    influence: 0.5
  }
  case {
    id: "k-9"
    channel: "chat"
    category: "Delivery"
    severity: "high"
    sentiment: -0.25
    message: "My parcel is LATE again"
    opened_at { seconds: 1767225600 }  # 2026-01-01T00:00:00Z
    our_fault: true
  }
  history {
    at { seconds: 1767139200 }
    kind: "complaint"
    amount: 0
    case_id: "k-1"
  }
  history {
    at { seconds: 1767225600 }
    kind: "goodwill"
    amount: 500
    ref: "ladder"
    step: 1
  }
  history {
    at { seconds: 1767232800 }
    kind: "goodwill"
    amount: 1500
    ref: "ladder"
    step: 2
  }
  history { kind: "note" }
  now { seconds: 1767355200 }  # 2026-01-02T12:00:00Z
  attributes {
    key: "plan"
    value { string_value: "pro" }
  }
  attributes {
    key: "seats"
    value { int_value: 12 }
  }
  attributes {
    key: "ratio"
    value { int_value: 3 }
  }
)pb";

v1::Context ParseContext(absl::string_view text) {
  v1::Context c;
  EXPECT_TRUE(
      google::protobuf::TextFormat::ParseFromString(std::string(text), &c));
  return c;
}

// "type:value"; errors render as "error:<message>".
std::string Show(const Value& v) {
  if (v.is_error()) return absl::StrCat("error:", v.string_value);
  return absl::StrCat(TypeName(v.type), ":", FormatValue(v));
}

class EvaluatorTest : public ::testing::Test {
 protected:
  EvaluatorTest() : context_(ParseContext(kContext)) {}

  void Declare(ProgramBuilder& b) {
    ASSERT_TRUE(b.DeclareAttribute("plan", ValueType::kString).ok());
    ASSERT_TRUE(b.DeclareAttribute("seats", ValueType::kInt).ok());
    ASSERT_TRUE(b.DeclareAttribute("ratio", ValueType::kDouble).ok());
    ASSERT_TRUE(b.DeclareAttribute("missing", ValueType::kString).ok());
  }

  // Compiles one expression and evaluates it over context_.
  std::string Eval(absl::string_view src) {
    ProgramBuilder b;
    Declare(b);
    std::vector<ExprDiagnostic> diags;
    auto id = b.AddExpression(src, nullptr, &diags);
    if (!id.ok()) return absl::StrCat("compile error: ", id.status().message());
    auto program = std::move(b).Build();
    auto frame = Frame::Create(*program, context_);
    if (!frame.ok())
      return absl::StrCat("frame error: ", frame.status().message());
    return Show(program->Evaluate(*id, **frame));
  }

  v1::Context context_;
};

TEST_F(EvaluatorTest, Literals) {
  EXPECT_EQ(Eval("42"), "int:42");
  EXPECT_EQ(Eval("-3"), "int:-3");
  EXPECT_EQ(Eval("1.5"), "double:1.5");
  EXPECT_EQ(Eval("2e3"), "double:2000");
  EXPECT_EQ(Eval("'a\\tb'"), "string:a\tb");
  EXPECT_EQ(Eval("true"), "bool:true");
}

TEST_F(EvaluatorTest, ContextFieldsReadThroughSlots) {
  EXPECT_EQ(Eval("customer.tier"), "string:gold");
  EXPECT_EQ(Eval("customer.spend_12m"), "int:120000");
  EXPECT_EQ(Eval("customer.influence"), "double:0.5");
  EXPECT_EQ(Eval("case.our_fault"), "bool:true");
  EXPECT_EQ(Eval("case.opened_at"), "timestamp:2026-01-01T00:00:00Z");
  EXPECT_EQ(Eval("now"), "timestamp:2026-01-02T12:00:00Z");
  // Unset proto3 scalars read as their default.
  EXPECT_EQ(Eval("customer.orders_12m"), "int:0");
}

TEST_F(EvaluatorTest, UnsetTimestampIsAnError) {
  EXPECT_EQ(Eval("case.incident_at"), "error:case.incident_at is not set");
  EXPECT_EQ(Eval("now - case.incident_at > duration(\"1h\")"),
            "error:case.incident_at is not set");
  EXPECT_EQ(Eval("has(case.incident_at) && now - case.incident_at > "
                 "duration(\"1h\")"),
            "bool:false");
}

TEST_F(EvaluatorTest, Attributes) {
  EXPECT_EQ(Eval("attributes.plan"), "string:pro");
  EXPECT_EQ(Eval("attributes[\"plan\"] == 'pro'"), "bool:true");
  EXPECT_EQ(Eval("attributes.seats * 2"), "int:24");
  // Declared double, given an int: promoted.
  EXPECT_EQ(Eval("attributes.ratio"), "double:3");
  EXPECT_EQ(Eval("attributes.missing"), "error:attribute 'missing' is not set");
  EXPECT_EQ(Eval("has(attributes.missing)"), "bool:false");
  EXPECT_EQ(Eval("has(attributes.plan)"), "bool:true");
}

TEST_F(EvaluatorTest, WronglyTypedAttributeRejectsFrame) {
  (*context_.mutable_attributes())["plan"].set_int_value(3);
  EXPECT_EQ(Eval("true"),
            "frame error: attribute 'plan' is an int; the policy declares "
            "string");
  (*context_.mutable_attributes())["plan"].set_string_value("x");
  (*context_.mutable_attributes())["seats"].set_double_value(1.5);
  EXPECT_EQ(Eval("true"),
            "frame error: attribute 'seats' is a double; the policy declares "
            "int");
}

// Several matches() over one context field (sharing interned nodes and
// regexes): every result equals RE2's own partial match.
TEST_F(EvaluatorTest, RegexesOverOneFieldAgreeWithSingleMatches) {
  const std::vector<std::string> patterns = {
      "LATE",  "^My",    "^parcel", "(?i)late again$", "(?i)PARCEL",
      "x{2,}", "[0-9]+", "again",   "(?i)^my parcel"};
  ProgramBuilder b;
  Declare(b);
  std::vector<ExprId> ids;
  for (const std::string& p : patterns) {
    std::vector<ExprDiagnostic> diags;
    auto id = b.AddExpression(absl::StrCat("case.message.matches('", p, "')"),
                              nullptr, &diags);
    ASSERT_TRUE(id.ok()) << p;
    ids.push_back(*id);
  }
  auto program = std::move(b).Build();
  auto frame = Frame::Create(*program, context_);
  ASSERT_TRUE(frame.ok());
  for (size_t k = 0; k < patterns.size(); ++k) {
    bool expected = RE2::PartialMatch(context_.case_().message(), patterns[k]);
    EXPECT_EQ(Show(program->Evaluate(ids[k], **frame)),
              expected ? "bool:true" : "bool:false")
        << patterns[k];
  }
}

TEST_F(EvaluatorTest, IntArithmetic) {
  EXPECT_EQ(Eval("7 + 3"), "int:10");
  EXPECT_EQ(Eval("7 - 10"), "int:-3");
  EXPECT_EQ(Eval("7 * 3"), "int:21");
  EXPECT_EQ(Eval("7 / 2"), "int:3");
  EXPECT_EQ(Eval("-7 / 2"), "int:-3");
  EXPECT_EQ(Eval("7 % 3"), "int:1");
  EXPECT_EQ(Eval("-7 % 3"), "int:-1");
  EXPECT_EQ(Eval("-(3)"), "int:-3");
}

TEST_F(EvaluatorTest, IntOverflowIsAnError) {
  EXPECT_EQ(Eval("9223372036854775807 + 1"), "error:int overflow");
  EXPECT_EQ(Eval("-9223372036854775808 - 1"), "error:int overflow");
  EXPECT_EQ(Eval("4611686018427387904 * 2"), "error:int overflow");
  EXPECT_EQ(Eval("-9223372036854775808 / -1"), "error:int overflow");
  EXPECT_EQ(Eval("-(-9223372036854775808)"), "error:int overflow");
  EXPECT_EQ(Eval("abs(-9223372036854775808)"), "error:int overflow");
  EXPECT_EQ(Eval("-9223372036854775808 % -1"), "int:0");
}

TEST_F(EvaluatorTest, DivisionByZeroIsAnError) {
  EXPECT_EQ(Eval("1 / 0"), "error:division by zero");
  EXPECT_EQ(Eval("1 % 0"), "error:modulus by zero");
  EXPECT_EQ(Eval("1.0 / 0.0"), "double:inf");
}

TEST_F(EvaluatorTest, DoubleArithmeticAndPromotion) {
  EXPECT_EQ(Eval("1.5 + 1.25"), "double:2.75");
  EXPECT_EQ(Eval("1.5 - 2.0"), "double:-0.5");
  EXPECT_EQ(Eval("1.5 * 2.0"), "double:3");
  EXPECT_EQ(Eval("3.0 / 2.0"), "double:1.5");
  EXPECT_EQ(Eval("-customer.influence"), "double:-0.5");
  // Extension: mixed int/double promotes to double.
  EXPECT_EQ(Eval("customer.spend_12m * 0.05"), "double:6000");
  EXPECT_EQ(Eval("1 + 0.5"), "double:1.5");
  EXPECT_EQ(Eval("customer.spend_12m > 119999.5"), "bool:true");
  EXPECT_EQ(Eval("2 == 2.0"), "bool:true");
}

TEST_F(EvaluatorTest, Comparisons) {
  EXPECT_EQ(Eval("1 < 2"), "bool:true");
  EXPECT_EQ(Eval("2 <= 2"), "bool:true");
  EXPECT_EQ(Eval("1 > 2"), "bool:false");
  EXPECT_EQ(Eval("2 >= 3"), "bool:false");
  EXPECT_EQ(Eval("1 == 1"), "bool:true");
  EXPECT_EQ(Eval("1 != 1"), "bool:false");
  EXPECT_EQ(Eval("'abc' < 'abd'"), "bool:true");
  EXPECT_EQ(Eval("'b' > 'abc'"), "bool:true");
  EXPECT_EQ(Eval("'a' == 'a'"), "bool:true");
  EXPECT_EQ(Eval("true != false"), "bool:true");
  EXPECT_EQ(Eval("false < true"), "bool:true");
  EXPECT_EQ(Eval("case.opened_at < now"), "bool:true");
  EXPECT_EQ(Eval("duration('1h') > duration('59m')"), "bool:true");
}

TEST_F(EvaluatorTest, TimeArithmetic) {
  EXPECT_EQ(Eval("now - case.opened_at"), "duration:129600s");
  EXPECT_EQ(Eval("now - case.opened_at > duration('24h')"), "bool:true");
  EXPECT_EQ(Eval("case.opened_at + duration('1d')"),
            "timestamp:2026-01-02T00:00:00Z");
  EXPECT_EQ(Eval("duration('1d') + case.opened_at"),
            "timestamp:2026-01-02T00:00:00Z");
  EXPECT_EQ(Eval("now - duration('12h')"), "timestamp:2026-01-02T00:00:00Z");
  EXPECT_EQ(Eval("duration('1h') + duration('30m')"), "duration:5400s");
  EXPECT_EQ(Eval("duration('1h') - duration('90m')"), "duration:-1800s");
  EXPECT_EQ(Eval("-duration('1.5s')"), "duration:-1.5s");
  EXPECT_EQ(Eval("timestamp('2262-01-01T00:00:00Z') + duration('100000d')"),
            "error:timestamp overflow");
}

TEST_F(EvaluatorTest, StringConcatenationAndFunctions) {
  EXPECT_EQ(Eval("customer.tier + '-' + case.channel"), "string:gold-chat");
  EXPECT_EQ(Eval("case.message.contains('parcel')"), "bool:true");
  EXPECT_EQ(Eval("case.message.contains('Parcel')"), "bool:false");
  EXPECT_EQ(Eval("case.message.startsWith('My')"), "bool:true");
  EXPECT_EQ(Eval("case.message.endsWith('again')"), "bool:true");
  EXPECT_EQ(Eval("case.message.endsWith('My')"), "bool:false");
  EXPECT_EQ(Eval("case.category.lowerAscii() == 'delivery'"), "bool:true");
  EXPECT_EQ(Eval("'\\u00c9T\\u00c9'.lowerAscii()"), "string:\xC3\x89t\xC3\x89");
}

TEST_F(EvaluatorTest, SizeCountsCodePointsAndEvents) {
  EXPECT_EQ(Eval("size('abc')"), "int:3");
  EXPECT_EQ(Eval("'h\\u00e9'.size()"), "int:2");
  EXPECT_EQ(Eval("size(history)"), "int:4");
  EXPECT_EQ(Eval("history.size()"), "int:4");
}

TEST_F(EvaluatorTest, MatchesIsPartialRe2Match) {
  EXPECT_EQ(Eval("case.message.matches('LATE')"), "bool:true");
  EXPECT_EQ(Eval("matches(case.message, '^My')"), "bool:true");
  EXPECT_EQ(Eval("case.message.matches('^parcel')"), "bool:false");
  EXPECT_EQ(Eval("case.message.matches('(?i)late again$')"), "bool:true");
}

TEST_F(EvaluatorTest, InListLiteral) {
  EXPECT_EQ(Eval("case.channel in ['email', 'chat']"), "bool:true");
  EXPECT_EQ(Eval("case.channel in ['email']"), "bool:false");
  EXPECT_EQ(Eval("case.channel in []"), "bool:false");
  EXPECT_EQ(Eval("2 in [1.5, 2.0]"), "bool:true");
  EXPECT_EQ(Eval("1 in [1 / 0, 1]"), "bool:true");
  EXPECT_EQ(Eval("3 in [1 / 0, 1]"), "error:division by zero");
}

TEST_F(EvaluatorTest, LogicalOperatorsAbsorbErrors) {
  EXPECT_EQ(Eval("false && 1 / 0 == 1"), "bool:false");
  EXPECT_EQ(Eval("1 / 0 == 1 && false"), "bool:false");
  EXPECT_EQ(Eval("true && 1 / 0 == 1"), "error:division by zero");
  EXPECT_EQ(Eval("1 / 0 == 1 && true"), "error:division by zero");
  EXPECT_EQ(Eval("true || 1 / 0 == 1"), "bool:true");
  EXPECT_EQ(Eval("1 / 0 == 1 || true"), "bool:true");
  EXPECT_EQ(Eval("false || 1 / 0 == 1"), "error:division by zero");
  EXPECT_EQ(Eval("1 % 0 == 1 || 1 / 0 == 1"), "error:modulus by zero");
  EXPECT_EQ(Eval("true && false"), "bool:false");
  EXPECT_EQ(Eval("false || true"), "bool:true");
  EXPECT_EQ(Eval("!true"), "bool:false");
  EXPECT_EQ(Eval("!(1 / 0 == 1)"), "error:division by zero");
}

TEST_F(EvaluatorTest, Ternary) {
  EXPECT_EQ(Eval("case.our_fault ? 'ours' : 'theirs'"), "string:ours");
  EXPECT_EQ(Eval("!case.our_fault ? 1 : 2.5"), "double:2.5");
  EXPECT_EQ(Eval("case.our_fault ? 1 : 1 / 0"), "int:1");
  EXPECT_EQ(Eval("1 / 0 == 0 ? 1 : 2"), "error:division by zero");
}

TEST_F(EvaluatorTest, HasOnScalarsTestsNonDefault) {
  EXPECT_EQ(Eval("has(customer.tier)"), "bool:true");
  EXPECT_EQ(Eval("has(customer.orders_12m)"), "bool:false");
  EXPECT_EQ(Eval("has(customer.lifetime_value)"), "bool:false");
  EXPECT_EQ(Eval("has(case.our_fault)"), "bool:true");
  EXPECT_EQ(Eval("has(case.opened_at)"), "bool:true");
}

TEST_F(EvaluatorTest, MinMaxAbs) {
  EXPECT_EQ(Eval("min(3, 1, 2)"), "int:1");
  EXPECT_EQ(Eval("max(3, 1, 2)"), "int:3");
  EXPECT_EQ(Eval("min(200.0, 0.05 * customer.spend_12m)"), "double:200");
  EXPECT_EQ(Eval("max(1, 2.5)"), "double:2.5");
  EXPECT_EQ(Eval("min('b', 'a')"), "string:a");
  EXPECT_EQ(Eval("max(duration('1h'), duration('2h'))"), "duration:7200s");
  EXPECT_EQ(Eval("min(1, 1 / 0)"), "error:division by zero");
  EXPECT_EQ(Eval("abs(-4)"), "int:4");
  EXPECT_EQ(Eval("abs(-4.5)"), "double:4.5");
  EXPECT_EQ(Eval("abs(-duration('2s'))"), "duration:2s");
}

TEST_F(EvaluatorTest, Conversions) {
  EXPECT_EQ(Eval("int(2.9)"), "int:2");
  EXPECT_EQ(Eval("int(-2.9)"), "int:-2");
  EXPECT_EQ(Eval("int(1e19)"), "error:double out of int range");
  EXPECT_EQ(Eval("int(-1e19)"), "error:double out of int range");
  EXPECT_EQ(Eval("int('42')"), "int:42");
  EXPECT_EQ(Eval("int('4x')"), "error:cannot convert '4x' to int");
  EXPECT_EQ(Eval("int(case.opened_at)"), "int:1767225600");
  EXPECT_EQ(Eval("int(7)"), "int:7");
  EXPECT_EQ(Eval("double(3)"), "double:3");
  EXPECT_EQ(Eval("double('2.5')"), "double:2.5");
  EXPECT_EQ(Eval("double('x')"), "error:cannot convert 'x' to double");
  EXPECT_EQ(Eval("string(42)"), "string:42");
  EXPECT_EQ(Eval("string(0.1)"), "string:0.1");
  EXPECT_EQ(Eval("string(true)"), "string:true");
  EXPECT_EQ(Eval("string(duration('90s'))"), "string:90s");
  EXPECT_EQ(Eval("string(case.opened_at)"), "string:2026-01-01T00:00:00Z");
  EXPECT_EQ(Eval("string('s')"), "string:s");
}

TEST_F(EvaluatorTest, DurationAndTimestampLiterals) {
  EXPECT_EQ(Eval("duration('1h30m')"), "duration:5400s");
  EXPECT_EQ(Eval("duration('2d')"), "duration:172800s");
  EXPECT_EQ(Eval("duration('250ms')"), "duration:0.25s");
  EXPECT_EQ(Eval("timestamp('2026-01-01T00:00:00Z') == case.opened_at"),
            "bool:true");
}

TEST_F(EvaluatorTest, Macros) {
  EXPECT_EQ(Eval("history.exists(e, e.kind == 'goodwill')"), "bool:true");
  EXPECT_EQ(Eval("history.exists(e, e.kind == 'refund')"), "bool:false");
  EXPECT_EQ(Eval("history.all(e, e.amount >= 0)"), "bool:true");
  EXPECT_EQ(Eval("history.all(e, e.amount > 0)"), "bool:false");
  EXPECT_EQ(Eval("history.exists_one(e, e.kind == 'complaint')"), "bool:true");
  EXPECT_EQ(Eval("history.exists_one(e, e.kind == 'goodwill')"), "bool:false");
  EXPECT_EQ(Eval("history.count(e, e.kind == 'goodwill')"), "int:2");
  EXPECT_EQ(Eval("size(history.filter(e, e.amount > 100))"), "int:2");
  EXPECT_EQ(
      Eval("history.filter(e, e.kind == 'goodwill').count(g, g.step == 2)"),
      "int:1");
  EXPECT_EQ(Eval("history.filter(e, e.kind == 'goodwill')"
                 ".filter(f, f.amount > 1000).size()"),
            "int:1");
  EXPECT_EQ(Eval("history.exists(e, e.ref == 'ladder' && e.step == 2 && "
                 "e.case_id == '')"),
            "bool:true");
}

TEST_F(EvaluatorTest, MacroWindowOverTime) {
  EXPECT_EQ(Eval("history.count(e, has(e.at) && now - e.at <= duration('2d'))"),
            "int:2");
  EXPECT_EQ(Eval("history.count(e, has(e.at) && e.at >= case.opened_at)"),
            "int:2");
}

TEST_F(EvaluatorTest, MacroErrorsFollowCel) {
  // The last event has no `at`: exists is still decided by an earlier true,
  // all by a false; otherwise the error propagates.
  EXPECT_EQ(Eval("history.exists(e, e.at > timestamp('2000-01-01T00:00:00Z'))"),
            "bool:true");
  EXPECT_EQ(Eval("history.exists(e, e.at < timestamp('2000-01-01T00:00:00Z'))"),
            "error:event.at is not set");
  EXPECT_EQ(Eval("history.all(e, e.at < timestamp('2000-01-01T00:00:00Z'))"),
            "bool:false");
  EXPECT_EQ(Eval("history.all(e, e.at > timestamp('2000-01-01T00:00:00Z'))"),
            "error:event.at is not set");
  EXPECT_EQ(Eval("history.count(e, e.at > now)"), "error:event.at is not set");
  EXPECT_EQ(Eval("size(history.filter(e, e.at > now))"),
            "error:event.at is not set");
}

TEST_F(EvaluatorTest, NestedMacrosSeeOuterVariable) {
  // Events sharing their kind with another event at a different step.
  EXPECT_EQ(Eval("history.count(e, history.exists(f, f.kind == e.kind && "
                 "f.step != e.step))"),
            "int:2");
  EXPECT_EQ(
      Eval("history.exists(e, e.kind == 'note' && "
           "history.count(f, f.kind == 'goodwill') == 2 && e.kind == 'note')"),
      "bool:true");
}

TEST_F(EvaluatorTest, EmptyHistory) {
  context_.clear_history();
  EXPECT_EQ(Eval("history.exists(e, true)"), "bool:false");
  EXPECT_EQ(Eval("history.all(e, false)"), "bool:true");
  EXPECT_EQ(Eval("history.count(e, true)"), "int:0");
  EXPECT_EQ(Eval("size(history)"), "int:0");
}

TEST_F(EvaluatorTest, ConditionSplitsTopLevelConjuncts) {
  ProgramBuilder b;
  std::vector<ExprDiagnostic> diags;
  auto conjuncts = b.AddCondition(
      "customer.tier == 'gold' &&\n  (case.our_fault || false) && now > "
      "case.opened_at",
      &diags);
  ASSERT_TRUE(conjuncts.ok()) << conjuncts.status();
  ASSERT_EQ(conjuncts->size(), 3u);
  EXPECT_EQ((*conjuncts)[0].source, "customer.tier == 'gold'");
  EXPECT_EQ((*conjuncts)[1].source, "(case.our_fault || false)");
  EXPECT_EQ((*conjuncts)[1].location.line, 2);
  EXPECT_EQ((*conjuncts)[1].location.column, 3);
  EXPECT_EQ((*conjuncts)[2].source, "now > case.opened_at");
  auto program = std::move(b).Build();
  auto frame = Frame::Create(*program, context_);
  ASSERT_TRUE(frame.ok());
  for (const Conjunct& c : *conjuncts) {
    EXPECT_EQ(Show(program->Evaluate(c.expr, **frame)), "bool:true")
        << c.source;
  }
}

TEST_F(EvaluatorTest, EmptyConditionIsTrue) {
  ProgramBuilder b;
  auto conjuncts = b.AddCondition("  ", nullptr);
  ASSERT_TRUE(conjuncts.ok());
  ASSERT_EQ(conjuncts->size(), 1u);
  auto program = std::move(b).Build();
  auto frame = Frame::Create(*program, context_);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(Show(program->Evaluate((*conjuncts)[0].expr, **frame)),
            "bool:true");
}

TEST_F(EvaluatorTest, ExpectedDoubleConvertsInt) {
  ProgramBuilder b;
  const ValueType kDouble = ValueType::kDouble;
  auto id = b.AddExpression("customer.spend_12m / 100", &kDouble, nullptr);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(b.TypeOf(*id), ValueType::kDouble);
  auto program = std::move(b).Build();
  EXPECT_EQ(program->TypeOf(*id), ValueType::kDouble);
  auto frame = Frame::Create(*program, context_);
  EXPECT_EQ(Show(program->Evaluate(*id, **frame)), "double:1200");
}

// --- Definitions
// ---------------------------------------------------------------

TEST_F(EvaluatorTest, DefinitionsReferToEachOtherInAnyOrder) {
  ProgramBuilder b;
  ASSERT_TRUE(b.DeclareDefinition("big_spender", "spend > 100000").ok());
  ASSERT_TRUE(b.DeclareDefinition("spend", "customer.spend_12m").ok());
  auto id = b.AddExpression("big_spender && spend == 120000", nullptr, nullptr);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_TRUE(b.CompileDefinitions().empty());
  auto program = std::move(b).Build();
  auto frame = Frame::Create(*program, context_);
  EXPECT_EQ(Show(program->Evaluate(*id, **frame)), "bool:true");
}

TEST_F(EvaluatorTest, DefinitionIsEvaluatedOncePerFrame) {
  ProgramBuilder b;
  ASSERT_TRUE(b.DeclareDefinition("tag", "customer.tier + '!'").ok());
  auto id = b.AddExpression("tag", nullptr, nullptr);
  ASSERT_TRUE(id.ok());
  auto program = std::move(b).Build();
  auto frame = Frame::Create(*program, context_);
  Value first = program->Evaluate(*id, **frame);
  Value second = program->Evaluate(*id, **frame);
  EXPECT_EQ(first.string_value, "gold!");
  // Memoized: the second evaluation returns the very same arena string.
  EXPECT_EQ(first.string_value.data(), second.string_value.data());
  // A new frame evaluates afresh.
  auto other = Frame::Create(*program, context_);
  EXPECT_NE(program->Evaluate(*id, **other).string_value.data(),
            first.string_value.data());
}

TEST_F(EvaluatorTest, DefinitionWithMacroInsideMacro) {
  ProgramBuilder b;
  ASSERT_TRUE(
      b.DeclareDefinition("goodwills", "history.count(g, g.kind == 'goodwill')")
          .ok());
  auto id = b.AddExpression(
      "history.count(e, e.kind == 'goodwill' && goodwills == 2)", nullptr,
      nullptr);
  ASSERT_TRUE(id.ok()) << id.status();
  auto program = std::move(b).Build();
  auto frame = Frame::Create(*program, context_);
  EXPECT_EQ(Show(program->Evaluate(*id, **frame)), "int:2");
}

TEST(DefinitionNamesTest, ReservedAndDuplicateNamesRejected) {
  ProgramBuilder b;
  EXPECT_EQ(b.DeclareDefinition("customer", "1").message(),
            "definition name 'customer' is reserved");
  EXPECT_EQ(b.DeclareDefinition("1x", "1").message(),
            "malformed definition name '1x'");
  EXPECT_TRUE(b.DeclareDefinition("x", "1").ok());
  EXPECT_EQ(b.DeclareDefinition("x", "2").message(),
            "definition 'x' is declared twice");
  EXPECT_TRUE(b.DeclareAttribute("plan", ValueType::kString).ok());
  EXPECT_EQ(b.DeclareAttribute("plan", ValueType::kString).message(),
            "attribute 'plan' is declared twice");
  EXPECT_EQ(b.DeclareAttribute("a b", ValueType::kString).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b.DeclareAttribute("l", ValueType::kEventList).code(),
            absl::StatusCode::kInvalidArgument);
}

// --- Sharing and determinism
// ---------------------------------------------------

TEST_F(EvaluatorTest, IdenticalExpressionsShareNodes) {
  ProgramBuilder b;
  auto first = b.AddExpression("customer.tier == 'gold' && case.our_fault",
                               nullptr, nullptr);
  ASSERT_TRUE(first.ok());
  const size_t nodes = b.node_count();
  auto second = b.AddExpression("customer.tier == \"gold\" && case.our_fault",
                                nullptr, nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(b.node_count(), nodes);
  // A rule that shares a sub-expression adds only what differs: the new
  // literal, the comparison, the && (the tier test is reused).
  auto third = b.AddExpression("customer.tier == 'gold' && case.channel == 'x'",
                               nullptr, nullptr);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(b.node_count(), nodes + 4);  // case.channel, 'x', ==, &&
  auto conj = b.AddCondition("customer.tier == 'gold' && true", nullptr);
  ASSERT_TRUE(conj.ok());
  auto tier = b.AddExpression("customer.tier == 'gold'", nullptr, nullptr);
  EXPECT_EQ((*conj)[0].expr, *tier);
}

TEST_F(EvaluatorTest, EvaluationIsDeterministicAcrossFramesAndThreads) {
  ProgramBuilder b;
  std::vector<ExprId> ids;
  for (const char* src :
       {"customer.tier + string(customer.spend_12m)",
        "history.count(e, e.kind == 'goodwill')", "now - case.opened_at",
        "case.message.matches('LATE') && customer.influence > 0.1"}) {
    auto id = b.AddExpression(src, nullptr, nullptr);
    ASSERT_TRUE(id.ok()) << src;
    ids.push_back(*id);
  }
  std::shared_ptr<const Program> program = std::move(b).Build();
  auto run = [&](std::vector<std::string>* out) {
    for (int round = 0; round < 200; ++round) {
      auto frame = Frame::Create(*program, context_);
      std::string line;
      for (ExprId id : ids) {
        absl::StrAppend(&line, Show(program->Evaluate(id, **frame)), ";");
      }
      out->push_back(line);
    }
  };
  std::vector<std::string> a, c;
  std::thread t1(run, &a), t2(run, &c);
  t1.join();
  t2.join();
  ASSERT_EQ(a.size(), 200u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i], a[0]);
    EXPECT_EQ(c[i], a[0]);
  }
  EXPECT_EQ(a[0], "string:gold120000;int:2;duration:129600s;bool:true;");
}

// The fused nodes Build() substitutes (comparisons with a constant, event
// string fields, filter chains, memoized definitions) must compute exactly
// what the general nodes compute: values, errors and their messages.
TEST_F(EvaluatorTest, FastPathsMatchGeneralEvaluation) {
  struct Operand {
    const char* expr;
    std::vector<const char*> constants;
  };
  const std::vector<Operand> scalars = {
      {"customer.tier", {"'gold'", "'silver'", "''", "'golden'"}},
      {"case.id", {"'k-9'", "'k-1'"}},
      {"customer.spend_12m", {"120000", "-5", "0", "9223372036854775807"}},
      {"customer.influence", {"0.5", "-0.5", "1e300", "0.0"}},
      {"case.sentiment", {"-0.25", "0.0", "-1.0"}},
      {"case.our_fault", {"true", "false"}},
      {"now",
       {"timestamp('2026-01-02T12:00:00Z')",
        "timestamp('1970-01-01T00:00:00Z')"}},
      {"case.incident_at", {"timestamp('2026-01-02T12:00:00Z')"}},
      {"attributes.seats", {"12", "13"}},
      {"attributes.ratio", {"3.0", "2.5"}},
      {"attributes.missing", {"'x'", "''"}},
      {"attributes.plan", {"'pro'", "'pr'"}},
      {"customer.spend_12m / 0", {"1"}},
      {"now - case.opened_at", {"duration('90d')", "duration('36h')"}},
      {"-customer.spend_12m", {"-120000", "5"}},
      {"customer.spend_12m * 2.0", {"240000.0", "-1.5"}},
  };
  const std::vector<Operand> events = {
      {"e.kind", {"'complaint'", "'goodwill'", "''", "'goodwil'"}},
      {"e.ref", {"'ladder'", "''"}},
      {"e.case_id", {"'k-1'", "'k-9'"}},
      {"e.amount", {"500", "0", "-1"}},
      {"e.step", {"1", "2"}},
      {"e.at", {"timestamp('2026-01-01T00:00:00Z')"}},
      {"now - e.at", {"duration('90d')", "duration('1d')", "duration('0s')"}},
      {"e.amount * 2", {"1000", "3000"}},
      {"double(e.amount)", {"500.0", "-2.0"}},
  };
  const char* ops[] = {"==", "!=", "<", "<=", ">", ">="};
  std::vector<std::string> sources;
  auto comparisons = [&](const Operand& o) {
    std::vector<std::string> out;
    for (const char* k : o.constants) {
      for (const char* op : ops) {
        out.push_back(absl::StrCat(o.expr, " ", op, " ", k));
        out.push_back(absl::StrCat(k, " ", op, " ", o.expr));
      }
    }
    return out;
  };
  for (const Operand& o : scalars) {
    for (const std::string& c : comparisons(o)) {
      sources.push_back(c);
      sources.push_back(
          absl::StrCat("(", c, ") || customer.spend_12m / 0 == 1"));
      sources.push_back(
          absl::StrCat("(", c, ") && now - case.incident_at > duration('1h')"));
      sources.push_back(absl::StrCat("(", c, ") ? customer.tier : case.id"));
    }
  }
  for (const Operand& o : events) {
    for (const std::string& c : comparisons(o)) {
      for (const char* macro : {"exists", "all", "exists_one", "count"}) {
        sources.push_back(absl::StrCat("history.", macro, "(e, ", c, ")"));
      }
      sources.push_back(absl::StrCat("history.filter(e, ", c, ").size()"));
      sources.push_back(absl::StrCat(
          "history.filter(e, e.kind != 'note').filter(e, ", c, ").size()"));
      sources.push_back(
          absl::StrCat("history.count(e, e.kind == 'goodwill' && (", c, "))"));
      sources.push_back(absl::StrCat("history.exists(x, history.filter(e, (", c,
                                     ") && e.kind == x.kind).size() > 1)"));
    }
  }
  sources.push_back(
      "history.count(e, e.kind == 'complaint' && now - e.at <= "
      "duration('90d'))");
  sources.push_back("complaints + goodwill");
  sources.push_back("rank == 3 ? complaints : goodwill");

  auto build = [&](bool specialize, std::vector<ExprId>* ids) {
    ProgramBuilder b;
    Declare(b);
    EXPECT_TRUE(b.DeclareDefinition("complaints",
                                    "history.count(e, e.kind == 'complaint')")
                    .ok());
    EXPECT_TRUE(b.DeclareDefinition(
                     "goodwill",
                     "history.filter(e, e.kind == 'goodwill' && now - e.at <= "
                     "duration('90d')).size() * 500")
                    .ok());
    EXPECT_TRUE(b.DeclareDefinition("rank",
                                    "case.severity == 'critical' ? 4 : "
                                    "case.severity == 'high' ? 3 : 1")
                    .ok());
    if (!specialize) b.DisableSpecializationForTesting();
    for (const std::string& src : sources) {
      auto id = b.AddExpression(src, nullptr, nullptr);
      ids->push_back(id.ok() ? *id : -1);
    }
    return std::move(b).Build();
  };
  std::vector<ExprId> fast_ids, slow_ids;
  auto fast = build(true, &fast_ids);
  auto slow = build(false, &slow_ids);
  ASSERT_EQ(fast_ids, slow_ids);
  int compiled = 0;
  for (ExprId id : fast_ids) compiled += id >= 0;
  EXPECT_GT(compiled, 1000);

  v1::Context nan_context = context_;
  nan_context.mutable_customer()->set_influence(std::nan(""));
  nan_context.mutable_case_()->set_sentiment(std::nan(""));
  nan_context.mutable_case_()->set_severity("critical");
  v1::Context empty_history = context_;
  empty_history.clear_history();
  // One frame reused across contexts (as the engine does) and fresh ones.
  Frame reused_fast, reused_slow;
  for (int round = 0; round < 2; ++round) {
    for (const v1::Context* context :
         {&context_, &nan_context, &empty_history}) {
      auto fresh_fast = Frame::Create(*fast, *context);
      auto fresh_slow = Frame::Create(*slow, *context);
      ASSERT_TRUE(fresh_fast.ok() && fresh_slow.ok());
      ASSERT_TRUE(reused_fast.Reset(*fast, *context).ok());
      ASSERT_TRUE(reused_slow.Reset(*slow, *context).ok());
      for (size_t i = 0; i < sources.size(); ++i) {
        if (fast_ids[i] < 0) continue;
        const std::string want =
            Show(slow->Evaluate(slow_ids[i], **fresh_slow));
        EXPECT_EQ(Show(fast->Evaluate(fast_ids[i], **fresh_fast)), want)
            << sources[i];
        EXPECT_EQ(Show(fast->Evaluate(fast_ids[i], reused_fast)), want)
            << sources[i];
        EXPECT_EQ(Show(slow->Evaluate(slow_ids[i], reused_slow)), want)
            << sources[i];
      }
    }
  }
}

TEST_F(EvaluatorTest, FastPathsAreUsed) {
  // Fused forms keep the general semantics on their edge cases.
  EXPECT_EQ(Eval("history.count(e, e.kind == 'goodwill')"), "int:2");
  EXPECT_EQ(Eval("history.count(e, 'goodwill' != e.kind)"), "int:2");
  EXPECT_EQ(Eval("history.count(e, now - e.at <= duration('1d'))"),
            "error:event.at is not set");
  EXPECT_EQ(Eval("history.exists(e, now - e.at <= duration('2d'))"),
            "bool:true");
  EXPECT_EQ(Eval("history.filter(e, e.kind != 'complaint')"
                 ".filter(e, e.at > timestamp('2026-01-01T00:00:00Z'))"
                 ".size()"),
            "error:event.at is not set");
  EXPECT_EQ(Eval("0.5 > customer.influence"), "bool:false");
  EXPECT_EQ(Eval("attributes.missing == 'x' || customer.tier == 'gold'"),
            "bool:true");
}

TEST_F(EvaluatorTest, ForeignExpressionIdIsAnErrorValue) {
  ProgramBuilder b;
  auto program = std::move(b).Build();
  auto frame = Frame::Create(*program, context_);
  EXPECT_EQ(Show(program->Evaluate(99, **frame)),
            "error:expression does not belong to this program");
}

// EvaluateCounting (the strike limits' trace): the same count as Evaluate,
// and which history events it counted, over filters too; anything else than
// a count is an error.
TEST_F(EvaluatorTest, EvaluateCountingListsTheEventsCounted) {
  ProgramBuilder b;
  Declare(b);
  std::vector<ExprDiagnostic> diags;
  auto count = b.AddExpression("history.count(e, e.kind == 'goodwill')",
                               nullptr, &diags);
  auto filtered = b.AddExpression(
      "history.filter(e, e.amount > 0).count(g, g.step == 2)", nullptr, &diags);
  auto none =
      b.AddExpression("history.count(e, e.kind == 'refund')", nullptr, &diags);
  auto exists = b.AddExpression("history.exists(e, e.kind == 'goodwill')",
                                nullptr, &diags);
  ASSERT_TRUE(count.ok() && filtered.ok() && none.ok() && exists.ok());
  auto program = std::move(b).Build();
  auto frame = Frame::Create(*program, context_);
  ASSERT_TRUE(frame.ok());

  std::vector<int32_t> counted;
  EXPECT_EQ(Show(program->EvaluateCounting(*count, **frame, &counted)),
            Show(program->Evaluate(*count, **frame)));
  EXPECT_EQ(counted, (std::vector<int32_t>{1, 2}));
  counted.clear();
  EXPECT_EQ(Show(program->EvaluateCounting(*filtered, **frame, &counted)),
            "int:1");
  EXPECT_EQ(counted, (std::vector<int32_t>{2}));
  counted.clear();
  EXPECT_EQ(Show(program->EvaluateCounting(*none, **frame, &counted)), "int:0");
  EXPECT_TRUE(counted.empty());
  EXPECT_EQ(Show(program->EvaluateCounting(*exists, **frame, &counted)),
            "error:expression is not a count over the history");
  EXPECT_TRUE(counted.empty());
}

}  // namespace
}  // namespace tact::internal
