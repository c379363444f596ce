#include "src/runtime/rules.h"

#include <climits>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/runtime/condition.h"
#include "src/runtime/template.h"

namespace tact::internal {
namespace {

v1::Reason RuleReason(const PolicyPlan& plan, const RulePlan& rule,
                      const std::vector<std::pair<std::string, Value>>& params) {
  v1::Reason reason;
  reason.set_source_kind("rule");
  reason.set_source_id(rule.id);
  if (rule.reason.empty()) {
    reason.set_text(absl::StrCat("Rule \"", rule.id, "\" matched."));
  } else {
    reason.set_text(RenderTemplate(rule.reason, params, plan.currency));
  }
  return reason;
}

// Adds the rule's contributions. Returns the first parameter error, if any;
// a recommendation whose parameter fails is dropped, the others stand.
std::string Contribute(const PolicyPlan& plan, const RulePlan& rule,
                       Frame& frame, Outcome* outcome) {
  std::string first_error;
  for (const RecommendationPlan& rec : rule.recommend) {
    Candidate candidate;
    candidate.action = rec.action;
    candidate.priority = rule.priority;
    candidate.weight = rule.weight;
    bool ok = true;
    for (const ParamPlan& param : rec.params) {
      Value v = plan.program->Evaluate(param.expr, frame);
      if (v.is_error()) {
        if (first_error.empty()) {
          first_error = absl::StrCat("parameter ", param.name, " of ",
                                     plan.actions[rec.action].id, ": ",
                                     v.string_value);
        }
        ok = false;
        break;
      }
      candidate.params.emplace_back(param.name, v);
    }
    if (!ok) continue;
    candidate.reason = RuleReason(plan, rule, candidate.params);
    outcome->candidates.push_back(std::move(candidate));
  }
  for (int action : rule.veto) {
    Hold hold;
    hold.action = action;
    hold.code = "vetoed";
    hold.by = RuleReason(plan, rule, {});
    outcome->holds.push_back(std::move(hold));
  }
  return first_error;
}

}  // namespace

void RunRules(const PolicyPlan& plan, Frame& frame, Outcome* outcome,
              google::protobuf::RepeatedPtrField<v1::RuleTrace>* trace) {
  std::vector<v1::RuleTrace> entries(trace == nullptr ? 0 : plan.rules.size());
  int shadow_below = INT_MIN;  // rules with priority < this are shadowed
  for (const RulePlan& rule : plan.rules) {
    v1::RuleTrace* entry = trace == nullptr ? nullptr : &entries[rule.index];
    if (entry != nullptr) entry->set_rule_id(rule.id);
    if (rule.priority < shadow_below) {
      if (entry != nullptr) entry->set_shadowed_by_final(true);
      continue;
    }
    ConditionResult result =
        EvaluateCondition(*plan.program, rule.when, frame);
    if (!result.holds()) {
      if (entry == nullptr) continue;
      if (result.failed != nullptr) {
        entry->set_failed_condition(result.failed->source);
      } else {
        entry->set_error(result.error);
      }
      continue;
    }
    std::string error = Contribute(plan, rule, frame, outcome);
    if (entry != nullptr) {
      entry->set_fired(true);
      if (!error.empty()) entry->set_error(error);
    }
    if (rule.final) shadow_below = rule.priority;
  }
  if (trace != nullptr) {
    trace->Reserve(static_cast<int>(entries.size()));
    for (v1::RuleTrace& entry : entries) *trace->Add() = std::move(entry);
  }
}

std::vector<double> ScoreFactors(const PolicyPlan& plan, Frame& frame) {
  std::vector<double> factors(plan.actions.size(), 1.0);
  for (const ModifierPlan& modifier : plan.modifiers) {
    if (!EvaluateCondition(*plan.program, modifier.when, frame).holds()) {
      continue;
    }
    Value v = plan.program->Evaluate(modifier.factor, frame);
    double factor = v.type == ValueType::kInt
                        ? static_cast<double>(v.int_value)
                        : v.double_value;
    if (v.is_error() || !std::isfinite(factor) || factor < 0) continue;
    for (int action : modifier.actions) factors[action] *= factor;
  }
  return factors;
}

}  // namespace tact::internal
