#include "src/common/business_calendar.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

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

bool LoadZone(absl::string_view name, absl::TimeZone* zone) {
  // A fixed offset, CEL's FixedTZ: ("+" | "-") HH ":" MM.
  if (name.size() == 6 && (name[0] == '+' || name[0] == '-') &&
      name[3] == ':') {
    int hours = 0, minutes = 0;
    if (!absl::ascii_isdigit(name[1]) || !absl::ascii_isdigit(name[2]) ||
        !absl::ascii_isdigit(name[4]) || !absl::ascii_isdigit(name[5])) {
      return false;
    }
    hours = (name[1] - '0') * 10 + (name[2] - '0');
    minutes = (name[4] - '0') * 10 + (name[5] - '0');
    if (hours > 23 || minutes > 59) return false;
    const int seconds = (hours * 60 + minutes) * 60;
    *zone = absl::FixedTimeZone(name[0] == '-' ? -seconds : seconds);
    return true;
  }
  // An IANA name ("Europe/London", "UTC"): letters, digits, '_', '-', '+'
  // in '/'-separated parts. Never "localtime", which would make decisions
  // depend on the host.
  if (name.empty() || name.size() > 64 || name == "localtime") return false;
  bool part_start = true;
  for (char c : name) {
    if (c == '/') {
      if (part_start) return false;
      part_start = true;
      continue;
    }
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    c == '_' || c == '-' || c == '+';
    if (!ok ||
        (part_start && !absl::ascii_isalpha(static_cast<unsigned char>(c)))) {
      return false;
    }
    part_start = false;
  }
  if (part_start) return false;
  return absl::LoadTimeZone(std::string(name), zone);
}

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(
    const v1::BusinessCalendar& proto) {
  BusinessCalendar calendar;
  calendar.id_ = proto.id();
  std::string zone = proto.time_zone().empty() ? "UTC" : proto.time_zone();
  if (!LoadZone(zone, &calendar.zone_)) {
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

bool BusinessCalendar::has_hours() const {
  for (const auto& windows : hours_) {
    if (!windows.empty()) return true;
  }
  return false;
}

const std::vector<BusinessCalendar::Window>& BusinessCalendar::WindowsOn(
    absl::CivilDay day) const {
  static const std::vector<Window>* const kNone = new std::vector<Window>();
  if (!holidays_.empty() && holidays_.contains(day)) return *kNone;
  return hours_[WeekdayIndex(day)];
}

absl::Time BusinessCalendar::At(absl::CivilDay day, int minute) const {
  return absl::FromCivil(absl::CivilMinute(day) + minute, zone_);
}

absl::Time BusinessCalendar::AddBusinessTime(absl::Time start,
                                             absl::Duration business) const {
  absl::Duration remaining = business;
  absl::Time t = start;
  absl::CivilDay day = absl::ToCivilDay(t, zone_);
  for (int i = 0; i < kMaxSpanDays; ++i, day += 1) {
    for (const Window& w : WindowsOn(day)) {
      absl::Time open = At(day, w.start_minute);
      absl::Time close = At(day, w.end_minute);
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

bool BusinessCalendar::IsOpen(absl::Time t) const {
  const absl::CivilDay day = absl::ToCivilDay(t, zone_);
  for (const Window& w : WindowsOn(day)) {
    if (t >= At(day, w.start_minute) && t < At(day, w.end_minute)) return true;
  }
  return false;
}

bool BusinessCalendar::BusinessTimeBetween(absl::Time from, absl::Time to,
                                           absl::Duration* out) const {
  if (to < from) {
    if (!BusinessTimeBetween(to, from, out)) return false;
    *out = -*out;
    return true;
  }
  if (to - from > absl::Hours(24) * kMaxSpanDays) return false;
  absl::Duration total = absl::ZeroDuration();
  const absl::CivilDay last = absl::ToCivilDay(to, zone_);
  for (absl::CivilDay day = absl::ToCivilDay(from, zone_); day <= last;
       day += 1) {
    for (const Window& w : WindowsOn(day)) {
      absl::Time open = std::max(At(day, w.start_minute), from);
      absl::Time close = std::min(At(day, w.end_minute), to);
      if (close > open) total += close - open;
    }
  }
  *out = total;
  return true;
}

}  // namespace tact::internal
