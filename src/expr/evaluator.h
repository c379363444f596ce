// The evaluator runs a Program's planned nodes over a Frame; its entry point
// is Program::Evaluate (program.h), defined in evaluator.cc. This header
// exposes what the build step needs to know about its dispatch.
#ifndef TACT_SRC_EXPR_EVALUATOR_H_
#define TACT_SRC_EXPR_EVALUATOR_H_

#include "src/expr/planner.h"

namespace tact::internal {

// Whether the evaluator computes `op` in its strict path (every operand
// evaluated, the first error returned), which a fused kCmpConst node may call
// directly on its operand.
bool IsStrict(Op op);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_EVALUATOR_H_
