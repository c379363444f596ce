// The compiled pieces rules and constructs share: actions, action
// references with parameters, rules and score modifiers.
#ifndef TACT_SRC_POLICY_PLAN_PARTS_H_
#define TACT_SRC_POLICY_PLAN_PARTS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "src/expr/program.h"
#include "src/policy/calendar.h"
#include "src/policy/template.h"

namespace tact::internal {

struct AuthorityLimitPlan {
  int authority = 0;  // index into PolicyPlan::authorities
  int64_t max_amount = 0;
};

// What an action promises of a service-level target (Action.promises).
struct PromisePlan {
  int target = -1;  // index into ServiceLevelsPlan::targets
  Span within;
};

struct ActionPlan {
  std::string id;
  int id_order = 0;  // position among the policy's actions sorted by id
  std::string title;
  Template text;
  std::vector<std::string> tags;  // sorted
  // Monetary actions: the parameter holding the amount; empty otherwise.
  std::string amount_param;
  int64_t min_amount = 0;
  int alternative = -1;  // action index offered when the budget is exhausted
  int authority = -1;    // lowest authority index that may act alone
  std::vector<AuthorityLimitPlan> limits;
  std::vector<std::string> requires_features;  // sorted
  // Cost of service (Action.cost): minor units, agent minutes included at
  // the policy's rate, and those agent minutes. Checked at load: >= 0, and
  // the sum fits in int64.
  int64_t cost = 0;
  int64_t agent_minutes = 0;
  // Action.promises, filled by CompileServiceLevels (the targets compile
  // after the actions).
  std::vector<PromisePlan> promises;

  bool monetary() const { return !amount_param.empty(); }
};

struct ParamPlan {
  std::string name;
  ExprId expr = -1;
  std::string source;  // the expression, for reasons that name it
};

struct RecommendationPlan {
  int action = -1;                // index into PolicyPlan::actions
  std::vector<ParamPlan> params;  // sorted by name
  // ActionRef.when: not proposed unless it holds; empty means always.
  std::vector<Conjunct> when;
};

struct RulePlan {
  std::string id;
  int index = 0;  // position in the policy's rule list
  std::vector<Conjunct> when;
  std::vector<RecommendationPlan> recommend;
  std::vector<int> veto;  // action indices
  int priority = 0;
  double weight = 1.0;
  bool final = false;
  Template reason;
  // Reason texts fixed at load: "Rule \"<id>\" matched." for a rule
  // without a reason, and what a veto says (the reason rendered without
  // parameters, or that fallback).
  std::string fallback_reason;
  std::string veto_reason;
};

struct ModifierPlan {
  std::string id;
  std::vector<Conjunct> when;
  ExprId factor = -1;
  // Indices of the actions it applies to.
  std::vector<int> actions;
};

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_PLAN_PARTS_H_
