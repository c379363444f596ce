// Small helpers every construct uses.
#include "src/policy/constructs/common.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tact::internal {

uint64_t StableHash(absl::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

void AppendUtc(absl::Time t, std::string* out) {
  if (t == absl::InfiniteFuture()) return out->append("never"), void();
  if (t == absl::InfinitePast()) {
    return out->append("the beginning of time"), void();
  }
  // Years 1..9999 (all a context can hold, and then some): days to a civil
  // date directly (the proleptic Gregorian calendar in 400-year eras, as
  // absl's civil time computes it), with no time zone lookup or formatting
  // engine. Other years take the general path.
  constexpr int64_t kMinSeconds = -62135596800;    // 0001-01-01T00:00:00Z
  constexpr int64_t kMaxSeconds = 253402300799;    // 9999-12-31T23:59:59Z
  const int64_t seconds = absl::ToUnixSeconds(t);  // rounds down
  if (seconds < kMinSeconds || seconds > kMaxSeconds) {
    absl::CivilSecond s = absl::ToCivilSecond(t, absl::UTCTimeZone());
    absl::StrAppendFormat(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", s.year(),
                          s.month(), s.day(), s.hour(), s.minute(), s.second());
    return;
  }
  int64_t days = seconds / 86400;
  int64_t rest = seconds % 86400;
  if (rest < 0) rest += 86400, --days;
  days += 719468;  // days from 0000-03-01 to 1970-01-01
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;  // March = 0
  const int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  char text[20];
  auto put = [&text](int at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) {
      text[at + i] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, year, 4);
  text[4] = '-';
  put(5, month, 2);
  text[7] = '-';
  put(8, day, 2);
  text[10] = 'T';
  put(11, rest / 3600, 2);
  text[13] = ':';
  put(14, rest / 60 % 60, 2);
  text[16] = ':';
  put(17, rest % 60, 2);
  text[19] = 'Z';
  out->append(text, sizeof(text));
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace tact::internal
