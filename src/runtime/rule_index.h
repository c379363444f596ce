// Indexing rules by their equality tests, so a decision evaluates only the
// rules that can fire for this context's tier, channel, category, ...
//
// A rule whose condition has a top-level conjunct `customer.tier == 'gold'`
// cannot fire for a silver customer: that conjunct is false, and a false
// conjunct makes the whole condition false whatever the others do (even
// when they err). So the index is exact: it only skips rules that would not
// have fired. Rules are grouped by the set of indexed fields they test and
// keyed by the literals; a decision does one hash lookup per group.
#ifndef TACT_SRC_RUNTIME_RULE_INDEX_H_
#define TACT_SRC_RUNTIME_RULE_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "src/compiler/program.h"
#include "src/runtime/plan_parts.h"

namespace tact::internal {

// Immutable after Build; Candidates is safe for concurrent use.
class RuleIndex {
 public:
  // The most fields an index keys on.
  static constexpr int kMaxFields = 4;

  // REQUIRES: `rules` in evaluation order; their conjuncts compiled into
  // `program`.
  static RuleIndex Build(const std::vector<RulePlan>& rules,
                         const Program& program);

  // The field values of this decision, read once.
  using FieldValues = absl::InlinedVector<absl::string_view, kMaxFields>;
  FieldValues ReadFields(const Program& program, Frame& frame) const;

  // Positions (into the rules Build saw) of the rules that may fire, in
  // ascending order.
  void Candidates(const FieldValues& values, std::vector<int>* out) const;

  // For a rule Candidates left out: the index (into its `when`) of an
  // indexed conjunct that is false for `values`.
  int FalseConjunct(int rule, const FieldValues& values) const;

  // How many fields are indexed and how many rules are not indexed (stats
  // for benchmarks and tests).
  int field_count() const { return static_cast<int>(fields_.size()); }
  int unindexed_count() const { return static_cast<int>(unindexed_.size()); }

 private:
  struct Test {
    int field;     // index into fields_
    int conjunct;  // index into the rule's `when`
    std::string literal;
  };
  struct Group {
    uint32_t mask = 0;  // bit i: the rules test fields_[i]
    // Literals of the tested fields in field order, length-prefixed.
    absl::flat_hash_map<std::string, std::vector<int>> rules;
  };

  std::vector<ExprId> fields_;
  std::vector<Group> groups_;
  std::vector<int> unindexed_;
  // Per rule: its indexed tests (empty when unindexed).
  std::vector<std::vector<Test>> tests_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_RUNTIME_RULE_INDEX_H_
