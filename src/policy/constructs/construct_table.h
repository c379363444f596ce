// The construct table: one row per construct, in decide order. Included
// by the code that iterates it (the plan builder, the engine, the ranker),
// so that the loops over this constant table call each step directly.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_TABLE_H_
#define TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_TABLE_H_

#include "src/policy/constructs/authority.h"
#include "src/policy/constructs/constructs.h"
#include "src/policy/constructs/entitlements.h"
#include "src/policy/constructs/goodwill_budget.h"
#include "src/policy/constructs/ladder.h"
#include "src/policy/constructs/recovery_playbook.h"
#include "src/policy/constructs/service_level.h"
#include "src/policy/constructs/strike_limit.h"

namespace tact::internal {

// Rules are compiled (and their conditions ordered) with the actions by the
// plan builder, since every construct refers to both; at decision time they
// propose first (RunRules, rules.h).
void ProposeRules(const DecideState& state, Outcome* outcome);

// The order is the decide order, and it is behaviour: candidates merge in
// contribution order (reasons, parameters), a playbook restages candidates
// its ladder proposed before it, the service levels' thresholds see every
// hold and final rule above them, the entitlement check runs before the
// budget spends on an action, and the budget clips amounts before the
// authority pass reads them. Compilation runs in the same order (a
// playbook refers to a ladder compiled before it).
// clang-format off
inline constexpr Construct kConstructs[] = {
    // kind                     present                 compile               finish               prepare               propose               adjust
    {SourceKind::kRule,         nullptr,                nullptr,              nullptr,             nullptr,              ProposeRules,         nullptr},
    {SourceKind::kStrikeLimit,  HasStrikeLimits,        CompileStrikeLimits,  FinishStrikeLimits,  nullptr,              ProposeStrikeLimits,  nullptr},
    {SourceKind::kLadder,       HasLadders,             CompileLadders,       FinishLadders,       nullptr,              ProposeLadders,       nullptr},
    {SourceKind::kPlaybook,     HasPlaybooks,           CompilePlaybooks,     FinishPlaybooks,     nullptr,              ProposePlaybooks,     nullptr},
    {SourceKind::kServiceLevel, HasServiceLevels,       CompileServiceLevels, FinishServiceLevels, PrepareServiceLevels, ProposeServiceLevels, nullptr},
    {SourceKind::kEntitlement,  HasEntitlements,        CompileEntitlements,  nullptr,             nullptr,              nullptr,              AdjustEntitlements},
    {SourceKind::kBudget,       HasBudget,              CompileBudgets,       nullptr,             nullptr,              ProposeBudget,        AdjustBudget},
    {SourceKind::kAuthority,    HasAuthorities,         nullptr,              nullptr,             nullptr,              nullptr,              AdjustAuthority},
};
// clang-format on

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_TABLE_H_
