// Compiled forms of the five constructs and entitlements (data only; each
// construct's compile and run functions live in its own file).
#ifndef TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_PLANS_H_
#define TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_PLANS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "src/expr/program.h"
#include "src/policy/calendar.h"
#include "src/policy/plan_parts.h"
#include "src/policy/template.h"

namespace tact::internal {

struct RungPlan {
  RecommendationPlan action;
  std::vector<Conjunct> entry;  // empty: no direct entry
  Span min_wait;
  // min_wait.Readable(), rendered once at load for the decisions' texts.
  std::string min_wait_text;
  Template reason;
};

struct LadderPlan {
  std::string id;
  std::vector<Conjunct> when;
  std::vector<RungPlan> rungs;
  std::vector<RecommendationPlan> exhausted;
  Template exhausted_reason;
  int priority = 0;
  double weight = 1.0;
  int calendar = -1;  // index into PolicyPlan::calendars; -1 always open
};

struct StrikePlan {
  std::string id;
  // history.count(e, counts && inside the window): an int.
  ExprId count = -1;
  int limit = 0;
  std::vector<Conjunct> current_is_strike;  // empty: never
  std::vector<RecommendationPlan> warning;
  std::vector<RecommendationPlan> at_limit;
  std::vector<int> suppress;
  Template warning_reason;
  Template limit_reason;
  int priority = 0;
  Span window;
  // window.Readable(), rendered once at load for the decisions' texts.
  std::string window_text;
};

struct BudgetPlan {
  std::string id;
  int period = 0;  // v1::GoodwillBudget::Period
  Span window;
  ExprId per_window = -1;
  ExprId per_case = -1;  // -1: no per-case cap
  std::string granted_kind;
  int calendar = -1;
};

// A recovery's steps rank by PlaybookStage (tact/codes.h, StageRank):
// apology, fix, surprise, compensation, whatever the scores.
struct PlaybookPlan {
  std::string id;
  std::vector<Conjunct> when;
  int apology = -1;
  RecommendationPlan fix;  // action -1 when none
  Span fix_within;
  // fix_within.Readable(), rendered once at load for the decisions' texts.
  std::string fix_within_text;
  std::vector<RecommendationPlan> surprise;
  std::vector<RecommendationPlan> compensation;
  int compensation_ladder = -1;  // index into PolicyPlan::ladders
  Template reason;
  int priority = 0;
  int calendar = -1;
};

// The facts conditions read of each service-level target, as
// `sla.<target>.<fact>` (ProgramBuilder::DeclareComputed), in this order.
enum class SlaFact : int {
  kState,      // string: "none", "ok", "at_risk", "breached", "met", "missed"
  kElapsed,    // duration: time counted against the span
  kRemaining,  // duration: span - elapsed (negative once past due); unset
               // when the state is "none"
  kDue,        // timestamp; unset when "none" or paused before due
  kPercent,    // int: elapsed * 100 / span, rounded down
  kThreshold,  // int: the highest threshold reached, 0 none
  kPaused,     // bool
  kBreached,   // bool: "breached" or "missed"
};
inline constexpr int kSlaFactCount = 8;

struct ServiceTargetPlan {
  std::string id;
  int measure = 0;  // v1::ServiceLevelTarget::Measure
  // The computed-fact index of each SlaFact, or -1 when no expression
  // reads it.
  int32_t facts[kSlaFactCount] = {-1, -1, -1, -1, -1, -1, -1, -1};
  // The percents of the thresholds that apply to it, ascending.
  std::vector<int> thresholds;
};

struct SlaThresholdPlan {
  int percent = 0;
  // Per target (ServiceLevelsPlan::targets index): whether it applies.
  std::vector<bool> targets;
  std::vector<RecommendationPlan> recommend;
  Template reason;
};

struct ServiceLevelsPlan {
  bool present = false;  // the policy has service_levels
  std::vector<ServiceTargetPlan> targets;
  int calendar = -1;  // index into PolicyPlan::calendars; -1 always open
  std::string customer_message_kind;
  std::string agent_reply_kind;
  std::string status_kind;
  std::vector<std::string> resolved_statuses;
  // history.count(e, e.kind == <status_kind> && e.case_id == case.id &&
  // (pause_when)), evaluated with Program::EvaluateCounting to learn which
  // status events pause; -1 when the clocks never pause.
  ExprId pausing = -1;
  // Ascending by percent.
  std::vector<SlaThresholdPlan> thresholds;
  int priority = 0;
  double weight = 1.0;
  // Per tier listed in the entitlements: per target, the contract's span
  // (length 0: the contract states no such target). An unlisted tier uses
  // EntitlementPlan::default_tier's, or none when there is no default.
  absl::flat_hash_map<std::string, std::vector<Span>> spans;
  // The same spans as the entitlements state them ("business_hours(4)").
  absl::flat_hash_map<std::string, std::vector<std::string>> within;
  // And as reasons read them ("4 business hours": Span::Readable).
  absl::flat_hash_map<std::string, std::vector<std::string>> readable;
};

struct EntitlementPlan {
  // tier -> included features (sorted).
  absl::flat_hash_map<std::string, std::vector<std::string>> includes;
  // The tier whose contract unlisted tiers get; empty: none, and their
  // contract includes nothing.
  std::string default_tier;
  bool suppress = false;  // BeyondContract::SUPPRESS
};

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_PLANS_H_
