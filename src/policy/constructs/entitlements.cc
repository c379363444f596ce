// Service entitlements: "strive to deliver the same service to every
// customer" at the contracted standard, not above it (seeds 000, 001).
#include "src/policy/constructs/entitlements.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/common/business_calendar.h"
#include "src/common/edit_distance.h"
#include "src/policy/calendar.h"
#include "src/policy/candidates.h"
#include "src/policy/constructs/common.h"
#include "src/policy/constructs/construct_trace.h"
#include "src/policy/plan.h"
#include "src/policy/policy_compiler.h"
#include "tact/codes.h"

namespace tact::internal {

namespace {

// "; did you mean "fax"?" for the nearest of `features`, or "".
std::string SuggestFeature(absl::string_view wrong,
                           const std::set<std::string>& features) {
  const std::string* best = nullptr;
  size_t best_distance = std::max<size_t>(2, wrong.size() / 3) + 1;
  for (const std::string& f : features) {
    size_t d = EditDistance(wrong, f);
    if (d < best_distance) {
      best_distance = d;
      best = &f;
    }
  }
  return best == nullptr ? "" : absl::StrCat("; did you mean \"", *best, "\"?");
}

// The contract of the customer's tier.
struct Contract {
  bool listed = false;  // the tier has its own entitlement
  // The tier whose contract applies (the tier itself, or the default);
  // empty without one.
  absl::string_view name;
  // What it includes, sorted (nothing without a contract).
  const std::vector<std::string>* includes = nullptr;
};

// Every customer has a contract: an unlisted tier gets the default one, or,
// when the policy names none, one that includes nothing.
Contract ContractOf(const EntitlementPlan& entitlements,
                    const std::string& tier) {
  static const std::vector<std::string>* const kNothing =
      new std::vector<std::string>();
  Contract contract;
  auto it = entitlements.includes.find(tier);
  contract.listed = it != entitlements.includes.end();
  if (!contract.listed && !entitlements.default_tier.empty()) {
    it = entitlements.includes.find(entitlements.default_tier);
  }
  if (it != entitlements.includes.end()) {
    contract.name = it->first;
    contract.includes = &it->second;
  } else {
    contract.includes = kNothing;
  }
  return contract;
}

}  // namespace

void CompileEntitlements(PolicyCompiler& c) {
  const v1::Policy& policy = c.policy();
  EntitlementPlan& plan = c.plan().entitlements;
  plan.suppress =
      policy.beyond_contract().mode() == v1::BeyondContract::SUPPRESS;
  std::set<std::string> features;  // included by some entitlement
  for (int i = 0; i < policy.entitlements_size(); ++i) {
    const v1::Entitlement& e = policy.entitlements(i);
    std::string path = absl::StrCat("entitlements[", i, "]");
    features.insert(e.includes().begin(), e.includes().end());
    if (e.tier().empty()) {
      c.Error(path + ".tier", "",
              "an entitlement names the tier it applies to");
      continue;
    }
    std::string element = absl::StrCat("entitlement \"", e.tier(), "\"");
    std::vector<std::string> includes(e.includes().begin(), e.includes().end());
    std::sort(includes.begin(), includes.end());
    if (!plan.includes.emplace(e.tier(), std::move(includes)).second) {
      c.Error(path + ".tier", element,
              "the tier has two entitlements; merge them");
    }
    if (e.default_()) {
      if (plan.default_tier.empty()) {
        plan.default_tier = e.tier();
      } else {
        c.Error(path + ".default", element,
                absl::StrCat("\"", plan.default_tier,
                             "\" is already the default contract; keep one "
                             "default"));
      }
    }
  }
  if (!plan.includes.empty() && plan.default_tier.empty()) {
    c.Warning("entitlements[0]", "",
              "no entitlement is the default: a customer whose tier has no "
              "entitlement (or no tier) gets a contract of no features, so "
              "every action that requires one is beyond it; mark the "
              "contract for such customers `default: true`");
  }
  // A feature no entitlement includes makes the action beyond every
  // contract: almost always a misspelling.
  for (int i = 0; i < policy.actions_size(); ++i) {
    const v1::Action& a = policy.actions(i);
    for (int k = 0; k < a.requires_size(); ++k) {
      const std::string& feature = a.requires(k);
      if (features.count(feature) > 0) continue;
      std::string path = absl::StrCat("actions[", i, "].requires[", k, "]");
      std::string element = absl::StrCat("action \"", a.id(), "\"");
      if (policy.entitlements_size() == 0) {
        c.Warning(path, element,
                  absl::StrCat("the action requires \"", feature,
                               "\" but the policy has no entitlements, so no "
                               "contract limits it"));
        continue;
      }
      c.Error(path, element,
              absl::StrCat("no entitlement includes \"", feature,
                           "\", so the action is beyond every contract",
                           SuggestFeature(feature, features)));
    }
  }
}

namespace {

// The contract's span per service-level target (ServiceLevelsPlan::spans),
// or null when the customer has no contract or it states no targets.
const std::vector<Span>* ContractSpans(const PolicyPlan& plan,
                                       const Contract& contract) {
  if (contract.name.empty()) return nullptr;
  auto it = plan.service_levels.spans.find(contract.name);
  return it == plan.service_levels.spans.end() ? nullptr : &it->second;
}

// The contract's span for `promise`'s target, or null when it states none.
const Span* ContractSpan(const std::vector<Span>* spans,
                         const PromisePlan& promise) {
  if (spans == nullptr || promise.target < 0 ||
      promise.target >= static_cast<int>(spans->size())) {
    return nullptr;
  }
  const Span& span = (*spans)[promise.target];
  return span.length == absl::ZeroDuration() ? nullptr : &span;
}

// Whether `promise` is beyond the contract: the contract states no span for
// its target, or the promise, counted from `now`, ends strictly before the
// contract's span does (business spans in the service levels' calendar).
bool PromiseBeyond(const PromisePlan& promise, const Span* contract_span,
                   absl::Time now, const BusinessCalendar& calendar) {
  if (contract_span == nullptr) return true;
  return promise.within.After(now, calendar) <
         contract_span->After(now, calendar);
}

}  // namespace

bool Entitle(const PolicyPlan& plan, const v1::Context& context,
             RankedAction* r, RankScratch* scratch) {
  const EntitlementPlan& entitlements = plan.entitlements;
  const std::string& tier = context.customer().tier();
  const Contract contract = ContractOf(entitlements, tier);
  const bool listed = contract.listed;
  const bool has_contract = !contract.name.empty();
  const std::vector<std::string>& includes = *contract.includes;
  const ActionPlan& action = plan.actions[r->action];
  auto included = [&](const std::string& feature) {
    return std::binary_search(includes.begin(), includes.end(), feature);
  };
  const bool features_within =
      std::all_of(action.requires_features.begin(),
                  action.requires_features.end(), included);
  // Promises: each counted from the decision's now, against the contract's
  // span for its target.
  const std::vector<Span>* spans = nullptr;
  const BusinessCalendar* calendar = &BusinessCalendar::AlwaysOpen();
  absl::Time now = absl::InfinitePast();
  bool promises_within = true;
  if (!action.promises.empty()) {
    spans = ContractSpans(plan, contract);
    const int c = plan.service_levels.calendar;
    if (c >= 0 && c < static_cast<int>(plan.calendars.size())) {
      calendar = &plan.calendars[c];
    }
    now = ToTime(context.now());
    for (const PromisePlan& p : action.promises) {
      if (PromiseBeyond(p, ContractSpan(spans, p), now, *calendar)) {
        promises_within = false;
        break;
      }
    }
  }
  if (features_within && promises_within) return true;
  ReasonRef& why = scratch->notes.Add();
  int why_index = static_cast<int>(scratch->notes.size()) - 1;
  // The source is the contract applied; without one, the customer's tier
  // (the context outlives the decision it is written to).
  std::string* text = why.StartRendered(
      SourceRef{SourceKind::kEntitlement, -1,
                has_contract ? contract.name : absl::string_view(tier)});
  const std::string whose = tier.empty()
                                ? std::string("a customer without a tier")
                                : absl::StrCat("tier \"", tier, "\"");
  if (listed) {
    absl::StrAppend(text, "Beyond the \"", tier, "\" contract");
    if (!features_within) text->append(", which does not include ");
  } else if (has_contract) {
    absl::StrAppend(text, "Beyond the \"", contract.name,
                    "\" contract, the default for ", whose);
    if (!features_within) text->append(", which does not include ");
  } else {
    absl::StrAppend(text, "Beyond contract: ", whose,
                    " has no entitlement and the policy names no default");
    if (!features_within) text->append(", so the contract does not include ");
  }
  bool first = true;
  for (const std::string& feature : action.requires_features) {
    if (included(feature)) continue;
    if (!first) text->append(", ");
    text->append(feature);
    first = false;
  }
  if (promises_within) {
    text->append(
        ": giving it once sets a standard the customer will then expect "
        "every time.");
  } else {
    // "it promises first_reply within 1 hour, where the contract's is 4
    // business hours, and resolution within 1 day, where the contract
    // states no resolution target"
    text->append(features_within ? ": it promises " : ", and it promises ");
    bool first_promise = true;
    for (const PromisePlan& p : action.promises) {
      const Span* contract_span = ContractSpan(spans, p);
      if (!PromiseBeyond(p, contract_span, now, *calendar)) continue;
      if (!first_promise) text->append(", and ");
      first_promise = false;
      const std::string& target = plan.service_levels.targets[p.target].id;
      absl::StrAppend(text, target, " within ", p.within.Readable());
      if (contract_span == nullptr) {
        absl::StrAppend(text, ", where the contract states no ", target,
                        " target");
      } else {
        absl::StrAppend(text, ", where the contract's is ",
                        contract_span->Readable());
      }
    }
    text->append(
        "; giving it once sets a standard the customer will then expect "
        "every time.");
  }
  if (entitlements.suppress) {
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

bool HasEntitlements(const PolicyPlan& plan) {
  return !plan.entitlements.includes.empty();
}

void AdjustEntitlements(const AdjustState& state, RankScratch* scratch) {
  const PolicyPlan& plan = state.plan;
  if (plan.entitlements.includes.empty()) return;
  std::vector<RankedAction>& ranked = scratch->ranked;
  // With TRACE_FULL: the entry of the customer's contract.
  v1::EntitlementTrace* trace = nullptr;
  v1::ConstructTrace* entry = nullptr;
  const std::string& tier = state.context.customer().tier();
  if (state.construct_trace != nullptr) {
    const Contract contract = ContractOf(plan.entitlements, tier);
    entry = AddConstructTrace(
        state.construct_trace, SourceKind::kEntitlement,
        contract.name.empty() ? absl::string_view(tier) : contract.name);
    trace = entry->mutable_entitlement();
    trace->set_tier(tier);
    trace->set_entitlement(std::string(contract.name));
    trace->set_is_default(!contract.listed && !contract.name.empty());
    trace->set_suppress(plan.entitlements.suppress);
    for (const std::string& feature : *contract.includes) {
      trace->add_includes(feature);
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    RankedAction r = ranked[i];
    const bool kept_it = Entitle(plan, state.context, &r, scratch);
    if (trace != nullptr && (!kept_it || r.beyond_contract)) {
      trace->add_beyond_contract(plan.actions[r.action].id);
    }
    if (kept_it) ranked[kept++] = r;
  }
  ranked.resize(kept);
  if (entry == nullptr) return;
  std::string* summary = entry->mutable_summary();
  const std::string whose = tier.empty()
                                ? std::string("a customer without a tier")
                                : absl::StrCat("tier \"", tier, "\"");
  if (trace->entitlement().empty()) {
    absl::StrAppend(summary, "No contract for ", whose,
                    " and no default: it includes nothing");
  } else if (trace->is_default()) {
    absl::StrAppend(summary, "The \"", trace->entitlement(),
                    "\" contract, the default for ", whose);
  } else {
    absl::StrAppend(summary, "The \"", trace->entitlement(), "\" contract");
  }
  if (trace->beyond_contract().empty()) {
    summary->append("; every action is within it.");
    return;
  }
  summary->append("; beyond it");
  summary->append(plan.entitlements.suppress ? " and held back: "
                                             : " but recommended (WARN): ");
  for (int k = 0; k < trace->beyond_contract_size(); ++k) {
    if (k > 0) summary->append(", ");
    summary->append(trace->beyond_contract(k));
  }
  summary->append(".");
}

}  // namespace tact::internal
