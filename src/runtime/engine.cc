#include "tact/engine.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/compiler/program.h"
#include "src/internal/status_macros.h"
#include "src/io/policy_source.h"
#include "src/runtime/constructs/constructs.h"
#include "src/runtime/context_check.h"
#include "src/runtime/outcome.h"
#include "src/runtime/plan.h"
#include "src/runtime/ranker.h"
#include "src/runtime/rules.h"

namespace tact {

struct Engine::Impl {
  v1::Policy policy;
  std::string hash;
  std::unique_ptr<const internal::PolicyPlan> plan;
};

namespace internal {

// Turns a loaded policy into an Engine; the one place that constructs one.
class EngineBuilder {
 public:
  static CompileResult Compile(absl::StatusOr<LoadedPolicy> loaded,
                               const CompileOptions& options,
                               std::vector<Diagnostic> diagnostics);
};

}  // namespace internal

namespace {

CompileResult CompileLoaded(absl::StatusOr<internal::LoadedPolicy> loaded,
                            const CompileOptions& options,
                            std::vector<Diagnostic> diagnostics) {
  return internal::EngineBuilder::Compile(std::move(loaded), options,
                                          std::move(diagnostics));
}

}  // namespace

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

const v1::Policy& Engine::policy() const { return impl_->policy; }
const std::string& Engine::policy_hash() const { return impl_->hash; }

CompileResult Engine::Compile(absl::string_view path,
                              const CompileOptions& options) {
  std::vector<Diagnostic> diagnostics;
  absl::StatusOr<internal::LoadedPolicy> loaded = internal::ReadPolicyFile(
      path, PolicyFormat::kAuto, options.max_policy_bytes, &diagnostics);
  return CompileLoaded(std::move(loaded), options, std::move(diagnostics));
}

CompileResult Engine::CompileText(absl::string_view text, PolicyFormat format,
                                  absl::string_view source_name,
                                  const CompileOptions& options) {
  std::vector<Diagnostic> diagnostics;
  // The same size limit FromFile applies, before any parsing.
  if (static_cast<int64_t>(text.size()) > options.max_policy_bytes) {
    Diagnostic d;
    d.file = std::string(source_name);
    d.message = absl::StrCat("policy is ", text.size(),
                             " bytes, more than the limit of ",
                             options.max_policy_bytes);
    absl::Status too_large = absl::ResourceExhaustedError(d.message);
    diagnostics.push_back(std::move(d));
    return CompileLoaded(std::move(too_large), options, std::move(diagnostics));
  }
  absl::StatusOr<internal::LoadedPolicy> loaded =
      internal::ParsePolicy(text, format, source_name, &diagnostics);
  return CompileLoaded(std::move(loaded), options, std::move(diagnostics));
}

namespace {

absl::StatusOr<std::unique_ptr<const Engine>> ToStatusOr(CompileResult result) {
  if (result.engine == nullptr) {
    absl::Status status = DiagnosticsToStatus(result.diagnostics);
    if (status.ok())
      status = absl::InternalError("compilation failed silently");
    return status;
  }
  return std::move(result.engine);
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Engine>> Engine::FromFile(
    absl::string_view path, const CompileOptions& options) {
  std::vector<Diagnostic> diagnostics;
  absl::StatusOr<internal::LoadedPolicy> loaded = internal::ReadPolicyFile(
      path, PolicyFormat::kAuto, options.max_policy_bytes, &diagnostics);
  if (!loaded.ok() &&
      (loaded.status().code() == absl::StatusCode::kNotFound ||
       loaded.status().code() == absl::StatusCode::kResourceExhausted)) {
    return loaded.status();
  }
  return ToStatusOr(
      CompileLoaded(std::move(loaded), options, std::move(diagnostics)));
}

absl::StatusOr<std::unique_ptr<const Engine>> Engine::FromText(
    absl::string_view text, PolicyFormat format, absl::string_view source_name,
    const CompileOptions& options) {
  return ToStatusOr(CompileText(text, format, source_name, options));
}

absl::StatusOr<std::unique_ptr<const Engine>> Engine::FromPolicy(
    const v1::Policy& policy, const CompileOptions& options) {
  internal::LoadedPolicy loaded;
  loaded.policy = policy;
  loaded.file = "<policy>";
  return ToStatusOr(CompileLoaded(std::move(loaded), options, {}));
}

absl::StatusOr<v1::Decision> Engine::Decide(
    const v1::Context& context, const DecideOptions& options) const {
  TACT_RETURN_IF_ERROR(internal::CheckContext(context, options));
  const internal::PolicyPlan& plan = *impl_->plan;
  TACT_ASSIGN_OR_RETURN(std::unique_ptr<internal::Frame> frame,
                        internal::Frame::Create(*plan.program, context));
  v1::Decision decision;
  decision.set_policy_name(impl_->policy.name());
  decision.set_policy_version(impl_->policy.version());
  decision.set_policy_hash(impl_->hash);
  *decision.mutable_now() = context.now();

  int caller = -1;
  if (!options.authority.empty()) {
    auto it = std::find(plan.authorities.begin(), plan.authorities.end(),
                        options.authority);
    if (it == plan.authorities.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown authority \"", options.authority, "\"; ",
          plan.authorities.empty()
              ? "the policy declares no authorities"
              : absl::StrCat("the policy's are: ",
                             absl::StrJoin(plan.authorities, ", "))));
    }
    caller = static_cast<int>(it - plan.authorities.begin());
  }

  internal::Outcome outcome;
  internal::DecideState state{plan, context, *frame,
                              internal::ToTime(context.now())};
  internal::RunRules(plan, *frame, &outcome,
                     options.trace ? decision.mutable_trace() : nullptr);
  internal::RunStrikeLimits(state, &outcome);
  internal::RunLadders(state, &outcome);
  internal::RunPlaybooks(state, &outcome);
  internal::RunBudget(state, &outcome);
  std::vector<double> factors = internal::ScoreFactors(plan, *frame);
  internal::Rank(plan, context, factors, caller, std::move(outcome), &decision);
  return decision;
}

namespace internal {

CompileResult EngineBuilder::Compile(absl::StatusOr<LoadedPolicy> loaded,
                                     const CompileOptions& options,
                                     std::vector<Diagnostic> diagnostics) {
  CompileResult result;
  if (!loaded.ok()) {
    if (!HasErrors(diagnostics)) {
      Diagnostic d;
      d.file = "<policy>";
      d.message = std::string(loaded.status().message());
      diagnostics.push_back(std::move(d));
    }
    result.diagnostics = std::move(diagnostics);
    return result;
  }
  std::unique_ptr<const PolicyPlan> plan =
      BuildPlan(*loaded, options, &diagnostics);
  result.diagnostics = std::move(diagnostics);
  if (plan == nullptr) return result;
  auto impl = std::make_unique<Engine::Impl>();
  impl->hash = PolicyHash(loaded->policy);
  impl->policy = std::move(loaded->policy);
  impl->plan = std::move(plan);
  result.engine = std::unique_ptr<const Engine>(new Engine(std::move(impl)));
  return result;
}

}  // namespace internal

}  // namespace tact
