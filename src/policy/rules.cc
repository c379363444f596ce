#include "src/policy/rules.h"

#include <climits>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/expr/value.h"
#include "src/policy/candidates.h"
#include "src/policy/condition.h"
#include "src/policy/rule_index.h"
#include "src/policy/template.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

// Adds the rule's contributions. Returns the first parameter error, if any;
// a recommendation whose parameter fails is dropped, the others stand.
std::string Contribute(const PolicyPlan& plan, const RulePlan& rule,
                       Frame& frame, Outcome* outcome) {
  // Indexed by position in plan.rules (evaluation order).
  const SourceRef source{SourceKind::kRule,
                         static_cast<int>(&rule - plan.rules.data()), rule.id};
  Proposer proposer{source,
                    &rule.reason,
                    rule.fallback_reason,
                    rule.priority,
                    rule.weight,
                    kUnstaged,
                    /*fallback_is_stable=*/true};
  std::string first_error;
  for (const RecommendationPlan& rec : rule.recommend) {
    Propose(plan, rec, proposer, frame, outcome, &first_error);
  }
  for (int action : rule.veto) {
    Hold& hold = outcome->holds.Add();
    hold.action = action;
    hold.code = BlockedCode::kVetoed;
    hold.by.SetLiteral(source, rule.veto_reason);
  }
  return first_error;
}

// Why a restricting rule did not apply: its error, or "" when it did not err.
std::string RestrictionError(const PolicyPlan& plan, const RulePlan& rule,
                             Frame& frame) {
  ConditionResult result = EvaluateCondition(*plan.program, rule.when, frame);
  if (result.status != ConditionResult::Status::kError) return "";
  return result.error;
}

void FlagErroredRule(const PolicyPlan& plan, const RulePlan& rule,
                     absl::string_view error, Outcome* outcome) {
  const SourceRef source{SourceKind::kRule,
                         static_cast<int>(&rule - plan.rules.data()), rule.id};
  FlagRestrictionErrored(
      source,
      absl::StrCat("the condition of rule \"", rule.id, "\" (",
                   rule.veto.empty() ? "" : "a veto",
                   !rule.veto.empty() && rule.final ? ", " : "",
                   rule.final ? "final" : "", ")"),
      error, outcome);
}

}  // namespace

void FlagRestrictionErrored(const SourceRef& source, absl::string_view what,
                            absl::string_view error, Outcome* outcome) {
  FlagRef& flag = outcome->flags.Add();
  flag.code = FlagCode::kRestrictionErrored;
  std::string* text = flag.source.StartRendered(source);
  absl::StrAppend(text, "Not applied: ", what, " could not be evaluated (");
  if (error.size() <= kMaxCopiedErrorBytes) {
    absl::StrAppend(text, error);
  } else {
    absl::StrAppend(text, AbbreviateText(error, kMaxCopiedErrorBytes));
  }
  absl::StrAppend(text, ").");
}

void RunRules(const PolicyPlan& plan, Frame& frame, Outcome* outcome,
              google::protobuf::RepeatedPtrField<v1::RuleTrace>* trace) {
  // A trace says of every rule whether it held and which conjunct failed,
  // so it evaluates them all; otherwise the index leaves out rules with a
  // false indexed test.
  RuleBits candidates;
  uint64_t unplaced = 0;
  if (trace != nullptr) {
    RuleIndex::AllRules(plan.rules.size(), &candidates);
    // One entry per rule, in policy order, written in place.
    trace->Reserve(static_cast<int>(plan.rules.size()));
    for (size_t r = 0; r < plan.rules.size(); ++r) trace->Add();
    for (const RulePlan& rule : plan.rules) {
      trace->Mutable(rule.index)->set_rule_id(rule.id);
    }
  } else {
    frame.SetSite("rule index", "");
    unplaced = plan.rule_index.Candidates(*plan.program, frame, &candidates);
  }

  int shadow_below = INT_MIN;  // rules with priority < this are shadowed
  RuleIndex::ForEach(candidates, [&](int r) {
    const RulePlan& rule = plan.rules[r];
    frame.SetSite("rule", rule.id);
    v1::RuleTrace* entry =
        trace == nullptr ? nullptr : trace->Mutable(rule.index);
    bool shadowed = rule.priority < shadow_below;
    // A shadowed rule contributes nothing; it is only evaluated for the
    // trace, so that the trace says whether it held.
    if (shadowed && entry == nullptr) return;
    if (entry == nullptr) {
      // Not traced: whether it holds is all that matters.
      if (!plan.rule_index.Holds(r, rule.when, unplaced, *plan.program,
                                 frame)) {
        return;
      }
      Contribute(plan, rule, frame, outcome);
      if (rule.final) shadow_below = outcome->final_floor = rule.priority;
      return;
    }
    ConditionResult result = EvaluateCondition(*plan.program, rule.when, frame);
    if (shadowed && result.holds()) {
      entry->set_shadowed_by_final(true);
      return;
    }
    if (!result.holds()) {
      if (result.failed != nullptr) {
        entry->set_failed_condition(result.failed->source);
        AppendOperandValues(*plan.program, *result.failed, frame,
                            entry->mutable_values());
      } else {
        entry->set_error(AbbreviateText(result.error, kMaxCopiedErrorBytes));
        // As without a trace: a rule shadowed by a `final` rule would not
        // apply anyway, so it is not flagged.
        if (!shadowed && (!rule.veto.empty() || rule.final)) {
          FlagErroredRule(plan, rule, result.error, outcome);
        }
      }
      return;
    }
    std::string error = Contribute(plan, rule, frame, outcome);
    entry->set_fired(true);
    if (!error.empty()) {
      entry->set_error(AbbreviateText(error, kMaxCopiedErrorBytes));
    }
    if (rule.final) shadow_below = outcome->final_floor = rule.priority;
  });
  if (trace != nullptr) return;
  // Fail closed, visibly: a restricting rule that did not hold because its
  // condition erred (not one shadowed by a `final` rule: it would not have
  // applied anyway) is flagged.
  for (int r : plan.restricting_rules) {
    const RulePlan& rule = plan.rules[r];
    if (rule.priority < shadow_below) continue;
    std::string error = RestrictionError(plan, rule, frame);
    if (!error.empty()) FlagErroredRule(plan, rule, error, outcome);
  }
}

void ScoreFactors(const PolicyPlan& plan, Frame& frame,
                  std::vector<double>* factors, std::vector<int>* touched) {
  if (factors->size() < plan.actions.size()) {
    factors->resize(plan.actions.size(), 1.0);
  }
  for (const ModifierPlan& modifier : plan.modifiers) {
    if (!EvaluateCondition(*plan.program, modifier.when, frame).holds()) {
      continue;
    }
    Value v = plan.program->Evaluate(modifier.factor, frame);
    double factor = v.type == ValueType::kInt ? static_cast<double>(v.int_value)
                                              : v.double_value;
    if (v.is_error() || !std::isfinite(factor) || factor < 0) continue;
    for (int action : modifier.actions) {
      touched->push_back(action);  // first, so a reset finds it
      (*factors)[action] *= factor;
    }
  }
}

void ResetScoreFactors(std::vector<double>* factors,
                       std::vector<int>* touched) {
  for (int action : *touched) (*factors)[action] = 1.0;
  touched->clear();
}

}  // namespace tact::internal
