#include "src/policy/ranker.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/policy/constructs/construct_table.h"
#include "src/policy/decision_writer.h"
#include "src/policy/ranked.h"
#include "src/policy/service_cost.h"
#include "src/policy/template.h"

namespace tact::internal {
namespace {

// The highest score: the largest finite double.
constexpr double kMaxScore = std::numeric_limits<double>::max();

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

// Whole minor units: doubles round down; negative and NaN become 0, huge
// values saturate (and so need every limit and budget to allow them).
int64_t ToMinorUnits(const Value& v) {
  if (v.type == ValueType::kInt) return std::max<int64_t>(0, v.int_value);
  if (v.type != ValueType::kDouble || !(v.double_value > 0)) return 0;
  if (v.double_value >= 9.2e18) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(std::floor(v.double_value));
}

// Blocks `r`, whose amount `value` is no money (zero or less, or not a
// number), as `non_positive_amount`, with a reason naming the expression
// of the reference whose parameters it carries.
void HoldNonPositive(const PolicyPlan& plan, const RankedAction& r,
                     const Value& value, RankScratch* scratch) {
  const ActionPlan& action = plan.actions[r.action];
  const Candidate* from = nullptr;
  for (int i = 0; i < r.source_count; ++i) {
    if (&r.sources[i]->params == r.params) from = r.sources[i];
  }
  SourceRef source = from != nullptr ? from->reason.source : SourceRef{};
  ReasonRef& why = scratch->notes.Add();
  std::string* text = why.StartRendered(source);
  absl::StrAppend(text, "The amount of \"", action.id, "\"");
  if (from != nullptr && from->from != nullptr) {
    for (const ParamPlan& p : from->from->params) {
      if (p.name == action.amount_param) {
        absl::StrAppend(text, ", ", p.name, " = ", p.source, ",");
      }
    }
  }
  if (value.type == ValueType::kInt) {
    absl::StrAppend(text, " evaluates to ",
                    FormatMoney(value.int_value, plan.currency));
  } else if (value.type == ValueType::kDouble &&
             std::isfinite(value.double_value)) {
    // Below one minor unit in magnitude shows as 0.00.
    double whole = std::max(-9.2e18, std::min(9.2e18, value.double_value));
    absl::StrAppend(text, " evaluates to ",
                    FormatMoney(static_cast<int64_t>(whole), plan.currency));
  } else {
    text->append(" is not a number");
  }
  text->append(
      ": an amount of zero or less is not offered; check the expression.");
  BlockedRef& blocked = scratch->blocked.emplace_back();
  blocked.action = r.action;
  blocked.code = BlockedCode::kNonPositiveAmount;
  blocked.by_note = static_cast<int>(scratch->notes.size()) - 1;
  blocked.wanted = r;
}

// Makes every monetary amount whole minor units, so the passes (the
// budget, the authority limits) and the host never see a fraction of a
// cent. Money is never nonsense: an action whose amount is zero or less in
// whole minor units is blocked as `non_positive_amount` instead.
void NormalizeAmounts(const PolicyPlan& plan, RankScratch* scratch) {
  std::vector<RankedAction>& ranked = scratch->ranked;
  size_t kept = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    const RankedAction& r = ranked[i];
    const ActionPlan& action = plan.actions[r.action];
    if (action.monetary()) {
      if (Value* amount = FindParam(r.params, action.amount_param);
          amount != nullptr) {
        const Value value = *amount;
        *amount = Value::Int(ToMinorUnits(value));
        if (amount->int_value <= 0) {
          HoldNonPositive(plan, r, value, scratch);
          continue;
        }
      }
    }
    ranked[kept++] = r;
  }
  ranked.resize(kept);
}

}  // namespace

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
    // Finite weights (and factors) can sum (multiply) past the largest
    // double: scores saturate there instead of printing as "Infinity".
    const double score = std::min(weight, kMaxScore) * factors[a];
    r.score = std::isnan(score) ? 0.0 : std::min(score, kMaxScore);
    scratch->ranked.push_back(r);
  }

  SortRanked(plan.actions, &scratch->ranked);
  NormalizeAmounts(plan, scratch);
  // The constructs' ranking passes, in decide order.
  const AdjustState state{plan, context, outcome, caller_authority,
                          decision->trace_level() == v1::TRACE_FULL
                              ? decision->mutable_construct_trace()
                              : nullptr};
  for (size_t i = 0; i < std::size(kConstructs); ++i) {
    const Construct& construct = kConstructs[i];
    if (construct.adjust != nullptr && plan.HasConstruct(i)) {
      construct.adjust(state, scratch);
    }
  }

  WriteRanking(plan, outcome, *scratch, decision);
  WriteServiceCosts(plan, context, *scratch, decision);
  // Each effect is the event to append: in this case, at now.
  thread_local StringSite case_id_site;
  for (v1::Effect& e : *decision->mutable_effects()) {
    case_id_site.Set(e.case_id(), context.case_().id(),
                     [&e] { return e.mutable_case_id(); });
    *e.mutable_at() = context.now();
  }
}

}  // namespace tact::internal
