#include "src/policy/context_check.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "src/common/timestamp_bounds.h"

namespace tact::internal {
namespace {

absl::Status CheckTimestamp(const google::protobuf::Timestamp& t,
                            absl::string_view field) {
  if (t.seconds() < kMinTimestampSeconds ||
      t.seconds() > kMaxTimestampSeconds || t.nanos() < 0 ||
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

absl::Status CheckDouble(double value, absl::string_view field) {
  if (std::isfinite(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "context.", field, ": ", std::isnan(value) ? "NaN" : "an infinity",
      " is not a number tact decides on; send a finite value or leave the "
      "field unset"));
}

absl::Status CheckString(const std::string& value, absl::string_view field,
                         int64_t max_bytes) {
  if (static_cast<int64_t>(value.size()) <= max_bytes) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("context.", field, ": a string of ", value.size(),
                   " bytes exceeds max_string_bytes (", max_bytes, ")"));
}

// Sizes and numbers, checked before any timestamp is read.
absl::Status CheckLimits(const v1::Context& context,
                         const DecideOptions& options) {
  if (context.history_size() > options.max_history_events) {
    return absl::InvalidArgumentError(
        absl::StrCat("context.history: ", context.history_size(),
                     " events exceed max_history_events (",
                     options.max_history_events, ")"));
  }
  if (static_cast<int64_t>(context.attributes().size()) >
      options.max_attributes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "context.attributes: ", context.attributes().size(),
        " attributes exceed max_attributes (", options.max_attributes, ")"));
  }
  const int64_t max = options.max_string_bytes;
  const v1::Customer& customer = context.customer();
  const v1::Case& c = context.case_();
  using Field = std::pair<const std::string*, absl::string_view>;
  for (const Field& f :
       {Field{&customer.id(), "customer.id"},
        Field{&customer.tier(), "customer.tier"}, Field{&c.id(), "case.id"},
        Field{&c.channel(), "case.channel"},
        Field{&c.category(), "case.category"},
        Field{&c.severity(), "case.severity"},
        Field{&c.message(), "case.message"}}) {
    absl::Status status = CheckString(*f.first, f.second, max);
    if (!status.ok()) return status;
  }
  absl::Status status = CheckDouble(customer.influence(), "customer.influence");
  if (!status.ok()) return status;
  status = CheckDouble(c.sentiment(), "case.sentiment");
  if (!status.ok()) return status;
  for (int i = 0; i < context.history_size(); ++i) {
    const v1::Event& e = context.history(i);
    for (const Field& f :
         {Field{&e.kind(), "kind"}, Field{&e.case_id(), "case_id"},
          Field{&e.ref(), "ref"}}) {
      if (static_cast<int64_t>(f.first->size()) <= max) continue;
      return CheckString(*f.first, absl::StrCat("history[", i, "].", f.second),
                         max);
    }
  }
  for (const auto& [name, value] : context.attributes()) {
    status = CheckString(name, "attributes (a name)", max);
    if (!status.ok()) return status;
    if (value.has_double_value()) {
      status = CheckDouble(value.double_value(),
                           absl::StrCat("attributes[", name, "]"));
    } else if (value.has_string_value() &&
               static_cast<int64_t>(value.string_value().size()) > max) {
      status = CheckString(value.string_value(),
                           absl::StrCat("attributes[", name, "]"), max);
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

bool TimestampOk(const google::protobuf::Timestamp& t) {
  return t.seconds() >= kMinTimestampSeconds &&
         t.seconds() <= kMaxTimestampSeconds && t.nanos() >= 0 &&
         t.nanos() <= 999999999;
}

bool DurationOk(const google::protobuf::Duration& d) {
  bool sign_ok = d.seconds() == 0 || d.nanos() == 0 ||
                 (d.seconds() > 0) == (d.nanos() > 0);
  return d.seconds() >= -kMaxDurationSeconds &&
         d.seconds() <= kMaxDurationSeconds && d.nanos() >= -999999999 &&
         d.nanos() <= 999999999 && sign_ok;
}

// One pass that says whether the context passes every check; only when it
// does not do the checks below run, in their order, to name the field.
bool Acceptable(const v1::Context& context, const DecideOptions& options) {
  if (context.history_size() > options.max_history_events ||
      static_cast<int64_t>(context.attributes().size()) >
          options.max_attributes ||
      !context.has_now() || !TimestampOk(context.now())) {
    return false;
  }
  const uint64_t max = options.max_string_bytes < 0
                           ? 0
                           : static_cast<uint64_t>(options.max_string_bytes);
  const v1::Customer& customer = context.customer();
  const v1::Case& c = context.case_();
  if ((customer.id().size() | customer.tier().size() | c.id().size() |
       c.channel().size() | c.category().size() | c.severity().size()) > max ||
      c.message().size() > max || !std::isfinite(customer.influence()) ||
      !std::isfinite(c.sentiment()) ||
      (c.has_opened_at() && !TimestampOk(c.opened_at())) ||
      (c.has_incident_at() && !TimestampOk(c.incident_at()))) {
    return false;
  }
  for (const v1::Event& e : context.history()) {
    if (e.kind().size() > max || e.case_id().size() > max ||
        e.ref().size() > max || (e.has_at() && !TimestampOk(e.at()))) {
      return false;
    }
  }
  for (const auto& [name, value] : context.attributes()) {
    if (name.size() > max) return false;
    switch (value.kind_case()) {
      case v1::Value::kDoubleValue:
        if (!std::isfinite(value.double_value())) return false;
        break;
      case v1::Value::kStringValue:
        if (value.string_value().size() > max) return false;
        break;
      case v1::Value::kTimestampValue:
        if (!TimestampOk(value.timestamp_value())) return false;
        break;
      case v1::Value::kDurationValue:
        if (!DurationOk(value.duration_value())) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

}  // namespace

absl::Status CheckContext(const v1::Context& context,
                          const DecideOptions& options) {
  if (Acceptable(context, options)) return absl::OkStatus();
  absl::Status limits = CheckLimits(context, options);
  if (!limits.ok()) return limits;
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
