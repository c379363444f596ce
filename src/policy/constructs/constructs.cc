// The construct table's out-of-line parts.
#include <iterator>

#include "src/policy/constructs/common.h"
#include "src/policy/constructs/construct_table.h"
#include "src/policy/plan.h"
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

void Prepare(const DecideState& state, Outcome* outcome) {
  for (size_t i = 0; i < std::size(kConstructs); ++i) {
    const Construct& construct = kConstructs[i];
    if (construct.prepare == nullptr || !state.plan.HasConstruct(i)) continue;
    state.frame.SetSite(Name(construct.kind), "");
    construct.prepare(state, outcome);
  }
}

void PrepareFrame(const PolicyPlan& plan, const v1::Context& context,
                  Frame& frame, ProposeBuffers& buffers, Outcome* outcome) {
  outcome->Clear();
  const DecideState state{plan,    context, frame, ToTime(context.now()),
                          nullptr, buffers};
  Prepare(state, outcome);
}

}  // namespace tact::internal
