// Fuzz target: one condition expression, parsed, type-checked and planned
// as the `when` of a rule (and as a definition and an amount expression),
// then evaluated on a sample context when it compiles.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_common.h"
#include "tact/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string expression(reinterpret_cast<const char*>(data), size);
  tact::v1::Policy policy;
  policy.set_name("fuzz");
  policy.set_version("1");
  policy.set_currency("USD");
  tact::v1::Action* credit = policy.add_actions();
  credit->set_id("credit");
  credit->add_tags("monetary");
  tact::v1::Rule* rule = policy.add_rules();
  rule->set_id("fuzzed");
  rule->set_when(expression);
  rule->add_recommend()->set_action("credit");
  absl::StatusOr<std::unique_ptr<const tact::Engine>> engine =
      tact::Engine::FromPolicy(policy);
  if (engine.ok()) {
    tact::fuzz::DecideEveryWay(**engine, tact::fuzz::SampleContext());
  }
  return 0;
}
