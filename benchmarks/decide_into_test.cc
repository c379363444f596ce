// Engine::DecideInto on the generated workload: the same decisions as
// Decide whatever a reused Decision held before, a cleared Decision on
// error, and no heap allocation once the storage is warm.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "benchmarks/workload.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

// GCC pairs the replaced operator delete with the standard new when it
// inlines an allocator, and warns; both are the replacements below.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Counts every allocation through the global operator new (std::string,
// std::vector, protobuf messages and repeated fields all go through it).
namespace {
std::atomic<int64_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace tact::bench {
namespace {

// Once warm, nothing allocates: the rule index, every construct, the
// ranking and the Decision reuse their storage, and what a decision lets go
// of is kept for the next one on the thread (src/policy/decision_writer.h),
// also over varied contexts (varied_allocation_test covers all 10,000).

std::unique_ptr<const Engine> Compile(int rules) {
  auto engine =
      Engine::FromText(GeneratePolicy(rules), PolicyFormat::kText, "generated");
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

DecideOptions Options(int i) {
  DecideOptions options;
  options.trace = i % 4 == 0;
  if (i % 4 == 1) options.trace_level = v1::TRACE_EVALUATED;
  if (i % 5 == 0) options.authority = "bot";
  return options;
}

TEST(DecideIntoTest, ReusedDecisionGivesDecideResultsByteForByte) {
  std::vector<v1::Context> contexts = GenerateContexts(400);
  for (int rules : {10, 100}) {
    std::unique_ptr<const Engine> engine = Compile(rules);
    ASSERT_NE(engine, nullptr);
    v1::Decision reused;
    google::protobuf::Arena arena;
    auto* on_arena =
        google::protobuf::Arena::CreateMessage<v1::Decision>(&arena);
    for (int i = 0; i < static_cast<int>(contexts.size()); ++i) {
      // Options vary so that traces, needs_approval and blocked lists grow
      // and shrink between decisions on the same message.
      DecideOptions options = Options(i);
      absl::StatusOr<v1::Decision> fresh = engine->Decide(contexts[i], options);
      ASSERT_TRUE(fresh.ok()) << fresh.status();
      ASSERT_TRUE(engine->DecideInto(contexts[i], options, &reused).ok());
      ASSERT_TRUE(engine->DecideInto(contexts[i], options, on_arena).ok());
      ASSERT_EQ(reused.SerializeAsString(), fresh->SerializeAsString())
          << "rules " << rules << ", context " << i;
      ASSERT_TRUE(
          google::protobuf::util::MessageDifferencer::Equals(*on_arena, *fresh))
          << "rules " << rules << ", context " << i;
    }
  }
}

TEST(DecideIntoTest, ErrorLeavesTheDecisionCleared) {
  std::unique_ptr<const Engine> engine = Compile(10);
  ASSERT_NE(engine, nullptr);
  v1::Context good = GenerateContexts(1)[0];
  v1::Context no_now = good;
  no_now.clear_now();
  DecideOptions unknown_authority;
  unknown_authority.authority = "nobody";
  DecideOptions traced;
  traced.trace = true;

  v1::Decision out;
  ASSERT_TRUE(engine->DecideInto(good, traced, &out).ok());
  ASSERT_GT(out.ByteSizeLong(), 0u);
  EXPECT_FALSE(engine->DecideInto(no_now, {}, &out).ok());
  EXPECT_EQ(out.ByteSizeLong(), 0u);

  ASSERT_TRUE(engine->DecideInto(good, traced, &out).ok());
  absl::Status status = engine->DecideInto(good, unknown_authority, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status, engine->Decide(good, unknown_authority).status());
  EXPECT_EQ(out.ByteSizeLong(), 0u);

  // The next decision after an error is whole again.
  ASSERT_TRUE(engine->DecideInto(good, {}, &out).ok());
  EXPECT_EQ(out.SerializeAsString(), engine->Decide(good)->SerializeAsString());
}

// Allocations made by DecideInto calls 2..n on one Decision.
int64_t AllocationsAfterWarmUp(const Engine& engine,
                               const std::vector<v1::Context>& contexts,
                               int rounds, const DecideOptions& options = {}) {
  v1::Decision decision;
  // Warm up: the thread's scratch, the Decision's elements and strings.
  for (const v1::Context& context : contexts) {
    EXPECT_TRUE(engine.DecideInto(context, options, &decision).ok());
  }
  int64_t before = allocations.load();
  for (int round = 0; round < rounds; ++round) {
    for (const v1::Context& context : contexts) {
      EXPECT_TRUE(engine.DecideInto(context, options, &decision).ok());
    }
  }
  return allocations.load() - before;
}

TEST(DecideIntoTest, SteadyStateOnOneContextDoesNotAllocate) {
  std::vector<v1::Context> contexts = GenerateContexts(200);
  constexpr int kRounds = 5;
  // Without rules: every construct (ladders, strike limit, budget,
  // playbook), entitlements, authority and the Decision, none allocating.
  std::unique_ptr<const Engine> constructs_only = Compile(0);
  ASSERT_NE(constructs_only, nullptr);
  for (const v1::Context& context : contexts) {
    EXPECT_EQ(AllocationsAfterWarmUp(*constructs_only, {context}, kRounds), 0)
        << context.case_().id();
  }
  for (int rules : {10, 100, 1000}) {
    std::unique_ptr<const Engine> engine = Compile(rules);
    ASSERT_NE(engine, nullptr);
    for (const v1::Context& context : contexts) {
      EXPECT_EQ(AllocationsAfterWarmUp(*engine, {context}, kRounds), 0)
          << "rules " << rules << ", " << context.case_().id();
    }
  }
}

TEST(DecideIntoTest, RecordReusesTheDecisionsStrings) {
  // The record (decision id, context digest, version) reuses the strings of
  // the Decision and a per-thread buffer. Only protobuf's deterministic
  // serialization of a context's attributes map sorts the entries in an
  // array it allocates: at most one allocation per decision, and none for
  // a context without attributes.
  std::vector<v1::Context> contexts = GenerateContexts(50);
  std::unique_ptr<const Engine> constructs_only = Compile(0);
  ASSERT_NE(constructs_only, nullptr);
  DecideOptions record;
  record.record = true;
  constexpr int kRounds = 5;
  for (v1::Context context : contexts) {
    context.mutable_attributes()->clear();
    EXPECT_EQ(
        AllocationsAfterWarmUp(*constructs_only, {context}, kRounds, record), 0)
        << context.case_().id();
    (*context.mutable_attributes())["plan"].set_string_value("gold");
    (*context.mutable_attributes())["nps"].set_int_value(9);
    const int64_t n =
        AllocationsAfterWarmUp(*constructs_only, {context}, kRounds, record);
    RecordProperty("record_allocations_with_attributes", std::to_string(n));
    EXPECT_LE(n, kRounds) << context.case_().id();
  }
}

// TRACE_EVALUATED writes its entries into the Decision's reused ones and
// keeps what it records while the rules run in the thread's scratch.
TEST(DecideIntoTest, SteadyStateWithTheEvaluatedTraceDoesNotAllocate) {
  std::vector<v1::Context> contexts = GenerateContexts(200);
  constexpr int kRounds = 5;
  DecideOptions evaluated;
  evaluated.trace_level = v1::TRACE_EVALUATED;
  for (int rules : {10, 100, 1000}) {
    std::unique_ptr<const Engine> engine = Compile(rules);
    ASSERT_NE(engine, nullptr);
    int traced = 0;
    for (const v1::Context& context : contexts) {
      EXPECT_EQ(AllocationsAfterWarmUp(*engine, {context}, kRounds, evaluated),
                0)
          << "rules " << rules << ", " << context.case_().id();
      v1::Decision decision;
      ASSERT_TRUE(engine->DecideInto(context, evaluated, &decision).ok());
      traced += decision.trace_size();
    }
    // The decisions did record entries.
    EXPECT_GT(traced, 0) << "rules " << rules;
  }
}

TEST(DecideIntoTest, SteadyStateOverVariedContextsDoesNotAllocate) {
  std::vector<v1::Context> contexts = GenerateContexts(500);
  for (int rules : {0, 10, 100, 1000}) {
    std::unique_ptr<const Engine> engine = Compile(rules);
    ASSERT_NE(engine, nullptr);
    int64_t n = AllocationsAfterWarmUp(*engine, contexts, 2);
    double per_decision = static_cast<double>(n) / (2 * contexts.size());
    RecordProperty("allocations_per_decision", std::to_string(per_decision));
    EXPECT_EQ(n, 0) << "rules " << rules;
    // The same with TRACE_EVALUATED: its entries grow as the decisions do.
    DecideOptions evaluated;
    evaluated.trace_level = v1::TRACE_EVALUATED;
    n = AllocationsAfterWarmUp(*engine, contexts, 2, evaluated);
    per_decision = static_cast<double>(n) / (2 * contexts.size());
    RecordProperty("evaluated_trace_allocations_per_decision",
                   std::to_string(per_decision));
    EXPECT_EQ(n, 0) << "rules " << rules;
  }
}

}  // namespace
}  // namespace tact::bench
