// Civil dates of the proleptic Gregorian calendar, in UTC, as plain integer
// arithmetic: days since 1970-01-01 to (year, month, day) and back, without
// time zones or absl's civil-time engine, for the places that read and write
// timestamps on the decision path (the JSON and Python context readers,
// reasons' RFC 3339 times, the Python decision objects).
//
// The algorithms are H. Hinnant's days_from_civil and civil_from_days
// (http://howardhinnant.github.io/date_algorithms.html), counting in 400-year
// eras as absl's civil time does; exact for every year a
// google.protobuf.Timestamp holds and far beyond.
//
// Example:
//   static_assert(DaysFromCivil(2000, 3, 1) == 11017);
//   CivilDate d = CivilFromDays(FloorDiv(seconds, 86400));
#ifndef TACT_SRC_COMMON_CIVIL_TIME_H_
#define TACT_SRC_COMMON_CIVIL_TIME_H_

#include <cstdint>

namespace tact::internal {

inline constexpr int64_t kSecondsPerDay = 86400;

// A date: `month` 1-12, `day` 1-31.
struct CivilDate {
  int64_t year;
  int month;
  int day;
};

// `a / b` rounded toward negative infinity. REQUIRES: b != 0.
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

constexpr bool IsLeapYear(int64_t year) {
  return year % 400 == 0 || (year % 4 == 0 && year % 100 != 0);
}

// 28 to 31. REQUIRES: 1 <= month <= 12.
constexpr int DaysInMonth(int64_t year, int month) {
  constexpr int kDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month];
}

// Days from 1970-01-01 to the given date (negative before it). The date is
// not validated: 2026-02-30 is 2026-03-02.
constexpr int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year =
      (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// The date `days` after 1970-01-01; the inverse of DaysFromCivil.
constexpr CivilDate CivilFromDays(int64_t days) {
  days += 719468;  // days from 0000-03-01 to 1970-01-01
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;  // March = 0
  const int day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_CIVIL_TIME_H_
