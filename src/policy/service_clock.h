// One service-level clock (docs/constructs.md#service-levels), pure: from a
// case's sorted clock events to where it stands on one target at `now`.
// The service-level construct (constructs/service_level.cc) gathers the
// events from the history; tests drive the clock directly.
#ifndef TACT_SRC_POLICY_SERVICE_CLOCK_H_
#define TACT_SRC_POLICY_SERVICE_CLOCK_H_

#include <cstdint>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/common/business_calendar.h"
#include "src/policy/calendar.h"
#include "src/policy/outcome.h"

namespace tact::internal {

// An event the clocks read: a customer message, an agent reply or a status
// change, with the status's marks.
struct ClockEvent {
  enum class Kind : uint8_t { kCustomerMessage, kAgentReply, kStatus };
  absl::Time at;
  Kind kind = Kind::kStatus;
  bool pausing = false;    // a status for which pause_when holds
  bool resolving = false;  // a status in resolved_statuses
  int32_t index = 0;       // its history index (ties sort in history order)
};

// What one target measures (v1::ServiceLevelTarget::Measure values).
enum class ClockMeasure : int {
  kFirstReply = 1,
  kNextReply = 2,
  kResolution = 3
};

struct ClockInput {
  ClockMeasure measure = ClockMeasure::kFirstReply;
  // case.opened_at; InfinitePast when unset (FIRST_REPLY and RESOLUTION
  // then have no clock: state none).
  absl::Time opened_at = absl::InfinitePast();
  // Sorted by `at`, ties in history order; all at or before `now`.
  absl::Span<const ClockEvent> events;
  absl::Time now;
  // The contract's span; length 0: no such target (state none).
  Span span;
  // For a business span (REQUIRES: has_hours()); ignored for calendar time.
  const BusinessCalendar* calendar = nullptr;
  // The percents of the thresholds that apply to the target, ascending.
  absl::Span<const int> thresholds;
};

// Fills every field of `*out` but tier, entitlement and within.
void RunClock(const ClockInput& in, ServiceLevelState* out);

// Whether `percent` of `span` is reached by `elapsed`: elapsed * 100 >=
// percent * span, exactly, in nanoseconds.
bool ThresholdReached(absl::Duration elapsed, absl::Duration span, int percent);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_SERVICE_CLOCK_H_
