// Engine::DecideInto over the workload's 10,000 varied contexts: once a
// first pass has warmed the Decision and the thread's scratch, a second
// pass over the same contexts does not allocate at all, whatever a reused
// slot held before (a parameter switching between a string and an int, a
// shorter decision's elements, a blocked list that grows and shrinks).
//
// To see where an allocation comes from, run the test under callgrind and
// look at the callers of operator new inside DecideAllAgain:
//   valgrind --tool=callgrind --toggle-collect='*DecideAllAgain*'
//       build/dev/benchmarks/varied_allocation_test
//   callgrind_annotate --inclusive=yes --tree=caller callgrind.out.*
// (the callers listed above each "operator new" line).
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/workload.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

// GCC pairs the replaced operator delete with the standard new when it
// inlines an allocator, and warns; both are the replacements below.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Counts every allocation through the global operator new, in all its
// forms (plain, nothrow, aligned), each freed by its matching delete.
namespace {
std::atomic<int64_t> allocations{0};

void* Allocate(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}

void* AllocateAligned(std::size_t size, std::align_val_t align) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  const std::size_t a = static_cast<std::size_t>(align);
  // aligned_alloc wants a size that is a multiple of the alignment.
  return std::aligned_alloc(a, (size + a - 1) / a * a);
}
}  // namespace

void* operator new(std::size_t size) {
  if (void* p = Allocate(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = Allocate(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return Allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return Allocate(size);
}
void* operator new(std::size_t size, std::align_val_t align) {
  if (void* p = AllocateAligned(size, align)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t align) {
  if (void* p = AllocateAligned(size, align)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t align,
                   const std::nothrow_t&) noexcept {
  return AllocateAligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align,
                     const std::nothrow_t&) noexcept {
  return AllocateAligned(size, align);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t,
                     const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t,
                       const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace tact::bench {
namespace {

constexpr int kContexts = 10000;

const std::vector<v1::Context>& Contexts() {
  static const auto* const contexts =
      new std::vector<v1::Context>(GenerateContexts(kContexts));
  return *contexts;
}

std::unique_ptr<const Engine> Compile(int rules) {
  auto engine =
      Engine::FromText(GeneratePolicy(rules), PolicyFormat::kText, "generated");
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

// One DecideInto per context into `decision`; the allocations it made. Not
// inlined, so that callgrind can collect inside it alone.
__attribute__((noinline)) int64_t DecideAll(const Engine& engine,
                                            const DecideOptions& options,
                                            v1::Decision* decision) {
  const int64_t before = allocations.load();
  for (const v1::Context& context : Contexts()) {
    EXPECT_TRUE(engine.DecideInto(context, options, decision).ok());
  }
  return allocations.load() - before;
}

// The second pass, under a name of its own for callgrind's --toggle-collect.
__attribute__((noinline)) int64_t DecideAllAgain(const Engine& engine,
                                                 const DecideOptions& options,
                                                 v1::Decision* decision) {
  return DecideAll(engine, options, decision);
}

struct Passes {
  int64_t first = 0;   // warming up
  int64_t second = 0;  // the same contexts again
  int64_t actions = 0;
};

Passes TwoPasses(const Engine& engine, const DecideOptions& options) {
  v1::Decision decision;
  Passes passes;
  passes.first = DecideAll(engine, options, &decision);
  passes.second = DecideAllAgain(engine, options, &decision);
  for (const v1::Context& context : Contexts()) {
    EXPECT_TRUE(engine.DecideInto(context, options, &decision).ok());
    passes.actions += decision.actions_size() + decision.needs_approval_size();
  }
  return passes;
}

class VariedAllocationTest : public testing::TestWithParam<int> {};

TEST_P(VariedAllocationTest, SecondPassOverVariedContextsDoesNotAllocate) {
  std::unique_ptr<const Engine> engine = Compile(GetParam());
  ASSERT_NE(engine, nullptr);
  const Passes passes = TwoPasses(*engine, {});
  RecordProperty("first_pass_allocations", std::to_string(passes.first));
  // The contexts do vary what the decisions recommend, so that the slots a
  // decision reuses did hold something else before.
  EXPECT_GT(passes.actions, kContexts / 2);
  // The first pass warms the storage up: it allocates.
  EXPECT_GT(passes.first, 0);
  EXPECT_EQ(passes.second, 0) << "allocations per recommended action: "
                              << static_cast<double>(passes.second) /
                                     static_cast<double>(passes.actions);
}

TEST_P(VariedAllocationTest, SoWithTheEvaluatedTraceAndAnAuthority) {
  std::unique_ptr<const Engine> engine = Compile(GetParam());
  ASSERT_NE(engine, nullptr);
  DecideOptions options;
  options.trace_level = v1::TRACE_EVALUATED;
  options.authority = "bot";
  const Passes passes = TwoPasses(*engine, options);
  EXPECT_GT(passes.first, 0);
  EXPECT_EQ(passes.second, 0);
}

// The largest capacity of an empty `tags` list (the workload's actions
// have no tags) among the actions of `decision`.
int EmptyTagsRoom(const v1::Decision& decision) {
  int room = 0;
  for (const v1::RecommendedAction& a : decision.actions()) {
    if (a.tags().empty()) room = std::max(room, a.tags().Capacity());
  }
  return room;
}

// Room up front is for Decisions decided into again: Engine::Decide's own
// Decision, handed over once written, gets none (each on a thread of its
// own, whose spares and sizes start empty).
TEST(FreshDecisionTest, DecideGivesNoRoomUpFront) {
  std::unique_ptr<const Engine> engine = Compile(10);
  ASSERT_NE(engine, nullptr);
  const std::vector<v1::Context>& contexts = Contexts();
  int into_room = 0;
  int decide_room = -1;
  std::thread([&] {
    v1::Decision decision;  // as a caller deciding into it again would
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(engine->DecideInto(contexts[i], {}, &decision).ok());
      into_room = std::max(into_room, EmptyTagsRoom(decision));
    }
  }).join();
  std::thread([&] {
    decide_room = 0;
    for (int i = 0; i < 100; ++i) {
      absl::StatusOr<v1::Decision> decision = engine->Decide(contexts[i]);
      ASSERT_TRUE(decision.ok());
      decide_room = std::max(decide_room, EmptyTagsRoom(*decision));
    }
  }).join();
  EXPECT_GT(into_room, 0);
  EXPECT_EQ(decide_room, 0);
}

// Bytes the heap has in use (glibc; 0 under a sanitizer's allocator, where
// the test then checks nothing it could not).
size_t HeapInUse() { return mallinfo2().uordblks; }

// What a reused Decision and its thread keep is bounded by ordinary
// decisions, not by the largest one ever made: after decisions on contexts
// with a 1 MiB case id (copied into every effect), ordinary decisions on
// the same thread and Decision give that memory back.
TEST(SparesTest, AHostileDecisionsHugeStringsAreNotKept) {
  std::unique_ptr<const Engine> engine = Compile(100);
  ASSERT_NE(engine, nullptr);
  const std::vector<v1::Context>& contexts = Contexts();
  std::thread([&] {
    v1::Decision decision;
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(engine->DecideInto(contexts[i], {}, &decision).ok());
    }
    const size_t before = HeapInUse();
    int huge_effects = 0;
    for (int i = 0; i < 100; ++i) {
      v1::Context huge = contexts[i];
      huge.mutable_case_()->set_id(std::string(size_t{1} << 20, 'x'));
      ASSERT_TRUE(engine->DecideInto(huge, {}, &decision).ok());
      huge_effects += decision.effects_size();
    }
    ASSERT_GT(huge_effects, 20);  // the huge id was copied many times over
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(engine->DecideInto(contexts[i], {}, &decision).ok());
    }
    for (const v1::Effect& effect : decision.effects()) {
      EXPECT_LE(effect.case_id().capacity(), size_t{64} << 10);
    }
    EXPECT_LT(HeapInUse(), before + (size_t{4} << 20));
  }).join();
}

INSTANTIATE_TEST_SUITE_P(Rules, VariedAllocationTest,
                         testing::Values(0, 10, 100, 1000),
                         [](const testing::TestParamInfo<int>& param) {
                           return std::to_string(param.param);
                         });

}  // namespace
}  // namespace tact::bench
