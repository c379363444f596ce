// A neutral rule-table workload (issue 19): N rules of 2-5 conditions, each
// recommending its own action, generated both as a tact policy and as plain
// structs a hand-written loop evaluates (benchmarks/hand_loop.h). Same seed,
// same table, on every machine. The contexts are the construct workload's
// (GenerateContexts in benchmarks/workload.h).
//
// No ladders, budgets, playbooks, strike limits, modifiers, vetoes or final
// rules: every rule whose conditions all hold recommends one action of its
// own, so tact's ranked output is the rules that fired, by priority
// (highest first) and then action id. Action "a00042" belongs to rule
// "r00042": ids are zero-padded so their order is the rules' order.
#ifndef TACT_BENCHMARKS_RULE_TABLE_H_
#define TACT_BENCHMARKS_RULE_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace tact::bench {

// What a condition reads. kHoursOpen and kComplaints90d are derived facts
// (policy definitions `hours_open` and `complaints_90d`).
enum class RuleField {
  kTier,           // customer.tier, string
  kChannel,        // case.channel, string
  kCategory,       // case.category, string
  kLifetimeValue,  // customer.lifetime_value, int
  kSpend12m,       // customer.spend_12m, int
  kTenureDays,     // customer.tenure_days, int
  kOrders12m,      // customer.orders_12m, int
  kInfluence,      // customer.influence, double
  kSentiment,      // case.sentiment, double
  kHoursOpen,      // whole hours since case.opened_at (0 without it), int
  kComplaints90d,  // history events "complaint" within 90 days, int
  kMessage,        // case.message, string (regex only)
};

enum class RuleOp { kEq, kLt, kLe, kGt, kGe, kMatches };

// One condition: `field op operand`. The operand is `text` for kEq on a
// string field and for kMatches (an RE2 pattern, searched unanchored as
// CEL's matches()), `number` for double fields, `integer` for int fields.
struct RuleCondition {
  RuleField field = RuleField::kTier;
  RuleOp op = RuleOp::kEq;
  std::string text;
  int64_t integer = 0;
  double number = 0;
};

// A rule: all of its conditions must hold. It recommends `action`.
struct TableRule {
  std::string id;      // "r00042"
  std::string action;  // "a00042"
  int priority = 0;    // 0..9, higher ranks first
  std::vector<RuleCondition> conditions;
};

struct RuleTable {
  // The tact policy, protobuf text format: the same rules as `rules`.
  std::string policy;
  std::vector<TableRule> rules;
};

// A table of `rules` rules (zero-padded ids support up to 100,000). Each has
// 2-5 conditions: equality on customer.tier, case.channel and case.category
// (each drawn for about half the rules), numeric thresholds on the other
// fields, and for about 10% of the rules a regex on case.message.
RuleTable GenerateRuleTable(int rules, uint64_t seed = 20261205);

}  // namespace tact::bench

#endif  // TACT_BENCHMARKS_RULE_TABLE_H_
