#include "src/runtime/context_check.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace tact::internal {
namespace {

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, as protobuf defines them.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;
constexpr int64_t kMaxDurationSeconds = 315576000000;

absl::Status CheckTimestamp(const google::protobuf::Timestamp& t,
                            absl::string_view field) {
  if (t.seconds() < kMinSeconds || t.seconds() > kMaxSeconds || t.nanos() < 0 ||
      t.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat(
        "context.", field, ": timestamp out of range (seconds=", t.seconds(),
        ", nanos=", t.nanos(), "); expected a time between years 1 and 9999"));
  }
  return absl::OkStatus();
}

absl::Status CheckDuration(const google::protobuf::Duration& d,
                           absl::string_view field) {
  bool sign_ok = d.seconds() == 0 || d.nanos() == 0 ||
                 (d.seconds() > 0) == (d.nanos() > 0);
  if (d.seconds() < -kMaxDurationSeconds || d.seconds() > kMaxDurationSeconds ||
      d.nanos() < -999999999 || d.nanos() > 999999999 || !sign_ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "context.", field, ": duration out of range (seconds=", d.seconds(),
        ", nanos=", d.nanos(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckContext(const v1::Context& context) {
  if (!context.has_now()) {
    return absl::InvalidArgumentError(
        "context.now is not set; tact never reads the clock, so every "
        "context must say when the decision is made");
  }
  absl::Status status = CheckTimestamp(context.now(), "now");
  if (!status.ok()) return status;
  if (context.case_().has_opened_at()) {
    status = CheckTimestamp(context.case_().opened_at(), "case.opened_at");
    if (!status.ok()) return status;
  }
  if (context.case_().has_incident_at()) {
    status = CheckTimestamp(context.case_().incident_at(), "case.incident_at");
    if (!status.ok()) return status;
  }
  for (int i = 0; i < context.history_size(); ++i) {
    if (!context.history(i).has_at()) continue;
    status = CheckTimestamp(context.history(i).at(),
                            absl::StrCat("history[", i, "].at"));
    if (!status.ok()) return status;
  }
  for (const auto& [name, value] : context.attributes()) {
    if (value.has_timestamp_value()) {
      status = CheckTimestamp(value.timestamp_value(),
                              absl::StrCat("attributes[", name, "]"));
    } else if (value.has_duration_value()) {
      status = CheckDuration(value.duration_value(),
                             absl::StrCat("attributes[", name, "]"));
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace tact::internal
