// The content hash recorded in every decision, so an audit can tell which
// policy made it.
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "src/io/policy_source.h"

namespace tact::internal {

std::string PolicyHash(const v1::Policy& policy) {
  // Deterministic serialization orders map entries by key, so two equal
  // policies hash alike however they were built. (It is deterministic for
  // one protobuf build; the hash is not promised across protobuf versions.)
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    policy.SerializeToCodedStream(&coded);
  }  // `coded` flushes into `bytes` when it goes out of scope.
  return absl::StrCat("sha256:", Sha256Hex(bytes));
}

}  // namespace tact::internal
