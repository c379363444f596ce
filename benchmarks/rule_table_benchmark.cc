// tact against the loop a C++ developer would write (issue 19), on the
// rule-table workload (benchmarks/rule_table.h): the same rules, the same
// 10,000 contexts, the same ranked output (rule_table_test checks it).
// Linked into decide_benchmark; benchmarks/rule_table_ratio.py prints the
// ratios from its --benchmark_out JSON. Figures: benchmarks/README.md.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "benchmarks/hand_loop.h"
#include "benchmarks/rule_table.h"
#include "benchmarks/workload.h"
#include "google/protobuf/util/json_util.h"
#include "tact/engine.h"

namespace tact::bench {
namespace {

constexpr int kContexts = 10000;

const std::vector<v1::Context>& Contexts() {
  static const auto* contexts =
      new std::vector<v1::Context>(GenerateContexts(kContexts));
  return *contexts;
}

// The contexts as a host receives them: proto3 JSON, as protobuf prints it.
const std::vector<std::string>& JsonContexts() {
  static const auto* json = [] {
    auto* out = new std::vector<std::string>();
    for (const v1::Context& c : Contexts()) {
      std::string text;
      (void)google::protobuf::util::MessageToJsonString(c, &text);
      out->push_back(std::move(text));
    }
    return out;
  }();
  return *json;
}

// One table per size, compiled for both sides once and shared.
struct Compiled {
  int rules;
  std::unique_ptr<const Engine> engine;
  std::unique_ptr<const HandLoop> loop;
};

const Compiled* TableFor(int rules) {
  static auto* tables = new std::vector<std::unique_ptr<Compiled>>();
  for (const auto& t : *tables) {
    if (t->rules == rules) return t.get();
  }
  RuleTable table = GenerateRuleTable(rules);
  auto engine = Engine::FromText(table.policy, PolicyFormat::kText, "rules");
  if (!engine.ok()) return nullptr;
  auto compiled = std::make_unique<Compiled>();
  compiled->rules = rules;
  compiled->engine = *std::move(engine);
  compiled->loop = std::make_unique<const HandLoop>(std::move(table.rules));
  tables->push_back(std::move(compiled));
  return tables->back().get();
}

void Report(benchmark::State& state, int64_t actions) {
  state.SetItemsProcessed(state.iterations());
  state.counters["actions/decision"] =
      benchmark::Counter(static_cast<double>(actions) / state.iterations());
}

// Engine::DecideInto on a parsed context into one reused Decision, cycling
// through the contexts.
void BM_RuleTable_Tact(benchmark::State& state) {
  const Compiled* t = TableFor(static_cast<int>(state.range(0)));
  if (t == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& contexts = Contexts();
  const DecideOptions options;
  v1::Decision decision;
  size_t i = 0;
  int64_t actions = 0;
  for (auto _ : state) {
    absl::Status status = t->engine->DecideInto(contexts[i++ % contexts.size()],
                                                options, &decision);
    actions += decision.actions_size();
    benchmark::DoNotOptimize(status);
  }
  Report(state, actions);
}
BENCHMARK(BM_RuleTable_Tact)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// The hand-written loop on the same parsed contexts: read the fields, run
// the rules, sort the matches into one reused vector of rule indices (the
// action ids are the rules', so no string is copied).
void BM_RuleTable_HandLoop(benchmark::State& state) {
  const Compiled* t = TableFor(static_cast<int>(state.range(0)));
  if (t == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& contexts = Contexts();
  HandFacts facts;
  std::vector<int> fired;
  size_t i = 0;
  int64_t actions = 0;
  for (auto _ : state) {
    ExtractFacts(contexts[i++ % contexts.size()], &facts);
    t->loop->Match(facts, &fired);
    actions += static_cast<int64_t>(fired.size());
    benchmark::DoNotOptimize(fired.data());
  }
  Report(state, actions);
}
BENCHMARK(BM_RuleTable_HandLoop)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// JSON text in: tact::ContextFromJson (tact's own context reader, a new
// Context each time) then DecideInto.
void BM_RuleTable_TactJson(benchmark::State& state) {
  const Compiled* t = TableFor(static_cast<int>(state.range(0)));
  if (t == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& json = JsonContexts();
  const DecideOptions options;
  v1::Decision decision;
  size_t i = 0;
  int64_t actions = 0;
  for (auto _ : state) {
    absl::StatusOr<v1::Context> context =
        ContextFromJson(json[i++ % json.size()]);
    if (!context.ok()) return state.SkipWithError("bad context JSON");
    absl::Status status = t->engine->DecideInto(*context, options, &decision);
    actions += decision.actions_size();
    benchmark::DoNotOptimize(status);
  }
  Report(state, actions);
}
BENCHMARK(BM_RuleTable_TactJson)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// JSON text in for the loop: what a developer has at hand in this build is
// protobuf's JSON parser (google::protobuf::util::JsonStringToMessage, which
// rejects unknown fields as ContextFromJson does), into one reused Context,
// then the same fields, rules and sort.
void BM_RuleTable_HandLoopJson(benchmark::State& state) {
  const Compiled* t = TableFor(static_cast<int>(state.range(0)));
  if (t == nullptr) return state.SkipWithError("policy failed to compile");
  const auto& json = JsonContexts();
  const google::protobuf::util::JsonParseOptions parse_options;
  v1::Context context;
  HandFacts facts;
  std::vector<int> fired;
  size_t i = 0;
  int64_t actions = 0;
  for (auto _ : state) {
    if (!google::protobuf::util::JsonStringToMessage(json[i++ % json.size()],
                                                     &context, parse_options)
             .ok()) {
      return state.SkipWithError("bad context JSON");
    }
    ExtractFacts(context, &facts);
    t->loop->Match(facts, &fired);
    actions += static_cast<int64_t>(fired.size());
    benchmark::DoNotOptimize(fired.data());
  }
  Report(state, actions);
}
BENCHMARK(BM_RuleTable_HandLoopJson)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

}  // namespace
}  // namespace tact::bench
