// tact::DecideMany: a pool of std::threads pulling chunks of the batch off
// one atomic counter; every outcome goes to its own index, so the result is
// the same whatever the number of threads.
#include "tact/batch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tact/engine.h"

namespace tact {
namespace {

// Workers for `asked` threads over `n` contexts (n > 0).
size_t WorkerCount(int asked, size_t n) {
  size_t workers = asked > 0
                       ? static_cast<size_t>(asked)
                       : std::max(1u, std::thread::hardware_concurrency());
  return std::min({workers, n, static_cast<size_t>(kMaxBatchThreads)});
}

// Parses `item` into `*storage` when it comes encoded. Returns the context
// to decide, or the status to report instead.
absl::StatusOr<const v1::Context*> ContextOf(const BatchContext& item,
                                             v1::Context* storage) {
  switch (item.kind()) {
    case BatchContext::Kind::kParsed:
      return item.context();
    case BatchContext::Kind::kFailed:
      if (item.status().ok()) {
        return absl::InternalError("BatchContext::Failed with an OK status");
      }
      return item.status();
    case BatchContext::Kind::kJson:
    case BatchContext::Kind::kBinary: {
      absl::StatusOr<v1::Context> parsed =
          item.kind() == BatchContext::Kind::kJson
              ? ContextFromJson(item.text())
              : ContextFromBinary(item.text());
      if (!parsed.ok()) return parsed.status();
      *storage = *std::move(parsed);
      return storage;
    }
  }
  return absl::InternalError("unknown BatchContext kind");
}

}  // namespace

void DecideMany(const Engine& engine, absl::Span<const BatchContext> contexts,
                const BatchOptions& options, const DecidedFn& on_decided) {
  const size_t n = contexts.size();
  const int64_t total = static_cast<int64_t>(n);
  if (n == 0) {
    if (options.progress) options.progress(0, 0);
    return;
  }
  const size_t workers = WorkerCount(options.threads, n);
  // Chunks amortize the shared counter over many small decisions while
  // leaving every worker several chunks to balance uneven ones.
  const size_t chunk = std::clamp<size_t>(n / (workers * 16), 1, 64);

  std::atomic<size_t> next{0};
  std::atomic<int64_t> done{0};
  std::atomic<bool> stop{false};
  std::mutex failure_mu;
  std::exception_ptr failure;  // the first exception from on_decided

  auto decide_one = [&](size_t i, v1::Context* storage) {
    const v1::Context* context = nullptr;
    absl::StatusOr<v1::Decision> decision;
    try {
      absl::StatusOr<const v1::Context*> parsed =
          ContextOf(contexts[i], storage);
      if (parsed.ok()) {
        context = *parsed;
        decision = engine.Decide(*context, options.decide);
      } else {
        decision = parsed.status();
      }
    } catch (const std::bad_alloc& e) {
      decision = absl::ResourceExhaustedError(e.what());
    } catch (const std::exception& e) {
      decision = absl::InternalError(e.what());
    }
    on_decided(i, context, decision);
  };
  auto work = [&] {
    v1::Context storage;  // reused across this worker's parsed contexts
    try {
      while (!stop.load(std::memory_order_relaxed)) {
        const size_t begin = next.fetch_add(chunk);
        if (begin >= n) return;
        const size_t end = std::min(n, begin + chunk);
        for (size_t i = begin; i < end; ++i) decide_one(i, &storage);
        done.fetch_add(static_cast<int64_t>(end - begin));
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mu);
      if (failure == nullptr) failure = std::current_exception();
      stop.store(true);
    }
  };

  // With a progress callback the calling thread only reports while
  // `workers` threads decide; without one it is one of the workers.
  const size_t to_start = options.progress ? workers : workers - 1;
  std::vector<std::thread> pool;
  pool.reserve(to_start);
  for (size_t t = 0; t < to_start; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // fewer threads than asked; the calling thread still works
    }
  }
  if (options.progress && !pool.empty()) {
    while (done.load() < total && !stop.load()) {
      options.progress(done.load(), total);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  } else {
    work();
  }
  for (std::thread& t : pool) t.join();
  if (failure != nullptr) std::rethrow_exception(failure);
  if (options.progress) options.progress(total, total);
}

std::vector<absl::StatusOr<v1::Decision>> DecideMany(
    const Engine& engine, absl::Span<const BatchContext> contexts,
    const BatchOptions& options) {
  std::vector<absl::StatusOr<v1::Decision>> outcomes(contexts.size());
  DecideMany(engine, contexts, options,
             [&outcomes](size_t i, const v1::Context*,
                         absl::StatusOr<v1::Decision>& decision) {
               outcomes[i] = std::move(decision);
             });
  return outcomes;
}

}  // namespace tact
