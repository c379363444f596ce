// Out of memory is ResourceExhausted, never an abort (issue 14 #4): this
// binary replaces the global operator new so that the Nth allocation on the
// test thread throws std::bad_alloc, and checks that deciding, failed at
// every allocation in turn, returns ResourceExhausted (or succeeds) and
// leaves the engine deciding exactly as before.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace {

// Allocations left on this thread before one fails; negative: never.
thread_local int64_t allocations_left = -1;

void* Allocate(std::size_t size) {
  if (allocations_left >= 0 && allocations_left-- == 0) throw std::bad_alloc();
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

// Fails the allocation after `n` more succeed, until destroyed.
class FailAfter {
 public:
  explicit FailAfter(int64_t n) { allocations_left = n; }
  ~FailAfter() { allocations_left = -1; }
  bool failed() const { return allocations_left < 0; }
};

}  // namespace

// protobuf 3.21's RepeatedPtrField::Add creates the element before it grows
// its array; when the growth is the allocation that fails, the element is
// lost. Only there (never in tact's code) may LeakSanitizer see a leak.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:google::protobuf::internal::RepeatedPtrFieldBase::Add\n";
}

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort's temporary buffer uses them): every
// new is then this malloc and every delete this free, also under
// AddressSanitizer, which checks that they match.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return Allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace tact {
namespace {

using ::tact::testing::IsOk;

constexpr char kPolicy[] = R"pb(
  name: "oom"
  currency: "USD"
  actions { id: "apologize" template: "Sorry, {name}." }
  actions { id: "credit" amount_param: "amount" }
  definitions {
    name: "complaints"
    expr: "history.count(e, e.kind == 'complaint')"
  }
  rules {
    id: "sorry"
    when: "complaints >= 1 && customer.tier.lowerAscii() == 'gold'"
    recommend {
      action: "apologize"
      params { key: "name" value: "customer.id + '!'" }
    }
  }
  rules {
    id: "give"
    recommend {
      action: "credit"
      params { key: "amount" value: "500" }
    }
  }
  rules { id: "no" when: "complaints > 3" veto: "credit" }
)pb";

constexpr char kContext[] = R"({
  "now": "2026-03-10T15:00:00Z",
  "customer": {"id": "cus_1", "tier": "GOLD"},
  "history": [
    {"at": "2026-03-01T00:00:00Z", "kind": "complaint"},
    {"at": "2026-03-02T00:00:00Z", "kind": "order"}
  ]
})";

TEST(OutOfMemoryTest, DecideFailedAtEveryAllocationIsResourceExhausted) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(kPolicy, PolicyFormat::kText, "oom.textproto");
  ASSERT_THAT(engine.status(), IsOk());
  absl::StatusOr<v1::Context> context = ContextFromJson(kContext);
  ASSERT_THAT(context.status(), IsOk());
  absl::StatusOr<v1::Decision> expected = (*engine)->Decide(*context);
  ASSERT_THAT(expected.status(), IsOk());
  const std::string expected_json = DecisionToJson(*expected);

  int exhausted = 0;
  for (int64_t n = 0; n < 100000; ++n) {
    DecideOptions options;
    options.trace = n % 2 == 1;
    v1::Decision decision;
    absl::Status status;
    bool failed;
    {
      FailAfter fail(n);
      status = (*engine)->DecideInto(*context, options, &decision);
      failed = fail.failed();
    }
    if (!failed) {
      // Every allocation succeeded: the loop has covered them all.
      ASSERT_THAT(status, IsOk());
      break;
    }
    ASSERT_EQ(status.code(), absl::StatusCode::kResourceExhausted)
        << n << ": " << status;
    EXPECT_EQ(status.message(), "out of memory while deciding");
    EXPECT_EQ(decision.actions_size(), 0);
    ++exhausted;
    // The next decision, with memory, is the same as before.
    absl::StatusOr<v1::Decision> again = (*engine)->Decide(*context);
    ASSERT_THAT(again.status(), IsOk());
    ASSERT_EQ(DecisionToJson(*again), expected_json) << n;
  }
  EXPECT_GT(exhausted, 0);
}

// Loading is not failed at every allocation here: Abseil 20220623's
// flat_hash_map (the source map) and protobuf's one-time descriptor set-up
// are not exception-safe when an allocation inside them fails, so such a
// test would corrupt the heap in their code, not in tact's. Engine's load
// entry points still turn a std::bad_alloc that reaches them (a huge
// allocation refused up front, the common case) into ResourceExhausted.

}  // namespace
}  // namespace tact
