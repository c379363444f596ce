// Field positions for a policy written in the proto3 JSON mapping.
#ifndef TACT_SRC_IO_JSON_SOURCE_MAP_H_
#define TACT_SRC_IO_JSON_SOURCE_MAP_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "src/io/policy_source.h"

namespace tact::internal {

struct JsonScan {
  SourceMap source_map;
  // The first syntax error the scanner met, with its position; empty when
  // the text is well-formed JSON (as far as positions matter).
  std::string syntax_error;
  FileLocation syntax_error_location;
  // The first object key that names no field of its message.
  std::string unknown_field;
  FileLocation unknown_field_location;
};

// Scans `json` as a `descriptor` message and records each field it names
// under the same paths as the text-format SourceMap ("rules[0].when",
// "rules[0].recommend[0].params[amount]"), keyed by proto field name whether
// the JSON used it or the camelCase JSON name. Positions only: protobuf's
// JSON parser remains the judge of validity. Never fails; nesting deeper
// than 100 stops the scan.
JsonScan ScanJson(absl::string_view json,
                  const google::protobuf::Descriptor& descriptor);

// protobuf's JSON error, made to fit on one line (3.21 appends a copy of
// the input and a caret on further lines), and where it points: the unknown
// key for "Cannot find field", else the field named by the "(path)" protobuf
// puts first, else the scan's syntax error; {0, 0} when none applies.
struct JsonError {
  std::string message;
  FileLocation location;
};
JsonError LocateJsonError(const JsonScan& scan,
                          absl::string_view protobuf_message);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_JSON_SOURCE_MAP_H_
