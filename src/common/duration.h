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

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_DURATION_H_
