#include "src/expr/specializer.h"

#include <cstdint>

#include "absl/strings/string_view.h"
#include "src/expr/constant_folding.h"
#include "src/expr/context_schema.h"
#include "src/expr/evaluator.h"

namespace tact::internal {
namespace {

// The EventStringField of string event field `field` (an EventFields()
// index), or -1.
int32_t EventStringCode(int32_t field) {
  const absl::string_view name = EventFields()[field].name;
  if (name == "kind") return static_cast<int32_t>(EventStringField::kKind);
  if (name == "case_id") {
    return static_cast<int32_t>(EventStringField::kCaseId);
  }
  if (name == "ref") return static_cast<int32_t>(EventStringField::kRef);
  return -1;
}

}  // namespace

// Fills program.exec: `nodes` with comparisons against a constant fused
// into one node (when `fuse`). Folded constants never fail, so evaluating
// only the other operand is equivalent; a constant on the left flips the
// comparison, which is exact for ints, strings and doubles (NaN included).
void Specialize(CompiledProgram& program, bool fuse) {
  program.exec = program.nodes;
  if (!fuse) return;
  for (size_t id = 0; id < program.nodes.size(); ++id) {
    const Node& n = program.nodes[id];
    if (n.op < Op::kEq || n.op > Op::kGe) continue;
    Value constant;
    int32_t operand;
    Op op = n.op;
    if (FoldConstant(program, n.b, &constant)) {
      operand = n.a;
    } else if (FoldConstant(program, n.a, &constant)) {
      operand = n.b;
      static constexpr Op kFlipped[] = {Op::kEq, Op::kNe, Op::kGt,
                                        Op::kGe, Op::kLt, Op::kLe};
      op = kFlipped[static_cast<int>(n.op) - static_cast<int>(Op::kEq)];
    } else {
      continue;
    }
    const Node& o = program.nodes[operand];
    Node fused = n;
    fused.constant = constant;
    fused.b = -1;
    fused.c = static_cast<int32_t>(op);
    if (o.op == Op::kSlot) {
      fused.op = Op::kCmpSlotConst;
      fused.a = o.a;
    } else if (o.op == Op::kEventField) {
      const int32_t code = EventStringCode(o.b);
      if (code >= 0 && (op == Op::kEq || op == Op::kNe)) {
        fused.op = op == Op::kEq ? Op::kEqEventString : Op::kNeEventString;
        fused.b = code;
      } else {
        fused.op = Op::kCmpEventConst;
        fused.b = o.b;
      }
      fused.a = o.a;
    } else {
      fused.op = Op::kCmpConst;
      fused.a = operand;
      // b: 1 when the operand is an operation EvalStrict computes, which
      // kCmpConst then calls directly.
      fused.b = IsStrict(o.op) ? 1 : 0;
    }
    program.exec[id] = fused;
  }
}

}  // namespace tact::internal
