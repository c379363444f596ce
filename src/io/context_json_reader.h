// A fast reader for tact.v1.Context in the proto3 JSON mapping.
//
// protobuf's JsonStringToMessage resolves every field through a type
// resolver and costs tens of microseconds per context. This reader knows the
// one schema (proto/tact/v1/context.proto, through its field table
// src/common/context_fields.h) and fills the generated setters in a single
// pass over the text, with no reflection.
//
// It is an accelerator, not a second parser: it handles only the inputs on
// which it is certain to build the message protobuf 3.21 would build, and
// answers "not handled" for everything else (malformed JSON, unknown or
// repeated keys, unusual spellings such as 1e2 for an int64 or "007", lone
// surrogates, control characters, ...). ContextFromJson then runs protobuf's
// parser, so every error and its message stay exactly protobuf's.
//
// Accepted (each exactly as protobuf 3.21 reads it):
//  - strict RFC 8259 JSON with space, tab, CR and LF as whitespace;
//  - both the json_name (lowerCamelCase: spend12m, openedAt, intValue) and
//    the original field name of every field, each at most once per object;
//  - int64 as a JSON integer or a string of one ("-?(0|[1-9][0-9]*)");
//  - double as a JSON number (an integer form only up to 2^53) or one of
//    the strings "NaN", "Infinity", "-Infinity";
//  - bool as true/false; null for any field of Context, Customer, Case and
//    Event, meaning "leave the field unset";
//  - strings with every JSON escape, \uXXXX surrogate pairs included, and
//    well-formed UTF-8;
//  - Timestamp as YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|+hh:mm|-hh:mm) within
//    0001-01-01T00:00:00Z..9999-12-31T23:59:59Z;
//  - Duration as -?S[.f{1,9}]s within +-315576000000 s;
//  - attributes: distinct keys, each mapping to {} or a Value with one
//    member of its oneof.
#ifndef TACT_SRC_IO_CONTEXT_JSON_READER_H_
#define TACT_SRC_IO_CONTEXT_JSON_READER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {

// Reads `json` into `*context` and returns true when the input is one this
// reader handles (see above); `*context` then equals what
// JsonStringToMessage builds into an empty message, whatever it held
// before: the reader resets it, keeping the customer, case, timestamps,
// history events and string capacity a previous context left for reuse.
// Returns false ("not handled") otherwise, leaving `*context` in an
// unspecified (valid) state: the caller clears it and asks protobuf's
// parser, which accepts or rejects the input.
// REQUIRES: `context` is not null.
// Thread-safe (no shared state).
bool ReadContextJson(absl::string_view json, v1::Context* context);

// What ContextFromJsonInto does with what ReadContextJson does not handle
// (defined in context_io.cc): clears `*context`, then tact's guards (depth,
// repeated keys, quoting) and protobuf's JsonStringToMessage, its error
// located. On error `*context` is left cleared. Also the reference the
// differential tests compare the fast reader with.
absl::Status ReadContextJsonWithProtobuf(absl::string_view json,
                                         v1::Context* context);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_CONTEXT_JSON_READER_H_
