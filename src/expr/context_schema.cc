#include "src/expr/context_schema.h"

#include <iterator>
#include <limits>

#include "src/common/context_fields.h"

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

// A schema row from a row of src/common/context_fields.h. `Message` is the
// getter's parameter type, `object` the expression reading the field's
// message from the parameter `c`, `path` the prefix of the field's path and
// `message` the prefix of its error messages.
#define TACT_SCHEMA_ROW(Message, object, path, message, number, accessor, \
                        proto, json, KIND, Type)                          \
  TACT_SCHEMA_##KIND(Message, object, accessor, path proto, message proto)
#define TACT_SCHEMA_GETTER(Message, ValueTypeName, read) \
  ValueType::ValueTypeName, [](const Message& c) { return read; }
#define TACT_SCHEMA_STRING(Message, object, accessor, path, message) \
  {path,                                                             \
   TACT_SCHEMA_GETTER(Message, kString, Value::String(object.accessor()))},
#define TACT_SCHEMA_INT64(Message, object, accessor, path, message) \
  {path, TACT_SCHEMA_GETTER(Message, kInt, Value::Int(object.accessor()))},
#define TACT_SCHEMA_DOUBLE(Message, object, accessor, path, message) \
  {path,                                                             \
   TACT_SCHEMA_GETTER(Message, kDouble, Value::Double(object.accessor()))},
#define TACT_SCHEMA_BOOL(Message, object, accessor, path, message) \
  {path, TACT_SCHEMA_GETTER(Message, kBool, Value::Bool(object.accessor()))},
#define TACT_SCHEMA_TIMESTAMP(Message, object, accessor, path, message) \
  {path,                                                                \
   TACT_SCHEMA_GETTER(                                                  \
       Message, kTimestamp,                                             \
       ReadTimestamp(object.has_##accessor(), object.accessor(),        \
                     message " is not set", message " is out of range"))},
// The fields of a Context's messages, as "<field>.<subfield>".
#define TACT_SCHEMA_NESTED(Message, object, path, message, number, accessor, \
                           proto, json, KIND, Type)                          \
  TACT_SCHEMA_NESTED_##KIND(object.accessor(), proto ".", Type)
#define TACT_SCHEMA_NESTED_MESSAGE(object, path, Type) \
  TACT_V1_FIELDS_##Type(TACT_SCHEMA_ROW, Context, object, path, path)
#define TACT_SCHEMA_NESTED_STRING TACT_V1_FIELD_IGNORE
#define TACT_SCHEMA_NESTED_INT64 TACT_V1_FIELD_IGNORE
#define TACT_SCHEMA_NESTED_DOUBLE TACT_V1_FIELD_IGNORE
#define TACT_SCHEMA_NESTED_BOOL TACT_V1_FIELD_IGNORE
#define TACT_SCHEMA_NESTED_TIMESTAMP TACT_V1_FIELD_IGNORE
#define TACT_SCHEMA_NESTED_REPEATED TACT_V1_FIELD_IGNORE
#define TACT_SCHEMA_NESTED_MAP TACT_V1_FIELD_IGNORE
// Read elsewhere: history through macros, attributes as `attributes.<name>`.
#define TACT_SCHEMA_MESSAGE TACT_V1_FIELD_IGNORE
#define TACT_SCHEMA_REPEATED TACT_V1_FIELD_IGNORE
#define TACT_SCHEMA_MAP TACT_V1_FIELD_IGNORE

// Context's own scalar fields ("now"), then those of its messages
// ("customer.tier", "case.opened_at").
const ContextField kContextFields[] = {
    TACT_V1_FIELDS_Context(TACT_SCHEMA_ROW, Context, c, "", "")
        TACT_V1_FIELDS_Context(TACT_SCHEMA_NESTED, Context, c, "", "")};

// A history event's fields, read as `e.<name>`.
const EventField kEventFields[] = {
    TACT_V1_FIELDS_Event(TACT_SCHEMA_ROW, Event, c, "", "event.")};

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
