// tact::EngineHandle: the current policy of a long-running process, reloaded
// while other threads keep deciding.
//
// Example:
//
//   tact::EngineHandle handle;
//   absl::Status loaded = handle.Reload("policies/support.textproto");
//   if (!loaded.ok()) return loaded;            // nothing to decide with yet
//   ...
//   // Any thread, any time:
//   absl::StatusOr<tact::v1::Decision> decision = handle.Decide(context);
//   ...
//   // A file watcher, on change:
//   absl::Status reloaded = handle.Reload("policies/support.textproto");
//   if (!reloaded.ok()) LogWarning(reloaded);  // the old policy still serves
//
// A reload compiles the new policy completely before swapping one
// std::shared_ptr<const Engine>; a decision runs on the engine that was
// current when it started and finishes on it even if a reload happens
// meanwhile, so every decision comes whole from one policy version (its
// policy_name, policy_version and policy_hash say which).
//
// Shadow evaluation: a handle may also hold a candidate policy. Decisions
// still come from the serving engine, unchanged; the candidate decides a
// share of the same contexts on the side, and Shadow() reports how often
// the two agreed, what changed (by tact::ChangeKind, with the money moved)
// and the first few differing cases:
//
//   tact::ShadowOptions shadow;
//   shadow.share = 0.1;  // one decision in ten
//   absl::Status set =
//       handle.ReloadCandidate("policies/support-next.textproto", shadow);
//   ...  // serve as usual: handle.Decide(context)
//   tact::ShadowReport report = handle.Shadow();
//   std::cout << report.differing << " of " << report.sampled << " differ\n";
//   for (const tact::ShadowExample& e : report.examples) {
//     for (const tact::Change& change : e.changes) std::cout << change.text;
//   }
#ifndef TACT_ENGINE_HANDLE_H_
#define TACT_ENGINE_HANDLE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"
#include "tact/export.h"
#include "tact/simulation.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact {

// How a candidate policy shadows the serving one (EngineHandle::
// SetCandidate).
struct ShadowOptions {
  // The share of the serving decisions the candidate also decides, in
  // [0, 1], counted in millionths (rounded to the nearest). Sampling is by
  // a counter, not by chance or by the context: the serving decisions are
  // numbered n = 0, 1, 2, ... in the order they finish (since the
  // candidate was set), and decision n is sampled when
  // floor((n + 1) * share) > floor(n * share). So exactly
  // floor(N * share) of the first N decisions are sampled, spread evenly
  // (0.25: every fourth, the 4th, 8th, ...), whatever the threads; which
  // context gets which number depends on the order threads finish.
  // Default: 1 (every decision).
  double share = 1.0;
  // How many differing cases, and separately how many candidate errors,
  // Shadow() keeps as examples: the first ones recorded, in that order
  // (numbering order on one thread). All are counted. Default: 20.
  int max_examples = 20;
  // The largest context, and the largest decision, an example keeps, in
  // bytes of wire format: a larger one is counted and its example kept
  // with that part left empty (ShadowExample::context_omitted,
  // ::decisions_omitted) so that memory stays bounded by about
  // 2 * max_examples * 3 * max_example_bytes. Default: 64 KiB.
  int64_t max_example_bytes = 64 << 10;
};

// One sampled case the candidate decided differently, or could not decide.
struct ShadowExample {
  // The serving decision's number since counting began (see
  // ShadowOptions::share).
  int64_t number = 0;
  // The context both decided on; empty with context_omitted set when it was
  // larger than max_example_bytes (context_bytes says how large).
  v1::Context context;
  bool context_omitted = false;
  int64_t context_bytes = 0;
  // What the host received, and what the candidate would have decided
  // (empty for a candidate error). Both empty with decisions_omitted set
  // when either was larger than max_example_bytes.
  v1::Decision serving;
  v1::Decision candidate;
  bool decisions_omitted = false;
  // Every change a host would act on, serving -> candidate (as
  // `tact simulate --baseline`: the serving policy is the baseline), e.g.
  // "goodwill_credit amount 1500 -> 1250 (-2.50 USD)". Empty for an error.
  std::vector<Change> changes;
  // For a candidate error: its status, e.g. "INVALID_ARGUMENT: unknown
  // authority 'bot'". Empty for a difference.
  std::string error;
};

// What a candidate did beside the serving engine (EngineHandle::Shadow):
// a snapshot, consistent per counter; decisions still in flight may have
// been counted as `decided` but not yet as sampled or compared.
struct ShadowReport {
  // False when the handle has no candidate; every other field is then
  // empty.
  bool active = false;
  // The candidate's policy.
  std::string candidate_name;
  std::string candidate_version;
  std::string candidate_hash;
  // ShadowOptions::share in millionths, as sampling uses it (1000000: all).
  int64_t share_millionths = 0;
  // When the counts began: when this candidate was set. A reload of the
  // serving policy keeps the candidate and its counts; serving_swaps says
  // how many happened since.
  absl::Time since = absl::InfinitePast();
  int64_t serving_swaps = 0;
  // Successful serving decisions seen (a serving decision that fails is not
  // shadowed: the host gets the error and there is nothing to compare).
  int64_t decided = 0;
  // Of those, the ones the candidate also decided (see ShadowOptions::
  // share), and how that came out: identical (nothing a host acts on
  // changed; see tact::ChangeKind for what is compared: scores, reasons,
  // the trace and the policy's identity are not), differing, or a
  // candidate error (the candidate failed where the serving engine
  // decided; never surfaced to the host).
  int64_t sampled = 0;
  int64_t identical = 0;
  int64_t differing = 0;
  int64_t candidate_errors = 0;
  // The differing cases by kind (every kind has an entry; kUndecidable is
  // never used: candidate errors are counted apart). Money is candidate -
  // serving, in minor units of the serving policy's currency; no money is
  // counted when the two currencies differ (currency_changed).
  std::map<ChangeKind, ChangeTally> changes_by_kind;
  // Goodwill over the sampled cases, candidate - serving (the `goodwill`
  // effects), saturated with goodwill_delta_overflow set when it does not
  // fit in int64.
  int64_t goodwill_delta = 0;
  bool goodwill_delta_overflow = false;
  bool currency_changed = false;
  // The serving policy's currency at the last comparison (money's unit).
  std::string currency;
  // The first max_examples differing cases and candidate errors.
  std::vector<ShadowExample> examples;
  std::vector<ShadowExample> error_examples;
};

// `report` as one JSON object (keys in snake_case; decisions and contexts in
// the proto3 JSON mapping; `since` RFC 3339), as tact_handle_shadow_report_json
// returns it. Deterministic.
TACT_EXPORT std::string ShadowReportToJson(const ShadowReport& report);

// Holds the current Engine and swaps it atomically on reload, and
// optionally a candidate that shadows it. Safe for concurrent use: any
// number of threads may call every method at once. Reloads are serialized among
// themselves; Get and Decide never wait for a compilation. Not copyable or
// movable.
class TACT_EXPORT EngineHandle {
 public:
  // An empty handle: Get() returns null and Decide fails with
  // FailedPrecondition until a Reload succeeds.
  EngineHandle() = default;
  // A handle serving `engine`. REQUIRES: engine != nullptr.
  explicit EngineHandle(std::shared_ptr<const Engine> engine) noexcept;

  EngineHandle(const EngineHandle&) = delete;
  EngineHandle& operator=(const EngineHandle&) = delete;

  // Compiles the policy file at `path` (format from its extension) with
  // `options` and, only if it compiled without errors, makes it current.
  // On failure the current engine keeps serving and the result is
  // InvalidArgument listing every error as "file:line:col: error: ..." (a
  // missing or oversized file is one such error). `diagnostics`, when not
  // null, receives every diagnostic (errors and warnings) either way.
  absl::Status Reload(absl::string_view path,
                      const CompileOptions& options = {},
                      std::vector<Diagnostic>* diagnostics = nullptr) noexcept;

  // As Reload(path), for policy text already in memory, named `source_name`
  // in diagnostics. kAuto means text format.
  absl::Status Reload(absl::string_view text, PolicyFormat format,
                      absl::string_view source_name = "<policy>",
                      const CompileOptions& options = {},
                      std::vector<Diagnostic>* diagnostics = nullptr) noexcept;

  // Makes `engine` current. REQUIRES: engine != nullptr.
  void Swap(std::shared_ptr<const Engine> engine) noexcept;

  // The current engine, or null before the first successful load. The
  // caller's copy stays valid after later reloads.
  std::shared_ptr<const Engine> Get() const noexcept;

  // Get()->Decide(context, options) on the engine current at the call.
  // Returns FailedPrecondition when no policy has been loaded yet.
  //
  // With a candidate (SetCandidate), after the serving decision succeeded
  // and when this decision is sampled, the candidate decides the same
  // context with the same options, on the calling thread, before Decide
  // returns: that is its cost, and nothing else is added (the comparison
  // and, rarely, copying an example). The result is the serving decision,
  // byte for byte the same as without a candidate; the candidate's errors
  // (including a deadline or cancellation reached while it decides) are
  // counted in Shadow(), never returned. Without a candidate, Decide costs
  // what Get()->Decide does.
  absl::StatusOr<v1::Decision> Decide(
      const v1::Context& context,
      const DecideOptions& options = {}) const noexcept;

  // --- Shadow evaluation ---

  // Makes `candidate` shadow the serving engine (see Decide), replacing any
  // candidate and starting its report afresh. Returns InvalidArgument, and
  // changes nothing, when `candidate` is null, options.share is not in
  // [0, 1] (or NaN), max_examples is negative or max_example_bytes is
  // negative.
  absl::Status SetCandidate(std::shared_ptr<const Engine> candidate,
                            const ShadowOptions& options = {}) noexcept;

  // Compiles the policy file at `path` as Reload does and, only if it
  // compiled without errors and `shadow` is valid, makes it the candidate.
  // On failure any current candidate stays (with its counts) and the result
  // is as Reload's, or SetCandidate's.
  absl::Status ReloadCandidate(
      absl::string_view path, const ShadowOptions& shadow = {},
      const CompileOptions& options = {},
      std::vector<Diagnostic>* diagnostics = nullptr) noexcept;
  // As ReloadCandidate(path), for policy text in memory (as Reload(text)).
  absl::Status ReloadCandidate(
      absl::string_view text, PolicyFormat format,
      absl::string_view source_name = "<policy>",
      const ShadowOptions& shadow = {}, const CompileOptions& options = {},
      std::vector<Diagnostic>* diagnostics = nullptr) noexcept;

  // Stops shadowing and drops the candidate and its report. Decisions
  // already running with it finish; what they count is lost.
  void ClearCandidate() noexcept;

  // The current candidate, or null.
  std::shared_ptr<const Engine> Candidate() const noexcept;

  // A snapshot of the current candidate's report (ShadowReport::active is
  // false without one). Copies the examples; cheap otherwise.
  ShadowReport Shadow() const noexcept;

 private:
  // A candidate and its counts (engine_handle.cc).
  class ShadowState;

  absl::Status Install(CompileResult result,
                       std::vector<Diagnostic>* diagnostics) noexcept;
  absl::Status InstallCandidate(CompileResult result,
                                const ShadowOptions& shadow,
                                std::vector<Diagnostic>* diagnostics) noexcept;
  std::shared_ptr<ShadowState> CurrentShadow() const noexcept;

  // Guards `current_` only for the pointer copy or swap (never held while
  // compiling or deciding). A mutex rather than std::atomic_load on
  // shared_ptr: the free functions are deprecated in C++20 and libstdc++
  // implements them with a lock table anyway.
  mutable std::mutex current_mu_;
  std::shared_ptr<const Engine> current_;
  // The candidate and its report, or null; guarded by current_mu_ as
  // current_ (the counts inside are the state's own).
  std::shared_ptr<ShadowState> shadow_;
  // Serializes reloads, so two racing reloads install in call order.
  std::mutex reload_mu_;
};

}  // namespace tact

#endif  // TACT_ENGINE_HANDLE_H_
