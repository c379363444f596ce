#include "src/expr/constant_folding.h"

#include <cstdint>
#include <limits>

namespace tact::internal {

bool FoldConstant(const CompiledProgram& program, int32_t id, Value* out) {
  const Node& n = program.nodes[id];
  switch (n.op) {
    case Op::kConst:
      *out = n.constant;
      return true;
    case Op::kIntToDouble:
    case Op::kNegInt:
    case Op::kNegDouble: {
      Value v;
      if (!FoldConstant(program, n.a, &v)) return false;
      if (n.op == Op::kIntToDouble) {
        *out = Value::Double(static_cast<double>(v.int_value));
      } else if (n.op == Op::kNegDouble) {
        *out = Value::Double(-v.double_value);
      } else if (v.int_value == std::numeric_limits<int64_t>::min()) {
        return false;
      } else {
        *out = Value::Int(-v.int_value);
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tact::internal
