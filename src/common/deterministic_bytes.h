// A message's deterministic wire format: map entries ordered by key, so two
// equal messages give equal bytes however they were built (for one protobuf
// build; not promised across protobuf versions).
#ifndef TACT_SRC_COMMON_DETERMINISTIC_BYTES_H_
#define TACT_SRC_COMMON_DETERMINISTIC_BYTES_H_

#include <string>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"

namespace tact::internal {

inline std::string DeterministicBytes(
    const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }  // `coded` flushes into `bytes` when it goes out of scope.
  return bytes;
}

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_DETERMINISTIC_BYTES_H_
