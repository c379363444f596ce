// Engine::WhyNot: why an action was not recommended, and the smallest
// change to the context that would recommend it, each checked by deciding
// again (docs/explanations.md, "Why not, and what would change it").
//
// One decision (with the full trace) says where the action stands. Each
// rule and construct that could produce it gives a path: the changes that
// make it propose the action (from its compiled condition, through
// ChangesFor, or from the construct's own state). Every path is then
// checked by applying its changes and deciding again; what still stands in
// the way there (a veto, a strike limit, the budget, the contract, a wait,
// an authority, a final rule) adds the change that lifts it, a few times at
// most, until the action is recommended or no change can be stated.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/common/edit_distance.h"
#include "src/engine/engine_impl.h"
#include "src/expr/program.h"
#include "src/policy/calendar.h"
#include "src/policy/condition.h"
#include "src/policy/condition_change.h"
#include "src/policy/constructs/common.h"
#include "src/policy/constructs/constructs.h"
#include "src/policy/constructs/goodwill_budget.h"
#include "src/policy/outcome.h"
#include "src/policy/plan.h"
#include "src/policy/template.h"
#include "tact/codes.h"
#include "tact/engine.h"

namespace tact {
namespace {

using internal::Conjunct;
using internal::Frame;
using internal::PolicyPlan;
using internal::RecommendationPlan;

// At most this many paths are listed and checked.
constexpr int kMaxPaths = 64;
// Each path is decided again at most this many times: once with its own
// changes, then once per obstacle lifted.
constexpr int kMaxDecisions = 6;
// At most this many event kinds are tried when looking for the events a
// strike limit counts.
constexpr int kMaxEventKinds = 32;

// "a bot", "an agent".
std::string WithArticle(absl::string_view noun) {
  bool vowel = !noun.empty() && absl::StrContains("aeiouAEIOU", noun[0]);
  return absl::StrCat(vowel ? "an " : "a ", noun);
}

// Where the action stands in one decision.
struct Standing {
  const v1::RecommendedAction* recommended = nullptr;
  const v1::RecommendedAction* approval = nullptr;
  const v1::BlockedAction* blocked = nullptr;
};

Standing Find(const v1::Decision& d, absl::string_view action) {
  Standing s;
  for (const v1::RecommendedAction& a : d.actions()) {
    if (a.action() == action) s.recommended = &a;
  }
  for (const v1::RecommendedAction& a : d.needs_approval()) {
    if (a.action() == action) s.approval = &a;
  }
  for (const v1::BlockedAction& b : d.blocked()) {
    if (b.action() == action && s.blocked == nullptr) s.blocked = &b;
  }
  return s;
}

// The priority of the highest `final` rule that fired (INT_MIN: none).
int FinalFloor(const PolicyPlan& plan, const v1::Decision& d) {
  int floor = INT_MIN;
  for (const internal::RulePlan& rule : plan.rules) {
    if (!rule.final || rule.index >= d.trace_size()) continue;
    if (d.trace(rule.index).fired()) floor = std::max(floor, rule.priority);
  }
  return floor;
}

bool SameChange(const v1::ContextChange& a, const v1::ContextChange& b) {
  return a.kind() == b.kind() && a.field() == b.field() &&
         a.event_kind() == b.event_kind() && a.event_ref() == b.event_ref() &&
         a.authority() == b.authority();
}

// The ids of the final rules above `priority` that fired in `d`:
// "\"legal-hold\"".
std::string FinalRulesAbove(const PolicyPlan& plan, const v1::Decision& d,
                            int priority) {
  std::vector<std::string> ids;
  for (const internal::RulePlan& rule : plan.rules) {
    if (rule.final && rule.priority > priority && rule.index < d.trace_size() &&
        d.trace(rule.index).fired()) {
      ids.push_back(absl::StrCat("\"", rule.id, "\""));
    }
  }
  return absl::StrJoin(ids, ", ");
}

// What a path needs: the changes stated so far, or why none can be.
struct Draft {
  v1::Reason source;
  std::vector<v1::ContextChange> changes;
  // False: no change can be stated; `why_not_stated` says why.
  bool stated = true;
  std::string why_not_stated;
  // The producer's priority: a final rule above it stops it.
  int priority = INT_MIN;
  // It would offer the action now but for a final rule of higher priority.
  bool stopped = false;
};

// Appends " " + `sentence` to the path's source text.
void Say(Draft* draft, absl::string_view sentence) {
  if (sentence.empty()) return;
  std::string* text = draft->source.mutable_text();
  if (!text->empty() && text->back() != ' ') text->push_back(' ');
  absl::StrAppend(text, sentence);
}

void CannotState(Draft* draft, absl::string_view why) {
  draft->stated = false;
  draft->why_not_stated = std::string(why);
}

class WhyNotBuilder {
 public:
  WhyNotBuilder(const Engine& engine, const PolicyPlan& plan,
                const v1::Policy& policy, int action,
                const DecideOptions& options)
      : engine_(engine),
        plan_(plan),
        policy_(policy),
        action_(action),
        id_(plan.actions[action].id),
        options_(options) {
    options_.trace = true;
    options_.record = false;
  }

  absl::StatusOr<v1::WhyNot> Build(const v1::Context& context);

 private:
  // Decides on `context` with `options` (the trace on).
  absl::StatusOr<v1::Decision> Decide(const v1::Context& context,
                                      const DecideOptions& options) const {
    return engine_.Decide(context, options);
  }

  // A frame for `context`, for evaluating compiled conditions on it.
  // Its evaluations run within the caller's budgets, as a decision's do.
  absl::Status ResetFrame(const v1::Context& context) {
    if (frame_ == nullptr) frame_ = std::make_unique<Frame>();
    absl::Status status = frame_->Reset(*plan_.program, context);
    if (!status.ok()) return status;
    internal::EvalBudget budget;
    budget.max_steps = options_.max_evaluation_steps;
    budget.max_string_bytes = options_.max_string_bytes_built;
    budget.deadline = options_.deadline;
    budget.cancel = options_.cancel;
    frame_->SetBudget(budget);
    // The computed facts (`sla.*`) as a decision on `context` reads them.
    internal::PrepareFrame(plan_, context, *frame_, buffers_, &outcome_);
    return absl::OkStatus();
  }

  // The changes that make `when` hold (`want`) or not, added to `draft`;
  // false (and the draft not stated) when none can be stated.
  bool ConditionChangesInto(const std::vector<Conjunct>& when,
                            const v1::Context& context, bool want,
                            std::vector<v1::ContextChange>* changes,
                            std::string* why);
  bool AddConditionChanges(const std::vector<Conjunct>& when,
                           const v1::Context& context, bool want, Draft* draft);

  // The paths of the producers of the action.
  void RulePaths(const v1::Context& context, const v1::Decision& d, int floor,
                 std::vector<Draft>* drafts, int* more);
  void StrikePaths(const v1::Context& context, std::vector<Draft>* drafts,
                   int* more);
  void LadderPaths(const v1::Context& context, const v1::Decision& d, int floor,
                   std::vector<Draft>* drafts, int* more);
  void PlaybookPaths(const v1::Context& context, const v1::Decision& d,
                     int floor, std::vector<Draft>* drafts, int* more);
  void AlternativePaths(std::vector<Draft>* drafts, int* more);
  void ServiceLevelPaths(const v1::Context& context, const v1::Decision& d,
                         int floor, std::vector<Draft>* drafts, int* more);

  // The changes that lift what stands in the way in decision `d` of the
  // changed context: a hold, an authority, a final rule. False when there
  // is nothing statable; `*why` then says why.
  bool Lift(const v1::Context& context, const v1::Decision& d,
            const Standing& standing, int priority,
            std::vector<v1::ContextChange>* changes, std::string* why);
  bool LiftHold(const v1::Context& context, const v1::BlockedAction& blocked,
                std::vector<v1::ContextChange>* changes, std::string* why);
  bool LiftFinal(const v1::Context& context, const v1::Decision& d,
                 int priority, std::vector<v1::ContextChange>* changes,
                 std::string* why);
  bool FewerStrikes(const v1::Context& context, const internal::StrikePlan& s,
                    int64_t fewer, std::vector<v1::ContextChange>* changes,
                    std::string* why);

  // The strikes `s` counts on `context` (with this case's own), or -1 when
  // the count errs.
  int64_t StrikeCount(const v1::Context& context,
                      const internal::StrikePlan& s);

  // Checks a draft: applies its changes, decides again, lifts what stands
  // in the way, and writes the path.
  absl::Status Check(const v1::Context& context, Draft draft,
                     v1::WhyNotPath* path);

  const Engine& engine_;
  const PolicyPlan& plan_;
  const v1::Policy& policy_;
  const int action_;
  const std::string& id_;
  DecideOptions options_;
  std::unique_ptr<Frame> frame_;
  // The prepare steps' buffers and what they keep (ResetFrame).
  internal::ProposeBuffers buffers_;
  internal::Outcome outcome_;
};

bool WhyNotBuilder::ConditionChangesInto(
    const std::vector<Conjunct>& when, const v1::Context& context, bool want,
    std::vector<v1::ContextChange>* changes, std::string* why) {
  if (!ResetFrame(context).ok()) {
    *why = "the context could not be read";
    return false;
  }
  internal::ConditionChanges found = internal::ChangesFor(
      *plan_.program, when, *frame_, context, want, &plan_);
  *why = std::move(found.why);
  if (!found.stated) return false;
  for (v1::ContextChange& change : found.changes) {
    changes->push_back(std::move(change));
  }
  return true;
}

bool WhyNotBuilder::AddConditionChanges(const std::vector<Conjunct>& when,
                                        const v1::Context& context, bool want,
                                        Draft* draft) {
  std::string why;
  const bool stated =
      ConditionChangesInto(when, context, want, &draft->changes, &why);
  if (!why.empty() && why.back() != '.') why.push_back('.');
  if (stated) {
    if (!why.empty()) Say(draft, why);
    return true;
  }
  CannotState(draft,
              why.empty() ? "No change to the context makes it hold." : why);
  return false;
}

absl::StatusOr<v1::WhyNot> WhyNotBuilder::Build(const v1::Context& context) {
  absl::StatusOr<v1::Decision> decided = Decide(context, options_);
  if (!decided.ok()) return decided.status();
  const v1::Decision& d = *decided;
  v1::WhyNot out;
  out.set_action(id_);
  const Standing standing = Find(d, id_);
  if (standing.recommended != nullptr) {
    out.set_status("recommended");
    out.set_summary(absl::StrCat("\"", id_, "\" is recommended (rank ",
                                 standing.recommended->rank(),
                                 "): nothing has to change."));
    return out;
  }
  std::vector<Draft> drafts;
  int more = 0;
  if (standing.approval != nullptr) {
    out.set_status("needs_approval");
    const std::string& needed = standing.approval->required_authority();
    out.set_summary(absl::StrCat("\"", id_, "\" needs approval from ",
                                 WithArticle(needed), "."));
    Draft draft;
    draft.source.set_source_kind(std::string(Name(SourceKind::kAuthority)));
    draft.source.set_source_id(needed);
    for (const v1::Reason& r : standing.approval->reasons()) {
      if (r.source_kind() == Name(SourceKind::kAuthority)) {
        draft.source.set_text(r.text());
      }
    }
    drafts.push_back(std::move(draft));
    std::string why;
    Lift(context, d, standing, INT_MIN, &drafts.back().changes, &why);
  } else if (standing.blocked != nullptr) {
    out.set_status("blocked");
    out.set_summary(
        absl::StrCat("\"", id_, "\" is held back (", standing.blocked->code(),
                     ") by ", standing.blocked->blocked_by().source_kind(),
                     " \"", standing.blocked->blocked_by().source_id(), "\"."));
    Draft draft;
    draft.source = standing.blocked->blocked_by();
    std::string why;
    if (!LiftHold(context, *standing.blocked, &draft.changes, &why)) {
      CannotState(&draft, why);
    } else if (!why.empty()) {
      if (why.back() != '.') why.push_back('.');
      Say(&draft, why);
    }
    drafts.push_back(std::move(draft));
  } else {
    const int floor = FinalFloor(plan_, d);
    RulePaths(context, d, floor, &drafts, &more);
    StrikePaths(context, &drafts, &more);
    LadderPaths(context, d, floor, &drafts, &more);
    PlaybookPaths(context, d, floor, &drafts, &more);
    AlternativePaths(&drafts, &more);
    ServiceLevelPaths(context, d, floor, &drafts, &more);
    bool stopped = false;
    for (const Draft& draft : drafts) stopped = stopped || draft.stopped;
    if (stopped) {
      out.set_status("stopped");
      out.set_summary(absl::StrCat(
          "\"", id_,
          "\" is not offered: a final rule of higher priority fired and "
          "stopped what would offer it."));
    } else {
      out.set_status("not_proposed");
      out.set_summary(
          drafts.empty()
              ? absl::StrCat("\"", id_,
                             "\" is not offered: no rule or construct of the "
                             "policy offers it.")
              : absl::StrCat("\"", id_,
                             "\" is not offered: no rule or construct "
                             "proposed it."));
    }
  }
  for (Draft& draft : drafts) {
    absl::Status checked = Check(context, std::move(draft), out.add_paths());
    if (!checked.ok()) return checked;
  }
  int verified = 0;
  for (const v1::WhyNotPath& path : out.paths()) verified += path.verified();
  if (out.paths_size() > 0) {
    absl::StrAppend(out.mutable_summary(), " ", out.paths_size(),
                    out.paths_size() == 1 ? " path" : " paths", ", ", verified,
                    " checked by deciding again.");
  }
  if (more > 0) {
    absl::StrAppend(out.mutable_summary(), " ", more, " more ",
                    more == 1 ? "rule or construct offers"
                              : "rules and "
                                "constructs offer",
                    " it; only the first ", kMaxPaths, " are examined.");
  }
  return out;
}

// Adds a draft unless kMaxPaths are listed already; then counts it in
// `*more` and returns null.
Draft* AddDraft(std::vector<Draft>* drafts, int* more, SourceKind kind,
                absl::string_view id, int priority) {
  if (static_cast<int>(drafts->size()) >= kMaxPaths) {
    ++*more;
    return nullptr;
  }
  Draft& draft = drafts->emplace_back();
  draft.source.set_source_kind(std::string(Name(kind)));
  draft.source.set_source_id(std::string(id));
  draft.priority = priority;
  return &draft;
}

void WhyNotBuilder::RulePaths(const v1::Context& context, const v1::Decision& d,
                              int floor, std::vector<Draft>* drafts,
                              int* more) {
  for (const internal::RulePlan& rule : plan_.rules) {
    for (const RecommendationPlan& rec : rule.recommend) {
      if (rec.action != action_) continue;
      Draft* draft =
          AddDraft(drafts, more, SourceKind::kRule, rule.id, rule.priority);
      if (draft == nullptr) break;
      const v1::RuleTrace* t =
          rule.index < d.trace_size() ? &d.trace(rule.index) : nullptr;
      std::string intro = absl::StrCat("Rule \"", rule.id, "\" offers it;");
      if (t != nullptr && t->shadowed_by_final()) {
        draft->stopped = rule.priority < floor;
        Say(draft, absl::StrCat(intro, " it holds, but the final rule ",
                                FinalRulesAbove(plan_, d, rule.priority),
                                " of higher priority fired and stopped it."));
        std::string why;
        if (!LiftFinal(context, d, rule.priority, &draft->changes, &why)) {
          CannotState(draft, why);
        }
        break;
      }
      if (t != nullptr && t->fired()) {
        if (!rec.when.empty()) {
          if (!ResetFrame(context).ok()) break;
          internal::ConditionResult when =
              internal::EvaluateCondition(*plan_.program, rec.when, *frame_);
          if (!when.holds()) {
            Say(draft, absl::StrCat(intro,
                                    " it holds, but the action's own `when` "
                                    "does not."));
            AddConditionChanges(rec.when, context, true, draft);
            break;
          }
        }
        if (!t->error().empty()) {
          Say(draft, absl::StrCat(intro, " it holds, but ", t->error(), "."));
          CannotState(draft,
                      "A parameter that cannot be evaluated is not a "
                      "condition tact can state a change for.");
          break;
        }
        Say(draft, absl::StrCat(intro, " it holds."));
        break;
      }
      Say(draft, absl::StrCat("Rule \"", rule.id, "\" offers it."));
      std::vector<Conjunct> when = rule.when;
      when.insert(when.end(), rec.when.begin(), rec.when.end());
      AddConditionChanges(when, context, true, draft);
      break;
    }
  }
}

int64_t WhyNotBuilder::StrikeCount(const v1::Context& context,
                                   const internal::StrikePlan& s) {
  if (!ResetFrame(context).ok()) return -1;
  internal::Value counted = plan_.program->Evaluate(s.count, *frame_);
  if (counted.is_error()) return -1;
  int64_t count = counted.int_value;
  bool current = false;
  if (!s.current_is_strike.empty()) {
    internal::ConditionResult is_strike = internal::EvaluateCondition(
        *plan_.program, s.current_is_strike, *frame_);
    current = is_strike.status != internal::ConditionResult::Status::kFalse;
  }
  bool recorded = false;
  const std::string& case_id = context.case_().id();
  if (!case_id.empty()) {
    for (const v1::Event& e : context.history()) {
      if (internal::HistoryView::Visible(e, context.now()) &&
          e.kind() == Name(EffectKind::kStrike) && e.ref() == s.id &&
          e.case_id() == case_id) {
        recorded = true;
      }
    }
  }
  return count + (current || recorded ? 1 : 0);
}

std::string Strikes(int64_t n) {
  return n == 1 ? "one strike" : absl::StrCat(n, " strikes");
}

bool WhyNotBuilder::FewerStrikes(const v1::Context& context,
                                 const internal::StrikePlan& s, int64_t fewer,
                                 std::vector<v1::ContextChange>* changes,
                                 std::string* why) {
  if (!ResetFrame(context).ok()) return false;
  internal::Value base = plan_.program->Evaluate(s.count, *frame_);
  if (base.is_error()) {
    *why = "the strike count could not be evaluated";
    return false;
  }
  // The event kinds the count reads: those whose removal lowers it.
  std::vector<std::string> kinds;
  absl::flat_hash_set<std::string> seen;
  for (const v1::Event& e : context.history()) {
    if (!internal::HistoryView::Visible(e, context.now())) continue;
    if (static_cast<int>(kinds.size()) >= kMaxEventKinds) break;
    if (seen.insert(e.kind()).second) kinds.push_back(e.kind());
  }
  int64_t left = fewer;
  // The context without its history, copied once; each kind then adds the
  // other events back.
  v1::Context shell = context;
  shell.clear_history();
  for (const std::string& kind : kinds) {
    if (left <= 0) break;
    // Past the caller's deadline (or cancelled), stop copying histories.
    if (!frame_->CheckInterrupt()) {
      *why = std::string(frame_->budget_status().message());
      return false;
    }
    v1::Context without = shell;
    for (const v1::Event& e : context.history()) {
      if (e.kind() != kind) *without.add_history() = e;
    }
    if (!ResetFrame(without).ok()) return false;
    internal::Value count = plan_.program->Evaluate(s.count, *frame_);
    if (count.is_error() || count.int_value >= base.int_value) continue;
    const int64_t remove = std::min(left, base.int_value - count.int_value);
    v1::ContextChange& change = changes->emplace_back();
    change.set_kind("remove_events");
    change.set_event_kind(kind);
    change.set_count(remove);
    change.set_text(
        absl::StrCat(Strikes(fewer), " fewer in the window of strike limit \"",
                     s.id, "\": remove the ",
                     remove == 1 ? "newest" : absl::StrCat(remove, " newest"),
                     " \"", kind, "\" ", remove == 1 ? "event" : "events"));
    left -= remove;
  }
  if (left > 0) {
    *why =
        absl::StrCat("Strike limit \"", s.id, "\" would need ", Strikes(fewer),
                     " fewer in the window, and tact found no history "
                     "events that removing would take off the count.");
    return false;
  }
  return true;
}

void WhyNotBuilder::StrikePaths(const v1::Context& context,
                                std::vector<Draft>* drafts, int* more) {
  for (const internal::StrikePlan& s : plan_.strikes) {
    for (int at_limit = 0; at_limit < 2; ++at_limit) {
      const std::vector<RecommendationPlan>& recs =
          at_limit ? s.at_limit : s.warning;
      for (const RecommendationPlan& rec : recs) {
        if (rec.action != action_) continue;
        Draft* draft =
            AddDraft(drafts, more, SourceKind::kStrikeLimit, s.id, s.priority);
        if (draft == nullptr) break;
        const int64_t count = StrikeCount(context, s);
        const int64_t target = at_limit ? s.limit : s.limit - 1;
        Say(draft,
            absl::StrCat(
                "Strike limit \"", s.id, "\" offers it ",
                at_limit ? "at the limit of "
                         : "one strike below "
                           "the limit, at ",
                Strikes(target), " in ", s.window.Readable(), "; ",
                count < 0 ? "the strike count could not be evaluated"
                          : absl::StrCat("the customer has ", Strikes(count)),
                "."));
        if (count < 0) {
          CannotState(draft,
                      "No change to the context is stated for a count "
                      "that cannot be evaluated.");
          break;
        }
        if (count > target && !at_limit) {
          std::string why;
          if (!FewerStrikes(context, s, count - target, &draft->changes,
                            &why)) {
            CannotState(draft, why);
            break;
          }
        } else if (count < target) {
          const int64_t needed = target - count;
          if (needed == 1 && !s.current_is_strike.empty()) {
            Say(draft, "This case would have to count as a strike.");
            if (!AddConditionChanges(s.current_is_strike, context, true,
                                     draft)) {
              break;
            }
          } else {
            CannotState(draft,
                        absl::StrCat(Strikes(needed),
                                     " more in the window would offer it; "
                                     "tact states no change that adds "
                                     "history events."));
            break;
          }
        }
        if (!rec.when.empty()) {
          AddConditionChanges(rec.when, context, true, draft);
        }
        break;
      }
    }
  }
}

// The highest rung offered in this case and when (as the ladder counts
// it: a rung recorded at exactly now is this decision's own).
struct LastRung {
  int step = 0;
  absl::Time at = absl::InfinitePast();
};

LastRung FindLastRung(const internal::LadderPlan& ladder,
                      const v1::Context& context) {
  LastRung last;
  const std::string& case_id = context.case_().id();
  const absl::Time now = internal::ToTime(context.now());
  for (const v1::Event& e : context.history()) {
    if (!internal::HistoryView::Visible(e, context.now()) ||
        e.kind() != Name(EffectKind::kRungOffered) || e.ref() != ladder.id ||
        e.case_id() != case_id) {
      continue;
    }
    int step = static_cast<int>(std::clamp<int64_t>(e.step(), 0, 1 << 30));
    absl::Time at = internal::ToTime(e.at());
    if (at == now && !case_id.empty()) continue;
    if (step > last.step || (step == last.step && at > last.at)) {
      last.step = step;
      last.at = at;
    }
  }
  return last;
}

void WhyNotBuilder::LadderPaths(const v1::Context& context,
                                const v1::Decision& d, int floor,
                                std::vector<Draft>* drafts, int* more) {
  for (const internal::LadderPlan& ladder : plan_.ladders) {
    const int top = static_cast<int>(ladder.rungs.size());
    auto producer = [&]() {
      Draft* draft = AddDraft(drafts, more, SourceKind::kLadder, ladder.id,
                              ladder.priority);
      if (draft == nullptr) return draft;
      if (!ResetFrame(context).ok()) return draft;
      if (!internal::EvaluateCondition(*plan_.program, ladder.when, *frame_)
               .holds()) {
        AddConditionChanges(ladder.when, context, true, draft);
      } else if (ladder.priority < floor) {
        draft->stopped = true;
        Say(draft, absl::StrCat("The ladder applies, but the final rule ",
                                FinalRulesAbove(plan_, d, ladder.priority),
                                " of higher priority fired and stopped it."));
      }
      return draft;
    };
    const LastRung last = FindLastRung(ladder, context);
    for (int k = 1; k <= top; ++k) {
      const internal::RungPlan& rung = ladder.rungs[k - 1];
      if (rung.action.action != action_) continue;
      Draft* draft = producer();
      if (draft == nullptr) break;
      draft->source.set_text(absl::StrCat(
          "Rung ", k, " of ", top, " of the \"", ladder.id,
          "\" ladder offers it; the case is at rung ", last.step, ".",
          draft->source.text().empty() ? "" : " ", draft->source.text()));
      if (!draft->stated) continue;
      const int next = last.step + 1;
      if (k > next) {
        if (rung.entry.empty()) {
          CannotState(
              draft, absl::StrCat("Rung ", k, " is offered only after rung ",
                                  k - 1, " has been, one decision at a time."));
          continue;
        }
        Say(draft, absl::StrCat("Its entry condition would let the case "
                                "enter at rung ",
                                k, "."));
        if (!AddConditionChanges(rung.entry, context, true, draft)) continue;
      } else if (k < next) {
        v1::ContextChange& change = draft->changes.emplace_back();
        change.set_kind("remove_events");
        change.set_event_kind(std::string(Name(EffectKind::kRungOffered)));
        change.set_event_ref(ladder.id);
        change.set_count(last.step - k + 1);
        change.set_text(absl::StrCat(
            "the ladder would have to be back below rung ", k,
            ": remove the newest ", last.step - k + 1, " \"rung_offered\" ",
            last.step - k + 1 == 1 ? "event" : "events", " of \"", ladder.id,
            "\""));
      }
      if (!rung.action.when.empty()) {
        AddConditionChanges(rung.action.when, context, true, draft);
      }
    }
    for (const RecommendationPlan& rec : ladder.exhausted) {
      if (rec.action != action_) continue;
      Draft* draft = producer();
      if (draft == nullptr) break;
      draft->source.set_text(absl::StrCat(
          "The \"", ladder.id,
          "\" ladder offers it once every rung has been offered; the case is "
          "at rung ",
          last.step, " of ", top, ".", draft->source.text().empty() ? "" : " ",
          draft->source.text()));
      if (!draft->stated) continue;
      if (last.step < top) {
        CannotState(draft,
                    "The rungs are offered one decision at a time; tact "
                    "states no change that adds history events.");
        continue;
      }
      if (!rec.when.empty()) {
        AddConditionChanges(rec.when, context, true, draft);
      }
    }
  }
}

void WhyNotBuilder::PlaybookPaths(const v1::Context& context,
                                  const v1::Decision& d, int floor,
                                  std::vector<Draft>* drafts, int* more) {
  for (const internal::PlaybookPlan& playbook : plan_.playbooks) {
    std::vector<std::pair<const RecommendationPlan*, absl::string_view>> steps;
    RecommendationPlan apology;
    apology.action = playbook.apology;
    steps.emplace_back(&apology, Name(PlaybookStage::kApology));
    steps.emplace_back(&playbook.fix, Name(PlaybookStage::kFix));
    for (const RecommendationPlan& rec : playbook.surprise) {
      steps.emplace_back(&rec, Name(PlaybookStage::kSurprise));
    }
    for (const RecommendationPlan& rec : playbook.compensation) {
      steps.emplace_back(&rec, Name(PlaybookStage::kCompensation));
    }
    for (const auto& [rec, stage] : steps) {
      if (rec->action != action_) continue;
      Draft* draft = AddDraft(drafts, more, SourceKind::kPlaybook, playbook.id,
                              playbook.priority);
      if (draft == nullptr) break;
      Say(draft, absl::StrCat("Playbook \"", playbook.id,
                              "\" offers it as its ", stage, " step",
                              stage == Name(PlaybookStage::kSurprise) &&
                                      playbook.surprise.size() > 1
                                  ? " (one gesture, chosen per customer)"
                                  : "",
                              "."));
      if (!ResetFrame(context).ok()) break;
      if (!internal::EvaluateCondition(*plan_.program, playbook.when, *frame_)
               .holds()) {
        if (!AddConditionChanges(playbook.when, context, true, draft)) break;
      } else if (playbook.priority < floor) {
        draft->stopped = true;
        Say(draft, absl::StrCat("It applies, but the final rule ",
                                FinalRulesAbove(plan_, d, playbook.priority),
                                " of higher priority fired and stopped it."));
      }
      if (!rec->when.empty()) {
        AddConditionChanges(rec->when, context, true, draft);
      }
      break;
    }
  }
}

void WhyNotBuilder::AlternativePaths(std::vector<Draft>* drafts, int* more) {
  if (plan_.budgets.empty()) return;
  for (const internal::ActionPlan& a : plan_.actions) {
    if (a.alternative != action_) continue;
    Draft* draft = AddDraft(drafts, more, SourceKind::kBudget,
                            plan_.budgets.front().id, INT_MIN);
    if (draft == nullptr) break;
    Say(draft, absl::StrCat("The goodwill budget offers it instead of \"", a.id,
                            "\" when it cannot cover that."));
    CannotState(draft,
                "tact states no change that uses up the budget (it would "
                "add goodwill grants to the history).");
  }
}

// The status of target `id` in decision `d`, or null.
const v1::ServiceLevelStatus* FindTarget(const v1::Decision& d,
                                         absl::string_view id) {
  for (const v1::ServiceLevelStatus& s : d.service_levels()) {
    if (s.target() == id) return &s;
  }
  return nullptr;
}

absl::Duration ToDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

// A service-level threshold recommends the action: it is offered once the
// target's counted time reaches the threshold's percent of its span. For a
// running clock below the threshold the path sets `now` to the instant it
// does (the span counted on from the decision's now, in business time for
// a business span); a clock that is not running, paused or already past
// the threshold has no change tact can state.
void WhyNotBuilder::ServiceLevelPaths(const v1::Context& context,
                                      const v1::Decision& d, int floor,
                                      std::vector<Draft>* drafts, int* more) {
  const internal::ServiceLevelsPlan& levels = plan_.service_levels;
  for (const internal::SlaThresholdPlan& threshold : levels.thresholds) {
    for (const RecommendationPlan& rec : threshold.recommend) {
      if (rec.action != action_) continue;
      for (size_t t = 0; t < levels.targets.size(); ++t) {
        if (t < threshold.targets.size() && !threshold.targets[t]) continue;
        const std::string& target = levels.targets[t].id;
        Draft* draft = AddDraft(drafts, more, SourceKind::kServiceLevel, target,
                                levels.priority);
        if (draft == nullptr) return;
        Say(draft,
            absl::StrCat("The service levels offer it when ", target,
                         " reaches ", threshold.percent, "% of its span."));
        if (levels.priority < floor) {
          draft->stopped = true;
          Say(draft, absl::StrCat("The final rule ",
                                  FinalRulesAbove(plan_, d, levels.priority),
                                  " of higher priority fired and stopped "
                                  "them."));
          continue;
        }
        const v1::ServiceLevelStatus* status = FindTarget(d, target);
        absl::StatusOr<internal::Span> span =
            status == nullptr ? absl::NotFoundError("")
                              : internal::ParseSpan(status->within());
        if (status == nullptr || !span.ok() ||
            status->state() == Name(SlaState::kNone)) {
          CannotState(draft,
                      absl::StrCat("Its clock is not running (", target,
                                   " is \"none\"): it starts with the case "
                                   "events the service levels measure, which "
                                   "tact states no change to add."));
          continue;
        }
        if (status->state() == Name(SlaState::kMet) ||
            status->state() == Name(SlaState::kMissed)) {
          CannotState(draft, absl::StrCat("Its clock has stopped (", target,
                                          " is \"", status->state(), "\")."));
          continue;
        }
        if (status->threshold() >= threshold.percent) {
          CannotState(
              draft,
              absl::StrCat(target, " has reached ", status->threshold(),
                           "% already: a threshold acts once per clock run, "
                           "and a higher one reached in the same decision "
                           "supersedes it."));
          continue;
        }
        if (status->paused()) {
          CannotState(draft,
                      absl::StrCat("The ", target,
                                   " clock is paused; tact states no change "
                                   "that resumes it."));
          continue;
        }
        // The counted time at which the threshold is reached: the least
        // `c` with c * 100 >= percent * span, to the nanosecond.
        const absl::Duration elapsed = ToDuration(status->elapsed());
        const absl::Duration whole = elapsed + ToDuration(status->remaining());
        // (In parts: span * percent may not fit in int64 nanoseconds.)
        const int64_t span_ns = absl::ToInt64Nanoseconds(whole);
        const int64_t p = threshold.percent;
        const absl::Duration reach =
            absl::Nanoseconds(span_ns / 100) * p +
            absl::Nanoseconds((span_ns % 100 * p + 99) / 100);
        const absl::Duration needed = reach - elapsed;
        const absl::Time now = internal::ToTime(context.now());
        const int c = levels.calendar;
        const internal::BusinessCalendar& calendar =
            c >= 0 && c < static_cast<int>(plan_.calendars.size())
                ? plan_.calendars[c]
                : internal::BusinessCalendar::AlwaysOpen();
        const absl::Time at = span->business
                                  ? calendar.AddBusinessTime(now, needed)
                                  : now + needed;
        if (needed <= absl::ZeroDuration() || at == absl::InfiniteFuture()) {
          CannotState(
              draft, absl::StrCat("tact cannot tell when ", target, " reaches ",
                                  threshold.percent, "%."));
          continue;
        }
        v1::ContextChange& change = draft->changes.emplace_back();
        change.set_kind("set");
        change.set_field("now");
        google::protobuf::Timestamp* ts =
            change.mutable_value()->mutable_timestamp_value();
        const int64_t seconds = absl::ToUnixSeconds(at);
        ts->set_seconds(seconds);
        ts->set_nanos(static_cast<int32_t>(
            absl::ToInt64Nanoseconds(at - absl::FromUnixSeconds(seconds))));
        std::string when;
        internal::AppendUtc(at, &when);
        change.set_text(absl::StrCat(
            "now would have to be at least ", when, ": ", target, " reaches ",
            threshold.percent, "% of ", span->Readable(), " then (it is at ",
            status->percent(), "%)"));
        if (!rec.when.empty()) {
          AddConditionChanges(rec.when, context, true, draft);
        }
      }
    }
  }
}

bool WhyNotBuilder::Lift(const v1::Context& context, const v1::Decision& d,
                         const Standing& standing, int priority,
                         std::vector<v1::ContextChange>* changes,
                         std::string* why) {
  if (standing.approval != nullptr) {
    const std::string& needed = standing.approval->required_authority();
    v1::ContextChange& change = changes->emplace_back();
    change.set_kind("authority");
    change.set_authority(needed);
    change.set_text(absl::StrCat(
        WithArticle(needed), " may approve it: decide as \"", needed, "\""));
    return true;
  }
  if (standing.blocked != nullptr) {
    return LiftHold(context, *standing.blocked, changes, why);
  }
  if (priority < FinalFloor(plan_, d)) {
    return LiftFinal(context, d, priority, changes, why);
  }
  *why = "it is still not offered.";
  return false;
}

bool WhyNotBuilder::LiftFinal(const v1::Context& context, const v1::Decision& d,
                              int priority,
                              std::vector<v1::ContextChange>* changes,
                              std::string* why) {
  bool any = false;
  for (const internal::RulePlan& rule : plan_.rules) {
    if (!rule.final || rule.priority <= priority ||
        rule.index >= d.trace_size() || !d.trace(rule.index).fired()) {
      continue;
    }
    std::string not_stated;
    if (!ConditionChangesInto(rule.when, context, false, changes,
                              &not_stated)) {
      *why = absl::StrCat("the final rule \"", rule.id,
                          "\" stops it, and no change that lifts it can be "
                          "stated: ",
                          not_stated);
      return false;
    }
    any = true;
  }
  if (!any) *why = "no final rule above it fired.";
  return any;
}

bool WhyNotBuilder::LiftHold(const v1::Context& context,
                             const v1::BlockedAction& blocked,
                             std::vector<v1::ContextChange>* changes,
                             std::string* why) {
  const std::string& code = blocked.code();
  const std::string& by = blocked.blocked_by().source_id();
  if (code == Name(BlockedCode::kVetoed)) {
    for (const internal::RulePlan& rule : plan_.rules) {
      if (rule.id != by) continue;
      std::string not_stated;
      if (ConditionChangesInto(rule.when, context, false, changes,
                               &not_stated)) {
        *why = std::move(not_stated);  // what holds now
        return true;
      }
      *why = absl::StrCat("it is vetoed by rule \"", by,
                          "\", and no change that lifts the veto can be "
                          "stated: ",
                          not_stated);
      return false;
    }
  } else if (code == Name(BlockedCode::kStrikeLimit)) {
    for (const internal::StrikePlan& s : plan_.strikes) {
      if (s.id != by) continue;
      const int64_t count = StrikeCount(context, s);
      if (count < 0) {
        *why = absl::StrCat("the strike count of strike limit \"", s.id,
                            "\" could not be evaluated.");
        return false;
      }
      return FewerStrikes(context, s, count - (s.limit - 1), changes, why);
    }
  } else if (code == Name(BlockedCode::kBudgetExhausted)) {
    if (plan_.budgets.empty() || !ResetFrame(context).ok()) return false;
    internal::Outcome outcome;
    internal::ProposeBuffers buffers;
    const internal::DecideState state{plan_,   context,
                                      *frame_, internal::ToTime(context.now()),
                                      nullptr, buffers};
    internal::ProposeBudget(state, &outcome);
    const internal::ActionPlan& action = plan_.actions[action_];
    const int64_t remaining = outcome.budget ? outcome.budget->remaining : 0;
    const int64_t needed = std::max<int64_t>(1, action.min_amount) - remaining;
    if (needed <= 0) {
      *why = absl::StrCat(
          "the goodwill budget has ",
          internal::FormatMoney(remaining, plan_.currency),
          " left, enough for its minimum: the amount wanted is below the "
          "minimum, or earlier actions in the decision used the budget.");
      return false;
    }
    const internal::BudgetPlan& budget = plan_.budgets.front();
    v1::ContextChange& change = changes->emplace_back();
    change.set_kind("remove_events");
    change.set_event_kind(budget.granted_kind);
    change.set_amount(needed);
    change.set_text(
        absl::StrCat(internal::FormatMoney(needed, plan_.currency),
                     " more left in the goodwill budget: remove the newest \"",
                     budget.granted_kind, "\" grants worth at least ",
                     internal::FormatMoney(needed, plan_.currency)));
    return true;
  } else if (code == Name(BlockedCode::kBeyondContract)) {
    const internal::ActionPlan& action = plan_.actions[action_];
    for (const v1::Entitlement& e : policy_.entitlements()) {
      bool covers = true;
      for (const std::string& f : action.requires_features) {
        if (std::find(e.includes().begin(), e.includes().end(), f) ==
            e.includes().end()) {
          covers = false;
        }
      }
      if (!covers || e.tier() == context.customer().tier()) continue;
      v1::ContextChange& change = changes->emplace_back();
      change.set_kind("set");
      change.set_field("customer.tier");
      change.mutable_value()->set_string_value(e.tier());
      change.set_text(
          absl::StrCat("customer.tier would have to be \"", e.tier(),
                       "\", the first tier whose contract includes ",
                       absl::StrJoin(action.requires_features, ", ")));
      return true;
    }
    *why = absl::StrCat("no tier's contract includes ",
                        absl::StrJoin(action.requires_features, ", "), ".");
    return false;
  } else if (code == Name(BlockedCode::kWait)) {
    for (const internal::LadderPlan& ladder : plan_.ladders) {
      if (ladder.id != by) continue;
      const LastRung last = FindLastRung(ladder, context);
      for (int k = last.step + 1; k <= static_cast<int>(ladder.rungs.size());
           ++k) {
        const internal::RungPlan& rung = ladder.rungs[k - 1];
        if (rung.action.action != action_) continue;
        absl::Time since = last.step > 0 ? last.at
                           : context.case_().has_opened_at()
                               ? internal::ToTime(context.case_().opened_at())
                               : absl::InfinitePast();
        if (since == absl::InfinitePast()) break;
        const internal::BusinessCalendar& calendar =
            ladder.calendar >= 0 ? plan_.calendars[ladder.calendar]
                                 : internal::BusinessCalendar::AlwaysOpen();
        const absl::Time due = rung.min_wait.After(since, calendar);
        v1::ContextChange& change = changes->emplace_back();
        change.set_kind("set");
        change.set_field("now");
        google::protobuf::Timestamp* at =
            change.mutable_value()->mutable_timestamp_value();
        // Exact to the nanosecond: hosts record `at = now`, so a rung
        // offered at 10:00:00.5 falls due at a fraction of a second too.
        const int64_t seconds = absl::ToUnixSeconds(due);
        at->set_seconds(seconds);
        at->set_nanos(static_cast<int32_t>(
            absl::ToInt64Nanoseconds(due - absl::FromUnixSeconds(seconds))));
        std::string when;
        internal::AppendUtc(due, &when);
        change.set_text(absl::StrCat("now would have to be at least ", when,
                                     ": rung ", k, " waits ",
                                     rung.min_wait.Readable(),
                                     last.step > 0 ? " after the previous rung"
                                                   : " after the case opened"));
        return true;
      }
    }
  }
  *why =
      absl::StrCat("tact states no change that lifts a \"", code, "\" hold.");
  return false;
}

absl::Status WhyNotBuilder::Check(const v1::Context& context, Draft draft,
                                  v1::WhyNotPath* path) {
  if (!draft.stated) {
    Say(&draft, draft.why_not_stated);
    *path->mutable_source() = std::move(draft.source);
    return absl::OkStatus();
  }
  std::string outcome;
  for (int decisions = 1;; ++decisions) {
    v1::Context changed = context;
    DecideOptions options = options_;
    absl::Status applied;
    for (const v1::ContextChange& change : draft.changes) {
      applied = ApplyChange(change, &changed, &options);
      if (!applied.ok()) break;
    }
    if (!applied.ok()) {
      outcome = absl::StrCat(
          "Its changes could not be applied: ", applied.message(), ".");
      break;
    }
    absl::StatusOr<v1::Decision> d = Decide(changed, options);
    if (!d.ok()) {
      if (absl::IsDeadlineExceeded(d.status()) ||
          absl::IsCancelled(d.status())) {
        return d.status();
      }
      outcome = absl::StrCat("Deciding again with these changes failed: ",
                             d.status().message());
      break;
    }
    const Standing standing = Find(*d, id_);
    if (standing.recommended != nullptr) {
      path->set_verified(true);
      break;
    }
    if (decisions == kMaxDecisions) {
      outcome = absl::StrCat(
          "Deciding again with these changes still does "
          "not recommend it (after ",
          kMaxDecisions, " tries).");
      break;
    }
    std::vector<v1::ContextChange> more;
    std::string why;
    if (!Lift(changed, *d, standing, draft.priority, &more, &why)) {
      outcome = absl::StrCat(
          "Deciding again with these changes does not recommend it: ", why);
      break;
    }
    bool repeated = false;
    for (const v1::ContextChange& m : more) {
      for (const v1::ContextChange& c : draft.changes) {
        repeated = repeated || SameChange(m, c);
      }
    }
    if (repeated) {
      outcome = absl::StrCat(
          "Deciding again with these changes does not recommend it: ",
          standing.blocked != nullptr
              ? absl::StrCat("it is still held back (",
                             standing.blocked->code(), ").")
              : "the same change would be needed again.");
      break;
    }
    for (v1::ContextChange& m : more) draft.changes.push_back(std::move(m));
  }
  if (!outcome.empty()) Say(&draft, outcome);
  *path->mutable_source() = std::move(draft.source);
  for (v1::ContextChange& c : draft.changes) {
    *path->add_changes() = std::move(c);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::WhyNot> Engine::WhyNot(const v1::Context& context,
                                          absl::string_view action,
                                          const DecideOptions& options) const {
  const internal::PolicyPlan& plan = *impl_->plan;
  int index = -1;
  for (int a = 0; a < static_cast<int>(plan.actions.size()); ++a) {
    if (plan.actions[a].id == action) index = a;
  }
  if (index < 0) {
    std::string message =
        absl::StrCat("the policy has no action \"", action, "\"");
    const std::string* nearest = nullptr;
    size_t best = std::max<size_t>(2, action.size() / 3) + 1;
    for (const internal::ActionPlan& a : plan.actions) {
      size_t distance = internal::EditDistance(action, a.id);
      if (distance < best) {
        best = distance;
        nearest = &a.id;
      }
    }
    if (nearest != nullptr) {
      absl::StrAppend(&message, "; did you mean \"", *nearest, "\"?");
    }
    return absl::NotFoundError(message);
  }
  WhyNotBuilder builder(*this, plan, impl_->policy, index, options);
  return builder.Build(context);
}

}  // namespace tact
