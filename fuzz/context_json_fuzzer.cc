// Fuzz target: a context in the proto3 JSON mapping, parsed and, when it
// parses, decided on the example support policy.
//
// It also checks the fast reader (src/io/context_json_reader.h) against
// protobuf's parser: whatever the reader handles, protobuf must accept and
// build the same message (equal deterministic bytes); it aborts otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_common.h"
#include "google/protobuf/util/json_util.h"
#include "src/common/deterministic_bytes.h"
#include "src/io/context_json_reader.h"
#include "tact/engine.h"

namespace {

void CheckFastReaderAgreesWithProtobuf(absl::string_view json) {
  tact::v1::Context fast;
  if (!tact::internal::ReadContextJson(json, &fast)) return;
  tact::v1::Context reference;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &reference,
      options);
  if (!status.ok()) {
    std::fprintf(stderr, "fast reader accepted what protobuf rejects: %s\n",
                 status.ToString().c_str());
    std::abort();
  }
  if (tact::internal::DeterministicBytes(fast) !=
      tact::internal::DeterministicBytes(reference)) {
    std::fprintf(stderr, "fast reader and protobuf differ:\n%s\nvs\n%s\n",
                 fast.DebugString().c_str(), reference.DebugString().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view json(reinterpret_cast<const char*>(data), size);
  CheckFastReaderAgreesWithProtobuf(json);
  absl::StatusOr<tact::v1::Context> context = tact::ContextFromJson(json);
  if (context.ok()) {
    tact::fuzz::DecideEveryWay(tact::fuzz::SupportEngine(), *context);
  }
  return 0;
}
