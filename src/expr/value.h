// The runtime value of a tact expression.
#ifndef TACT_SRC_EXPR_VALUE_H_
#define TACT_SRC_EXPR_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace tact::internal {

enum class ValueType : uint8_t {
  kError,
  kBool,
  kInt,
  kDouble,
  kString,
  kTimestamp,  // nanoseconds since the Unix epoch
  kDuration,   // nanoseconds
  kEventList,  // history or a filter over it; only size() and macros use it
};

// "bool", "int", "double", "string", "timestamp", "duration", "list(event)".
absl::string_view TypeName(ValueType type);

// A small tagged value. Strings are views into the context, the program's
// constants or the frame's arena. An error's message is in `string`.
struct Value {
  ValueType type = ValueType::kError;
  bool bool_value = false;
  int64_t int_value = 0;  // kInt, kTimestamp, kDuration (nanoseconds)
  double double_value = 0;
  absl::string_view string_value;  // kString; kError: the message

  // Inline: evaluation builds one per node visited.
  static Value Bool(bool b) {
    Value v;
    v.type = ValueType::kBool;
    v.bool_value = b;
    return v;
  }
  static Value Int(int64_t i) { return OfInt(ValueType::kInt, i); }
  static Value Double(double d) {
    Value v;
    v.type = ValueType::kDouble;
    v.double_value = d;
    return v;
  }
  static Value String(absl::string_view s) {
    return OfString(ValueType::kString, s);
  }
  static Value Timestamp(int64_t nanos) {
    return OfInt(ValueType::kTimestamp, nanos);
  }
  static Value Duration(int64_t nanos) {
    return OfInt(ValueType::kDuration, nanos);
  }
  static Value Error(absl::string_view message) {
    return OfString(ValueType::kError, message);
  }

  bool is_error() const { return type == ValueType::kError; }

 private:
  static Value OfInt(ValueType t, int64_t i) {
    Value v;
    v.type = t;
    v.int_value = i;
    return v;
  }
  static Value OfString(ValueType t, absl::string_view s) {
    Value v;
    v.type = t;
    v.string_value = s;
    return v;
  }
};

// A stable rendering for traces and parameters: ints as digits, doubles in
// shortest round-trip form, strings unquoted, timestamps RFC 3339 UTC,
// durations as "90s"/"1.5s".
std::string FormatValue(const Value& value);

// `value` as a CEL literal, for explanations that show what an operand was:
// strings quoted with C escapes ("silver", "say \"hi\""), ints as digits,
// doubles with a decimal point or exponent (12.5, 2000.0, 1e+20), true /
// false, timestamp("2026-01-05T10:00:00Z"), duration("3600s"); an error as
// "error: <message>" and a history list as "list(event)".
std::string FormatLiteral(const Value& value);

// The longest prefix of `s` of at most `max_bytes` bytes that does not cut
// a UTF-8 character.
absl::string_view Utf8Prefix(absl::string_view s, size_t max_bytes);

// `s` itself when it has at most `max_bytes` bytes; otherwise its
// Utf8Prefix followed by "… (N bytes)", N being its whole length. For
// error texts copied into flags and traces, which must stay small.
std::string AbbreviateText(absl::string_view s, size_t max_bytes);

// `s` quoted for an error message: 's' when it has at most
// kQuotedInputBytes bytes, 'its first bytes…' (N bytes) otherwise, so an
// error about a 1 MiB input is not itself 1 MiB.
inline constexpr size_t kQuotedInputBytes = 64;
std::string QuoteInput(absl::string_view s);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_VALUE_H_
