// Goodwill budgets: the construct seam's steps and the clipping rule.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_GOODWILL_BUDGET_H_
#define TACT_SRC_POLICY_CONSTRUCTS_GOODWILL_BUDGET_H_

#include <cstdint>

#include "src/policy/constructs/constructs.h"

namespace tact::internal {

// Compiles policy.budgets into plan.budgets (at most one).
void CompileBudgets(PolicyCompiler& c);

// What the budget has left for this customer and case: outcome->budget.
void ProposeBudget(const DecideState& state, Outcome* outcome);

// Clips monetary amounts of scratch->ranked, in rank order, to what the
// budget has left (ClipToBudget), recording the `goodwill` effect of each
// grant; an amount below the action's minimum is blocked as
// `budget_exhausted` and its alternative offered instead, unless the
// alternative is already recommended or blocked. An offered alternative is
// a candidate like any other: a hold on it (even one nobody else's
// candidate met) blocks it, and it passes the entitlement check.
void AdjustBudget(const AdjustState& state, RankScratch* scratch);

// The budget's clipping rule for one monetary action.
struct Clip {
  bool blocked = false;  // below the minimum: budget_exhausted
  int64_t granted = 0;   // when not blocked: the amount to grant
};
// `wanted` clipped to `remaining`; blocked when that is below `min_amount`
// (at least 1 minor unit: a grant of nothing is no gesture).
// REQUIRES: remaining >= 0, wanted >= 0.
Clip ClipToBudget(int64_t remaining, int64_t wanted, int64_t min_amount);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_GOODWILL_BUDGET_H_
