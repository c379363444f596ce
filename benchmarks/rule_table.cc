#include "benchmarks/rule_table.h"

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace tact::bench {
namespace {

// The values GenerateContexts draws from (benchmarks/workload.cc).
constexpr const char* kTiers[] = {"standard", "premium", "enterprise",
                                  "prospect"};
constexpr const char* kChannels[] = {"email", "chat", "phone", "social", "web"};
constexpr const char* kCategories[] = {"delivery", "billing", "outage",
                                       "returns",  "account", "product",
                                       "refund",   "other"};
constexpr const char* kWords[] = {
    "late",    "broken", "refund",  "manager", "again",  "cancel", "thanks",
    "invoice", "wrong",  "missing", "urgent",  "lawyer", "love",   "slow"};

// Raw std::mt19937_64 output is fixed by the standard (its distributions
// are not), so draws are made here, as in workload.cc.
class Draw {
 public:
  explicit Draw(uint64_t seed) : rng_(seed) {}
  int Below(int n) {
    return static_cast<int>(rng_() % static_cast<uint64_t>(n));
  }
  bool Chance(int percent) { return Below(100) < percent; }

 private:
  std::mt19937_64 rng_;
};

// The numeric fields, drawn without repetition within a rule.
constexpr RuleField kNumeric[] = {
    RuleField::kLifetimeValue, RuleField::kSpend12m,     RuleField::kTenureDays,
    RuleField::kOrders12m,     RuleField::kInfluence,    RuleField::kSentiment,
    RuleField::kHoursOpen,     RuleField::kComplaints90d};
constexpr int kNumericCount = sizeof(kNumeric) / sizeof(kNumeric[0]);

RuleCondition Equality(RuleField field, const char* value) {
  RuleCondition c;
  c.field = field;
  c.op = RuleOp::kEq;
  c.text = value;
  return c;
}

// A threshold on `field`: which side of it, and where, drawn so that a
// condition holds for a fair share of the generated contexts.
RuleCondition Threshold(Draw& d, RuleField field) {
  RuleCondition c;
  c.field = field;
  switch (field) {
    case RuleField::kLifetimeValue:
      c.op = d.Chance(50) ? RuleOp::kGt : RuleOp::kLt;
      c.integer = 20000 * (1 + d.Below(50));
      break;
    case RuleField::kSpend12m:
      c.op = d.Chance(50) ? RuleOp::kGe : RuleOp::kLt;
      c.integer = 10000 * (1 + d.Below(50));
      break;
    case RuleField::kTenureDays:
      c.op = d.Chance(50) ? RuleOp::kGt : RuleOp::kLe;
      c.integer = 100 * (1 + d.Below(29));
      break;
    case RuleField::kOrders12m:
      c.op = d.Chance(50) ? RuleOp::kGe : RuleOp::kLt;
      c.integer = 1 + d.Below(29);
      break;
    case RuleField::kInfluence:
      c.op = RuleOp::kGt;
      c.number = d.Below(9) / 10.0;  // the double nearest "0.k"
      break;
    case RuleField::kSentiment:
      c.op = d.Chance(50) ? RuleOp::kLt : RuleOp::kGe;
      c.number = (d.Below(19) - 9) / 10.0;
      break;
    case RuleField::kHoursOpen:
      c.op = d.Chance(50) ? RuleOp::kGt : RuleOp::kLe;
      c.integer = 1 + d.Below(95);
      break;
    case RuleField::kComplaints90d:
      c.op = d.Chance(70) ? RuleOp::kGe : RuleOp::kLt;
      c.integer = 1 + d.Below(3);
      break;
    default:
      break;
  }
  return c;
}

const char* FieldName(RuleField field) {
  switch (field) {
    case RuleField::kTier:
      return "customer.tier";
    case RuleField::kChannel:
      return "case.channel";
    case RuleField::kCategory:
      return "case.category";
    case RuleField::kLifetimeValue:
      return "customer.lifetime_value";
    case RuleField::kSpend12m:
      return "customer.spend_12m";
    case RuleField::kTenureDays:
      return "customer.tenure_days";
    case RuleField::kOrders12m:
      return "customer.orders_12m";
    case RuleField::kInfluence:
      return "customer.influence";
    case RuleField::kSentiment:
      return "case.sentiment";
    case RuleField::kHoursOpen:
      return "hours_open";
    case RuleField::kComplaints90d:
      return "complaints_90d";
    case RuleField::kMessage:
      return "case.message";
  }
  return "";
}

bool IsDouble(RuleField field) {
  return field == RuleField::kInfluence || field == RuleField::kSentiment;
}

// The condition in tact's CEL subset. Doubles print with one decimal, the
// literal whose nearest double the struct holds (k / 10.0).
std::string ToCel(const RuleCondition& c) {
  if (c.op == RuleOp::kMatches) {
    return absl::StrCat(FieldName(c.field), ".matches('", c.text, "')");
  }
  const char* op = "";
  switch (c.op) {
    case RuleOp::kEq:
      op = "==";
      break;
    case RuleOp::kLt:
      op = "<";
      break;
    case RuleOp::kLe:
      op = "<=";
      break;
    case RuleOp::kGt:
      op = ">";
      break;
    case RuleOp::kGe:
      op = ">=";
      break;
    case RuleOp::kMatches:
      break;
  }
  std::string operand;
  if (c.op == RuleOp::kEq) {
    operand = absl::StrCat("'", c.text, "'");
  } else if (IsDouble(c.field)) {
    operand = absl::StrFormat("%.1f", c.number);
  } else {
    operand = absl::StrCat(c.integer);
  }
  return absl::StrCat(FieldName(c.field), " ", op, " ", operand);
}

}  // namespace

RuleTable GenerateRuleTable(int rules, uint64_t seed) {
  Draw d(seed);
  RuleTable table;
  table.rules.reserve(rules);
  std::string& out = table.policy;
  absl::StrAppend(
      &out, "name: 'rule_table' version: '", rules, "' currency: 'USD'\n",
      "definitions { name: 'hours_open' expr: 'has(case.opened_at) ? "
      "(int(now) - int(case.opened_at)) / 3600 : 0' lint_ignore: "
      "'unused-definition' }\n"
      "definitions { name: 'complaints_90d' expr: \"history.count(e, e.kind "
      "== 'complaint' && now - e.at <= duration('90d'))\" lint_ignore: "
      "'unused-definition' }\n");
  for (int r = 0; r < rules; ++r) {
    TableRule rule;
    rule.id = absl::StrFormat("r%05d", r);
    rule.action = absl::StrFormat("a%05d", r);
    rule.priority = d.Below(10);
    const int conditions = 2 + d.Below(4);
    const bool regex = d.Chance(10);
    const int plain = regex ? conditions - 1 : conditions;
    // Who and where first, about half the rules each.
    if (d.Chance(50)) {
      rule.conditions.push_back(Equality(RuleField::kTier, kTiers[d.Below(4)]));
    }
    if (static_cast<int>(rule.conditions.size()) < plain && d.Chance(50)) {
      rule.conditions.push_back(
          Equality(RuleField::kChannel, kChannels[d.Below(5)]));
    }
    if (static_cast<int>(rule.conditions.size()) < plain && d.Chance(50)) {
      rule.conditions.push_back(
          Equality(RuleField::kCategory, kCategories[d.Below(8)]));
    }
    bool used[kNumericCount] = {};
    while (static_cast<int>(rule.conditions.size()) < plain) {
      const int k = d.Below(kNumericCount);
      if (used[k]) continue;
      used[k] = true;
      rule.conditions.push_back(Threshold(d, kNumeric[k]));
    }
    if (regex) {
      RuleCondition c;
      c.field = RuleField::kMessage;
      c.op = RuleOp::kMatches;
      c.text = absl::StrCat("(?i)(", kWords[d.Below(14)], "|",
                            kWords[d.Below(14)], ") (", kWords[d.Below(14)],
                            "|", kWords[d.Below(14)], ")");
      rule.conditions.push_back(std::move(c));
    }
    std::vector<std::string> cel;
    for (const RuleCondition& c : rule.conditions) cel.push_back(ToCel(c));
    absl::StrAppend(&out, "actions { id: '", rule.action, "' }\n");
    absl::StrAppend(&out, "rules { id: '", rule.id,
                    "' priority: ", rule.priority, " when: \"",
                    absl::StrJoin(cel, " && "), "\" recommend { action: '",
                    rule.action, "' } }\n");
    table.rules.push_back(std::move(rule));
  }
  return table;
}

}  // namespace tact::bench
