// The HTML report of `tact simulate --report`: one self-contained file with
// inline SVG charts drawn here and tables sorted by a few lines of inline
// JavaScript. No network, no external files: it opens offline anywhere.
#ifndef TACT_SRC_CLI_REPORT_HTML_H_
#define TACT_SRC_CLI_REPORT_HTML_H_

#include <string>

#include "tact/simulation.h"

namespace tact::cli {

// The files the simulation read, shown in the report's header.
struct ReportSources {
  std::string policy_path;
  std::string baseline_path;  // empty without a baseline
  std::string cases_path;
};

// Renders `sim` as an HTML document. Charts, each an <svg class="chart"
// data-chart=NAME> whose bars are <rect class="bar">, one per:
//   "actions"  action recommended at least once (by action id);
//   "goodwill-by-tier"  tier that received goodwill;
//   "rungs"    (ladder, step) offered at least once;
//   "cost"     cost metric (goodwill, beyond-contract cost) per policy:
//              2 bars, or 4 with a baseline.
//   "sla-attainment"  (tier, target), and all tiers per target, of the
//              service levels measured at least once (attainment; the
//              full bar is 100%); only when a
//              decision carried service levels, with their table (states
//              counted, the baseline's attainment beside) and the cases
//              served beyond the contracted level per tier.
// With a baseline, a "Changed decisions" section: both policies by their
// labels, the goodwill delta, a table of changed cases and money per change
// kind, and the first 200 changed cases with their kinds and change lines.
// Deterministic: the same simulation gives the same bytes.
std::string RenderHtmlReport(const Simulation& sim,
                             const ReportSources& sources);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_REPORT_HTML_H_
