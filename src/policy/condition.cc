#include "src/policy/condition.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace tact::internal {

ConditionResult EvaluateCondition(const Program& program,
                                  const std::vector<Conjunct>& conjuncts,
                                  Frame& frame) {
  ConditionResult result;
  const Conjunct* errored = nullptr;
  Value error;
  for (const Conjunct& conjunct : conjuncts) {
    Value v = program.Evaluate(conjunct.expr, frame);
    if (v.is_error()) {
      if (errored == nullptr) {
        errored = &conjunct;
        error = v;
      }
      continue;
    }
    if (!v.bool_value) {
      result.status = ConditionResult::Status::kFalse;
      result.failed = &conjunct;
      return result;
    }
  }
  if (errored != nullptr) {
    result.status = ConditionResult::Status::kError;
    result.error = absl::StrCat(errored->source, ": ", error.string_value);
  }
  return result;
}

void AppendOperandValues(
    const Program& program, const Conjunct& conjunct, Frame& frame,
    google::protobuf::RepeatedPtrField<v1::Binding>* values) {
  for (const Program::Operand& operand : program.OperandsOf(conjunct)) {
    std::string value =
        program.OperandValue(operand.expr, frame, kMaxOperandValueBytes);
    if (!frame.ChargeBytes(
            static_cast<int64_t>(operand.source.size() + value.size()),
            "the values of a trace")) {
      return;
    }
    v1::Binding* binding = values->Add();
    binding->set_expression(operand.source);
    binding->set_value(std::move(value));
  }
}

void OrderConjuncts(const Program& program, std::vector<Conjunct>* when) {
  std::stable_partition(when->begin(), when->end(), [&](const Conjunct& c) {
    return !program.IsCostly(c.expr);
  });
}

}  // namespace tact::internal
