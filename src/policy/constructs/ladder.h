// Escalation ladders: the construct seam's steps.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_LADDER_H_
#define TACT_SRC_POLICY_CONSTRUCTS_LADDER_H_

#include "src/policy/constructs/constructs.h"

namespace tact::internal {

// Compiles policy.ladders into plan.ladders.
void CompileLadders(PolicyCompiler& c);

// Orders the conjuncts of each ladder's `when` and each rung's entry.
void FinishLadders(PolicyPlan* plan);

// Whether the policy has escalation ladders.
bool HasLadders(const PolicyPlan& plan);

// The next rung (or the exhausted outcome) of every ladder whose situation
// holds, with the `rung_offered` effect; a `wait` hold while the next rung
// is not yet due. Rungs beyond the customer's contract (SUPPRESS) are held
// as `beyond_contract` and skipped in the same decision; a rung entered by
// its `entry` condition before any rung of the case applies at once.
void ProposeLadders(const DecideState& state, Outcome* outcome);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_LADDER_H_
