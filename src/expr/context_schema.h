// The static table of context facts an expression may read, each with its
// type and a plain getter on the generated proto classes. Decision-time
// reads go through these getters only; protobuf reflection is used solely by
// the test that checks this table against the descriptor.
#ifndef TACT_SRC_EXPR_CONTEXT_SCHEMA_H_
#define TACT_SRC_EXPR_CONTEXT_SCHEMA_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/expr/value.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {

// A field of the context reachable by a path such as "customer.tier",
// "case.opened_at" or "now".
struct ContextField {
  absl::string_view path;
  ValueType type;
  // Reads the field. Proto3 scalars read as their value (0, "", false when
  // unset); an unset timestamp reads as an error "<path> is not set".
  // Strings are views into `context`.
  Value (*get)(const tact::v1::Context& context);
};

// A field of one history event, read as `e.<name>` inside a macro.
struct EventField {
  absl::string_view name;
  ValueType type;
  Value (*get)(const tact::v1::Event& event);
};

absl::Span<const ContextField> ContextFields();
absl::Span<const EventField> EventFields();

// Index into ContextFields() / EventFields(), or -1.
int FindContextField(absl::string_view path);
int FindEventField(absl::string_view name);

// Converts a google.protobuf.Timestamp / Duration to nanoseconds; false when
// it does not fit in int64 nanoseconds (years 1678..2262).
bool TimestampToNanos(const google::protobuf::Timestamp& t, int64_t* nanos);
bool DurationToNanos(const google::protobuf::Duration& d, int64_t* nanos);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_CONTEXT_SCHEMA_H_
