// Strike limits: "three strikes and you're out" for those who waste your
// time (seed 004), with a warning that sets expectations first (seed 001).
#include "src/policy/constructs/strike_limit.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "src/policy/candidates.h"
#include "src/policy/condition.h"
#include "src/policy/constructs/common.h"
#include "src/policy/constructs/construct_trace.h"
#include "src/policy/plan.h"
#include "src/policy/policy_compiler.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

// `text` as a double-quoted expression string literal.
std::string QuoteForExpression(absl::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    switch (ch) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.push_back(ch);
    }
  }
  out.push_back('"');
  return out;
}

// Whether this case's strike of `id` is in the decision's view of the
// history (kind "strike", ref = id, case_id = this case's id).
bool StrikeRecorded(const DecideState& state, absl::string_view id) {
  const std::string& case_id = state.context.case_().id();
  if (case_id.empty()) return false;
  for (const v1::Event& e : state.frame.history()) {
    if (e.kind() == Name(EffectKind::kStrike) && e.ref() == id &&
        e.case_id() == case_id) {
      return true;
    }
  }
  return false;
}

// The limit reached: `strike`'s at_limit recommendations (with the policy's
// `reason`, or `fallback` when it has none) and every `suppress` action held
// with code strike_limit, its reason written by `write_held`.
template <typename WriteHeld>
void ApplyLimit(const DecideState& state, const StrikePlan& strike,
                const SourceRef& source, const Template* reason,
                absl::string_view fallback, WriteHeld write_held,
                Outcome* outcome) {
  Proposer proposer{source, reason, fallback, strike.priority, 1.0, kUnstaged};
  for (const RecommendationPlan& rec : strike.at_limit) {
    Propose(state.plan, rec, proposer, state.frame, outcome);
  }
  for (int action : strike.suppress) {
    Hold& hold = outcome->holds.Add();
    hold.action = action;
    hold.code = BlockedCode::kStrikeLimit;
    write_held(hold.by.StartRendered(source));
  }
}

// What ProposeStrikeLimits decided about one strike limit, for its trace.
struct StrikeFacts {
  int64_t count = 0;  // including the case when it counts
  bool case_counted = false;
  bool struck_now = false;       // the strike effect is emitted
  bool recorded = false;         // this case's strike was recorded before
  bool current_errored = false;  // current_is_strike could not be evaluated
};

// Fills the strike limit's trace entry from `facts`: the window, the
// events the count counted (`counted`: history indices, which it sorts by
// time; the latest kMaxTracedStrikeEvents are listed, oldest first) and
// whether the case counts, with a summary.
void TraceStrikes(const DecideState& state, const StrikePlan& strike,
                  const StrikeFacts& facts, std::vector<int32_t>* counted,
                  v1::ConstructTrace* entry) {
  v1::StrikeTrace* trace = entry->mutable_strike_limit();
  trace->set_count(facts.count);
  trace->set_limit(strike.limit);
  SetTraceDuration(strike.window.length, trace->mutable_window());
  SetTraceTime(state.now - strike.window.length, trace->mutable_window_start());
  trace->set_struck_now(facts.struck_now);
  trace->set_case_counted(facts.case_counted);
  trace->set_at_limit(facts.count >= strike.limit);
  const auto& history = state.context.history();
  // Oldest first; equal times keep history order.
  std::stable_sort(counted->begin(), counted->end(), [&](int32_t a, int32_t b) {
    const google::protobuf::Timestamp& x = history.Get(a).at();
    const google::protobuf::Timestamp& y = history.Get(b).at();
    return x.seconds() != y.seconds() ? x.seconds() < y.seconds()
                                      : x.nanos() < y.nanos();
  });
  const size_t total = counted->size();
  const size_t first =
      total > kMaxTracedStrikeEvents ? total - kMaxTracedStrikeEvents : 0;
  for (size_t k = first; k < total; ++k) {
    *trace->add_counted() = history.Get((*counted)[k]);
  }

  std::string* summary = entry->mutable_summary();
  const int64_t before = facts.count - (facts.case_counted ? 1 : 0);
  absl::StrAppend(summary, before, " of ", strike.limit,
                  " strikes in the last ", strike.window_text);
  if (total > 0) {
    // The latest three, oldest first.
    const size_t shown_from = total > 3 ? total - 3 : 0;
    summary->append(total > 3 ? " (the latest: " : " (");
    for (size_t k = shown_from; k < total; ++k) {
      const v1::Event& e = history.Get((*counted)[k]);
      if (k > shown_from) summary->append(", ");
      absl::StrAppend(summary, e.kind(), " at ");
      AppendUtc(ToTime(e.at()), summary);
    }
    summary->append(")");
  }
  if (facts.struck_now) {
    absl::StrAppend(summary, "; this case records strike ", facts.count);
  } else if (facts.recorded) {
    absl::StrAppend(summary, "; this case's strike is already recorded, so it ",
                    "counts: ", facts.count);
  } else if (facts.current_errored) {
    absl::StrAppend(summary,
                    "; whether this case is a strike could not be evaluated, "
                    "so it counts: ",
                    facts.count);
  } else {
    summary->append("; this case is not a strike");
  }
  if (facts.count >= strike.limit) {
    summary->append(": at the limit");
    if (!strike.suppress.empty()) {
      summary->append(", so ");
      for (size_t k = 0; k < strike.suppress.size(); ++k) {
        if (k > 0) summary->append(", ");
        summary->append(state.plan.actions[strike.suppress[k]].id);
      }
      summary->append(strike.suppress.size() == 1 ? " is" : " are");
      summary->append(" held back");
    }
    summary->append(".");
  } else if (facts.count == strike.limit - 1) {
    summary->append(": one short of the limit, the warning applies.");
  } else {
    summary->append(": below the limit.");
  }
}

}  // namespace

void CompileStrikeLimits(PolicyCompiler& c) {
  absl::flat_hash_set<std::string> ids;
  const v1::Policy& policy = c.policy();
  for (int i = 0; i < policy.strike_limits_size(); ++i) {
    const v1::StrikeLimit& s = policy.strike_limits(i);
    std::string path = absl::StrCat("strike_limits[", i, "]");
    std::string element = absl::StrCat("strike limit \"", s.id(), "\"");
    if (s.id().empty() || !ids.insert(s.id()).second) {
      c.Error(path + ".id", element, "a strike limit needs a unique id");
    }
    StrikePlan strike;
    strike.id = s.id();
    strike.limit = s.limit();
    strike.priority = s.priority();
    if (s.limit() < 1) {
      c.Error(path + ".limit", element, "limit must be at least 1");
    }
    if (s.window().empty()) {
      c.Error(path + ".window", element,
              "a strike limit needs a window, e.g. \"90d\"");
    } else {
      strike.window = c.Duration(s.window(), path + ".window", element);
      strike.window_text = strike.window.Readable();
      if (strike.window.business) {
        c.Error(path + ".window", element,
                "a strike window is calendar time, e.g. \"90d\", not business "
                "time");
      }
    }
    if (s.counts().empty()) {
      c.Error(
          path + ".counts", element,
          "say which history events are strikes, e.g. \"e.kind == 'no_show'\"");
    } else {
      // One compiled count over the history (the events at or before now).
      // The window is inclusive: now - window <= e.at. This case's own
      // strike records are left out: the case counts once, below.
      const std::string prefix = "history.count(e, (";
      std::string source =
          absl::StrCat(prefix, s.counts(), ") && e.at >= now - duration(\"",
                       absl::ToInt64Seconds(strike.window.length),
                       "s\") && !(e.kind == \"", Name(EffectKind::kStrike),
                       "\" && e.ref == ", QuoteForExpression(s.id()),
                       " && e.case_id == case.id && case.id != \"\"))");
      ValueType int_type = ValueType::kInt;
      strike.count = c.Expression(source, &int_type, path + ".counts", element,
                                  static_cast<int>(prefix.size()));
    }
    if (!s.current_is_strike().empty()) {
      c.Condition(s.current_is_strike(), path + ".current_is_strike", element,
                  &strike.current_is_strike);
    }
    for (int k = 0; k < s.warning_size(); ++k) {
      strike.warning.push_back(c.Recommendation(
          s.warning(k), absl::StrCat(path, ".warning[", k, "]"), element));
    }
    for (int k = 0; k < s.at_limit_size(); ++k) {
      strike.at_limit.push_back(c.Recommendation(
          s.at_limit(k), absl::StrCat(path, ".at_limit[", k, "]"), element));
    }
    for (int k = 0; k < s.suppress_size(); ++k) {
      int a = c.ActionIndex(s.suppress(k),
                            absl::StrCat(path, ".suppress[", k, "]"), element);
      if (a >= 0) strike.suppress.push_back(a);
    }
    strike.warning_reason = c.Reason(
        s.warning_reason(), path + ".warning_reason", element, strike.warning);
    strike.limit_reason = c.Reason(s.limit_reason(), path + ".limit_reason",
                                   element, strike.at_limit);
    c.plan().strikes.push_back(std::move(strike));
  }
}

void FinishStrikeLimits(PolicyPlan* plan) {
  for (StrikePlan& s : plan->strikes) {
    OrderConjuncts(*plan->program, &s.current_is_strike);
    for (RecommendationPlan& rec : s.warning) {
      OrderConjuncts(*plan->program, &rec.when);
    }
    for (RecommendationPlan& rec : s.at_limit) {
      OrderConjuncts(*plan->program, &rec.when);
    }
  }
}

bool HasStrikeLimits(const PolicyPlan& plan) { return !plan.strikes.empty(); }

void ProposeStrikeLimits(const DecideState& state, Outcome* outcome) {
  std::string& fallback = state.buffers.fallback;
  const PolicyPlan& plan = state.plan;
  for (int s = 0; s < static_cast<int>(plan.strikes.size()); ++s) {
    const StrikePlan& strike = plan.strikes[s];
    const SourceRef source{SourceKind::kStrikeLimit, s, strike.id};
    // With TRACE_FULL: this limit's entry, and the events the count counts.
    v1::ConstructTrace* entry = nullptr;
    std::vector<int32_t>& counted_events = state.buffers.counted;
    Value counted;
    if (state.construct_trace != nullptr) {
      entry = AddConstructTrace(state.construct_trace, SourceKind::kStrikeLimit,
                                strike.id);
      counted_events.clear();
      counted = plan.program->EvaluateCounting(strike.count, state.frame,
                                               &counted_events);
    } else {
      counted = plan.program->Evaluate(strike.count, state.frame);
    }
    // Fail closed, visibly (every event has a time in range: CheckContext):
    // a count that errs is flagged and taken as at the limit, so the
    // `suppress` holds and `at_limit` recommendations stay; no strike effect
    // is recorded from it.
    const bool count_errored = counted.is_error();
    if (count_errored) {
      fallback.clear();
      absl::StrAppend(&fallback, "the strike count of strike limit \"",
                      strike.id, "\"");
      FlagRestrictionErrored(source, fallback, counted.string_value, outcome);
      fallback.clear();
      absl::StrAppend(&fallback, "The strike count of strike limit \"",
                      strike.id,
                      "\" could not be evaluated: treated as at the limit of ",
                      strike.limit, ".");
      ApplyLimit(
          state, strike, source, nullptr, fallback,
          [&](std::string* held) {
            absl::StrAppend(held,
                            "Held back: the strike count of strike limit \"",
                            strike.id,
                            "\" could not be evaluated, so the customer is "
                            "treated as at the limit of ",
                            strike.limit, ".");
          },
          outcome);
      if (entry != nullptr) {
        v1::StrikeTrace* trace = entry->mutable_strike_limit();
        trace->set_limit(strike.limit);
        SetTraceDuration(strike.window.length, trace->mutable_window());
        SetTraceTime(state.now - strike.window.length,
                     trace->mutable_window_start());
        trace->set_at_limit(true);
        trace->set_error(
            AbbreviateText(counted.string_value, kMaxCopiedErrorBytes));
        entry->set_summary(absl::StrCat(
            "The strike count could not be evaluated (", trace->error(),
            "): the customer is treated as at the limit of ", strike.limit,
            "."));
      }
      continue;
    }
    int64_t count = counted.int_value;
    // This case is one strike at most: when it is a strike now or its
    // strike is already recorded (then it is not emitted again).
    const bool recorded = StrikeRecorded(state, strike.id);
    bool current = false;
    bool current_errored = false;
    if (!strike.current_is_strike.empty()) {
      ConditionResult is_strike = EvaluateCondition(
          *plan.program, strike.current_is_strike, state.frame);
      current = is_strike.holds();
      if (is_strike.status == ConditionResult::Status::kError) {
        // Conservatively a strike for the limit test, but no strike is
        // recorded from a condition that could not be evaluated.
        current_errored = true;
        fallback.clear();
        absl::StrAppend(&fallback, "current_is_strike of strike limit \"",
                        strike.id, "\"");
        FlagRestrictionErrored(source, fallback, is_strike.error, outcome);
      }
    }
    if (current || current_errored || recorded) ++count;
    if (current && !recorded) {
      outcome->effects.push_back(
          EffectRef{EffectKind::kStrike, strike.id, 0, count});
    }
    if (entry != nullptr) {
      StrikeFacts facts;
      facts.count = count;
      facts.case_counted = current || current_errored || recorded;
      facts.struck_now = current && !recorded;
      facts.recorded = recorded;
      facts.current_errored = current_errored;
      TraceStrikes(state, strike, facts, &counted_events, entry);
    }
    if (count == strike.limit - 1) {
      fallback.clear();
      if (strike.warning_reason.empty()) {
        absl::StrAppend(
            &fallback, count, " of ", strike.limit, " strikes in ",
            strike.window_text,
            ": set expectations now, the next one reaches the limit.");
      }
      Proposer proposer{source,   &strike.warning_reason,
                        fallback, strike.priority,
                        1.0,      kUnstaged};
      for (const RecommendationPlan& rec : strike.warning) {
        Propose(plan, rec, proposer, state.frame, outcome);
      }
    } else if (count >= strike.limit) {
      const std::string& window = strike.window_text;
      fallback.clear();
      absl::StrAppend(&fallback, count, " strikes in ", window, " (limit ",
                      strike.limit, "): three strikes and you're out.");
      ApplyLimit(
          state, strike, source, &strike.limit_reason, fallback,
          [&](std::string* held) {
            absl::StrAppend(held, "Held back: the customer has ", count,
                            " strikes in ", window,
                            ", at or over the limit of ", strike.limit, ".");
          },
          outcome);
    }
  }
}

}  // namespace tact::internal
