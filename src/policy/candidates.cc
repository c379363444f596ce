#include "src/policy/candidates.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/policy/condition.h"
#include "src/policy/decision_writer.h"
#include "src/policy/template.h"

namespace tact::internal {

namespace {
// Where reasons and effects write their strings (decision_writer.h).
thread_local StringSite reason_kind_site, reason_id_site, effect_kind_site,
    effect_ref_site;
// Reason texts are sentences: room for a short one from the start.
thread_local StringSite reason_text_site(128);
}  // namespace

void ReasonRef::WriteTo(v1::Reason* out) const {
  reason_kind_site.Set(out->source_kind(), Name(source.kind),
                       [out] { return out->mutable_source_kind(); });
  reason_id_site.Set(out->source_id(), source.id,
                     [out] { return out->mutable_source_id(); });
  reason_text_site.Set(out->text(), text(),
                       [out] { return out->mutable_text(); });
}

void EffectRef::WriteTo(v1::Effect* out) const {
  effect_kind_site.Set(out->kind(), Name(kind),
                       [out] { return out->mutable_kind(); });
  effect_ref_site.Set(out->ref(), ref, [out] { return out->mutable_ref(); });
  out->set_amount(amount);
  out->set_step(step);
}

bool Propose(const PolicyPlan& plan, const RecommendationPlan& rec,
             const Proposer& proposer, Frame& frame, Outcome* outcome,
             std::string* error) {
  // A final rule stops lower candidates, whoever proposes them, and a
  // recommendation's own `when` must hold.
  if (outcome->Stopped(proposer.priority)) return false;
  if (!rec.when.empty()) {
    ConditionResult when = EvaluateCondition(*plan.program, rec.when, frame);
    if (!when.holds()) {
      // Not proposed either way; an error is said like a parameter's.
      if (when.status == ConditionResult::Status::kError && error != nullptr &&
          error->empty()) {
        *error = absl::StrCat("when of ", plan.actions[rec.action].id, ": ",
                              when.error);
      }
      return false;
    }
  }
  Candidate& candidate = outcome->candidates.Add();
  candidate.action = rec.action;
  candidate.from = &rec;
  candidate.priority = proposer.priority;
  candidate.weight = proposer.weight;
  candidate.stage = proposer.stage;
  candidate.params.clear();
  candidate.effects.clear();
  for (const ParamPlan& param : rec.params) {
    Value v = plan.program->Evaluate(param.expr, frame);
    if (v.is_error()) {
      outcome->candidates.PopBack();
      if (error != nullptr && error->empty()) {
        *error =
            absl::StrCat("parameter ", param.name, " of ",
                         plan.actions[rec.action].id, ": ", v.string_value);
      }
      return false;
    }
    candidate.params.emplace_back(param.name, v);
  }
  // The texts a candidate renders from its parameters (the action's text,
  // the reason) count against the decision's string budget.
  int64_t text_bytes =
      RenderedSizeBound(plan.actions[rec.action].text, candidate.params);
  if (proposer.reason != nullptr) {
    text_bytes += RenderedSizeBound(*proposer.reason, candidate.params);
  }
  if (!frame.ChargeBytes(text_bytes, "rendering an action's text and reason")) {
    outcome->candidates.PopBack();
    return false;
  }
  if (proposer.reason != nullptr && !proposer.reason->empty()) {
    RenderTemplateTo(*proposer.reason, candidate.params, plan.currency,
                     candidate.reason.StartRendered(proposer.source));
  } else if (proposer.fallback_is_stable) {
    candidate.reason.SetLiteral(proposer.source, proposer.fallback);
  } else {
    candidate.reason.StartRendered(proposer.source)
        ->append(proposer.fallback.data(), proposer.fallback.size());
  }
  return true;
}

}  // namespace tact::internal
