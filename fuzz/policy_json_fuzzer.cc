// Fuzz target: a policy in proto3 JSON mapping, loaded and compiled; when
// it compiles, a sample context is decided on it.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_common.h"
#include "tact/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  tact::CompileResult result =
      tact::Engine::CompileText(text, tact::PolicyFormat::kJson, "fuzz.json");
  for (const tact::Diagnostic& d : result.diagnostics) (void)d.ToString();
  if (result.engine != nullptr) {
    tact::fuzz::DecideEveryWay(*result.engine, tact::fuzz::SampleContext());
  }
  return 0;
}
