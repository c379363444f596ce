// Small helpers every construct uses.
#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "src/runtime/constructs/constructs.h"

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
  absl::CivilSecond s = absl::ToCivilSecond(t, absl::UTCTimeZone());
  absl::StrAppendFormat(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", s.year(),
                        s.month(), s.day(), s.hour(), s.minute(), s.second());
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace tact::internal
