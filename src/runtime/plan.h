// The compiled form of a policy's rules, actions and score modifiers.
//
// PolicyPlan is what an Engine runs: every expression is an ExprId into one
// shared Program, every action reference an index into `actions`. It is
// built once at load (BuildPlan) and immutable afterwards.
#ifndef TACT_SRC_RUNTIME_PLAN_H_
#define TACT_SRC_RUNTIME_PLAN_H_

#include <memory>
#include <string>
#include <vector>

#include "src/compiler/program.h"
#include "src/io/policy_source.h"
#include "src/runtime/template.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

struct ActionPlan {
  std::string id;
  std::string title;
  Template text;
  std::vector<std::string> tags;
};

struct ParamPlan {
  std::string name;
  ExprId expr = -1;
};

struct RecommendationPlan {
  int action = -1;                // index into PolicyPlan::actions
  std::vector<ParamPlan> params;  // sorted by name
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
};

struct ModifierPlan {
  std::string id;
  std::vector<Conjunct> when;
  ExprId factor = -1;
  // Indices of the actions it applies to (every action when the policy
  // lists no tags).
  std::vector<int> actions;
};

struct PolicyPlan {
  std::string currency;
  std::vector<ActionPlan> actions;
  // In evaluation order: priority descending, then policy order.
  std::vector<RulePlan> rules;
  std::vector<ModifierPlan> modifiers;
  std::unique_ptr<const Program> program;
};

// Compiles `loaded` into a plan. Every problem is appended to `diagnostics`
// with its file position; returns nullptr when any of them is an error.
std::unique_ptr<const PolicyPlan> BuildPlan(const LoadedPolicy& loaded,
                                            const CompileOptions& options,
                                            std::vector<Diagnostic>* diagnostics);

}  // namespace tact::internal

#endif  // TACT_SRC_RUNTIME_PLAN_H_
