// The construct seam: every construct a decision applies, in one table in
// decide order. The policy compiler, the engine and the ranker iterate it
// and name no construct.
//
// A construct has up to five steps (and says whether a policy has it):
//  - compile: at load, turns its proto messages into its part of the
//    PolicyPlan, reporting mistakes through the PolicyCompiler;
//  - finish: at load, once the expression program is built, orders the
//    conjuncts of its conditions (OrderConjuncts in condition.h);
//  - prepare: at decision time, before any row proposes, computes what
//    conditions read of it (the service levels' `sla.<target>.<fact>`,
//    Frame::SetComputed) and keeps it in the Outcome;
//  - propose: at decision time, adds candidates, holds, effects and flags
//    to the one Outcome (rows run in table order, so a later row sees what
//    earlier rows proposed: playbooks restage ladder candidates);
//  - adjust: a ranking pass over the merged actions, in rank order, after
//    holds have blocked what they hold and amounts are whole minor units.
// A null step is one the construct does not have.
//
// Adding a construct: docs/design.md.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCTS_H_
#define TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/expr/program.h"
#include "src/policy/outcome.h"
#include "src/policy/ranked.h"
#include "src/policy/rules.h"
#include "src/policy/service_clock.h"
#include "src/policy/template.h"
#include "tact/codes.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

class PolicyCompiler;
struct PolicyPlan;

// Text buffers the propose steps build reasons in, kept across decisions
// so that a steady stream of them does not allocate. Every step clears a
// buffer before use; Propose copies what it keeps.
struct ProposeBuffers {
  std::string fallback;
  std::string intro;
  std::string due;
  std::string text;
  // The ladders' contract check of a rung (the entitlement pass on one
  // action: its note says why a skipped rung is beyond the contract).
  RankScratch contract;
  // Ladder steps recorded at this decision's `now`.
  std::vector<int64_t> steps;
  // The surprise gestures a customer has had, one flag per gesture.
  std::vector<bool> had;
  // With TRACE_FULL: the history indices of the events a strike count
  // counted.
  std::vector<int32_t> counted;
  // The service levels' clock events of the case, sorted by time.
  std::vector<ClockEvent> clock_events;
  // A threshold's reason with {target}, {due}, {percent} and {within}
  // filled in.
  Template sla_reason;
  // TRACE_EVALUATED: the rules evaluated, until their entries are written.
  EvaluatedRules evaluated_rules;
};

// Everything a propose step reads while deciding, and its buffers.
struct DecideState {
  const PolicyPlan& plan;
  const v1::Context& context;
  Frame& frame;
  absl::Time now;
  // With TRACE_EVALUATED or TRACE_FULL (else null): the rules append their
  // RuleTrace entries (one per rule evaluated, or one per rule).
  google::protobuf::RepeatedPtrField<v1::RuleTrace>* trace;
  ProposeBuffers& buffers;
  // The decision's trace level (DecideOptions::trace_level, TRACE_FULL when
  // DecideOptions::trace).
  v1::TraceLevel trace_level = v1::TRACE_OFF;
  // With TRACE_FULL (else null): each construct appends its ConstructTrace.
  google::protobuf::RepeatedPtrField<v1::ConstructTrace>* construct_trace =
      nullptr;
};

// Everything an adjust step reads while ranking.
struct AdjustState {
  const PolicyPlan& plan;
  const v1::Context& context;
  const Outcome& outcome;
  // The caller's authority: an index into plan.authorities; -1 means
  // unrestricted.
  int caller_authority;
  // With TRACE_FULL (else null): each adjust-only construct (entitlements,
  // authority) and the budget append their ConstructTrace here, after the
  // propose steps' entries.
  google::protobuf::RepeatedPtrField<v1::ConstructTrace>* construct_trace =
      nullptr;
};

// One row of the seam.
struct Construct {
  // Its reasons' source kind; also names the row.
  SourceKind kind;
  // Whether the policy has this construct (null: always). The plan keeps
  // the answer (PolicyPlan::HasConstruct): a decision skips the prepare,
  // propose and adjust steps of every construct the policy does not have.
  bool (*present)(const PolicyPlan& plan);
  void (*compile)(PolicyCompiler& c);
  // REQUIRES: plan->program built.
  void (*finish)(PolicyPlan* plan);
  // Runs for every row before the first propose.
  void (*prepare)(const DecideState& state, Outcome* outcome);
  void (*propose)(const DecideState& state, Outcome* outcome);
  // REQUIRES: scratch->ranked sorted, scratch->holds grouped by action.
  // Leaves scratch->ranked sorted.
  void (*adjust)(const AdjustState& state, RankScratch* scratch);
};

// Every construct, in decide order: rules, strike limits, ladders,
// playbooks, service levels, entitlements, goodwill budget, authority. The
// table itself is kConstructs in construct_table.h.
absl::Span<const Construct> Constructs();

// Runs every row's prepare step on `state` (in table order, each under its
// construct's site), so that conditions evaluated on state.frame read the
// computed facts (`sla.<target>.<fact>`). Engine::Decide runs it before the
// first propose; why-not and ChangesFor before they evaluate conditions on
// a frame for a context.
void Prepare(const DecideState& state, Outcome* outcome);

// Prepare for `context` on `frame` (bound to `context` under plan.program),
// without a trace. Clears `outcome` first and keeps what the prepare steps
// put there.
void PrepareFrame(const PolicyPlan& plan, const v1::Context& context,
                  Frame& frame, ProposeBuffers& buffers, Outcome* outcome);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCTS_H_
