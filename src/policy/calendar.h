// The durations policies state ("24h", "2d", "business_hours(8)"), over
// business calendars (src/common/business_calendar.h).
#ifndef TACT_SRC_POLICY_CALENDAR_H_
#define TACT_SRC_POLICY_CALENDAR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/common/business_calendar.h"

namespace tact::internal {

// A duration as a policy states it: calendar time or business time.
struct Span {
  absl::Duration length = absl::ZeroDuration();
  bool business = false;

  // The instant this span after `start`, in `calendar` when business time.
  absl::Time After(absl::Time start, const BusinessCalendar& calendar) const;
  // As the policy states it, for load errors: "24h", "business_hours(8)".
  std::string ToString() const;
  // As a reason reads it (FormatSpan, FormatBusinessSpan in
  // src/common/duration.h): "90 days", "4 business hours".
  std::string Readable() const;
};

// Parses a duration by tact's one grammar (src/common/duration.h: "90s",
// "24h", "1h30m", "2d", "1d12h", "1.5d", "0"; d = 24 h) or business time,
// "business_hours(8)" / "business_hours(1.5)". Negative spans are errors.
absl::StatusOr<Span> ParseSpan(absl::string_view text);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CALENDAR_H_
