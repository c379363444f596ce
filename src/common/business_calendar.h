// A business calendar's pure model: a time zone, working hours per weekday
// and holidays, with business-time arithmetic. The policy compiler builds
// them from a policy's `calendars`; constructs (business-time waits) and
// expressions (inBusinessHours, businessDuration) use them.
#ifndef TACT_SRC_COMMON_BUSINESS_CALENDAR_H_
#define TACT_SRC_COMMON_BUSINESS_CALENDAR_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

// Resolves a time zone as CEL writes it: "UTC", an IANA name
// ("Europe/London") or a fixed offset ("+05:30", "-08:00"). False when
// unknown or malformed, and for "localtime" (a decision never depends on the
// host it runs on).
bool LoadZone(absl::string_view name, absl::TimeZone* zone);

// Working hours, time zone and holidays. Immutable; safe for concurrent use.
// Working hours are local times of the calendar's zone: on a day when the
// clocks change, 09:00-17:00 is still 09:00 to 17:00 on the wall clock.
class BusinessCalendar {
 public:
  // Returns InvalidArgument naming the bad field: an unknown time zone (as
  // LoadZone reads it; default UTC), a
  // malformed "HH:MM", start >= end, a weekday outside 1-7 or a malformed
  // holiday. A calendar without working hours is valid (a time zone only):
  // has_hours() says whether business time can be counted in it.
  static absl::StatusOr<BusinessCalendar> Create(
      const v1::BusinessCalendar& proto);

  // UTC, open around the clock every day. A shared immutable instance.
  static const BusinessCalendar& AlwaysOpen();

  // Whether any weekday has working hours.
  bool has_hours() const;

  // The instant `business` of working time after `start`. Searches up to ten
  // years ahead; returns absl::InfiniteFuture() beyond that.
  absl::Time AddBusinessTime(absl::Time start, absl::Duration business) const;

  // Whether `t` is inside working hours: a working window of its local
  // weekday, opening time included, closing time excluded, and its local
  // date not a holiday.
  bool IsOpen(absl::Time t) const;

  // The working time between `from` and `to` (negative when `to` is before
  // `from`). Returns false when they are more than kMaxSpanDays apart.
  static constexpr int kMaxSpanDays = 3660;
  bool BusinessTimeBetween(absl::Time from, absl::Time to,
                           absl::Duration* out) const;

  const absl::TimeZone& time_zone() const { return zone_; }
  const std::string& id() const { return id_; }

 private:
  struct Window {
    int start_minute;
    int end_minute;
  };
  // Working windows of local day `day`: none on a holiday.
  const std::vector<Window>& WindowsOn(absl::CivilDay day) const;
  // The instant of `minute` minutes after local midnight of `day`.
  absl::Time At(absl::CivilDay day, int minute) const;

  std::string id_;
  absl::TimeZone zone_;
  std::vector<Window> hours_[7];  // index 0 = Monday
  absl::flat_hash_set<absl::CivilDay> holidays_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_BUSINESS_CALENDAR_H_
