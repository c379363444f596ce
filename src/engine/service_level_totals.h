// Service-level attainment over many decisions (tact/simulation.h:
// ServiceLevelSummary): what `tact simulate` totals from each decision's
// Decision.service_levels.
#ifndef TACT_SRC_ENGINE_SERVICE_LEVEL_TOTALS_H_
#define TACT_SRC_ENGINE_SERVICE_LEVEL_TOTALS_H_

#include <string>
#include <utility>
#include <vector>

#include "tact/simulation.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// What the totals need of one decision's service levels; kept instead of
// the Decision.
struct CaseServiceLevels {
  // The case's tier (ServiceLevelSummary): the first status's tier, else
  // its entitlement, else "(none)". Empty when the decision carried no
  // service levels.
  std::string tier;
  std::vector<std::pair<std::string, std::string>> states;  // target, state
  bool carried() const { return !states.empty(); }
};

CaseServiceLevels ServiceLevelsOf(const v1::Decision& decision);

// Folds one case into `summary`: its tier's row and the total, each target
// once per status. `beyond_contract`: the case has a recommended action
// tagged beyond_contract. Nothing when the decision carried none.
void AddServiceLevels(const CaseServiceLevels& c, bool beyond_contract,
                      ServiceLevelSummary* summary);

}  // namespace tact::internal

#endif  // TACT_SRC_ENGINE_SERVICE_LEVEL_TOTALS_H_
