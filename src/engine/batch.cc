// tact::DecideMany: a pool of std::threads pulling chunks of the batch off
// one atomic counter; every outcome goes to its own index, so the result is
// the same whatever the number of threads.
#include "tact/batch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
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
    case BatchContext::Kind::kJson: {
      // Into the worker's message, reusing what the previous context left.
      absl::Status status = ContextFromJsonInto(item.text(), storage);
      if (!status.ok()) return status;
      return storage;
    }
    case BatchContext::Kind::kBinary: {
      absl::StatusOr<v1::Context> parsed = ContextFromBinary(item.text());
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
  // Wakes the reporting thread as soon as the batch is done or stopped, so
  // a batch never waits out a whole progress interval.
  std::mutex wake_mu;
  std::condition_variable wake;
  auto finished = [&] { return done.load() >= total || stop.load(); };
  auto notify = [&] {
    { std::lock_guard<std::mutex> lock(wake_mu); }
    wake.notify_all();
  };
  auto fail = [&](std::exception_ptr e) {
    {
      std::lock_guard<std::mutex> lock(failure_mu);
      if (failure == nullptr) failure = std::move(e);
    }
    stop.store(true);
    notify();
  };
  constexpr std::chrono::milliseconds kInterval(100);

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
  // `report`: this (the calling) thread also calls progress about every
  // interval, between decisions (when no worker thread could be started).
  auto work = [&](bool report) {
    v1::Context storage;  // reused across this worker's parsed contexts
    auto last_report = std::chrono::steady_clock::now();
    try {
      while (!stop.load(std::memory_order_relaxed)) {
        const size_t begin = next.fetch_add(chunk);
        if (begin >= n) return;
        const size_t end = std::min(n, begin + chunk);
        for (size_t i = begin; i < end; ++i) {
          decide_one(i, &storage);
          if (report &&
              std::chrono::steady_clock::now() - last_report >= kInterval) {
            options.progress(done.load() + static_cast<int64_t>(i + 1 - begin),
                             total);
            last_report = std::chrono::steady_clock::now();
          }
        }
        if (done.fetch_add(static_cast<int64_t>(end - begin)) +
                static_cast<int64_t>(end - begin) >=
            total) {
          notify();
        }
      }
    } catch (...) {
      fail(std::current_exception());
    }
  };

  // With a progress callback the calling thread only reports while
  // `workers` threads decide; without one it is one of the workers.
  const size_t to_start = options.progress ? workers : workers - 1;
  std::vector<std::thread> pool;
  pool.reserve(to_start);
  for (size_t t = 0; t < to_start; ++t) {
    try {
      pool.emplace_back(work, false);
    } catch (const std::system_error&) {
      break;  // fewer threads than asked; the calling thread still works
    }
  }
  if (options.progress && !pool.empty()) {
    try {
      std::unique_lock<std::mutex> lock(wake_mu);
      while (!finished()) {
        lock.unlock();
        options.progress(done.load(), total);
        lock.lock();
        wake.wait_for(lock, kInterval, finished);
      }
    } catch (...) {
      fail(std::current_exception());  // the workers stop; join them first
    }
  } else {
    work(options.progress != nullptr);
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
