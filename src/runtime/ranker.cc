#include "src/runtime/ranker.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "src/runtime/template.h"

namespace tact::internal {
namespace {

// All candidates for one action, merged.
struct Merged {
  int action = -1;
  int priority = 0;
  int stage = kUnstaged;
  double weight = 0;
  const Candidate* params_from = nullptr;
  std::vector<const Candidate*> sources;
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

}  // namespace

v1::Value ToProtoValue(const Value& value) {
  v1::Value out;
  switch (value.type) {
    case ValueType::kBool: out.set_bool_value(value.bool_value); break;
    case ValueType::kInt: out.set_int_value(value.int_value); break;
    case ValueType::kDouble: out.set_double_value(value.double_value); break;
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

void Rank(const PolicyPlan& plan, const std::vector<double>& factors,
          Outcome outcome, v1::Decision* decision) {
  std::vector<Merged> by_action(plan.actions.size());
  for (const Candidate& c : outcome.candidates) {
    Merged& m = by_action[c.action];
    if (m.sources.empty()) {
      m.action = c.action;
      m.priority = c.priority;
      m.params_from = &c;
    } else if (c.priority > m.priority) {
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

  std::vector<const Merged*> ranked;
  for (const Merged& m : by_action) {
    if (m.sources.empty()) continue;
    if (m.hold != nullptr) {
      v1::BlockedAction* blocked = decision->add_blocked();
      blocked->set_action(plan.actions[m.action].id);
      blocked->set_code(m.hold->code);
      *blocked->mutable_blocked_by() = m.hold->by;
      for (const Candidate* c : m.sources) *blocked->add_wanted_by() = c->reason;
      continue;
    }
    ranked.push_back(&m);
  }
  auto score = [&](const Merged* m) { return m->weight * factors[m->action]; };
  std::sort(ranked.begin(), ranked.end(), [&](const Merged* a, const Merged* b) {
    double sa = score(a), sb = score(b);
    if (a->stage != b->stage) return a->stage < b->stage;
    if (a->priority != b->priority) return a->priority > b->priority;
    if (sa != sb) return sa > sb;
    return plan.actions[a->action].id < plan.actions[b->action].id;
  });

  int rank = 0;
  for (const Merged* m : ranked) {
    const ActionPlan& action = plan.actions[m->action];
    v1::RecommendedAction* out = decision->add_actions();
    out->set_rank(++rank);
    out->set_action(action.id);
    out->set_title(action.title);
    for (const auto& [name, value] : m->params_from->params) {
      v1::Param* param = out->add_params();
      param->set_name(name);
      *param->mutable_value() = ToProtoValue(value);
    }
    out->set_priority(m->priority);
    out->set_score(score(m));
    out->set_text(RenderTemplate(action.text, m->params_from->params,
                                 plan.currency));
    for (const Candidate* c : m->sources) *out->add_reasons() = c->reason;
    for (const std::string& tag : action.tags) out->add_tags(tag);
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
}

}  // namespace tact::internal
