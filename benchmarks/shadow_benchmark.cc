// Shadow evaluation's cost (EngineHandle with a candidate, issue 16): the
// serving decision alone, through a handle without a candidate, and with a
// candidate deciding every decision (share 1.0) or one in ten (0.1), on the
// generated workload (benchmarks/workload.h). The candidate is another
// generated policy of the same size (another seed), so it differs from the
// serving one on most contexts and the comparison and example paths run.
// Figures and the command: benchmarks/README.md, "Shadow evaluation".
#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "benchmark/benchmark.h"
#include "benchmarks/workload.h"
#include "tact/engine.h"
#include "tact/engine_handle.h"

namespace {

constexpr int kContexts = 10000;
constexpr uint64_t kCandidateSeed = 20261124;  // the serving one's + 1

const std::vector<tact::v1::Context>& Contexts() {
  static const auto* contexts = new std::vector<tact::v1::Context>(
      tact::bench::GenerateContexts(kContexts));
  return *contexts;
}

// The serving policy (candidate = false) or the candidate of `rules` rules,
// compiled once.
std::shared_ptr<const tact::Engine> EngineFor(int rules, bool candidate) {
  static auto* engines = new std::vector<
      std::tuple<int, bool, std::shared_ptr<const tact::Engine>>>();
  for (const auto& [size, is_candidate, engine] : *engines) {
    if (size == rules && is_candidate == candidate) return engine;
  }
  auto engine = tact::Engine::FromText(
      candidate ? tact::bench::GeneratePolicy(rules, kCandidateSeed)
                : tact::bench::GeneratePolicy(rules),
      tact::PolicyFormat::kText, "generated");
  if (!engine.ok()) return nullptr;
  engines->emplace_back(
      rules, candidate,
      std::shared_ptr<const tact::Engine>(*std::move(engine)));
  return std::get<2>(engines->back());
}

// One engine alone: range(1) 0 the serving policy, 1 the candidate. Their
// sum is what a handle at share 1.0 should cost, plus the comparison.
void BM_EngineAlone(benchmark::State& state) {
  auto engine =
      EngineFor(static_cast<int>(state.range(0)), state.range(1) != 0);
  if (engine == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& contexts = Contexts();
  size_t i = 0;
  for (auto _ : state) {
    auto decision = engine->Decide(contexts[i++ % contexts.size()]);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EngineAlone)->ArgsProduct({{100, 1000}, {0, 1}});

// What a host deciding each context twice itself would pay: the serving
// engine's decision, then the candidate's (range(1) as BM_HandleDecide's
// range(2)) on the same context, both kept until the next iteration. The
// floor under BM_HandleDecide at share 1.0.
void BM_TwoEngines(benchmark::State& state) {
  const int rules = static_cast<int>(state.range(0));
  auto serving = EngineFor(rules, false);
  auto candidate = EngineFor(rules, state.range(1) != 0);
  if (serving == nullptr || candidate == nullptr) {
    return state.SkipWithError("policy failed to compile");
  }
  const auto& contexts = Contexts();
  size_t i = 0;
  for (auto _ : state) {
    const tact::v1::Context& context = contexts[i++ % contexts.size()];
    auto decision = serving->Decide(context);
    auto shadow = candidate->Decide(context);
    benchmark::DoNotOptimize(decision);
    benchmark::DoNotOptimize(shadow);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TwoEngines)->ArgsProduct({{100, 1000}, {0, 1}});

// EngineHandle::Decide: range(1) is the candidate's share in thousandths,
// -1 for no candidate at all; range(2) 1 for the other generated policy as
// the candidate (it differs on nearly every context: the comparison lists
// many changes), 0 for the serving policy itself (every comparison finds
// nothing: the usual case of a candidate that changes a few contexts).
void BM_HandleDecide(benchmark::State& state) {
  const int rules = static_cast<int>(state.range(0));
  auto serving = EngineFor(rules, false);
  auto candidate = EngineFor(rules, state.range(2) != 0);
  if (serving == nullptr || candidate == nullptr) {
    return state.SkipWithError("policy failed to compile");
  }
  tact::EngineHandle handle(serving);
  if (state.range(1) >= 0) {
    tact::ShadowOptions options;
    options.share = static_cast<double>(state.range(1)) / 1000;
    if (!handle.SetCandidate(candidate, options).ok()) {
      return state.SkipWithError("SetCandidate failed");
    }
  }
  const auto& contexts = Contexts();
  size_t i = 0;
  for (auto _ : state) {
    auto decision = handle.Decide(contexts[i++ % contexts.size()]);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
  const tact::ShadowReport report = handle.Shadow();
  if (report.active && report.sampled > 0) {
    state.counters["differing_share"] = benchmark::Counter(
        static_cast<double>(report.differing) / report.sampled);
  }
}
BENCHMARK(BM_HandleDecide)
    ->Args({100, -1, 0})
    ->Args({1000, -1, 0})
    ->ArgsProduct({{100, 1000}, {100, 1000}, {0, 1}});

}  // namespace

BENCHMARK_MAIN();
