// Helpers for asserting source positions in io tests.
#ifndef TACT_TESTS_IO_TEST_POSITIONS_H_
#define TACT_TESTS_IO_TEST_POSITIONS_H_

#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "src/io/policy_source.h"

namespace tact::internal {

inline bool operator==(const FileLocation& a, const FileLocation& b) {
  return a.line == b.line && a.column == b.column;
}

inline std::ostream& operator<<(std::ostream& os, const FileLocation& l) {
  return os << l.line << ":" << l.column;
}

// The 1-based line and byte column of the first byte of the `occurrence`-th
// (0-based) match of `needle` in `text`; {0, 0} when absent. Independent of
// the code under test, so tests state positions by content, not by count.
inline FileLocation PositionOf(absl::string_view text, absl::string_view needle,
                               int occurrence = 0) {
  size_t offset = text.find(needle);
  for (int i = 0; i < occurrence && offset != absl::string_view::npos; ++i) {
    offset = text.find(needle, offset + 1);
  }
  if (offset == absl::string_view::npos) return {};
  FileLocation location{1, 1};
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++location.line;
      location.column = 1;
    } else {
      ++location.column;
    }
  }
  return location;
}

}  // namespace tact::internal

#endif  // TACT_TESTS_IO_TEST_POSITIONS_H_
