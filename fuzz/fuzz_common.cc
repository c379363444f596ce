#include "fuzz/fuzz_common.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace tact::fuzz {

const Engine& SupportEngine() {
  static const Engine* engine = [] {
    absl::StatusOr<std::unique_ptr<const Engine>> loaded = Engine::FromFile(
        TACT_SOURCE_DIR "/examples/policies/support.textproto");
    if (!loaded.ok()) {
      std::fprintf(stderr, "fuzz: cannot load the support policy: %s\n",
                   std::string(loaded.status().message()).c_str());
      std::abort();
    }
    return loaded->release();
  }();
  return *engine;
}

const v1::Context& SampleContext() {
  static const v1::Context* context = [] {
    absl::StatusOr<v1::Context> parsed = ContextFromJson(R"({
      "now": "2026-01-05T10:00:00Z",
      "customer": {"id": "c1", "tier": "gold", "spend12m": "120000",
                   "influence": 0.9},
      "case": {"id": "k1", "channel": "email", "category": "delivery",
               "severity": "high", "openedAt": "2026-01-04T10:00:00Z"}
    })");
    return new v1::Context(parsed.ok() ? *parsed : v1::Context());
  }();
  return *context;
}

void DecideEveryWay(const Engine& engine, const v1::Context& context) {
  DecideOptions options;
  absl::StatusOr<v1::Decision> plain = engine.Decide(context, options);
  if (!plain.ok()) return;
  (void)DecisionToJson(*plain, /*pretty=*/true);
  options.trace = true;
  absl::StatusOr<v1::Decision> traced = engine.Decide(context, options);
  if (traced.ok()) (void)DecisionToJson(*traced, /*pretty=*/false);
  options.authority = "bot";
  (void)engine.Decide(context, options);
}

}  // namespace tact::fuzz
