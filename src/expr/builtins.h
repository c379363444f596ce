// The one table of tact's built-in functions and macros. The checker reads it
// to accept a call (its name, how it may be written, how many arguments, which
// argument types give which result) and the planner to lower an accepted call
// (the opcode of the chosen overload).
//
// Adding a built-in: one row in builtins.cc (with its overloads), the Op it
// lowers to (planner.h) and its implementation (builtin_functions.h) with the
// case that dispatches to it in evaluator.cc's EvalStrict.
#ifndef TACT_SRC_EXPR_BUILTINS_H_
#define TACT_SRC_EXPR_BUILTINS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/expr/planner.h"
#include "src/expr/value.h"

namespace tact::internal {

// How the checker treats a call; each kind says how its overloads are read.
enum class BuiltinKind : uint8_t {
  // Every argument is checked, then the overload whose parameters are the
  // argument types is chosen. Otherwise: "NAME() applies to <the overloads'
  // parameters>, got <the argument types>".
  kFunction,
  // As kFunction; otherwise: "cannot convert <type> to NAME".
  kConversion,
  // has(field): the argument must be a context, event or attribute field;
  // an overload per field type.
  kFieldTest,
  // matches(): the subject has params[0]'s type, the pattern (params[1]) is
  // a string literal compiled at load.
  kRegexMatch,
  // min(), max(): `arity` or more arguments of one type (ints widen to
  // double), an overload per type (params[0]) accepted.
  kVariadic,
  // duration(), timestamp(): a string literal parsed at load by
  // `parse_literal` into a constant; the call plans no node.
  kLiteral,
  // Timestamp and duration accessors: receiver.NAME() or, for a timestamp,
  // receiver.NAME(zone) where the zone is a string literal, an IANA name
  // ("Europe/London"), "UTC" or a fixed offset ("+05:30"), resolved at load
  // (CEL's civil-time getters). params[0]: the receiver.
  kZoned,
  // Business time over the policy's calendars: the overload's parameters,
  // then optionally a string literal naming a calendar (default: the
  // policy's first); the calendar must have working hours.
  kCalendar,
  // Macros over history: receiver.NAME(variable, predicate). params[0] is
  // the receiver's type, params[1] the predicate's.
  kMacro,
};

// How a call may be written (BuiltinFunction::styles is a set of these).
enum BuiltinStyle : uint8_t {
  kGlobalCall = 1,  // name(args...)
  kMethodCall = 2,  // receiver.name(args...); the receiver is argument 0
};

// What the planner makes of a call resolved to an overload.
enum class BuiltinLowering : uint8_t {
  kNode,      // a node of `op` over the arguments (a: first, b: second)
  kArgument,  // the argument itself (a conversion to its own type)
  kWiden,     // the argument converted from int to double
};

struct BuiltinOverload {
  // Parameter types, receiver first; kError marks an unused entry.
  ValueType params[2] = {ValueType::kError, ValueType::kError};
  ValueType result = ValueType::kError;
  Op op = Op::kConst;
  BuiltinLowering lowering = BuiltinLowering::kNode;

  // Parameters used, 0 to 2.
  int param_count() const {
    return params[0] == ValueType::kError   ? 0
           : params[1] == ValueType::kError ? 1
                                            : 2;
  }
};

// Parses a kLiteral built-in's argument. Returns false with `*error` set.
using LiteralParser = bool (*)(absl::string_view text, Value* value,
                               std::string* error);

struct BuiltinFunction {
  absl::string_view name;
  BuiltinKind kind = BuiltinKind::kFunction;
  uint8_t styles = kGlobalCall;  // BuiltinStyle bits
  // Arguments of a call, the receiver included; for kVariadic the fewest.
  int arity = 1;
  absl::Span<const BuiltinOverload> overloads;
  LiteralParser parse_literal = nullptr;  // kLiteral only

  bool Allows(BuiltinStyle style) const { return (styles & style) != 0; }

  // The overload whose parameters are `args`, or null.
  const BuiltinOverload* Match(absl::Span<const ValueType> args) const;

  // The overloads' parameter lists as a diagnostic states them: "string or
  // list(event)", "string and string", "int, double or duration".
  std::string Accepted() const;
};

// Every built-in, in the order unknown-name suggestions consider them.
absl::Span<const BuiltinFunction> Builtins();

// The built-in `name` callable in `style`, or null.
const BuiltinFunction* FindBuiltin(absl::string_view name, BuiltinStyle style);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_BUILTINS_H_
