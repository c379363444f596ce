#include "src/expr/builtins.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/expr/checker.h"

namespace tact::internal {
namespace {

using T = ValueType;
using L = BuiltinLowering;

// --- Implementations of the kLiteral built-ins (run at load) ---

bool DurationLiteral(absl::string_view text, Value* value, std::string* error) {
  int64_t nanos;
  if (!ParseDurationLiteral(text, &nanos, error)) return false;
  *value = Value::Duration(nanos);
  return true;
}

bool TimestampLiteral(absl::string_view text, Value* value,
                      std::string* error) {
  int64_t nanos;
  if (!ParseTimestampLiteral(text, &nanos, error)) return false;
  *value = Value::Timestamp(nanos);
  return true;
}

// --- Overloads: {{parameters}, result, op[, lowering]} ---

const BuiltinOverload kSize[] = {
    {{T::kString}, T::kInt, Op::kSizeString},
    {{T::kEventList}, T::kInt, Op::kSizeList},
};
// has() tests a field of any type.
const BuiltinOverload kHas[] = {
    {{T::kBool}, T::kBool, Op::kHas},      {{T::kInt}, T::kBool, Op::kHas},
    {{T::kDouble}, T::kBool, Op::kHas},    {{T::kString}, T::kBool, Op::kHas},
    {{T::kTimestamp}, T::kBool, Op::kHas}, {{T::kDuration}, T::kBool, Op::kHas},
};
const BuiltinOverload kContains[] = {
    {{T::kString, T::kString}, T::kBool, Op::kContains},
};
const BuiltinOverload kStartsWith[] = {
    {{T::kString, T::kString}, T::kBool, Op::kStartsWith},
};
const BuiltinOverload kEndsWith[] = {
    {{T::kString, T::kString}, T::kBool, Op::kEndsWith},
};
const BuiltinOverload kMatches[] = {
    {{T::kString, T::kString}, T::kBool, Op::kMatches},
};
const BuiltinOverload kLowerAscii[] = {
    {{T::kString}, T::kString, Op::kLowerAscii},
};
const BuiltinOverload kMin[] = {
    {{T::kInt}, T::kInt, Op::kMin},
    {{T::kDouble}, T::kDouble, Op::kMin},
    {{T::kString}, T::kString, Op::kMin},
    {{T::kTimestamp}, T::kTimestamp, Op::kMin},
    {{T::kDuration}, T::kDuration, Op::kMin},
};
const BuiltinOverload kMax[] = {
    {{T::kInt}, T::kInt, Op::kMax},
    {{T::kDouble}, T::kDouble, Op::kMax},
    {{T::kString}, T::kString, Op::kMax},
    {{T::kTimestamp}, T::kTimestamp, Op::kMax},
    {{T::kDuration}, T::kDuration, Op::kMax},
};
const BuiltinOverload kAbs[] = {
    {{T::kInt}, T::kInt, Op::kAbsInt},
    {{T::kDouble}, T::kDouble, Op::kAbsDouble},
    {{T::kDuration}, T::kDuration, Op::kAbsDuration},
};
const BuiltinOverload kInt[] = {
    {{T::kInt}, T::kInt, Op::kConst, L::kArgument},
    {{T::kDouble}, T::kInt, Op::kDoubleToInt},
    {{T::kString}, T::kInt, Op::kStringToInt},
    {{T::kTimestamp}, T::kInt, Op::kTimestampToInt},
};
const BuiltinOverload kDouble[] = {
    {{T::kInt}, T::kDouble, Op::kIntToDouble, L::kWiden},
    {{T::kDouble}, T::kDouble, Op::kConst, L::kArgument},
    {{T::kString}, T::kDouble, Op::kStringToDouble},
};
const BuiltinOverload kString[] = {
    {{T::kBool}, T::kString, Op::kToString},
    {{T::kInt}, T::kString, Op::kToString},
    {{T::kDouble}, T::kString, Op::kToString},
    {{T::kString}, T::kString, Op::kConst, L::kArgument},
    {{T::kTimestamp}, T::kString, Op::kToString},
    {{T::kDuration}, T::kString, Op::kToString},
};
const BuiltinOverload kDuration[] = {
    {{T::kString}, T::kDuration, Op::kConst},
};
const BuiltinOverload kTimestamp[] = {
    {{T::kString}, T::kTimestamp, Op::kConst},
};
const BuiltinOverload kExists[] = {
    {{T::kEventList, T::kBool}, T::kBool, Op::kExists},
};
const BuiltinOverload kAll[] = {
    {{T::kEventList, T::kBool}, T::kBool, Op::kAll},
};
const BuiltinOverload kExistsOne[] = {
    {{T::kEventList, T::kBool}, T::kBool, Op::kExistsOne},
};
const BuiltinOverload kFilter[] = {
    {{T::kEventList, T::kBool}, T::kEventList, Op::kFilter},
};
const BuiltinOverload kCount[] = {
    {{T::kEventList, T::kBool}, T::kInt, Op::kCount},
};

// Timestamp accessors take an optional zone (kZoned); durations none.
const BuiltinOverload kGetFullYear[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetFullYear},
};
const BuiltinOverload kGetMonth[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetMonth},
};
const BuiltinOverload kGetDate[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetDate},
};
const BuiltinOverload kGetDayOfMonth[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetDayOfMonth},
};
const BuiltinOverload kGetDayOfWeek[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetDayOfWeek},
};
const BuiltinOverload kGetDayOfYear[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetDayOfYear},
};
const BuiltinOverload kGetHours[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetHours},
    {{T::kDuration}, T::kInt, Op::kDurationHours},
};
const BuiltinOverload kGetMinutes[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetMinutes},
    {{T::kDuration}, T::kInt, Op::kDurationMinutes},
};
const BuiltinOverload kGetSeconds[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetSeconds},
    {{T::kDuration}, T::kInt, Op::kDurationSeconds},
};
const BuiltinOverload kGetMilliseconds[] = {
    {{T::kTimestamp}, T::kInt, Op::kGetMilliseconds},
    {{T::kDuration}, T::kInt, Op::kDurationMilliseconds},
};
// Business time; the calendar literal is not a parameter (kCalendar).
const BuiltinOverload kInBusinessHours[] = {
    {{T::kTimestamp}, T::kBool, Op::kInBusinessHours},
};
const BuiltinOverload kBusinessDuration[] = {
    {{T::kTimestamp, T::kTimestamp}, T::kDuration, Op::kBusinessDuration},
};

// The cost of service already spent on the customer (service_cost events).
const BuiltinOverload kServiceCost[] = {
    {{T::kDuration}, T::kInt, Op::kServiceCost},
};

using K = BuiltinKind;
constexpr uint8_t kGlobal = kGlobalCall;
constexpr uint8_t kMethod = kMethodCall;
constexpr uint8_t kEither = kGlobalCall | kMethodCall;

// {name, kind, styles, arity (receiver included; for kZoned and kCalendar
// without the optional literal), overloads[, parser]}
const BuiltinFunction kBuiltins[] = {
    {"size", K::kFunction, kEither, 1, kSize},
    {"has", K::kFieldTest, kGlobal, 1, kHas},
    {"contains", K::kFunction, kMethod, 2, kContains},
    {"startsWith", K::kFunction, kMethod, 2, kStartsWith},
    {"endsWith", K::kFunction, kMethod, 2, kEndsWith},
    {"matches", K::kRegexMatch, kEither, 2, kMatches},
    {"lowerAscii", K::kFunction, kMethod, 1, kLowerAscii},
    {"min", K::kVariadic, kGlobal, 2, kMin},
    {"max", K::kVariadic, kGlobal, 2, kMax},
    {"abs", K::kFunction, kGlobal, 1, kAbs},
    {"int", K::kConversion, kGlobal, 1, kInt},
    {"double", K::kConversion, kGlobal, 1, kDouble},
    {"string", K::kConversion, kGlobal, 1, kString},
    {"duration", K::kLiteral, kGlobal, 1, kDuration, DurationLiteral},
    {"timestamp", K::kLiteral, kGlobal, 1, kTimestamp, TimestampLiteral},
    {"getFullYear", K::kZoned, kMethod, 1, kGetFullYear},
    {"getMonth", K::kZoned, kMethod, 1, kGetMonth},
    {"getDate", K::kZoned, kMethod, 1, kGetDate},
    {"getDayOfMonth", K::kZoned, kMethod, 1, kGetDayOfMonth},
    {"getDayOfWeek", K::kZoned, kMethod, 1, kGetDayOfWeek},
    {"getDayOfYear", K::kZoned, kMethod, 1, kGetDayOfYear},
    {"getHours", K::kZoned, kMethod, 1, kGetHours},
    {"getMinutes", K::kZoned, kMethod, 1, kGetMinutes},
    {"getSeconds", K::kZoned, kMethod, 1, kGetSeconds},
    {"getMilliseconds", K::kZoned, kMethod, 1, kGetMilliseconds},
    {"inBusinessHours", K::kCalendar, kGlobal, 1, kInBusinessHours},
    {"businessDuration", K::kCalendar, kGlobal, 2, kBusinessDuration},
    {"serviceCost", K::kFunction, kGlobal, 1, kServiceCost},
    {"exists", K::kMacro, kMethod, 3, kExists},
    {"all", K::kMacro, kMethod, 3, kAll},
    {"exists_one", K::kMacro, kMethod, 3, kExistsOne},
    {"filter", K::kMacro, kMethod, 3, kFilter},
    {"count", K::kMacro, kMethod, 3, kCount},
};

}  // namespace

const BuiltinOverload* BuiltinFunction::Match(
    absl::Span<const ValueType> args) const {
  for (const BuiltinOverload& o : overloads) {
    if (static_cast<size_t>(o.param_count()) != args.size()) continue;
    bool match = true;
    for (size_t i = 0; i < args.size(); ++i) {
      if (o.params[i] != args[i]) match = false;
    }
    if (match) return &o;
  }
  return nullptr;
}

std::string BuiltinFunction::Accepted() const {
  std::vector<std::string> lists;
  for (const BuiltinOverload& o : overloads) {
    std::vector<absl::string_view> params;
    for (int i = 0; i < o.param_count(); ++i) {
      params.push_back(TypeName(o.params[i]));
    }
    lists.push_back(absl::StrJoin(params, " and "));
  }
  if (lists.size() <= 1) return absl::StrJoin(lists, "");
  const std::string last = lists.back();
  lists.pop_back();
  return absl::StrCat(absl::StrJoin(lists, ", "), " or ", last);
}

absl::Span<const BuiltinFunction> Builtins() { return kBuiltins; }

const BuiltinFunction* FindBuiltin(absl::string_view name, BuiltinStyle style) {
  for (const BuiltinFunction& f : kBuiltins) {
    if (f.name == name && f.Allows(style)) return &f;
  }
  return nullptr;
}

}  // namespace tact::internal
