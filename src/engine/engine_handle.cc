#include "tact/engine_handle.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "src/common/json_string.h"
#include "src/engine/simulation_diff.h"

namespace tact {

using ::tact::internal::JsonString;

namespace {

bool SameValue(const v1::Value& a, const v1::Value& b) {
  if (a.kind_case() != b.kind_case()) return false;
  switch (a.kind_case()) {
    case v1::Value::kBoolValue:
      return a.bool_value() == b.bool_value();
    case v1::Value::kIntValue:
      return a.int_value() == b.int_value();
    case v1::Value::kDoubleValue:
      return a.double_value() == b.double_value();
    case v1::Value::kStringValue:
      return a.string_value() == b.string_value();
    case v1::Value::kTimestampValue:
      return a.timestamp_value().seconds() == b.timestamp_value().seconds() &&
             a.timestamp_value().nanos() == b.timestamp_value().nanos();
    case v1::Value::kDurationValue:
      return a.duration_value().seconds() == b.duration_value().seconds() &&
             a.duration_value().nanos() == b.duration_value().nanos();
    case v1::Value::KIND_NOT_SET:
      return true;
  }
  return false;  // a kind added later: let DiffDecisions judge
}

// Every field of RecommendedAction but rank, priority, score and reasons.
bool SameAction(const v1::RecommendedAction& a,
                const v1::RecommendedAction& b) {
  if (a.action() != b.action() || a.title() != b.title() ||
      a.text() != b.text() ||
      a.required_authority() != b.required_authority() ||
      a.beyond_contract() != b.beyond_contract() ||
      a.playbook_stage() != b.playbook_stage() || a.cost() != b.cost() ||
      a.agent_minutes() != b.agent_minutes() ||
      a.params_size() != b.params_size() || a.tags_size() != b.tags_size()) {
    return false;
  }
  for (int i = 0; i < a.params_size(); ++i) {
    if (a.params(i).name() != b.params(i).name() ||
        !SameValue(a.params(i).value(), b.params(i).value())) {
      return false;
    }
  }
  for (int i = 0; i < a.tags_size(); ++i) {
    if (a.tags(i) != b.tags(i)) return false;
  }
  return true;
}

bool SameActions(
    const google::protobuf::RepeatedPtrField<v1::RecommendedAction>& a,
    const google::protobuf::RepeatedPtrField<v1::RecommendedAction>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (!SameAction(a[i], b[i])) return false;
  }
  return true;
}

// Whole-message equality of two short lists (blocked actions, effects,
// flags) by their wire format.
template <typename Message>
bool SameMessages(const google::protobuf::RepeatedPtrField<Message>& a,
                  const google::protobuf::RepeatedPtrField<Message>& b) {
  if (a.size() != b.size()) return false;
  std::string x, y;
  for (int i = 0; i < a.size(); ++i) {
    x.clear();
    y.clear();
    a[i].AppendToString(&x);
    b[i].AppendToString(&y);
    if (x != y) return false;
  }
  return true;
}

// True when `a` and `b` agree on everything a host acts on, as a fast path
// before DiffDecisions (which formats a text for every parameter it
// compares): the actions and the actions needing approval field by field
// except their rank, priority, score and reasons; the blocked actions,
// effects and flags whole. Stricter than DiffDecisions, never looser: true
// means DiffDecisions finds no change; false means run it. Should
// RecommendedAction gain a field this does not know, it always says false.
bool SameForHost(const v1::Decision& a, const v1::Decision& b) {
  static const bool kKnowsEveryActionField =
      v1::RecommendedAction::descriptor()->field_count() == 14;
  return kKnowsEveryActionField && SameActions(a.actions(), b.actions()) &&
         SameActions(a.needs_approval(), b.needs_approval()) &&
         SameMessages(a.blocked(), b.blocked()) &&
         SameMessages(a.effects(), b.effects()) &&
         SameMessages(a.flags(), b.flags());
}

}  // namespace

// A candidate, its sampling rule and its report. Observe runs on the
// deciding threads: the numbering and the identical count are atomics; the
// rest (the tallies of differing cases, the examples, the serving policy's
// monetary actions) is under `mu_`, taken briefly once per sampled decision
// and once more per difference or error.
class EngineHandle::ShadowState {
 public:
  ShadowState(std::shared_ptr<const Engine> candidate,
              const ShadowOptions& options, int64_t share_millionths)
      : candidate_(std::move(candidate)),
        candidate_amounts_(internal::AmountParamsOf(candidate_->policy())),
        share_millionths_(share_millionths),
        max_examples_(static_cast<size_t>(options.max_examples)),
        max_example_bytes_(options.max_example_bytes),
        since_(absl::Now()) {
    for (int k = 0; k < kChangeKinds; ++k) {
      changes_by_kind_[static_cast<ChangeKind>(k)] = ChangeTally{};
    }
  }

  const std::shared_ptr<const Engine>& candidate() const { return candidate_; }

  void CountServingSwap() {
    serving_swaps_.fetch_add(1, std::memory_order_relaxed);
  }

  // After `serving` decided `served` on `context` with `options`: numbers
  // the decision and, when it is sampled, has the candidate decide too and
  // records the outcome. Never fails and never touches `served`.
  void Observe(const Engine& serving, const v1::Context& context,
               const DecideOptions& options,
               const v1::Decision& served) noexcept {
    const int64_t number = decided_.fetch_add(1, std::memory_order_relaxed);
    if (!Sampled(number)) return;
    sampled_.fetch_add(1, std::memory_order_relaxed);
    try {
      absl::StatusOr<v1::Decision> candidate =
          candidate_->Decide(context, options);
      if (!candidate.ok()) {
        RecordError(number, context, served, candidate.status().ToString());
        return;
      }
      if (SameForHost(served, *candidate)) {
        identical_.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      std::shared_ptr<const ServingPolicy> policy = ServingPolicyOf(serving);
      internal::DecisionDiff diff = internal::DiffDecisions(
          served, policy->amounts, *candidate, candidate_amounts_,
          policy->currency, policy->same_currency);
      if (diff.changes.empty() && diff.goodwill_delta == 0) {
        identical_.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      RecordDifference(number, context, served, *candidate, std::move(diff),
                       *policy);
    } catch (...) {  // out of memory: count it, never reach the host
      try {
        RecordError(number, context, served,
                    "RESOURCE_EXHAUSTED: out of memory while shadowing");
      } catch (...) {
      }
    }
  }

  ShadowReport Report() const {
    ShadowReport report;
    report.active = true;
    report.candidate_name = candidate_->policy().name();
    report.candidate_version = candidate_->policy().version();
    report.candidate_hash = candidate_->policy_hash();
    report.share_millionths = share_millionths_;
    report.since = since_;
    report.serving_swaps = serving_swaps_.load(std::memory_order_relaxed);
    report.decided = decided_.load(std::memory_order_relaxed);
    report.sampled = sampled_.load(std::memory_order_relaxed);
    report.identical = identical_.load(std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mu_);
    report.differing = differing_;
    report.candidate_errors = candidate_errors_;
    report.changes_by_kind = changes_by_kind_;
    report.goodwill_delta = goodwill_delta_;
    report.goodwill_delta_overflow = goodwill_delta_overflow_;
    report.currency_changed = currency_changed_;
    report.currency = currency_;
    try {
      report.examples = examples_;
      report.error_examples = error_examples_;
    } catch (const std::bad_alloc&) {
      // Out of memory copying the examples: the counts without them.
      report.examples.clear();
      report.error_examples.clear();
    }
    return report;
  }

 private:
  // What the comparison needs of the serving policy, derived once per
  // serving policy (reloads change it).
  struct ServingPolicy {
    std::string hash;
    internal::AmountParams amounts;
    std::string currency;
    bool same_currency = true;
  };

  // ShadowOptions::share: decision n is sampled when
  // floor((n + 1) * share) > floor(n * share). The pattern repeats every
  // million decisions, so only n's remainder matters (no overflow).
  bool Sampled(int64_t number) const {
    if (share_millionths_ >= kMillion) return true;
    if (share_millionths_ <= 0) return false;
    const int64_t r = number % kMillion;
    return (r + 1) * share_millionths_ / kMillion >
           r * share_millionths_ / kMillion;
  }

  std::shared_ptr<const ServingPolicy> ServingPolicyOf(const Engine& serving) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (serving_ != nullptr && serving_->hash == serving.policy_hash()) {
        return serving_;
      }
    }
    // A new serving policy (the first decision, or after a reload): derive
    // outside the lock; racing threads derive the same thing.
    auto derived = std::make_shared<ServingPolicy>();
    derived->hash = serving.policy_hash();
    derived->amounts = internal::AmountParamsOf(serving.policy());
    derived->currency = serving.policy().currency();
    derived->same_currency =
        derived->currency == candidate_->policy().currency();
    std::lock_guard<std::mutex> lock(mu_);
    serving_ = derived;
    return derived;
  }

  // A new example of `number` on `context`, its parts kept within
  // max_example_bytes_.
  ShadowExample MakeExample(int64_t number, const v1::Context& context,
                            const v1::Decision& served,
                            const v1::Decision* candidate) const {
    ShadowExample example;
    example.number = number;
    example.context_bytes = static_cast<int64_t>(context.ByteSizeLong());
    if (example.context_bytes <= max_example_bytes_) {
      example.context = context;
    } else {
      example.context_omitted = true;
    }
    if (static_cast<int64_t>(served.ByteSizeLong()) <= max_example_bytes_ &&
        (candidate == nullptr ||
         static_cast<int64_t>(candidate->ByteSizeLong()) <=
             max_example_bytes_)) {
      example.serving = served;
      if (candidate != nullptr) example.candidate = *candidate;
    } else {
      example.decisions_omitted = true;
    }
    return example;
  }

  void RecordDifference(int64_t number, const v1::Context& context,
                        const v1::Decision& served,
                        const v1::Decision& candidate,
                        internal::DecisionDiff diff,
                        const ServingPolicy& policy) {
    std::lock_guard<std::mutex> lock(mu_);
    ++differing_;
    for (ChangeKind kind : internal::KindsOf(diff.changes)) {
      ++changes_by_kind_[kind].cases;
    }
    for (const Change& change : diff.changes) {
      ChangeTally& tally = changes_by_kind_[change.kind];
      tally.money = internal::SaturatingAdd(tally.money, change.money,
                                            &tally.money_overflow);
    }
    goodwill_delta_ = internal::SaturatingAdd(
        goodwill_delta_, diff.goodwill_delta, &goodwill_delta_overflow_);
    if (diff.goodwill_overflow) goodwill_delta_overflow_ = true;
    currency_ = policy.currency;
    currency_changed_ = !policy.same_currency;
    if (examples_.size() < max_examples_) {
      examples_.push_back(MakeExample(number, context, served, &candidate));
      examples_.back().changes = std::move(diff.changes);
    }
  }

  void RecordError(int64_t number, const v1::Context& context,
                   const v1::Decision& served, std::string error) {
    std::lock_guard<std::mutex> lock(mu_);
    ++candidate_errors_;
    if (error_examples_.size() < max_examples_) {
      error_examples_.push_back(
          MakeExample(number, context, served, /*candidate=*/nullptr));
      error_examples_.back().error = std::move(error);
    }
  }

  static constexpr int64_t kMillion = 1000000;

  const std::shared_ptr<const Engine> candidate_;
  const internal::AmountParams candidate_amounts_;
  const int64_t share_millionths_;
  const size_t max_examples_;
  const int64_t max_example_bytes_;
  const absl::Time since_;

  std::atomic<int64_t> decided_{0};
  std::atomic<int64_t> sampled_{0};
  std::atomic<int64_t> identical_{0};
  std::atomic<int64_t> serving_swaps_{0};

  mutable std::mutex mu_;
  std::shared_ptr<const ServingPolicy> serving_;  // the last one compared
  int64_t differing_ = 0;
  int64_t candidate_errors_ = 0;
  std::map<ChangeKind, ChangeTally> changes_by_kind_;
  int64_t goodwill_delta_ = 0;
  bool goodwill_delta_overflow_ = false;
  bool currency_changed_ = false;
  std::string currency_;
  std::vector<ShadowExample> examples_;
  std::vector<ShadowExample> error_examples_;
};

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

namespace {

// The status of compiling `result`, moving its diagnostics to
// `diagnostics` when not null.
absl::Status CompileStatus(const CompileResult& result) {
  absl::Status status = DiagnosticsToStatus(result.diagnostics);
  if (result.engine == nullptr && status.ok()) {
    status = absl::InternalError("compilation failed without a diagnostic");
  }
  return status;
}

// ShadowOptions checked, with the share in millionths.
absl::StatusOr<int64_t> ShareMillionths(const ShadowOptions& options) {
  if (!(options.share >= 0.0 && options.share <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "ShadowOptions::share must be in [0, 1], not %g", options.share));
  }
  if (options.max_examples < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("ShadowOptions::max_examples must be >= 0, not ",
                     options.max_examples));
  }
  if (options.max_example_bytes < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("ShadowOptions::max_example_bytes must be >= 0, not ",
                     options.max_example_bytes));
  }
  return static_cast<int64_t>(std::llround(options.share * 1e6));
}

}  // namespace

absl::Status EngineHandle::Install(
    CompileResult result, std::vector<Diagnostic>* diagnostics) noexcept {
  absl::Status status = CompileStatus(result);
  if (diagnostics != nullptr) *diagnostics = std::move(result.diagnostics);
  if (!status.ok()) return status;
  Swap(std::shared_ptr<const Engine>(std::move(result.engine)));
  return absl::OkStatus();
}

void EngineHandle::Swap(std::shared_ptr<const Engine> engine) noexcept {
  {
    std::lock_guard<std::mutex> lock(current_mu_);
    current_.swap(engine);
    if (shadow_ != nullptr) shadow_->CountServingSwap();
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
  std::shared_ptr<const Engine> engine;
  std::shared_ptr<ShadowState> shadow;
  {
    std::lock_guard<std::mutex> lock(current_mu_);
    engine = current_;
    shadow = shadow_;
  }
  if (engine == nullptr) {
    return absl::FailedPreconditionError(
        "EngineHandle::Decide: no policy loaded yet; call Reload first");
  }
  absl::StatusOr<v1::Decision> decision = engine->Decide(context, options);
  if (shadow != nullptr && decision.ok()) {
    shadow->Observe(*engine, context, options, *decision);
  }
  return decision;
}

absl::Status EngineHandle::SetCandidate(std::shared_ptr<const Engine> candidate,
                                        const ShadowOptions& options) noexcept {
  if (candidate == nullptr) {
    return absl::InvalidArgumentError(
        "EngineHandle::SetCandidate: the candidate engine is null");
  }
  absl::StatusOr<int64_t> share = ShareMillionths(options);
  if (!share.ok()) return share.status();
  auto state =
      std::make_shared<ShadowState>(std::move(candidate), options, *share);
  {
    std::lock_guard<std::mutex> lock(current_mu_);
    shadow_.swap(state);
  }
  return absl::OkStatus();  // the previous state, if any, dies out here
}

absl::Status EngineHandle::InstallCandidate(
    CompileResult result, const ShadowOptions& shadow,
    std::vector<Diagnostic>* diagnostics) noexcept {
  absl::Status status = CompileStatus(result);
  if (diagnostics != nullptr) *diagnostics = std::move(result.diagnostics);
  if (!status.ok()) return status;
  return SetCandidate(std::shared_ptr<const Engine>(std::move(result.engine)),
                      shadow);
}

absl::Status EngineHandle::ReloadCandidate(
    absl::string_view path, const ShadowOptions& shadow,
    const CompileOptions& options,
    std::vector<Diagnostic>* diagnostics) noexcept {
  if (absl::StatusOr<int64_t> share = ShareMillionths(shadow); !share.ok()) {
    return share.status();  // before compiling anything
  }
  std::lock_guard<std::mutex> reload(reload_mu_);
  return InstallCandidate(Engine::Compile(path, options), shadow, diagnostics);
}

absl::Status EngineHandle::ReloadCandidate(
    absl::string_view text, PolicyFormat format, absl::string_view source_name,
    const ShadowOptions& shadow, const CompileOptions& options,
    std::vector<Diagnostic>* diagnostics) noexcept {
  if (absl::StatusOr<int64_t> share = ShareMillionths(shadow); !share.ok()) {
    return share.status();
  }
  std::lock_guard<std::mutex> reload(reload_mu_);
  return InstallCandidate(
      Engine::CompileText(text, format, source_name, options), shadow,
      diagnostics);
}

void EngineHandle::ClearCandidate() noexcept {
  std::shared_ptr<ShadowState> old;
  {
    std::lock_guard<std::mutex> lock(current_mu_);
    shadow_.swap(old);
  }
}

std::shared_ptr<EngineHandle::ShadowState> EngineHandle::CurrentShadow()
    const noexcept {
  std::lock_guard<std::mutex> lock(current_mu_);
  return shadow_;
}

std::shared_ptr<const Engine> EngineHandle::Candidate() const noexcept {
  std::shared_ptr<ShadowState> shadow = CurrentShadow();
  return shadow == nullptr ? nullptr : shadow->candidate();
}

ShadowReport EngineHandle::Shadow() const noexcept {
  std::shared_ptr<ShadowState> shadow = CurrentShadow();
  if (shadow == nullptr) return ShadowReport{};
  try {
    return shadow->Report();
  } catch (...) {  // out of memory (noexcept: never terminate the host)
    ShadowReport report;
    report.active = true;
    return report;
  }
}

// --- ShadowReportToJson ---

namespace {

const char* JsonBool(bool b) { return b ? "true" : "false"; }

std::string MessageJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  std::string json;
  // Printing a valid Context or Decision cannot fail (neither holds an Any).
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string ExampleJson(const ShadowExample& e, bool error) {
  std::string j = absl::StrCat(
      "{\"number\": ", e.number,
      ", \"context\": ", e.context_omitted ? "null" : MessageJson(e.context),
      ", \"context_omitted\": ", JsonBool(e.context_omitted),
      ", \"context_bytes\": ", e.context_bytes,
      ", \"serving\": ", e.decisions_omitted ? "null" : MessageJson(e.serving));
  if (error) {
    absl::StrAppend(&j,
                    ", \"decisions_omitted\": ", JsonBool(e.decisions_omitted),
                    ", \"error\": ", JsonString(e.error), "}");
    return j;
  }
  absl::StrAppend(&j, ", \"candidate\": ",
                  e.decisions_omitted ? "null" : MessageJson(e.candidate),
                  ", \"decisions_omitted\": ", JsonBool(e.decisions_omitted),
                  ", \"changes\": [");
  for (size_t i = 0; i < e.changes.size(); ++i) {
    const Change& c = e.changes[i];
    absl::StrAppend(&j, i == 0 ? "" : ", ",
                    "{\"kind\": ", JsonString(ChangeKindName(c.kind)),
                    ", \"text\": ", JsonString(c.text),
                    ", \"money\": ", c.money, "}");
  }
  j += "]}";
  return j;
}

}  // namespace

std::string ShadowReportToJson(const ShadowReport& r) {
  std::string j = absl::StrCat("{\"active\": ", JsonBool(r.active));
  if (!r.active) return j + "}";
  absl::StrAppend(
      &j, ", \"candidate\": {\"name\": ", JsonString(r.candidate_name),
      ", \"version\": ", JsonString(r.candidate_version),
      ", \"hash\": ", JsonString(r.candidate_hash), "}",
      ", \"share_millionths\": ", r.share_millionths, ", \"since\": ",
      JsonString(
          absl::FormatTime(absl::RFC3339_full, r.since, absl::UTCTimeZone())),
      ", \"serving_swaps\": ", r.serving_swaps, ", \"decided\": ", r.decided,
      ", \"sampled\": ", r.sampled, ", \"identical\": ", r.identical,
      ", \"differing\": ", r.differing,
      ", \"candidate_errors\": ", r.candidate_errors,
      ", \"currency\": ", JsonString(r.currency),
      ", \"currency_changed\": ", JsonBool(r.currency_changed),
      ", \"goodwill_delta\": ", r.goodwill_delta,
      ", \"goodwill_delta_overflow\": ", JsonBool(r.goodwill_delta_overflow),
      ", \"changes_by_kind\": {");
  bool first = true;
  for (const auto& [kind, tally] : r.changes_by_kind) {
    absl::StrAppend(&j, first ? "" : ", ", JsonString(ChangeKindName(kind)),
                    ": {\"cases\": ", tally.cases, ", \"money\": ", tally.money,
                    ", \"money_overflow\": ", JsonBool(tally.money_overflow),
                    "}");
    first = false;
  }
  j += "}, \"examples\": [";
  for (size_t i = 0; i < r.examples.size(); ++i) {
    absl::StrAppend(&j, i == 0 ? "" : ", ", ExampleJson(r.examples[i], false));
  }
  j += "], \"error_examples\": [";
  for (size_t i = 0; i < r.error_examples.size(); ++i) {
    absl::StrAppend(&j, i == 0 ? "" : ", ",
                    ExampleJson(r.error_examples[i], true));
  }
  j += "]}";
  return j;
}

}  // namespace tact
