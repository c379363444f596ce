// Recursive-descent parser for tact's CEL subset, with CEL's precedence:
//   ?:  <  ||  <  &&  <  == != < <= > >= in  <  + -  <  * / %  <  ! -
//   <  member . / call / index.
// Binary operators associate to the left; ?: associates to the right.
#ifndef TACT_SRC_EXPR_PARSER_H_
#define TACT_SRC_EXPR_PARSER_H_

#include <memory>

#include "absl/strings/string_view.h"
#include "src/expr/ast.h"
#include "src/expr/program.h"

namespace tact::internal {

// Parses `source`. Returns null and sets `*diagnostic` on the first error:
// a lexical error, an unexpected token, trailing input, a source longer than
// `limits.max_expression_bytes`, or a tree deeper than
// `limits.max_nesting_depth` (the depth counts every operator, call and
// parenthesis level, so `a && b && c` has depth 3).
std::unique_ptr<Expr> Parse(absl::string_view source,
                            const ProgramLimits& limits,
                            ExprDiagnostic* diagnostic);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_PARSER_H_
