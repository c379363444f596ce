// A tact.v1.Decision as the `tact` package's Python objects, built straight
// from the C++ message: no wire format, no JSON in between.
//
// The objects are those tact/decision.py defines (Decision, RecommendedAction,
// BlockedAction, Effect, Flag, RuleTrace, Reason), registered once by that
// module. Every attribute holds exactly what decision.py used to read back
// from tact::DecisionToJson's output, so nothing a user sees changes; the
// JSON itself is printed only when asked for (DecisionMessage::ToJson).
// A Decision is made holding only its C++ message: each of its attributes
// (policy_name ... service_levels) is built on first read and cached in the
// instance, so a caller pays only for what it reads.
//
// Thread-compatible; every function here REQUIRES the GIL.

#ifndef TACT_PYTHON_DECISION_OBJECTS_H_
#define TACT_PYTHON_DECISION_OBJECTS_H_

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <utility>

#include "tact/v1/decision.pb.h"

namespace tact::python {

// The C++ decision behind a Python Decision (its `_message`). Immutable.
// When dropped, its message goes back to a small pool that
// TakeRecycledDecision hands out again, so that deciding into it reuses
// its storage.
class DecisionMessage {
 public:
  // Not recycled when dropped: it may come from elsewhere (bytes with
  // unknown fields, another program's decision).
  explicit DecisionMessage(v1::Decision decision);
  // A decision the engine wrote (DecideInto, into a TakeRecycledDecision
  // message): recycled when dropped, unless large.
  // REQUIRES: `decision` is not null.
  explicit DecisionMessage(std::unique_ptr<v1::Decision> decision)
      : decision_(std::move(decision)), recyclable_(true) {}
  ~DecisionMessage();
  DecisionMessage(const DecisionMessage&) = delete;
  DecisionMessage& operator=(const DecisionMessage&) = delete;

  const v1::Decision& decision() const { return *decision_; }
  // tact::DecisionToJson(decision, pretty).
  pybind11::str ToJson(bool pretty) const;
  // The decision in protobuf wire format.
  pybind11::bytes ToBytes() const;

 private:
  std::unique_ptr<v1::Decision> decision_;
  bool recyclable_ = false;
};

// A message to decide into (Engine::DecideInto clears it): one a dropped
// DecisionMessage left, its storage warm, or a new one. Thread-safe; does
// not need the GIL.
std::unique_ptr<v1::Decision> TakeRecycledDecision();

// Records the classes of tact/decision.py. Throws std::invalid_argument
// unless every argument is a type.
void RegisterDecisionTypes(pybind11::handle decision, pybind11::handle reason,
                           pybind11::handle recommended_action,
                           pybind11::handle blocked_action,
                           pybind11::handle effect, pybind11::handle flag,
                           pybind11::handle rule_trace);

// Records tact/decision.py's ConstructTrace class (Decision.construct_trace
// entries). Throws std::invalid_argument unless it is a plain class.
void RegisterConstructTraceType(pybind11::handle construct_trace);

// Records tact/decision.py's ServiceLevel class (Decision.service_levels
// entries). Throws std::invalid_argument unless it is a plain class.
void RegisterServiceLevelType(pybind11::handle service_level);

// A new tact.Decision holding `decision`. Throws pybind11::error_already_set
// on a Python error (e.g. MemoryError) and std::logic_error when the types
// are not registered.
pybind11::object DecisionToPython(v1::Decision decision);
// The same, keeping `decision` itself. REQUIRES: it is not null.
pybind11::object DecisionToPython(std::unique_ptr<v1::Decision> decision);

// Fills the attributes of an existing tact.Decision (for Decision(bytes)).
void FillDecision(pybind11::handle self,
                  std::shared_ptr<DecisionMessage> message);

}  // namespace tact::python

#endif  // TACT_PYTHON_DECISION_OBJECTS_H_
