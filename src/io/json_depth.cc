#include "src/io/json_depth.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
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

bool FindJsonStrictnessError(absl::string_view json, std::string* problem,
                             int* line_out, int* column_out) {
  struct Level {
    bool object = false;
    bool expect_key = false;
    absl::flat_hash_set<absl::string_view> keys;
  };
  std::vector<Level> levels;
  int line = 1;
  size_t line_start = 0;
  auto fail = [&](size_t i, std::string what) {
    *problem = std::move(what);
    *line_out = line;
    *column_out = static_cast<int>(i - line_start + 1);
    return true;
  };
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    Level* top = levels.empty() ? nullptr : &levels.back();
    if (c == '"') {
      const size_t begin = i + 1;
      size_t end = begin;
      while (end < json.size() && json[end] != '"') {
        end += json[end] == '\\' ? 2 : 1;
      }
      if (end >= json.size()) return false;  // unterminated: protobuf's

      if (top != nullptr && top->object && top->expect_key) {
        absl::string_view key = json.substr(begin, end - begin);
        if (!top->keys.insert(key).second) {
          return fail(i, absl::StrCat("duplicate key \"", key, "\""));
        }
        top->expect_key = false;
      }
      i = end;
      continue;
    }
    if (c == '\'') {
      return fail(i, "strings and keys must be double-quoted");
    }
    // A bare word where a key belongs (`{now: ...}`); other bytes are left
    // to protobuf's parser and its message.
    if (top != nullptr && top->object && top->expect_key &&
        (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      return fail(i, "object keys must be double-quoted strings");
    }
    if (c == '{' || c == '[') {
      levels.emplace_back();
      levels.back().object = c == '{';
      levels.back().expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (levels.empty()) return false;
      levels.pop_back();
    } else if (c == ',' && top != nullptr && top->object) {
      top->expect_key = true;
    }
  }
  return false;
}

}  // namespace tact::internal
