// The construct table: its order is the decide order, and it is behaviour.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/io/policy_source.h"
#include "src/policy/constructs/constructs.h"
#include "src/policy/plan.h"
#include "tact/codes.h"
#include "tact/engine.h"

namespace tact::internal {
namespace {

using ::testing::ElementsAre;

TEST(ConstructSeamTest, RowsInDecideOrder) {
  std::vector<SourceKind> kinds;
  for (const Construct& c : Constructs()) kinds.push_back(c.kind);
  // Strike limits propose before ladders (contribution order), ladders
  // before playbooks (which restage ladder candidates), entitlements check
  // before the budget spends, the budget clips before authority reads it.
  EXPECT_THAT(kinds,
              ElementsAre(SourceKind::kRule, SourceKind::kStrikeLimit,
                          SourceKind::kLadder, SourceKind::kPlaybook,
                          SourceKind::kServiceLevel, SourceKind::kEntitlement,
                          SourceKind::kBudget, SourceKind::kAuthority));
}

TEST(ConstructSeamTest, EveryRowHasAStep) {
  for (const Construct& c : Constructs()) {
    EXPECT_TRUE(c.compile != nullptr || c.finish != nullptr ||
                c.propose != nullptr || c.adjust != nullptr)
        << Name(c.kind);
  }
}

// The kinds of the rows a plan has (PolicyPlan::HasConstruct).
std::vector<SourceKind> Present(const std::string& text) {
  std::vector<Diagnostic> diagnostics;
  absl::StatusOr<LoadedPolicy> loaded =
      ParsePolicy(text, PolicyFormat::kText, "p.textproto", &diagnostics);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  if (!loaded.ok()) return {};
  std::unique_ptr<const PolicyPlan> plan =
      BuildPlan(*loaded, CompileOptions(), &diagnostics);
  EXPECT_NE(plan, nullptr);
  if (plan == nullptr) return {};
  std::vector<SourceKind> kinds;
  for (size_t i = 0; i < Constructs().size(); ++i) {
    if (plan->HasConstruct(i)) kinds.push_back(Constructs()[i].kind);
  }
  return kinds;
}

// A decision skips the steps of the constructs a policy does not have: the
// plan says which it has, from each row's `present`.
TEST(ConstructSeamTest, PlanKnowsWhichConstructsThePolicyHas) {
  const std::string rules_only =
      "name: 'p' "
      "actions { id: 'refund' title: 'Refund' } "
      "rules { id: 'r' when: \"customer.tier == 'gold'\" "
      "        recommend { action: 'refund' } }";
  // Rules are always run (a rules row has no `present`).
  EXPECT_THAT(Present(rules_only), ElementsAre(SourceKind::kRule));
  const std::string with_strikes_and_authorities =
      "name: 'p' authorities: 'bot' authorities: 'agent' "
      "actions { id: 'refund' title: 'Refund' } "
      "actions { id: 'warn' title: 'Warn' } "
      "strike_limits { id: 's' counts: \"e.kind == 'abuse'\" window: '90d' "
      "                limit: 3 "
      "                at_limit { action: 'warn' } }";
  EXPECT_THAT(Present(with_strikes_and_authorities),
              ElementsAre(SourceKind::kRule, SourceKind::kStrikeLimit,
                          SourceKind::kAuthority));
}

}  // namespace
}  // namespace tact::internal
