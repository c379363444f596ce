// The "write it yourself" baseline (issue 19): what a C++ developer would
// write instead of tact for a rule table (benchmarks/rule_table.h): the
// context's fields read once into a flat struct, a vector of plain rules, a
// switch per operator, RE2 compiled once, the matching rules sorted by
// priority (highest first) and then action id: tact's ranking for rules
// that each recommend their own action (src/policy/ranker.cc, SortRanked:
// equal weights, no modifiers, so the score ties and the action id
// decides). rule_table_test checks that it ranks as tact does.
#ifndef TACT_BENCHMARKS_HAND_LOOP_H_
#define TACT_BENCHMARKS_HAND_LOOP_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "benchmarks/rule_table.h"
#include "re2/re2.h"
#include "tact/v1/context.pb.h"

namespace tact::bench {

// The fields a rule table reads, extracted from one context. The strings
// view the context, which must outlive the facts.
struct HandFacts {
  absl::string_view tier, channel, category, message;
  int64_t lifetime_value = 0, spend_12m = 0, tenure_days = 0, orders_12m = 0;
  int64_t hours_open = 0, complaints_90d = 0;
  double influence = 0, sentiment = 0;
};

// Reads `context` into `*facts`: hours_open is the whole hours from
// case.opened_at to now (0 without opened_at); complaints_90d counts the
// history events of kind "complaint" at or before now and at most 90 days
// before it (tact's definitions in GenerateRuleTable's policy).
void ExtractFacts(const v1::Context& context, HandFacts* facts);

// A rule table compiled for the loop. Thread-compatible; Match is const and
// safe for concurrent use.
class HandLoop {
 public:
  // Compiles every regex once. REQUIRES: every pattern compiles.
  explicit HandLoop(std::vector<TableRule> rules);

  // Replaces `*fired` with the indices of the rules whose conditions all
  // hold on `facts`, ranked: priority descending, then action id.
  void Match(const HandFacts& facts, std::vector<int>* fired) const;

  const TableRule& rule(int index) const { return rules_[index]; }
  size_t size() const { return rules_.size(); }

 private:
  struct Condition {
    RuleField field;
    RuleOp op;
    std::string text;
    int64_t integer;
    double number;
    std::unique_ptr<RE2> regex;  // set for kMatches
  };
  struct Rule {
    int priority;
    std::vector<Condition> conditions;
  };
  static bool Holds(const Condition& c, const HandFacts& facts);

  std::vector<TableRule> rules_;
  std::vector<Rule> compiled_;
};

}  // namespace tact::bench

#endif  // TACT_BENCHMARKS_HAND_LOOP_H_
