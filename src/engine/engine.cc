#include "tact/engine.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "src/common/status_macros.h"
#include "src/engine/engine_impl.h"
#include "src/expr/program.h"
#include "src/io/policy_scan.h"
#include "src/io/policy_source.h"
#include "src/policy/constructs/common.h"
#include "src/policy/constructs/construct_table.h"
#include "src/policy/context_check.h"
#include "src/policy/decision_writer.h"
#include "src/policy/outcome.h"
#include "src/policy/plan.h"
#include "src/policy/ranked.h"
#include "src/policy/ranker.h"
#include "src/policy/rules.h"
#include "tact/version.h"

namespace tact {

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

// The first bytes of every decision id's input, NUL included: names the
// encoding so a later one can never collide with it.
constexpr char kDecisionIdTag[] = "tact.decision_id.v1";

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

namespace {

// Out of memory (std::bad_alloc, or std::length_error from a size no
// container holds) anywhere in loading or deciding is ResourceExhausted, never
// an exception or an abort across the API.
constexpr char kOutOfMemory[] = "out of memory";

CompileResult OutOfMemory(absl::string_view source_name) {
  CompileResult result;
  Diagnostic d;
  d.file = std::string(source_name);
  d.message = absl::StrCat(kOutOfMemory, " while loading the policy");
  result.diagnostics.push_back(std::move(d));
  return result;
}

}  // namespace

CompileResult Engine::Compile(absl::string_view path,
                              const CompileOptions& options) try {
  std::vector<Diagnostic> diagnostics;
  absl::StatusOr<internal::LoadedPolicy> loaded =
      internal::ReadPolicyFile(path, PolicyFormat::kAuto,
                               options.max_policy_bytes, &diagnostics, options);
  return CompileLoaded(std::move(loaded), options, std::move(diagnostics));
} catch (const std::bad_alloc&) {
  return OutOfMemory(path);
} catch (const std::length_error&) {
  return OutOfMemory(path);
}

CompileResult Engine::CompileText(absl::string_view text, PolicyFormat format,
                                  absl::string_view source_name,
                                  const CompileOptions& options) try {
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
      internal::ParsePolicy(text, format, source_name, &diagnostics, options);
  return CompileLoaded(std::move(loaded), options, std::move(diagnostics));
} catch (const std::bad_alloc&) {
  return OutOfMemory(source_name);
} catch (const std::length_error&) {
  return OutOfMemory(source_name);
}

namespace {

absl::StatusOr<std::unique_ptr<const Engine>> ToStatusOr(CompileResult result) {
  if (result.engine == nullptr && result.diagnostics.size() == 1 &&
      absl::StartsWith(result.diagnostics[0].message, kOutOfMemory)) {
    return absl::ResourceExhaustedError(result.diagnostics[0].message);
  }
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
    absl::string_view path, const CompileOptions& options) try {
  std::vector<Diagnostic> diagnostics;
  absl::StatusOr<internal::LoadedPolicy> loaded =
      internal::ReadPolicyFile(path, PolicyFormat::kAuto,
                               options.max_policy_bytes, &diagnostics, options);
  if (!loaded.ok() &&
      (loaded.status().code() == absl::StatusCode::kNotFound ||
       loaded.status().code() == absl::StatusCode::kResourceExhausted)) {
    return loaded.status();
  }
  return ToStatusOr(
      CompileLoaded(std::move(loaded), options, std::move(diagnostics)));
} catch (const std::bad_alloc&) {
  return ToStatusOr(OutOfMemory(path));
} catch (const std::length_error&) {
  return ToStatusOr(OutOfMemory(path));
}

absl::StatusOr<std::unique_ptr<const Engine>> Engine::FromText(
    absl::string_view text, PolicyFormat format, absl::string_view source_name,
    const CompileOptions& options) {
  return ToStatusOr(CompileText(text, format, source_name, options));
}

absl::StatusOr<std::unique_ptr<const Engine>> Engine::FromPolicy(
    const v1::Policy& policy, const CompileOptions& options) try {
  internal::LoadedPolicy loaded;
  loaded.policy = policy;
  loaded.file = "<policy>";
  return ToStatusOr(CompileLoaded(std::move(loaded), options, {}));
} catch (const std::bad_alloc&) {
  return ToStatusOr(OutOfMemory("<policy>"));
} catch (const std::length_error&) {
  return ToStatusOr(OutOfMemory("<policy>"));
}

namespace {

// Per-thread working storage of DecideInto, reused so that a steady stream
// of decisions does not allocate.
struct DecideScratch {
  internal::Frame frame;
  internal::Outcome outcome;
  internal::RankScratch rank;
  std::vector<double> factors;  // all 1.0 between decisions
  std::vector<int> touched;
  // The constructs' text buffers: cleared before every use, so a decision
  // cut short leaves nothing in them to reset.
  internal::ProposeBuffers buffers;
  // The context's wire bytes, then the decision id's input (record only).
  std::string record_bytes;
  bool in_use = false;
};

// Marks a scratch as in use (a decision nested in another, e.g. from a
// callback, gets its own).
class ScratchLease {
 public:
  ScratchLease() {
    thread_local DecideScratch shared;
    if (!shared.in_use) {
      scratch_ = &shared;
    } else {
      owned_ = std::make_unique<DecideScratch>();
      scratch_ = owned_.get();
    }
    scratch_->in_use = true;
  }
  ~ScratchLease() {
    if (std::uncaught_exceptions() > exceptions_) {
      // A decision cut short (std::bad_alloc) may leave factors not all
      // 1.0 or group starts not all 0; the next decision relies on both.
      internal::ResetScoreFactors(&scratch_->factors, &scratch_->touched);
      std::fill(scratch_->rank.group_start.begin(),
                scratch_->rank.group_start.end(), 0);
    }
    scratch_->in_use = false;
  }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  DecideScratch* operator->() { return scratch_; }

 private:
  DecideScratch* scratch_ = nullptr;
  std::unique_ptr<DecideScratch> owned_;
  int exceptions_ = std::uncaught_exceptions();
};

// Appends `field` to `*out` as an 8-byte big-endian length, then its bytes:
// no two different field lists encode alike.
void AppendField(absl::string_view field, std::string* out) {
  const uint64_t size = field.size();
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((size >> shift) & 0xff));
  }
  out->append(field.data(), field.size());
}

// Fills the decision's record (decision.proto, "The record"): the context
// digest, the decision id and the tact version. Reuses the strings `out`
// already holds and `scratch`'s capacity.
// Fails only for a context over protobuf's 2 GiB message limit.
absl::Status WriteRecord(const v1::Context& context, v1::TraceLevel trace_level,
                         std::string* scratch, v1::Decision* out) {
  // The context's deterministic wire format (map entries ordered by key).
  const size_t size = context.ByteSizeLong();
  if (size > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the context is ", size,
        " bytes in wire format, over protobuf's 2 GiB limit; it cannot be "
        "recorded (DecideOptions::record)"));
  }
  scratch->resize(size);
  {
    google::protobuf::io::ArrayOutputStream array(scratch->data(),
                                                  static_cast<int>(size));
    google::protobuf::io::CodedOutputStream coded(&array);
    coded.SetSerializationDeterministic(true);
    context.SerializeWithCachedSizes(&coded);
  }
  internal::Sha256Digest digest = internal::Sha256(*scratch);
  std::string* context_digest = out->mutable_context_digest();
  context_digest->assign("sha256:");
  internal::AppendHex(digest.data(), digest.size(), context_digest);

  // The id's input: a tag, then each field length-prefixed (AppendField).
  scratch->assign(kDecisionIdTag, sizeof(kDecisionIdTag));
  AppendField(out->policy_hash(), scratch);
  AppendField(*context_digest, scratch);
  AppendField(out->authority(), scratch);
  AppendField(v1::TraceLevel_Name(trace_level), scratch);
  digest = internal::Sha256(*scratch);
  std::string* id = out->mutable_decision_id();
  id->clear();
  internal::AppendHex(digest.data(), 16, id);
  out->mutable_tact_version()->assign(kVersion);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Decision> Engine::Decide(
    const v1::Context& context, const DecideOptions& options) const {
  v1::Decision decision;
  // Written once and handed over: no room is given up front for reuse.
  const internal::FreshDecision fresh;
  TACT_RETURN_IF_ERROR(DecideInto(context, options, &decision));
  return decision;
}

absl::Status Engine::DecideInto(const v1::Context& context,
                                const DecideOptions& options,
                                v1::Decision* out) const try {
  const internal::PolicyPlan& plan = *impl_->plan;
  ScratchLease scratch;
  absl::Status status = internal::CheckContext(context, options);
  if (status.ok()) status = scratch->frame.Reset(*plan.program, context);
  if (status.ok()) {
    internal::EvalBudget budget;
    budget.max_steps = options.max_evaluation_steps;
    budget.max_string_bytes = options.max_string_bytes_built;
    budget.deadline = options.deadline;
    budget.cancel = options.cancel;
    scratch->frame.SetBudget(budget);
    // A deadline already passed or a cancelled flag stops it before it
    // starts.
    if (!scratch->frame.CheckInterrupt()) {
      status = scratch->frame.budget_status();
    }
  }
  if (status.ok() && !options.trace &&
      !v1::TraceLevel_IsValid(options.trace_level)) {
    status = absl::InvalidArgumentError(
        absl::StrCat("unknown trace_level ", options.trace_level,
                     "; expected TRACE_OFF (0), TRACE_EVALUATED (1) or "
                     "TRACE_FULL (2)"));
  }
  int caller = -1;
  if (status.ok() && !options.authority.empty()) {
    auto it = std::find(plan.authorities.begin(), plan.authorities.end(),
                        options.authority);
    if (it == plan.authorities.end()) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "unknown authority \"", options.authority, "\"; ",
          plan.authorities.empty()
              ? "the policy declares no authorities"
              : absl::StrCat("the policy's are: ",
                             absl::StrJoin(plan.authorities, ", "))));
    } else {
      caller = static_cast<int>(it - plan.authorities.begin());
    }
  }
  if (!status.ok()) {
    out->Clear();
    return status;
  }
  internal::Frame& frame = scratch->frame;
  internal::WriteDecisionHeader(impl_->policy.name(), impl_->policy.version(),
                                impl_->hash, context.now(), out);

  const v1::TraceLevel trace_level =
      options.trace ? v1::TRACE_FULL : options.trace_level;
  out->mutable_authority()->assign(options.authority);
  out->set_trace_level(trace_level);
  if (options.record) {
    status = WriteRecord(context, trace_level, &scratch->record_bytes, out);
    if (!status.ok()) {
      out->Clear();
      return status;
    }
  } else {
    // clear_* keeps a string's storage; nothing is allocated.
    out->clear_decision_id();
    out->clear_context_digest();
    out->clear_tact_version();
  }
  internal::Outcome& outcome = scratch->outcome;
  outcome.Clear();
  const bool full_trace = trace_level == v1::TRACE_FULL;
  const internal::DecideState state{
      plan,
      context,
      frame,
      internal::ToTime(context.now()),
      trace_level != v1::TRACE_OFF ? out->mutable_trace() : nullptr,
      scratch->buffers,
      trace_level,
      full_trace ? out->mutable_construct_trace() : nullptr};
  internal::Prepare(state, &outcome);
  for (size_t i = 0; i < std::size(internal::kConstructs); ++i) {
    const internal::Construct& construct = internal::kConstructs[i];
    // Constructs the policy does not have cost nothing.
    if (construct.propose == nullptr || !plan.HasConstruct(i)) continue;
    if (!frame.budget_status().ok()) break;
    frame.SetSite(Name(construct.kind), "");
    construct.propose(state, &outcome);
    if (!frame.CheckInterrupt()) break;
  }
  if (frame.budget_status().ok()) {
    frame.SetSite("modifiers", "");
    internal::ScoreFactors(plan, frame, &scratch->factors, &scratch->touched);
  }
  if (!frame.budget_status().ok()) {
    // A budget ran out: the decision fails as a whole, never half-made.
    internal::ResetScoreFactors(&scratch->factors, &scratch->touched);
    out->Clear();
    return frame.budget_status();
  }
  internal::Rank(plan, context, scratch->factors, caller, outcome,
                 &scratch->rank, out);
  internal::ResetScoreFactors(&scratch->factors, &scratch->touched);
  return absl::OkStatus();
} catch (const std::bad_alloc&) {
  // The lease has reset the scratch; no half-written decision is returned.
  out->Clear();
  return absl::ResourceExhaustedError(
      absl::StrCat(kOutOfMemory, " while deciding"));
} catch (const std::length_error&) {
  out->Clear();
  return absl::ResourceExhaustedError(
      absl::StrCat(kOutOfMemory, " while deciding"));
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
  // Counts (for policies given as messages), enum numbers, UTF-8 and the
  // currency code, before anything is compiled.
  if (!CheckPolicyValues(*loaded, options, diagnostics)) {
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
