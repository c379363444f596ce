// Escalation ladders: "never offer an unhappy customer everything at once"
// (seed 002). One rung per decision, the next one only.
#include "src/policy/constructs/ladder.h"

#include <algorithm>
#include <cmath>
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
#include "src/policy/constructs/entitlements.h"
#include "src/policy/plan.h"
#include "src/policy/policy_compiler.h"
#include "tact/codes.h"

namespace tact::internal {

void CompileLadders(PolicyCompiler& c) {
  absl::flat_hash_set<std::string> ids;
  const v1::Policy& policy = c.policy();
  for (int i = 0; i < policy.ladders_size(); ++i) {
    const v1::EscalationLadder& l = policy.ladders(i);
    std::string path = absl::StrCat("ladders[", i, "]");
    std::string element = absl::StrCat("ladder \"", l.id(), "\"");
    if (l.id().empty() || !ids.insert(l.id()).second) {
      c.Error(path + ".id", element, "a ladder needs a unique id");
    }
    LadderPlan ladder;
    ladder.id = l.id();
    ladder.priority = l.priority();
    if (!std::isfinite(l.weight()) || l.weight() < 0) {
      c.Error(path + ".weight", element, "weight must be a finite number >= 0");
    }
    ladder.weight = l.weight() == 0 ? 1.0 : l.weight();
    c.Condition(l.when(), path + ".when", element, &ladder.when);
    ladder.calendar = c.Calendar(l.calendar(), path + ".calendar", element);
    if (l.rungs().empty()) {
      c.Error(
          path, element,
          "a ladder has no rungs; give it at least one offer, lowest first");
    }
    for (int k = 0; k < l.rungs_size(); ++k) {
      const v1::Rung& r = l.rungs(k);
      std::string rung_path = absl::StrCat(path, ".rungs[", k, "]");
      RungPlan rung;
      if (!r.has_action()) {
        c.Error(rung_path, element,
                absl::StrCat("rung ", k + 1, " has no action"));
      } else {
        rung.action =
            c.Recommendation(r.action(), rung_path + ".action", element);
      }
      if (!r.entry().empty()) {
        c.Condition(r.entry(), rung_path + ".entry", element, &rung.entry);
      }
      if (!r.min_wait().empty()) {
        rung.min_wait =
            c.Duration(r.min_wait(), rung_path + ".min_wait", element);
        c.NeedWorkingHours(rung.min_wait, l.calendar(), ladder.calendar,
                           rung_path + ".min_wait", element);
      }
      rung.min_wait_text = rung.min_wait.Readable();
      rung.reason =
          c.Reason(r.reason(), rung_path + ".reason", element, {rung.action});
      ladder.rungs.push_back(std::move(rung));
    }
    for (int k = 0; k < l.exhausted_size(); ++k) {
      ladder.exhausted.push_back(c.Recommendation(
          l.exhausted(k), absl::StrCat(path, ".exhausted[", k, "]"), element));
    }
    ladder.exhausted_reason =
        c.Reason(l.exhausted_reason(), path + ".exhausted_reason", element,
                 ladder.exhausted);
    c.plan().ladders.push_back(std::move(ladder));
  }
}

void FinishLadders(PolicyPlan* plan) {
  for (LadderPlan& l : plan->ladders) {
    OrderConjuncts(*plan->program, &l.when);
    for (RungPlan& rung : l.rungs) {
      OrderConjuncts(*plan->program, &rung.entry);
      OrderConjuncts(*plan->program, &rung.action.when);
    }
    for (RecommendationPlan& rec : l.exhausted) {
      OrderConjuncts(*plan->program, &rec.when);
    }
  }
}

namespace {

// The highest rung offered in this case and when, from the decision's view
// of the history. A rung recorded in this case at exactly `now` is this
// decision's own effect, already recorded (re-deciding at the same `now`
// gives the same rung): it is not a previous rung, and `recorded_now` says
// which steps were recorded then.
struct LastRung {
  int step = 0;  // 0: none yet
  absl::Time at = absl::InfinitePast();
};

LastRung FindLastRung(const LadderPlan& ladder, const DecideState& state,
                      std::vector<int64_t>* recorded_now) {
  LastRung last;
  recorded_now->clear();
  const std::string& case_id = state.context.case_().id();
  for (const v1::Event& e : state.frame.history()) {
    if (e.kind() != Name(EffectKind::kRungOffered) || e.ref() != ladder.id ||
        e.case_id() != case_id) {
      continue;
    }
    int step = static_cast<int>(std::clamp<int64_t>(e.step(), 0, 1 << 30));
    absl::Time at = ToTime(e.at());
    if (at == state.now && !case_id.empty()) {
      recorded_now->push_back(e.step());
      continue;
    }
    if (step > last.step || (step == last.step && at > last.at)) {
      last.step = step;
      last.at = at;
    }
  }
  return last;
}

// True when the customer's contract excludes `action` (entitlements in
// SUPPRESS mode): the entitlement pass's own check, whose note (why) is
// appended to `*why`.
bool BeyondContract(const DecideState& state, int action, std::string* why) {
  if (!state.plan.entitlements.suppress || action < 0) return false;
  RankScratch& scratch = state.buffers.contract;
  scratch.Clear();
  RankedAction r;
  r.action = action;
  if (Entitle(state.plan, state.context, &r, &scratch)) return false;
  if (!scratch.blocked.empty() && scratch.blocked.back().by_note >= 0) {
    absl::string_view note =
        scratch.notes[scratch.blocked.back().by_note].text();
    why->append(note.data(), note.size());
  }
  return true;
}

// Proposes rung `step` (1-based) of `ladder`; false when it proposed
// nothing (a parameter error).
bool ProposeRung(const PolicyPlan& plan, const LadderPlan& ladder,
                 const SourceRef& source, int step, const DecideState& state,
                 Outcome* outcome) {
  const RungPlan& rung = ladder.rungs[step - 1];
  std::string& fallback = state.buffers.fallback;
  fallback.clear();
  if (rung.reason.empty()) {
    absl::StrAppend(&fallback, "Rung ", step, " of ", ladder.rungs.size(),
                    " of the \"", ladder.id, "\" ladder: one step at a time.");
  }
  Proposer proposer{source,          &rung.reason,  fallback,
                    ladder.priority, ladder.weight, kUnstaged};
  return Propose(plan, rung.action, proposer, state.frame, outcome);
}

// The action id of `rec`, for the trace ("" when it has none).
absl::string_view ActionId(const PolicyPlan& plan,
                           const RecommendationPlan& rec) {
  return rec.action >= 0 ? absl::string_view(plan.actions[rec.action].id)
                         : absl::string_view();
}

// `word` ("Rung" or "rung") "2 of 3 (refund_10)" appended to `*out`; "of
// 3" when `of` is not 0.
void AppendRung(absl::string_view word, int step, int of,
                absl::string_view action, std::string* out) {
  absl::StrAppend(out, word, " ", step);
  if (of > 0) absl::StrAppend(out, " of ", of);
  if (!action.empty()) absl::StrAppend(out, " (", action, ")");
}

// The trace's "next: rung 3 (refund_25) after 48 hours, due <time>." for
// the rung after `offered`, which waits from now on.
void TraceNextRung(const PolicyPlan& plan, const LadderPlan& ladder,
                   int offered, const DecideState& state,
                   v1::ConstructTrace* entry) {
  v1::LadderTrace* trace = entry->mutable_ladder();
  std::string* summary = entry->mutable_summary();
  const int top = static_cast<int>(ladder.rungs.size());
  if (offered >= top) {
    summary->append(" It is the top rung: the exhausted actions come next.");
    return;
  }
  const RungPlan& next = ladder.rungs[offered];
  trace->set_next_rung(offered + 1);
  trace->set_next_action(std::string(ActionId(plan, next.action)));
  summary->append(" Next: ");
  AppendRung("rung", offered + 1, 0, trace->next_action(), summary);
  if (next.min_wait.length <= absl::ZeroDuration()) {
    summary->append(", with no wait.");
    return;
  }
  const BusinessCalendar& calendar = ladder.calendar >= 0
                                         ? plan.calendars[ladder.calendar]
                                         : BusinessCalendar::AlwaysOpen();
  const absl::Time due = next.min_wait.After(state.now, calendar);
  SetTraceDuration(next.min_wait.length, trace->mutable_wait());
  SetTraceTime(due, trace->mutable_next_due());
  absl::StrAppend(summary, " after ", next.min_wait_text, ", due ");
  AppendUtc(due, summary);
  summary->append(".");
}

}  // namespace

bool HasLadders(const PolicyPlan& plan) { return !plan.ladders.empty(); }

void ProposeLadders(const DecideState& state, Outcome* outcome) {
  std::string& fallback = state.buffers.fallback;
  std::string& contract = state.buffers.text;
  const PolicyPlan& plan = state.plan;
  for (int l = 0; l < static_cast<int>(plan.ladders.size()); ++l) {
    const LadderPlan& ladder = plan.ladders[l];
    const SourceRef source{SourceKind::kLadder, l, ladder.id};
    int top = static_cast<int>(ladder.rungs.size());
    // With TRACE_FULL: this ladder's entry, filled as the ladder decides.
    v1::ConstructTrace* entry = nullptr;
    v1::LadderTrace* trace = nullptr;
    if (state.construct_trace != nullptr) {
      entry = AddConstructTrace(state.construct_trace, SourceKind::kLadder,
                                ladder.id);
      trace = entry->mutable_ladder();
      trace->set_rungs(top);
    }
    // Stopped by a final rule: no rung is offered, so none is recorded (and
    // no wait is shown); the ladder resumes where it was once the rule stops
    // firing.
    if (outcome->Stopped(ladder.priority)) {
      if (entry != nullptr) {
        entry->set_stopped(true);
        entry->set_summary(
            "Stopped: a final rule of higher priority fired, so no rung is "
            "offered (nor recorded).");
      }
      continue;
    }
    if (ladder.rungs.empty()) continue;
    if (entry == nullptr) {
      if (!EvaluateCondition(*plan.program, ladder.when, state.frame).holds()) {
        continue;
      }
    } else {
      ConditionResult situation =
          EvaluateCondition(*plan.program, ladder.when, state.frame);
      if (!situation.holds()) {
        std::string* summary = entry->mutable_summary();
        summary->assign("Not on this ladder: its condition ");
        if (situation.status == ConditionResult::Status::kError) {
          absl::StrAppend(summary, "could not be evaluated (",
                          AbbreviateText(situation.error, kMaxCopiedErrorBytes),
                          ").");
        } else {
          absl::StrAppend(summary, "`",
                          situation.failed != nullptr
                              ? absl::string_view(situation.failed->source)
                              : absl::string_view(),
                          "` was false.");
        }
        continue;
      }
    }
    std::vector<int64_t>& recorded_now = state.buffers.steps;
    LastRung last = FindLastRung(ladder, state, &recorded_now);
    if (trace != nullptr) {
      trace->set_entered(true);
      trace->set_current_rung(last.step);
    }
    // The next rung, or the highest one above it whose entry condition
    // holds. With no rung offered yet in this case, a rung entered so
    // applies at once (its wait would count from the case opening).
    int next = last.step + 1;
    bool entered = false;
    for (int k = top, lowest = last.step == 0 ? next : next + 1; k >= lowest;
         --k) {
      const RungPlan& rung = ladder.rungs[k - 1];
      if (!rung.entry.empty() &&
          EvaluateCondition(*plan.program, rung.entry, state.frame).holds()) {
        next = k;
        entered = true;
        break;
      }
    }
    // A rung the customer's contract excludes is skipped, visibly: it is
    // held as beyond_contract by the ladder, and the next rung is
    // considered in this decision.
    int skipped = 0;
    for (; next <= top; ++next) {
      const RungPlan& rung = ladder.rungs[next - 1];
      contract.clear();
      if (!BeyondContract(state, rung.action.action, &contract)) break;
      ProposeRung(plan, ladder, source, next, state, outcome);
      Hold& hold = outcome->holds.Add();
      hold.action = rung.action.action;
      hold.code = BlockedCode::kBeyondContract;
      std::string* why = hold.by.StartRendered(source);
      absl::StrAppend(why, "Rung ", next, " of ", top, " of the \"", ladder.id,
                      "\" ladder is skipped");
      if (next < top) {
        absl::StrAppend(why, " and the ladder goes on to rung ", next + 1,
                        ". ");
      } else {
        why->append(" and no rung is left. ");
      }
      why->append(contract);
      ++skipped;
      if (trace != nullptr) trace->add_skipped_rungs(next);
    }
    if (trace != nullptr) trace->set_entered_by_entry(entered);
    if (next > top) {
      fallback.clear();
      absl::StrAppend(
          &fallback, "Every rung of the \"", ladder.id,
          "\" ladder has been offered in this case",
          skipped > 0 ? " or is beyond the customer's contract" : "",
          "; nothing more to offer.");
      Proposer proposer{source,        &ladder.exhausted_reason,
                        fallback,      ladder.priority,
                        ladder.weight, kUnstaged};
      for (const RecommendationPlan& rec : ladder.exhausted) {
        Propose(plan, rec, proposer, state.frame, outcome);
      }
      if (entry != nullptr) {
        trace->set_exhausted(true);
        std::string* summary = entry->mutable_summary();
        absl::StrAppend(summary, "Every rung (", top,
                        ") has been offered in this case",
                        skipped > 0 ? " or is beyond the contract" : "",
                        "; the exhausted actions apply");
        const char* separator = ": ";
        for (const RecommendationPlan& rec : ladder.exhausted) {
          absl::StrAppend(summary, separator, ActionId(plan, rec));
          separator = ", ";
        }
        summary->append(".");
      }
      continue;
    }
    const RungPlan& rung = ladder.rungs[next - 1];
    if (!ProposeRung(plan, ladder, source, next, state, outcome)) {
      if (entry != nullptr) {
        std::string* summary = entry->mutable_summary();
        summary->clear();
        AppendRung("Rung", next, top, ActionId(plan, rung.action), summary);
        summary->append(
            " is not offered: its own `when` does not hold or a parameter "
            "could not be evaluated; the ladder waits at this rung.");
      }
      continue;
    }
    Candidate& candidate = outcome->candidates.back();

    // Time-based escalation: wait since the previous rung offered, or since
    // the case opened for the first (unless entered directly).
    absl::Time since = last.step > 0 ? last.at
                       : state.context.case_().has_opened_at()
                           ? ToTime(state.context.case_().opened_at())
                           : absl::InfinitePast();
    const BusinessCalendar& calendar = ladder.calendar >= 0
                                           ? plan.calendars[ladder.calendar]
                                           : BusinessCalendar::AlwaysOpen();
    absl::Time due = since == absl::InfinitePast()
                         ? since
                         : rung.min_wait.After(since, calendar);
    const bool at_once = entered && last.step == 0;
    if (!at_once && rung.min_wait.length > absl::ZeroDuration() &&
        state.now < due) {
      int action = candidate.action;
      Hold& hold = outcome->holds.Add();
      hold.action = action;
      hold.code = BlockedCode::kWait;
      std::string* why = hold.by.StartRendered(source);
      absl::StrAppend(
          why, "Rung ", next, " of the \"", ladder.id,
          "\" ladder is not due yet: it waits ", rung.min_wait_text,
          last.step > 0 ? " after the previous rung" : " after the case opened",
          ", until ");
      AppendUtc(due, why);
      why->append(".");
      if (entry != nullptr) {
        trace->set_waiting(true);
        trace->set_next_rung(next);
        trace->set_next_action(std::string(ActionId(plan, rung.action)));
        SetTraceDuration(rung.min_wait.length, trace->mutable_wait());
        SetTraceTime(due, trace->mutable_next_due());
        std::string* summary = entry->mutable_summary();
        summary->clear();
        AppendRung("Rung", next, top, trace->next_action(), summary);
        absl::StrAppend(
            summary, " is not due yet: it waits ", rung.min_wait_text,
            last.step > 0 ? " after rung " : " after the case opened",
            last.step > 0 ? absl::StrCat(last.step) : "", ", until ");
        AppendUtc(due, summary);
        summary->append("; nothing is offered now.");
      }
      continue;
    }
    if (entry != nullptr) {
      trace->set_offered_rung(next);
      trace->set_offered_action(std::string(ActionId(plan, rung.action)));
      std::string* summary = entry->mutable_summary();
      summary->clear();
      AppendRung("Rung", next, top, trace->offered_action(), summary);
      summary->append(" offered");
      if (entered) summary->append(", entered by its entry condition");
      if (skipped > 0) {
        absl::StrAppend(summary, " (", skipped,
                        skipped == 1 ? " rung" : " rungs",
                        " beyond the contract skipped)");
      }
      summary->append(".");
      TraceNextRung(plan, ladder, next, state, entry);
    }
    // Already recorded at this `now`: offered, not emitted again.
    if (std::find(recorded_now.begin(), recorded_now.end(), next) !=
        recorded_now.end()) {
      continue;
    }
    candidate.effects.push_back(
        EffectRef{EffectKind::kRungOffered, ladder.id, 0, next});
  }
}

}  // namespace tact::internal
