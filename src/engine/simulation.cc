#include "tact/simulation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/engine/decision_outcomes.h"
#include "src/engine/service_level_totals.h"
#include "src/engine/simulation_diff.h"
#include "tact/batch.h"
#include "tact/codes.h"
#include "tact/engine.h"

namespace tact {
namespace {

// What the totals and the change list need from one decision; kept instead
// of the Decision so 100,000 cases fit in memory.
struct DecisionFacts {
  std::vector<std::string> actions;  // rank order
  std::vector<std::string> sources;  // per action: "rule x, ladder y"
  std::vector<std::string> needs_approval;
  std::vector<std::pair<std::string, std::string>> blocked;  // action, code
  std::vector<std::string> blocked_by;  // "budget goodwill"
  int64_t goodwill = 0;
  bool budget_exhausted = false;
  bool strike_warning = false;
  bool strike_out = false;
  bool strike_recorded = false;
  std::vector<std::pair<std::string, int64_t>> rungs;  // ladder, step
  std::vector<std::string> stages;
  bool window_missed = false;
  std::vector<std::pair<std::string, int64_t>> beyond;  // action, cost
  int64_t cost = 0;                                     // Decision.total_cost
  int64_t agent_minutes = 0;
  internal::CaseServiceLevels service_levels;
};

struct CaseRecord {
  bool decided = false;
  // With a baseline: only one side could decide (diff holds the
  // kUndecidable change; main or base the other side's facts).
  bool one_side = false;
  CaseError::Stage error_stage = CaseError::Stage::kParse;
  std::string error;  // when not decided
  std::string case_id;
  std::string tier;
  int64_t lifetime_value = 0;
  DecisionFacts main;
  DecisionFacts base;
  internal::DecisionDiff diff;  // with a baseline: base -> main
  std::string customer_id;
  int64_t history_cost = 0;  // service_cost already spent (HistoryCost)
};

// a + b, saturating (internal::SaturatingAdd without the flag).
int64_t SaturatingAdd(int64_t a, int64_t b) {
  bool overflow = false;
  return internal::SaturatingAdd(a, b, &overflow);
}

// The cost of service already spent on the customer, as CostlyCustomer
// defines it: the positive amounts of the "service_cost" events at or before
// now, but for this case's own at exactly now.
int64_t HistoryCost(const v1::Context& context) {
  const google::protobuf::Timestamp& now = context.now();
  const std::string& case_id = context.case_().id();
  int64_t total = 0;
  for (const v1::Event& e : context.history()) {
    if (e.kind() != Name(EffectKind::kServiceCost) || e.amount() <= 0) continue;
    const google::protobuf::Timestamp& at = e.at();
    const bool after =
        at.seconds() > now.seconds() ||
        (at.seconds() == now.seconds() && at.nanos() > now.nanos());
    if (after) continue;
    const bool at_now =
        at.seconds() == now.seconds() && at.nanos() == now.nanos();
    if (at_now && !case_id.empty() && e.case_id() == case_id) continue;
    total = SaturatingAdd(total, e.amount());
  }
  return total;
}

std::string SourceOf(const v1::Reason& reason) {
  return absl::StrCat(reason.source_kind(), " ", reason.source_id());
}

DecisionFacts Extract(const v1::Decision& decision,
                      const internal::OutcomeClassifier& policy) {
  DecisionFacts f;
  for (const v1::RecommendedAction& a : decision.actions()) {
    f.actions.push_back(a.action());
    std::vector<std::string> sources;
    for (const v1::Reason& r : a.reasons()) {
      std::string source = SourceOf(r);
      if (std::find(sources.begin(), sources.end(), source) == sources.end()) {
        sources.push_back(std::move(source));
      }
    }
    f.sources.push_back(absl::StrJoin(sources, ", "));
    if (a.beyond_contract()) {
      int64_t cost = 0;
      if (const std::string* param = policy.AmountParam(a.action())) {
        for (const v1::Param& p : a.params()) {
          if (p.name() == *param &&
              p.value().kind_case() == v1::Value::kIntValue) {
            cost = p.value().int_value();
          }
        }
      }
      f.beyond.emplace_back(a.action(), SaturatingAdd(cost, a.cost()));
    }
  }
  for (const v1::RecommendedAction& a : decision.needs_approval()) {
    f.needs_approval.push_back(a.action());
  }
  for (const v1::BlockedAction& b : decision.blocked()) {
    f.blocked.emplace_back(b.action(), b.code());
    f.blocked_by.push_back(SourceOf(b.blocked_by()));
  }
  internal::DecisionOutcomes o =
      policy.Classify(decision, /*count_needs_approval=*/false);
  f.goodwill = o.goodwill;
  f.budget_exhausted = !o.budget_exhausted.empty();
  f.strike_out = !o.strikes_at_limit.empty();
  // A decision at one limit is not also warned of another.
  f.strike_warning = !f.strike_out && !o.strike_warnings.empty();
  f.strike_recorded = !o.strikes_recorded.empty();
  f.rungs = std::move(o.rungs);
  for (internal::StagedAction& staged : o.stages) {
    f.stages.push_back(std::move(staged.stage));
  }
  f.window_missed = !o.windows_missed.empty();
  f.cost = decision.total_cost();
  f.agent_minutes = decision.total_agent_minutes();
  f.service_levels = internal::ServiceLevelsOf(decision);
  return f;
}

const char* BandOf(int64_t lifetime_value) {
  const char* key = kValueBands[0].key;
  for (const ValueBand& band : kValueBands) {
    if (lifetime_value >= band.lower) key = band.key;
  }
  return key;
}

// The cost to serve of one decision into the totals.
void AddCosts(const CaseRecord& c, const DecisionFacts& f,
              SimulationSummary* s) {
  s->cost_to_serve_total = SaturatingAdd(s->cost_to_serve_total, f.cost);
  s->agent_minutes_total =
      SaturatingAdd(s->agent_minutes_total, f.agent_minutes);
  if (f.cost == 0 && f.agent_minutes == 0) return;
  ++s->cases_with_cost;
  int64_t& tier = s->cost_to_serve_by_tier[c.tier.empty() ? "(none)" : c.tier];
  tier = SaturatingAdd(tier, f.cost);
  int64_t& band = s->cost_to_serve_by_value_band[BandOf(c.lifetime_value)];
  band = SaturatingAdd(band, f.cost);
}

void Add(const CaseRecord& c, const DecisionFacts& f, SimulationSummary* s) {
  ++s->cases;
  for (const std::string& a : f.actions) ++s->actions[a].recommended;
  for (const std::string& a : f.needs_approval) ++s->actions[a].needs_approval;
  for (const auto& [action, code] : f.blocked)
    ++s->actions[action].blocked[code];
  s->goodwill_total = internal::SaturatingAdd(s->goodwill_total, f.goodwill,
                                              &s->goodwill_total_overflow);
  if (f.goodwill != 0) {
    ++s->cases_with_goodwill;
    int64_t& tier = s->goodwill_by_tier[c.tier.empty() ? "(none)" : c.tier];
    tier = SaturatingAdd(tier, f.goodwill);
    int64_t& band = s->goodwill_by_value_band[BandOf(c.lifetime_value)];
    band = SaturatingAdd(band, f.goodwill);
  }
  if (f.budget_exhausted) ++s->budget_exhausted_cases;
  if (f.strike_warning) ++s->strike_warnings;
  if (f.strike_out) ++s->strike_outs;
  if (f.strike_recorded) ++s->strikes_recorded;
  for (const auto& [ladder, step] : f.rungs) ++s->rungs[ladder][step];
  if (!f.stages.empty()) ++s->recovery_cases;
  for (const std::string& stage : f.stages) ++s->recovery_steps[stage];
  if (f.window_missed) ++s->recovery_window_missed;
  for (const auto& [action, cost] : f.beyond) {
    ++s->beyond_contract_actions;
    s->beyond_contract_cost = SaturatingAdd(s->beyond_contract_cost, cost);
    ++s->beyond_contract_by_action[action];
  }
  AddCosts(c, f, s);
  // Served beyond the contracted level: the beyond-contract actions above.
  internal::AddServiceLevels(f.service_levels, !f.beyond.empty(),
                             &s->service_levels);
}

// Whether `cost` exceeds `percent` % of `spend`: cost * 100 > percent *
// spend, exactly, with the percentage rounded to millionths of a percent
// (so 9.7 is 9.7, not the double just below it) and in 128-bit integers.
__extension__ typedef __int128 Int128;  // GCC and Clang

bool ExceedsShare(int64_t cost, int64_t spend, double percent) {
  if (cost <= 0) return false;
  if (spend <= 0) return true;
  const long double scaled =
      std::round(static_cast<long double>(percent) * 1e6L);
  const Int128 millionths =
      scaled >= 9.2e18L
          ? static_cast<Int128>(std::numeric_limits<int64_t>::max())
          : static_cast<Int128>(static_cast<int64_t>(scaled));
  return static_cast<Int128>(cost) * 100 * 1000000 >
         millionths * static_cast<Int128>(spend);
}

// The customers whose cost to serve exceeds options.cost_share_percent of
// their spend, each once, at their first such case (CostlyCustomer).
void ListCostlyCustomers(const std::vector<CaseRecord>& records,
                         absl::Span<const SimulationCase> cases,
                         const SimulationOptions& options, Simulation* sim) {
  const double percent = options.cost_share_percent;
  if (!(percent >= 0) || !std::isfinite(percent)) return;
  sim->has_cost_share = true;
  sim->cost_share_percent = percent;
  std::set<std::string> listed;
  for (size_t i = 0; i < records.size(); ++i) {
    const CaseRecord& c = records[i];
    if (!c.decided) continue;
    CostlyCustomer costly;
    costly.line = cases[i].line;
    costly.case_id = c.case_id;
    costly.customer_id = c.customer_id;
    costly.spend = c.lifetime_value;
    costly.decision_cost = c.main.cost;
    costly.history_cost = c.history_cost;
    costly.cost_to_serve = SaturatingAdd(c.main.cost, c.history_cost);
    if (!ExceedsShare(costly.cost_to_serve, costly.spend, percent)) continue;
    if (!c.customer_id.empty() && !listed.insert(c.customer_id).second) {
      continue;
    }
    ++sim->costly_count;
    if (static_cast<int>(sim->costly.size()) < options.max_listed_costly) {
      sim->costly.push_back(std::move(costly));
    }
  }
}

// Why `after` differs from `before`: actions added (and who added them),
// removed (and what held them back, if anything did), sent for approval.
std::vector<std::string> ChangeReasons(const DecisionFacts& before,
                                       const DecisionFacts& after) {
  std::vector<std::string> reasons;
  auto index = [](const std::vector<std::string>& v, const std::string& a) {
    return static_cast<int>(std::find(v.begin(), v.end(), a) - v.begin());
  };
  for (size_t i = 0; i < after.actions.size(); ++i) {
    if (index(before.actions, after.actions[i]) ==
        static_cast<int>(before.actions.size())) {
      reasons.push_back(
          absl::StrCat("+", after.actions[i], " (", after.sources[i], ")"));
    }
  }
  for (size_t i = 0; i < before.actions.size(); ++i) {
    const std::string& a = before.actions[i];
    if (index(after.actions, a) != static_cast<int>(after.actions.size())) {
      continue;
    }
    std::string why =
        absl::StrCat("no longer recommended; was ", before.sources[i]);
    for (size_t j = 0; j < after.blocked.size(); ++j) {
      if (after.blocked[j].first == a) {
        why = absl::StrCat("blocked ", after.blocked[j].second, " by ",
                           after.blocked_by[j]);
        break;
      }
    }
    if (index(after.needs_approval, a) !=
        static_cast<int>(after.needs_approval.size())) {
      why = "needs approval";
    }
    reasons.push_back(absl::StrCat("-", a, " (", why, ")"));
  }
  if (reasons.empty() && before.actions != after.actions) {
    reasons.push_back("same actions, new order");
  }
  if (before.needs_approval != after.needs_approval) {
    reasons.push_back(absl::StrCat(
        "needs approval: [", absl::StrJoin(before.needs_approval, ", "),
        "] -> [", absl::StrJoin(after.needs_approval, ", "), "]"));
  }
  return reasons;
}

// Counts the changed case `c` (reported under `line`) into `sim`.
void AddChange(const CaseRecord& c, int64_t line,
               const SimulationOptions& options, Simulation* sim) {
  ++sim->changed_count;
  const std::vector<ChangeKind> kinds = internal::KindsOf(c.diff.changes);
  for (ChangeKind kind : kinds) ++sim->changes_by_kind[kind].cases;
  if (std::find(kinds.begin(), kinds.end(), ChangeKind::kUndecidable) !=
      kinds.end()) {
    ++sim->undecidable_count;
  }
  // Money moved when goodwill did, an action-level change moved money
  // (amounts swapped between two actions cancel out but still move
  // money), or the effects' money does not net to zero in this case (a
  // budget renamed removes and adds the same goodwill: no money moved).
  bool money = c.diff.goodwill_delta != 0 || c.diff.goodwill_overflow;
  int64_t effects_money = 0;
  bool effects_overflow = false;
  for (const Change& change : c.diff.changes) {
    ChangeTally& tally = sim->changes_by_kind[change.kind];
    tally.money = internal::SaturatingAdd(tally.money, change.money,
                                          &tally.money_overflow);
    switch (change.kind) {
      case ChangeKind::kActionsAdded:
      case ChangeKind::kActionsRemoved:
      case ChangeKind::kParams:
      case ChangeKind::kNeedsApproval:
        money |= change.money != 0;
        break;
      case ChangeKind::kEffects:
        effects_money = internal::SaturatingAdd(effects_money, change.money,
                                                &effects_overflow);
        break;
      default:
        break;
    }
  }
  money |= effects_money != 0 || effects_overflow;
  if (money) ++sim->money_changed_count;
  for (ChangeKind kind : kinds) {
    if (kind == ChangeKind::kActionsAdded ||
        kind == ChangeKind::kActionsRemoved || kind == ChangeKind::kOrder) {
      ++sim->actions_changed_count;
      break;
    }
  }
  if (static_cast<int>(sim->changed.size()) < options.max_listed_changes) {
    ChangedCase changed;
    changed.line = line;
    changed.case_id = c.case_id;
    changed.before = c.base.actions;
    changed.after = c.main.actions;
    changed.reasons = ChangeReasons(c.base, c.main);
    changed.changes = c.diff.changes;
    changed.kinds = kinds;
    changed.goodwill_delta = c.diff.goodwill_delta;
    changed.goodwill_overflow = c.diff.goodwill_overflow;
    sim->changed.push_back(std::move(changed));
  }
}

// The policies' labels: the options', else name@version, told apart by
// " (policy)" and " (baseline)" when both are the same.
void SetLabels(const SimulationOptions& options, Simulation* sim) {
  sim->policy_label = options.policy_label;
  sim->baseline_label = options.baseline_label;
  const std::string policy =
      absl::StrCat(sim->summary.policy_name, "@", sim->summary.policy_version);
  const std::string baseline = absl::StrCat(sim->baseline.policy_name, "@",
                                            sim->baseline.policy_version);
  const bool same = policy == baseline;
  if (sim->policy_label.empty()) {
    sim->policy_label = same ? absl::StrCat(policy, " (policy)") : policy;
  }
  if (sim->baseline_label.empty()) {
    sim->baseline_label =
        same ? absl::StrCat(baseline, " (baseline)") : baseline;
  }
}

std::string FirstLine(absl::string_view message) {
  size_t end = message.find('\n');
  return std::string(message.substr(0, end));
}

}  // namespace

Simulation Simulate(const Engine& policy, const Engine* baseline,
                    absl::Span<const SimulationCase> cases,
                    const SimulationOptions& options) {
  const internal::OutcomeClassifier main_facts(policy.policy());
  const internal::OutcomeClassifier base_facts(
      baseline != nullptr ? baseline->policy()
                          : v1::Policy::default_instance());
  const internal::AmountParams main_amounts =
      internal::AmountParamsOf(policy.policy());
  const internal::AmountParams base_amounts = internal::AmountParamsOf(
      baseline != nullptr ? baseline->policy()
                          : v1::Policy::default_instance());
  BatchOptions batch_options;
  batch_options.decide.authority = options.authority;
  batch_options.decide.deadline = options.deadline;
  batch_options.decide.cancel = options.cancel;
  batch_options.threads = options.threads;
  batch_options.progress = options.progress;

  std::vector<BatchContext> batch;
  batch.reserve(cases.size());
  for (const SimulationCase& c : cases) batch.push_back(c.context);
  std::vector<CaseRecord> records(cases.size());
  auto fail = [](CaseRecord& record, CaseError::Stage stage,
                 const absl::Status& status) {
    record.error_stage = stage;
    record.error = FirstLine(status.message());
  };
  const bool count_money =
      baseline != nullptr &&
      baseline->policy().currency() == policy.policy().currency();
  // The case only one side decided: a change of kind kUndecidable.
  auto one_side = [](CaseRecord& record, const char* who) {
    record.one_side = true;
    record.diff.changes.push_back(
        {ChangeKind::kUndecidable,
         absl::StrCat(who, " could not decide: ", record.error), 0});
  };
  DecideMany(
      policy, batch, batch_options,
      [&](size_t i, const v1::Context* context,
          absl::StatusOr<v1::Decision>& decision) {
        CaseRecord& record = records[i];
        if (context == nullptr) {
          return fail(record, CaseError::Stage::kParse, decision.status());
        }
        record.case_id = context->case_().id();
        if (!decision.ok()) {
          fail(record, CaseError::Stage::kDecide, decision.status());
          if (baseline == nullptr) return;
          // Run the baseline anyway: a case the policy can no longer
          // decide is a change when the baseline could.
          absl::StatusOr<v1::Decision> before =
              baseline->Decide(*context, batch_options.decide);
          if (!before.ok()) return;  // neither side: an error only
          record.base = Extract(*before, base_facts);
          return one_side(record, "policy");
        }
        record.main = Extract(*decision, main_facts);
        if (baseline != nullptr) {
          absl::StatusOr<v1::Decision> before =
              baseline->Decide(*context, batch_options.decide);
          if (!before.ok()) {
            fail(record, CaseError::Stage::kBaselineDecide, before.status());
            return one_side(record, "baseline");
          }
          record.base = Extract(*before, base_facts);
          record.diff = internal::DiffDecisions(
              *before, base_amounts, *decision, main_amounts,
              policy.policy().currency(), count_money);
        }
        record.decided = true;
        record.tier = context->customer().tier();
        record.lifetime_value = context->customer().lifetime_value();
        record.customer_id = context->customer().id();
        record.history_cost = HistoryCost(*context);
      });

  Simulation sim;
  sim.summary.policy_name = policy.policy().name();
  sim.summary.policy_version = policy.policy().version();
  sim.summary.currency = policy.policy().currency();
  sim.has_baseline = baseline != nullptr;
  if (baseline != nullptr) {
    sim.baseline.policy_name = baseline->policy().name();
    sim.baseline.policy_version = baseline->policy().version();
    sim.baseline.currency = baseline->policy().currency();
    sim.currency_changed = !count_money;
    SetLabels(options, &sim);
    for (int k = 0; k < kChangeKinds; ++k) {
      sim.changes_by_kind[static_cast<ChangeKind>(k)];
    }
  }
  sim.lines = static_cast<int64_t>(cases.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const CaseRecord& c = records[i];
    const int64_t line = cases[i].line;
    if (!c.decided) {
      ++sim.error_count;
      if (static_cast<int>(sim.errors.size()) < options.max_listed_errors) {
        sim.errors.push_back({line, c.error_stage, c.error});
      }
      if (c.one_side) AddChange(c, line, options, &sim);
      continue;
    }
    Add(c, c.main, &sim.summary);
    if (baseline == nullptr) continue;
    Add(c, c.base, &sim.baseline);
    if (!c.diff.changes.empty()) AddChange(c, line, options, &sim);
  }
  sim.goodwill_delta = internal::SaturatingSub(sim.summary.goodwill_total,
                                               sim.baseline.goodwill_total,
                                               &sim.goodwill_delta_overflow);
  if (sim.summary.goodwill_total_overflow ||
      sim.baseline.goodwill_total_overflow) {
    sim.goodwill_delta_overflow = true;
  }
  if (sim.currency_changed) {  // no money delta across currencies
    sim.goodwill_delta = 0;
    sim.goodwill_delta_overflow = false;
  }
  ListCostlyCustomers(records, cases, options, &sim);
  return sim;
}

Simulation Simulate(const Engine& policy, const Engine* baseline,
                    const std::vector<std::string>& lines,
                    const SimulationOptions& options) {
  // Blank lines are not cases; the others keep their line numbers.
  std::vector<SimulationCase> cases;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find_first_not_of(" \t\r") == std::string::npos) continue;
    cases.push_back(
        {static_cast<int64_t>(i) + 1, BatchContext::Json(lines[i])});
  }
  return Simulate(policy, baseline, cases, options);
}

}  // namespace tact
