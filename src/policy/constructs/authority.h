// Authority (what a caller may do alone): the construct seam's step.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_AUTHORITY_H_
#define TACT_SRC_POLICY_CONSTRUCTS_AUTHORITY_H_

#include "src/policy/constructs/constructs.h"

namespace tact::internal {

// Sets required_authority, with a note, on actions the caller may not take
// alone. Authorities are compiled with the actions (plan.authorities), which
// refer to them.
void AdjustAuthority(const AdjustState& state, RankScratch* scratch);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_AUTHORITY_H_
