// What a Program holds, for the files that build it (program_builder.cc),
// bind a Frame to it (frame.cc), evaluate it (evaluator.cc) and inspect it
// (program.cc).
#ifndef TACT_SRC_EXPR_PROGRAM_IMPL_H_
#define TACT_SRC_EXPR_PROGRAM_IMPL_H_

#include <memory>

#include "src/expr/planner.h"
#include "src/expr/program.h"

namespace tact::internal {

struct Program::Impl {
  std::unique_ptr<CompiledProgram> program;
};

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_PROGRAM_IMPL_H_
