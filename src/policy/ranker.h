// Turning an Outcome into the ranked part of a Decision.
#ifndef TACT_SRC_POLICY_RANKER_H_
#define TACT_SRC_POLICY_RANKER_H_

#include <vector>

#include "src/policy/outcome.h"
#include "src/policy/plan.h"
#include "src/policy/ranked.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// Applies holds, merges duplicate candidates, makes monetary amounts whole
// minor units, runs the constructs' adjust steps in decide order
// (constructs.h) and writes `decision`'s actions, needs_approval, blocked,
// effects and flags (decision_writer.h).
//
// - An action with any Hold is blocked: listed once in `blocked` with the
//   first hold as `blocked_by` and every candidate's reason as `wanted_by`.
//   Holds on actions nobody wanted are dropped.
// - Candidates for the same action merge: priority is the highest, stage
//   the lowest, score the sum of weights times `factors[action]`,
//   parameters those of the first candidate of the highest priority, and
//   every reason is kept in contribution order.
// - Order: stage, then priority (high first), then score (high first), then
//   action id. Equal inputs give identical output.
// - `caller_authority` indexes plan.authorities; -1 means unrestricted.
//
// Writes in place: `decision`'s actions, needs_approval, blocked, effects
// and flags are overwritten, reusing the elements (and string capacity) a
// previous decision left there, then cut to length. The Decision views
// nothing afterwards; `outcome` and `scratch` are working storage (the
// budget clips amounts in the candidates' parameters).
void Rank(const PolicyPlan& plan, const v1::Context& context,
          const std::vector<double>& factors, int caller_authority,
          Outcome& outcome, RankScratch* scratch, v1::Decision* decision);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_RANKER_H_
