// An action after merging its candidates: what the ranking passes (holds,
// entitlements, budget, authority) work on before the Decision is written.
#ifndef TACT_SRC_RUNTIME_RANKED_H_
#define TACT_SRC_RUNTIME_RANKED_H_

#include <string>
#include <utility>
#include <vector>

#include "src/compiler/value.h"
#include "src/runtime/outcome.h"
#include "src/runtime/plan_parts.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

struct RankedAction {
  int action = -1;
  int priority = 0;
  int stage = kUnstaged;
  double score = 0;
  // Name-sorted; a pass may change a value (the budget clips amounts).
  std::vector<std::pair<std::string, Value>> params;
  // Every proposer's reason, then notes the passes add.
  std::vector<v1::Reason> reasons;
  std::vector<v1::Effect> effects;
  bool beyond_contract = false;
  // Set by the authority pass: the lowest authority that may approve it.
  int required_authority = -1;
};

// The ranking order: stage, priority (high first), score (high first), then
// action id (from `actions`).
void SortRanked(const std::vector<ActionPlan>& actions,
                std::vector<RankedAction>* ranked);

}  // namespace tact::internal

#endif  // TACT_SRC_RUNTIME_RANKED_H_
