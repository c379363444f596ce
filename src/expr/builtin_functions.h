// What each built-in function computes once its arguments are evaluated: the
// implementations behind the opcodes that builtins.h's table lowers calls to.
// The evaluator dispatches to them by opcode; they are inline so the dispatch
// costs no call. Built-ins that decide which arguments to evaluate (has, min,
// max, size of a list, the macros) are evaluator control flow and live in
// evaluator.cc.
#ifndef TACT_SRC_EXPR_BUILTIN_FUNCTIONS_H_
#define TACT_SRC_EXPR_BUILTIN_FUNCTIONS_H_

#include <string.h>  // memmem (glibc, GNU)

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "re2/re2.h"
#include "src/common/business_calendar.h"
#include "src/expr/frame_state.h"
#include "src/expr/value.h"

namespace tact::internal {

// Messages of an arithmetic result outside int64 nanoseconds or int64, shared
// with the operators in evaluator.cc.
inline constexpr absl::string_view kIntOverflow = "int overflow";
inline constexpr absl::string_view kDurationOverflow = "duration overflow";
inline constexpr absl::string_view kTimestampOverflow = "timestamp overflow";

namespace builtin {

// size(string): code points, as CEL: count the bytes that start a sequence.
inline Value SizeOfString(absl::string_view s) {
  int64_t count = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return Value::Int(count);
}

// Linear in |s| + |part| whatever both hold: glibc's memmem is the two-way
// algorithm (std::boyer_moore_searcher's table setup is quadratic in a
// repetitive `part`, e.g. 1 MiB of 'a' then 'y').
inline Value Contains(absl::string_view s, absl::string_view part) {
  if (part.size() > s.size()) return Value::Bool(false);
  if (part.empty()) return Value::Bool(true);
  return Value::Bool(memmem(s.data(), s.size(), part.data(), part.size()) !=
                     nullptr);
}

inline Value StartsWith(absl::string_view s, absl::string_view prefix) {
  return Value::Bool(absl::StartsWith(s, prefix));
}

inline Value EndsWith(absl::string_view s, absl::string_view suffix) {
  return Value::Bool(absl::EndsWith(s, suffix));
}

// matches(): RE2 partial match against the pattern compiled at load.
inline Value Matches(absl::string_view s, const RE2& regex) {
  return Value::Bool(
      RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), regex));
}

inline Value LowerAscii(absl::string_view s, FrameState& frame) {
  return Value::String(frame.Keep(absl::AsciiStrToLower(std::string(s))));
}

inline Value AbsInt(int64_t i) {
  if (i == std::numeric_limits<int64_t>::min()) {
    return Value::Error(kIntOverflow);
  }
  return Value::Int(i < 0 ? -i : i);
}

inline Value AbsDouble(double d) { return Value::Double(std::fabs(d)); }

inline Value AbsDuration(int64_t nanos) {
  if (nanos == std::numeric_limits<int64_t>::min()) {
    return Value::Error(kDurationOverflow);
  }
  return Value::Duration(nanos < 0 ? -nanos : nanos);
}

// double(int), and every int operand widened to double.
inline Value IntToDouble(int64_t i) {
  return Value::Double(static_cast<double>(i));
}

// int(double): truncates toward zero.
inline Value DoubleToInt(double d) {
  // 2^63 is exactly representable; every double below it fits.
  if (!(d > -9223372036854775808.0 - 1024 && d < 9223372036854775808.0) ||
      std::isnan(d)) {
    return Value::Error("double out of int range");
  }
  double t = std::trunc(d);
  if (t < -9223372036854775808.0)
    return Value::Error("double out of int range");
  return Value::Int(static_cast<int64_t>(t));
}

inline Value StringToInt(absl::string_view s, FrameState& frame) {
  int64_t i;
  if (!absl::SimpleAtoi(s, &i)) {
    std::string message =
        absl::StrCat("cannot convert ", QuoteInput(s), " to int");
    if (!frame.ChargeBytes(static_cast<int64_t>(message.size()),
                           "an error message")) {
      return frame.ExhaustedValue();
    }
    return Value::Error(frame.Keep(std::move(message)));
  }
  return Value::Int(i);
}

// int(timestamp): Unix seconds (floor).
inline Value TimestampToInt(int64_t nanos) {
  int64_t s = nanos / 1000000000;
  if (nanos % 1000000000 < 0) --s;
  return Value::Int(s);
}

inline Value StringToDouble(absl::string_view s, FrameState& frame) {
  double d;
  if (!absl::SimpleAtod(s, &d)) {
    std::string message =
        absl::StrCat("cannot convert ", QuoteInput(s), " to double");
    if (!frame.ChargeBytes(static_cast<int64_t>(message.size()),
                           "an error message")) {
      return frame.ExhaustedValue();
    }
    return Value::Error(frame.Keep(std::move(message)));
  }
  return Value::Double(d);
}

// string(x): FormatValue's rendering.
inline Value ToString(const Value& v, FrameState& frame) {
  std::string s = FormatValue(v);
  if (!frame.ChargeBytes(static_cast<int64_t>(s.size()), "string()")) {
    return frame.ExhaustedValue();
  }
  return Value::String(frame.Keep(std::move(s)));
}

// --- Timestamp accessors (CEL): the civil time of `nanos` in `zone` ---

inline absl::CivilSecond CivilOf(int64_t nanos, const absl::TimeZone& zone) {
  return absl::ToCivilSecond(absl::FromUnixNanos(nanos), zone);
}

inline Value GetFullYear(int64_t nanos, const absl::TimeZone& zone) {
  return Value::Int(CivilOf(nanos, zone).year());
}

// 0 = January.
inline Value GetMonth(int64_t nanos, const absl::TimeZone& zone) {
  return Value::Int(CivilOf(nanos, zone).month() - 1);
}

// The day of the month, 1-based.
inline Value GetDate(int64_t nanos, const absl::TimeZone& zone) {
  return Value::Int(CivilOf(nanos, zone).day());
}

// The day of the month, 0-based.
inline Value GetDayOfMonth(int64_t nanos, const absl::TimeZone& zone) {
  return Value::Int(CivilOf(nanos, zone).day() - 1);
}

// 0 = Sunday ... 6 = Saturday (absl counts from Monday = 0).
inline Value GetDayOfWeek(int64_t nanos, const absl::TimeZone& zone) {
  const absl::Weekday w =
      absl::GetWeekday(absl::CivilDay(CivilOf(nanos, zone)));
  return Value::Int((static_cast<int>(w) + 1) % 7);
}

// 0 = January 1st.
inline Value GetDayOfYear(int64_t nanos, const absl::TimeZone& zone) {
  return Value::Int(absl::GetYearDay(absl::CivilDay(CivilOf(nanos, zone))) - 1);
}

inline Value GetHours(int64_t nanos, const absl::TimeZone& zone) {
  return Value::Int(CivilOf(nanos, zone).hour());
}

inline Value GetMinutes(int64_t nanos, const absl::TimeZone& zone) {
  return Value::Int(CivilOf(nanos, zone).minute());
}

inline Value GetSeconds(int64_t nanos, const absl::TimeZone& zone) {
  return Value::Int(CivilOf(nanos, zone).second());
}

// 0-999: zones offset by whole seconds, so any zone gives UTC's.
inline Value GetMilliseconds(int64_t nanos) {
  int64_t within = nanos % 1000000000;
  if (within < 0) within += 1000000000;
  return Value::Int(within / 1000000);
}

// --- Duration accessors (CEL): truncated toward zero ---

inline Value DurationHours(int64_t nanos) {
  return Value::Int(nanos / (int64_t{3600} * 1000000000));
}

inline Value DurationMinutes(int64_t nanos) {
  return Value::Int(nanos / (int64_t{60} * 1000000000));
}

inline Value DurationSeconds(int64_t nanos) {
  return Value::Int(nanos / 1000000000);
}

// The milliseconds within the second.
inline Value DurationMilliseconds(int64_t nanos) {
  return Value::Int((nanos / 1000000) % 1000);
}

// --- Business time over a policy calendar ---

inline Value InBusinessHours(int64_t nanos, const BusinessCalendar& calendar) {
  return Value::Bool(calendar.IsOpen(absl::FromUnixNanos(nanos)));
}

inline Value BusinessDuration(int64_t from, int64_t to,
                              const BusinessCalendar& calendar) {
  absl::Duration d;
  if (!calendar.BusinessTimeBetween(absl::FromUnixNanos(from),
                                    absl::FromUnixNanos(to), &d)) {
    return Value::Error("businessDuration() spans more than 3660 days");
  }
  return Value::Duration(absl::ToInt64Nanoseconds(d));
}

}  // namespace builtin
}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_BUILTIN_FUNCTIONS_H_
