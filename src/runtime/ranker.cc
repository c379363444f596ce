#include "src/runtime/ranker.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "src/runtime/constructs/constructs.h"
#include "src/runtime/ranked.h"
#include "src/runtime/template.h"

namespace tact::internal {
namespace {

// All candidates for one action, before ranking.
struct Merged {
  int priority = 0;
  int stage = kUnstaged;
  double weight = 0;
  Candidate* params_from = nullptr;
  std::vector<Candidate*> sources;
  const Hold* hold = nullptr;
};

void SetTimestamp(int64_t nanos, google::protobuf::Timestamp* out) {
  int64_t seconds = nanos / 1000000000;
  int64_t rest = nanos % 1000000000;
  if (rest < 0) {
    rest += 1000000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest));
}

void WriteAction(const PolicyPlan& plan, RankedAction& r, int rank,
                 v1::RecommendedAction* out) {
  const ActionPlan& action = plan.actions[r.action];
  out->set_rank(rank);
  out->set_action(action.id);
  out->set_title(action.title);
  for (const auto& [name, value] : r.params) {
    v1::Param* param = out->add_params();
    param->set_name(name);
    *param->mutable_value() = ToProtoValue(value);
  }
  out->set_priority(r.priority);
  out->set_score(r.score);
  out->set_text(RenderTemplate(action.text, r.params, plan.currency));
  out->mutable_reasons()->Reserve(static_cast<int>(r.reasons.size()));
  for (v1::Reason& reason : r.reasons) *out->add_reasons() = std::move(reason);
  for (const std::string& tag : action.tags) out->add_tags(tag);
  if (r.required_authority >= 0) {
    out->set_required_authority(plan.authorities[r.required_authority]);
  }
  out->set_beyond_contract(r.beyond_contract);
  static constexpr const char* kStageNames[] = {"apology", "fix", "surprise",
                                                "compensation"};
  if (r.stage >= 0 && r.stage < 4)
    out->set_playbook_stage(kStageNames[r.stage]);
}

}  // namespace

v1::Value ToProtoValue(const Value& value) {
  v1::Value out;
  switch (value.type) {
    case ValueType::kBool:
      out.set_bool_value(value.bool_value);
      break;
    case ValueType::kInt:
      out.set_int_value(value.int_value);
      break;
    case ValueType::kDouble:
      out.set_double_value(value.double_value);
      break;
    case ValueType::kString:
      out.set_string_value(std::string(value.string_value));
      break;
    case ValueType::kTimestamp:
      SetTimestamp(value.int_value, out.mutable_timestamp_value());
      break;
    case ValueType::kDuration:
      out.mutable_duration_value()->set_seconds(value.int_value / 1000000000);
      out.mutable_duration_value()->set_nanos(
          static_cast<int32_t>(value.int_value % 1000000000));
      break;
    case ValueType::kError:
    case ValueType::kEventList:
      break;
  }
  return out;
}

void SortRanked(const std::vector<ActionPlan>& actions,
                std::vector<RankedAction>* ranked) {
  std::sort(ranked->begin(), ranked->end(),
            [&](const RankedAction& a, const RankedAction& b) {
              if (a.stage != b.stage) return a.stage < b.stage;
              if (a.priority != b.priority) return a.priority > b.priority;
              if (a.score != b.score) return a.score > b.score;
              return actions[a.action].id < actions[b.action].id;
            });
}

void Rank(const PolicyPlan& plan, const v1::Context& context,
          const std::vector<double>& factors, int caller_authority,
          Outcome outcome, v1::Decision* decision) {
  std::vector<Merged> by_action(plan.actions.size());
  for (Candidate& c : outcome.candidates) {
    Merged& m = by_action[c.action];
    if (m.sources.empty() || c.priority > m.priority) {
      m.priority = c.priority;
      m.params_from = &c;
    }
    m.stage = std::min(m.stage, c.stage);
    m.weight += c.weight;
    m.sources.push_back(&c);
  }
  for (const Hold& h : outcome.holds) {
    Merged& m = by_action[h.action];
    if (m.hold == nullptr) m.hold = &h;
  }

  std::vector<RankedAction> ranked;
  for (int a = 0; a < static_cast<int>(by_action.size()); ++a) {
    const Merged& m = by_action[a];
    if (m.sources.empty()) continue;
    if (m.hold != nullptr) {
      v1::BlockedAction* blocked = decision->add_blocked();
      blocked->set_action(plan.actions[a].id);
      blocked->set_code(m.hold->code);
      *blocked->mutable_blocked_by() = m.hold->by;
      for (const Candidate* c : m.sources)
        *blocked->add_wanted_by() = c->reason;
      continue;
    }
    RankedAction r;
    r.action = a;
    r.priority = m.priority;
    r.stage = m.stage;
    r.score = m.weight * factors[a];
    r.params = std::move(m.params_from->params);
    r.reasons.reserve(m.sources.size());
    for (Candidate* c : m.sources) {
      r.reasons.push_back(std::move(c->reason));
      for (v1::Effect& e : c->effects) r.effects.push_back(std::move(e));
    }
    ranked.push_back(std::move(r));
  }

  ApplyEntitlements(plan, context, &ranked, decision);
  SortRanked(plan.actions, &ranked);
  NormalizeAmounts(plan, &ranked);
  if (outcome.budget.has_value()) {
    ApplyBudget(plan, *outcome.budget, &ranked, decision);
  }
  ApplyAuthority(plan, caller_authority, &ranked);

  int rank = 0;
  int pending = 0;
  for (RankedAction& r : ranked) {
    if (r.required_authority >= 0) {
      WriteAction(plan, r, ++pending, decision->add_needs_approval());
      continue;
    }
    WriteAction(plan, r, ++rank, decision->add_actions());
    for (v1::Effect& e : r.effects) *decision->add_effects() = std::move(e);
  }
  // Blocked actions list in action id order, independent of catalogue order.
  std::sort(decision->mutable_blocked()->begin(),
            decision->mutable_blocked()->end(),
            [](const v1::BlockedAction& a, const v1::BlockedAction& b) {
              return a.action() < b.action();
            });
  for (v1::Effect& effect : outcome.effects) {
    *decision->add_effects() = std::move(effect);
  }
  for (v1::Flag& flag : outcome.flags) *decision->add_flags() = std::move(flag);
}

}  // namespace tact::internal
