#include "src/policy/calendar.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "src/common/duration.h"

namespace tact::internal {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

absl::StatusOr<int> ParseClock(absl::string_view text) {
  int hours = 0, minutes = 0;
  if (text.size() == 5 && text[2] == ':' &&
      absl::SimpleAtoi(text.substr(0, 2), &hours) &&
      absl::SimpleAtoi(text.substr(3, 2), &minutes) && hours >= 0 &&
      minutes >= 0 && minutes < 60 &&
      (hours < 24 || (hours == 24 && minutes == 0))) {
    return hours * 60 + minutes;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("malformed time of day \"", text, "\"; expected HH:MM"));
}

// Monday = 0 ... Sunday = 6.
int WeekdayIndex(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

}  // namespace

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(
    const v1::BusinessCalendar& proto) {
  BusinessCalendar calendar;
  calendar.id_ = proto.id();
  std::string zone = proto.time_zone().empty() ? "UTC" : proto.time_zone();
  if (!absl::LoadTimeZone(zone, &calendar.zone_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone \"", zone,
                     "\"; use an IANA name like Europe/London"));
  }
  for (int i = 0; i < proto.hours_size(); ++i) {
    const v1::WorkingHours& h = proto.hours(i);
    if (h.weekday() < 1 || h.weekday() > 7) {
      return absl::InvalidArgumentError(
          absl::StrCat("hours[", i, "]: weekday ", h.weekday(),
                       " is not 1 (Monday) to 7 (Sunday)"));
    }
    absl::StatusOr<int> start = ParseClock(h.start());
    absl::StatusOr<int> end = ParseClock(h.end());
    if (!start.ok() || !end.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hours[", i, "]: ", (!start.ok() ? start : end).status().message()));
    }
    if (*start >= *end) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hours[", i, "]: start ", h.start(), " is not before end ", h.end()));
    }
    calendar.hours_[h.weekday() - 1].push_back({*start, *end});
  }
  bool any = false;
  for (auto& windows : calendar.hours_) {
    std::sort(windows.begin(), windows.end(),
              [](const Window& a, const Window& b) {
                return a.start_minute < b.start_minute;
              });
    for (size_t k = 1; k < windows.size(); ++k) {
      if (windows[k].start_minute < windows[k - 1].end_minute) {
        return absl::InvalidArgumentError(
            "working hours overlap on one weekday");
      }
    }
    any = any || !windows.empty();
  }
  if (!any) {
    return absl::InvalidArgumentError(
        "the calendar has no working hours; business time would never pass");
  }
  for (int i = 0; i < proto.holidays_size(); ++i) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(proto.holidays(i), &day)) {
      return absl::InvalidArgumentError(
          absl::StrCat("holidays[", i, "]: malformed date \"",
                       proto.holidays(i), "\"; expected YYYY-MM-DD"));
    }
    calendar.holidays_.insert(day);
  }
  return calendar;
}

const BusinessCalendar& BusinessCalendar::AlwaysOpen() {
  static const BusinessCalendar* const kAlwaysOpen = [] {
    auto* calendar = new BusinessCalendar();
    calendar->zone_ = absl::UTCTimeZone();
    for (auto& windows : calendar->hours_)
      windows.push_back({0, kMinutesPerDay});
    return calendar;
  }();
  return *kAlwaysOpen;
}

absl::Time BusinessCalendar::AddBusinessTime(absl::Time start,
                                             absl::Duration business) const {
  absl::Duration remaining = business;
  absl::Time t = start;
  absl::CivilDay day = absl::ToCivilDay(t, zone_);
  for (int i = 0; i < 3660; ++i, day += 1) {
    if (holidays_.contains(day)) continue;
    absl::Time midnight = absl::FromCivil(day, zone_);
    for (const Window& w : hours_[WeekdayIndex(day)]) {
      absl::Time open = midnight + absl::Minutes(w.start_minute);
      absl::Time close = midnight + absl::Minutes(w.end_minute);
      if (t >= close) continue;
      if (t < open) t = open;
      absl::Duration available = close - t;
      if (remaining <= available) return t + remaining;
      remaining -= available;
      t = close;
    }
  }
  return absl::InfiniteFuture();
}

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
