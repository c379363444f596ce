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

void AdjustAuthority(const AdjustState& state, RankScratch* scratch) {
  const PolicyPlan& plan = state.plan;
  const int caller = state.caller_authority;
  if (caller < 0 || plan.authorities.empty()) return;
  for (RankedAction& r : scratch->ranked) {
    int64_t amount = 0;
    int needed = RequiredAuthority(plan, r, &amount);
    if (needed <= caller) continue;
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
  }
}

}  // namespace tact::internal
