// Comparing two decisions on the same context for `tact simulate
// --baseline` (tact::Simulate): every change a host would act on, as
// tact::Change lines grouped by tact::ChangeKind, with the money each moves.
#ifndef TACT_SRC_ENGINE_SIMULATION_DIFF_H_
#define TACT_SRC_ENGINE_SIMULATION_DIFF_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tact/simulation.h"
#include "tact/v1/decision.pb.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

// A policy's monetary actions: action id -> its amount_param.
using AmountParams = std::map<std::string, std::string>;

// The monetary actions of `policy`.
AmountParams AmountParamsOf(const v1::Policy& policy);

// What changed from `before` (the baseline's decision) to `after` (the
// policy's), in ChangeKind order: see tact::ChangeKind for what is
// compared. Amounts are money when the parameter is the action's amount
// parameter in the policy that decided (`before_amounts`,
// `after_amounts`); money is shown in `currency`. Thread-compatible.
struct DecisionDiff {
  std::vector<Change> changes;  // empty: nothing a host acts on changed
  int64_t goodwill_delta = 0;   // goodwill effects, after - before
};
DecisionDiff DiffDecisions(const v1::Decision& before,
                           const AmountParams& before_amounts,
                           const v1::Decision& after,
                           const AmountParams& after_amounts,
                           const std::string& currency);

// The distinct kinds of `changes`, in ChangeKind order.
std::vector<ChangeKind> KindsOf(const std::vector<Change>& changes);

// "+2.50 USD", "-0.05 USD", "+0.00": a signed money delta (minor units).
std::string FormatMoneyDelta(int64_t minor_units, const std::string& currency);

}  // namespace tact::internal

#endif  // TACT_SRC_ENGINE_SIMULATION_DIFF_H_
