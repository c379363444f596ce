// The construct table's out-of-line parts.
#include "src/policy/constructs/construct_table.h"
#include "src/policy/rules.h"

namespace tact::internal {

void ProposeRules(const DecideState& state, Outcome* outcome) {
  if (state.trace_level == v1::TRACE_EVALUATED) {
    RunIndexedRules(state.plan, state.frame, outcome,
                    &state.buffers.evaluated_rules, state.trace);
    return;
  }
  RunRules(state.plan, state.frame, outcome, state.trace);
}

absl::Span<const Construct> Constructs() { return kConstructs; }

}  // namespace tact::internal
