// Running a policy's rules over one context: collect semantics with
// optional `final` rules.
#ifndef TACT_SRC_POLICY_RULES_H_
#define TACT_SRC_POLICY_RULES_H_

#include <string>
#include <vector>

#include "src/expr/program.h"
#include "src/policy/outcome.h"
#include "src/policy/plan.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// What TRACE_EVALUATED records while the rules run, so that no entry is
// written (nor a string copied) until they all have, and then in policy
// order without a sort. Kept across decisions (ProposeBuffers): a warm one
// does not allocate.
struct EvaluatedRules {
  // A Rule's `result` when the rule held and contributed, and when it held
  // but a `final` rule of higher priority had fired; otherwise it is the
  // index in the rule's `when` of its first false conjunct, or
  // RuleIndex::kErred.
  static constexpr int kFired = -10;
  static constexpr int kShadowed = -11;
  struct Rule {
    int rule = 0;  // position in plan.rules
    int result = kFired;
    int error = -1;  // into `errors`; -1: none
  };
  // Bit p: the rule at policy position p was evaluated, by_position[p] says
  // how it went.
  RuleBits listed;
  std::vector<Rule> by_position;
  // A condition's error (kErred), a recommendation's parameter error (a
  // rule that fired): rare.
  std::vector<std::string> errors;
};

// Evaluates every rule in plan order (priority descending, then policy
// order). Each rule whose condition holds adds a Candidate per recommended
// action and a Hold per vetoed action to `outcome`. Once a `final` rule has
// fired at priority p, rules of priority < p contribute nothing
// ("shadowed"); they are evaluated only when tracing, so that the trace
// says whether they held.
//
// When `trace` is not null (TRACE_FULL), appends one RuleTrace per rule in
// policy order. Without, runs RunIndexedRules.
void RunRules(const PolicyPlan& plan, Frame& frame, Outcome* outcome,
              google::protobuf::RepeatedPtrField<v1::RuleTrace>* trace);

// The same decision as RunRules, evaluating only the rules the rule index
// leaves (RuleIndex::Candidates) and skipping those a `final` rule shadows.
//
// When `evaluated` is not null (TRACE_EVALUATED), it also evaluates the
// shadowed candidates and appends to `trace` one RuleTrace per candidate, in
// policy order, each equal to the full trace's entry for that rule apart
// from operand values; rules the index left out have no entry.
void RunIndexedRules(const PolicyPlan& plan, Frame& frame, Outcome* outcome,
                     EvaluatedRules* evaluated,
                     google::protobuf::RepeatedPtrField<v1::RuleTrace>* trace);

// The score factor of each action (index-aligned with plan.actions): the
// product of the factors of every score modifier that applies to it and
// whose condition holds. A modifier whose condition or factor fails to
// evaluate, or whose factor is negative or not finite, does not apply.
//
// REQUIRES: every entry of `*factors` is 1.0 (it is grown to the
// catalogue's size with 1.0). Multiplies in the factors, appending each
// action it changes to `*touched`; ResetScoreFactors restores the 1.0s, so
// the work is proportional to the modifiers, not the catalogue.
void ScoreFactors(const PolicyPlan& plan, Frame& frame,
                  std::vector<double>* factors, std::vector<int>* touched);
void ResetScoreFactors(std::vector<double>* factors, std::vector<int>* touched);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_RULES_H_
