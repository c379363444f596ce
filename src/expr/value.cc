#include "src/expr/value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/common.h"

namespace tact::internal {

absl::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kError:
      return "error";
    case ValueType::kBool:
      return "bool";
    case ValueType::kInt:
      return "int";
    case ValueType::kDouble:
      return "double";
    case ValueType::kString:
      return "string";
    case ValueType::kTimestamp:
      return "timestamp";
    case ValueType::kDuration:
      return "duration";
    case ValueType::kEventList:
      return "list(event)";
  }
  return "error";
}

namespace {

// The shortest "%.*g" rendering that parses back to exactly `d`.
std::string FormatDouble(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[400];
  int precision = 1;
  for (; precision < 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::snprintf(buf, sizeof(buf), "%.*g", precision, d);
  // Plain decimal notation for everyday magnitudes ("2000", not "2e+03").
  const double magnitude = std::fabs(d);
  if (d == 0 || (magnitude >= 1e-5 && magnitude < 1e15)) {
    const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
    const int decimals = d == 0 ? 0 : std::max(0, precision - 1 - exponent);
    char fixed[400];
    std::snprintf(fixed, sizeof(fixed), "%.*f", decimals, d);
    if (std::strtod(fixed, nullptr) == d) return fixed;
  }
  return buf;
}

// "90s", "1.5s", "-0.000000001s": seconds with the fraction trimmed.
std::string FormatDuration(int64_t nanos) {
  std::string out;
  uint64_t magnitude = static_cast<uint64_t>(nanos);
  if (nanos < 0) {
    out = "-";
    magnitude = 0 - magnitude;
  }
  absl::StrAppend(&out, magnitude / 1000000000);
  uint64_t frac = magnitude % 1000000000;
  if (frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%09llu",
                  static_cast<unsigned long long>(frac));
    std::string digits(buf);
    digits.erase(digits.find_last_not_of('0') + 1);
    absl::StrAppend(&out, ".", digits);
  }
  out.push_back('s');
  return out;
}

// A CEL double-quoted string literal of `s`: backslash, double quote,
// control bytes and bytes that are not UTF-8 escaped, the rest as is.
std::string QuoteString(absl::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      size_t n = 2;
      while (n <= 4 && !(i + n <= s.size() &&
                         google::protobuf::internal::IsStructurallyValidUTF8(
                             s.data() + i, static_cast<int>(n)))) {
        ++n;
      }
      if (n <= 4) {
        out.append(s.data() + i, n);
        i += n - 1;
      } else {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\x%02x",
                      static_cast<unsigned char>(c));
        out += buf;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x",
                        static_cast<unsigned char>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::string FormatValue(const Value& value) {
  switch (value.type) {
    case ValueType::kError:
      return absl::StrCat("error: ", value.string_value);
    case ValueType::kBool:
      return value.bool_value ? "true" : "false";
    case ValueType::kInt:
      return absl::StrCat(value.int_value);
    case ValueType::kDouble:
      return FormatDouble(value.double_value);
    case ValueType::kString:
      return std::string(value.string_value);
    case ValueType::kTimestamp:
      return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ",
                              absl::FromUnixNanos(value.int_value),
                              absl::UTCTimeZone());
    case ValueType::kDuration:
      return FormatDuration(value.int_value);
    case ValueType::kEventList:
      return "list(event)";
  }
  return "";
}

std::string FormatLiteral(const Value& value) {
  switch (value.type) {
    case ValueType::kString:
      return QuoteString(value.string_value);
    case ValueType::kDouble: {
      const double d = value.double_value;
      if (std::isnan(d)) return "double(\"NaN\")";
      if (std::isinf(d))
        return d > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")";
      std::string text = FormatDouble(d);
      // CEL reads digits alone as an int.
      if (text.find_first_of(".e") == std::string::npos) text += ".0";
      return text;
    }
    case ValueType::kTimestamp:
    case ValueType::kDuration:
      return absl::StrCat(
          value.type == ValueType::kTimestamp ? "timestamp" : "duration", "(\"",
          FormatValue(value), "\")");
    default:
      return FormatValue(value);
  }
}

absl::string_view Utf8Prefix(absl::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  // Back off continuation bytes (10xxxxxx) to the start of a character.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string AbbreviateText(absl::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  return absl::StrCat(Utf8Prefix(s, max_bytes), "\u2026 (", s.size(),
                      " bytes)");
}

std::string QuoteInput(absl::string_view s) {
  if (s.size() <= kQuotedInputBytes) return absl::StrCat("'", s, "'");
  return absl::StrCat("'", Utf8Prefix(s, kQuotedInputBytes), "\u2026' (",
                      s.size(), " bytes)");
}

}  // namespace tact::internal
