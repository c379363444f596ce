// Small helpers every construct uses.
#include "src/policy/constructs/common.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "src/common/civil_time.h"
#include "src/common/timestamp_bounds.h"

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
  // date directly (src/common/civil_time.h), with no time zone lookup or
  // formatting engine. Other years take the general path.
  const int64_t seconds = absl::ToUnixSeconds(t);  // rounds down
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
    absl::CivilSecond s = absl::ToCivilSecond(t, absl::UTCTimeZone());
    absl::StrAppendFormat(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", s.year(),
                          s.month(), s.day(), s.hour(), s.minute(), s.second());
    return;
  }
  const int64_t days = FloorDiv(seconds, kSecondsPerDay);
  const int64_t rest = seconds - days * kSecondsPerDay;
  const CivilDate date = CivilFromDays(days);
  char text[20];
  auto put = [&text](int at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) {
      text[at + i] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, date.year, 4);
  text[4] = '-';
  put(5, date.month, 2);
  text[7] = '-';
  put(8, date.day, 2);
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
