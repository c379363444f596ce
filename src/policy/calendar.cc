#include "src/policy/calendar.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "src/common/duration.h"

namespace tact::internal {

absl::Time Span::After(absl::Time start,
                       const BusinessCalendar& calendar) const {
  return business ? calendar.AddBusinessTime(start, length) : start + length;
}

std::string Span::ToString() const {
  if (business) {
    return absl::StrCat("business_hours(",
                        absl::FDivDuration(length, absl::Hours(1)), ")");
  }
  return absl::FormatDuration(length);
}

std::string Span::Readable() const {
  return business ? FormatBusinessSpan(length) : FormatSpan(length);
}

absl::StatusOr<Span> ParseSpan(absl::string_view text) {
  Span span;
  absl::string_view inner = text;
  if (absl::ConsumePrefix(&inner, "business_hours(") &&
      absl::ConsumeSuffix(&inner, ")")) {
    double hours = 0;
    if (!absl::SimpleAtod(inner, &hours) || !(hours >= 0) ||
        hours > 24 * 3660) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed business time \"", text,
                       "\"; expected business_hours(N) with 0 <= N"));
    }
    span.business = true;
    span.length = absl::Hours(hours);
    return span;
  }
  std::string why;
  if (!ParseDuration(text, &span.length, &why) ||
      span.length < absl::ZeroDuration()) {
    if (why.empty()) why = "a policy duration is never negative";
    return absl::InvalidArgumentError(
        absl::StrCat("malformed duration \"", text, "\": ", why,
                     "; expected e.g. \"90m\", \"24h\", \"1d12h\" or "
                     "\"business_hours(8)\""));
  }
  // A span written in days has always been capped at 100 years (36600d);
  // one in smaller units only at absl::Duration's range.
  if (absl::StrContains(text, 'd') && span.length > absl::Hours(24 * 36600)) {
    return absl::InvalidArgumentError(
        absl::StrCat("duration \"", text, "\" out of range"));
  }
  return span;
}

}  // namespace tact::internal
