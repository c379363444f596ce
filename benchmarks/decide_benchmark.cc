// Decision and load cost. Figures and the command that produces them are in
// benchmarks/README.md.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/text_format.h"
#include "tact/engine.h"

namespace {

// A policy of `rules` rules over a 12-action catalogue: equality tests on
// tier/channel/category, numeric thresholds, a definition shared by all.
std::string SyntheticPolicy(int rules) {
  static constexpr const char* kTiers[] = {"standard", "gold", "platinum", "prospect"};
  static constexpr const char* kChannels[] = {"email", "chat", "phone", "social"};
  std::string text = "name: 'synthetic' version: '1' currency: 'USD'\n";
  for (int a = 0; a < 12; ++a) absl::StrAppend(&text, "actions { id: 'a", a, "' }\n");
  absl::StrAppend(&text,
                  "definitions { name: 'unhappy' expr: 'case.sentiment < -0.3' }\n");
  for (int r = 0; r < rules; ++r) {
    absl::StrAppend(&text, "rules { id: 'r", r, "' priority: ", r % 5, " when: \"",
                    "customer.tier == '", kTiers[r % 4], "' && case.channel == '",
                    kChannels[(r / 4) % 4], "' && customer.spend_12m > ", (r % 7) * 1000,
                    " && unhappy\" recommend { action: 'a", r % 12, "' } }\n");
  }
  return text;
}

tact::v1::Context SampleContext() {
  tact::v1::Context context;
  google::protobuf::TextFormat::ParseFromString(R"pb(
    now { seconds: 1767607200 }
    customer { id: "c1" tier: "gold" spend_12m: 120000 influence: 0.4 }
    case { id: "k1" channel: "chat" category: "delivery" sentiment: -0.6
           opened_at { seconds: 1767520800 } }
    history { at { seconds: 1767000000 } kind: "complaint" case_id: "k0" }
    history { at { seconds: 1767100000 } kind: "goodwill" amount: 500 case_id: "k0" }
  )pb", &context);
  return context;
}

void BM_DecideSynthetic(benchmark::State& state) {
  auto engine = tact::Engine::FromText(SyntheticPolicy(static_cast<int>(state.range(0))),
                                       tact::PolicyFormat::kText);
  if (!engine.ok()) {
    state.SkipWithError(std::string(engine.status().message()).c_str());
    return;
  }
  tact::v1::Context context = SampleContext();
  for (auto _ : state) {
    auto decision = (*engine)->Decide(context);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideSynthetic)->Arg(10)->Arg(100)->Arg(1000);

void BM_DecideSyntheticTraced(benchmark::State& state) {
  auto engine = tact::Engine::FromText(SyntheticPolicy(static_cast<int>(state.range(0))),
                                       tact::PolicyFormat::kText);
  if (!engine.ok()) {
    state.SkipWithError(std::string(engine.status().message()).c_str());
    return;
  }
  tact::v1::Context context = SampleContext();
  tact::DecideOptions options;
  options.trace = true;
  for (auto _ : state) {
    auto decision = (*engine)->Decide(context, options);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_DecideSyntheticTraced)->Arg(100);

void BM_Compile(benchmark::State& state) {
  std::string text = SyntheticPolicy(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto engine = tact::Engine::FromText(text, tact::PolicyFormat::kText);
    benchmark::DoNotOptimize(engine);
  }
}
BENCHMARK(BM_Compile)->Arg(100)->Arg(1000);

void BM_DecideExamplePolicy(benchmark::State& state) {
  auto engine = tact::Engine::FromFile(
      absl::StrCat(TACT_SOURCE_DIR, "/examples/policies/support.textproto"));
  if (!engine.ok()) {
    state.SkipWithError(std::string(engine.status().message()).c_str());
    return;
  }
  tact::v1::Context context = SampleContext();
  for (auto _ : state) {
    auto decision = (*engine)->Decide(context);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_DecideExamplePolicy);

}  // namespace

BENCHMARK_MAIN();
