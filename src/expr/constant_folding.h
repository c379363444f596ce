// Which planned nodes are constants, for the build step's fusing of
// comparisons (specializer.cc) and the load-time queries of program.cc.
#ifndef TACT_SRC_EXPR_CONSTANT_FOLDING_H_
#define TACT_SRC_EXPR_CONSTANT_FOLDING_H_

#include <cstdint>

#include "src/expr/planner.h"
#include "src/expr/value.h"

namespace tact::internal {

// When node `id` of `program` is constant -- a literal, a negated literal
// (not the one int whose negation overflows) or an int literal made double --
// sets `*out` to its value and returns true.
bool FoldConstant(const CompiledProgram& program, int32_t id, Value* out);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_CONSTANT_FOLDING_H_
