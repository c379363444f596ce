#include "src/expr/parser.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/expr/lexer.h"

namespace tact::internal {
namespace {

// Renders a tree as fully parenthesized prefix notation.
std::string Dump(const Expr& e) {
  auto kids = [&](size_t from) {
    std::string out;
    for (size_t i = from; i < e.children.size(); ++i) {
      absl::StrAppend(&out, " ", Dump(*e.children[i]));
    }
    return out;
  };
  switch (e.kind) {
    case ExprKind::kBool:
      return e.bool_value ? "true" : "false";
    case ExprKind::kInt:
      return absl::StrCat(e.int_value);
    case ExprKind::kDouble:
      return absl::StrCat("d", e.double_value);
    case ExprKind::kString:
      return absl::StrCat("\"", e.string_value, "\"");
    case ExprKind::kIdent:
      return e.name;
    case ExprKind::kSelect:
      return absl::StrCat("(. ", Dump(*e.children[0]), " ", e.name, ")");
    case ExprKind::kIndex:
      return absl::StrCat("([]", kids(0), ")");
    case ExprKind::kCall:
      return absl::StrCat("(", e.has_receiver ? "." : "", e.name, kids(0), ")");
    case ExprKind::kUnary:
    case ExprKind::kBinary:
      return absl::StrCat("(", e.name, kids(0), ")");
    case ExprKind::kTernary:
      return absl::StrCat("(?", kids(0), ")");
    case ExprKind::kList:
      return absl::StrCat("[", kids(0), "]");
  }
  return "?";
}

std::string ParseDump(absl::string_view src) {
  ExprDiagnostic d;
  std::unique_ptr<Expr> e = Parse(src, ProgramLimits{}, &d);
  if (e == nullptr) {
    return absl::StrCat("error ", d.location.line, ":", d.location.column, ": ",
                        d.message);
  }
  return Dump(*e);
}

TEST(ParserTest, MultiplicationBindsTighterThanAddition) {
  EXPECT_EQ(ParseDump("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(ParseDump("1 * 2 + 3"), "(+ (* 1 2) 3)");
  EXPECT_EQ(ParseDump("a % b / c"), "(/ (% a b) c)");
}

TEST(ParserTest, BinaryOperatorsAreLeftAssociative) {
  EXPECT_EQ(ParseDump("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(ParseDump("a || b || c"), "(|| (|| a b) c)");
  EXPECT_EQ(ParseDump("a && b && c"), "(&& (&& a b) c)");
}

TEST(ParserTest, CelPrecedenceLadder) {
  EXPECT_EQ(ParseDump("a || b && c"), "(|| a (&& b c))");
  EXPECT_EQ(ParseDump("a && b == c"), "(&& a (== b c))");
  EXPECT_EQ(ParseDump("a < b + c"), "(< a (+ b c))");
  EXPECT_EQ(ParseDump("x in [1, 2] && y"), "(&& (in x [ 1 2]) y)");
  EXPECT_EQ(ParseDump("!a == b"), "(== (! a) b)");
  EXPECT_EQ(ParseDump("-a.b"), "(- (. a b))");
  EXPECT_EQ(ParseDump("(1 + 2) * 3"), "(* (+ 1 2) 3)");
}

TEST(ParserTest, TernaryIsLowestAndRightAssociative) {
  EXPECT_EQ(ParseDump("a || b ? 1 : 2"), "(? (|| a b) 1 2)");
  EXPECT_EQ(ParseDump("a ? 1 : b ? 2 : 3"), "(? a 1 (? b 2 3))");
}

TEST(ParserTest, MemberCallAndIndex) {
  EXPECT_EQ(ParseDump("customer.tier"), "(. customer tier)");
  EXPECT_EQ(ParseDump("s.startsWith(\"a\")"), "(.startsWith s \"a\")");
  EXPECT_EQ(ParseDump("size(x)"), "(size x)");
  EXPECT_EQ(ParseDump("attributes[\"plan\"]"), "([] attributes \"plan\")");
  EXPECT_EQ(ParseDump("history.exists(e, e.kind == \"x\")"),
            "(.exists history e (== (. e kind) \"x\"))");
  EXPECT_EQ(ParseDump("f()"), "(f)");
}

TEST(ParserTest, EveryLiteralKind) {
  EXPECT_EQ(ParseDump("42"), "42");
  EXPECT_EQ(ParseDump("-3"), "-3");
  EXPECT_EQ(ParseDump("0x1F"), "31");
  EXPECT_EQ(ParseDump("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(ParseDump("1.5"), "d1.5");
  EXPECT_EQ(ParseDump("2e3"), "d2000");
  EXPECT_EQ(ParseDump(".5"), "d0.5");
  EXPECT_EQ(ParseDump("true"), "true");
  EXPECT_EQ(ParseDump("false"), "false");
  EXPECT_EQ(ParseDump("'single'"), "\"single\"");
  EXPECT_EQ(ParseDump("\"double\""), "\"double\"");
  EXPECT_EQ(ParseDump("[1, 'a']"), "[ 1 \"a\"]");
  EXPECT_EQ(ParseDump("[]"), "[]");
}

TEST(ParserTest, StringEscapes) {
  ExprDiagnostic d;
  auto e = Parse(R"("a\nb\tc\\d\'e\"f\u00e9\u20ac")", ProgramLimits{}, &d);
  ASSERT_NE(e, nullptr) << d.message;
  EXPECT_EQ(e->string_value, "a\nb\tc\\d'e\"f\xC3\xA9\xE2\x82\xAC");
}

TEST(ParserTest, IntLiteralOutOfRange) {
  EXPECT_EQ(ParseDump("9223372036854775808"),
            "error 1:1: int literal out of range");
  EXPECT_EQ(ParseDump("99999999999999999999"),
            "error 1:1: int literal out of range");
}

TEST(ParserTest, LocationsAreOneBasedLineAndByteColumn) {
  ExprDiagnostic d;
  auto e = Parse("a &&\n  customer.tier", ProgramLimits{}, &d);
  ASSERT_NE(e, nullptr);
  const Expr& rhs = *e->children[1];
  EXPECT_EQ(rhs.location.line, 2);
  EXPECT_EQ(rhs.location.column, 12);  // the field name token
  EXPECT_EQ(rhs.children[0]->location.line, 2);
  EXPECT_EQ(rhs.children[0]->location.column, 3);
  EXPECT_EQ(e->begin, 0u);
  EXPECT_EQ(rhs.begin, 7u);
  EXPECT_EQ(rhs.end, 20u);
}

TEST(ParserTest, UnexpectedToken) {
  EXPECT_EQ(ParseDump("1 + * 2"), "error 1:5: unexpected '*'");
  EXPECT_EQ(ParseDump("1 +"), "error 1:4: unexpected end of expression");
}

TEST(ParserTest, UnterminatedString) {
  EXPECT_EQ(ParseDump("x == \"abc"), "error 1:6: unterminated string");
  EXPECT_EQ(ParseDump("'abc\n'"), "error 1:1: unterminated string");
}

TEST(ParserTest, TrailingInput) {
  EXPECT_EQ(ParseDump("a b"), "error 1:3: unexpected trailing input 'b'");
  EXPECT_EQ(ParseDump("(a))"), "error 1:4: unexpected trailing input ')'");
}

TEST(ParserTest, MissingClosingParen) {
  EXPECT_EQ(ParseDump("(a"), "error 1:3: expected ')', got end of expression");
}

TEST(ParserTest, BadEscapeAndCharacter) {
  EXPECT_EQ(ParseDump("'\\q'"), "error 1:2: unknown escape sequence '\\q'");
  EXPECT_EQ(ParseDump("a # b"), "error 1:3: unexpected character '#'");
  EXPECT_EQ(ParseDump("'\\u12'"),
            "error 1:2: \\u escape needs four hex digits");
}

// --- Hostile inputs: always a diagnostic, never a crash ----------------------

TEST(ParserHostileTest, DeepParenthesesFailCleanly) {
  std::string src(60000, '(');
  src += "1";
  EXPECT_NE(ParseDump(src).find(": expression nests deeper than 64 levels"),
            std::string::npos);
}

TEST(ParserHostileTest, DeepUnaryFails) {
  std::string src(10000, '!');
  src += "true";
  EXPECT_NE(ParseDump(src).find("nests deeper than 64 levels"),
            std::string::npos);
}

TEST(ParserHostileTest, LongOperatorChainIsBoundedByDepth) {
  std::string src = "1";
  for (int i = 0; i < 1000; ++i) src += " + 1";
  EXPECT_NE(ParseDump(src).find("nests deeper than 64 levels"),
            std::string::npos);
}

TEST(ParserHostileTest, NestingLimitIsConfigurable) {
  ProgramLimits limits;
  limits.max_nesting_depth = 3;
  ExprDiagnostic d;
  EXPECT_NE(Parse("((1))", limits, &d), nullptr);
  EXPECT_EQ(Parse("(((1)))", limits, &d), nullptr);
  EXPECT_EQ(d.message, "expression nests deeper than 3 levels");
}

TEST(ParserHostileTest, OneMegabyteExpressionIsRejected) {
  std::string src(1 << 20, 'a');
  EXPECT_EQ(ParseDump(src),
            "error 1:1: expression is 1048576 bytes; the limit is 65536");
}

TEST(ParserHostileTest, NulByteIsAnError) {
  std::string src("a ==");
  src.push_back('\0');
  src += "b";
  EXPECT_EQ(ParseDump(src), "error 1:5: unexpected NUL byte in expression");
}

TEST(ParserHostileTest, InvalidUtf8IsAnError) {
  EXPECT_EQ(ParseDump("x == '\xC3\x28'"),
            "error 1:7: invalid UTF-8 in expression");
  EXPECT_EQ(ParseDump("\xFF"), "error 1:1: invalid UTF-8 in expression");
  // Overlong encoding of '/'.
  EXPECT_EQ(ParseDump("'\xC0\xAF'"), "error 1:2: invalid UTF-8 in expression");
}

TEST(ParserHostileTest, EmptyExpression) {
  EXPECT_EQ(ParseDump(""), "error 1:1: unexpected end of expression");
  EXPECT_EQ(ParseDump("   "), "error 1:4: unexpected end of expression");
}

TEST(ParserHostileTest, GarbageAfterNumber) {
  EXPECT_EQ(ParseDump("12abc"), "error 1:1: malformed number literal '12a'");
  EXPECT_EQ(ParseDump("1e"), "error 1:1: malformed exponent in number literal");
}

}  // namespace
}  // namespace tact::internal
