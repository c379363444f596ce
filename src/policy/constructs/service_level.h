// Service levels (SLA clocks in business time): the construct seam's steps.
//
// Each target of Policy.service_levels measures one clock over the case's
// own history (customer messages, agent replies, status changes), against
// the span the customer's contract (Entitlement.sla) states for it. Every
// decision carries each target's state (Decision.service_levels);
// conditions read it as `sla.<target>.<fact>`; at each threshold the
// construct recommends the threshold's actions once per clock run, with the
// effect sla_threshold(target, percent). docs/constructs.md#service-levels.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_SERVICE_LEVEL_H_
#define TACT_SRC_POLICY_CONSTRUCTS_SERVICE_LEVEL_H_

#include "src/policy/constructs/construct_plans.h"
#include "src/policy/constructs/constructs.h"
#include "src/policy/outcome.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// Declares every target's `sla.<target>.<fact>` facts (and checks the
// targets' ids), creating plan.service_levels.targets. Runs before any
// expression is compiled.
void DeclareServiceLevelFacts(PolicyCompiler& c);

// Compiles policy.service_levels (and the entitlements' `sla` spans) into
// plan.service_levels, declaring the `sla.<target>.<fact>` facts.
void CompileServiceLevels(PolicyCompiler& c);

// Orders the conjuncts of the thresholds' recommendations.
void FinishServiceLevels(PolicyPlan* plan);

// Runs every target's clock for the case at `now`, keeps the states in the
// Outcome and sets the `sla.<target>.<fact>` facts conditions read.
void PrepareServiceLevels(const DecideState& state, Outcome* outcome);

// Whether the policy has service levels.
bool HasServiceLevels(const PolicyPlan& plan);

// Recommends the actions of each target's highest threshold reached and
// not yet recorded in this clock run, with the sla_threshold effect; flags
// sla_breached.
void ProposeServiceLevels(const DecideState& state, Outcome* outcome);

// Writes one target's state as Decision.service_levels has it.
void WriteServiceLevelStatus(const ServiceTargetPlan& target,
                             const ServiceLevelState& state,
                             v1::ServiceLevelStatus* out);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_SERVICE_LEVEL_H_
