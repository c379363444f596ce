// The rule-table workload is valid, and the hand-written loop
// (benchmarks/hand_loop.h) ranks exactly as tact does on every generated
// context, so BM_RuleTable_Tact and BM_RuleTable_HandLoop compare the same
// work.
#include "benchmarks/rule_table.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/hand_loop.h"
#include "benchmarks/workload.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

namespace tact::bench {
namespace {

using ::testing::ElementsAreArray;

const std::vector<v1::Context>& Contexts() {
  static const auto* contexts =
      new std::vector<v1::Context>(GenerateContexts(10000));
  return *contexts;
}

std::unique_ptr<const Engine> Compile(const RuleTable& table) {
  CompileResult result =
      Engine::CompileText(table.policy, PolicyFormat::kText, "rule_table");
  for (const Diagnostic& d : result.diagnostics) {
    // Lint warnings (a rule another one shadows) are expected of random
    // rules; any other diagnostic is a bug of the generator.
    if (d.check.empty()) ADD_FAILURE() << d.ToString();
  }
  return std::move(result.engine);
}

// tact's recommended action ids in rank order; nothing may be held back.
std::vector<std::string> TactRanked(const Engine& engine,
                                    const v1::Context& context,
                                    v1::Decision* decision) {
  absl::Status status = engine.DecideInto(context, {}, decision);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(decision->blocked_size(), 0) << decision->ShortDebugString();
  EXPECT_EQ(decision->needs_approval_size(), 0);
  std::vector<std::string> ids;
  for (const v1::RecommendedAction& a : decision->actions()) {
    ids.push_back(a.action());
  }
  return ids;
}

std::vector<std::string> HandRanked(const HandLoop& loop,
                                    const v1::Context& context) {
  HandFacts facts;
  ExtractFacts(context, &facts);
  std::vector<int> fired;
  loop.Match(facts, &fired);
  std::vector<std::string> ids;
  for (int r : fired) ids.push_back(loop.rule(r).action);
  return ids;
}

// How the contexts fared, so that an output that is always empty (or never
// ranks) cannot pass the equality check.
struct Tally {
  int contexts = 0;
  int any = 0;       // at least one rule fired
  int several = 0;   // at least two
  int reranked = 0;  // the rank order is not the rules' order
  int64_t fired = 0;
};

Tally CompareOn(int rules, size_t contexts) {
  const RuleTable table = GenerateRuleTable(rules);
  std::unique_ptr<const Engine> engine = Compile(table);
  Tally tally;
  if (engine == nullptr) {
    ADD_FAILURE() << "the " << rules << "-rule table does not compile";
    return tally;
  }
  const HandLoop loop(table.rules);
  v1::Decision decision;
  for (size_t i = 0; i < contexts && i < Contexts().size(); ++i) {
    const v1::Context& context = Contexts()[i];
    const std::vector<std::string> tact =
        TactRanked(*engine, context, &decision);
    const std::vector<std::string> hand = HandRanked(loop, context);
    EXPECT_THAT(hand, ElementsAreArray(tact))
        << rules << " rules, context " << i << ": "
        << context.ShortDebugString();
    ++tally.contexts;
    tally.any += !tact.empty();
    tally.several += tact.size() >= 2;
    tally.reranked += !std::is_sorted(tact.begin(), tact.end());
    tally.fired += static_cast<int64_t>(tact.size());
  }
  return tally;
}

TEST(RuleTableTest, PoliciesCompileWithTheirRules) {
  for (int rules : {10, 10000}) {
    const RuleTable table = GenerateRuleTable(rules);
    std::unique_ptr<const Engine> engine = Compile(table);
    ASSERT_NE(engine, nullptr);
    EXPECT_EQ(engine->policy().rules_size(), rules);
    ASSERT_EQ(table.rules.size(), static_cast<size_t>(rules));
    EXPECT_EQ(engine->policy().rules(rules - 1).id(), table.rules.back().id);
  }
}

TEST(RuleTableTest, RulesHaveTwoToFiveConditionsAndSomeRegexes) {
  const RuleTable table = GenerateRuleTable(1000);
  int regexes = 0, equalities = 0, thresholds = 0;
  for (const TableRule& rule : table.rules) {
    EXPECT_GE(rule.conditions.size(), 2u) << rule.id;
    EXPECT_LE(rule.conditions.size(), 5u) << rule.id;
    for (const RuleCondition& c : rule.conditions) {
      regexes += c.op == RuleOp::kMatches;
      equalities += c.op == RuleOp::kEq;
      thresholds += c.op != RuleOp::kMatches && c.op != RuleOp::kEq;
    }
  }
  EXPECT_GT(regexes, 60);  // ~10% of 1,000
  EXPECT_LT(regexes, 140);
  EXPECT_GT(equalities, 1000);
  EXPECT_GT(thresholds, 1000);
}

TEST(RuleTableTest, IsDeterministic) {
  EXPECT_EQ(GenerateRuleTable(100).policy, GenerateRuleTable(100).policy);
  EXPECT_NE(GenerateRuleTable(100, 1).policy, GenerateRuleTable(100, 2).policy);
}

class RuleTableEqualityTest : public ::testing::TestWithParam<int> {};

// Every one of the 10,000 contexts.
TEST_P(RuleTableEqualityTest, HandLoopRanksAsTactOnEveryContext) {
  const int rules = GetParam();
  const Tally t = CompareOn(rules, Contexts().size());
  EXPECT_EQ(t.contexts, 10000);
  // Contexts where a rule fires, where several do, and where priorities
  // reorder them (measured: 1,278 / 341 / 334 of 10,000 at 10 rules, 9,624
  // / 7,932 / 5,919 at 100, all at 1,000; 0.16, 2.7 and 35 fired rules per
  // context).
  const int min_any = rules == 10 ? 1000 : rules == 100 ? 9000 : 9900;
  const int min_several = rules == 10 ? 250 : rules == 100 ? 7000 : 9900;
  const int min_reranked = rules == 10 ? 250 : rules == 100 ? 5000 : 9900;
  EXPECT_GT(t.any, min_any) << rules << " rules";
  EXPECT_GT(t.several, min_several) << rules << " rules";
  EXPECT_GT(t.reranked, min_reranked) << rules << " rules";
}

INSTANTIATE_TEST_SUITE_P(Sizes, RuleTableEqualityTest,
                         ::testing::Values(10, 100, 1000));

// 10,000 rules on the first 1,000 contexts (the loop alone is ~50 µs per
// context there, unoptimized builds much slower).
TEST(RuleTableTest, HandLoopRanksAsTactAtTenThousandRules) {
  const Tally t = CompareOn(10000, 1000);
  EXPECT_EQ(t.contexts, 1000);
  EXPECT_GT(t.several, 990);
  EXPECT_GT(t.reranked, 990);
}

// Contexts at the edges the loop re-implements: a complaint exactly 90 days
// before now (counts), one second earlier (does not), one in the future (does
// not: a decision sees history up to now); a case open exactly k hours, and
// one second short of it.
TEST(RuleTableTest, HandLoopRanksAsTactAtTheEdges) {
  const RuleTable table = GenerateRuleTable(1000);
  std::unique_ptr<const Engine> engine = Compile(table);
  ASSERT_NE(engine, nullptr);
  const HandLoop loop(table.rules);
  v1::Decision decision;
  const int64_t now = Contexts()[0].now().seconds();
  int differ = 0;
  std::vector<std::string> previous;
  for (int64_t complaint_age :
       {90 * 86400 - 1, 90 * 86400, 90 * 86400 + 1, -1}) {
    for (int64_t open : {3 * 3600 - 1, 3 * 3600, 48 * 3600, 48 * 3600 + 1}) {
      for (int copies : {1, 2, 3}) {
        v1::Context context = Contexts()[3];
        context.clear_history();
        for (int k = 0; k < copies; ++k) {
          v1::Event* e = context.add_history();
          e->set_kind("complaint");
          e->mutable_at()->set_seconds(now - complaint_age);
        }
        context.mutable_case_()->mutable_opened_at()->set_seconds(now - open);
        const std::vector<std::string> tact =
            TactRanked(*engine, context, &decision);
        EXPECT_THAT(HandRanked(loop, context), ElementsAreArray(tact))
            << "complaint " << complaint_age << " s before now, open " << open
            << " s";
        differ += tact != previous;
        previous = tact;
      }
    }
  }
  // The edges change the decision, so they are tested on both sides.
  EXPECT_GT(differ, 10);
}

}  // namespace
}  // namespace tact::bench
