// Authority (what a caller may do alone): the construct seam's step.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_AUTHORITY_H_
#define TACT_SRC_POLICY_CONSTRUCTS_AUTHORITY_H_

#include "absl/strings/string_view.h"
#include "src/policy/constructs/constructs.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

// Whether the policy declares authorities.
bool HasAuthorities(const PolicyPlan& plan);

// Sets required_authority, with a note, on actions the caller may not take
// alone. Authorities are compiled with the actions (plan.authorities), which
// refer to them.
void AdjustAuthority(const AdjustState& state, RankScratch* scratch);

// Reports limits of `a` (compiled into `action`) that decrease with
// authority, where a higher authority could grant less alone than a lower
// one, and an authority limited twice. An authority without a limit has
// none: below a limited one, from the action's own authority up, that is a
// decrease too. `path` and `element` name the action.
void CheckAuthorityLimits(PolicyCompiler& c, const v1::Action& a,
                          const ActionPlan& action, absl::string_view path,
                          absl::string_view element);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_AUTHORITY_H_
