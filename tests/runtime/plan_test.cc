// Policy-level load errors: each kind names its place and says what is wrong.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

namespace tact {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

CompileResult CompileString(absl::string_view text,
                            const CompileOptions& options = {}) {
  return Engine::CompileText(text, PolicyFormat::kText, "p.textproto", options);
}

std::vector<std::string> Errors(const CompileResult& result) {
  std::vector<std::string> out;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) out.push_back(d.ToString());
  }
  return out;
}

TEST(PlanTest, UnknownActionIsAnErrorWithASuggestion) {
  CompileResult r = CompileString(R"pb(actions { id: "apologize" }
rules { id: "r" recommend { action: "apologise" } })pb");
  EXPECT_EQ(r.engine, nullptr);
  EXPECT_THAT(Errors(r), Contains(AllOf(
                             HasSubstr("p.textproto:2:"),
                             HasSubstr("rule \"r\": unknown action \"apologise\""),
                             HasSubstr("did you mean \"apologize\"?"))));
}

TEST(PlanTest, UnknownVetoedActionIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
rules { id: "r" veto: "zzz" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("unknown action \"zzz\"")));
}

TEST(PlanTest, DuplicateIdsAreErrors) {
  CompileResult r = CompileString(R"pb(actions { id: "a" } actions { id: "a" }
rules { id: "r" recommend { action: "a" } }
rules { id: "r" recommend { action: "a" } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("action \"a\": duplicate action id")));
  EXPECT_THAT(Errors(r), Contains(HasSubstr("rule \"r\": duplicate rule id")));
}

TEST(PlanTest, MalformedIdIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "Bad Id" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("1-128 characters of [a-z0-9_.-]")));
}

TEST(PlanTest, TemplateParameterWithoutValueIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "credit" template: "Credit {amount:money}" }
rules { id: "r" recommend { action: "credit" } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr(
                             "uses {amount} in its template but this rule gives "
                             "no parameter \"amount\"")));
}

TEST(PlanTest, MalformedTemplateIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "a" template: "Hi {name" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("unterminated '{' at offset 3")));
}

TEST(PlanTest, ReasonParameterMissingFromAnActionIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
rules { id: "r" reason: "because {why}" recommend { action: "a" } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("the reason uses {why}")));
}

TEST(PlanTest, NegativeWeightIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
rules { id: "r" weight: -1 recommend { action: "a" } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("weight must be a finite number >= 0")));
}

TEST(PlanTest, AttributeWithoutTypeIsAnError) {
  CompileResult r = CompileString(R"pb(attributes { name: "nps" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("attribute \"nps\": declare the attribute's type")));
}

TEST(PlanTest, ModifierWithoutFactorIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "a" } score_modifiers { id: "m" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("score modifier \"m\": a score modifier needs a factor")));
}

TEST(PlanTest, UselessRuleAndModifierAreWarningsNotErrors) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
score_modifiers { id: "m" factor: "2.0" tags: "nope" }
rules { id: "r" })pb");
  EXPECT_NE(r.engine, nullptr);
  EXPECT_THAT(r.diagnostics,
              Contains(Field(&Diagnostic::message,
                             HasSubstr("neither recommends nor vetoes"))));
  EXPECT_THAT(r.diagnostics,
              Contains(Field(&Diagnostic::message, HasSubstr("never applies"))));
}

TEST(PlanTest, TooManyRulesIsAnError) {
  CompileOptions options;
  options.max_rules = 1;
  CompileResult r = CompileString(R"pb(actions { id: "a" }
rules { id: "r1" recommend { action: "a" } }
rules { id: "r2" recommend { action: "a" } })pb", options);
  EXPECT_THAT(Errors(r), Contains(HasSubstr("the limit is 1")));
}

TEST(PlanTest, ExpressionErrorPointsIntoTheFile) {
  // `customer.teir` starts at column 24 of line 2.
  CompileResult r = CompileString(R"pb(actions { id: "a" }
rules { id: "r" when: "customer.teir == 'gold'" recommend { action: "a" } })pb");
  EXPECT_EQ(r.engine, nullptr);
  EXPECT_THAT(Errors(r), Contains(AllOf(HasSubstr("p.textproto:2:"),
                                        HasSubstr("rule \"r\""),
                                        HasSubstr("did you mean customer.tier?"))));
}

TEST(PlanTest, EveryErrorIsReportedNotJustTheFirst) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
rules { id: "r1" when: "customer.teir == 'x'" recommend { action: "a" } }
rules { id: "r2" when: "case.chanel == 'x'" recommend { action: "a" } }
rules { id: "r3" recommend { action: "b" } })pb");
  EXPECT_EQ(Errors(r).size(), 3u);
}

TEST(PlanTest, FromTextFoldsErrorsIntoOneStatus) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine = Engine::FromText(
      R"pb(rules { id: "r" recommend { action: "nope" } })pb", PolicyFormat::kText, "x.textproto");
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(engine.status().message()),
              HasSubstr("x.textproto:1:"));
}

TEST(PlanTest, MissingFileIsNotFound) {
  EXPECT_EQ(Engine::FromFile("/nonexistent/policy.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tact
