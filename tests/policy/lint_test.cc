// Issue 15, part 2: domain lint. Each check on a small bad policy, and near
// misses that must not warn.
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

namespace tact {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

}  // namespace

// Readable failures.
void PrintTo(const Diagnostic& d, std::ostream* os) { *os << d.ToString(); }

namespace {

// Actions and the head every test policy shares.
constexpr absl::string_view kHead = R"pb(
  name: "lint"
  currency: "USD"
  actions { id: "reply" }
  actions { id: "explain" }
  actions { id: "apologize" }
  actions {
    id: "credit"
    template: "Credit {amount:money}."
    amount_param: "amount"
  }
)pb";

// Every lint warning of `body` (after kHead), which must compile.
std::vector<Diagnostic> Lint(absl::string_view body,
                             absl::string_view head = kHead) {
  std::string text = absl::StrCat(head, body);
  CompileResult result =
      Engine::CompileText(text, PolicyFormat::kText, "t.textproto");
  EXPECT_NE(result.engine, nullptr);
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : result.diagnostics) {
    EXPECT_EQ(d.severity, Diagnostic::Severity::kWarning) << d.ToString();
    if (!d.check.empty()) out.push_back(d);
  }
  return out;
}

// Only the warnings of `check`.
std::vector<Diagnostic> Only(const std::vector<Diagnostic>& all,
                             absl::string_view check) {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : all) {
    if (d.check == check) out.push_back(d);
  }
  return out;
}

std::vector<Diagnostic> LintFor(absl::string_view check,
                                absl::string_view body) {
  return Only(Lint(body), check);
}

auto Warning(absl::string_view check, absl::string_view element,
             absl::string_view message) {
  return AllOf(Field(&Diagnostic::check, std::string(check)),
               Field(&Diagnostic::element, std::string(element)),
               Field(&Diagnostic::message, HasSubstr(std::string(message))));
}

// Rules the checks below add to; every action is recommended.
constexpr absl::string_view kUseAll = R"pb(
  rules {
    id: "use-all"
    when: "case.channel == 'letter'"
    recommend { action: "reply" }
    recommend { action: "explain" }
    recommend { action: "apologize" }
    recommend {
      action: "credit"
      params { key: "amount" value: "100" }
    }
  }
)pb";

TEST(LintTest, HeadAloneIsClean) { EXPECT_THAT(Lint(kUseAll), IsEmpty()); }

// --- unreachable-rule ------------------------------------------------------

TEST(LintTest, ContradictoryComparisonsMakeARuleUnreachable) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "never"
      when: "customer.spend_12m > 5 && customer.spend_12m < 3"
      recommend { action: "reply" }
    }
  )pb");
  EXPECT_THAT(LintFor("unreachable-rule", body),
              ElementsAre(Warning("unreachable-rule", "rule \"never\"",
                                  "can never fire: no value satisfies "
                                  "`customer.spend_12m > 5` and "
                                  "`customer.spend_12m < 3` together")));
}

TEST(LintTest, ConstantFalseAndClashingStringsAreUnreachable) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "off"
      when: "false"
      recommend { action: "reply" }
    }
    rules {
      id: "two-tiers"
      when: "customer.tier == 'gold' && customer.tier == 'silver'"
      recommend { action: "reply" }
    }
    rules {
      id: "no-int-between"
      when: "customer.orders_12m > 5 && customer.orders_12m < 6"
      recommend { action: "reply" }
    }
    rules {
      id: "every-value-excluded"
      when: "customer.orders_12m >= 1 && customer.orders_12m <= 2 && "
            "customer.orders_12m != 1 && customer.orders_12m != 2"
      recommend { action: "reply" }
    }
    rules {
      id: "arith"
      when: "2 * 3 < 5"
      recommend { action: "reply" }
    }
  )pb");
  std::vector<Diagnostic> got = LintFor("unreachable-rule", body);
  EXPECT_THAT(
      got,
      ElementsAre(
          Warning("unreachable-rule", "rule \"off\"", "`false` is never true"),
          Warning("unreachable-rule", "rule \"two-tiers\"", "together"),
          Warning("unreachable-rule", "rule \"no-int-between\"", "together"),
          Warning("unreachable-rule", "rule \"every-value-excluded\"",
                  "together"),
          Warning("unreachable-rule", "rule \"arith\"",
                  "`2 * 3 < 5` is never true")));
}

TEST(LintTest, SatisfiableRangesAreNotUnreachable) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "double-between"
      when: "case.sentiment > 5.0 && case.sentiment < 6.0"
      recommend { action: "reply" }
    }
    rules {
      id: "int-between"
      when: "customer.spend_12m > 5 && customer.spend_12m < 7"
      recommend { action: "reply" }
    }
    rules {
      id: "one-left"
      when: "customer.orders_12m >= 1 && customer.orders_12m <= 3 && "
            "customer.orders_12m != 1 && customer.orders_12m != 3"
      recommend { action: "reply" }
    }
    rules {
      id: "closed-point"
      when: "case.sentiment >= 0.5 && case.sentiment <= 0.5"
      recommend { action: "reply" }
    }
    rules {
      id: "different-facts"
      when: "customer.spend_12m > 5 && customer.orders_12m < 3"
      recommend { action: "reply" }
    }
  )pb");
  EXPECT_THAT(LintFor("unreachable-rule", body), IsEmpty());
}

TEST(LintTest, WarningHasFileLineColumnAndCheckName) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "never"
      when: "customer.spend_12m > 5 && customer.spend_12m < 3"
      recommend { action: "reply" }
    }
  )pb");
  std::vector<Diagnostic> got = LintFor("unreachable-rule", body);
  ASSERT_EQ(got.size(), 1u);
  // The `when` field of rule "never", in the whole text.
  std::string text = absl::StrCat(kHead, body);
  size_t at = text.find("when: \"customer.spend_12m > 5");
  std::vector<std::string> lines = absl::StrSplit(text.substr(0, at), '\n');
  EXPECT_EQ(got[0].file, "t.textproto");
  EXPECT_EQ(got[0].line, static_cast<int>(lines.size()));
  EXPECT_EQ(got[0].column, static_cast<int>(lines.back().size()) + 1);
  EXPECT_EQ(got[0].ToString(),
            absl::StrCat("t.textproto:", got[0].line, ":", got[0].column,
                         ": warning: rule \"never\": ", got[0].message,
                         " [unreachable-rule]"));
}

// --- shadowed-rule -----------------------------------------------------------

TEST(LintTest, FinalRuleAlwaysTrueShadowsEveryLowerRule) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "stop"
      when: "true"
      recommend { action: "reply" }
      priority: 100
      final: true
    }
    rules {
      id: "lower"
      recommend { action: "explain" }
      priority: 5
    }
  )pb");
  std::vector<Diagnostic> got = LintFor("shadowed-rule", body);
  // In evaluation order: priority first.
  EXPECT_THAT(got, ElementsAre(Warning("shadowed-rule", "rule \"lower\"",
                                       "the final rule \"stop\""),
                               Warning("shadowed-rule", "rule \"use-all\"",
                                       "the final rule \"stop\"")));
}

TEST(LintTest, FinalRuleWhoseConditionIsImpliedShadows) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "gold-stop"
      when: "customer.tier == 'gold' && customer.spend_12m >= 1000"
      recommend { action: "reply" }
      priority: 100
      final: true
    }
    rules {
      id: "rich-gold"
      when: "customer.spend_12m > 5000 && customer.tier == 'gold' && "
            "case.our_fault"
      recommend { action: "explain" }
      priority: 5
    }
  )pb");
  EXPECT_THAT(LintFor("shadowed-rule", body),
              ElementsAre(Warning("shadowed-rule", "rule \"rich-gold\"",
                                  "\"gold-stop\" (priority 100")));
}

TEST(LintTest, NearMissesAreNotShadowed) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    # Not final: shadows nothing.
    rules {
      id: "top"
      when: "true"
      recommend { action: "reply" }
      priority: 90
    }
    # Final, but of the same priority as the rule below (and the lowest).
    rules {
      id: "same-level"
      when: "true"
      recommend { action: "reply" }
      priority: -5
      final: true
    }
    rules {
      id: "level-5"
      recommend { action: "explain" }
      priority: -5
    }
    # Final and higher, but the lower rule does not imply its condition.
    rules {
      id: "big-spender"
      when: "customer.spend_12m >= 1000"
      recommend { action: "reply" }
      priority: 80
      final: true
    }
    rules {
      id: "some-spender"
      when: "customer.spend_12m >= 999"
      recommend { action: "explain" }
      priority: 0
    }
  )pb");
  EXPECT_THAT(LintFor("shadowed-rule", body), IsEmpty());
}

// --- duplicate-rule ----------------------------------------------------------

TEST(LintTest, SameConditionAndOutcomesIsADuplicate) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "a"
      when: "customer.tier == 'gold' && case.our_fault"
      recommend { action: "explain" }
    }
    rules {
      id: "b"
      when: "case.our_fault && customer.tier == 'gold'"
      recommend { action: "explain" }
      reason: "Same thing, other words."
    }
    rules {
      id: "c"
      when: "case.our_fault && customer.tier == 'gold'"
      recommend { action: "apologize" }
    }
    rules {
      id: "d"
      when: "case.our_fault && customer.tier == 'gold'"
      recommend { action: "explain" }
      priority: 3
    }
  )pb");
  EXPECT_THAT(
      LintFor("duplicate-rule", body),
      ElementsAre(Warning("duplicate-rule", "rule \"b\"", "as rule \"a\"")));
}

TEST(LintTest, RulesDifferingInAParameterAreNotDuplicates) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "a"
      when: "case.our_fault"
      recommend {
        action: "credit"
        params { key: "amount" value: "500" }
      }
    }
    rules {
      id: "b"
      when: "case.our_fault"
      recommend {
        action: "credit"
        params { key: "amount" value: "600" }
      }
    }
    rules {
      id: "c"
      when: "case.our_fault"
      recommend {
        action: "credit"
        params { key: "amount" value: "500" }
      }
      final: true
    }
  )pb");
  EXPECT_THAT(LintFor("duplicate-rule", body), IsEmpty());
}

// --- unused-action -----------------------------------------------------------

TEST(LintTest, ActionNothingRecommendsIsUnused) {
  std::string head = absl::StrCat(kHead, R"pb(
    actions { id: "orphan" }
    actions { id: "vetoed-only" }
    actions { id: "note" }
    actions { id: "voucher" amount_param: "amount" alternative: "note" }
    actions { id: "warn" }
    actions { id: "sorry" }
  )pb");
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules { id: "veto" when: "case.our_fault" veto: "vetoed-only" }
    ladders {
      id: "l"
      rungs {
        action {
          action: "voucher"
          params { key: "amount" value: "500" }
        }
      }
    }
    strike_limits {
      id: "s"
      counts: "e.kind == 'no_show'"
      window: "90d"
      limit: 3
      warning { action: "warn" }
    }
    playbooks { id: "p" when: "case.our_fault" apology: "sorry" }
  )pb");
  std::vector<Diagnostic> got = Only(Lint(body, head), "unused-action");
  EXPECT_THAT(got,
              ElementsAre(Warning("unused-action", "action \"orphan\"",
                                  "nothing recommends"),
                          Warning("unused-action", "action \"vetoed-only\"",
                                  "nothing recommends")));
}

// --- unreachable-rung --------------------------------------------------------

TEST(LintTest, RungsNoPathReaches) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    ladders {
      id: "stuck"
      when: "case.sentiment < 0.0"
      rungs { action { action: "explain" } }
      rungs { action { action: "apologize" when: "case.sentiment > 0.5" } }
      rungs { action { action: "reply" } }
      rungs {
        action { action: "explain" }
        entry: "case.severity == 'critical'"
      }
    }
    ladders {
      id: "jumps"
      rungs { action { action: "explain" } }
      rungs {
        action { action: "apologize" }
        entry: "true"
      }
      rungs { action { action: "reply" } }
    }
    ladders {
      id: "never"
      when: "customer.tier == 'a' && customer.tier == 'b'"
      rungs { action { action: "explain" } }
    }
    ladders {
      id: "dead-entry"
      when: "case.severity == 'low'"
      rungs { action { action: "explain" } }
      rungs {
        action { action: "reply" }
        entry: "case.severity == 'critical'"
      }
    }
  )pb");
  std::vector<Diagnostic> got = LintFor("unreachable-rung", body);
  EXPECT_THAT(
      got,
      ElementsAre(
          Warning("unreachable-rung", "ladder \"stuck\"",
                  "rung 2 is never offered: its action's condition can never "
                  "hold while the ladder applies: no value satisfies "
                  "`case.sentiment < 0.0` and `case.sentiment > 0.5`"),
          Warning("unreachable-rung", "ladder \"stuck\"",
                  "rung 3 is never offered: the ladder never climbs past "
                  "rung 2"),
          Warning("unreachable-rung", "ladder \"jumps\"",
                  "rung 1 is never offered: the entry condition of rung 2 "
                  "always holds"),
          Warning("unreachable-rung", "ladder \"never\"",
                  "no rung is ever offered"),
          Warning("unreachable-rung", "ladder \"dead-entry\"",
                  "the entry condition of rung 2 can never hold")));
}

TEST(LintTest, LadderStoppedByAHigherFinalRuleReachesNoRung) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "hold"
      when: "customer.tier == 'blocked'"
      recommend { action: "reply" }
      priority: 50
      final: true
    }
    ladders {
      id: "blocked-unhappy"
      when: "customer.tier == 'blocked' && case.sentiment < 0.0"
      priority: 10
      rungs { action { action: "explain" } }
    }
    ladders {
      id: "above-the-hold"
      when: "customer.tier == 'blocked'"
      priority: 50
      rungs { action { action: "explain" } }
    }
    ladders {
      id: "anyone-unhappy"
      when: "case.sentiment < 0.0"
      priority: 10
      rungs { action { action: "explain" } }
    }
  )pb");
  EXPECT_THAT(
      LintFor("unreachable-rung", body),
      ElementsAre(Warning("unreachable-rung", "ladder \"blocked-unhappy\"",
                          "the final rule \"hold\" (priority 50, "
                          "above the ladder's 10)")));
}

TEST(LintTest, ReachableRungsDoNotWarn) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    ladders {
      id: "fine"
      when: "case.sentiment < 0.0"
      rungs { action { action: "explain" } }
      rungs { action { action: "apologize" when: "case.sentiment < -0.5" } }
      rungs {
        action { action: "reply" }
        entry: "case.severity == 'critical'"
      }
    }
    ladders {
      id: "entry-first"
      rungs {
        action { action: "explain" }
        entry: "true"
      }
      rungs { action { action: "reply" } }
    }
  )pb");
  EXPECT_THAT(LintFor("unreachable-rung", body), IsEmpty());
}

// --- negative-money ----------------------------------------------------------

TEST(LintTest, NegativeConstantAmountsAndCaps) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "minus"
      when: "case.our_fault"
      recommend {
        action: "credit"
        params { key: "amount" value: "100 - 600" }
      }
    }
    rules {
      id: "fine"
      when: "case.our_fault"
      recommend {
        action: "credit"
        params { key: "amount" value: "customer.spend_12m - 600" }
      }
    }
    budgets { id: "b" per_window: "100 - 5100" per_case: "2000" window: "30d" }
  )pb");
  EXPECT_THAT(LintFor("negative-money", body),
              ElementsAre(Warning("negative-money", "rule \"minus\"",
                                  "(`100 - 600`) is always -500"),
                          Warning("negative-money", "budget \"b\"",
                                  "the cap per_window is always -5000")));
}

// serviceCost() reads the history: a condition or amount over it is not a
// constant, whatever its operand (a constant window).
TEST(LintTest, ServiceCostIsNeverAConstant) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "no-cost-yet"
      when: "serviceCost(duration('90d')) == 0"
      recommend { action: "reply" }
      priority: 100
      final: true
    }
    rules {
      id: "costly"
      when: "serviceCost(duration('90d')) > 1000"
      recommend { action: "explain" }
    }
    rules {
      id: "credit-minus-cost"
      when: "case.our_fault"
      recommend {
        action: "credit"
        params { key: "amount" value: "serviceCost(duration('90d')) - 100" }
      }
    }
  )pb");
  EXPECT_THAT(Lint(body), IsEmpty());
}

TEST(LintTest, NegativeAmountsInConstructsAreReportedOnTheConstruct) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    ladders {
      id: "l"
      rungs { action { action: "explain" } }
      rungs {
        action {
          action: "credit"
          params { key: "amount" value: "-(250)" }
        }
      }
    }
    strike_limits {
      id: "s"
      counts: "e.kind == 'no_show'"
      window: "90d"
      limit: 3
      at_limit {
        action: "credit"
        params { key: "amount" value: "0 - 1" }
      }
    }
    ladders {
      id: "ignored"
      lint_ignore: "negative-money"
      rungs {
        action {
          action: "credit"
          params { key: "amount" value: "-5" }
        }
      }
    }
  )pb");
  EXPECT_THAT(
      LintFor("negative-money", body),
      ElementsAre(
          Warning("negative-money", "ladder \"l\"", "is always -250"),
          Warning("negative-money", "strike limit \"s\"", "is always -1")));
}

// --- money-outside-ladder ----------------------------------------------------

constexpr absl::string_view kLadder = R"pb(
  ladders {
    id: "unhappy"
    when: "case.sentiment < 0.0"
    rungs { action { action: "explain" } }
    rungs {
      action {
        action: "credit"
        params { key: "amount" value: "500" }
      }
    }
  }
)pb";

TEST(LintTest, RuleGrantingALadderRungsMoneyInItsSituation) {
  std::string body = absl::StrCat(kUseAll, kLadder, R"pb(
    rules {
      id: "angry-credit"
      when: "case.sentiment < -0.5"
      recommend {
        action: "credit"
        params { key: "amount" value: "2000" }
      }
    }
  )pb");
  EXPECT_THAT(
      LintFor("money-outside-ladder", body),
      ElementsAre(Warning("money-outside-ladder", "rule \"angry-credit\"",
                          "rung 2 of 2 of ladder \"unhappy\"")));
}

TEST(LintTest, RuleGrantingMoneyOutsideTheLaddersSituationIsFine) {
  std::string body = absl::StrCat(kLadder, R"pb(
    rules {
      id: "letter"
      when: "case.channel == 'letter'"
      recommend { action: "reply" }
      recommend { action: "apologize" }
    }
    rules {
      id: "happy-credit"
      when: "case.sentiment >= 0.0"
      recommend {
        action: "credit"
        params { key: "amount" value: "2000" }
      }
    }
  )pb");
  EXPECT_THAT(LintFor("money-outside-ladder", body), IsEmpty());
}

TEST(LintTest, UnreachableOrShadowedRulesAreNotAlsoMoneyOutsideALadder) {
  std::string body = absl::StrCat(kUseAll, kLadder, R"pb(
    rules {
      id: "never"
      when: "case.sentiment < -0.5 && case.sentiment > 0.5"
      recommend {
        action: "credit"
        params { key: "amount" value: "2000" }
      }
    }
    rules {
      id: "when-never"
      when: "case.sentiment < -0.5"
      recommend {
        action: "credit"
        params { key: "amount" value: "2000" }
        when: "case.sentiment > 0.0"
      }
    }
  )pb");
  EXPECT_THAT(LintFor("money-outside-ladder", body), IsEmpty());
}

// --- unused-definition, unused-attribute -------------------------------------

TEST(LintTest, UnusedDefinitionsAndAttributes) {
  std::string body = absl::StrCat(R"pb(
    definitions { name: "base" expr: "customer.spend_12m > 100" }
    definitions { name: "vip" expr: "base && customer.tier == 'gold'" }
    definitions { name: "unused" expr: "customer.orders_12m > 3" }
    attributes { name: "plan" type: STRING }
    attributes { name: "region" type: STRING }
    rules {
      id: "use-all"
      when: "vip && attributes.plan == 'pro'"
      recommend { action: "reply" }
      recommend { action: "explain" }
      recommend { action: "apologize" }
      recommend {
        action: "credit"
        params { key: "amount" value: "100" }
      }
    }
  )pb");
  EXPECT_THAT(Lint(body),
              ElementsAre(Warning("unused-definition", "definition \"unused\"",
                                  "no expression uses this definition"),
                          Warning("unused-attribute", "attribute \"region\"",
                                  "no expression reads attributes.region")));
}

// --- lint_ignore
// ---------------------------------------------------------------

TEST(LintTest, LintIgnoreSilencesThatCheckOnThatElementOnly) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "never"
      when: "false"
      recommend { action: "reply" }
      lint_ignore: "unreachable-rule"
    }
    rules {
      id: "never-2"
      when: "false"
      recommend { action: "reply" }
      lint_ignore: "shadowed-rule"
    }
    definitions { name: "spare" expr: "1" lint_ignore: "unused-definition" }
  )pb");
  EXPECT_THAT(Lint(body),
              ElementsAre(Warning("unreachable-rule", "rule \"never-2\"", "")));
}

TEST(LintTest, UnknownNameInLintIgnoreIsAWarning) {
  std::string body = absl::StrCat(kUseAll, R"pb(
    rules {
      id: "typo"
      when: "case.our_fault"
      recommend { action: "reply" }
      lint_ignore: "shadowed-rules"
    }
  )pb");
  EXPECT_THAT(Lint(body),
              ElementsAre(Warning("unknown-lint-check", "rule \"typo\"",
                                  "no check \"shadowed-rules\"")));
}

// --- bounds
// --------------------------------------------------------------------

TEST(LintTest, ConstantsBeyondOneDecisionsBudgetAreNotCalledFailures) {
  // Each condition builds a 40 KiB string from constants; together they
  // build more than a decision's 64 MiB, which must not make the later
  // ones look like failing conditions.
  std::string body(kUseAll);
  absl::StrAppend(&body,
                  "definitions { name: \"d0\" expr: \"'abcdefghij'\" }\n");
  for (int i = 1; i <= 12; ++i) {
    absl::StrAppend(&body, "definitions { name: \"d", i, "\" expr: \"d", i - 1,
                    " + d", i - 1, "\" }\n");
  }
  for (int i = 0; i < 2000; ++i) {
    absl::StrAppend(&body, "rules { id: \"r", i, "\" when: \"size(d12 + '", i,
                    "') > 0 && case.our_fault\" recommend { action: "
                    "\"reply\" } }\n");
  }
  EXPECT_THAT(Lint(body), IsEmpty());
}

TEST(LintTest, ShadowChecksStopAtThePairLimitWithOneWarning) {
  // 40 final rules above 30000 rules is 1.2M pairs, over the limit.
  std::string body(kUseAll);
  for (int i = 0; i < 40; ++i) {
    absl::StrAppend(&body, "rules { id: \"f", i,
                    "\" when: \"customer.orders_12m == ", i,
                    "\" recommend { action: \"reply\" } priority: 10 "
                    "final: true }\n");
  }
  for (int i = 0; i < 30000; ++i) {
    absl::StrAppend(&body, "rules { id: \"r", i,
                    "\" when: \"customer.spend_12m == ", i,
                    "\" recommend { action: \"reply\" } }\n");
  }
  std::vector<Diagnostic> got = Lint(body);
  EXPECT_THAT(got, ElementsAre(Warning("lint-limit", "", "stopped comparing")));
}

}  // namespace
}  // namespace tact
