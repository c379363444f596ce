// The compiled form of a policy: actions, rules, score modifiers and the
// constructs, all referring to one shared expression Program.
//
// Built once at load (BuildPlan) and immutable afterwards.
#ifndef TACT_SRC_POLICY_PLAN_H_
#define TACT_SRC_POLICY_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/common/source_map.h"
#include "src/expr/program.h"
#include "src/policy/calendar.h"
#include "src/policy/constructs/construct_plans.h"
#include "src/policy/plan_parts.h"
#include "src/policy/rule_index.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

namespace tact::internal {

struct PolicyPlan {
  std::string currency;
  std::vector<ActionPlan> actions;
  // In evaluation order: priority descending, then policy order.
  std::vector<RulePlan> rules;
  std::vector<ModifierPlan> modifiers;
  std::vector<LadderPlan> ladders;
  std::vector<StrikePlan> strikes;
  // At most one: every monetary action draws from it.
  std::vector<BudgetPlan> budgets;
  std::vector<PlaybookPlan> playbooks;
  EntitlementPlan entitlements;
  ServiceLevelsPlan service_levels;
  // Authority names, lowest first.
  std::vector<std::string> authorities;
  std::vector<BusinessCalendar> calendars;
  std::unique_ptr<const Program> program;
  // Which rules can fire for a context, from their equality tests.
  RuleIndex rule_index;
  // Positions in `rules` of the rules that restrict (a veto or `final`):
  // when one errs, the decision carries a restriction_errored flag.
  std::vector<int> restricting_rules;
  // Bit i: the policy has construct kConstructs[i] (its `present`); a
  // decision skips the steps of the others.
  uint32_t constructs_present = ~uint32_t{0};
  bool HasConstruct(size_t i) const {
    return ((constructs_present >> i) & 1) != 0;
  }
};

// Compiles `loaded` into a plan. Every problem is appended to `diagnostics`
// with its file position; returns nullptr when any of them is an error.
std::unique_ptr<const PolicyPlan> BuildPlan(
    const LoadedPolicy& loaded, const CompileOptions& options,
    std::vector<Diagnostic>* diagnostics);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_PLAN_H_
