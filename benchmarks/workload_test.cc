// The generated workload is valid and deterministic, so the benchmarks
// measure what they claim.
#include "benchmarks/workload.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

namespace tact::bench {
namespace {

TEST(WorkloadTest, PoliciesCompileWithoutDiagnostics) {
  for (int rules : {10, 1000}) {
    CompileResult result = Engine::CompileText(
        GeneratePolicy(rules), PolicyFormat::kText, "generated");
    // Lint warnings are expected of random rules (actions the 10 rules do
    // not draw, a rule drawn twice); any other diagnostic is a bug.
    for (const Diagnostic& d : result.diagnostics) {
      if (d.check.empty()) ADD_FAILURE() << d.ToString();
    }
    ASSERT_NE(result.engine, nullptr);
    EXPECT_EQ(result.engine->policy().rules_size(), rules);
  }
}

TEST(WorkloadTest, IsDeterministic) {
  EXPECT_EQ(GeneratePolicy(100), GeneratePolicy(100));
  EXPECT_NE(GeneratePolicy(100, 1), GeneratePolicy(100, 2));
  EXPECT_EQ(GenerateContexts(50)[49].SerializeAsString(),
            GenerateContexts(50)[49].SerializeAsString());
}

TEST(WorkloadTest, ContextsDecideAndExerciseTheConstructs) {
  auto engine =
      Engine::FromText(GeneratePolicy(1000), PolicyFormat::kText, "generated");
  ASSERT_TRUE(engine.ok()) << engine.status();
  int with_actions = 0, recoveries = 0;
  for (const v1::Context& context : GenerateContexts(500)) {
    auto decision = (*engine)->Decide(context);
    ASSERT_TRUE(decision.ok()) << decision.status();
    with_actions += decision->actions_size() > 0;
    recoveries += decision->actions_size() > 0 &&
                  decision->actions(0).action() == "apologize";
  }
  EXPECT_GT(with_actions, 250);
  EXPECT_GT(recoveries, 50);
}

// A traced decision evaluates every rule; an untraced one, and one with
// TRACE_EVALUATED, only the rules the index keeps. All must decide the
// same, and the evaluated trace's entries are the full trace's for the
// rules it lists, in policy order.
TEST(WorkloadTest, TheRuleIndexChangesNoDecision) {
  auto engine =
      Engine::FromText(GeneratePolicy(1000), PolicyFormat::kText, "generated");
  ASSERT_TRUE(engine.ok()) << engine.status();
  DecideOptions traced;
  traced.trace = true;
  DecideOptions evaluated_level;
  evaluated_level.trace_level = v1::TRACE_EVALUATED;
  int fired = 0, listed = 0, not_fired = 0;
  for (const v1::Context& context : GenerateContexts(300, 11)) {
    auto indexed = (*engine)->Decide(context);
    auto full = (*engine)->Decide(context, traced);
    auto evaluated = (*engine)->Decide(context, evaluated_level);
    ASSERT_TRUE(indexed.ok() && full.ok() && evaluated.ok());
    for (const v1::RuleTrace& t : full->trace()) fired += t.fired();

    // Each listed rule as the full trace has it, in policy order (rule
    // "r<i>" is the policy's i-th).
    int previous = -1;
    int evaluated_fired = 0;
    for (const v1::RuleTrace& entry : evaluated->trace()) {
      const int position = std::stoi(entry.rule_id().substr(1));
      ASSERT_GT(position, previous) << entry.rule_id();
      ASSERT_LT(position, full->trace_size());
      previous = position;
      v1::RuleTrace expected = full->trace(position);
      expected.clear_values();
      EXPECT_EQ(entry.SerializeAsString(), expected.SerializeAsString())
          << entry.ShortDebugString() << " vs " << expected.ShortDebugString();
      evaluated_fired += entry.fired();
      not_fired += !entry.fired();
      ++listed;
    }
    // Every rule that fired is listed.
    int full_fired = 0;
    for (const v1::RuleTrace& t : full->trace()) full_fired += t.fired();
    EXPECT_EQ(evaluated_fired, full_fired);

    full->clear_trace();
    full->clear_construct_trace();
    full->clear_trace_level();
    EXPECT_EQ(indexed->SerializeAsString(), full->SerializeAsString());
    evaluated->clear_trace();
    evaluated->clear_trace_level();
    EXPECT_EQ(indexed->SerializeAsString(), evaluated->SerializeAsString());
  }
  EXPECT_GT(fired, 300);
  // Far fewer entries than rules, and some that name a false conjunct.
  EXPECT_LT(listed, 300 * 1000 / 10);
  EXPECT_GT(not_fired, 30);
}

}  // namespace
}  // namespace tact::bench
