#include "src/policy/constructs/construct_trace.h"

#include <cstdint>

namespace tact::internal {

v1::ConstructTrace* AddConstructTrace(ConstructTraces* traces, SourceKind kind,
                                      absl::string_view id) {
  v1::ConstructTrace* entry = traces->Add();
  const absl::string_view name = Name(kind);
  entry->mutable_kind()->assign(name.data(), name.size());
  entry->mutable_id()->assign(id.data(), id.size());
  return entry;
}

void SetTraceTime(absl::Time t, google::protobuf::Timestamp* out) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return;
  const absl::Duration since = t - absl::UnixEpoch();
  int64_t seconds = absl::ToInt64Seconds(since);
  int64_t nanos = absl::ToInt64Nanoseconds(since - absl::Seconds(seconds));
  if (nanos < 0) {
    nanos += 1000000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(nanos));
}

void SetTraceDuration(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t seconds = absl::ToInt64Seconds(d);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(d - absl::Seconds(seconds))));
}

}  // namespace tact::internal
