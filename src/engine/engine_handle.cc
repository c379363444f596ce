#include "tact/engine_handle.h"

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace tact {

EngineHandle::EngineHandle(std::shared_ptr<const Engine> engine) noexcept
    : current_(std::move(engine)) {}

absl::Status EngineHandle::Reload(
    absl::string_view path, const CompileOptions& options,
    std::vector<Diagnostic>* diagnostics) noexcept {
  std::lock_guard<std::mutex> reload(reload_mu_);
  return Install(Engine::Compile(path, options), diagnostics);
}

absl::Status EngineHandle::Reload(
    absl::string_view text, PolicyFormat format, absl::string_view source_name,
    const CompileOptions& options,
    std::vector<Diagnostic>* diagnostics) noexcept {
  std::lock_guard<std::mutex> reload(reload_mu_);
  return Install(Engine::CompileText(text, format, source_name, options),
                 diagnostics);
}

absl::Status EngineHandle::Install(
    CompileResult result, std::vector<Diagnostic>* diagnostics) noexcept {
  absl::Status status = DiagnosticsToStatus(result.diagnostics);
  if (result.engine == nullptr && status.ok()) {
    status = absl::InternalError("compilation failed without a diagnostic");
  }
  if (diagnostics != nullptr) *diagnostics = std::move(result.diagnostics);
  if (!status.ok()) return status;
  Swap(std::shared_ptr<const Engine>(std::move(result.engine)));
  return absl::OkStatus();
}

void EngineHandle::Swap(std::shared_ptr<const Engine> engine) noexcept {
  {
    std::lock_guard<std::mutex> lock(current_mu_);
    current_.swap(engine);
  }
  // `engine` now holds the previous one; if this was its last reference it
  // is destroyed here, outside the lock.
}

std::shared_ptr<const Engine> EngineHandle::Get() const noexcept {
  std::lock_guard<std::mutex> lock(current_mu_);
  return current_;
}

absl::StatusOr<v1::Decision> EngineHandle::Decide(
    const v1::Context& context, const DecideOptions& options) const noexcept {
  std::shared_ptr<const Engine> engine = Get();
  if (engine == nullptr) {
    return absl::FailedPreconditionError(
        "EngineHandle::Decide: no policy loaded yet; call Reload first");
  }
  return engine->Decide(context, options);
}

}  // namespace tact
