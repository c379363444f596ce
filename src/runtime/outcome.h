// What rules (and, later, constructs) contribute to a decision before
// ranking: candidate actions, holds that keep actions back, and effects.
//
// Every producer appends to one Outcome; the ranker alone turns it into the
// Decision. This is the single candidate/suppression pipeline every
// construct plugs into.
#ifndef TACT_SRC_RUNTIME_OUTCOME_H_
#define TACT_SRC_RUNTIME_OUTCOME_H_

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/compiler/value.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// Ranks before any other ordering key when set; lower stages rank first.
inline constexpr int kUnstaged = INT_MAX;

// One producer's wish to recommend an action.
struct Candidate {
  int action = -1;  // index into PolicyPlan::actions
  // (name, value), sorted by name. Strings view the decision's Frame.
  std::vector<std::pair<std::string, Value>> params;
  int priority = 0;
  double weight = 1.0;
  int stage = kUnstaged;
  v1::Reason reason;
  // Recorded only if the action ends up recommended (e.g. rung_offered).
  std::vector<v1::Effect> effects;
};

// Something that keeps an action from being recommended.
struct Hold {
  int action = -1;
  // Machine-readable cause, e.g. "vetoed".
  std::string code;
  v1::Reason by;
};

// What the goodwill budget has left for this decision.
struct BudgetState {
  std::string id;
  int64_t remaining = 0;
  // For reasons: the caps and what was already granted.
  int64_t window_cap = 0;
  int64_t granted_in_window = 0;
  int64_t case_cap = -1;  // -1: none
  int64_t granted_in_case = 0;
};

struct Outcome {
  std::vector<Candidate> candidates;
  std::vector<Hold> holds;
  // Recorded whatever is recommended (e.g. strike).
  std::vector<v1::Effect> effects;
  std::vector<v1::Flag> flags;
  // Set when the policy has a goodwill budget.
  std::optional<BudgetState> budget;
};

}  // namespace tact::internal

#endif  // TACT_SRC_RUNTIME_OUTCOME_H_
