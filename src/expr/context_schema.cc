#include "src/expr/context_schema.h"

#include <iterator>
#include <limits>

namespace tact::internal {

bool TimestampToNanos(const google::protobuf::Timestamp& t, int64_t* nanos) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t s = t.seconds();
  if (s > kMax / 1000000000 - 1 || s < kMin / 1000000000 + 1) return false;
  *nanos = s * 1000000000 + t.nanos();
  return true;
}

bool DurationToNanos(const google::protobuf::Duration& d, int64_t* nanos) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t s = d.seconds();
  if (s > kMax / 1000000000 - 1 || s < kMin / 1000000000 + 1) return false;
  *nanos = s * 1000000000 + d.nanos();
  return true;
}

namespace {

// `message` must be a string literal naming the path ("... is not set").
Value ReadTimestamp(bool has, const google::protobuf::Timestamp& t,
                    absl::string_view unset_message,
                    absl::string_view range_message) {
  if (!has) return Value::Error(unset_message);
  int64_t nanos;
  if (!TimestampToNanos(t, &nanos)) return Value::Error(range_message);
  return Value::Timestamp(nanos);
}

using v1::Context;
using v1::Event;

#define TACT_TIMESTAMP(path_literal, has_expr, get_expr)                 \
  [](const Context& c) {                                                 \
    return ReadTimestamp(has_expr, get_expr, path_literal " is not set", \
                         path_literal " is out of range");               \
  }

const ContextField kContextFields[] = {
    {"now", ValueType::kTimestamp, TACT_TIMESTAMP("now", c.has_now(), c.now())},
    // Customer.
    {"customer.id", ValueType::kString,
     [](const Context& c) { return Value::String(c.customer().id()); }},
    {"customer.tier", ValueType::kString,
     [](const Context& c) { return Value::String(c.customer().tier()); }},
    {"customer.spend_12m", ValueType::kInt,
     [](const Context& c) { return Value::Int(c.customer().spend_12m()); }},
    {"customer.lifetime_value", ValueType::kInt,
     [](const Context& c) {
       return Value::Int(c.customer().lifetime_value());
     }},
    {"customer.tenure_days", ValueType::kInt,
     [](const Context& c) { return Value::Int(c.customer().tenure_days()); }},
    {"customer.influence", ValueType::kDouble,
     [](const Context& c) { return Value::Double(c.customer().influence()); }},
    {"customer.orders_12m", ValueType::kInt,
     [](const Context& c) { return Value::Int(c.customer().orders_12m()); }},
    // Case (the C++ accessor is case_()).
    {"case.id", ValueType::kString,
     [](const Context& c) { return Value::String(c.case_().id()); }},
    {"case.channel", ValueType::kString,
     [](const Context& c) { return Value::String(c.case_().channel()); }},
    {"case.category", ValueType::kString,
     [](const Context& c) { return Value::String(c.case_().category()); }},
    {"case.severity", ValueType::kString,
     [](const Context& c) { return Value::String(c.case_().severity()); }},
    {"case.sentiment", ValueType::kDouble,
     [](const Context& c) { return Value::Double(c.case_().sentiment()); }},
    {"case.message", ValueType::kString,
     [](const Context& c) { return Value::String(c.case_().message()); }},
    {"case.opened_at", ValueType::kTimestamp,
     TACT_TIMESTAMP("case.opened_at", c.case_().has_opened_at(),
                    c.case_().opened_at())},
    {"case.incident_at", ValueType::kTimestamp,
     TACT_TIMESTAMP("case.incident_at", c.case_().has_incident_at(),
                    c.case_().incident_at())},
    {"case.our_fault", ValueType::kBool,
     [](const Context& c) { return Value::Bool(c.case_().our_fault()); }},
};

#undef TACT_TIMESTAMP

const EventField kEventFields[] = {
    {"at", ValueType::kTimestamp,
     [](const Event& e) {
       return ReadTimestamp(e.has_at(), e.at(), "event.at is not set",
                            "event.at is out of range");
     }},
    {"kind", ValueType::kString,
     [](const Event& e) { return Value::String(e.kind()); }},
    {"amount", ValueType::kInt,
     [](const Event& e) { return Value::Int(e.amount()); }},
    {"case_id", ValueType::kString,
     [](const Event& e) { return Value::String(e.case_id()); }},
    {"ref", ValueType::kString,
     [](const Event& e) { return Value::String(e.ref()); }},
    {"step", ValueType::kInt,
     [](const Event& e) { return Value::Int(e.step()); }},
};

}  // namespace

absl::Span<const ContextField> ContextFields() { return kContextFields; }
absl::Span<const EventField> EventFields() { return kEventFields; }

int FindContextField(absl::string_view path) {
  for (size_t i = 0; i < std::size(kContextFields); ++i) {
    if (kContextFields[i].path == path) return static_cast<int>(i);
  }
  return -1;
}

int FindEventField(absl::string_view name) {
  for (size_t i = 0; i < std::size(kEventFields); ++i) {
    if (kEventFields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace tact::internal
