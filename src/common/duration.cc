#include "src/common/duration.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tact::internal {
namespace {

constexpr char kExpectedNumber[] =
    "expected a number followed by a unit (h, m, s, ms, us, ns, d)";

bool IsDigit(char c) {
  return absl::ascii_isdigit(static_cast<unsigned char>(c));
}

// The unit named `text`, or false.
bool Unit(absl::string_view text, absl::Duration* unit) {
  if (text == "ns") {
    *unit = absl::Nanoseconds(1);
  } else if (text == "us" || text == "\xC2\xB5s") {  // µs
    *unit = absl::Microseconds(1);
  } else if (text == "ms") {
    *unit = absl::Milliseconds(1);
  } else if (text == "s") {
    *unit = absl::Seconds(1);
  } else if (text == "m") {
    *unit = absl::Minutes(1);
  } else if (text == "h") {
    *unit = absl::Hours(1);
  } else if (text == "d") {
    *unit = absl::Hours(24);
  } else {
    return false;
  }
  return true;
}

// A unit of FormatSpan: its length and its names.
struct SpanUnit {
  absl::Duration length;
  absl::string_view one;
  absl::string_view many;
};

constexpr SpanUnit kCalendarUnits[] = {
    {absl::Hours(24), "day", "days"},
    {absl::Hours(1), "hour", "hours"},
    {absl::Minutes(1), "minute", "minutes"},
    {absl::Seconds(1), "second", "seconds"},
};
constexpr SpanUnit kBusinessUnits[] = {
    {absl::Hours(1), "business hour", "business hours"},
    {absl::Minutes(1), "business minute", "business minutes"},
    {absl::Seconds(1), "business second", "business seconds"},
};

void AppendPart(absl::string_view count, bool one, const SpanUnit& unit,
                std::string* out) {
  if (!out->empty() && out->back() != '-') out->push_back(' ');
  absl::StrAppend(out, count, " ", one ? unit.one : unit.many);
}

// FormatSpan over `units`, largest first; the last is the second.
template <size_t N>
std::string FormatSpanIn(absl::Duration span, const SpanUnit (&units)[N]) {
  std::string out;
  if (span < absl::ZeroDuration()) {
    out = "-";
    span = -span;
  }
  if (span == absl::InfiniteDuration()) return out + "forever";
  size_t lead = N - 1;
  for (size_t i = 0; i + 1 < N; ++i) {
    const absl::Duration u = units[i].length;
    if (span >= 2 * u || (span >= u && span % u == absl::ZeroDuration())) {
      lead = i;
      break;
    }
  }
  absl::Duration rest = span;
  for (size_t i = lead; i + 1 < N; ++i) {
    const int64_t count = absl::IDivDuration(rest, units[i].length, &rest);
    if (i == lead || count > 0) {
      AppendPart(absl::StrCat(count), count == 1, units[i], &out);
    }
  }
  const int64_t seconds = absl::IDivDuration(rest, absl::Seconds(1), &rest);
  const int64_t nanos = absl::ToInt64Nanoseconds(rest);  // truncates
  if (lead == N - 1 || seconds > 0 || nanos > 0) {
    std::string count = absl::StrCat(seconds);
    if (nanos > 0) {
      std::string digits = absl::StrCat(1000000000 + nanos).substr(1);
      digits.erase(digits.find_last_not_of('0') + 1);
      absl::StrAppend(&count, ".", digits);
    }
    AppendPart(count, seconds == 1 && nanos == 0, units[N - 1], &out);
  }
  return out;
}

}  // namespace

std::string FormatSpan(absl::Duration span) {
  return FormatSpanIn(span, kCalendarUnits);
}

std::string FormatBusinessSpan(absl::Duration span) {
  return FormatSpanIn(span, kBusinessUnits);
}

bool ParseDuration(absl::string_view text, absl::Duration* out,
                   std::string* why) {
  absl::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) {
    *why = kExpectedNumber;
    return false;
  }
  if (s == "0") {
    *out = absl::ZeroDuration();
    return true;
  }
  absl::Duration total = absl::ZeroDuration();
  while (!s.empty()) {
    // number
    size_t i = 0;
    while (i < s.size() && IsDigit(s[i])) ++i;
    const absl::string_view whole = s.substr(0, i);
    absl::string_view fraction;
    if (i < s.size() && s[i] == '.') {
      size_t j = i + 1;
      while (j < s.size() && IsDigit(s[j])) ++j;
      fraction = s.substr(i + 1, j - i - 1);
      i = j;
    }
    if (whole.empty() && fraction.empty()) {
      *why = kExpectedNumber;
      return false;
    }
    // unit: everything up to the next number
    size_t u = i;
    while (u < s.size() && !IsDigit(s[u]) && s[u] != '.') ++u;
    const absl::string_view unit_text = s.substr(i, u - i);
    absl::Duration unit;
    if (unit_text.empty()) {
      *why = "missing unit (h, m, s, ms, us, ns, d)";
      return false;
    }
    if (!Unit(unit_text, &unit)) {
      *why = absl::StrCat("unknown unit '", unit_text,
                          "' (use h, m, s, ms, us, ns, d)");
      return false;
    }
    int64_t count = 0;
    for (char c : whole) {
      const int digit = c - '0';
      if (count > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        *why = "out of range";
        return false;
      }
      count = count * 10 + digit;
    }
    // absl::Duration arithmetic saturates to infinity on overflow.
    absl::Duration part = unit * count;
    int64_t scale = 1;
    for (size_t k = 0; k < fraction.size() && k < 18; ++k) {
      scale *= 10;
      part += unit * (fraction[k] - '0') / scale;
    }
    total += part;
    if (total == absl::InfiniteDuration()) {
      *why = "out of range";
      return false;
    }
    s.remove_prefix(u);
  }
  *out = negative ? -total : total;
  return true;
}

}  // namespace tact::internal
