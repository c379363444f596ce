#include "src/engine/decision_outcomes.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

bool Contains(const std::vector<std::string>& v, absl::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void AddOnce(std::vector<std::string>* v, const std::string& s) {
  if (!Contains(*v, s)) v->push_back(s);
}

bool Is(const v1::Reason& reason, SourceKind kind) {
  return reason.source_kind() == Name(kind);
}

}  // namespace

OutcomeClassifier::OutcomeClassifier(const v1::Policy& policy) {
  for (const v1::StrikeLimit& strike : policy.strike_limits()) {
    StrikeActions& actions = strikes_[strike.id()];
    for (const v1::ActionRef& rec : strike.warning()) {
      actions.warning.insert(rec.action());
    }
    for (const v1::ActionRef& rec : strike.at_limit()) {
      actions.at_limit.insert(rec.action());
    }
  }
  for (const v1::Action& action : policy.actions()) {
    if (!action.amount_param().empty()) {
      amount_param_[action.id()] = action.amount_param();
    }
  }
  for (const v1::RecoveryPlaybook& playbook : policy.playbooks()) {
    playbooks_.emplace_back(playbook.id(), playbook.compensation_ladder());
  }
}

const std::string* OutcomeClassifier::AmountParam(
    absl::string_view action) const {
  auto it = amount_param_.find(action);
  return it == amount_param_.end() ? nullptr : &it->second;
}

DecisionOutcomes OutcomeClassifier::Classify(const v1::Decision& decision,
                                             bool count_needs_approval) const {
  DecisionOutcomes out;
  out.traced = !decision.trace().empty();
  for (const v1::RuleTrace& rule : decision.trace()) {
    if (rule.fired()) out.rules_fired.push_back(rule.rule_id());
  }

  // The playbooks that applied: every one named as a source anywhere in the
  // decision (its apology is always proposed, so it is recommended, sent for
  // approval or blocked with the playbook among those who wanted it).
  std::vector<std::string> applied;
  auto note_playbook = [&](const v1::Reason& reason) {
    if (Is(reason, SourceKind::kPlaybook))
      AddOnce(&applied, reason.source_id());
  };
  for (const auto* list : {&decision.actions(), &decision.needs_approval()}) {
    for (const v1::RecommendedAction& a : *list) {
      for (const v1::Reason& r : a.reasons()) note_playbook(r);
    }
  }
  for (const v1::BlockedAction& b : decision.blocked()) {
    note_playbook(b.blocked_by());
    for (const v1::Reason& r : b.wanted_by()) note_playbook(r);
  }
  for (const v1::Flag& flag : decision.flags()) note_playbook(flag.source());

  auto classify_action = [&](const v1::RecommendedAction& a) {
    std::vector<std::string> playbooks;
    std::vector<std::string> ladders;
    for (const v1::Reason& r : a.reasons()) {
      if (Is(r, SourceKind::kStrikeLimit)) {
        auto strike = strikes_.find(r.source_id());
        if (strike == strikes_.end()) continue;
        if (strike->second.at_limit.count(a.action())) {
          out.strikes_at_limit.push_back(r.source_id());
        } else if (strike->second.warning.count(a.action())) {
          out.strike_warnings.push_back(r.source_id());
        }
      } else if (Is(r, SourceKind::kBudget)) {
        // The budget's note on a monetary action says it was reduced; on a
        // non-monetary one, that it stands in for a blocked gesture.
        if (AmountParam(a.action()) != nullptr) {
          out.budget_clipped.push_back(r.source_id());
        }
      } else if (Is(r, SourceKind::kPlaybook)) {
        AddOnce(&playbooks, r.source_id());
      } else if (Is(r, SourceKind::kLadder)) {
        AddOnce(&ladders, r.source_id());
      }
    }
    if (a.playbook_stage().empty()) return;
    if (playbooks.empty()) {
      // A rung of a playbook's compensation ladder, or the budget's
      // alternative standing in for a staged gesture, names no playbook: it
      // belongs to the playbooks that applied (those whose compensation
      // ladder it came from, when it came from a ladder).
      for (const auto& [id, ladder] : playbooks_) {
        if (Contains(applied, id) &&
            (ladders.empty() || Contains(ladders, ladder))) {
          playbooks.push_back(id);
        }
      }
    }
    out.stages.push_back({a.playbook_stage(), std::move(playbooks)});
  };
  for (const v1::RecommendedAction& a : decision.actions()) classify_action(a);
  if (count_needs_approval) {
    for (const v1::RecommendedAction& a : decision.needs_approval()) {
      classify_action(a);
    }
  }

  for (const v1::BlockedAction& b : decision.blocked()) {
    if (b.code() == Name(BlockedCode::kBudgetExhausted)) {
      out.budget_exhausted.push_back(b.blocked_by().source_id());
    } else if (b.code() == Name(BlockedCode::kStrikeLimit)) {
      out.strikes_at_limit.push_back(b.blocked_by().source_id());
    }
  }
  for (const v1::Effect& e : decision.effects()) {
    if (e.kind() == Name(EffectKind::kGoodwill)) {
      out.goodwill += e.amount();
      out.budget_granted.push_back(e.ref());
    } else if (e.kind() == Name(EffectKind::kStrike)) {
      out.strikes_recorded.push_back(e.ref());
    } else if (e.kind() == Name(EffectKind::kRungOffered)) {
      out.rungs.emplace_back(e.ref(), e.step());
    }
  }
  for (const v1::Flag& flag : decision.flags()) {
    if (flag.code() == Name(FlagCode::kRecoveryWindowMissed)) {
      out.windows_missed.push_back(flag.source().source_id());
    }
  }
  return out;
}

}  // namespace tact::internal
