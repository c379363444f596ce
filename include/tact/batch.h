// Deciding many contexts at once on a pool of threads: tact::DecideMany.
//
// Example:
//
//   std::unique_ptr<const tact::Engine> engine = ...;
//   std::vector<std::string> lines = ...;  // one Context JSON per line
//   std::vector<tact::BatchContext> batch;
//   for (const std::string& line : lines) {
//     batch.push_back(tact::BatchContext::Json(line));
//   }
//   tact::BatchOptions options;
//   options.threads = 4;
//   std::vector<absl::StatusOr<tact::v1::Decision>> decisions =
//       tact::DecideMany(*engine, batch, options);
//   for (size_t i = 0; i < decisions.size(); ++i) {
//     if (!decisions[i].ok()) std::cerr << i << ": " << decisions[i].status();
//   }
//
// Each context is parsed (when it comes as JSON or bytes) and decided on a
// worker thread, and its outcome goes into its own slot: the results are
// those of calling Engine::Decide on each context in turn, whatever the
// number of threads. One context that cannot be parsed or decided gives a
// non-OK status in its slot and never stops the others.
#ifndef TACT_BATCH_H_
#define TACT_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "tact/engine.h"
#include "tact/export.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact {

// The most worker threads DecideMany starts, whatever is asked.
inline constexpr int kMaxBatchThreads = 256;

// One context of a batch, in the form the caller has it. Does not own what
// it refers to: the text or the parsed context must outlive the DecideMany
// call. Cheap to copy.
class BatchContext {
 public:
  enum class Kind {
    kJson,    // proto3 JSON, parsed by ContextFromJson
    kBinary,  // protobuf wire format, parsed by ContextFromBinary
    kParsed,  // a v1::Context the caller parsed
    kFailed,  // no context: the caller could not make one (see Failed)
  };

  static BatchContext Json(absl::string_view json) {
    return BatchContext(Kind::kJson, json, nullptr, absl::OkStatus());
  }
  static BatchContext Binary(absl::string_view bytes) {
    return BatchContext(Kind::kBinary, bytes, nullptr, absl::OkStatus());
  }
  static BatchContext Parsed(const v1::Context& context) {
    return BatchContext(Kind::kParsed, {}, &context, absl::OkStatus());
  }
  // A place in the batch whose context the caller could not build (e.g. a
  // host-side conversion failed): its outcome is `status`, nothing is
  // decided, and the positions of the others stay as the caller numbers
  // them. REQUIRES: !status.ok().
  static BatchContext Failed(absl::Status status) {
    return BatchContext(Kind::kFailed, {}, nullptr, std::move(status));
  }

  Kind kind() const { return kind_; }
  // kJson, kBinary: the encoded context.
  absl::string_view text() const { return text_; }
  // kParsed: the context; null otherwise.
  const v1::Context* context() const { return context_; }
  // kFailed: why there is no context; OK otherwise.
  const absl::Status& status() const { return status_; }

 private:
  BatchContext(Kind kind, absl::string_view text, const v1::Context* context,
               absl::Status status)
      : kind_(kind),
        text_(text),
        context_(context),
        status_(std::move(status)) {}

  Kind kind_;
  absl::string_view text_;
  const v1::Context* context_;
  absl::Status status_;
};

struct BatchOptions {
  // How every context is decided (authority, trace, limits). Default: {}.
  DecideOptions decide;
  // Worker threads, the calling thread included. 0 or less means one per
  // core (std::thread::hardware_concurrency()). Never more than
  // kMaxBatchThreads nor than there are contexts; fewer when the system
  // cannot start more (the calling thread then does the rest). The results
  // do not depend on it. Default: 0.
  int threads = 0;
  // When set, called from the calling thread with (done, total) about every
  // 100 ms while the workers decide, and once at the end with (total,
  // total); the calling thread then only reports and `threads` workers are
  // started (it returns as soon as they are done, not at the end of an
  // interval). When no worker thread can be started, the calling thread
  // decides and calls it between decisions, about every 100 ms. Default:
  // none.
  std::function<void(int64_t done, int64_t total)> progress;
};

// Decides every context of `contexts` with `engine` on a pool of threads and
// returns one outcome per context, in the same order: the decision, or the
// status that Engine::Decide, ContextFromJson or ContextFromBinary returned
// for it (a kFailed context's own status; Internal or ResourceExhausted with
// the exception's message if parsing or deciding threw). Never fails as a
// whole; an empty batch gives an empty result.
// Safe for concurrent use (Engine::Decide is).
TACT_EXPORT std::vector<absl::StatusOr<v1::Decision>> DecideMany(
    const Engine& engine, absl::Span<const BatchContext> contexts,
    const BatchOptions& options = {});

// Called once per context by the streaming DecideMany, on the worker thread
// that decided it: its index in the batch, the context as parsed (null when
// there is none: it did not parse or was kFailed) and its outcome, which the
// callee may move from. Calls for different indices run concurrently and in
// no particular order.
using DecidedFn = std::function<void(size_t index, const v1::Context* context,
                                     absl::StatusOr<v1::Decision>& decision)>;

// As DecideMany above, handing each outcome to `on_decided` instead of
// keeping it, so a caller that only totals the decisions does not hold them
// all in memory. If `on_decided` throws, no further contexts are started and
// the first exception is rethrown on the calling thread once the workers
// have stopped.
// Safe for concurrent use if `on_decided` is.
TACT_EXPORT void DecideMany(const Engine& engine,
                            absl::Span<const BatchContext> contexts,
                            const BatchOptions& options,
                            const DecidedFn& on_decided);

}  // namespace tact

#endif  // TACT_BATCH_H_
