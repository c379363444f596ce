// In its own translation unit so that no caller sees operator delete's
// call to free() inlined next to operator new.
#include "benchmarks/heap_peak.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace tact::bench {
namespace {

std::atomic<bool> on{false};
std::atomic<int64_t> live{0};
std::atomic<int64_t> peak{0};

void Allocated(void* p) {
  if (p == nullptr || !on.load(std::memory_order_relaxed)) return;
  const auto size = static_cast<int64_t>(malloc_usable_size(p));
  const int64_t now = live.fetch_add(size) + size;
  int64_t seen = peak.load(std::memory_order_relaxed);
  while (now > seen && !peak.compare_exchange_weak(seen, now)) {
  }
}

void Freed(void* p) {
  if (p == nullptr || !on.load(std::memory_order_relaxed)) return;
  live.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)));
}

}  // namespace

void HeapPeak::Start() {
  live = 0;
  peak = 0;
  on.store(true);
}

size_t HeapPeak::Stop() {
  on.store(false);
  return static_cast<size_t>(std::max<int64_t>(peak.load(), 0));
}

}  // namespace tact::bench

void* operator new(size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  tact::bench::Allocated(p);
  return p;
}

void operator delete(void* p) noexcept {
  tact::bench::Freed(p);
  std::free(p);
}

void operator delete(void* p, size_t) noexcept { operator delete(p); }
