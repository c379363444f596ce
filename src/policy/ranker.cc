#include "src/policy/ranker.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/policy/constructs/constructs.h"
#include "src/policy/ranked.h"
#include "src/policy/template.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

using google::protobuf::RepeatedPtrField;

// The element `*used` of `field`, reusing one a previous decision left
// (every field of it must then be written or cleared); counts it as used.
template <typename T>
T* Next(RepeatedPtrField<T>* field, int* used) {
  if (*used < field->size()) return field->Mutable((*used)++);
  ++*used;
  return field->Add();
}

// Drops the elements past `used`; protobuf keeps them, cleared, for reuse.
template <typename T>
void Truncate(RepeatedPtrField<T>* field, int used) {
  while (field->size() > used) field->RemoveLast();
}

void Assign(std::string* out, absl::string_view text) {
  out->assign(text.data(), text.size());
}

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

// Writes every reason of `r`: its sources' (unless it stands in for another
// action) and then its notes.
void WriteReasons(const RankedAction& r, const RankScratch& scratch,
                  RepeatedPtrField<v1::Reason>* out) {
  int used = 0;
  if (r.reasons_from_sources) {
    for (int k = 0; k < r.source_count; ++k) {
      r.sources[k]->reason.WriteTo(Next(out, &used));
    }
  }
  for (int k = 0; k < r.note_count; ++k) {
    scratch.notes[r.notes[k]].WriteTo(Next(out, &used));
  }
  Truncate(out, used);
}

void WriteAction(const PolicyPlan& plan, const RankedAction& r, int rank,
                 const RankScratch& scratch, v1::RecommendedAction* out) {
  const ActionPlan& action = plan.actions[r.action];
  static const Params* const kNoParams = new Params();
  const Params& params = r.params != nullptr ? *r.params : *kNoParams;
  out->set_rank(rank);
  Assign(out->mutable_action(), action.id);
  Assign(out->mutable_title(), action.title);
  int used = 0;
  for (const auto& [name, value] : params) {
    v1::Param* param = Next(out->mutable_params(), &used);
    Assign(param->mutable_name(), name);
    WriteProtoValue(value, param->mutable_value());
  }
  Truncate(out->mutable_params(), used);
  out->set_priority(r.priority);
  out->set_score(r.score);
  out->mutable_text()->clear();
  RenderTemplateTo(action.text, params, plan.currency, out->mutable_text());
  WriteReasons(r, scratch, out->mutable_reasons());
  used = 0;
  for (const std::string& tag : action.tags) {
    Assign(Next(out->mutable_tags(), &used), tag);
  }
  Truncate(out->mutable_tags(), used);
  if (r.required_authority >= 0) {
    Assign(out->mutable_required_authority(),
           plan.authorities[r.required_authority]);
  } else {
    out->clear_required_authority();
  }
  out->set_beyond_contract(r.beyond_contract);
  if (r.stage >= 0 &&
      r.stage <= static_cast<int>(PlaybookStage::kCompensation)) {
    Assign(out->mutable_playbook_stage(),
           Name(static_cast<PlaybookStage>(r.stage)));
  } else {
    out->clear_playbook_stage();
  }
}

void WriteBlocked(const PolicyPlan& plan, const BlockedRef& b,
                  const RankScratch& scratch, v1::BlockedAction* out) {
  Assign(out->mutable_action(), plan.actions[b.action].id);
  Assign(out->mutable_code(), b.code);
  const ReasonRef& by =
      b.by_hold != nullptr ? *b.by_hold : scratch.notes[b.by_note];
  by.WriteTo(out->mutable_blocked_by());
  WriteReasons(b.wanted, scratch, out->mutable_wanted_by());
}

// Fills scratch->candidates with the outcome's candidates grouped by
// action (ascending), in contribution order within a group. A counting
// sort when there are many candidates for the catalogue, else a sort.
void GroupByAction(const PolicyPlan& plan, Outcome& outcome,
                   RankScratch* scratch) {
  std::vector<Candidate*>& out = scratch->candidates;
  const size_t n = outcome.candidates.size();
  const size_t actions = plan.actions.size();
  if (n * 4 < actions) {
    for (Candidate& c : outcome.candidates) out.push_back(&c);
    // Pool elements are contiguous: address order is contribution order.
    std::sort(out.begin(), out.end(),
              [](const Candidate* a, const Candidate* b) {
                return a->action != b->action ? a->action < b->action : a < b;
              });
    return;
  }
  std::vector<int>& start = scratch->group_start;
  start.resize(actions + 1, 0);
  for (const Candidate& c : outcome.candidates) ++start[c.action + 1];
  for (size_t a = 1; a <= actions; ++a) start[a] += start[a - 1];
  out.resize(n);
  for (Candidate& c : outcome.candidates) out[start[c.action]++] = &c;
  std::fill(start.begin(), start.end(), 0);
}

}  // namespace

void WriteProtoValue(const Value& value, v1::Value* out) {
  switch (value.type) {
    case ValueType::kBool:
      out->set_bool_value(value.bool_value);
      break;
    case ValueType::kInt:
      out->set_int_value(value.int_value);
      break;
    case ValueType::kDouble:
      out->set_double_value(value.double_value);
      break;
    case ValueType::kString:
      Assign(out->mutable_string_value(), value.string_value);
      break;
    case ValueType::kTimestamp:
      SetTimestamp(value.int_value, out->mutable_timestamp_value());
      break;
    case ValueType::kDuration:
      out->mutable_duration_value()->set_seconds(value.int_value / 1000000000);
      out->mutable_duration_value()->set_nanos(
          static_cast<int32_t>(value.int_value % 1000000000));
      break;
    case ValueType::kError:
    case ValueType::kEventList:
      out->clear_kind();
      break;
  }
}

Value* FindParam(Params* params, absl::string_view name) {
  if (params == nullptr) return nullptr;
  for (auto& [param, value] : *params) {
    if (param == name) return &value;
  }
  return nullptr;
}

const Hold* RankScratch::HoldOn(int action) const {
  auto it =
      std::lower_bound(holds.begin(), holds.end(), action,
                       [](const Hold* h, int a) { return h->action < a; });
  return it != holds.end() && (*it)->action == action ? *it : nullptr;
}

bool RankScratch::IsBlocked(int action) const {
  for (const BlockedRef& b : blocked) {
    if (b.action == action) return true;
  }
  return false;
}

void SortRanked(const std::vector<ActionPlan>& actions,
                std::vector<RankedAction>* ranked) {
  std::sort(ranked->begin(), ranked->end(),
            [&](const RankedAction& a, const RankedAction& b) {
              if (a.stage != b.stage) return a.stage < b.stage;
              if (a.priority != b.priority) return a.priority > b.priority;
              if (a.score != b.score) return a.score > b.score;
              return actions[a.action].id_order < actions[b.action].id_order;
            });
}

void Rank(const PolicyPlan& plan, const v1::Context& context,
          const std::vector<double>& factors, int caller_authority,
          Outcome& outcome, RankScratch* scratch, v1::Decision* decision) {
  scratch->Clear();
  // Group candidates and holds by action, keeping contribution order within
  // an action: the cost follows the candidates, not the catalogue.
  GroupByAction(plan, outcome, scratch);
  std::vector<Candidate*>& candidates = scratch->candidates;
  std::vector<const Hold*>& holds = scratch->holds;
  for (const Hold& h : outcome.holds) holds.push_back(&h);
  std::sort(holds.begin(), holds.end(), [](const Hold* a, const Hold* b) {
    return a->action != b->action ? a->action < b->action : a < b;
  });

  for (size_t begin = 0; begin < candidates.size();) {
    const int a = candidates[begin]->action;
    size_t end = begin;
    RankedAction r;
    r.action = a;
    double weight = 0;
    for (; end < candidates.size() && candidates[end]->action == a; ++end) {
      Candidate* c = candidates[end];
      if (end == begin || c->priority > r.priority) {
        r.priority = c->priority;
        r.params = &c->params;
      }
      r.stage = std::min(r.stage, c->stage);
      weight += c->weight;
    }
    r.sources = candidates.data() + begin;
    r.source_count = static_cast<int>(end - begin);
    begin = end;
    if (const Hold* hold = scratch->HoldOn(a); hold != nullptr) {
      BlockedRef& blocked = scratch->blocked.emplace_back();
      blocked.action = a;
      blocked.code = hold->code;
      blocked.by_hold = &hold->by;
      blocked.wanted = r;
      continue;
    }
    r.score = weight * factors[a];
    scratch->ranked.push_back(r);
  }

  ApplyEntitlements(plan, context, scratch);
  SortRanked(plan.actions, &scratch->ranked);
  NormalizeAmounts(plan, &scratch->ranked);
  if (outcome.budget.has_value()) {
    ApplyBudget(plan, context, *outcome.budget, scratch);
  }
  ApplyAuthority(plan, caller_authority, scratch);

  int rank = 0;     // actions written, also the last rank given
  int pending = 0;  // needs_approval written
  int effects = 0;
  for (const RankedAction& r : scratch->ranked) {
    if (r.required_authority >= 0) {
      v1::RecommendedAction* out =
          Next(decision->mutable_needs_approval(), &pending);
      WriteAction(plan, r, pending, *scratch, out);
      continue;
    }
    v1::RecommendedAction* out = Next(decision->mutable_actions(), &rank);
    WriteAction(plan, r, rank, *scratch, out);
    for (int k = 0; k < r.source_count; ++k) {
      for (const EffectRef& e : r.sources[k]->effects) {
        e.WriteTo(Next(decision->mutable_effects(), &effects));
      }
    }
    if (r.goodwill >= 0) {
      EffectRef goodwill{Name(EffectKind::kGoodwill), outcome.budget->id,
                         r.goodwill, 0};
      goodwill.WriteTo(Next(decision->mutable_effects(), &effects));
    }
  }
  Truncate(decision->mutable_actions(), rank);
  Truncate(decision->mutable_needs_approval(), pending);

  // Blocked actions list in action id order, independent of catalogue order.
  std::vector<BlockedRef>& blocked = scratch->blocked;
  std::sort(blocked.begin(), blocked.end(),
            [&](const BlockedRef& a, const BlockedRef& b) {
              return plan.actions[a.action].id < plan.actions[b.action].id;
            });
  int written = 0;
  for (const BlockedRef& b : blocked) {
    WriteBlocked(plan, b, *scratch,
                 Next(decision->mutable_blocked(), &written));
  }
  Truncate(decision->mutable_blocked(), written);

  for (const EffectRef& e : outcome.effects) {
    e.WriteTo(Next(decision->mutable_effects(), &effects));
  }
  Truncate(decision->mutable_effects(), effects);
  int flags = 0;
  for (const FlagRef& f : outcome.flags) {
    v1::Flag* out = Next(decision->mutable_flags(), &flags);
    Assign(out->mutable_code(), f.code);
    f.source.WriteTo(out->mutable_source());
  }
  Truncate(decision->mutable_flags(), flags);
}

}  // namespace tact::internal
