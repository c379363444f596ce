// Evaluating a compiled condition and saying why it did not hold.
#ifndef TACT_SRC_POLICY_CONDITION_H_
#define TACT_SRC_POLICY_CONDITION_H_

#include <string>
#include <vector>

#include "src/expr/program.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

struct ConditionResult {
  enum class Status { kTrue, kFalse, kError };
  Status status = Status::kTrue;
  // kFalse: the first conjunct (in source order) that was false.
  const Conjunct* failed = nullptr;
  // kError: what went wrong, prefixed with the conjunct's source.
  std::string error;

  bool holds() const { return status == Status::kTrue; }
};

// Evaluates the conjuncts of one condition with CEL's commutative `&&`: a
// false conjunct wins over an error in another, so the result is kFalse if
// any conjunct is false, else kError if any errored, else kTrue.
ConditionResult EvaluateCondition(const Program& program,
                                  const std::vector<Conjunct>& conjuncts,
                                  Frame& frame);

// Appends to `values` each operand of `conjunct` (Program::OperandsOf)
// with its value on `frame` (Program::OperandValue, at most
// kMaxOperandValueBytes): what a trace shows of a conjunct that was false.
// The text is charged to the frame's string budget (Frame::ChargeBytes);
// once that is exceeded no more are added, and budget_status() says so.
void AppendOperandValues(
    const Program& program, const Conjunct& conjunct, Frame& frame,
    google::protobuf::RepeatedPtrField<v1::Binding>* values);

// Cheap conjuncts first, regexes and history scans last (stable otherwise):
// a condition's result does not depend on the order, since a false conjunct
// wins over an erring one, but a regex is then only run when the cheap tests
// of its rule already hold. The trace names the first false conjunct in this
// order. Runs once the program is built.
void OrderConjuncts(const Program& program, std::vector<Conjunct>* when);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONDITION_H_
