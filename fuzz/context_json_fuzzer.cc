// Fuzz target: a context in the proto3 JSON mapping, parsed and, when it
// parses, decided on the example support policy.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_common.h"
#include "tact/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<tact::v1::Context> context = tact::ContextFromJson(json);
  if (context.ok()) {
    tact::fuzz::DecideEveryWay(tact::fuzz::SupportEngine(), *context);
  }
  return 0;
}
