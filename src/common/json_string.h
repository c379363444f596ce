// A string as a JSON string literal, for the JSON tact writes by hand (the
// simulate summary, the shadow report, the decision log's replay report).
#ifndef TACT_SRC_COMMON_JSON_STRING_H_
#define TACT_SRC_COMMON_JSON_STRING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tact::internal {

// Appends `s` quoted: `"` and `\` escaped, \n \r \t by name, every other
// byte below 0x20 as \u00XX; other bytes (UTF-8 included) as they are.
void AppendJsonString(absl::string_view s, std::string* out);

// As AppendJsonString, returned.
std::string JsonString(absl::string_view s);

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_JSON_STRING_H_
