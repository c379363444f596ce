// The one duration grammar of tact: every duration a policy states, in a
// field (`window: "1d12h"`, `min_wait: "90m"`, `fix_within: "1.5d"`) or in an
// expression (`duration('36h')`), is read by ParseDuration.
//
//   duration := sign? ( "0" | part+ )
//   sign     := "+" | "-"
//   part     := number unit
//   number   := digits [ "." [ digits ] ] | "." digits
//   unit     := "ns" | "us" | "µs" | "ms" | "s" | "m" | "h" | "d"
//
// `d` is a day of exactly 24 hours (no calendar, no daylight saving). Parts
// add up, in any order and with repeats: "1d12h" = "36h" = "1.5d", "1h30m",
// "-250ms", "3us4ns". The whole number of a part is at most 2^63 - 1; of its
// fraction the first 18 digits count and the rest must still be digits. No
// spaces anywhere. Go's time.ParseDuration reads the same text, with "d".
//
// Callers choose the range: an expression's duration is int64 nanoseconds
// (about +-292 years); a policy field's is never negative.
//
// Example:
//   absl::Duration d;
//   std::string why;
//   if (!ParseDuration("1d12h", &d, &why)) {
//     return absl::InvalidArgumentError(
//         absl::StrCat("malformed duration \"1d12h\": ", why));
//   }
//   // d == absl::Hours(36)
#ifndef TACT_SRC_COMMON_DURATION_H_
#define TACT_SRC_COMMON_DURATION_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tact::internal {

// Parses `text` by the grammar above into `*out` (finite, exact to absl's
// quarter nanosecond). Returns false, leaving `*out` alone, when `text` is
// not a duration or its value is beyond absl::Duration's finite range; then
// `*why` says what is wrong without repeating the text, which the caller
// names in its own message:
//   ""       "expected a number followed by a unit (h, m, s, ms, us, ns, d)"
//   "d"      the same
//   "90"     "missing unit (h, m, s, ms, us, ns, d)"
//   "90x"    "unknown unit 'x' (use h, m, s, ms, us, ns, d)"
//   overflow "out of range"
bool ParseDuration(absl::string_view text, absl::Duration* out,
                   std::string* why);

// A span as a reason reads it, exact and deterministic:
//
//   - The units are day (24 hours), hour, minute and second.
//   - The span leads with the largest unit it holds at least twice, or holds
//     a whole number of times: 2160h is "90 days", 24h "1 day", 60h
//     "2 days 12 hours", but 36h is "36 hours" (not 2 days, not whole days)
//     and 90m "90 minutes". A span under 2 minutes that is not whole
//     minutes leads with seconds: "90 seconds", "45 seconds".
//   - After the lead, each smaller unit with a non-zero count follows, largest
//     first, separated by spaces: "2 days 5 minutes", "2 hours 30 minutes 1
//     second". Nothing is rounded: a fraction of a second is written in
//     decimals, trailing zeros trimmed ("1.5 seconds", "0.25 seconds",
//     "2 minutes 0.5 seconds"); below a nanosecond is truncated.
//   - A count of exactly 1 takes the singular ("1 hour"), any other the
//     plural ("0 seconds", "1.5 seconds").
//   - A negative span is the positive one after "-" ("-90 minutes"); an
//     infinite one is "forever" ("-forever").
std::string FormatSpan(absl::Duration span);

// Business time, by the same rules over hours, minutes and seconds (a
// business day's length depends on the calendar, so there are no days),
// each unit named "business": "4 business hours", "1 business hour",
// "90 business minutes", "2 business hours 30 business minutes".
std::string FormatBusinessSpan(absl::Duration span);

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_DURATION_H_
