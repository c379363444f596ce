// Indexing rules by their comparisons with constants, so a decision
// evaluates only the rules that can fire for this context.
//
// A rule whose condition has a top-level conjunct `customer.tier == 'gold'`
// or `hours_open > 48` cannot fire when that conjunct is false: a false
// conjunct makes the whole condition false whatever the others do (even
// when they err). Each expression compared with constants by enough rules
// (a "fact": `customer.tier`, the definition `hours_open`, ...) is
// evaluated once per decision, and a precomputed bitset per range of its
// values says which rules none of its tests exclude. ANDing those bitsets
// leaves the candidates. Rules are only ever left out when a conjunct is
// false, so the index never changes a decision: the candidates' conditions
// are evaluated in full.
//
// For a fact compared with m distinct constants the value line splits into
// 2m + 1 ranges (below the first constant, the constant itself, between
// two constants, ...), on each of which every test is constantly true or
// false, so the bitsets are exact. A fact with more constants than
// kMaxBoundaries gets coarser ranges on which a test may be true somewhere;
// its rule stays a candidate there.
#ifndef TACT_SRC_POLICY_RULE_INDEX_H_
#define TACT_SRC_POLICY_RULE_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "src/expr/program.h"
#include "src/policy/plan_parts.h"

namespace tact::internal {

// A set of rule positions; room for 16,384 rules without a heap allocation.
using RuleBits = absl::InlinedVector<uint64_t, 256>;

// Immutable after Build; Candidates is safe for concurrent use.
class RuleIndex {
 public:
  // At most this many facts are indexed (the ones most rules test).
  static constexpr int kMaxFacts = 64;
  // At most this many distinct constants per numeric fact keep exact
  // ranges; more are merged.
  static constexpr int kMaxBoundaries = 256;
  // At most this many distinct string constants per fact; a fact compared
  // with more is not indexed.
  static constexpr int kMaxLiterals = 1024;
  // A string fact compared with at most this many literals is placed by
  // comparing them one by one.
  static constexpr int kFewLiterals = 8;

  // REQUIRES: `rules` in evaluation order; their conjuncts compiled into
  // `program`.
  static RuleIndex Build(const std::vector<RulePlan>& rules,
                         const Program& program);

  // Sets `*out` to the rules (positions into the rules Build saw) that may
  // fire for the context of `frame`. Evaluates each fact once (memoized
  // definitions stay memoized in `frame` for the rules). Returns the facts
  // that could not place the context (bit i: fact i), for Holds.
  uint64_t Candidates(const Program& program, Frame& frame,
                      RuleBits* out) const;

  // Whether candidate `rule`, with conjuncts `when`, holds. Conjuncts the
  // index has proven true for this context (tests of facts it placed
  // exactly) are not evaluated again. `unplaced`: what Candidates returned.
  bool Holds(int rule, const std::vector<Conjunct>& when, uint64_t unplaced,
             const Program& program, Frame& frame) const;

  // What FirstFalse returns when the condition holds, and when no conjunct
  // was false but one erred.
  static constexpr int kHolds = -1;
  static constexpr int kErred = -2;

  // As Holds, saying why not: the index in `when` of the first false
  // conjunct (the one EvaluateCondition reports: proven conjuncts are true),
  // or kErred with `*error` set as EvaluateCondition's error when none was
  // false but one erred, or kHolds. Unlike Holds it goes on past an erring
  // conjunct, since a later false one wins (CEL's commutative `&&`).
  int FirstFalse(int rule, const std::vector<Conjunct>& when, uint64_t unplaced,
                 const Program& program, Frame& frame,
                 std::string* error) const;

  // Sets `*out` to every one of `rule_count` rules.
  static void AllRules(size_t rule_count, RuleBits* out);

  // Calls `fn(position)` for each rule in `bits`, in ascending order.
  template <typename Fn>
  static void ForEach(const RuleBits& bits, Fn fn) {
    for (size_t w = 0; w < bits.size(); ++w) {
      for (uint64_t word = bits[w]; word != 0; word &= word - 1) {
        fn(static_cast<int>(w * 64 + __builtin_ctzll(word)));
      }
    }
  }

  // Stats for benchmarks and tests: facts indexed, and rules with no
  // indexed test (always candidates).
  int fact_count() const { return static_cast<int>(facts_.size()); }
  int unindexed_count() const { return unindexed_; }

 private:
  struct Fact {
    ExprId expr = -1;
    bool is_string = false;
    bool is_double = false;
    // Numeric facts: sorted distinct boundaries; range 2i + 1 is the
    // boundary i itself, range 2i the values between boundary i - 1 and i.
    std::vector<int64_t> int_bounds;
    std::vector<double> double_bounds;
    // String facts: the range of each literal; any other value is range
    // `literals.size()`.
    absl::flat_hash_map<std::string, int> literals;
    // The same literals by range, when there are few: compared one by one,
    // which costs less than hashing the value.
    std::vector<std::string> few_literals;
    // Offset of range 0's bitset in `rows_`, and of the bitset of the
    // rules testing the fact in `tested_by_`.
    size_t first_row = 0;
    size_t tested_by = 0;
    // Every range is one on which each test is constantly true or false
    // (no boundaries were merged).
    bool exact = true;
  };

  // The range of `value` for `fact`, or -1 when it cannot be placed (an
  // error, NaN): then the fact excludes nothing.
  int RangeOf(const Fact& fact, const Value& value) const;

  size_t rule_count_ = 0;
  size_t words_ = 0;  // 64-bit words per bitset
  int unindexed_ = 0;
  // Cheap facts first, then those that run history scans: a costly fact is
  // only evaluated while some candidate still tests it.
  std::vector<Fact> facts_;
  std::vector<uint64_t> rows_;
  std::vector<uint64_t> tested_by_;
  // Per rule: the facts whose tests it need not evaluate when they placed
  // the context (bit i: fact i), and the conjuncts left to evaluate then,
  // residual_[residual_begin_[r] .. residual_begin_[r + 1]), and each
  // one's index in the rule's `when` (for FirstFalse).
  std::vector<uint64_t> proven_;
  std::vector<uint32_t> residual_begin_;
  std::vector<ExprId> residual_;
  std::vector<uint32_t> residual_conjunct_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_RULE_INDEX_H_
