// Authority: what a caller (a chatbot, an agent) may do alone. Hard rails
// the host enforces through tact: an action above the caller's authority is
// returned as needing approval, never dropped and never as if allowed.
#include "src/policy/constructs/authority.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/policy/candidates.h"
#include "src/policy/constructs/construct_trace.h"
#include "src/policy/decision_writer.h"
#include "src/policy/plan.h"
#include "src/policy/policy_compiler.h"
#include "src/policy/template.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

// "a bot", "an agent".
std::string WithArticle(absl::string_view noun) {
  bool vowel = !noun.empty() && absl::StrContains("aeiouAEIOU", noun[0]);
  return absl::StrCat(vowel ? "an " : "a ", noun);
}

// The lowest authority that may take `r` alone.
int RequiredAuthority(const PolicyPlan& plan, const RankedAction& r,
                      int64_t* amount_out) {
  const ActionPlan& action = plan.actions[r.action];
  int needed = std::max(action.authority, 0);
  if (!action.monetary() || action.limits.empty()) return needed;
  int64_t amount = 0;
  // NormalizeAmounts made every amount a non-negative int.
  if (const Value* v = FindParam(r.params, action.amount_param); v != nullptr) {
    amount = v->int_value;
  }
  *amount_out = amount;
  // An authority with no listed limit has none; find the lowest authority
  // at or above `needed` whose limit covers the amount.
  int top = static_cast<int>(plan.authorities.size()) - 1;
  for (int a = needed; a <= top; ++a) {
    auto limit = std::find_if(
        action.limits.begin(), action.limits.end(),
        [&](const AuthorityLimitPlan& l) { return l.authority == a; });
    if (limit == action.limits.end() || limit->max_amount >= amount) return a;
  }
  return top;  // nobody's limit covers it: the highest authority decides
}

// The caller's limit on monetary action `action` in minor units; -1 when
// it has none there (an authority with no listed limit has none).
int64_t CallerLimit(const ActionPlan& action, int caller) {
  for (const AuthorityLimitPlan& l : action.limits) {
    if (l.authority == caller) return l.max_amount;
  }
  return -1;
}

// Adds `r`, held for approval by `needed` because of `why`, to the
// authority trace.
void TraceHeld(const PolicyPlan& plan, const RankedAction& r, int needed,
               int caller, absl::string_view why, v1::AuthorityTrace* trace) {
  const ActionPlan& action = plan.actions[r.action];
  v1::RecommendedAction* held = trace->add_held();
  held->set_rank(trace->held_size());
  held->set_action(action.id);
  held->set_title(action.title);
  if (r.params != nullptr) {
    for (const auto& [name, value] : *r.params) {
      v1::Param* param = held->add_params();
      param->mutable_name()->assign(name.data(), name.size());
      WriteProtoValue(value, param->mutable_value());
    }
  }
  held->set_priority(r.priority);
  held->set_score(r.score);
  held->set_required_authority(plan.authorities[needed]);
  held->mutable_text()->assign(why.data(), why.size());
  trace->add_caller_limits(caller >= std::max(action.authority, 0) &&
                                   action.monetary()
                               ? CallerLimit(action, caller)
                               : -1);
}

}  // namespace

void CheckAuthorityLimits(PolicyCompiler& c, const v1::Action& a,
                          const ActionPlan& action, absl::string_view path,
                          absl::string_view element) {
  const std::vector<std::string>& authorities = c.plan().authorities;
  const std::string& currency = c.policy().currency();
  // Per authority, the first limit listed for it (its index in a.limits).
  std::vector<int> listed(authorities.size(), -1);
  for (int k = 0; k < a.limits_size(); ++k) {
    auto it = std::find(authorities.begin(), authorities.end(),
                        a.limits(k).authority());
    if (it == authorities.end()) continue;  // reported as unknown
    int who = static_cast<int>(it - authorities.begin());
    if (listed[who] >= 0) {
      c.Error(absl::StrCat(path, ".limits[", k, "]"), element,
              absl::StrCat("authority \"", *it,
                           "\" has two limits on this action; keep one"));
      continue;
    }
    listed[who] = k;
  }
  // Walk up from the lowest authority that may act alone, remembering the
  // largest limit so far (an authority without one may grant any amount).
  int previous = -1;  // the authority whose limit is the largest so far
  bool unlimited = false;
  int64_t largest = 0;
  for (int who = 0; who < static_cast<int>(authorities.size()); ++who) {
    if (listed[who] < 0) {
      if (who < std::max(action.authority, 0)) continue;  // may not act
      if (!unlimited) previous = who;
      unlimited = true;
      continue;
    }
    const int64_t max_amount = a.limits(listed[who]).max_amount();
    if (previous >= 0 && (unlimited || max_amount < largest)) {
      const std::string& lower = authorities[previous];
      c.Error(absl::StrCat(path, ".limits[", listed[who], "]"), element,
              absl::StrCat(
                  "authority limits must not decrease with authority: \"",
                  authorities[who], "\" may grant ",
                  FormatMoney(max_amount, currency), " alone but \"", lower,
                  "\", below it, ",
                  unlimited ? absl::StrCat("has no limit on this action; give "
                                           "\"",
                                           lower, "\" a limit")
                            : absl::StrCat(FormatMoney(largest, currency),
                                           "; correct the limits")));
      continue;
    }
    previous = who;
    largest = max_amount;
  }
}

bool HasAuthorities(const PolicyPlan& plan) {
  return !plan.authorities.empty();
}

void AdjustAuthority(const AdjustState& state, RankScratch* scratch) {
  const PolicyPlan& plan = state.plan;
  const int caller = state.caller_authority;
  // With TRACE_FULL: the authority pass's entry, named by the caller.
  v1::ConstructTrace* entry = nullptr;
  v1::AuthorityTrace* trace = nullptr;
  if (state.construct_trace != nullptr && !plan.authorities.empty()) {
    const absl::string_view caller_name =
        caller >= 0 ? absl::string_view(plan.authorities[caller])
                    : absl::string_view();
    entry = AddConstructTrace(state.construct_trace, SourceKind::kAuthority,
                              caller_name);
    trace = entry->mutable_authority();
    trace->mutable_caller()->assign(caller_name.data(), caller_name.size());
    trace->set_money_limit(-1);
    if (caller < 0) {
      trace->set_allowed(static_cast<int>(scratch->ranked.size()));
      entry->set_summary(
          "Unrestricted: no authority was given, so every action may be "
          "taken without approval.");
    }
  }
  if (caller < 0 || plan.authorities.empty()) return;
  int allowed = 0;
  std::string holds;  // the trace's "refund (an agent; ...)" per held action
  for (RankedAction& r : scratch->ranked) {
    int64_t amount = 0;
    int needed = RequiredAuthority(plan, r, &amount);
    if (trace != nullptr) {
      const ActionPlan& action = plan.actions[r.action];
      const int64_t limit = action.monetary() && !action.limits.empty() &&
                                    caller >= std::max(action.authority, 0)
                                ? CallerLimit(action, caller)
                                : -1;
      if (limit >= 0 &&
          (trace->money_limit() < 0 || limit < trace->money_limit())) {
        trace->set_money_limit(limit);
      }
    }
    if (needed <= caller) {
      ++allowed;
      continue;
    }
    r.required_authority = needed;
    const ActionPlan& action = plan.actions[r.action];
    std::string* why = scratch->AddNote(&r).StartRendered(
        SourceRef{SourceKind::kAuthority, needed, plan.authorities[needed]});
    if (amount > 0 && !action.limits.empty()) {
      absl::StrAppend(
          why, "Needs approval from ", WithArticle(plan.authorities[needed]),
          ": ", FormatMoney(amount, plan.currency), " is above what ",
          WithArticle(plan.authorities[caller]), " may grant alone.");
    } else {
      absl::StrAppend(why, "Needs approval from ",
                      WithArticle(plan.authorities[needed]), ": ",
                      WithArticle(plan.authorities[caller]),
                      " may not take this action alone.");
    }
    if (trace != nullptr) {
      TraceHeld(plan, r, needed, caller, *why, trace);
      const int64_t limit =
          trace->caller_limits(trace->caller_limits_size() - 1);
      absl::StrAppend(&holds, holds.empty() ? "" : ", ", action.id, " (",
                      WithArticle(plan.authorities[needed]));
      if (amount > 0 && limit >= 0) {
        absl::StrAppend(&holds, "; ", FormatMoney(amount, plan.currency),
                        " is above the ", FormatMoney(limit, plan.currency),
                        " limit");
      }
      holds.append(")");
    }
  }
  if (entry == nullptr) return;
  trace->set_allowed(allowed);
  std::string* summary = entry->mutable_summary();
  absl::StrAppend(summary, "As ", WithArticle(plan.authorities[caller]), ": ",
                  allowed, allowed == 1 ? " action" : " actions",
                  " may be taken alone");
  if (trace->held().empty()) {
    summary->append("; nothing needs approval.");
    return;
  }
  absl::StrAppend(summary, "; ", trace->held_size(),
                  trace->held_size() == 1 ? " needs" : " need", " approval");
  absl::StrAppend(summary, ": ", holds, ".");
}

}  // namespace tact::internal
