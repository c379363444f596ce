// The construct table: one row per construct, in decide order.
#include "src/policy/constructs/constructs.h"

#include "src/policy/constructs/authority.h"
#include "src/policy/constructs/entitlements.h"
#include "src/policy/constructs/goodwill_budget.h"
#include "src/policy/constructs/ladder.h"
#include "src/policy/constructs/recovery_playbook.h"
#include "src/policy/constructs/strike_limit.h"
#include "src/policy/rules.h"

namespace tact::internal {
namespace {

// Rules are compiled (and their conditions ordered) with the actions by the
// plan builder, since every construct refers to both; at decision time they
// propose first.
void ProposeRules(const DecideState& state, Outcome* outcome) {
  RunRules(state.plan, state.frame, outcome, state.trace);
}

// The order is the decide order, and it is behaviour: candidates merge in
// contribution order (reasons, parameters), a playbook restages candidates
// its ladder proposed before it, the entitlement check runs before the
// budget spends on an action, and the budget clips amounts before the
// authority pass reads them. Compilation runs in the same order (a
// playbook refers to a ladder compiled before it).
// clang-format off
constexpr Construct kConstructs[] = {
    // kind                    compile              finish              propose              adjust
    {SourceKind::kRule,        nullptr,             nullptr,            ProposeRules,        nullptr},
    {SourceKind::kStrikeLimit, CompileStrikeLimits, FinishStrikeLimits, ProposeStrikeLimits, nullptr},
    {SourceKind::kLadder,      CompileLadders,      FinishLadders,      ProposeLadders,      nullptr},
    {SourceKind::kPlaybook,    CompilePlaybooks,    FinishPlaybooks,    ProposePlaybooks,    nullptr},
    {SourceKind::kEntitlement, CompileEntitlements, nullptr,            nullptr,             AdjustEntitlements},
    {SourceKind::kBudget,      CompileBudgets,      nullptr,            ProposeBudget,       AdjustBudget},
    {SourceKind::kAuthority,   nullptr,             nullptr,            nullptr,             AdjustAuthority},
};
// clang-format on

}  // namespace

absl::Span<const Construct> Constructs() { return kConstructs; }

}  // namespace tact::internal
