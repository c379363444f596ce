// Goodwill budgets: the construct seam's steps and the clipping rule.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_GOODWILL_BUDGET_H_
#define TACT_SRC_POLICY_CONSTRUCTS_GOODWILL_BUDGET_H_

#include <cstdint>

#include "src/policy/constructs/constructs.h"

namespace tact::internal {

// Compiles policy.budgets into plan.budgets (at most one).
void CompileBudgets(PolicyCompiler& c);

// Whether the policy has a goodwill budget.
bool HasBudget(const PolicyPlan& plan);

// What the budget has left for this customer and case: outcome->budget.
void ProposeBudget(const DecideState& state, Outcome* outcome);

// Clips monetary amounts of scratch->ranked, in rank order, to what the
// budget has left (ClipToBudget), recording the `goodwill` effect of each
// grant; an amount below the action's minimum is blocked as
// `budget_exhausted` and its alternative offered instead, unless the
// alternative is already recommended or blocked. An offered alternative is
// a candidate like any other: a hold on it (even one nobody else's
// candidate met) blocks it, and it passes the entitlement check.
// Re-deciding at the same now: a grant recorded in this case at now with
// the amount this decision grants again is neither counted nor emitted
// again; any other grant recorded at now counts like a past one, so a host
// recording more at now never loosens the budget.
void AdjustBudget(const AdjustState& state, RankScratch* scratch);

// Which limit bound an amount the budget clipped or blocked.
enum class BudgetBound {
  kNone,       // none: the wanted amount fits what is left
  kPerWindow,  // the cap per customer per window
  kPerCase,    // the cap per case
  // What the caps left would have covered it, but grants earlier in this
  // decision used it.
  kThisDecision,
};

// What the budget has left before this decision, per cap.
struct BudgetLeft {
  int64_t window = 0;     // per window: the cap minus grants in the window
  int64_t per_case = -1;  // per case: the cap minus this case's grants; -1
                          // when the budget has no cap per case
};

// The budget's clipping rule for one monetary action.
struct Clip {
  bool blocked = false;   // below the minimum: budget_exhausted
  int64_t granted = 0;    // when not blocked: the amount to grant
  int64_t remaining = 0;  // what was left for this action
  BudgetBound bound = BudgetBound::kNone;  // which limit bound, if any
};
// `wanted` clipped to what `left` leaves once `spent` (granted earlier in
// this decision) is taken off; blocked when that is below `min_amount` (at
// least 1 minor unit: a grant of nothing is no gesture). `bound` names the
// limit that made the amount smaller than wanted: the smaller cap (per case
// on a tie), or this decision when the caps alone would have covered it.
// REQUIRES: left.window >= 0, left.per_case >= -1, spent >= 0, wanted >= 0.
Clip ClipToBudget(const BudgetLeft& left, int64_t spent, int64_t wanted,
                  int64_t min_amount);
// The same with one cap (per window) and nothing spent yet.
Clip ClipToBudget(int64_t remaining, int64_t wanted, int64_t min_amount);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_GOODWILL_BUDGET_H_
