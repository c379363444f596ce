#include "src/runtime/candidates.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/runtime/template.h"

namespace tact::internal {

v1::Reason MakeReason(absl::string_view kind, absl::string_view id,
                      std::string text) {
  v1::Reason reason;
  reason.set_source_kind(std::string(kind));
  reason.set_source_id(std::string(id));
  reason.set_text(std::move(text));
  return reason;
}

std::string Propose(const PolicyPlan& plan, const RecommendationPlan& rec,
                    const Proposer& proposer, Frame& frame, Outcome* outcome) {
  Candidate candidate;
  candidate.action = rec.action;
  candidate.priority = proposer.priority;
  candidate.weight = proposer.weight;
  candidate.stage = proposer.stage;
  for (const ParamPlan& param : rec.params) {
    Value v = plan.program->Evaluate(param.expr, frame);
    if (v.is_error()) {
      return absl::StrCat("parameter ", param.name, " of ",
                          plan.actions[rec.action].id, ": ", v.string_value);
    }
    candidate.params.emplace_back(param.name, v);
  }
  std::string text =
      proposer.reason != nullptr && !proposer.reason->empty()
          ? RenderTemplate(*proposer.reason, candidate.params, plan.currency)
          : std::string(proposer.fallback);
  candidate.reason = MakeReason(proposer.kind, proposer.id, std::move(text));
  outcome->candidates.push_back(std::move(candidate));
  return "";
}

}  // namespace tact::internal
