#include "src/compiler/value.h"

#include <string>

namespace tact::internal {

absl::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kError: return "error";
    case ValueType::kBool: return "bool";
    case ValueType::kInt: return "int";
    case ValueType::kDouble: return "double";
    case ValueType::kString: return "string";
    case ValueType::kTimestamp: return "timestamp";
    case ValueType::kDuration: return "duration";
    case ValueType::kEventList: return "list(event)";
  }
  return "error";
}

Value Value::Bool(bool b) { Value v; v.type = ValueType::kBool; v.bool_value = b; return v; }
Value Value::Int(int64_t i) { Value v; v.type = ValueType::kInt; v.int_value = i; return v; }
Value Value::Double(double d) { Value v; v.type = ValueType::kDouble; v.double_value = d; return v; }
Value Value::String(absl::string_view s) { Value v; v.type = ValueType::kString; v.string_value = s; return v; }
Value Value::Timestamp(int64_t n) { Value v; v.type = ValueType::kTimestamp; v.int_value = n; return v; }
Value Value::Duration(int64_t n) { Value v; v.type = ValueType::kDuration; v.int_value = n; return v; }
Value Value::Error(absl::string_view m) { Value v; v.type = ValueType::kError; v.string_value = m; return v; }

// FormatValue: the compiler stage owns the full implementation.
std::string FormatValue(const Value& value);

}  // namespace tact::internal
