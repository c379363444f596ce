// The constructs: escalation ladders, strike limits, goodwill budgets,
// recovery playbooks, entitlements and authority. Each compiles through the
// PolicyCompiler and, at decision time, adds candidates, holds, effects and
// flags to the one Outcome that the ranker turns into the Decision.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCTS_H_
#define TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCTS_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "src/expr/program.h"
#include "src/policy/outcome.h"
#include "src/policy/ranked.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

class PolicyCompiler;
struct PolicyPlan;

// Everything a construct reads while deciding.
struct DecideState {
  const PolicyPlan& plan;
  const v1::Context& context;
  Frame& frame;
  absl::Time now;
};

// --- Load time: each reports its mistakes through the compiler. ---
void CompileLadders(PolicyCompiler& c);
void CompileStrikeLimits(PolicyCompiler& c);
void CompileBudgets(PolicyCompiler& c);
void CompilePlaybooks(PolicyCompiler& c);
void CompileEntitlements(PolicyCompiler& c);

// --- Decision time, in this order. ---

// Strike limits: warning and at-limit candidates, suppression holds, the
// `strike` effect when the current case is a strike.
void RunStrikeLimits(const DecideState& state, Outcome* outcome);

// Recovery playbooks: staged apology, fix, surprise and compensation; the
// `recovery_window_missed` flag past the fix deadline. Also restages the
// compensation ladder's candidates (call after RunLadders).
void RunPlaybooks(const DecideState& state, Outcome* outcome);

// Ladders: the next rung (or the exhausted outcome) of every ladder whose
// situation holds, with the `rung_offered` effect; a "wait" hold while the
// next rung is not yet due.
void RunLadders(const DecideState& state, Outcome* outcome);

// Goodwill budget: what remains for this customer and case.
void RunBudget(const DecideState& state, Outcome* outcome);

// --- Ranking passes, over merged actions in rank order. ---

// Entitlements: marks actions of scratch->ranked beyond the customer's
// contract (WARN, with a note) or moves them to scratch->blocked (SUPPRESS).
void ApplyEntitlements(const PolicyPlan& plan, const v1::Context& context,
                       RankScratch* scratch);

// The entitlement check of one action: returns false when it is suppressed
// (and then listed in scratch->blocked), true when it stays (marked and
// noted when beyond the contract).
bool Entitle(const PolicyPlan& plan, const v1::Context& context,
             RankedAction* r, RankScratch* scratch);

// Makes every monetary amount whole, non-negative minor units (doubles round
// down, NaN and negatives become 0), so later passes and the host never see
// a fraction of a cent.
void NormalizeAmounts(const PolicyPlan& plan,
                      std::vector<RankedAction>* ranked);

// Clips monetary amounts of scratch->ranked, in rank order, to what the
// budget has left; an amount below the action's minimum is blocked as
// `budget_exhausted` and its alternative offered instead, unless the
// alternative is already recommended or blocked. An offered alternative is
// a candidate like any other: a hold on it (even one nobody else's
// candidate met) blocks it, and it passes the entitlement check.
// REQUIRES: scratch->ranked sorted, scratch->holds grouped by action.
// Leaves it sorted.
void ApplyBudget(const PolicyPlan& plan, const v1::Context& context,
                 const BudgetState& budget, RankScratch* scratch);

// Sets required_authority on actions the caller (`caller`, an index into
// plan.authorities; -1 = unrestricted) may not take alone.
void ApplyAuthority(const PolicyPlan& plan, int caller, RankScratch* scratch);

// A stable 64-bit FNV-1a hash, for deterministic per-customer choices.
uint64_t StableHash(absl::string_view text);

// "2026-03-10T15:00:00Z": RFC 3339 in UTC to the second, for reasons.
// Cheaper than absl::FormatTime, which matters on the decision path.
// Appended to `*out`, reusing its capacity.
void AppendUtc(absl::Time t, std::string* out);

// The context's timestamp as absl::Time.
absl::Time ToTime(const google::protobuf::Timestamp& t);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCTS_H_
