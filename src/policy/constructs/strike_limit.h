// Strike limits ("three strikes"): the construct seam's steps.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_STRIKE_LIMIT_H_
#define TACT_SRC_POLICY_CONSTRUCTS_STRIKE_LIMIT_H_

#include "src/policy/constructs/constructs.h"

namespace tact::internal {

// Compiles policy.strike_limits into plan.strikes.
void CompileStrikeLimits(PolicyCompiler& c);

// Orders the conjuncts of current_is_strike.
void FinishStrikeLimits(PolicyPlan* plan);

// Whether the policy has strike limits.
bool HasStrikeLimits(const PolicyPlan& plan);

// Warning and at-limit candidates, suppression holds (BlockedCode
// kStrikeLimit), the `strike` effect when the current case is a strike.
void ProposeStrikeLimits(const DecideState& state, Outcome* outcome);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_STRIKE_LIMIT_H_
