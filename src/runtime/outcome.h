// What rules (and, later, constructs) contribute to a decision before
// ranking: candidate actions, holds that keep actions back, and effects.
//
// Every producer appends to one Outcome; the ranker alone turns it into the
// Decision. This is the single candidate/suppression pipeline every
// construct plugs into.
#ifndef TACT_SRC_RUNTIME_OUTCOME_H_
#define TACT_SRC_RUNTIME_OUTCOME_H_

#include <climits>
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
};

// Something that keeps an action from being recommended.
struct Hold {
  int action = -1;
  // Machine-readable cause, e.g. "vetoed".
  std::string code;
  v1::Reason by;
};

struct Outcome {
  std::vector<Candidate> candidates;
  std::vector<Hold> holds;
  std::vector<v1::Effect> effects;
};

}  // namespace tact::internal

#endif  // TACT_SRC_RUNTIME_OUTCOME_H_
