// Business calendars and the durations policies state ("24h", "2d",
// "business_hours(8)").
#ifndef TACT_SRC_POLICY_CALENDAR_H_
#define TACT_SRC_POLICY_CALENDAR_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

// Working hours, time zone and holidays. Immutable; safe for concurrent use.
class BusinessCalendar {
 public:
  // Returns InvalidArgument naming the bad field: an unknown time zone, a
  // malformed "HH:MM", start >= end, a weekday outside 1-7, a malformed
  // holiday, or no working hours at all.
  static absl::StatusOr<BusinessCalendar> Create(
      const v1::BusinessCalendar& proto);

  // UTC, open around the clock every day. A shared immutable instance.
  static const BusinessCalendar& AlwaysOpen();

  // The instant `business` of working time after `start`. Searches up to ten
  // years ahead; returns absl::InfiniteFuture() beyond that.
  absl::Time AddBusinessTime(absl::Time start, absl::Duration business) const;

  const absl::TimeZone& time_zone() const { return zone_; }
  const std::string& id() const { return id_; }

 private:
  struct Window {
    int start_minute;
    int end_minute;
  };
  std::string id_;
  absl::TimeZone zone_;
  std::vector<Window> hours_[7];  // index 0 = Monday
  absl::flat_hash_set<absl::CivilDay> holidays_;
};

// A duration as a policy states it: calendar time or business time.
struct Span {
  absl::Duration length = absl::ZeroDuration();
  bool business = false;

  // The instant this span after `start`, in `calendar` when business time.
  absl::Time After(absl::Time start, const BusinessCalendar& calendar) const;
  // "24h", "business_hours(8)".
  std::string ToString() const;
};

// Parses a duration by tact's one grammar (src/common/duration.h: "90s",
// "24h", "1h30m", "2d", "1d12h", "1.5d", "0"; d = 24 h) or business time,
// "business_hours(8)" / "business_hours(1.5)". Negative spans are errors.
absl::StatusOr<Span> ParseSpan(absl::string_view text);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CALENDAR_H_
