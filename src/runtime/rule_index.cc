#include "src/runtime/rule_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace tact::internal {
namespace {

using CompareOp = Program::CompareOp;

// The most memory all bitsets of one policy may take, in 64-bit words
// (16 MiB). Facts that would not fit are left unindexed.
constexpr size_t kMaxRowWords = size_t{2} << 20;

// One rule's test of a fact: `fact op constant`.
struct Test {
  int rule = 0;
  CompareOp op = CompareOp::kEq;
  Value constant;
};

template <typename T>
bool Holds(CompareOp op, T value, T constant) {
  switch (op) {
    case CompareOp::kEq:
      return value == constant;
    case CompareOp::kNe:
      return value != constant;
    case CompareOp::kLt:
      return value < constant;
    case CompareOp::kLe:
      return value <= constant;
    case CompareOp::kGt:
      return value > constant;
    case CompareOp::kGe:
      return value >= constant;
  }
  return true;
}

// Whether `x op c` holds for some real x with lo < x < hi. For ints this
// may say yes for a range holding no int: the index stays conservative.
template <typename T>
bool MayHoldBetween(CompareOp op, T lo, T hi, T c) {
  switch (op) {
    case CompareOp::kEq:
      return lo < c && c < hi;
    case CompareOp::kNe:
      return true;
    case CompareOp::kLt:
    case CompareOp::kLe:
      return lo < c;
    case CompareOp::kGt:
    case CompareOp::kGe:
      return hi > c;
  }
  return true;
}

// For a numeric fact: the sorted distinct constants its tests use, thinned
// to at most `limit` boundaries.
template <typename T>
std::vector<T> Boundaries(std::vector<T> constants, size_t limit) {
  std::sort(constants.begin(), constants.end());
  constants.erase(std::unique(constants.begin(), constants.end()),
                  constants.end());
  if (constants.size() <= limit) return constants;
  std::vector<T> thinned;
  thinned.reserve(limit);
  for (size_t i = 0; i < limit; ++i) {
    thinned.push_back(constants[i * constants.size() / limit]);
  }
  return thinned;
}

// Whether `test` may hold for a value in range `range` of `bounds` (see
// RuleIndex::Fact).
template <typename T>
bool MayHoldIn(CompareOp op, T c, const std::vector<T>& bounds, size_t range) {
  const size_t i = range / 2;
  if (range % 2 == 1) return Holds(op, bounds[i], c);
  const T lo = i == 0 ? -std::numeric_limits<T>::infinity() : bounds[i - 1];
  const T hi =
      i == bounds.size() ? std::numeric_limits<T>::infinity() : bounds[i];
  return MayHoldBetween(op, lo, hi, c);
}

// int64 has no infinity; the extremes serve (no value lies beyond them).
template <>
bool MayHoldIn<int64_t>(CompareOp op, int64_t c,
                        const std::vector<int64_t>& bounds, size_t range) {
  const size_t i = range / 2;
  if (range % 2 == 1) return Holds(op, bounds[i], c);
  // Compare as long double: lo and hi may be the int64 extremes, and an
  // open range below INT64_MIN or above INT64_MAX must stay empty.
  using Wide = long double;
  const Wide lo = i == 0 ? Wide(std::numeric_limits<int64_t>::min()) - 1
                         : Wide(bounds[i - 1]);
  const Wide hi = i == bounds.size()
                      ? Wide(std::numeric_limits<int64_t>::max()) + 1
                      : Wide(bounds[i]);
  return MayHoldBetween<Wide>(op, lo, hi, Wide(c));
}

}  // namespace

RuleIndex RuleIndex::Build(const std::vector<RulePlan>& rules,
                           const Program& program) {
  RuleIndex index;
  index.rule_count_ = rules.size();
  index.words_ = (rules.size() + 63) / 64;

  // Every comparison with a constant, by the expression compared.
  absl::flat_hash_map<ExprId, std::vector<Test>> tests;
  for (size_t r = 0; r < rules.size(); ++r) {
    for (const Conjunct& conjunct : rules[r].when) {
      Program::Comparison c;
      if (!program.AsComparison(conjunct.expr, &c)) continue;
      tests[c.operand].push_back({static_cast<int>(r), c.op, c.constant});
    }
  }
  // Index the facts most rules test; evaluating a fact costs about as much
  // as one rule's test, so a fact tested by one rule is not worth it. A
  // regex is never run eagerly.
  std::vector<std::pair<int, ExprId>> ranked;
  for (const auto& [expr, list] : tests) {
    int distinct_rules = 0;
    for (size_t k = 0; k < list.size(); ++k) {
      if (k == 0 || list[k].rule != list[k - 1].rule) ++distinct_rules;
    }
    if (distinct_rules < 2 || program.MatchesRegex(expr)) continue;
    ranked.push_back({-distinct_rules, expr});
  }
  std::sort(ranked.begin(), ranked.end());  // ties: lower id first

  std::vector<bool> indexed(rules.size(), false);
  for (const auto& [negated_count, expr] : ranked) {
    if (static_cast<int>(index.facts_.size()) == kMaxFacts) break;
    const std::vector<Test>& list = tests[expr];
    Fact fact;
    fact.expr = expr;
    const ValueType type = list.front().constant.type;
    fact.is_string = type == ValueType::kString;
    fact.is_double = type == ValueType::kDouble;
    size_t ranges;
    if (fact.is_string) {
      for (const Test& t : list) {
        fact.literals.emplace(std::string(t.constant.string_value),
                              static_cast<int>(fact.literals.size()));
      }
      if (fact.literals.size() > kMaxLiterals) continue;
      ranges = fact.literals.size() + 1;
    } else if (fact.is_double) {
      std::vector<double> constants;
      for (const Test& t : list) constants.push_back(t.constant.double_value);
      fact.double_bounds = Boundaries(std::move(constants), kMaxBoundaries);
      ranges = 2 * fact.double_bounds.size() + 1;
    } else {
      std::vector<int64_t> constants;
      for (const Test& t : list) constants.push_back(t.constant.int_value);
      fact.int_bounds = Boundaries(std::move(constants), kMaxBoundaries);
      ranges = 2 * fact.int_bounds.size() + 1;
    }
    if (index.rows_.size() + ranges * index.words_ > kMaxRowWords) continue;

    // Start from "every rule may fire" and clear each rule in the ranges
    // where one of its tests of this fact is false.
    fact.first_row = index.rows_.size();
    index.rows_.resize(fact.first_row + ranges * index.words_, ~uint64_t{0});
    uint64_t* rows = index.rows_.data() + fact.first_row;
    for (size_t range = 0; range < ranges; ++range) {
      for (const Test& t : list) {
        bool may_hold;
        if (fact.is_string) {
          auto it = fact.literals.find(t.constant.string_value);
          may_hold = static_cast<size_t>(it->second) == range;
        } else if (fact.is_double) {
          may_hold = MayHoldIn(t.op, t.constant.double_value,
                               fact.double_bounds, range);
        } else {
          may_hold =
              MayHoldIn(t.op, t.constant.int_value, fact.int_bounds, range);
        }
        if (!may_hold) {
          rows[range * index.words_ + t.rule / 64] &=
              ~(uint64_t{1} << (t.rule % 64));
        }
      }
    }
    for (const Test& t : list) indexed[t.rule] = true;
    index.facts_.push_back(std::move(fact));
  }
  index.unindexed_ =
      static_cast<int>(std::count(indexed.begin(), indexed.end(), false));
  return index;
}

int RuleIndex::RangeOf(const Fact& fact, const Value& value) const {
  if (fact.is_string) {
    if (value.type != ValueType::kString) return -1;
    auto it = fact.literals.find(value.string_value);
    return it == fact.literals.end() ? static_cast<int>(fact.literals.size())
                                     : it->second;
  }
  if (fact.is_double) {
    if (value.type != ValueType::kDouble || std::isnan(value.double_value)) {
      return -1;
    }
    const std::vector<double>& b = fact.double_bounds;
    size_t i =
        std::lower_bound(b.begin(), b.end(), value.double_value) - b.begin();
    return static_cast<int>(
        2 * i + (i < b.size() && b[i] == value.double_value ? 1 : 0));
  }
  if (value.is_error() || value.type == ValueType::kDouble ||
      value.type == ValueType::kString) {
    return -1;
  }
  const std::vector<int64_t>& b = fact.int_bounds;
  size_t i = std::lower_bound(b.begin(), b.end(), value.int_value) - b.begin();
  return static_cast<int>(2 * i +
                          (i < b.size() && b[i] == value.int_value ? 1 : 0));
}

void RuleIndex::Candidates(const Program& program, Frame& frame,
                           RuleBits* out) const {
  out->assign(words_, ~uint64_t{0});
  if (rule_count_ % 64 != 0) {
    out->back() = (uint64_t{1} << (rule_count_ % 64)) - 1;
  }
  uint64_t* bits = out->data();
  for (const Fact& fact : facts_) {
    const int range = RangeOf(fact, program.Evaluate(fact.expr, frame));
    if (range < 0) continue;  // an error or NaN: this fact excludes nothing
    const uint64_t* row = rows_.data() + fact.first_row + range * words_;
    for (size_t w = 0; w < words_; ++w) bits[w] &= row[w];
  }
}

}  // namespace tact::internal
