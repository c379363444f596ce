#include "src/io/nearest_field.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace tact::internal {
namespace {

// Levenshtein distance; names are short, so the O(n*m) table is fine.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string NearestFieldName(const google::protobuf::Descriptor& descriptor,
                             absl::string_view name) {
  std::string best;
  size_t best_distance = 3;  // A suggestion needs at most 2 edits.
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const google::protobuf::FieldDescriptor& field = *descriptor.field(i);
    const size_t distance = std::min(EditDistance(name, field.name()),
                                     EditDistance(name, field.json_name()));
    if (distance < best_distance && 2 * distance < name.size()) {
      best_distance = distance;
      best = field.name();
    }
  }
  return best;
}

}  // namespace tact::internal
