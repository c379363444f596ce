// Renderings of a Simulation: readable text for `tact simulate` and JSON for
// programs (--json). The JSON keys are those of python/tact/simulation.py.
#ifndef TACT_SRC_CLI_SIMULATION_PRINTER_H_
#define TACT_SRC_CLI_SIMULATION_PRINTER_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "tact/simulation.h"

namespace tact::cli {

// Writes the totals as text: per action recommended / needs approval /
// blocked by code, goodwill (total, by tier, by value band), budget
// exhaustion, strikes, ladder rungs, recovery steps, beyond-contract actions,
// and when a decision carried service levels, their attainment per tier and
// target and the cases served beyond the contracted level per tier; with a
// baseline, both policies side by side (named by their labels), the
// changed cases by kind with their money and the goodwill delta, and the
// changed cases with their change lines (at most `max_changes` listed).
// Then the cases that could not be decided.
void PrintSimulationText(const Simulation& sim, std::ostream& out,
                         int max_changes = 50);

// The simulation as a JSON object: {"lines", "errors": {"count", "first"},
// "summary": {...}, "baseline": {...}, "changed": {"count",
// "policy_label", "baseline_label", "goodwill_delta", "money_changed",
// "actions_changed", "by_kind": {kind: {"cases", "money"}}, "first": [{
// "line", "case_id", "before", "after", "reasons", "kinds", "changes":
// [{"kind", "text", "money"}], "goodwill_delta"}]}}; "baseline" and
// "changed" only with a baseline. A summary has "service_levels" only when
// a decision carried service levels (docs/cli.md#tact-simulate). Money in minor
// units of the policy's currency. Deterministic bytes.
std::string SimulationToJson(const Simulation& sim);

// A share in tenths of a percent (tact::PercentTenths) as "66.7%"; "n/a"
// when there is none (-1: nothing measured).
std::string FormatPercentTenths(int64_t tenths);

// The target ids of `s` and then those only `b` has (b may be null): the
// service-level targets a report shows, in the policies' order.
std::vector<std::string> ServiceLevelTargets(const ServiceLevelSummary& s,
                                             const ServiceLevelSummary* b);

// Formats minor units in `currency` as "1234.50 USD" (two decimals).
std::string FormatMinorUnits(int64_t minor_units, const std::string& currency);

// A money delta as "+2.50 USD", "-2.50 USD" or "0.00 USD".
std::string MoneyDelta(int64_t minor_units, const std::string& currency);

// An undecidable case as listed: "cannot parse: <message>", "cannot decide:
// ..." or "baseline cannot decide: ...".
std::string CaseErrorText(const CaseError& error);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_SIMULATION_PRINTER_H_
