// Goodwill budgets: reward customers without "throwing the bank at every
// customer" (seed 002), in integer minor units, never above what remains.
#include "src/policy/constructs/goodwill_budget.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "src/policy/candidates.h"
#include "src/policy/constructs/common.h"
#include "src/policy/constructs/construct_trace.h"
#include "src/policy/constructs/entitlements.h"
#include "src/policy/plan.h"
#include "src/policy/policy_compiler.h"
#include "src/policy/template.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

// What the history calls money granted, unless the budget says otherwise:
// the kind of the effect the budget emits.
constexpr absl::string_view kDefaultGrantedKind = Name(EffectKind::kGoodwill);
// The id of a budget that names none.
constexpr absl::string_view kDefaultBudgetId = "goodwill";

// A cap expression's value in minor units; doubles round down. Negative or
// failed caps count as 0: no money rather than unbounded money.
int64_t CapValue(const Value& v) {
  if (v.type == ValueType::kInt) return std::max<int64_t>(0, v.int_value);
  if (v.type == ValueType::kDouble && std::isfinite(v.double_value)) {
    double floored = std::floor(v.double_value);
    if (floored <= 0) return 0;
    if (floored >= 9.2e18) return std::numeric_limits<int64_t>::max();
    return static_cast<int64_t>(floored);
  }
  return 0;
}

// Saturating addition of non-negative amounts.
int64_t AddClamped(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  return a + b;
}

absl::Time WindowStart(const BudgetPlan& budget, const PolicyPlan& plan,
                       absl::Time now) {
  switch (budget.period) {
    case v1::GoodwillBudget::CALENDAR_MONTH:
    case v1::GoodwillBudget::CALENDAR_QUARTER:
    case v1::GoodwillBudget::CALENDAR_YEAR:
      break;
    default:
      // A rolling window needs no calendar (nor its time zone lookup).
      return now - budget.window.length;
  }
  const absl::TimeZone zone = budget.calendar >= 0
                                  ? plan.calendars[budget.calendar].time_zone()
                                  : absl::UTCTimeZone();
  absl::CivilMonth month = absl::ToCivilMonth(now, zone);
  switch (budget.period) {
    case v1::GoodwillBudget::CALENDAR_QUARTER: {
      int first = static_cast<int>((month.month() - 1) / 3 * 3 + 1);
      return absl::FromCivil(absl::CivilMonth(month.year(), first), zone);
    }
    case v1::GoodwillBudget::CALENDAR_YEAR:
      return absl::FromCivil(absl::CivilYear(month.year()), zone);
    default:
      return absl::FromCivil(month, zone);
  }
}

// What `budget` has left before this decision, per cap.
BudgetLeft LeftBefore(const BudgetState& budget) {
  BudgetLeft left;
  left.window =
      std::max<int64_t>(0, budget.window_cap - budget.granted_in_window);
  if (budget.case_cap >= 0) {
    left.per_case =
        std::max<int64_t>(0, budget.case_cap - budget.granted_in_case);
  }
  return left;
}

// The amounts AdjustBudget grants the monetary actions of `ranked`, in rank
// order, when `left` is what the budget has left: the same clipping, without
// its notes.
void PlanGrants(const PolicyPlan& plan, const std::vector<RankedAction>& ranked,
                const BudgetLeft& left, std::vector<int64_t>* grants) {
  grants->clear();
  int64_t spent = 0;
  for (const RankedAction& r : ranked) {
    const ActionPlan& action = plan.actions[r.action];
    if (!action.monetary()) continue;
    const Value* param = FindParam(r.params, action.amount_param);
    const int64_t wanted = param == nullptr ? 0 : param->int_value;
    const Clip clip = ClipToBudget(left, spent, wanted, action.min_amount);
    if (clip.blocked) continue;
    grants->push_back(clip.granted);
    spent += clip.granted;
  }
}

// Removes from `*recorded` (amounts) one entry equal to `amount`; whether
// there was one.
bool TakeRecorded(int64_t amount, std::vector<int64_t>* recorded) {
  auto it = std::find(recorded->begin(), recorded->end(), amount);
  if (it == recorded->end()) return false;
  recorded->erase(it);
  return true;
}

// Splits the grants recorded in this case at now (`*recorded`) into this
// decision's own, which stay in `*recorded`, and the rest, which `*budget`
// counts as granted: a recorded grant is this decision's own when the
// decision grants that amount again. Counting one can shrink this
// decision's grants, so the split repeats until it holds; each round counts
// at least one more, and after the first at most one per monetary action is
// left.
void SplitRecordedGrants(const PolicyPlan& plan,
                         const std::vector<RankedAction>& ranked,
                         BudgetState* budget, std::vector<int64_t>* recorded) {
  std::vector<int64_t> grants;
  std::vector<int64_t> unmatched;
  while (!recorded->empty()) {
    PlanGrants(plan, ranked, LeftBefore(*budget), &grants);
    unmatched = *recorded;
    std::vector<int64_t> own;
    for (int64_t g : grants) {
      if (TakeRecorded(g, &unmatched)) own.push_back(g);
    }
    if (unmatched.empty()) return;
    for (int64_t amount : unmatched) {
      budget->granted_in_window = AddClamped(budget->granted_in_window, amount);
      budget->granted_in_case = AddClamped(budget->granted_in_case, amount);
    }
    *recorded = std::move(own);
  }
}

// What the budget has left, naming the cap that bound: "0.00 EUR left for
// this customer (200.00 EUR per window, 0.00 EUR already granted)".
// `the` starts the sentence: "The" or "the".
void AppendLeft(absl::string_view the, const BudgetState& budget,
                const Clip& clip, int64_t spent, absl::string_view currency,
                std::string* text) {
  const bool per_case = budget.case_cap >= 0 &&
                        (clip.bound == BudgetBound::kPerCase ||
                         (clip.bound == BudgetBound::kThisDecision &&
                          budget.case_cap - budget.granted_in_case <=
                              budget.window_cap - budget.granted_in_window));
  absl::StrAppend(text, the, " goodwill budget has ",
                  FormatMoney(clip.remaining, currency), " left");
  if (clip.bound == BudgetBound::kThisDecision) {
    absl::StrAppend(text, " after the ", FormatMoney(spent, currency),
                    " granted earlier in this decision (");
  } else {
    absl::StrAppend(text,
                    per_case ? " for this case (" : " for this customer (");
  }
  if (per_case) {
    absl::StrAppend(text, FormatMoney(budget.case_cap, currency), " per case, ",
                    FormatMoney(budget.granted_in_case, currency),
                    " already granted in this case");
  } else {
    absl::StrAppend(
        text, FormatMoney(budget.window_cap, currency), " per window, ",
        FormatMoney(budget.granted_in_window, currency), " already granted");
  }
  if (spent > 0 && clip.bound != BudgetBound::kThisDecision) {
    absl::StrAppend(text, ", ", FormatMoney(spent, currency),
                    " earlier in this decision");
  }
  text->append(")");
}

// The budget's trace entry: the caps and grants `budget` counted (after
// this decision's own recorded grants were told apart), what `left` was
// and what this decision asked for (`wanted`) and granted (`granted`).
void TraceBudget(const PolicyPlan& plan, const BudgetPlan& budget_plan,
                 const BudgetState& budget, const BudgetLeft& left,
                 int64_t wanted, int64_t granted, v1::ConstructTrace* entry) {
  v1::BudgetTrace* trace = entry->mutable_budget();
  const std::string& currency = plan.currency;
  trace->set_currency(currency);
  trace->set_window_cap(budget.window_cap);
  if (budget_plan.period == v1::GoodwillBudget::ROLLING) {
    SetTraceDuration(budget_plan.window.length, trace->mutable_window());
  }
  SetTraceTime(budget.window_start, trace->mutable_window_start());
  trace->set_granted_in_window(budget.granted_in_window);
  trace->set_case_cap(budget.case_cap);
  trace->set_granted_in_case(budget.granted_in_case);
  const int64_t remaining =
      left.per_case >= 0 ? std::min(left.window, left.per_case) : left.window;
  trace->set_remaining(remaining);
  trace->set_wanted_now(wanted);
  trace->set_granted_now(granted);
  std::string* summary = entry->mutable_summary();
  absl::StrAppend(summary, "Granted ",
                  FormatMoney(budget.granted_in_window, currency), " of ",
                  FormatMoney(budget.window_cap, currency), " in the window");
  if (budget_plan.period == v1::GoodwillBudget::ROLLING) {
    absl::StrAppend(summary, " of ", budget_plan.window.Readable());
  }
  summary->append(" (since ");
  AppendUtc(budget.window_start, summary);
  summary->append(")");
  if (budget.case_cap >= 0) {
    absl::StrAppend(summary, ", ",
                    FormatMoney(budget.granted_in_case, currency), " of ",
                    FormatMoney(budget.case_cap, currency), " in this case");
  }
  absl::StrAppend(summary, "; ", FormatMoney(remaining, currency), " left; ");
  if (wanted == 0) {
    summary->append("this decision grants nothing.");
  } else {
    absl::StrAppend(summary, "this decision may grant ",
                    FormatMoney(granted, currency));
    if (granted < wanted) {
      absl::StrAppend(summary, " of the ", FormatMoney(wanted, currency),
                      " wanted");
    }
    summary->append(".");
  }
  auto list = [&](absl::string_view what,
                  const google::protobuf::RepeatedPtrField<std::string>& ids) {
    if (ids.empty()) return;
    absl::StrAppend(summary, " ", what, ": ");
    for (int k = 0; k < ids.size(); ++k) {
      if (k > 0) summary->append(", ");
      summary->append(ids.Get(k));
    }
    summary->append(".");
  };
  list("Reduced", trace->clipped());
  list("Held as budget_exhausted", trace->exhausted());
}

}  // namespace

void CompileBudgets(PolicyCompiler& c) {
  const v1::Policy& policy = c.policy();
  if (policy.budgets_size() > 1) {
    c.Error("budgets[1]", "",
            "a policy has at most one goodwill budget; every monetary action "
            "draws from it");
  }
  for (int i = 0; i < policy.budgets_size(); ++i) {
    const v1::GoodwillBudget& b = policy.budgets(i);
    std::string path = absl::StrCat("budgets[", i, "]");
    std::string element = absl::StrCat("budget \"", b.id(), "\"");
    BudgetPlan budget;
    budget.id = b.id().empty() ? std::string(kDefaultBudgetId) : b.id();
    budget.period = b.period();
    budget.granted_kind = b.granted_kind().empty()
                              ? std::string(kDefaultGrantedKind)
                              : b.granted_kind();
    budget.calendar = c.Calendar(b.calendar(), path + ".calendar", element);
    if (b.period() == v1::GoodwillBudget::ROLLING) {
      if (b.window().empty()) {
        c.Error(path + ".window", element,
                "a rolling budget needs a window, e.g. \"30d\"");
      } else {
        budget.window = c.Duration(b.window(), path + ".window", element);
        if (budget.window.business) {
          c.Error(path + ".window", element,
                  "a budget window is calendar time");
        }
      }
    }
    if (b.per_window().empty()) {
      c.Error(path + ".per_window", element,
              "a budget needs a cap per window in minor units, e.g. "
              "\"min(20000, customer.spend_12m / 20)\"");
    } else {
      budget.per_window =
          c.Expression(b.per_window(), nullptr, path + ".per_window", element);
    }
    if (!b.per_case().empty()) {
      budget.per_case =
          c.Expression(b.per_case(), nullptr, path + ".per_case", element);
    }
    for (ExprId id : {budget.per_window, budget.per_case}) {
      if (id < 0) continue;
      ValueType t = c.program().TypeOf(id);
      if (t != ValueType::kInt && t != ValueType::kDouble) {
        c.Error(path, element,
                absl::StrCat("a budget cap must be a number of minor units, "
                             "got ",
                             TypeName(t)));
      }
    }
    // A literal negative cap is a mistake worth catching at load.
    for (const std::string* cap : {&b.per_window(), &b.per_case()}) {
      if (!cap->empty() && (*cap)[0] == '-') {
        c.Error(
            cap == &b.per_window() ? path + ".per_window" : path + ".per_case",
            element,
            absl::StrCat("the cap \"", *cap,
                         "\" is negative; a cap is at least 0"));
      }
    }
    c.plan().budgets.push_back(std::move(budget));
  }
}

bool HasBudget(const PolicyPlan& plan) { return !plan.budgets.empty(); }

void ProposeBudget(const DecideState& state, Outcome* outcome) {
  const PolicyPlan& plan = state.plan;
  if (plan.budgets.empty()) return;
  const BudgetPlan& budget = plan.budgets.front();
  BudgetState result;
  result.id = budget.id;
  const std::string& granted_kind = budget.granted_kind;
  result.window_cap =
      CapValue(plan.program->Evaluate(budget.per_window, state.frame));
  if (budget.per_case >= 0) {
    result.case_cap =
        CapValue(plan.program->Evaluate(budget.per_case, state.frame));
  }
  absl::Time start = WindowStart(budget, plan, state.now);
  result.window_start = start;
  const std::string& case_id = state.context.case_().id();
  outcome->grants_at_now.clear();
  for (const v1::Event& e : state.frame.history()) {  // at <= now
    // A grant is an event of the budget's granted kind, or this budget's own
    // effect as a host records it (kind "goodwill", ref = the budget's id),
    // whatever granted_kind says: recording what tact emits must count.
    const bool own_effect =
        e.kind() == kDefaultGrantedKind && e.ref() == budget.id;
    if (e.amount() <= 0 || (e.kind() != granted_kind && !own_effect)) continue;
    absl::Time at = ToTime(e.at());
    // Perhaps this decision's own grant, recorded when the case was decided
    // at this same now: AdjustBudget counts it unless it grants it again.
    if (!case_id.empty() && e.case_id() == case_id && e.ref() == budget.id &&
        at == state.now) {
      outcome->grants_at_now.push_back(e.amount());
      continue;
    }
    if (at >= start) {
      result.granted_in_window =
          AddClamped(result.granted_in_window, e.amount());
    }
    if (!case_id.empty() && e.case_id() == case_id) {
      result.granted_in_case = AddClamped(result.granted_in_case, e.amount());
    }
  }
  int64_t remaining =
      std::max<int64_t>(0, result.window_cap - result.granted_in_window);
  if (result.case_cap >= 0) {
    remaining = std::min(
        remaining,
        std::max<int64_t>(0, result.case_cap - result.granted_in_case));
  }
  result.remaining = remaining;
  outcome->budget = result;
}

Clip ClipToBudget(const BudgetLeft& left, int64_t spent, int64_t wanted,
                  int64_t min_amount) {
  const bool case_is_smaller =
      left.per_case >= 0 && left.per_case <= left.window;
  const int64_t before = case_is_smaller ? left.per_case : left.window;
  Clip clip;
  clip.remaining = std::max<int64_t>(0, before - spent);
  clip.granted = std::min(wanted, clip.remaining);
  clip.blocked = clip.granted < std::max<int64_t>(1, min_amount);
  if (clip.blocked) clip.granted = 0;
  if (wanted > clip.remaining) {
    clip.bound = before >= wanted  ? BudgetBound::kThisDecision
                 : case_is_smaller ? BudgetBound::kPerCase
                                   : BudgetBound::kPerWindow;
  }
  return clip;
}

Clip ClipToBudget(int64_t remaining, int64_t wanted, int64_t min_amount) {
  return ClipToBudget(BudgetLeft{remaining, -1}, 0, wanted, min_amount);
}

void AdjustBudget(const AdjustState& state, RankScratch* scratch) {
  if (!state.outcome.budget.has_value()) return;
  const PolicyPlan& plan = state.plan;
  BudgetState budget = *state.outcome.budget;
  const SourceRef source{SourceKind::kBudget, 0, budget.id};
  std::vector<RankedAction>& ranked = scratch->ranked;
  // Re-deciding at the same now: the grants recorded then that this
  // decision grants again are not counted and not emitted again; any other
  // grant recorded at now counts like every past one.
  std::vector<int64_t> recorded;
  if (!state.outcome.grants_at_now.empty()) {
    recorded = state.outcome.grants_at_now;
    SplitRecordedGrants(plan, ranked, &budget, &recorded);
  }
  const BudgetLeft left = LeftBefore(budget);
  int64_t spent = 0;  // granted earlier in this decision
  // With TRACE_FULL: this budget's entry (the actions it clipped or held
  // are listed as it goes).
  v1::ConstructTrace* entry = nullptr;
  int64_t wanted_now = 0;
  if (state.construct_trace != nullptr) {
    entry = AddConstructTrace(state.construct_trace, SourceKind::kBudget,
                              budget.id);
  }
  std::vector<RankedAction>& alternatives = scratch->alternatives;
  alternatives.clear();
  // Whether `a` is recommended, blocked or already offered as an
  // alternative: an alternative is offered at most once, and never past a
  // decision already made about it.
  auto decided = [&](int a) {
    for (const RankedAction& r : ranked) {
      if (r.action == a) return true;
    }
    for (const RankedAction& r : alternatives) {
      if (r.action == a) return true;
    }
    return scratch->IsBlocked(a);
  };
  size_t kept = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    RankedAction& r = ranked[i];
    const ActionPlan& action = plan.actions[r.action];
    if (!action.monetary()) {
      ranked[kept++] = r;
      continue;
    }
    Value* param = FindParam(r.params, action.amount_param);
    // NormalizeAmounts made every amount a non-negative int.
    int64_t wanted = param == nullptr ? 0 : param->int_value;
    const Clip clip = ClipToBudget(left, spent, wanted, action.min_amount);
    if (entry != nullptr) {
      wanted_now = AddClamped(wanted_now, wanted);
      if (clip.blocked) {
        entry->mutable_budget()->add_exhausted(action.id);
      } else if (clip.granted < wanted) {
        entry->mutable_budget()->add_clipped(action.id);
      }
    }
    if (clip.blocked) {
      ReasonRef& why = scratch->notes.Add();
      int why_index = static_cast<int>(scratch->notes.size()) - 1;
      std::string* text = why.StartRendered(source);
      AppendLeft("The", budget, clip, spent, plan.currency, text);
      text->append("; ");
      if (clip.bound == BudgetBound::kNone) {
        // The budget covers it: the amount itself is below the minimum.
        absl::StrAppend(text, "the ", FormatMoney(wanted, plan.currency),
                        " wanted is below the ",
                        FormatMoney(action.min_amount, plan.currency),
                        " that makes this gesture meaningful.");
      } else if (action.min_amount > 0) {
        absl::StrAppend(text, "below the ",
                        FormatMoney(action.min_amount, plan.currency),
                        " that makes this gesture meaningful.");
      } else {
        text->append("nothing left to give.");
      }
      BlockedRef blocked;
      blocked.action = r.action;
      blocked.code = BlockedCode::kBudgetExhausted;
      blocked.by_note = why_index;
      blocked.wanted = r;
      scratch->blocked.push_back(blocked);
      if (action.alternative >= 0 && !decided(action.alternative)) {
        RankedAction alt;
        alt.action = action.alternative;
        alt.priority = r.priority;
        alt.stage = r.stage;
        alt.score = r.score;
        // The alternative stands in for the gesture: a ladder rung it
        // replaces still counts as offered, so the next decision moves on.
        alt.sources = r.sources;
        alt.source_count = r.source_count;
        alt.reasons_from_sources = false;
        absl::StrAppend(scratch->AddNote(&alt).StartRendered(source),
                        "Offered instead of \"", action.id,
                        "\": the goodwill budget is used up, so a non-monetary "
                        "gesture keeps the relationship warm.");
        // Offered by the budget, it meets the same holds and entitlements
        // as any candidate.
        if (const Hold* hold = scratch->HoldOn(alt.action); hold != nullptr) {
          BlockedRef held;
          held.action = alt.action;
          held.code = hold->code;
          held.by_hold = &hold->by;
          held.wanted = alt;
          scratch->blocked.push_back(held);
        } else if (Entitle(plan, state.context, &alt, scratch)) {
          alternatives.push_back(alt);
        }
      }
      continue;
    }
    const int64_t granted = clip.granted;
    if (granted < wanted) {
      *param = Value::Int(granted);
      std::string* text = scratch->AddNote(&r).StartRendered(source);
      absl::StrAppend(text, "Reduced from ", FormatMoney(wanted, plan.currency),
                      " to ", FormatMoney(granted, plan.currency), ": ");
      AppendLeft("the", budget, clip, spent, plan.currency, text);
      text->append(".");
    }
    spent += granted;
    if (!TakeRecorded(granted, &recorded)) {
      scratch->SetEffect(
          &r, EffectRef{EffectKind::kGoodwill, budget.id, granted, 0});
    }
    ranked[kept++] = r;
  }
  ranked.resize(kept);
  ranked.insert(ranked.end(), alternatives.begin(), alternatives.end());
  SortRanked(plan.actions, &ranked);
  if (entry != nullptr) {
    TraceBudget(plan, plan.budgets.front(), budget, left, wanted_now, spent,
                entry);
  }
}

}  // namespace tact::internal
