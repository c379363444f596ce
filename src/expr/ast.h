// The syntax tree of one expression, as the parser builds it and the checker
// annotates it. Load-time only: evaluation runs on planned nodes.
#ifndef TACT_SRC_EXPR_AST_H_
#define TACT_SRC_EXPR_AST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "src/common/business_calendar.h"
#include "src/expr/program.h"
#include "src/expr/value.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace tact::internal {

struct BuiltinFunction;
struct BuiltinOverload;

enum class ExprKind : uint8_t {
  kBool,     // bool_value
  kInt,      // int_value
  kDouble,   // double_value
  kString,   // string_value
  kIdent,    // name
  kSelect,   // children[0].name
  kIndex,    // children[0][children[1]]
  kCall,     // name(children...) or, when has_receiver, children[0].name(rest)
  kUnary,    // op children[0]; op is "!" or "-"
  kBinary,   // children[0] op children[1]
  kTernary,  // children[0] ? children[1] : children[2]
  kList,     // [children...]
};

// What the checker resolved a node to; the planner lowers by it.
enum class Resolution : uint8_t {
  kNone,
  kContextField,  // ref: index into ContextFields()
  kEventField,    // ref: index into EventFields(); loop_depth: variable
  kAttribute,     // ref: attribute index; name: attribute name
  kComputed,      // ref: computed fact index (ProgramBuilder::DeclareComputed)
  kDefinition,    // ref: definition index
  kHistory,
  kBuiltin,   // builtin, overload: which function or macro, which overload
  kConstant,  // constant: folded value (duration / timestamp literals)
};

struct Expr {
  ExprKind kind = ExprKind::kBool;
  // The node's principal token, where diagnostics about it point: the
  // operator of a unary, binary or ternary ('?') node, the field name of a
  // selection, the function name of a call, '[' of an index, else the first
  // token.
  ExprLocation location;
  // Byte range of the expression in its source.
  size_t begin = 0;
  size_t end = 0;
  // Height of the tree rooted here (a leaf is 1).
  int depth = 1;

  bool bool_value = false;
  int64_t int_value = 0;
  double double_value = 0;
  std::string string_value;
  // Identifier, field, function or operator name.
  std::string name;
  bool has_receiver = false;
  std::vector<std::unique_ptr<Expr>> children;

  // Set by the checker.
  ValueType type = ValueType::kError;
  Resolution resolution = Resolution::kNone;
  // For calls: the row of Builtins() called and the overload chosen.
  const BuiltinFunction* builtin = nullptr;
  const BuiltinOverload* overload = nullptr;
  int32_t ref = -1;
  // For macros: the nesting depth of their loop variable; for event fields:
  // the depth of the variable they read.
  int32_t loop_depth = -1;
  Value constant;
  std::shared_ptr<const re2::RE2> regex;
  // For timestamp accessors: the time zone (UTC unless one is named). For
  // business-time functions: the calendar (the catalog's, valid at load).
  absl::TimeZone zone = absl::UTCTimeZone();
  const BusinessCalendar* calendar = nullptr;
};

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_AST_H_
