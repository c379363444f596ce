// What would have to change in a context for a condition to come out as
// wanted: the smallest changes to context facts that make a rule's
// condition hold (so the rule fires) or not hold (so a veto lifts), for
// "why not" (Engine::WhyNot, docs/explanations.md).
//
// A comparison of a fact with a constant gives its threshold:
// `customer.spend_12m >= 50000` with a spend of 12000 gives "set
// customer.spend_12m to 50000". Conditions are solved through definitions,
// `&&`, `||` and `!` down to such tests; the comparisons of one fact are
// narrowed together (ConditionRanges), so `x >= 10 && x < 20` gives one value
// in range. Every answer is checked: the condition is evaluated again on the
// changed context before it is stated. What tact cannot solve (a regex, a
// history scan, arithmetic of two facts) is not stated, and `why` names it.
#ifndef TACT_SRC_POLICY_CONDITION_CHANGE_H_
#define TACT_SRC_POLICY_CONDITION_CHANGE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "src/expr/program.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

struct PolicyPlan;

// What would have to change for a condition to come out as wanted.
struct ConditionChanges {
  // True when the condition comes out as wanted on the context with every
  // change of `changes` applied (tact evaluated it); an empty `changes` then
  // means it already does. False when tact cannot state such a change:
  // `why` says which conjunct and why.
  bool stated = false;
  // Every change together, each of kind "set" (`field` to `value`) or
  // "clear" (`field` unset), with `text` for people: "customer.spend_12m
  // would have to be at least 50000 (it is 12000)". At most one change per
  // field, in the order the conjuncts name them.
  std::vector<v1::ContextChange> changes;
  // What stands in the way now, with the values it read:
  // "`customer.spend_12m >= 50000` was false: customer.spend_12m is 12000";
  // when not stated, why no change is stated ("`case.message.matches(...)`
  // was false: tact cannot state a change that makes a regex match").
  // Empty when the condition already comes out as wanted.
  std::string why;
};

// What would have to change in `context` for `when` (a rule's conjuncts,
// all compiled in `program`) to come out `want`: true, hold (a rule to
// fire); false, not hold (a veto to lift).
//
// want == true: every conjunct that is false (or fails) must become true;
// want == false: one conjunct must become false, the cheapest: a change
// that leaves `now` alone before one that moves it, fewer changes before
// more, then the first in condition order.
//
// The smallest change for a comparison of a settable fact (customer.*,
// case.*, `now`, attributes.<name>) with a constant: `>= c` sets c, `> c`
// the next value (c + 1 for ints and durations and timestamps, in
// nanoseconds; the next representable double), `<=` / `<` likewise,
// `== c` sets c, `in [...]` its first element the other tests allow, a bool
// fact true (or false under `!`). `!= c` keeps the fact when it differs
// already; otherwise an int moves by one, and a string is cleared (an
// attribute set to "") or, when c is "", set to "?". `has(x)` of an
// attribute or timestamp sets it (a timestamp to the context's `now`, else
// the value x's other tests need, else its type's zero) or, wanted false,
// clears it. `a ± b op c` with `a` (else `b`) settable is solved for it
// with the other side's value now: `now - case.opened_at >=
// duration("48h")` gives the time `now` would have to reach. A change never
// leaves the fact's type (an attribute keeps its declared type) nor int64's
// range (`x > 9223372036854775807` cannot hold: not stated).
//
// A computed fact (`sla.<target>.<fact>`) is never changed: a conjunct
// that must change it is not stated; one that holds already is kept as is.
//
// REQUIRES: `frame` is bound to `context` under `program` (the decision's
// frame: the values now are read through it and charged to its budget),
// and prepared (PrepareFrame, constructs.h) when the program has computed
// facts. Evaluating the changed context uses a fresh frame with the default
// budget, prepared for the changed context when `plan` is given (its
// program is `program`). Thread-compatible (uses `frame`).
ConditionChanges ChangesFor(const Program& program,
                            const std::vector<Conjunct>& when, Frame& frame,
                            const v1::Context& context, bool want,
                            const PolicyPlan* plan = nullptr);

// Applies one change of kind "set" or "clear" to `context` by its field
// path: "customer.<field>", "case.<field>" (the scalar and timestamp fields
// of context.proto, by their proto names), "now" or "attributes.<name>".
// "set" needs `value` of the field's type (an int sets a double field);
// "clear" unsets the field (proto3 default, unset timestamp, attribute
// removed). Returns InvalidArgument naming the field for an unknown path, a
// value of another type, or another kind of change (ApplyChange handles
// those).
absl::Status ApplyFieldChange(const v1::ContextChange& change,
                              v1::Context* context);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONDITION_CHANGE_H_
