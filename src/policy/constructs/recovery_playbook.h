// Apology-first recovery playbooks: the construct seam's steps.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_RECOVERY_PLAYBOOK_H_
#define TACT_SRC_POLICY_CONSTRUCTS_RECOVERY_PLAYBOOK_H_

#include "src/policy/constructs/constructs.h"

namespace tact::internal {

// Compiles policy.playbooks into plan.playbooks.
// REQUIRES: the ladders compiled (a playbook names its compensation ladder).
void CompilePlaybooks(PolicyCompiler& c);

// Orders the conjuncts of each playbook's `when`.
void FinishPlaybooks(PolicyPlan* plan);

// Whether the policy has recovery playbooks.
bool HasPlaybooks(const PolicyPlan& plan);

// Staged apology, fix, surprise and compensation (PlaybookStage); the
// surprise is a gesture the customer has not had (from the history's
// `surprise` events), with the `surprise` effect; the
// `recovery_window_missed` flag past the fix deadline. Restages the
// compensation ladder's candidates, so it runs after ProposeLadders.
void ProposePlaybooks(const DecideState& state, Outcome* outcome);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_RECOVERY_PLAYBOOK_H_
