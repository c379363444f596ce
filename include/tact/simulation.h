// Replaying many cases through a policy and totalling what it would do and
// cost: the model behind `tact simulate` and Python's Engine.simulate().
//
// Example:
//
//   std::unique_ptr<const tact::Engine> engine = ...;
//   std::vector<std::string> lines = ...;  // one Context JSON per line
//   tact::SimulationOptions options;
//   options.threads = 2;
//   tact::Simulation sim =
//       tact::Simulate(*engine, /*baseline=*/nullptr, lines, options);
//   std::cout << sim.summary.goodwill_total;  // minor units
//
//   // Against the policy in force today: what changed, by kind, and a gate.
//   std::unique_ptr<const tact::Engine> today = ...;
//   tact::Simulation diff = tact::Simulate(*engine, today.get(), lines);
//   diff.changes_by_kind[tact::ChangeKind::kParams].money;  // minor units
//   for (const tact::ChangedCase& c : diff.changed) {
//     for (const tact::Change& change : c.changes) {
//       std::cout << c.line << ": " << change.text << "\n";
//     }  // e.g. "3: credit amount 1500 -> 1250 (-2.50 USD)"
//   }
//   if (tact::FailsGate(diff, tact::DiffGate::kMoney)) return 4;
//
// The cases are decided by DecideMany (tact/batch.h). The result depends
// only on the engines and the cases, never on the number of threads: every
// case is decided into its own slot, and the slots are folded into the
// totals in case order.
#ifndef TACT_SIMULATION_H_
#define TACT_SIMULATION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tact/batch.h"
#include "tact/engine.h"
#include "tact/export.h"

namespace tact {

// Customer value bands over `customer.lifetime_value` (minor units): a case
// falls in the last band whose lower bound it reaches.
struct ValueBand {
  int64_t lower;    // inclusive, minor units
  const char* key;  // stable key used in JSON and Python
};
inline constexpr ValueBand kValueBands[] = {
    {0, "0-19999"},
    {20000, "20000-99999"},
    {100000, "100000-499999"},
    {500000, "500000+"},
};

// Per action: how often it was recommended, sent for approval, blocked.
struct ActionTally {
  int64_t recommended = 0;
  int64_t needs_approval = 0;
  std::map<std::string, int64_t> blocked;  // by code
};

// Service levels (Decision.service_levels) over many cases: one target's
// states in the cases of a tier (or of all tiers).
//   measured: cases whose state is not "none" (a clock ran);
//   within: met + ok + at_risk; breached + missed: past the span.
// A state tact does not know counts as "none".
struct ServiceLevelTally {
  int64_t measured = 0;
  int64_t met = 0;
  int64_t ok = 0;
  int64_t at_risk = 0;
  int64_t breached = 0;
  int64_t missed = 0;
  int64_t within() const { return met + ok + at_risk; }
};

// The cases of one tier (or of all) whose decision carried service levels.
struct TierServiceLevels {
  int64_t cases = 0;
  // Of them, the cases with at least one recommended action tagged
  // beyond_contract: served beyond the contracted level.
  int64_t beyond_contract_cases = 0;
  std::map<std::string, ServiceLevelTally> targets;  // by target id
};

// The service levels of a simulation. A case's tier is its statuses' tier
// (the customer's); a customer without a tier counts under the entitlement
// whose contract applied (ServiceLevelStatus.entitlement), and "(none)"
// when neither is set.
struct ServiceLevelSummary {
  // Target ids in the order they first appear in the decisions (the
  // policy's target order). Empty: no decision carried service levels.
  std::vector<std::string> targets;
  std::map<std::string, TierServiceLevels> by_tier;
  TierServiceLevels total;  // every tier
};

// part * 100 / whole in tenths of a percent, rounded half up (2 of 3:
// 667, i.e. 66.7%); -1 when whole is 0 (no share: printed "n/a", JSON
// null). The attainment of a ServiceLevelTally t is
// PercentTenths(t.within(), t.measured).
TACT_EXPORT int64_t PercentTenths(int64_t part, int64_t whole);

// What one policy did over all the cases that could be decided.
struct SimulationSummary {
  std::string policy_name;
  std::string policy_version;
  std::string currency;
  int64_t cases = 0;  // decided
  std::map<std::string, ActionTally> actions;
  // Sum of `goodwill` effects, minor units; saturated at INT64_MAX or
  // INT64_MIN with goodwill_total_overflow set when it does not fit.
  int64_t goodwill_total = 0;
  bool goodwill_total_overflow = false;
  std::map<std::string, int64_t> goodwill_by_tier;        // "(none)": no tier
  std::map<std::string, int64_t> goodwill_by_value_band;  // kValueBands keys
  int64_t cases_with_goodwill = 0;
  // Cases where a monetary action was blocked as budget_exhausted
  // (BlockedCode::kBudgetExhausted).
  int64_t budget_exhausted_cases = 0;
  // Cases given a strike limit's warning actions (at limit - 1).
  int64_t strike_warnings = 0;
  // Cases at or over a strike limit: its at-limit actions or a strike_limit
  // block.
  int64_t strike_outs = 0;
  // Cases whose decision records a strike (`strike` effect).
  int64_t strikes_recorded = 0;
  // rung_offered effects: ladder id -> step -> cases.
  std::map<std::string, std::map<int64_t, int64_t>> rungs;
  // Cases with at least one recovery-playbook step, steps by stage, and
  // cases flagged recovery_window_missed.
  int64_t recovery_cases = 0;
  std::map<std::string, int64_t> recovery_steps;
  int64_t recovery_window_missed = 0;
  // Recommended actions tagged beyond_contract, by action, and their money
  // (the action's amount parameter, when it has one).
  int64_t beyond_contract_actions = 0;
  int64_t beyond_contract_cost = 0;
  std::map<std::string, int64_t> beyond_contract_by_action;
  // The cost of service (Action.cost) of the recommended actions: the sum of
  // Decision.total_cost, minor units, and of total_agent_minutes; by tier
  // ("(none)": no tier) and by value band (kValueBands keys), as goodwill.
  // `beyond_contract_cost` includes the beyond-contract actions' costs.
  int64_t cost_to_serve_total = 0;
  int64_t agent_minutes_total = 0;
  std::map<std::string, int64_t> cost_to_serve_by_tier;
  std::map<std::string, int64_t> cost_to_serve_by_value_band;
  int64_t cases_with_cost = 0;
  // Attainment of each service-level target per tier, and the cases served
  // beyond the contracted level per tier (ServiceLevelSummary); empty when
  // the policy has no service levels.
  ServiceLevelSummary service_levels;
};

// A customer whose cost to serve exceeds SimulationOptions::
// cost_share_percent of their spend, at the first case (in case order)
// where it does.
//   spend: customer.lifetime_value (minor units), as the value bands.
//   cost to serve: this case's decision cost (Decision.total_cost) plus the
//   cost already spent, the positive amounts of the history's
//   "service_cost" events visible at now (this case's own at exactly now
//   left out, as serviceCost() does).
// Exceeds means cost_to_serve * 100 > percent * spend (so any cost exceeds
// a spend of 0).
struct CostlyCustomer {
  int64_t line = 0;
  std::string case_id;
  std::string customer_id;  // empty: listed per case
  int64_t spend = 0;
  int64_t decision_cost = 0;
  int64_t history_cost = 0;
  int64_t cost_to_serve = 0;  // decision_cost + history_cost, saturating
};

// A case that could not be decided.
struct CaseError {
  enum class Stage {
    kParse,           // no context: it did not parse (or came kFailed)
    kDecide,          // the policy could not decide on it
    kBaselineDecide,  // the baseline could not decide on it
  };
  int64_t line = 0;  // SimulationCase::line
  Stage stage = Stage::kParse;
  std::string message;  // the first line of the status message
};

// What changed in a case between the baseline's decision and the policy's.
// A case changed when anything a host would act on changed. Compared:
// the recommended actions (ids, in rank order), their parameters (values;
// the action's amount_param is money), what the agent reads and how the
// action is marked (title, text, tags, beyond_contract, playbook_stage),
// the blocked actions (action, code and the construct that blocked it),
// needs_approval (action, parameters, required_authority), the effects
// (kind, ref, amount, step) and the flags (code, source). Not compared:
// scores, priorities, reasons and their texts, the trace: they explain a
// decision but a host does not act on them; nor the service levels' states
// (a clock's state is where the case stands, not an action: each side's
// attainment is in its summary, SimulationSummary::service_levels; the
// sla_threshold effects and sla_breached flags they cause are compared).
enum class ChangeKind {
  kActionsAdded,    // an action now recommended that was not before
  kActionsRemoved,  // an action no longer recommended
  kOrder,           // the actions both recommend, in another order
  kParams,          // a parameter of an action both recommend
  kDetails,         // title, text (when the parameters are the same),
                    // tags, beyond_contract or playbook_stage of an action
                    // both recommend
  kBlocked,         // a blocked action added, removed, or its code or
                    // blocker changed
  kNeedsApproval,   // an action sent for approval added or removed, or its
                    // required_authority or parameters changed
  kEffects,         // an effect added, removed, or its amount or step
                    // changed
  kFlags,           // a flag raised or no longer raised
  kUndecidable,     // one side could not decide the case and the other
                    // could: "policy could not decide: <message>" or
                    // "baseline could not decide: <message>". Every gate
                    // fails on it (an error where there was a decision is
                    // the worst change; a decision where the baseline erred
                    // changes what a host does too). When both sides fail,
                    // the case is an error, not a change.
};
inline constexpr int kChangeKinds = 10;

// The stable key of `kind`, used in JSON and Python: "actions_added",
// "actions_removed", "order", "params", "details", "blocked",
// "needs_approval", "effects", "flags", "undecidable".
TACT_EXPORT const char* ChangeKindName(ChangeKind kind);

// One change in one case, as a readable line, e.g.
// "goodwill_credit amount 1500 -> 1250 (-2.50 USD)".
struct Change {
  ChangeKind kind = ChangeKind::kActionsAdded;
  std::string text;
  // Money moved by this change, after - before, in minor units of the
  // policy's currency: the amount parameter (an action's amount_param) of
  // an action added (+), removed (-), whose amount changed, or sent for
  // approval with another amount; a `goodwill` effect's amount. 0 for the
  // rest, and 0 for every change when the two policies have different
  // currencies (Simulation::currency_changed): minor units of two
  // currencies are not subtracted.
  int64_t money = 0;
};

// The changes of one kind over all the cases.
struct ChangeTally {
  int64_t cases = 0;  // cases with at least one change of this kind
  int64_t money = 0;  // sum of Change::money (after - before)
  // The sum did not fit in int64: `money` is saturated at INT64_MAX or
  // INT64_MIN and printed as "overflow".
  bool money_overflow = false;
};

// A case whose decision differs between the baseline and the policy.
struct ChangedCase {
  int64_t line = 0;
  std::string case_id;
  std::vector<std::string> before;  // recommended action ids, in rank order
  std::vector<std::string> after;
  // e.g. "+goodwill_credit (ladder unhappy_customer)",
  // "-larger_credit (blocked budget_exhausted by budget goodwill)".
  std::vector<std::string> reasons;
  // Every change a host would act on (see ChangeKind), in ChangeKind order,
  // and the kinds among them (distinct, in order).
  std::vector<Change> changes;
  std::vector<ChangeKind> kinds;
  // Goodwill given in this case, after - before (minor units; the sum of
  // the `goodwill` effects' amounts); saturated and goodwill_overflow set
  // when it does not fit in int64.
  int64_t goodwill_delta = 0;
  bool goodwill_overflow = false;
};

struct Simulation {
  int64_t lines = 0;  // cases read (non-empty lines)
  SimulationSummary summary;
  bool has_baseline = false;
  SimulationSummary baseline;
  int64_t error_count = 0;
  std::vector<CaseError> errors;  // the first max_listed_errors, in order
  int64_t changed_count = 0;
  std::vector<ChangedCase> changed;  // the first max_listed_changes
  // With a baseline: how each policy is named in the output
  // (SimulationOptions::policy_label, ::baseline_label).
  std::string policy_label;
  std::string baseline_label;
  // With a baseline: the changed cases by kind. Every kind has an entry.
  // A case counts once per kind it has; the money of different kinds
  // overlaps (an amount change usually changes the goodwill effect too), so
  // the kinds' money does not add up to goodwill_delta.
  std::map<ChangeKind, ChangeTally> changes_by_kind;
  // Goodwill given over the cases both policies decided, policy - baseline
  // (summary.goodwill_total - baseline.goodwill_total), in minor units of
  // summary.currency; saturated and goodwill_delta_overflow set when it does
  // not fit in int64 (printed as "overflow").
  int64_t goodwill_delta = 0;
  bool goodwill_delta_overflow = false;
  // Cases where money moved: goodwill changed, an action-level change
  // (actions_added, actions_removed, params, needs_approval) moved money
  // (Change::money not 0: amounts swapped between two actions move money
  // even when they cancel out), or the effects changes' money does not
  // add up to zero in the case (a renamed budget removes and adds the same
  // goodwill: no money moved). And cases whose recommended actions changed
  // (actions_added, actions_removed or order).
  int64_t money_changed_count = 0;
  int64_t actions_changed_count = 0;
  // Cases one side could decide and the other could not (ChangeKind::
  // kUndecidable; also counted in changed_count and listed in errors).
  int64_t undecidable_count = 0;
  // The policy's currency differs from the baseline's (summary.currency,
  // baseline.currency): no money delta is computed across currencies
  // (every Change::money is 0), and the `any` and `money` gates fail.
  bool currency_changed = false;
  // Set when SimulationOptions::cost_share_percent >= 0: the customers
  // (distinct customer ids; a case without one counts alone) whose cost to
  // serve exceeds that share of their spend, counted and the first
  // max_listed_costly listed, in case order.
  bool has_cost_share = false;
  double cost_share_percent = 0;
  int64_t costly_count = 0;
  std::vector<CostlyCustomer> costly;
};

// What makes a diff fail a gate (`tact simulate --fail-on`).
// Every gate but kNone also fails on a case only one side could decide
// (undecidable_count).
enum class DiffGate {
  kNone,     // never fails
  kAny,      // any changed case, or the currency changed
  kMoney,    // a case where money moved (money_changed_count), or the
             // currency changed (currency_changed)
  kActions,  // a case whose recommended actions or their order changed
             // (actions_changed_count)
};

// True when `sim` has a baseline and a change that `gate` fails on.
TACT_EXPORT bool FailsGate(const Simulation& sim, DiffGate gate);

// Minor units as a decimal amount in `currency`, with the currency's ISO
// 4217 exponent: 1250, "USD" -> "12.50 USD"; 250, "JPY" -> "250 JPY";
// 1250, "KWD" -> "1.250 KWD"; no currency: two decimals, no suffix.
TACT_EXPORT std::string FormatMinorUnits(int64_t minor_units,
                                         const std::string& currency);

struct SimulationOptions {
  // Worker threads sharing the engines (BatchOptions::threads): 0 or less
  // means one per core. Default: 0.
  int threads = 0;
  // Decide as this authority (DecideOptions::authority). Default: "".
  std::string authority;
  // How many undecidable cases to list (all are counted). Default: 20.
  int max_listed_errors = 20;
  // How many changed cases to list (all are counted). Default: 1000.
  int max_listed_changes = 1000;
  // Called now and then from the calling thread with (done, total) while
  // the workers run, and once at the end (BatchOptions::progress).
  // Default: none.
  std::function<void(int64_t, int64_t)> progress;
  // Every case's decision stops at this deadline or when `*cancel` is set
  // (DecideOptions::deadline, ::cancel): the cases not decided by then are
  // counted as errors ("decision deadline passed", "decision cancelled").
  // Default: none.
  absl::Time deadline = absl::InfiniteFuture();
  const std::atomic<bool>* cancel = nullptr;
  // How the policy and the baseline are named (Simulation::policy_label,
  // ::baseline_label). Default: "" each, meaning "name@version", followed
  // by " (policy)" and " (baseline)" when both are the same name@version
  // (a host that knows the files should name them instead, as
  // `tact simulate` does).
  std::string policy_label;
  std::string baseline_label;
  // List the customers whose cost to serve exceeds this percentage of their
  // spend (Simulation::costly, CostlyCustomer). Negative or not finite: no
  // list. Default: -1.
  double cost_share_percent = -1;
  // How many such customers to list (all are counted). Default: 100.
  int max_listed_costly = 100;
};

// One case to simulate: the position it is reported under (e.g. its line
// in a JSON Lines file, 1-based) and its context.
struct SimulationCase {
  int64_t line = 0;
  BatchContext context;
};

// Decides every case with `policy` and, when not null, `baseline` (the same
// parsed context), and totals the decisions, folding them in the order of
// `cases`. A case that does not parse or cannot be decided is counted and
// listed in `errors` and left out of both summaries; with a baseline, a
// case only one side could decide is also a change (kUndecidable). Never
// fails.
// Thread-compatible; the engines are shared by the workers.
TACT_EXPORT Simulation Simulate(const Engine& policy, const Engine* baseline,
                                absl::Span<const SimulationCase> cases,
                                const SimulationOptions& options = {});

// As above for JSON Lines: every non-empty line of `lines` (one
// tact.v1.Context in proto3 JSON) is a case reported under its 1-based line
// number; lines of only spaces, tabs and CRs are ignored.
TACT_EXPORT Simulation Simulate(const Engine& policy, const Engine* baseline,
                                const std::vector<std::string>& lines,
                                const SimulationOptions& options = {});

}  // namespace tact

#endif  // TACT_SIMULATION_H_
