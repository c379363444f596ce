// The rule index never leaves out a rule that would fire, leaves out only
// rules with a false conjunct, and does leave rules out.
#include "src/policy/rule_index.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "src/expr/program.h"
#include "src/policy/condition.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {
namespace {

// Rules compiled into one program, and their index.
struct Indexed {
  std::unique_ptr<const Program> program;
  std::vector<RulePlan> rules;
  RuleIndex index;
};

Indexed Build(const std::vector<std::string>& conditions) {
  ProgramBuilder builder;
  EXPECT_TRUE(builder.DeclareAttribute("score", ValueType::kInt).ok());
  Indexed out;
  for (const std::string& condition : conditions) {
    std::vector<ExprDiagnostic> diagnostics;
    auto when = builder.AddCondition(condition, &diagnostics);
    EXPECT_TRUE(when.ok()) << condition << ": "
                           << (diagnostics.empty() ? ""
                                                   : diagnostics[0].message);
    RulePlan rule;
    rule.id = absl::StrCat("r", out.rules.size());
    if (when.ok()) rule.when = *std::move(when);
    out.rules.push_back(std::move(rule));
  }
  out.program = std::move(builder).Build();
  out.index = RuleIndex::Build(out.rules, *out.program);
  return out;
}

std::vector<int> Positions(const RuleBits& bits) {
  std::vector<int> out;
  RuleIndex::ForEach(bits, [&](int r) { out.push_back(r); });
  return out;
}

// For every context: each rule that holds is a candidate, each rule left
// out is false (not merely erring), and Holds agrees with evaluating the
// whole condition. Returns how many were left out.
int CheckExact(const Indexed& indexed,
               const std::vector<v1::Context>& contexts) {
  int left_out = 0;
  for (size_t i = 0; i < contexts.size(); ++i) {
    auto frame = Frame::Create(*indexed.program, contexts[i]);
    EXPECT_TRUE(frame.ok());
    RuleBits bits;
    const uint64_t unplaced =
        indexed.index.Candidates(*indexed.program, **frame, &bits);
    std::vector<bool> candidate(indexed.rules.size(), false);
    for (int r : Positions(bits)) {
      if (r >= static_cast<int>(indexed.rules.size())) {
        ADD_FAILURE() << "position " << r << " is not a rule";
        continue;
      }
      candidate[r] = true;
      // Skipping the conjuncts the index proved changes nothing.
      const std::vector<Conjunct>& when = indexed.rules[r].when;
      ConditionResult full = EvaluateCondition(*indexed.program, when, **frame);
      EXPECT_EQ(
          indexed.index.Holds(r, when, unplaced, *indexed.program, **frame),
          full.holds())
          << "rule " << r << " for context " << i;
      // FirstFalse names the conjunct (or the error) the full evaluation
      // does.
      std::string error;
      const int first_false = indexed.index.FirstFalse(
          r, when, unplaced, *indexed.program, **frame, &error);
      if (full.holds()) {
        EXPECT_EQ(first_false, RuleIndex::kHolds) << "rule " << r;
      } else if (full.failed != nullptr) {
        EXPECT_EQ(first_false, full.failed - when.data())
            << "rule " << r << " for context " << i;
      } else {
        EXPECT_EQ(first_false, RuleIndex::kErred) << "rule " << r;
        EXPECT_EQ(error, full.error) << "rule " << r;
      }
    }
    for (size_t r = 0; r < indexed.rules.size(); ++r) {
      if (candidate[r]) continue;
      ++left_out;
      ConditionResult result =
          EvaluateCondition(*indexed.program, indexed.rules[r].when, **frame);
      EXPECT_EQ(result.status, ConditionResult::Status::kFalse)
          << "rule " << r << " left out for context " << i << ": "
          << contexts[i].ShortDebugString();
    }
  }
  return left_out;
}

v1::Context Context(const std::string& tier, int64_t value, double sentiment,
                    int64_t opened_at) {
  v1::Context c;
  c.mutable_now()->set_seconds(1773154800);
  c.mutable_customer()->set_tier(tier);
  c.mutable_customer()->set_lifetime_value(value);
  c.mutable_case_()->set_sentiment(sentiment);
  c.mutable_case_()->mutable_opened_at()->set_seconds(opened_at);
  return c;
}

TEST(RuleIndexTest, EveryComparisonAtAndAroundItsConstant) {
  // Each operator against 100, for values below, at and above it.
  std::vector<std::string> conditions;
  for (const char* op : {"==", "!=", "<", "<=", ">", ">="}) {
    conditions.push_back(absl::StrCat("customer.lifetime_value ", op, " 100"));
    conditions.push_back(absl::StrCat("100 ", op, " customer.lifetime_value"));
    conditions.push_back(absl::StrCat("case.sentiment ", op, " -0.5"));
    conditions.push_back(absl::StrCat("-0.5 ", op, " case.sentiment"));
  }
  Indexed indexed = Build(conditions);
  EXPECT_EQ(indexed.index.fact_count(), 2);
  EXPECT_EQ(indexed.index.unindexed_count(), 0);
  std::vector<v1::Context> contexts;
  for (int64_t v : {INT64_MIN, int64_t{-1}, int64_t{99}, int64_t{100},
                    int64_t{101}, INT64_MAX}) {
    for (double s : {-1e300, -0.6, -0.5, -0.4, 0.0, 1e300}) {
      contexts.push_back(Context("gold", v, s, 0));
    }
  }
  // Each context makes one of each pair of opposite comparisons false.
  EXPECT_GT(CheckExact(indexed, contexts), 0);

  // Exactly the rules that hold are candidates here (every test indexed).
  // The frame views its context: keep it alive.
  const v1::Context at_100 = Context("gold", 100, -0.4, 0);
  auto frame = Frame::Create(*indexed.program, at_100);
  ASSERT_TRUE(frame.ok());
  RuleBits bits;
  indexed.index.Candidates(*indexed.program, **frame, &bits);
  std::vector<int> holding;
  for (size_t r = 0; r < indexed.rules.size(); ++r) {
    if (EvaluateCondition(*indexed.program, indexed.rules[r].when, **frame)
            .holds()) {
      holding.push_back(static_cast<int>(r));
    }
  }
  EXPECT_EQ(Positions(bits), holding);
}

TEST(RuleIndexTest, StringEqualityKeepsOnlyTheRulesForThisValue) {
  Indexed indexed = Build({"customer.tier == 'gold'", "customer.tier == 'gold'",
                           "'silver' == customer.tier",
                           "customer.tier == 'gold' && customer.tier == 'x'",
                           "customer.lifetime_value > 0"});
  const v1::Context gold = Context("gold", 5, 0, 0);
  auto frame = Frame::Create(*indexed.program, gold);
  ASSERT_TRUE(frame.ok());
  RuleBits bits;
  indexed.index.Candidates(*indexed.program, **frame, &bits);
  // Rule 4's fact is tested by one rule only: not indexed, always kept.
  EXPECT_EQ(Positions(bits), (std::vector<int>{0, 1, 4}));
  EXPECT_EQ(indexed.index.unindexed_count(), 1);

  const v1::Context bronze = Context("bronze", 5, 0, 0);
  frame = Frame::Create(*indexed.program, bronze);
  ASSERT_TRUE(frame.ok());
  indexed.index.Candidates(*indexed.program, **frame, &bits);
  EXPECT_EQ(Positions(bits), (std::vector<int>{4}));
}

TEST(RuleIndexTest, ComputedFactsAreReadFromTheFrameAtDecisionTime) {
  // A service-level fact is set on the frame (Frame::SetComputed) after
  // Reset, before the rules run: the index must read that, not the context.
  ProgramBuilder builder;
  absl::StatusOr<int32_t> state =
      builder.DeclareComputed("sla.x.state", ValueType::kString);
  ASSERT_TRUE(state.ok());
  Indexed indexed;
  for (const char* condition :
       {"sla.x.state == 'breached'", "sla.x.state == 'met'",
        "sla.x.state == 'breached' && customer.tier == 'gold'"}) {
    auto when = builder.AddCondition(condition, nullptr);
    ASSERT_TRUE(when.ok()) << when.status();
    RulePlan rule;
    rule.id = absl::StrCat("r", indexed.rules.size());
    rule.when = *std::move(when);
    indexed.rules.push_back(std::move(rule));
  }
  indexed.program = std::move(builder).Build();
  indexed.index = RuleIndex::Build(indexed.rules, *indexed.program);
  EXPECT_EQ(indexed.index.fact_count(), 1);
  const v1::Context gold = Context("gold", 5, 0, 0);
  auto frame = Frame::Create(*indexed.program, gold);
  ASSERT_TRUE(frame.ok());
  RuleBits bits;
  auto fires = [&]() {
    std::vector<int> out;
    const uint64_t unplaced =
        indexed.index.Candidates(*indexed.program, **frame, &bits);
    for (int r : Positions(bits)) {
      if (indexed.index.Holds(r, indexed.rules[r].when, unplaced,
                              *indexed.program, **frame)) {
        out.push_back(r);
      }
    }
    return out;
  };
  (*frame)->SetComputed(*state, Value::String("breached"));
  EXPECT_EQ(fires(), (std::vector<int>{0, 2}));
  EXPECT_EQ(Positions(bits), (std::vector<int>{0, 2}));
  // The next decision on the same frame, the fact not set: nothing fires.
  ASSERT_TRUE((*frame)->Reset(*indexed.program, gold).ok());
  EXPECT_EQ(fires(), (std::vector<int>{}));
  ASSERT_TRUE((*frame)->Reset(*indexed.program, gold).ok());
  (*frame)->SetComputed(*state, Value::String("met"));
  EXPECT_EQ(fires(), (std::vector<int>{1}));
}

TEST(RuleIndexTest, AnErringOrNanFactExcludesNothing) {
  // `attributes.score` is not sent, `1 / x` divides by zero, `0.0 / 0.0`
  // is NaN: none of these facts can place the context, so their rules stay
  // candidates (the full condition then says error or false).
  Indexed indexed = Build({"attributes.score > 3", "attributes.score < 3",
                           "10 / (customer.lifetime_value - 5) > 1",
                           "10 / (customer.lifetime_value - 5) < 1",
                           "case.sentiment / case.sentiment > 0.5",
                           "case.sentiment / case.sentiment < 0.5"});
  EXPECT_EQ(indexed.index.fact_count(), 3);
  const v1::Context erring = Context("gold", 5, 0.0, 0);
  auto frame = Frame::Create(*indexed.program, erring);
  ASSERT_TRUE(frame.ok());
  RuleBits bits;
  indexed.index.Candidates(*indexed.program, **frame, &bits);
  EXPECT_EQ(Positions(bits), (std::vector<int>{0, 1, 2, 3, 4, 5}));
  // And none of them holds: their facts err, so nothing counts as proven.
  EXPECT_EQ(CheckExact(indexed, {Context("gold", 5, 0.0, 0)}), 0);

  // With the attribute sent and no division by zero, each pair loses one.
  v1::Context c = Context("gold", 6, 2.0, 0);
  (*c.mutable_attributes())["score"].set_int_value(4);
  frame = Frame::Create(*indexed.program, c);
  ASSERT_TRUE(frame.ok());
  indexed.index.Candidates(*indexed.program, **frame, &bits);
  EXPECT_EQ(Positions(bits), (std::vector<int>{0, 2, 4}));
}

TEST(RuleIndexTest, RegexesAreNeverIndexed) {
  Indexed indexed = Build({"case.message.matches('a+') == true",
                           "case.message.matches('a+') == true"});
  EXPECT_EQ(indexed.index.fact_count(), 0);
  EXPECT_EQ(indexed.index.unindexed_count(), 2);
}

// Random policies over every indexable type, with constants drawn from the
// same pools as the context values so that equality and the boundaries are
// hit; more distinct constants than kMaxBoundaries for one fact, so its
// ranges are merged.
TEST(RuleIndexTest, RandomPoliciesLeaveOutOnlyFalseRules) {
  std::mt19937_64 rng(20261123);
  auto below = [&](int n) { return static_cast<int>(rng() % n); };
  const char* kTiers[] = {"gold", "silver", "bronze", ""};
  const char* kOps[] = {"==", "!=", "<", "<=", ">", ">="};
  std::vector<std::string> conditions;
  for (int r = 0; r < 600; ++r) {
    std::vector<std::string> parts;
    for (int k = 0, n = 1 + below(3); k < n; ++k) {
      const char* op = kOps[below(6)];
      switch (below(6)) {
        case 0:
          parts.push_back(
              absl::StrCat("customer.tier == '", kTiers[below(4)], "'"));
          break;
        case 1:
          parts.push_back(absl::StrCat("customer.lifetime_value ", op, " ",
                                       below(10) * 10));
          break;
        case 2:  // many distinct constants: merged ranges
          parts.push_back(
              absl::StrCat("customer.spend_12m ", op, " ", below(2000) - 1000));
          break;
        case 3:
          parts.push_back(
              absl::StrCat("case.sentiment ", op, " ", (below(9) - 4) * 0.25));
          break;
        case 4:
          parts.push_back(absl::StrCat("case.opened_at ", op,
                                       " timestamp('2026-03-10T1", below(4),
                                       ":00:00Z')"));
          break;
        default:
          parts.push_back(absl::StrCat("now - case.opened_at ", op,
                                       " duration('", below(4), "h')"));
          break;
      }
    }
    conditions.push_back(absl::StrJoin(parts, " && "));
  }
  Indexed indexed = Build(conditions);
  EXPECT_EQ(indexed.index.fact_count(), 6);

  std::vector<v1::Context> contexts;
  for (int i = 0; i < 300; ++i) {
    v1::Context c = Context(kTiers[below(4)], below(10) * 10 + below(2) * 5,
                            (below(9) - 4) * 0.25 + below(2) * 0.1,
                            1773140400 + below(4) * 3600);
    c.mutable_customer()->set_spend_12m(below(2200) - 1100);
    contexts.push_back(std::move(c));
  }
  // The index must do its job too: most rules are left out.
  EXPECT_GT(CheckExact(indexed, contexts), 300 * 600 / 2);
}

}  // namespace
}  // namespace tact::internal
