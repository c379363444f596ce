// What rules (and, later, constructs) contribute to a decision before
// ranking: candidate actions, holds that keep actions back, and effects.
//
// Every producer appends to one Outcome; the ranker alone turns it into the
// Decision. This is the single candidate/suppression pipeline every
// construct plugs into.
//
// Nothing here owns compiled-plan text: ids view the PolicyPlan (or string
// literals), kinds and codes are the enums of tact/codes.h, so an Outcome
// reused across decisions (Outcome::Clear keeps every buffer) allocates nothing
// in steady state.
#ifndef TACT_SRC_POLICY_OUTCOME_H_
#define TACT_SRC_POLICY_OUTCOME_H_

#include <climits>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/expr/value.h"
#include "src/policy/calendar.h"
#include "tact/codes.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

struct RecommendationPlan;

// Ranks before any other ordering key when set; lower stages rank first.
// A staged candidate's stage is a PlaybookStage (as an int), so every
// apology ranks before every fix, and so on.
inline constexpr int kUnstaged = INT_MAX;

// The rank of a playbook stage among the ordering keys.
constexpr int StageRank(PlaybookStage stage) { return static_cast<int>(stage); }

// Who proposed, held back or annotated an action: a construct of the plan,
// by kind and by its index in the plan's list of that kind (rules, strikes,
// ladders, playbooks, budgets, authorities; -1 for an entitlement, which is
// named by its tier). `id` (viewing the plan) is what the decision shows.
struct SourceRef {
  SourceKind kind = SourceKind::kRule;
  int index = -1;
  absl::string_view id;

  bool Is(SourceKind k, int i) const { return kind == k && index == i; }
};

// A v1::Reason before it is written: the source and the text view the plan
// (or literals) unless the text had to be rendered.
struct ReasonRef {
  SourceRef source;
  // The text when `rendered` is not used. Must outlive the decision.
  absl::string_view literal;
  bool use_rendered = false;
  std::string rendered;  // capacity kept across decisions

  absl::string_view text() const {
    return use_rendered ? absl::string_view(rendered) : literal;
  }
  // A text that lives as long as the plan.
  void SetLiteral(const SourceRef& from, absl::string_view text) {
    source = from;
    literal = text;
    use_rendered = false;
  }
  // Starts a rendered text; append to the returned string.
  std::string* StartRendered(const SourceRef& from) {
    source = from;
    use_rendered = true;
    rendered.clear();
    return &rendered;
  }
  void WriteTo(v1::Reason* out) const;
};

// A v1::Effect before it is written; ref views the plan.
struct EffectRef {
  EffectKind kind = EffectKind::kStrike;
  absl::string_view ref;
  int64_t amount = 0;
  int64_t step = 0;
  void WriteTo(v1::Effect* out) const;
};

// Append-only storage whose elements (and their buffers) survive Clear, so
// a reused pool stops allocating once it has grown to its working size.
// Add returns a recycled element: the caller resets what it uses.
template <typename T>
class Pool {
 public:
  T& Add() {
    if (size_ == items_.size()) items_.emplace_back();
    return items_[size_++];
  }
  void PopBack() { --size_; }
  void Clear() { size_ = 0; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return items_[i]; }
  const T& operator[](size_t i) const { return items_[i]; }
  T& back() { return items_[size_ - 1]; }
  T* begin() { return items_.data(); }
  T* end() { return items_.data() + size_; }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + size_; }

 private:
  std::vector<T> items_;
  size_t size_ = 0;
};

// (name, value), sorted by name. Names view the plan; string values view
// the decision's Frame.
using Params = std::vector<std::pair<absl::string_view, Value>>;

// One producer's wish to recommend an action.
struct Candidate {
  int action = -1;  // index into PolicyPlan::actions
  Params params;
  int priority = 0;
  double weight = 1.0;
  int stage = kUnstaged;
  ReasonRef reason;
  // Recorded only if the action ends up recommended (e.g. rung_offered).
  std::vector<EffectRef> effects;
  // The reference it was proposed from (in the plan): names the parameter
  // expressions in reasons.
  const RecommendationPlan* from = nullptr;
};

// Something that keeps an action from being recommended.
struct Hold {
  int action = -1;
  BlockedCode code = BlockedCode::kVetoed;
  ReasonRef by;
};

struct FlagRef {
  FlagCode code = FlagCode::kRecoveryWindowMissed;
  ReasonRef source;
};

struct Outcome;
// The most bytes of an error text copied into a flag or a trace entry;
// longer ones are abbreviated (AbbreviateText), so that one error shared by
// many rules (a memoized definition's) costs little per copy.
inline constexpr size_t kMaxCopiedErrorBytes = 256;

// Fail closed, visibly: adds a restriction_errored flag from `source`
// saying that `what` (e.g. "its condition") could not be evaluated, with
// `error` (abbreviated to kMaxCopiedErrorBytes), so its restriction was not
// applied.
void FlagRestrictionErrored(const SourceRef& source, absl::string_view what,
                            absl::string_view error, Outcome* outcome);

// What the goodwill budget has left for this decision.
struct BudgetState {
  absl::string_view id;  // views the plan
  int64_t remaining = 0;
  // For reasons: the caps and what was already granted.
  int64_t window_cap = 0;
  int64_t granted_in_window = 0;
  int64_t case_cap = -1;  // -1: none
  int64_t granted_in_case = 0;
  // Where the window starts: grants at or after it count against
  // window_cap.
  absl::Time window_start = absl::InfinitePast();
};

// Where the case stands on one service-level target (PrepareServiceLevels),
// written as a v1::ServiceLevelStatus.
struct ServiceLevelState {
  SlaState state = SlaState::kNone;
  // The customer's tier and the entitlement whose span applies (view the
  // context and the plan); the span: null when the contract states none.
  absl::string_view tier;
  absl::string_view entitlement;
  const Span* within = nullptr;
  absl::string_view within_text;  // as the policy states it (views the plan)
  absl::string_view within_readable;  // "4 business hours" (views the plan)
  // InfinitePast / InfiniteFuture when unknown (absent in the output).
  absl::Time started = absl::InfinitePast();
  absl::Time stopped = absl::InfiniteFuture();
  absl::Time due = absl::InfiniteFuture();
  absl::Duration elapsed = absl::ZeroDuration();
  absl::Duration remaining = absl::ZeroDuration();
  int percent = 0;
  int threshold = 0;
  bool paused = false;
  // Running while the case's latest status is a resolved one: no time
  // counts and no threshold acts (paused is set too).
  bool resolved = false;
};

struct Outcome {
  Pool<Candidate> candidates;
  Pool<Hold> holds;
  // Recorded whatever is recommended (e.g. strike).
  std::vector<EffectRef> effects;
  Pool<FlagRef> flags;
  // Set when the policy has a goodwill budget.
  std::optional<BudgetState> budget;
  // The amounts of the budget's grants recorded in this case at exactly now
  // (events of its granted kind and id): when the case is re-decided, this
  // decision's own grants. Not in `budget`'s sums: AdjustBudget counts those
  // this decision does not grant again and emits no effect for those it does.
  std::vector<int64_t> grants_at_now;
  // The priority of the highest `final` rule that fired (INT_MIN: none).
  // Every candidate of strictly lower priority, from a rule or a construct,
  // is stopped: not proposed, so it records no effect.
  int final_floor = INT_MIN;

  bool Stopped(int priority) const { return priority < final_floor; }
  // One per target of the plan's service levels, in plan order (set by
  // PrepareServiceLevels; empty when the policy has none).
  std::vector<ServiceLevelState> service_levels;

  // Empties the outcome, keeping its storage.
  void Clear() {
    candidates.Clear();
    holds.Clear();
    effects.clear();
    flags.Clear();
    budget.reset();
    grants_at_now.clear();
    final_floor = INT_MIN;
    service_levels.clear();
  }
};

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_OUTCOME_H_
