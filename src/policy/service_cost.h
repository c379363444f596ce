// The cost of service a decision carries (seeds 000 and 001): each
// recommended action's cost, the decision's total, and the service_cost
// effects a host records so that later decisions can read the cost already
// spent on the customer (the serviceCost() built-in).
#ifndef TACT_SRC_POLICY_SERVICE_COST_H_
#define TACT_SRC_POLICY_SERVICE_COST_H_

#include "src/policy/plan.h"
#include "src/policy/ranked.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// Sets the decision's total_cost and total_agent_minutes from its
// recommended actions (scratch.ranked without those needing approval), and
// appends, in rank order, a service_cost effect (ref: the action id, amount:
// its cost, step: its agent minutes) for each recommended action with a
// cost, unless the history already records that effect for this case at
// exactly now (the host recorded this decision and decides the case again at
// the same now: not emitted twice). Totals saturate at the int64 maximum.
void WriteServiceCosts(const PolicyPlan& plan, const v1::Context& context,
                       const RankScratch& scratch, v1::Decision* decision);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_SERVICE_COST_H_
