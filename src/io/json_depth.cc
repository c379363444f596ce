#include "src/io/json_depth.h"

#include <algorithm>

#include "absl/strings/string_view.h"

namespace tact::internal {

int JsonNestingDepth(absl::string_view json) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // The escaped character cannot end the string.
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      depth = std::max(0, depth - 1);
    }
  }
  return deepest;
}

}  // namespace tact::internal
