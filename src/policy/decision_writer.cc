#include "src/policy/decision_writer.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "src/policy/constructs/service_level.h"
#include "src/policy/template.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

using google::protobuf::RepeatedPtrField;

template <typename T>
T* Next(RepeatedPtrField<T>* field, int* used) {
  return NextElement(field, used);
}

template <typename T>
void Truncate(RepeatedPtrField<T>* field, int used) {
  TruncateElements(field, used);
}

void Assign(std::string* out, absl::string_view text) {
  out->assign(text.data(), text.size());
}

// Where the writers below write strings that vary between decisions
// (decision_writer.h, StringSite).
thread_local StringSite action_site, title_site, param_name_site,
    param_string_site, text_site, tag_site, authority_site, stage_site,
    code_site;

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
  action_site.Set(out->action(), action.id,
                  [out] { return out->mutable_action(); });
  title_site.Set(out->title(), action.title,
                 [out] { return out->mutable_title(); });
  int used = 0;
  for (const auto& [name, value] : params) {
    v1::Param* param = Next(out->mutable_params(), &used);
    param_name_site.Set(param->name(), name,
                        [param] { return param->mutable_name(); });
    WriteProtoValue(value, param->mutable_value());
  }
  Truncate(out->mutable_params(), used);
  out->set_priority(r.priority);
  out->set_score(r.score);
  if (action.text.size() == 1 && !action.text[0].is_param) {
    // A text without parameters is the same every time: compared.
    text_site.Set(out->text(), action.text[0].text,
                  [out] { return out->mutable_text(); });
  } else if (action.text.empty()) {
    if (!out->text().empty()) out->mutable_text()->clear();
  } else {
    std::string* text = out->mutable_text();
    text->clear();
    text_site.Prepare(text);
    RenderTemplateTo(action.text, params, plan.currency, text);
    text_site.Fit(text, text->size());
  }
  WriteReasons(r, scratch, out->mutable_reasons());
  used = 0;
  for (const std::string& tag : action.tags) {
    std::string* written = Next(out->mutable_tags(), &used);
    tag_site.Set(*written, tag, [written] { return written; });
  }
  Truncate(out->mutable_tags(), used);
  if (r.required_authority >= 0) {
    authority_site.Set(out->required_authority(),
                       plan.authorities[r.required_authority],
                       [out] { return out->mutable_required_authority(); });
  } else {
    // Emptied, not cleared: the string stays for the next one.
    out->mutable_required_authority()->clear();
  }
  out->set_beyond_contract(r.beyond_contract);
  if (r.stage >= 0 &&
      r.stage <= static_cast<int>(PlaybookStage::kCompensation)) {
    stage_site.Set(out->playbook_stage(),
                   Name(static_cast<PlaybookStage>(r.stage)),
                   [out] { return out->mutable_playbook_stage(); });
  } else {
    out->mutable_playbook_stage()->clear();
  }
  out->set_cost(action.cost);
  out->set_agent_minutes(action.agent_minutes);
}

void WriteBlocked(const PolicyPlan& plan, const BlockedRef& b,
                  const RankScratch& scratch, v1::BlockedAction* out) {
  action_site.Set(out->action(), plan.actions[b.action].id,
                  [out] { return out->mutable_action(); });
  code_site.Set(out->code(), Name(b.code),
                [out] { return out->mutable_code(); });
  const ReasonRef& by =
      b.by_hold != nullptr ? *b.by_hold : scratch.notes[b.by_note];
  by.WriteTo(out->mutable_blocked_by());
  WriteReasons(b.wanted, scratch, out->mutable_wanted_by());
}

// Whether the first `n` of `effects` hold `e` (a threshold's effect rides
// on every action it recommends; the decision records it once).
bool AlreadyWritten(
    const google::protobuf::RepeatedPtrField<v1::Effect>& effects, int n,
    const EffectRef& e) {
  const absl::string_view kind = Name(e.kind);
  for (int i = 0; i < n; ++i) {
    const v1::Effect& w = effects.Get(i);
    if (w.kind() == kind && w.ref() == e.ref && w.amount() == e.amount &&
        w.step() == e.step) {
      return true;
    }
  }
  return false;
}

}  // namespace

void WriteDecisionHeader(absl::string_view policy_name,
                         absl::string_view policy_version,
                         absl::string_view policy_hash,
                         const google::protobuf::Timestamp& now,
                         v1::Decision* out) {
  // The same policy decides again and again: compared, not rewritten.
  if (out->policy_name() != policy_name) {
    Assign(out->mutable_policy_name(), policy_name);
  }
  if (out->policy_version() != policy_version) {
    Assign(out->mutable_policy_version(), policy_version);
  }
  if (out->policy_hash() != policy_hash) {
    Assign(out->mutable_policy_hash(), policy_hash);
  }
  *out->mutable_now() = now;
  // RunRules appends one entry per rule, each construct its own entry;
  // cleared entries keep their strings.
  out->mutable_trace()->Clear();
  out->mutable_construct_trace()->Clear();
}

void WriteRanking(const PolicyPlan& plan, const Outcome& outcome,
                  RankScratch& scratch, v1::Decision* decision) {
  int rank = 0;     // actions written, also the last rank given
  int pending = 0;  // needs_approval written
  int effects = 0;
  for (const RankedAction& r : scratch.ranked) {
    if (r.required_authority >= 0) {
      v1::RecommendedAction* out =
          Next(decision->mutable_needs_approval(), &pending);
      WriteAction(plan, r, pending, scratch, out);
      continue;
    }
    v1::RecommendedAction* out = Next(decision->mutable_actions(), &rank);
    WriteAction(plan, r, rank, scratch, out);
    for (int k = 0; k < r.source_count; ++k) {
      for (const EffectRef& e : r.sources[k]->effects) {
        if (e.kind == EffectKind::kSlaThreshold &&
            AlreadyWritten(decision->effects(), effects, e)) {
          continue;
        }
        e.WriteTo(Next(decision->mutable_effects(), &effects));
      }
    }
    if (r.effect >= 0) {
      scratch.effects[r.effect].WriteTo(
          Next(decision->mutable_effects(), &effects));
    }
  }
  Truncate(decision->mutable_actions(), rank);
  Truncate(decision->mutable_needs_approval(), pending);

  // Blocked actions list in action id order, independent of catalogue order.
  std::vector<BlockedRef>& blocked = scratch.blocked;
  std::sort(blocked.begin(), blocked.end(),
            [&](const BlockedRef& a, const BlockedRef& b) {
              return plan.actions[a.action].id < plan.actions[b.action].id;
            });
  int written = 0;
  for (const BlockedRef& b : blocked) {
    WriteBlocked(plan, b, scratch, Next(decision->mutable_blocked(), &written));
  }
  Truncate(decision->mutable_blocked(), written);

  for (const EffectRef& e : outcome.effects) {
    e.WriteTo(Next(decision->mutable_effects(), &effects));
  }
  Truncate(decision->mutable_effects(), effects);
  int flags = 0;
  for (const FlagRef& f : outcome.flags) {
    v1::Flag* out = Next(decision->mutable_flags(), &flags);
    code_site.Set(out->code(), Name(f.code),
                  [out] { return out->mutable_code(); });
    f.source.WriteTo(out->mutable_source());
  }
  Truncate(decision->mutable_flags(), flags);
  int levels = 0;
  for (size_t t = 0; t < outcome.service_levels.size(); ++t) {
    WriteServiceLevelStatus(plan.service_levels.targets[t],
                            outcome.service_levels[t],
                            Next(decision->mutable_service_levels(), &levels));
  }
  Truncate(decision->mutable_service_levels(), levels);
}

void WriteProtoValue(const Value& value, v1::Value* out) {
  // What the oneof holds is kept for reuse when the value's kind changes:
  // a parameter slot switching between a string and an int would otherwise
  // free and allocate its string again and again.
  const bool heap = OnHeap(*out);
  const v1::Value::KindCase held = out->kind_case();
  v1::Value::KindCase wanted = v1::Value::KIND_NOT_SET;
  switch (value.type) {
    case ValueType::kString:
      wanted = v1::Value::kStringValue;
      break;
    case ValueType::kTimestamp:
      wanted = v1::Value::kTimestampValue;
      break;
    case ValueType::kDuration:
      wanted = v1::Value::kDurationValue;
      break;
    default:
      break;
  }
  if (heap && held != wanted) {
    switch (held) {
      case v1::Value::kStringValue:
        Spares<std::string>::Put(out->release_string_value());
        break;
      case v1::Value::kTimestampValue:
        Spares<google::protobuf::Timestamp>::Put(
            out->release_timestamp_value());
        break;
      case v1::Value::kDurationValue:
        Spares<google::protobuf::Duration>::Put(out->release_duration_value());
        break;
      default:
        break;
    }
    switch (wanted) {
      case v1::Value::kStringValue:
        if (std::string* spare = Spares<std::string>::Take()) {
          out->set_allocated_string_value(spare);
        }
        break;
      case v1::Value::kTimestampValue:
        if (auto* spare = Spares<google::protobuf::Timestamp>::Take()) {
          out->set_allocated_timestamp_value(spare);
        }
        break;
      case v1::Value::kDurationValue:
        if (auto* spare = Spares<google::protobuf::Duration>::Take()) {
          out->set_allocated_duration_value(spare);
        }
        break;
      default:
        break;
    }
  }
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
      param_string_site.Assign(out->mutable_string_value(), value.string_value);
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

}  // namespace tact::internal
