// The last build step: fills CompiledProgram::exec, the nodes evaluation
// runs, with comparisons against a constant fused into single nodes.
#ifndef TACT_SRC_EXPR_SPECIALIZER_H_
#define TACT_SRC_EXPR_SPECIALIZER_H_

#include <cstdint>

#include "src/expr/planner.h"

namespace tact::internal {

// The string fields of an event that kEqEventString and kNeEventString read
// in place (their Node::b).
enum class EventStringField : int32_t { kKind = 0, kCaseId = 1, kRef = 2 };

// Fills program.exec: `nodes`, with each comparison against a constant
// fused into one node when `fuse` (else unchanged, so tests can check the
// fused forms against the general ones).
void Specialize(CompiledProgram& program, bool fuse);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_SPECIALIZER_H_
