// Fuzz target: the whole path. The input is a text-format policy and a JSON
// context separated by a line "---"; the policy is loaded and compiled, the
// context parsed, and the context decided on the policy every way.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_common.h"
#include "tact/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find("\n---\n");
  if (split == absl::string_view::npos) return 0;
  absl::string_view policy_text = input.substr(0, split);
  absl::string_view context_json = input.substr(split + 5);
  tact::CompileResult result = tact::Engine::CompileText(
      policy_text, tact::PolicyFormat::kText, "fuzz.textproto");
  if (result.engine == nullptr) return 0;
  absl::StatusOr<tact::v1::Context> context =
      tact::ContextFromJson(context_json);
  if (!context.ok()) return 0;
  tact::fuzz::DecideEveryWay(*result.engine, *context);
  return 0;
}
