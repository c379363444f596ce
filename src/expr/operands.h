// Finding the operands of a condition's conjuncts and definition bodies when
// they are compiled (Program::OperandsOf): the sub-expressions whose values
// explain why the condition was false, with their source text.
#ifndef TACT_SRC_EXPR_OPERANDS_H_
#define TACT_SRC_EXPR_OPERANDS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "src/expr/ast.h"
#include "src/expr/planner.h"
#include "src/expr/program.h"

namespace tact::internal {

// Appends to `*out` the operands of `expr` (checked, and planned by
// `planner`, which gives each operand its node again), as
// Program::OperandsOf documents them, up to kMaxOperands in all. `source`
// is the text `expr`'s byte ranges index.
void CollectOperands(const Expr& expr, absl::string_view source,
                     Planner& planner, std::vector<Program::Operand>* out);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_OPERANDS_H_
