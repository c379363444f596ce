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

namespace {

// Fail closed, visibly: a restricting rule that did not hold because its
// condition erred (not one shadowed by a `final` rule: it would not have
// applied anyway) is flagged.
void FlagErroredRestrictions(const PolicyPlan& plan, int shadow_below,
                             Frame& frame, Outcome* outcome) {
  for (int r : plan.restricting_rules) {
    const RulePlan& rule = plan.rules[r];
    if (rule.priority < shadow_below) continue;
    std::string error = RestrictionError(plan, rule, frame);
    if (!error.empty()) FlagErroredRule(plan, rule, error, outcome);
  }
}

// RunIndexedRules; `kRecord`: TRACE_EVALUATED (a template so that the
// untraced decision does not test for it rule by rule).
template <bool kRecord>
void RunCandidates(const PolicyPlan& plan, Frame& frame, Outcome* outcome,
                   EvaluatedRules* evaluated) {
  RuleBits candidates;
  frame.SetSite("rule index", "");
  const uint64_t unplaced =
      plan.rule_index.Candidates(*plan.program, frame, &candidates);
  int shadow_below = INT_MIN;  // rules with priority < this are shadowed
  RuleIndex::ForEach(candidates, [&](int r) {
    const RulePlan& rule = plan.rules[r];
    frame.SetSite("rule", rule.id);
    const bool shadowed = rule.priority < shadow_below;
    if constexpr (!kRecord) {
      // A shadowed rule contributes nothing; whether it holds does not
      // matter.
      if (shadowed) return;
      if (!plan.rule_index.Holds(r, rule.when, unplaced, *plan.program,
                                 frame)) {
        return;
      }
      Contribute(plan, rule, frame, outcome);
    } else {
      // Shadowed rules too, so that the trace says whether they held. An
      // erring restricting rule is flagged below, as without a trace.
      evaluated->listed[rule.index / 64] |= uint64_t{1} << (rule.index % 64);
      EvaluatedRules::Rule& record = evaluated->by_position[rule.index];
      record.rule = r;
      record.error = -1;
      std::string error;
      record.result = plan.rule_index.FirstFalse(r, rule.when, unplaced,
                                                 *plan.program, frame, &error);
      if (record.result == RuleIndex::kHolds) {
        if (shadowed) {
          record.result = EvaluatedRules::kShadowed;
          return;
        }
        record.result = EvaluatedRules::kFired;
        error = Contribute(plan, rule, frame, outcome);
      }
      if (!error.empty()) {
        record.error = static_cast<int>(evaluated->errors.size());
        evaluated->errors.push_back(std::move(error));
      }
      if (record.result != EvaluatedRules::kFired) return;
    }
    if (rule.final) shadow_below = outcome->final_floor = rule.priority;
  });
  FlagErroredRestrictions(plan, shadow_below, frame, outcome);
}

// Writes the TRACE_EVALUATED entries, in policy order.
void WriteEvaluated(const PolicyPlan& plan, const EvaluatedRules& evaluated,
                    google::protobuf::RepeatedPtrField<v1::RuleTrace>* trace) {
  RuleIndex::ForEach(evaluated.listed, [&](int position) {
    const EvaluatedRules::Rule& record = evaluated.by_position[position];
    const RulePlan& rule = plan.rules[record.rule];
    // Reuses a cleared entry of a previous decision, and its strings.
    v1::RuleTrace* entry = trace->Add();
    *entry->mutable_rule_id() = rule.id;
    if (record.result == EvaluatedRules::kFired) {
      entry->set_fired(true);
    } else if (record.result == EvaluatedRules::kShadowed) {
      entry->set_shadowed_by_final(true);
    } else if (record.result >= 0) {
      *entry->mutable_failed_condition() = rule.when[record.result].source;
    }
    if (record.error >= 0) {
      entry->set_error(
          AbbreviateText(evaluated.errors[record.error], kMaxCopiedErrorBytes));
    }
  });
}

}  // namespace

void RunIndexedRules(const PolicyPlan& plan, Frame& frame, Outcome* outcome,
                     EvaluatedRules* evaluated,
                     google::protobuf::RepeatedPtrField<v1::RuleTrace>* trace) {
  if (evaluated == nullptr) {
    RunCandidates<false>(plan, frame, outcome, nullptr);
    return;
  }
  evaluated->listed.assign((plan.rules.size() + 63) / 64, 0);
  if (evaluated->by_position.size() < plan.rules.size()) {
    evaluated->by_position.resize(plan.rules.size());
  }
  evaluated->errors.clear();
  RunCandidates<true>(plan, frame, outcome, evaluated);
  WriteEvaluated(plan, *evaluated, trace);
}

void RunRules(const PolicyPlan& plan, Frame& frame, Outcome* outcome,
              google::protobuf::RepeatedPtrField<v1::RuleTrace>* trace) {
  if (trace == nullptr) {
    RunIndexedRules(plan, frame, outcome, nullptr, nullptr);
    return;
  }
  // A full trace says of every rule whether it held and which conjunct
  // failed, so it evaluates them all.
  RuleBits candidates;
  RuleIndex::AllRules(plan.rules.size(), &candidates);
  // One entry per rule, in policy order, written in place.
  trace->Reserve(static_cast<int>(plan.rules.size()));
  for (size_t r = 0; r < plan.rules.size(); ++r) trace->Add();
  for (const RulePlan& rule : plan.rules) {
    trace->Mutable(rule.index)->set_rule_id(rule.id);
  }

  int shadow_below = INT_MIN;  // rules with priority < this are shadowed
  RuleIndex::ForEach(candidates, [&](int r) {
    const RulePlan& rule = plan.rules[r];
    frame.SetSite("rule", rule.id);
    v1::RuleTrace* entry = trace->Mutable(rule.index);
    bool shadowed = rule.priority < shadow_below;
    // A shadowed rule contributes nothing; it is evaluated so that the
    // trace says whether it held.
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
