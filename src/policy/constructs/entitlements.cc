// Service entitlements: "strive to deliver the same service to every
// customer" at the contracted standard, not above it (seeds 000, 001).
#include "src/policy/constructs/entitlements.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/policy/candidates.h"
#include "src/policy/plan.h"
#include "src/policy/policy_compiler.h"
#include "tact/codes.h"

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

bool Entitle(const PolicyPlan& plan, const v1::Context& context,
             RankedAction* r, RankScratch* scratch) {
  const std::string& tier = context.customer().tier();
  auto contract = plan.entitlements.includes.find(tier);
  // A tier without an entitlement entry has no stated contract to exceed.
  if (contract == plan.entitlements.includes.end()) return true;
  const std::vector<std::string>& includes = contract->second;
  const ActionPlan& action = plan.actions[r->action];
  auto included = [&](const std::string& feature) {
    return std::binary_search(includes.begin(), includes.end(), feature);
  };
  if (std::all_of(action.requires_features.begin(),
                  action.requires_features.end(), included)) {
    return true;
  }
  ReasonRef& why = scratch->notes.Add();
  int why_index = static_cast<int>(scratch->notes.size()) - 1;
  std::string* text = why.StartRendered(
      SourceRef{SourceKind::kEntitlement, -1, contract->first});
  absl::StrAppend(text, "Beyond the \"", tier,
                  "\" contract, which does not include ");
  bool first = true;
  for (const std::string& feature : action.requires_features) {
    if (included(feature)) continue;
    if (!first) text->append(", ");
    text->append(feature);
    first = false;
  }
  text->append(
      ": giving it once sets a standard the customer will then expect every "
      "time.");
  if (plan.entitlements.suppress) {
    BlockedRef& blocked = scratch->blocked.emplace_back();
    blocked.action = r->action;
    blocked.code = BlockedCode::kBeyondContract;
    blocked.by_note = why_index;
    blocked.wanted = *r;
    return false;
  }
  r->beyond_contract = true;
  if (r->note_count < RankedAction::kMaxNotes) {
    r->notes[r->note_count++] = why_index;
  }
  return true;
}

void AdjustEntitlements(const AdjustState& state, RankScratch* scratch) {
  const PolicyPlan& plan = state.plan;
  if (plan.entitlements.includes.empty()) return;
  std::vector<RankedAction>& ranked = scratch->ranked;
  size_t kept = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    RankedAction r = ranked[i];
    if (Entitle(plan, state.context, &r, scratch)) ranked[kept++] = r;
  }
  ranked.resize(kept);
}

}  // namespace tact::internal
