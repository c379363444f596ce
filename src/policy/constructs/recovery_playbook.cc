// Apology-first recovery: "fix it fast + do the unexpected", and "it begins
// with the apology" (seed 003).
#include "src/policy/constructs/recovery_playbook.h"

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

void CompilePlaybooks(PolicyCompiler& c) {
  absl::flat_hash_set<std::string> ids;
  const v1::Policy& policy = c.policy();
  for (int i = 0; i < policy.playbooks_size(); ++i) {
    const v1::RecoveryPlaybook& p = policy.playbooks(i);
    std::string path = absl::StrCat("playbooks[", i, "]");
    std::string element = absl::StrCat("playbook \"", p.id(), "\"");
    if (p.id().empty() || !ids.insert(p.id()).second) {
      c.Error(path + ".id", element, "a playbook needs a unique id");
    }
    PlaybookPlan playbook;
    playbook.id = p.id();
    playbook.priority = p.priority();
    if (p.when().empty()) {
      c.Error(
          path + ".when", element,
          "say when the case is a service failure, e.g. \"case.our_fault\"");
    } else {
      c.Condition(p.when(), path + ".when", element, &playbook.when);
    }
    if (p.apology().empty()) {
      c.Error(path + ".apology", element,
              "a recovery begins with the apology: name its action");
    } else {
      playbook.apology = c.ActionIndex(p.apology(), path + ".apology", element);
    }
    if (p.has_fix()) {
      playbook.fix = c.Recommendation(p.fix(), path + ".fix", element);
    }
    playbook.fix_within =
        c.Duration(p.fix_within().empty() ? "24h" : p.fix_within(),
                   path + ".fix_within", element);
    playbook.fix_within_text = playbook.fix_within.Readable();
    playbook.calendar = c.Calendar(p.calendar(), path + ".calendar", element);
    c.NeedWorkingHours(playbook.fix_within, p.calendar(), playbook.calendar,
                       path + ".fix_within", element);
    for (int k = 0; k < p.surprise_size(); ++k) {
      playbook.surprise.push_back(c.Recommendation(
          p.surprise(k), absl::StrCat(path, ".surprise[", k, "]"), element));
    }
    for (int k = 0; k < p.compensation_size(); ++k) {
      playbook.compensation.push_back(c.Recommendation(
          p.compensation(k), absl::StrCat(path, ".compensation[", k, "]"),
          element));
    }
    if (!p.compensation_ladder().empty()) {
      for (int k = 0; k < static_cast<int>(c.plan().ladders.size()); ++k) {
        if (c.plan().ladders[k].id == p.compensation_ladder()) {
          playbook.compensation_ladder = k;
        }
      }
      if (playbook.compensation_ladder < 0) {
        c.Error(
            path + ".compensation_ladder", element,
            absl::StrCat("unknown ladder \"", p.compensation_ladder(), "\""));
      }
    }
    playbook.reason = c.Reason(p.reason(), path + ".reason", element, {});
    c.plan().playbooks.push_back(std::move(playbook));
  }
}

void FinishPlaybooks(PolicyPlan* plan) {
  for (PlaybookPlan& p : plan->playbooks) {
    OrderConjuncts(*plan->program, &p.when);
    OrderConjuncts(*plan->program, &p.fix.when);
    for (RecommendationPlan& rec : p.surprise) {
      OrderConjuncts(*plan->program, &rec.when);
    }
    for (RecommendationPlan& rec : p.compensation) {
      OrderConjuncts(*plan->program, &rec.when);
    }
  }
}

namespace {

struct SurprisePick {
  int index = 0;              // into PlaybookPlan::surprise
  bool in_this_case = false;  // already given in this case
};

// The surprise gesture of `playbook` for this customer, from the `surprise`
// events of the history up to now (ref: the playbook, step: the gesture's
// place in the list, from 1): the one already given in this case if any
// (re-deciding gives the same one); else the first, from `start` on and
// wrapping round, the customer has not had; when they have had every one,
// `start`.
SurprisePick PickSurprise(const PlaybookPlan& playbook,
                          const DecideState& state, int start) {
  const int n = static_cast<int>(playbook.surprise.size());
  const std::string& case_id = state.context.case_().id();
  SurprisePick pick;
  pick.index = start;
  // Gestures had, one flag each, from the one view of the history (at <=
  // now): one pass, whatever the number of gestures.
  std::vector<bool>& had = state.buffers.had;
  had.assign(n, false);
  auto is_surprise = [&](const v1::Event& e) {
    return e.kind() == Name(EffectKind::kSurprise) && e.ref() == playbook.id &&
           e.step() >= 1 && e.step() <= n;
  };
  absl::Time latest_in_case = absl::InfinitePast();
  for (const v1::Event& e : state.frame.history()) {
    if (!is_surprise(e)) continue;
    int index = static_cast<int>(e.step() - 1);
    if (e.case_id() == case_id && ToTime(e.at()) >= latest_in_case) {
      latest_in_case = ToTime(e.at());
      pick.index = index;
      pick.in_this_case = true;
    }
    had[index] = true;
  }
  if (pick.in_this_case) return pick;
  auto was_had = [&](int index) { return had[index]; };
  for (int k = 0; k < n; ++k) {
    int index = (start + k) % n;
    if (!was_had(index)) {
      pick.index = index;
      return pick;
    }
  }
  return pick;
}

}  // namespace

bool HasPlaybooks(const PolicyPlan& plan) { return !plan.playbooks.empty(); }

void ProposePlaybooks(const DecideState& state, Outcome* outcome) {
  const PolicyPlan& plan = state.plan;
  const v1::Case& kase = state.context.case_();
  // Texts are built in the decision's buffers (Propose copies them).
  std::string& intro = state.buffers.intro;
  std::string& due = state.buffers.due;
  std::string& text = state.buffers.text;
  for (int p = 0; p < static_cast<int>(plan.playbooks.size()); ++p) {
    const PlaybookPlan& playbook = plan.playbooks[p];
    const SourceRef source{SourceKind::kPlaybook, p, playbook.id};
    // With TRACE_FULL: this playbook's entry, filled as it decides.
    v1::ConstructTrace* entry = nullptr;
    v1::PlaybookTrace* trace = nullptr;
    if (state.construct_trace != nullptr) {
      entry = AddConstructTrace(state.construct_trace, SourceKind::kPlaybook,
                                playbook.id);
      trace = entry->mutable_playbook();
      SetTraceDuration(playbook.fix_within.length, trace->mutable_fix_within());
    }
    // Stopped by a final rule: none of its steps (nor its flag) applies.
    if (outcome->Stopped(playbook.priority)) {
      if (entry != nullptr) {
        entry->set_stopped(true);
        entry->set_summary(
            "Stopped: a final rule of higher priority fired, so none of its "
            "steps is proposed (nor its flag raised).");
      }
      continue;
    }
    if (entry == nullptr) {
      if (!EvaluateCondition(*plan.program, playbook.when, state.frame)
               .holds()) {
        continue;
      }
    } else {
      ConditionResult failure =
          EvaluateCondition(*plan.program, playbook.when, state.frame);
      if (!failure.holds()) {
        std::string* summary = entry->mutable_summary();
        summary->assign("Not triggered: its condition ");
        if (failure.status == ConditionResult::Status::kError) {
          absl::StrAppend(summary, "could not be evaluated (",
                          AbbreviateText(failure.error, kMaxCopiedErrorBytes),
                          ").");
        } else {
          absl::StrAppend(summary, "`",
                          failure.failed != nullptr
                              ? absl::string_view(failure.failed->source)
                              : absl::string_view(),
                          "` was false.");
        }
        continue;
      }
      trace->set_triggered(true);
    }
    intro.clear();
    if (playbook.reason.empty()) {
      intro.append("We let this customer down.");
    } else {
      RenderTemplateTo(playbook.reason, {}, plan.currency, &intro);
    }
    auto propose = [&](const RecommendationPlan& rec, PlaybookStage stage) {
      Proposer proposer{source, nullptr,         text, playbook.priority,
                        1.0,    StageRank(stage)};
      const bool proposed = Propose(plan, rec, proposer, state.frame, outcome);
      if (proposed && trace != nullptr) {
        const absl::string_view name = Name(stage);
        trace->add_stages()->assign(name.data(), name.size());
        trace->add_actions(plan.actions[rec.action].id);
      }
      return proposed;
    };

    RecommendationPlan apology;
    apology.action = playbook.apology;
    text.clear();
    absl::StrAppend(&text, intro,
                    " Recovery begins with \"I'm sorry\", whoever's "
                    "fault it feels like: apologize first.");
    propose(apology, PlaybookStage::kApology);

    // Fix it fast: due fix_within after the incident (or the case opening).
    absl::Time from = kase.has_incident_at() ? ToTime(kase.incident_at())
                      : kase.has_opened_at() ? ToTime(kase.opened_at())
                                             : state.now;
    const BusinessCalendar& calendar = playbook.calendar >= 0
                                           ? plan.calendars[playbook.calendar]
                                           : BusinessCalendar::AlwaysOpen();
    absl::Time deadline = playbook.fix_within.After(from, calendar);
    due.clear();
    AppendUtc(deadline, &due);
    bool missed = state.now > deadline;
    if (trace != nullptr) {
      SetTraceTime(deadline, trace->mutable_deadline());
      trace->set_window_missed(missed);
    }
    if (playbook.fix.action >= 0) {
      text.clear();
      if (missed) {
        absl::StrAppend(&text, "Fix it now: the ", playbook.fix_within_text,
                        " recovery window closed at ", due,
                        ", so loyalty is harder to win back.");
      } else {
        absl::StrAppend(&text, "Fix it fast: within ", playbook.fix_within_text,
                        " of the incident, by ", due, ".");
      }
      propose(playbook.fix, PlaybookStage::kFix);
    }
    if (missed) {
      FlagRef& flag = outcome->flags.Add();
      flag.code = FlagCode::kRecoveryWindowMissed;
      absl::StrAppend(flag.source.StartRendered(source), "The fix was due by ",
                      due, " (", playbook.fix_within_text,
                      " after the incident) and that time has passed.");
    }

    // Something unexpected: a gesture this customer has not had yet.
    if (!playbook.surprise.empty()) {
      int n = static_cast<int>(playbook.surprise.size());
      text.clear();
      absl::StrAppend(&text, state.context.customer().id(), "/", playbook.id);
      int start = static_cast<int>(StableHash(text) % n);
      SurprisePick pick = PickSurprise(playbook, state, start);
      text.assign(
          "Then do something the customer does not expect: a fix alone "
          "only meets expectations.");
      size_t before = outcome->candidates.size();
      propose(playbook.surprise[pick.index], PlaybookStage::kSurprise);
      if (trace != nullptr && outcome->candidates.size() > before) {
        trace->set_surprise(pick.index + 1);
      }
      if (outcome->candidates.size() > before && !pick.in_this_case) {
        outcome->candidates.back().effects.push_back(
            EffectRef{EffectKind::kSurprise, playbook.id, 0, pick.index + 1});
      }
    }
    text.assign(
        "Compensation comes after the apology and the fix, within the "
        "goodwill budget.");
    for (const RecommendationPlan& rec : playbook.compensation) {
      propose(rec, PlaybookStage::kCompensation);
    }
    if (playbook.compensation_ladder >= 0) {
      const int compensation = StageRank(PlaybookStage::kCompensation);
      for (Candidate& c : outcome->candidates) {
        if (c.reason.source.Is(SourceKind::kLadder,
                               playbook.compensation_ladder)) {
          c.stage = std::min(c.stage, compensation);
          if (trace != nullptr) {
            const absl::string_view name = Name(PlaybookStage::kCompensation);
            trace->add_stages()->assign(name.data(), name.size());
            trace->add_actions(plan.actions[c.action].id);
          }
        }
      }
    }
    if (entry != nullptr) {
      std::string* summary = entry->mutable_summary();
      summary->assign("Recovery proposed");
      for (int k = 0; k < trace->stages_size(); ++k) {
        absl::StrAppend(summary, k == 0 ? ": " : ", ", trace->stages(k), " (",
                        trace->actions(k), ")");
      }
      if (trace->stages_size() == 0) summary->append(": no step");
      absl::StrAppend(summary,
                      missed ? "; the fix was due by " : "; fix due by ", due);
      absl::StrAppend(summary, " (", playbook.fix_within_text,
                      " after the incident)");
      summary->append(missed ? ", which has passed: recovery_window_missed."
                             : ".");
    }
  }
}

}  // namespace tact::internal
