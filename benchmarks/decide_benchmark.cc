// tact's benchmark suite on the generated workload (benchmarks/workload.h).
// Figures and the command that produces them: benchmarks/README.md.
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "benchmarks/heap_peak.h"
#include "benchmarks/workload.h"
#include "google/protobuf/util/json_util.h"
#include "tact/engine.h"

namespace {

constexpr int kContexts = 10000;

const std::vector<tact::v1::Context>& Contexts() {
  static const auto* contexts = new std::vector<tact::v1::Context>(
      tact::bench::GenerateContexts(kContexts));
  return *contexts;
}

// Compiled once per size and shared by every benchmark and thread.
const tact::Engine* EngineFor(int rules) {
  static auto* engines =
      new std::vector<std::pair<int, std::unique_ptr<const tact::Engine>>>();
  for (const auto& [size, engine] : *engines) {
    if (size == rules) return engine.get();
  }
  auto engine = tact::Engine::FromText(tact::bench::GeneratePolicy(rules),
                                       tact::PolicyFormat::kText, "generated");
  if (!engine.ok()) return nullptr;
  engines->emplace_back(rules, *std::move(engine));
  return engines->back().second.get();
}

// Decision latency on a parsed context, cycling through the contexts so the
// mix of tiers, channels and histories is the realistic one.
void BM_Decide(benchmark::State& state) {
  const tact::Engine* engine = EngineFor(static_cast<int>(state.range(0)));
  if (engine == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& contexts = Contexts();
  size_t i = static_cast<size_t>(state.thread_index()) * 997;
  int64_t actions = 0;
  for (auto _ : state) {
    auto decision = engine->Decide(contexts[i++ % contexts.size()]);
    actions += decision->actions_size();
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["actions/decision"] =
      benchmark::Counter(static_cast<double>(actions) / state.iterations());
}
BENCHMARK(BM_Decide)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// As BM_Decide, into one reused Decision: the allocation-free path.
// reasons/decision counts the reasons written (one per rule that fired for
// an action, plus construct notes): the output the decision must build.
void BM_DecideInto(benchmark::State& state) {
  const tact::Engine* engine = EngineFor(static_cast<int>(state.range(0)));
  if (engine == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& contexts = Contexts();
  const tact::DecideOptions options;
  tact::v1::Decision decision;
  size_t i = static_cast<size_t>(state.thread_index()) * 997;
  int64_t actions = 0, reasons = 0;
  for (auto _ : state) {
    absl::Status status =
        engine->DecideInto(contexts[i++ % contexts.size()], options, &decision);
    actions += decision.actions_size();
    for (const auto& a : decision.actions()) reasons += a.reasons_size();
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["actions/decision"] =
      benchmark::Counter(static_cast<double>(actions) / state.iterations());
  state.counters["reasons/decision"] =
      benchmark::Counter(static_cast<double>(reasons) / state.iterations());
}
BENCHMARK(BM_DecideInto)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// Decisions per second on one shared engine from 1 and 2 threads.
BENCHMARK(BM_Decide)
    ->Name("BM_DecideShared")
    ->Arg(1000)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

// BM_DecideInto at a trace level (range(1): 0 TRACE_OFF, 1 TRACE_EVALUATED,
// 2 TRACE_FULL), on the same contexts in the same order, so that the
// levels' times compare. entries/decision counts the RuleTrace entries.
void BM_DecideTrace(benchmark::State& state) {
  const tact::Engine* engine = EngineFor(static_cast<int>(state.range(0)));
  if (engine == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& contexts = Contexts();
  tact::DecideOptions options;
  options.trace_level = static_cast<tact::v1::TraceLevel>(state.range(1));
  tact::v1::Decision decision;  // reused, as for BM_DecideInto
  size_t i = 0;
  int64_t entries = 0;
  for (auto _ : state) {
    absl::Status status =
        engine->DecideInto(contexts[i++ % contexts.size()], options, &decision);
    entries += decision.trace_size();
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["entries/decision"] =
      benchmark::Counter(static_cast<double>(entries) / state.iterations());
}
BENCHMARK(BM_DecideTrace)
    ->ArgNames({"rules", "level"})
    ->ArgsProduct({{100, 1000}, {0, 1, 2}});

// BM_DecideInto with the decision's record (DecideOptions::record: the
// context digest and decision id, two SHA-256 passes) and range(1) 1 also
// the evaluated trace: what a host that logs every decision for audit pays.
void BM_DecideRecord(benchmark::State& state) {
  const tact::Engine* engine = EngineFor(static_cast<int>(state.range(0)));
  if (engine == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& contexts = Contexts();
  tact::DecideOptions options;
  options.record = true;
  if (state.range(1) == 1) options.trace_level = tact::v1::TRACE_EVALUATED;
  tact::v1::Decision decision;  // reused, as for BM_DecideInto
  size_t i = 0;
  int64_t context_bytes = 0;
  for (auto _ : state) {
    const tact::v1::Context& context = contexts[i++ % contexts.size()];
    absl::Status status = engine->DecideInto(context, options, &decision);
    benchmark::DoNotOptimize(status);
  }
  for (size_t k = 0; k < 1000 && k < contexts.size(); ++k) {
    context_bytes += static_cast<int64_t>(contexts[k].ByteSizeLong());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["context_bytes"] = benchmark::Counter(
      static_cast<double>(context_bytes) /
      static_cast<double>(std::min<size_t>(1000, contexts.size())));
}
BENCHMARK(BM_DecideRecord)
    ->ArgNames({"rules", "evaluated"})
    ->ArgsProduct({{100, 1000}, {0, 1}});

// The same decision from JSON text (parse + decide).
void BM_DecideFromJson(benchmark::State& state) {
  const tact::Engine* engine = EngineFor(static_cast<int>(state.range(0)));
  if (engine == nullptr) return state.SkipWithError("policy failed to compile");
  std::vector<std::string> json;
  for (int k = 0; k < 1000; ++k) {
    std::string text;
    google::protobuf::util::MessageToJsonString(Contexts()[k], &text);
    json.push_back(std::move(text));
  }
  size_t i = 0;
  for (auto _ : state) {
    auto context = tact::ContextFromJson(json[i++ % json.size()]);
    auto decision = engine->Decide(*context);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_DecideFromJson)->Arg(100)->Arg(1000);

// The same from protobuf wire bytes (parse + decide).
void BM_DecideFromBytes(benchmark::State& state) {
  const tact::Engine* engine = EngineFor(static_cast<int>(state.range(0)));
  if (engine == nullptr) return state.SkipWithError("policy failed to compile");
  std::vector<std::string> bytes;
  for (int k = 0; k < 1000; ++k)
    bytes.push_back(Contexts()[k].SerializeAsString());
  size_t i = 0;
  for (auto _ : state) {
    auto context = tact::ContextFromBinary(bytes[i++ % bytes.size()]);
    auto decision = engine->Decide(*context);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_DecideFromBytes)->Arg(100)->Arg(1000);

// Policy compile time (parse text, type-check, plan, index), and the heap
// a compiled engine keeps.
void BM_Compile(benchmark::State& state) {
  std::string text =
      tact::bench::GeneratePolicy(static_cast<int>(state.range(0)));
  size_t retained = 0;
  size_t peak = 0;
  for (auto _ : state) {
    size_t before = mallinfo2().uordblks;
    tact::bench::HeapPeak::Start();
    auto engine =
        tact::Engine::FromText(text, tact::PolicyFormat::kText, "generated");
    peak = tact::bench::HeapPeak::Stop();
    retained = mallinfo2().uordblks - before;
    benchmark::DoNotOptimize(engine);
  }
  state.counters["engine_MiB"] = benchmark::Counter(retained / 1048576.0);
  state.counters["peak_MiB"] = benchmark::Counter(peak / 1048576.0);
}
BENCHMARK(BM_Compile)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

// The shipped service playbook on its example cases: the C++ baseline that
// benchmarks/python_overhead.py compares Python's decide() against.
void BM_ServicePlaybook(benchmark::State& state) {
  auto engine = tact::Engine::FromFile(absl::StrCat(
      TACT_SOURCE_DIR, "/examples/policies/service_playbook.textproto"));
  if (!engine.ok())
    return state.SkipWithError("service_playbook failed to compile");
  std::vector<tact::v1::Context> contexts;
  for (const auto& entry : std::filesystem::directory_iterator(
           absl::StrCat(TACT_SOURCE_DIR, "/examples/contexts"))) {
    std::string name = entry.path().filename().string();
    if (name.rfind("playbook_", 0) != 0) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto context = tact::ContextFromJson(text.str());
    if (context.ok()) contexts.push_back(*std::move(context));
  }
  std::sort(contexts.begin(), contexts.end(), [](const auto& a, const auto& b) {
    return a.case_().id() < b.case_().id();
  });
  if (contexts.empty()) return state.SkipWithError("no example contexts");
  size_t i = 0;
  for (auto _ : state) {
    auto decision = (*engine)->Decide(contexts[i++ % contexts.size()]);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_ServicePlaybook);

}  // namespace

namespace {

// Parsing alone: the workload's first 1,000 contexts printed with
// MessageToJsonString (as BM_DecideFromJson parses them), read back with
// ContextFromJson. Issue 6: at most 5 us over deciding on a parsed context.
void BM_ContextFromJson(benchmark::State& state) {
  std::vector<std::string> json;
  size_t bytes = 0;
  for (int k = 0; k < 1000; ++k) {
    std::string text;
    google::protobuf::util::MessageToJsonString(Contexts()[k], &text);
    bytes += text.size();
    json.push_back(std::move(text));
  }
  size_t i = 0;
  for (auto _ : state) {
    auto context = tact::ContextFromJson(json[i++ % json.size()]);
    benchmark::DoNotOptimize(context);
  }
  state.counters["bytes_per_context"] =
      benchmark::Counter(static_cast<double>(bytes) / json.size());
}
BENCHMARK(BM_ContextFromJson);

}  // namespace

BENCHMARK_MAIN();
