#include "src/io/nearest_field.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "src/common/edit_distance.h"

namespace tact::internal {

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
