// Building candidates from action references: the one path by which rules
// and constructs turn a RecommendationPlan into a Candidate.
#ifndef TACT_SRC_POLICY_CANDIDATES_H_
#define TACT_SRC_POLICY_CANDIDATES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "src/expr/program.h"
#include "src/policy/outcome.h"
#include "src/policy/plan.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// Who proposes a candidate, and how it ranks.
struct Proposer {
  SourceRef source;
  const Template* reason = nullptr;  // null or empty: `fallback`
  absl::string_view fallback;
  int priority = 0;
  double weight = 1.0;
  int stage = kUnstaged;
  // True when `fallback` lives as long as the plan (it is then viewed, not
  // copied).
  bool fallback_is_stable = false;
};

// Evaluates the parameters of `rec` and appends a Candidate with the
// proposer's reason rendered from them. Appends nothing and returns false
// when the candidate is stopped (a final rule of higher priority fired:
// Outcome::Stopped) or `rec.when` does not hold. When `rec.when` cannot be
// evaluated or a parameter errs, appends nothing and returns false, setting
// `*error` (when not null and empty) to "when of <action>: <message>" or
// "parameter <name> of <action>: <message>"; a rule's trace shows it.
bool Propose(const PolicyPlan& plan, const RecommendationPlan& rec,
             const Proposer& proposer, Frame& frame, Outcome* outcome,
             std::string* error = nullptr);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CANDIDATES_H_
