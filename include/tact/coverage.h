// Policy coverage: which parts of a policy a set of decisions reached, and
// which none did. The model behind `tact test --coverage`.
//
// Example:
//
//   std::unique_ptr<const tact::Engine> engine = ...;
//   tact::PolicyCoverage coverage(*engine);
//   tact::DecideOptions options;
//   options.trace = true;  // rules are known to have fired from the trace
//   for (const tact::v1::Context& context : contexts) {
//     absl::StatusOr<tact::v1::Decision> decision =
//         engine->Decide(context, options);
//     if (decision.ok()) coverage.Add(*decision).IgnoreError();
//   }
//   tact::CoverageReport report = coverage.Report();
//   std::cout << tact::FormatCoverage(report);
//   if (!tact::MeetsCoverage(report, 85.0)) return 1;
//
// The items to reach are everything the policy declares that a decision can
// show, enumerated from the policy in policy order:
//
//   rules          every rule: it fired (RuleTrace.fired; a rule that only
//                  vetoes counts when it fired, a rule shadowed by a final
//                  rule did not fire)
//   rungs          every rung of every ladder: offered (a rung_offered
//                  effect). A rung sent for approval is not offered yet (the
//                  decision records no rung for it), nor is one waiting
//                  (blocked "wait")
//   strike_limits  per limit: "warning" (one of its warning actions, when it
//                  has any), "at_limit" (one of its at_limit actions or a
//                  strike_limit block by it, when it has either), "strike"
//                  (a strike effect, when it has current_is_strike)
//   playbooks      per playbook: its stages "apology", "fix" (when it has a
//                  fix), "surprise" (when it has gestures), "compensation"
//                  (when it has compensation or a compensation ladder) — an
//                  action at that stage, recommended or sent for approval —
//                  and "recovery_window_missed" (the flag)
//   budgets        per budget, when the policy has a monetary action:
//                  "granted" (a goodwill effect), "clipped" (a monetary
//                  action the budget reduced), "exhausted" (a
//                  budget_exhausted block)
//   service_levels per service-level target, each threshold that applies
//                  to it: acted on (an sla_threshold effect for the target
//                  at that percent)
//
// Rules need the trace (DecideOptions::trace). A rule seen firing in any
// traced decision is reached. When some decision of a policy with rules has
// no trace, the rules not seen firing are listed as unknown (they may have
// fired there), not as never reached; they count as not reached in the
// percentages (a threshold fails closed) and FormatCoverage says why.
//
// The report depends only on the decisions added, never on their order.
#ifndef TACT_COVERAGE_H_
#define TACT_COVERAGE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tact/engine.h"
#include "tact/export.h"

namespace tact {

// The kinds of coverage item, in report order.
enum class CoverageCategory {
  kRules,          // "rules"
  kRungs,          // "rungs"
  kStrikeLimits,   // "strike_limits"
  kPlaybooks,      // "playbooks"
  kBudgets,        // "budgets"
  kServiceLevels,  // "service_levels"
};

// "rules", "rungs", "strike_limits", "playbooks", "budgets",
// "service_levels".
TACT_EXPORT absl::string_view Name(CoverageCategory category);

// One thing the policy declares that decisions can reach.
struct CoverageItem {
  // The rule, ladder, strike limit, playbook or budget id; the
  // service-level target's id.
  std::string id;
  // The rung, from 1, for a rung; the percent for a service-level
  // threshold; else 0.
  int64_t step = 0;
  // What is reached: "fired" (a rule), "offered" (a rung), "warning",
  // "at_limit", "strike", "apology", "fix", "surprise", "compensation",
  // "recovery_window_missed", "granted", "clipped", "exhausted",
  // "threshold".
  std::string outcome;
  // Readable: `rule "late_delivery"`, `ladder "unhappy" rung 2`,
  // `strike_limit "time_wasting" at_limit`, `playbook "failure" fix`,
  // `budget "goodwill" clipped`, `service_level "first_reply" at 75%`.
  std::string label;
  // How many decisions reached it.
  int64_t decisions = 0;
};

// The coverage of one category. Every item is in exactly one list, each
// list in policy order.
struct CategoryCoverage {
  CoverageCategory category = CoverageCategory::kRules;
  std::vector<CoverageItem> reached;
  std::vector<CoverageItem> not_reached;
  // Rules only: not seen firing, but some decision had no trace.
  std::vector<CoverageItem> unknown;
  // reached.size(), and the number of items in all three lists.
  int64_t reached_count = 0;
  int64_t total = 0;
  // reached_count / total in tenths of a percent, rounded down (857 for
  // 12/14, 85.714%; 999 for 999/1000, never 100.0% before everything is
  // reached). 1000 when total is 0: nothing to reach.
  int64_t percent_tenths = 1000;
};

struct CoverageReport {
  std::string policy_name;
  std::string policy_version;
  // Decisions added, and those of them without a rule trace.
  int64_t decisions = 0;
  int64_t untraced_decisions = 0;
  // All six categories, in CoverageCategory order (empty ones included).
  std::vector<CategoryCoverage> categories;
  // Over all categories, as in CategoryCoverage.
  int64_t reached_count = 0;
  int64_t total = 0;
  int64_t percent_tenths = 1000;
};

// The coverage of one policy's decisions: a fold over decisions.
// Thread-compatible: Add and Report on one object need outside
// synchronization; separate objects are independent.
class TACT_EXPORT PolicyCoverage {
 public:
  // The items to reach, from `engine`'s policy. The engine need not outlive
  // this object.
  explicit PolicyCoverage(const Engine& engine);
  ~PolicyCoverage();
  PolicyCoverage(PolicyCoverage&&) noexcept;
  PolicyCoverage& operator=(PolicyCoverage&&) noexcept;

  // Counts what `decision` reached. Returns InvalidArgument, counting
  // nothing, when the decision is another policy's (its policy_hash is not
  // the engine's), naming both.
  absl::Status Add(const v1::Decision& decision);

  // What the decisions added so far reached and did not.
  CoverageReport Report() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The report as text, for `tact test --coverage`: a first line with the
// total, then one line per category ("rules 12/14 (85.7%)") followed by its
// items never reached and unknown, one per line, indented:
//
//   coverage 15/19 (78.9%) over 6 decisions
//   rules 1/2 (50.0%)
//     never reached: rule "vip_gesture"
//   rungs 2/2 (100.0%)
//   strike_limits 2/3 (66.6%)
//     never reached: strike_limit "wasting" warning
//   ...
//
// A category with no items reads "rungs 0/0 (none declared)". Deterministic.
TACT_EXPORT std::string FormatCoverage(const CoverageReport& report);

// Whether the report's total coverage is at least `min_percent` (0 to 100),
// taken to one decimal: 85.7 passes 12/14 (85.714%), 85.8 fails it; exactly
// the threshold passes. A report with nothing to reach meets every
// threshold. A NaN threshold is never met.
TACT_EXPORT bool MeetsCoverage(const CoverageReport& report,
                               double min_percent);

// Parses a coverage threshold as a user types it: "85", "85.5" or "85.5%",
// from 0 to 100, at most one decimal. Returns InvalidArgument naming the
// text otherwise.
TACT_EXPORT absl::StatusOr<double> ParseCoveragePercent(absl::string_view text);

}  // namespace tact

#endif  // TACT_COVERAGE_H_
