// What one decision did with each construct of its policy: the rungs it
// offered, the strike limits it warned or stopped at, the recovery steps it
// took, what the goodwill budget granted, clipped or blocked, the rules that
// fired. The one reading of a Decision that `tact simulate`'s totals
// (tact/simulation.h) and policy coverage (tact/coverage.h) both fold.
#ifndef TACT_SRC_ENGINE_DECISION_OUTCOMES_H_
#define TACT_SRC_ENGINE_DECISION_OUTCOMES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "tact/v1/decision.pb.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

// One recommended action at a recovery-playbook stage.
struct StagedAction {
  std::string stage;  // PlaybookStage name: "apology", "fix", ...
  // The playbooks it belongs to, in policy order (usually one).
  std::vector<std::string> playbooks;
};

// A decision's outcomes, each naming the construct it belongs to by id.
// Lists keep decision order and may repeat an id (two actions of one limit).
struct DecisionOutcomes {
  // Whether the decision has a rule trace (DecideOptions::trace) for a
  // policy with rules; `rules_fired` is empty when not.
  bool traced = false;
  std::vector<std::string> rules_fired;  // RuleTrace.fired, trace order
  // rung_offered effects: ladder id, step.
  std::vector<std::pair<std::string, int64_t>> rungs;
  // Strike limit ids. A warning is an action of the limit's `warning`
  // recommended by it; at limit, one of its `at_limit` actions or a
  // strike_limit block by it (an action in both lists counts as at limit);
  // recorded, a `strike` effect.
  std::vector<std::string> strike_warnings;
  std::vector<std::string> strikes_at_limit;
  std::vector<std::string> strikes_recorded;
  // Every action with a playbook stage, in rank order.
  std::vector<StagedAction> stages;
  // Playbooks that flagged recovery_window_missed.
  std::vector<std::string> windows_missed;
  // Sum of `goodwill` effect amounts, minor units.
  int64_t goodwill = 0;
  // Budget ids: a goodwill effect (granted), a monetary action the budget
  // reduced (a reason of source kind "budget"), a budget_exhausted block.
  std::vector<std::string> budget_granted;
  std::vector<std::string> budget_clipped;
  std::vector<std::string> budget_exhausted;
};

// Reads decisions of one policy. Immutable after construction; safe for
// concurrent use.
class OutcomeClassifier {
 public:
  explicit OutcomeClassifier(const v1::Policy& policy);

  // The outcomes of `decision`, a decision of this policy. Only the
  // recommended actions count, or with `count_needs_approval` those sent
  // for approval too (the policy reached them; who may act is the
  // authority's business). Ids the policy does not declare are kept as
  // they are.
  DecisionOutcomes Classify(const v1::Decision& decision,
                            bool count_needs_approval) const;

  // The amount parameter of a monetary action, or null.
  const std::string* AmountParam(absl::string_view action) const;

 private:
  struct StrikeActions {
    std::set<std::string> warning;
    std::set<std::string> at_limit;
  };
  std::map<std::string, StrikeActions, std::less<>> strikes_;  // by limit id
  std::map<std::string, std::string, std::less<>> amount_param_;
  // Playbook id and compensation ladder (may be empty), in policy order.
  std::vector<std::pair<std::string, std::string>> playbooks_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_ENGINE_DECISION_OUTCOMES_H_
