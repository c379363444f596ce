#include "src/policy/constructs/service_level.h"

namespace tact::internal {

// To be built (issue 17): each step does nothing yet.
void CompileServiceLevels(PolicyCompiler&) {}
void FinishServiceLevels(PolicyPlan*) {}
void PrepareServiceLevels(const DecideState&, Outcome*) {}
void ProposeServiceLevels(const DecideState&, Outcome*) {}

}  // namespace tact::internal
