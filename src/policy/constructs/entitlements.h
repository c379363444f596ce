// Service entitlements (the contract per tier): the construct seam's steps.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_ENTITLEMENTS_H_
#define TACT_SRC_POLICY_CONSTRUCTS_ENTITLEMENTS_H_

#include "src/policy/constructs/constructs.h"

namespace tact::internal {

// Compiles policy.entitlements and beyond_contract into plan.entitlements.
void CompileEntitlements(PolicyCompiler& c);

// Whether the policy has entitlements (a contract that includes actions).
bool HasEntitlements(const PolicyPlan& plan);

// Marks actions of scratch->ranked beyond the customer's contract (WARN,
// with a note) or moves them to scratch->blocked (SUPPRESS,
// `beyond_contract`).
void AdjustEntitlements(const AdjustState& state, RankScratch* scratch);

// The entitlement check of one action: returns false when it is suppressed
// (and then listed in scratch->blocked), true when it stays (marked and
// noted when beyond the contract).
bool Entitle(const PolicyPlan& plan, const v1::Context& context,
             RankedAction* r, RankScratch* scratch);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_ENTITLEMENTS_H_
