// Compiled forms of the five constructs and entitlements (data only; each
// construct's compile and run functions live in its own file).
#ifndef TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_PLANS_H_
#define TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_PLANS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "src/expr/program.h"
#include "src/policy/calendar.h"
#include "src/policy/plan_parts.h"
#include "src/policy/template.h"

namespace tact::internal {

struct RungPlan {
  RecommendationPlan action;
  std::vector<Conjunct> entry;  // empty: no direct entry
  Span min_wait;
  Template reason;
};

struct LadderPlan {
  std::string id;
  std::vector<Conjunct> when;
  std::vector<RungPlan> rungs;
  std::vector<RecommendationPlan> exhausted;
  Template exhausted_reason;
  int priority = 0;
  double weight = 1.0;
  int calendar = -1;  // index into PolicyPlan::calendars; -1 always open
};

struct StrikePlan {
  std::string id;
  // history.count(e, counts && inside the window): an int.
  ExprId count = -1;
  int limit = 0;
  std::vector<Conjunct> current_is_strike;  // empty: never
  std::vector<RecommendationPlan> warning;
  std::vector<RecommendationPlan> at_limit;
  std::vector<int> suppress;
  Template warning_reason;
  Template limit_reason;
  int priority = 0;
  Span window;
};

struct BudgetPlan {
  std::string id;
  int period = 0;  // v1::GoodwillBudget::Period
  Span window;
  ExprId per_window = -1;
  ExprId per_case = -1;  // -1: no per-case cap
  std::string granted_kind;
  int calendar = -1;
};

// A recovery's steps rank by PlaybookStage (tact/codes.h, StageRank):
// apology, fix, surprise, compensation, whatever the scores.
struct PlaybookPlan {
  std::string id;
  std::vector<Conjunct> when;
  int apology = -1;
  RecommendationPlan fix;  // action -1 when none
  Span fix_within;
  std::vector<RecommendationPlan> surprise;
  std::vector<RecommendationPlan> compensation;
  int compensation_ladder = -1;  // index into PolicyPlan::ladders
  Template reason;
  int priority = 0;
  int calendar = -1;
};

struct EntitlementPlan {
  // tier -> included features (sorted).
  absl::flat_hash_map<std::string, std::vector<std::string>> includes;
  // The tier whose contract unlisted tiers get; empty: none, and their
  // contract includes nothing.
  std::string default_tier;
  bool suppress = false;  // BeyondContract::SUPPRESS
};

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_PLANS_H_
