// The edit distance behind every "did you mean ...?" suggestion.
#ifndef TACT_SRC_COMMON_EDIT_DISTANCE_H_
#define TACT_SRC_COMMON_EDIT_DISTANCE_H_

#include <algorithm>
#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace tact::internal {

// Optimal string alignment distance: Levenshtein (insert, delete, replace)
// plus swapping two adjacent characters, so "teir" is one edit from "tier".
// O(|a| * |b|) time and O(|b|) memory; callers compare short names.
inline size_t EditDistance(absl::string_view a, absl::string_view b) {
  // Rows i - 2, i - 1 and i of the distance table.
  std::vector<size_t> before(b.size() + 1), above(b.size() + 1),
      row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) above[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
    std::swap(before, above);
    std::swap(above, row);
  }
  return above[b.size()];
}

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_EDIT_DISTANCE_H_
