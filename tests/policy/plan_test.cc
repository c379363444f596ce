// Policy-level load errors: each kind names its place and says what is wrong.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

// The policies below are test inputs whose line:column positions the tests
// assert: keep clang-format from reflowing them.
// clang-format off
namespace tact {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

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
                             "action \"credit\" needs parameter \"amount\" but "
                             "this reference gives none")));
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

// --- Construct mistakes ---

TEST(PlanTest, LadderWithoutRungsIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
ladders { id: "unhappy" })pb");
  EXPECT_THAT(Errors(r), Contains(AllOf(HasSubstr("p.textproto:2:"),
                                        HasSubstr("ladder \"unhappy\": a ladder has no rungs"))));
}

TEST(PlanTest, LadderRungWithUnknownActionIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "explain" }
ladders { id: "l" rungs { action { action: "explian" } } })pb");
  EXPECT_THAT(Errors(r), Contains(AllOf(HasSubstr("unknown action \"explian\""),
                                        HasSubstr("did you mean \"explain\"?"))));
}

TEST(PlanTest, MalformedWaitIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
ladders { id: "l" rungs { action { action: "a" } min_wait: "soon" } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("malformed duration \"soon\"")));
}

TEST(PlanTest, BudgetWithNegativeCapIsAnError) {
  CompileResult r = CompileString(R"pb(budgets { id: "g" window: "30d" per_window: "-500" })pb");
  EXPECT_THAT(Errors(r), Contains(AllOf(HasSubstr("p.textproto:1:"),
                                        HasSubstr("the cap \"-500\" is negative"))));
}

TEST(PlanTest, BudgetCapMustBeANumber) {
  CompileResult r = CompileString(R"pb(budgets { id: "g" window: "30d" per_window: "customer.tier" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("a budget cap must be a number of minor units, got string")));
}

TEST(PlanTest, RollingBudgetNeedsAWindow) {
  CompileResult r = CompileString(R"pb(budgets { id: "g" per_window: "500" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("a rolling budget needs a window")));
}

TEST(PlanTest, MonetaryAlternativeIsAnError) {
  CompileResult r = CompileString(R"pb(
actions { id: "credit" amount_param: "amount" alternative: "refund" }
actions { id: "refund" amount_param: "amount" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("the alternative \"refund\" is monetary")));
}

TEST(PlanTest, MonetaryActionNeedsItsAmount) {
  CompileResult r = CompileString(R"pb(actions { id: "credit" amount_param: "amount" }
rules { id: "r" recommend { action: "credit" } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("needs parameter \"amount\"")));
}

TEST(PlanTest, StrikeLimitMistakesAreErrors) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
strike_limits { id: "s" limit: 0 suppress: "b" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("limit must be at least 1")));
  EXPECT_THAT(Errors(r), Contains(HasSubstr("needs a window")));
  EXPECT_THAT(Errors(r), Contains(HasSubstr("say which history events are strikes")));
  EXPECT_THAT(Errors(r), Contains(HasSubstr("unknown action \"b\"")));
}

TEST(PlanTest, StrikeCountErrorPointsIntoTheUsersExpression) {
  // The field name `knd` is at column 36 of line 2, whatever tact wraps
  // around the user's expression.
  CompileResult r = CompileString(R"pb(actions { id: "a" }
strike_limits { id: "s" counts: "e.knd == 'x'" window: "90d" limit: 3 })pb");
  std::vector<std::string> errors = Errors(r);
  ASSERT_FALSE(errors.empty());
  EXPECT_THAT(errors, Contains(HasSubstr("p.textproto:2:36:")));
}

TEST(PlanTest, PlaybookNeedsAnApologyAndAServiceFailure) {
  CompileResult r = CompileString(R"pb(playbooks { id: "p" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("a recovery begins with the apology")));
  EXPECT_THAT(Errors(r), Contains(HasSubstr("say when the case is a service failure")));
}

TEST(PlanTest, UnknownAuthorityIsAnError) {
  CompileResult r = CompileString(R"pb(authorities: "bot" authorities: "agent"
actions { id: "a" authority: "superviser" })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("unknown authority \"superviser\"")));
}

TEST(PlanTest, CalendarMistakesAreErrors) {
  CompileResult r = CompileString(R"pb(
calendars { id: "c" time_zone: "Mars/Olympus" hours { weekday: 1 start: "09:00" end: "17:00" } }
calendars { id: "d" hours { weekday: 8 start: "09:00" end: "17:00" } }
calendars { id: "e" hours { weekday: 1 start: "18:00" end: "09:00" } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("unknown time zone \"Mars/Olympus\"")));
  EXPECT_THAT(Errors(r), Contains(HasSubstr("weekday 8 is not 1 (Monday) to 7 (Sunday)")));
  EXPECT_THAT(Errors(r), Contains(HasSubstr("start 18:00 is not before end 09:00")));
}

// A calendar with only a time zone is valid where no working hours are
// needed (a calendar-month budget's zone) and an error where they are.
TEST(PlanTest, ZoneOnlyCalendarServesCalendarPeriodsButNotBusinessTime) {
  CompileResult ok = CompileString(R"pb(actions { id: "a" }
calendars { id: "tokyo" time_zone: "Asia/Tokyo" }
budgets { id: "g" period: CALENDAR_MONTH per_window: "1000" calendar: "tokyo" })pb");
  EXPECT_THAT(Errors(ok), IsEmpty());

  CompileResult wait = CompileString(R"pb(actions { id: "a" }
calendars { id: "tokyo" time_zone: "Asia/Tokyo" }
ladders { id: "l" calendar: "tokyo"
  rungs { action { action: "a" } }
  rungs { action { action: "a" } min_wait: "business_hours(8)" } })pb");
  EXPECT_THAT(Errors(wait),
              Contains(HasSubstr("business_hours(8) counts working hours, but "
                                 "calendar \"tokyo\" has none")));

  CompileResult expr = CompileString(R"pb(actions { id: "a" }
calendars { id: "tokyo" time_zone: "Asia/Tokyo" }
rules { id: "r" when: "inBusinessHours(now, 'tokyo')" recommend { action: "a" } })pb");
  EXPECT_THAT(Errors(expr),
              Contains(HasSubstr("inBusinessHours() counts working hours, but "
                                 "calendar 'tokyo' has none")));
}

TEST(PlanTest, BusinessTimeWithoutAnyCalendarIsAnError) {
  CompileResult wait = CompileString(R"pb(actions { id: "a" }
ladders { id: "l"
  rungs { action { action: "a" } }
  rungs { action { action: "a" } min_wait: "business_hours(8)" } })pb");
  EXPECT_THAT(Errors(wait), Contains(HasSubstr(
                                "business_hours(8) counts working hours, but "
                                "the policy defines no calendar")));
  // Calendar time needs no calendar.
  CompileResult elapsed = CompileString(R"pb(actions { id: "a" }
ladders { id: "l"
  rungs { action { action: "a" } }
  rungs { action { action: "a" } min_wait: "8h" } })pb");
  EXPECT_THAT(Errors(elapsed), IsEmpty());

  CompileResult expr = CompileString(R"pb(actions { id: "a" }
rules { id: "r" when: "businessDuration(case.opened_at, now) > duration('8h')"
        recommend { action: "a" } })pb");
  EXPECT_THAT(Errors(expr), Contains(HasSubstr(
                                "businessDuration() counts working hours, but "
                                "the policy defines no calendar")));
}

TEST(PlanTest, UnknownCalendarSuggestsTheNearest) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
calendars { id: "support_eu" time_zone: "Europe/Paris"
            hours { weekday: 1 start: "09:00" end: "18:00" } }
rules { id: "r" when: "inBusinessHours(now, 'suport_eu')" recommend { action: "a" } }
ladders { id: "l" calendar: "support_ue" rungs { action { action: "a" } } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr(
                             "unknown calendar 'suport_eu'; did you mean "
                             "'support_eu'?")));
  EXPECT_THAT(Errors(r), Contains(HasSubstr(
                             "unknown calendar \"support_ue\"; did you mean "
                             "\"support_eu\"?")));
}

TEST(PlanTest, DefinitionCycleIsAnError) {
  CompileResult r = CompileString(R"pb(actions { id: "a" }
definitions { name: "x" expr: "y" }
definitions { name: "y" expr: "x" }
rules { id: "r" when: "x" recommend { action: "a" } })pb");
  EXPECT_THAT(Errors(r), Contains(HasSubstr("cycle in definitions")));
}

TEST(PlanTest, MissingFileIsNotFound) {
  EXPECT_EQ(Engine::FromFile("/nonexistent/policy.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tact
// clang-format on
