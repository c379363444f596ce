// The context JSON reader alone (issue 19): tact::ContextFromJson (a new
// message per context), tact::ContextFromJsonInto (one reused message) and
// protobuf's JsonStringToMessage, on two context shapes:
//   /0  ~290-byte contexts: the workload's contexts without history,
//       attributes and a few customer and case fields, the shape a
//       rule-table host sends (issue 19's ~270-byte context);
//   /1  ~800-byte contexts: the workload's contexts as they are (0-11
//       history events, attributes), as BM_ContextFromJson reads them.
// BM_DecideSmall adds the decision (10 generated rules, DecideInto) on the
// ~270-byte contexts, parsed (/0) or from JSON text through
// ContextFromJsonInto (/1): the difference is what JSON text in costs.
// Figures and the command that produces them: benchmarks/README.md.
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "benchmarks/workload.h"
#include "google/protobuf/util/json_util.h"
#include "tact/engine.h"

namespace {

constexpr int kContexts = 1000;

// The workload's contexts; `small` keeps what a rule table reads (customer
// id, tier, spend and lifetime value; the case's id, channel, category,
// severity, sentiment to two decimals, message cut to three words and
// opening time; now).
std::vector<tact::v1::Context> Contexts(bool small) {
  std::vector<tact::v1::Context> contexts =
      tact::bench::GenerateContexts(kContexts);
  if (small) {
    for (tact::v1::Context& context : contexts) {
      context.clear_history();
      context.clear_attributes();
      tact::v1::Customer& customer = *context.mutable_customer();
      customer.clear_tenure_days();
      customer.clear_influence();
      customer.clear_orders_12m();
      tact::v1::Case& kase = *context.mutable_case_();
      kase.clear_incident_at();
      kase.clear_our_fault();
      kase.set_sentiment(std::round(kase.sentiment() * 100) / 100);
      // The first three words: "Hello, w1 w2 w3."
      size_t cut = 0;
      for (int words = 0; words < 4 && cut != std::string::npos; ++words) {
        cut = kase.message().find(' ', cut + 1);
      }
      if (cut != std::string::npos) {
        kase.set_message(kase.message().substr(0, cut) + ".");
      }
    }
  }
  return contexts;
}

// The contexts in the proto3 JSON mapping, as a host would send them.
const std::vector<std::string>& JsonContexts(bool small) {
  static const auto* const texts = [] {
    auto* all = new std::vector<std::string>[2];
    for (int s = 0; s < 2; ++s) {
      for (const tact::v1::Context& context : Contexts(s == 0)) {
        std::string text;
        google::protobuf::util::MessageToJsonString(context, &text);
        all[s].push_back(std::move(text));
      }
    }
    return all;
  }();
  return texts[small ? 0 : 1];
}

void SetBytes(benchmark::State& state, const std::vector<std::string>& json) {
  size_t bytes = 0;
  for (const std::string& text : json) bytes += text.size();
  state.counters["bytes_per_context"] =
      benchmark::Counter(static_cast<double>(bytes) / json.size());
}

// A new message per context (parsed, then destroyed).
void BM_ContextJson_New(benchmark::State& state) {
  const auto& json = JsonContexts(state.range(0) == 0);
  size_t i = 0;
  for (auto _ : state) {
    auto context = tact::ContextFromJson(json[i++ % json.size()]);
    benchmark::DoNotOptimize(context);
  }
  SetBytes(state, json);
}
BENCHMARK(BM_ContextJson_New)->Arg(0)->Arg(1);

// One message reused for every context.
void BM_ContextJson_Into(benchmark::State& state) {
  const auto& json = JsonContexts(state.range(0) == 0);
  tact::v1::Context context;
  size_t i = 0;
  for (auto _ : state) {
    auto status = tact::ContextFromJsonInto(json[i++ % json.size()], &context);
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(context);
  }
  SetBytes(state, json);
}
BENCHMARK(BM_ContextJson_Into)->Arg(0)->Arg(1);

// protobuf 3.21's parser alone, into a reused message: what ContextFromJson
// costs on what the fast reader leaves to it.
void BM_ContextJson_Protobuf(benchmark::State& state) {
  const auto& json = JsonContexts(state.range(0) == 0);
  tact::v1::Context context;
  google::protobuf::util::JsonParseOptions options;
  size_t i = 0;
  for (auto _ : state) {
    const std::string& text = json[i++ % json.size()];
    auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(text.data(), text.size()), &context,
        options);
    benchmark::DoNotOptimize(status);
  }
  SetBytes(state, json);
}
BENCHMARK(BM_ContextJson_Protobuf)->Arg(0)->Arg(1);

// Wire bytes into a reused message, for comparison.
void BM_ContextBinary_Into(benchmark::State& state) {
  std::vector<std::string> bytes;
  for (const tact::v1::Context& context : Contexts(state.range(0) == 0)) {
    bytes.push_back(context.SerializeAsString());
  }
  tact::v1::Context context;
  size_t i = 0;
  for (auto _ : state) {
    bool ok = context.ParseFromString(bytes[i++ % bytes.size()]);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_ContextBinary_Into)->Arg(0)->Arg(1);

// DecideInto at 10 rules on the ~290-byte contexts: /0 parsed beforehand,
// /1 read from JSON text into a reused message each time.
void BM_DecideSmall(benchmark::State& state) {
  auto engine = tact::Engine::FromText(tact::bench::GeneratePolicy(10),
                                       tact::PolicyFormat::kText, "generated");
  if (!engine.ok()) return state.SkipWithError("policy failed to compile");
  const bool from_json = state.range(0) == 1;
  const auto& json = JsonContexts(true);
  std::vector<tact::v1::Context> parsed = Contexts(true);
  tact::v1::Context context;
  tact::v1::Decision decision;
  const tact::DecideOptions options;
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % json.size();
    const tact::v1::Context* in = &parsed[k];
    if (from_json) {
      if (!tact::ContextFromJsonInto(json[k], &context).ok()) {
        return state.SkipWithError("context did not parse");
      }
      in = &context;
    }
    auto status = (*engine)->DecideInto(*in, options, &decision);
    benchmark::DoNotOptimize(status);
  }
}
BENCHMARK(BM_DecideSmall)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
