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
#ifndef TACT_ENGINE_HANDLE_H_
#define TACT_ENGINE_HANDLE_H_

#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"
#include "tact/export.h"

namespace tact {

// Holds the current Engine and swaps it atomically on reload. Safe for
// concurrent use: any number of threads may call Get, Decide and Reload at
// once. Reloads are serialized among themselves; Get and Decide never wait
// for a compilation. Not copyable or movable.
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
  absl::StatusOr<v1::Decision> Decide(
      const v1::Context& context,
      const DecideOptions& options = {}) const noexcept;

 private:
  absl::Status Install(CompileResult result,
                       std::vector<Diagnostic>* diagnostics) noexcept;

  // Guards `current_` only for the pointer copy or swap (never held while
  // compiling or deciding). A mutex rather than std::atomic_load on
  // shared_ptr: the free functions are deprecated in C++20 and libstdc++
  // implements them with a lock table anyway.
  mutable std::mutex current_mu_;
  std::shared_ptr<const Engine> current_;
  // Serializes reloads, so two racing reloads install in call order.
  std::mutex reload_mu_;
};

}  // namespace tact

#endif  // TACT_ENGINE_HANDLE_H_
