// The one field table of proto/tact/v1/context.proto, as X-macros.
//
// Every reader and checker of a tact.v1.Context is driven from these lists:
// the expression checker's schema (src/expr/context_schema.cc), the context
// check (src/policy/context_check.cc), the JSON reader
// (src/io/context_json_reader.cc) and the Python dict reader
// (python/dict_context.cc). Each expands a list at compile time into plain
// calls of the generated accessors, so no reader pays for reflection.
// Adding a field to context.proto means adding its row here;
// tests/common/context_fields_test.cc fails until the lists match the
// descriptor.
//
// TACT_V1_FIELDS_<Message>(X, ...) calls, for every field of tact.v1.<Message>
// in field-number order,
//
//   X(..., number, accessor, "proto_name", "jsonName", KIND, Type)
//
// where `...` is passed through unchanged (at least one token: it carries
// whatever the caller needs, e.g. the parent message's accessor),
// `accessor` is the name of the generated C++ accessor (`case_` for `case`),
// KIND is one of
//
//   STRING INT64 DOUBLE BOOL   proto3 scalars (string, int64, double, bool)
//   TIMESTAMP DURATION         google.protobuf.Timestamp / Duration
//   MESSAGE                    a singular tact.v1.<Type>
//   REPEATED                   a repeated tact.v1.<Type>
//   MAP                        a map<string, tact.v1.<Type>>
//
// and Type names the tact.v1 message of MESSAGE, REPEATED and MAP fields (`_`
// for the others). A caller dispatches on KIND by token pasting, e.g.
// `#define ROW(P, n, acc, proto, json, KIND, Type) ROW_##KIND(P, acc, ...)`,
// and reaches a MESSAGE field's own list as TACT_V1_FIELDS_##Type.
#ifndef TACT_SRC_COMMON_CONTEXT_FIELDS_H_
#define TACT_SRC_COMMON_CONTEXT_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/base/attributes.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "tact/v1/context.pb.h"

// clang-format off
#define TACT_V1_FIELDS_Context(X, ...)                                   \
  X(__VA_ARGS__, 1, customer, "customer", "customer", MESSAGE, Customer) \
  X(__VA_ARGS__, 2, case_, "case", "case", MESSAGE, Case)                \
  X(__VA_ARGS__, 3, history, "history", "history", REPEATED, Event)      \
  X(__VA_ARGS__, 4, now, "now", "now", TIMESTAMP, _)                     \
  X(__VA_ARGS__, 5, attributes, "attributes", "attributes", MAP, Value)

#define TACT_V1_FIELDS_Customer(X, ...)                                     \
  X(__VA_ARGS__, 1, id, "id", "id", STRING, _)                              \
  X(__VA_ARGS__, 2, tier, "tier", "tier", STRING, _)                        \
  X(__VA_ARGS__, 3, spend_12m, "spend_12m", "spend12m", INT64, _)           \
  X(__VA_ARGS__, 4, lifetime_value, "lifetime_value", "lifetimeValue",      \
    INT64, _)                                                               \
  X(__VA_ARGS__, 5, tenure_days, "tenure_days", "tenureDays", INT64, _)     \
  X(__VA_ARGS__, 6, influence, "influence", "influence", DOUBLE, _)         \
  X(__VA_ARGS__, 7, orders_12m, "orders_12m", "orders12m", INT64, _)

#define TACT_V1_FIELDS_Case(X, ...)                                         \
  X(__VA_ARGS__, 1, id, "id", "id", STRING, _)                              \
  X(__VA_ARGS__, 2, channel, "channel", "channel", STRING, _)               \
  X(__VA_ARGS__, 3, category, "category", "category", STRING, _)            \
  X(__VA_ARGS__, 4, severity, "severity", "severity", STRING, _)            \
  X(__VA_ARGS__, 5, sentiment, "sentiment", "sentiment", DOUBLE, _)         \
  X(__VA_ARGS__, 6, message, "message", "message", STRING, _)               \
  X(__VA_ARGS__, 7, opened_at, "opened_at", "openedAt", TIMESTAMP, _)       \
  X(__VA_ARGS__, 8, incident_at, "incident_at", "incidentAt", TIMESTAMP, _) \
  X(__VA_ARGS__, 9, our_fault, "our_fault", "ourFault", BOOL, _)

#define TACT_V1_FIELDS_Event(X, ...)                                        \
  X(__VA_ARGS__, 1, at, "at", "at", TIMESTAMP, _)                           \
  X(__VA_ARGS__, 2, kind, "kind", "kind", STRING, _)                        \
  X(__VA_ARGS__, 3, amount, "amount", "amount", INT64, _)                   \
  X(__VA_ARGS__, 4, case_id, "case_id", "caseId", STRING, _)                \
  X(__VA_ARGS__, 5, ref, "ref", "ref", STRING, _)                           \
  X(__VA_ARGS__, 6, step, "step", "step", INT64, _)

// The members of Value's oneof `kind`.
#define TACT_V1_FIELDS_Value(X, ...)                                        \
  X(__VA_ARGS__, 1, bool_value, "bool_value", "boolValue", BOOL, _)         \
  X(__VA_ARGS__, 2, int_value, "int_value", "intValue", INT64, _)           \
  X(__VA_ARGS__, 3, double_value, "double_value", "doubleValue", DOUBLE, _) \
  X(__VA_ARGS__, 4, string_value, "string_value", "stringValue", STRING, _) \
  X(__VA_ARGS__, 5, timestamp_value, "timestamp_value", "timestampValue",   \
    TIMESTAMP, _)                                                           \
  X(__VA_ARGS__, 6, duration_value, "duration_value", "durationValue",      \
    DURATION, _)
// clang-format on

// Expands to nothing: for the KINDs a caller passes over.
#define TACT_V1_FIELD_IGNORE(...)

namespace tact::internal {

// A field's number and its two names (string literals).
struct ContextFieldInfo {
  int number;
  const char* proto_name;
  const char* json_name;
};

// The lists as code, for readers and checkers written as visitors.
//
// VisitContextFields(message, visitor) calls, for every field of `message`
// in number order, the visitor's member for the field's kind, and stops at
// the first that returns false (then returns false):
//   String(info, const std::string&)   Int64(info, int64_t)
//   Double(info, double)               Bool(info, bool)
//   Timestamp(info, bool has, const google::protobuf::Timestamp&)
//   Duration(info, bool has, const google::protobuf::Duration&)
//   Message(info, bool has, const Sub&)
//   Repeated(info, const google::protobuf::RepeatedPtrField<Sub>&)
//   Map(info, const google::protobuf::Map<std::string, Sub>&)
// ContextFieldVisitor below has a member for each that returns true.
//
// ReadContextField(message, key, reader) finds the field of `*message`
// whose JSON or proto name is `key` and returns
//   reader.Into(info, mutable)        for string and message-typed fields,
//                                     repeated fields and maps: mutable()
//                                     returns the field's std::string*,
//                                     message, RepeatedPtrField or Map
//   reader.Scalar<T>(info, set)       for int64, double and bool: set(T)
// (both write the field only when called), or reader.Unknown(key) when no
// field has that name.

#define TACT_V1_VISIT_ROW(m, v, number, accessor, proto, json, KIND, Type) \
  if (!TACT_V1_VISIT_##KIND(m, v, accessor,                                \
                            (ContextFieldInfo{number, proto, json}))) {    \
    return false;                                                          \
  }
#define TACT_V1_VISIT_STRING(m, v, accessor, info) v.String(info, m.accessor())
#define TACT_V1_VISIT_INT64(m, v, accessor, info) v.Int64(info, m.accessor())
#define TACT_V1_VISIT_DOUBLE(m, v, accessor, info) v.Double(info, m.accessor())
#define TACT_V1_VISIT_BOOL(m, v, accessor, info) v.Bool(info, m.accessor())
#define TACT_V1_VISIT_TIMESTAMP(m, v, accessor, info) \
  v.Timestamp(info, m.has_##accessor(), m.accessor())
#define TACT_V1_VISIT_DURATION(m, v, accessor, info) \
  v.Duration(info, m.has_##accessor(), m.accessor())
#define TACT_V1_VISIT_MESSAGE(m, v, accessor, info) \
  v.Message(info, m.has_##accessor(), m.accessor())
#define TACT_V1_VISIT_REPEATED(m, v, accessor, info) \
  v.Repeated(info, m.accessor())
#define TACT_V1_VISIT_MAP(m, v, accessor, info) v.Map(info, m.accessor())

#define TACT_V1_READ_ROW(m, r, key, number, accessor, proto, json, KIND, Type) \
  if (ContextFieldNamed<ContextFieldSameNames(json, proto)>(key, json,         \
                                                            proto)) {          \
    return TACT_V1_READ_##KIND(m, r, accessor,                                 \
                               (ContextFieldInfo{number, proto, json}));       \
  }
#define TACT_V1_READ_INTO(m, r, accessor, info) \
  r.Into(info, [m] { return m->mutable_##accessor(); })
#define TACT_V1_READ_SCALAR(m, r, T, accessor, info) \
  r.template Scalar<T>(info, [m](T value) { m->set_##accessor(value); })
#define TACT_V1_READ_STRING TACT_V1_READ_INTO
#define TACT_V1_READ_INT64(m, r, accessor, info) \
  TACT_V1_READ_SCALAR(m, r, int64_t, accessor, info)
#define TACT_V1_READ_DOUBLE(m, r, accessor, info) \
  TACT_V1_READ_SCALAR(m, r, double, accessor, info)
#define TACT_V1_READ_BOOL(m, r, accessor, info) \
  TACT_V1_READ_SCALAR(m, r, bool, accessor, info)
#define TACT_V1_READ_TIMESTAMP TACT_V1_READ_INTO
#define TACT_V1_READ_DURATION TACT_V1_READ_INTO
#define TACT_V1_READ_MESSAGE TACT_V1_READ_INTO
#define TACT_V1_READ_REPEATED TACT_V1_READ_INTO
#define TACT_V1_READ_MAP TACT_V1_READ_INTO

// Whether two string literals are equal, at compile time.
constexpr bool ContextFieldSameNames(const char* a, const char* b) {
  for (; *a != '\0' && *a == *b; ++a, ++b) {
  }
  return *a == *b;
}

// `key` is the literal `name` (with constant sizes the compiler compares in
// a few instructions).
template <typename Key, size_t N>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool ContextFieldNameIs(
    const Key& key, const char (&name)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), name, N - 1) == 0;
}

// `key` names a field whose JSON and proto names are `json` and `proto`
// (compared once where they are the same).
template <bool kSameNames, typename Key, size_t J, size_t P>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool ContextFieldNamed(
    const Key& key, const char (&json)[J], const char (&proto)[P]) {
  return ContextFieldNameIs(key, json) ||
         (!kSameNames && ContextFieldNameIs(key, proto));
}

#define TACT_V1_DEFINE_FIELD_CODE(Type)                                       \
  template <typename Visitor>                                                 \
  bool VisitContextFields(const v1::Type& m, Visitor& v) {                    \
    TACT_V1_FIELDS_##Type(TACT_V1_VISIT_ROW, m, v) return true;               \
  }                                                                           \
  template <typename Key, typename Reader>                                    \
  ABSL_ATTRIBUTE_ALWAYS_INLINE inline auto ReadContextField(                  \
      v1::Type* m, const Key& key, Reader& r)                                 \
      ->decltype(r.Unknown(key)) {                                            \
    TACT_V1_FIELDS_##Type(TACT_V1_READ_ROW, m, r, key) return r.Unknown(key); \
  }
TACT_V1_DEFINE_FIELD_CODE(Context)
TACT_V1_DEFINE_FIELD_CODE(Customer)
TACT_V1_DEFINE_FIELD_CODE(Case)
TACT_V1_DEFINE_FIELD_CODE(Event)
TACT_V1_DEFINE_FIELD_CODE(Value)
#undef TACT_V1_DEFINE_FIELD_CODE

// A visitor whose every member accepts; derive and hide the members a pass
// looks at.
struct ContextFieldVisitor {
  bool String(ContextFieldInfo, const std::string&) { return true; }
  bool Int64(ContextFieldInfo, int64_t) { return true; }
  bool Double(ContextFieldInfo, double) { return true; }
  bool Bool(ContextFieldInfo, bool) { return true; }
  bool Timestamp(ContextFieldInfo, bool, const google::protobuf::Timestamp&) {
    return true;
  }
  bool Duration(ContextFieldInfo, bool, const google::protobuf::Duration&) {
    return true;
  }
  template <typename Sub>
  bool Message(ContextFieldInfo, bool, const Sub&) {
    return true;
  }
  template <typename Sub>
  bool Repeated(ContextFieldInfo,
                const google::protobuf::RepeatedPtrField<Sub>&) {
    return true;
  }
  template <typename Sub>
  bool Map(ContextFieldInfo, const google::protobuf::Map<std::string, Sub>&) {
    return true;
  }
};

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_CONTEXT_FIELDS_H_
