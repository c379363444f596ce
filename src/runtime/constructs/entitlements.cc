// Service entitlements: "strive to deliver the same service to every
// customer" at the contracted standard, not above it (seeds 000, 001).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/runtime/candidates.h"
#include "src/runtime/constructs/constructs.h"
#include "src/runtime/plan.h"
#include "src/runtime/policy_compiler.h"

namespace tact::internal {

void CompileEntitlements(PolicyCompiler& c) {
  const v1::Policy& policy = c.policy();
  EntitlementPlan& plan = c.plan().entitlements;
  plan.suppress =
      policy.beyond_contract().mode() == v1::BeyondContract::SUPPRESS;
  for (int i = 0; i < policy.entitlements_size(); ++i) {
    const v1::Entitlement& e = policy.entitlements(i);
    std::string path = absl::StrCat("entitlements[", i, "]");
    if (e.tier().empty()) {
      c.Error(path + ".tier", "",
              "an entitlement names the tier it applies to");
      continue;
    }
    std::vector<std::string> includes(e.includes().begin(), e.includes().end());
    std::sort(includes.begin(), includes.end());
    if (!plan.includes.emplace(e.tier(), std::move(includes)).second) {
      c.Error(path + ".tier", absl::StrCat("entitlement \"", e.tier(), "\""),
              "the tier has two entitlements; merge them");
    }
  }
}

void ApplyEntitlements(const PolicyPlan& plan, const v1::Context& context,
                       std::vector<RankedAction>* ranked,
                       v1::Decision* decision) {
  const std::string& tier = context.customer().tier();
  auto contract = plan.entitlements.includes.find(tier);
  // A tier without an entitlement entry has no stated contract to exceed.
  if (contract == plan.entitlements.includes.end()) return;
  const std::vector<std::string>& includes = contract->second;
  std::vector<RankedAction> kept;
  for (RankedAction& r : *ranked) {
    const ActionPlan& action = plan.actions[r.action];
    std::vector<std::string> missing;
    for (const std::string& feature : action.requires_features) {
      if (!std::binary_search(includes.begin(), includes.end(), feature)) {
        missing.push_back(feature);
      }
    }
    if (missing.empty()) {
      kept.push_back(std::move(r));
      continue;
    }
    std::string why = absl::StrCat(
        "Beyond the \"", tier, "\" contract, which does not include ",
        absl::StrJoin(missing, ", "),
        ": giving it once sets a standard the customer will then expect every "
        "time.");
    if (plan.entitlements.suppress) {
      v1::BlockedAction* blocked = decision->add_blocked();
      blocked->set_action(action.id);
      blocked->set_code("beyond_contract");
      *blocked->mutable_blocked_by() = MakeReason("entitlement", tier, why);
      for (const v1::Reason& reason : r.reasons)
        *blocked->add_wanted_by() = reason;
      continue;
    }
    r.beyond_contract = true;
    r.reasons.push_back(MakeReason("entitlement", tier, std::move(why)));
    kept.push_back(std::move(r));
  }
  *ranked = std::move(kept);
}

}  // namespace tact::internal
