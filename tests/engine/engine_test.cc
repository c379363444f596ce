// Rule semantics of the engine: collect, final, vetoes, merging, ranking,
// score modifiers, traces and the decision header.
#include "tact/engine.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::tact::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A catalogue shared by the tests below.
constexpr absl::string_view kCatalogue = R"pb(
  name: "test"
  version: "7"
  currency: "USD"
  actions {
    id: "apologize"
    title: "Apologize"
    template: "Say sorry."
    tags: "care"
  }
  actions {
    id: "credit"
    title: "Goodwill credit"
    template: "Credit {amount:money}."
    tags: "monetary"
  }
  actions { id: "callback" title: "Call back" }
  actions { id: "explain" title: "Explain the policy" }
)pb";

std::unique_ptr<const Engine> MustCompile(absl::string_view rules) {
  std::string text = std::string(kCatalogue) + std::string(rules);
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(text, PolicyFormat::kText, "test.textproto");
  EXPECT_THAT(engine, IsOk());
  return engine.ok() ? *std::move(engine) : nullptr;
}

v1::Context MustContext(absl::string_view text) {
  v1::Context context;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text),
                                                            &context));
  return context;
}

constexpr absl::string_view kGoldCustomer = R"pb(
  now { seconds: 1767607200 }
  customer { id: "c1" tier: "gold" spend_12m: 120000 influence: 0.9 }
  case {
    id: "k1"
    channel: "email"
    severity: "high"
    opened_at { seconds: 1767520800 }
  }
)pb";

std::vector<std::string> ActionIds(const v1::Decision& d) {
  std::vector<std::string> ids;
  for (const auto& a : d.actions()) ids.push_back(a.action());
  return ids;
}

TEST(EngineTest, EveryMatchingRuleContributes) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "a"
      when: "customer.tier == 'gold'"
      recommend { action: "apologize" }
    }
    rules {
      id: "b"
      when: "case.severity == 'high'"
      recommend { action: "callback" }
    }
    rules {
      id: "c"
      when: "case.channel == 'phone'"
      recommend { action: "explain" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  EXPECT_THAT(ActionIds(d), ElementsAre("apologize", "callback"));
}

TEST(EngineTest, FinalRuleShadowsOnlyLowerPriorities) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "low"
      priority: 1
      recommend { action: "explain" }
    }
    rules {
      id: "hold"
      priority: 5
      final: true
      recommend { action: "callback" }
    }
    rules {
      id: "peer"
      priority: 5
      recommend { action: "apologize" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  DecideOptions options;
  options.trace = true;
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Decision d, engine->Decide(MustContext(kGoldCustomer), options));
  EXPECT_THAT(ActionIds(d), ElementsAre("apologize", "callback"));
  // Trace entries come in policy order.
  ASSERT_EQ(d.trace_size(), 3);
  EXPECT_EQ(d.trace(0).rule_id(), "low");
  EXPECT_FALSE(d.trace(0).fired());
  EXPECT_TRUE(d.trace(0).shadowed_by_final());
  EXPECT_TRUE(d.trace(1).fired());
  EXPECT_TRUE(d.trace(2).fired());
}

TEST(EngineTest, TraceOfALowerRuleThatWouldNotHaveFiredSaysWhy) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "low"
      priority: 1
      when: "case.channel == 'phone'"
      recommend { action: "explain" }
    }
    rules {
      id: "hold"
      priority: 5
      final: true
      recommend { action: "callback" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  DecideOptions options;
  options.trace = true;
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Decision d, engine->Decide(MustContext(kGoldCustomer), options));
  EXPECT_FALSE(d.trace(0).shadowed_by_final());
  EXPECT_EQ(d.trace(0).failed_condition(), "case.channel == 'phone'");
}

TEST(EngineTest, FinalRuleThatDoesNotFireShadowsNothing) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "low"
      priority: 1
      recommend { action: "explain" }
    }
    rules {
      id: "hold"
      priority: 5
      final: true
      when: "false"
      recommend { action: "callback" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  EXPECT_THAT(ActionIds(d), ElementsAre("explain"));
}

TEST(EngineTest, VetoMovesActionToBlockedWithBothSides) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "give"
      recommend {
        action: "credit"
        params { key: "amount" value: "500" }
      }
      reason: "Late delivery."
    }
    rules {
      id: "no-money"
      when: "customer.tier == 'gold'"
      veto: "credit"
      reason: "Gold customers get service, not cash."
    }
    rules {
      id: "sorry"
      recommend { action: "apologize" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  EXPECT_THAT(ActionIds(d), ElementsAre("apologize"));
  ASSERT_EQ(d.blocked_size(), 1);
  EXPECT_EQ(d.blocked(0).action(), "credit");
  EXPECT_EQ(d.blocked(0).code(), "vetoed");
  EXPECT_EQ(d.blocked(0).blocked_by().source_id(), "no-money");
  EXPECT_EQ(d.blocked(0).blocked_by().text(),
            "Gold customers get service, not cash.");
  ASSERT_EQ(d.blocked(0).wanted_by_size(), 1);
  EXPECT_EQ(d.blocked(0).wanted_by(0).source_id(), "give");
}

TEST(EngineTest, VetoOfAnUnwantedActionIsNotListed) {
  auto engine = MustCompile(R"pb(
    rules { id: "no-money" veto: "credit" }
    rules {
      id: "sorry"
      recommend { action: "apologize" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  EXPECT_THAT(d.blocked(), IsEmpty());
}

TEST(EngineTest, DuplicatesMergeKeepingEveryReason) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "r1"
      priority: 1
      weight: 2
      reason: "First {amount}."
      recommend {
        action: "credit"
        params { key: "amount" value: "100" }
      }
    }
    rules {
      id: "r2"
      priority: 3
      weight: 0.5
      reason: "Second {amount}."
      recommend {
        action: "credit"
        params { key: "amount" value: "300" }
      }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  ASSERT_EQ(d.actions_size(), 1);
  const v1::RecommendedAction& a = d.actions(0);
  EXPECT_EQ(a.priority(), 3);
  EXPECT_DOUBLE_EQ(a.score(), 2.5);
  ASSERT_EQ(a.params_size(), 1);
  EXPECT_EQ(a.params(0).value().int_value(), 300);  // from the highest priority
  EXPECT_EQ(a.text(), "Credit 3.00 USD.");
  ASSERT_EQ(a.reasons_size(), 2);
  // Contribution order is evaluation order: priority 3 first.
  EXPECT_EQ(a.reasons(0).text(), "Second 300.");
  EXPECT_EQ(a.reasons(1).text(), "First 100.");
}

TEST(EngineTest, OrdersByPriorityThenScoreThenId) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "p0-light"
      weight: 1
      recommend { action: "explain" }
    }
    rules {
      id: "p0-heavy"
      weight: 3
      recommend { action: "callback" }
    }
    rules {
      id: "p0-tie"
      weight: 1
      recommend { action: "apologize" }
    }
    rules {
      id: "p9"
      priority: 9
      weight: 0.1
      recommend {
        action: "credit"
        params { key: "amount" value: "1" }
      }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  EXPECT_THAT(ActionIds(d),
              ElementsAre("credit", "callback", "apologize", "explain"));
  for (int i = 0; i < d.actions_size(); ++i)
    EXPECT_EQ(d.actions(i).rank(), i + 1);
}

TEST(EngineTest, ScoreModifiersApplyToTaggedActionsWhenTheyHold) {
  auto engine = MustCompile(R"pb(
    score_modifiers {
      id: "connector"
      when: "customer.influence >= 0.7"
      factor: "1.0 + customer.influence"
      tags: "care"
    }
    score_modifiers { id: "never" when: "false" factor: "100.0" }
    rules {
      id: "a"
      recommend { action: "apologize" }
    }
    rules {
      id: "b"
      weight: 1.5
      recommend { action: "callback" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  ASSERT_EQ(d.actions_size(), 2);
  EXPECT_EQ(d.actions(0).action(), "apologize");
  EXPECT_DOUBLE_EQ(d.actions(0).score(), 1.9);
  EXPECT_DOUBLE_EQ(d.actions(1).score(), 1.5);
}

TEST(EngineTest, TraceNamesTheFirstFalseConjunct) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "r"
      when: "customer.tier == 'gold' && case.channel == 'chat' && customer.spend_12m > 0"
      recommend { action: "apologize" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  DecideOptions options;
  options.trace = true;
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Decision d, engine->Decide(MustContext(kGoldCustomer), options));
  ASSERT_EQ(d.trace_size(), 1);
  EXPECT_FALSE(d.trace(0).fired());
  EXPECT_EQ(d.trace(0).failed_condition(), "case.channel == 'chat'");
}

TEST(EngineTest, EvaluationErrorIsRecordedAndDoesNotAbort) {
  auto engine = MustCompile(R"pb(
    attributes { name: "nps" type: INT }
    rules {
      id: "broken"
      when: "attributes.nps > 5"
      recommend { action: "callback" }
    }
    rules {
      id: "fine"
      recommend { action: "apologize" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  DecideOptions options;
  options.trace = true;
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Decision d, engine->Decide(MustContext(kGoldCustomer), options));
  EXPECT_THAT(ActionIds(d), ElementsAre("apologize"));
  EXPECT_FALSE(d.trace(0).fired());
  EXPECT_THAT(d.trace(0).error(), HasSubstr("nps"));
}

TEST(EngineTest, FalseConjunctWinsOverAnErroringOne) {
  auto engine = MustCompile(R"pb(
    attributes { name: "nps" type: INT }
    rules {
      id: "r"
      when: "attributes.nps > 5 && customer.tier == 'bronze'"
      recommend { action: "callback" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  DecideOptions options;
  options.trace = true;
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Decision d, engine->Decide(MustContext(kGoldCustomer), options));
  EXPECT_EQ(d.trace(0).failed_condition(), "customer.tier == 'bronze'");
  EXPECT_EQ(d.trace(0).error(), "");
}

TEST(EngineTest, ParameterErrorDropsThatRecommendationOnly) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "r"
      reason: "x"
      recommend {
        action: "credit"
        params { key: "amount" value: "customer.spend_12m / 0" }
      }
      recommend { action: "apologize" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  DecideOptions options;
  options.trace = true;
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Decision d, engine->Decide(MustContext(kGoldCustomer), options));
  EXPECT_THAT(ActionIds(d), ElementsAre("apologize"));
  EXPECT_TRUE(d.trace(0).fired());
  EXPECT_THAT(d.trace(0).error(), HasSubstr("parameter amount of credit"));
}

TEST(EngineTest, DecisionRecordsPolicyAndNow) {
  auto engine = MustCompile(R"pb(rules {
                                   id: "r"
                                   recommend { action: "apologize" }
                                 })pb");
  ASSERT_NE(engine, nullptr);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  EXPECT_EQ(d.policy_name(), "test");
  EXPECT_EQ(d.policy_version(), "7");
  EXPECT_EQ(d.policy_hash(), engine->policy_hash());
  EXPECT_THAT(d.policy_hash(), ::testing::MatchesRegex("sha256:[0-9a-f]{64}"));
  EXPECT_EQ(d.now().seconds(), 1767607200);
  EXPECT_THAT(d.trace(), IsEmpty());  // not requested
}

TEST(EngineTest, IdenticalInputsGiveByteIdenticalDecisions) {
  auto engine = MustCompile(R"pb(
    rules {
      id: "a"
      weight: 1
      recommend { action: "explain" }
    }
    rules {
      id: "b"
      weight: 1
      recommend { action: "callback" }
    }
    rules {
      id: "c"
      weight: 1
      recommend { action: "apologize" }
    }
    rules {
      id: "d"
      veto: "credit"
      recommend {
        action: "credit"
        params { key: "amount" value: "5" }
      }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  DecideOptions options;
  options.trace = true;
  std::string first;
  for (int i = 0; i < 20; ++i) {
    TACT_ASSERT_OK_AND_ASSIGN(
        v1::Decision d, engine->Decide(MustContext(kGoldCustomer), options));
    std::string bytes;
    ASSERT_TRUE(d.SerializeToString(&bytes));
    if (i == 0) first = bytes;
    EXPECT_EQ(bytes, first);
    EXPECT_EQ(DecisionToJson(d), DecisionToJson(d));
  }
  // Equal scores and priorities fall back to the action id.
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d,
                            engine->Decide(MustContext(kGoldCustomer)));
  EXPECT_THAT(ActionIds(d), ElementsAre("apologize", "callback", "explain"));
}

TEST(EngineTest, ContextWithoutNowIsRejected) {
  auto engine = MustCompile(R"pb(rules {
                                   id: "r"
                                   recommend { action: "apologize" }
                                 })pb");
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(
      engine->Decide(MustContext("customer { tier: 'gold' }")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("context.now")));
}

TEST(EngineTest, OutOfRangeTimestampIsRejectedWithItsField) {
  auto engine = MustCompile(R"pb(rules {
                                   id: "r"
                                   recommend { action: "apologize" }
                                 })pb");
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(
      engine->Decide(MustContext(
          "now { seconds: 1 } history { at { seconds: 999999999999999 } }")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("history[0].at")));
}

TEST(EngineTest, AttributeOfTheWrongTypeIsRejected) {
  auto engine = MustCompile(R"pb(
    attributes { name: "nps" type: INT }
    rules {
      id: "r"
      when: "attributes.nps > 5"
      recommend { action: "apologize" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(
      engine->Decide(MustContext("now { seconds: 1 } attributes { key: 'nps' "
                                 "value { string_value: 'x' } }")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nps")));
}

}  // namespace
}  // namespace tact
