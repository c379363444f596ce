#include "src/policy/rule_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/policy/condition.h"

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

// Whether `x op c` holds for some real x with lo < x < hi, where a null
// bound is infinite. For ints this may say yes for a range holding no int:
// no value falls there, so that does not matter.
template <typename T>
bool MayHoldBetween(CompareOp op, const T* lo, const T* hi, T c) {
  switch (op) {
    case CompareOp::kEq:
      return (lo == nullptr || *lo < c) && (hi == nullptr || c < *hi);
    case CompareOp::kNe:
      return true;
    case CompareOp::kLt:
    case CompareOp::kLe:
      return lo == nullptr || *lo < c;
    case CompareOp::kGt:
    case CompareOp::kGe:
      return hi == nullptr || *hi > c;
  }
  return true;
}

// For a numeric fact: the sorted distinct constants its tests use, thinned
// to at most `limit` boundaries; `*exact` says whether none was dropped.
template <typename T>
std::vector<T> Boundaries(std::vector<T> constants, size_t limit, bool* exact) {
  std::sort(constants.begin(), constants.end());
  constants.erase(std::unique(constants.begin(), constants.end()),
                  constants.end());
  *exact = constants.size() <= limit;
  if (*exact) return constants;
  std::vector<T> thinned;
  thinned.reserve(limit);
  for (size_t i = 0; i < limit; ++i) {
    thinned.push_back(constants[i * constants.size() / limit]);
  }
  return thinned;
}

// Whether `x op c` may hold for an x in range `range` of `bounds` (see
// RuleIndex::Fact). Exact when `c` is one of the bounds.
template <typename T>
bool MayHoldIn(CompareOp op, T c, const std::vector<T>& bounds, size_t range) {
  const size_t i = range / 2;
  if (range % 2 == 1) return Holds(op, bounds[i], c);
  const T* lo = i == 0 ? nullptr : &bounds[i - 1];
  const T* hi = i == bounds.size() ? nullptr : &bounds[i];
  return MayHoldBetween(op, lo, hi, c);
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
    for (size_t k = 0; k < rules[r].when.size(); ++k) {
      const Conjunct& conjunct = rules[r].when[k];
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
  // Most tested first (ties: lower id), then the cheap ones before the
  // costly ones among those that make the cut.
  std::sort(ranked.begin(), ranked.end());
  if (ranked.size() > static_cast<size_t>(kMaxFacts)) ranked.resize(kMaxFacts);
  std::stable_partition(ranked.begin(), ranked.end(), [&](const auto& r) {
    return !program.IsCostly(r.second);
  });

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
      if (fact.literals.size() <= static_cast<size_t>(kFewLiterals)) {
        fact.few_literals.resize(fact.literals.size());
        for (const auto& [literal, range] : fact.literals) {
          fact.few_literals[range] = literal;
        }
      }
    } else if (fact.is_double) {
      std::vector<double> constants;
      for (const Test& t : list) constants.push_back(t.constant.double_value);
      fact.double_bounds =
          Boundaries(std::move(constants), kMaxBoundaries, &fact.exact);
      ranges = 2 * fact.double_bounds.size() + 1;
    } else {
      std::vector<int64_t> constants;
      for (const Test& t : list) constants.push_back(t.constant.int_value);
      fact.int_bounds =
          Boundaries(std::move(constants), kMaxBoundaries, &fact.exact);
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
    fact.tested_by = index.tested_by_.size();
    index.tested_by_.resize(fact.tested_by + index.words_, 0);
    for (const Test& t : list) {
      indexed[t.rule] = true;
      index.tested_by_[fact.tested_by + t.rule / 64] |= uint64_t{1}
                                                        << (t.rule % 64);
    }
    index.facts_.push_back(std::move(fact));
  }
  index.unindexed_ =
      static_cast<int>(std::count(indexed.begin(), indexed.end(), false));

  // What is left to evaluate of each rule when its facts placed the context.
  absl::flat_hash_map<ExprId, int> exact_facts;
  for (size_t f = 0; f < index.facts_.size(); ++f) {
    if (index.facts_[f].exact) exact_facts[index.facts_[f].expr] = f;
  }
  index.proven_.assign(rules.size(), 0);
  for (size_t r = 0; r < rules.size(); ++r) {
    index.residual_begin_.push_back(
        static_cast<uint32_t>(index.residual_.size()));
    for (size_t k = 0; k < rules[r].when.size(); ++k) {
      const Conjunct& conjunct = rules[r].when[k];
      Program::Comparison c;
      if (program.AsComparison(conjunct.expr, &c)) {
        auto it = exact_facts.find(c.operand);
        if (it != exact_facts.end()) {
          index.proven_[r] |= uint64_t{1} << it->second;
          continue;
        }
      }
      index.residual_.push_back(conjunct.expr);
      index.residual_conjunct_.push_back(static_cast<uint32_t>(k));
    }
  }
  index.residual_begin_.push_back(
      static_cast<uint32_t>(index.residual_.size()));
  return index;
}

int RuleIndex::RangeOf(const Fact& fact, const Value& value) const {
  if (fact.is_string) {
    if (value.type != ValueType::kString) return -1;
    if (!fact.few_literals.empty()) {
      const size_t n = fact.few_literals.size();
      for (size_t i = 0; i < n; ++i) {
        if (absl::string_view(fact.few_literals[i]) == value.string_value) {
          return static_cast<int>(i);
        }
      }
      return static_cast<int>(n);
    }
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

bool RuleIndex::Holds(int rule, const std::vector<Conjunct>& when,
                      uint64_t unplaced, const Program& program,
                      Frame& frame) const {
  if ((proven_[rule] & unplaced) != 0) {
    return EvaluateCondition(program, when, frame).holds();
  }
  for (uint32_t k = residual_begin_[rule]; k < residual_begin_[rule + 1]; ++k) {
    const Value v = program.Evaluate(residual_[k], frame);
    if (v.is_error() || !v.bool_value) return false;
  }
  return true;
}

int RuleIndex::FirstFalse(int rule, const std::vector<Conjunct>& when,
                          uint64_t unplaced, const Program& program,
                          Frame& frame, std::string* error) const {
  if ((proven_[rule] & unplaced) != 0) {
    ConditionResult result = EvaluateCondition(program, when, frame);
    if (result.holds()) return kHolds;
    if (result.failed != nullptr) {
      return static_cast<int>(result.failed - when.data());
    }
    *error = std::move(result.error);
    return kErred;
  }
  int erred = -1;  // the first erring conjunct, an index into residual_
  Value first_error;
  for (uint32_t k = residual_begin_[rule]; k < residual_begin_[rule + 1]; ++k) {
    Value v = program.Evaluate(residual_[k], frame);
    if (v.is_error()) {
      if (erred < 0) {
        erred = static_cast<int>(k);
        first_error = std::move(v);
      }
      continue;
    }
    if (!v.bool_value) return static_cast<int>(residual_conjunct_[k]);
  }
  if (erred < 0) return kHolds;
  *error = absl::StrCat(when[residual_conjunct_[erred]].source, ": ",
                        first_error.string_value);
  return kErred;
}

void RuleIndex::AllRules(size_t rule_count, RuleBits* out) {
  out->assign((rule_count + 63) / 64, ~uint64_t{0});
  if (rule_count % 64 != 0) {
    out->back() = (uint64_t{1} << (rule_count % 64)) - 1;
  }
}

uint64_t RuleIndex::Candidates(const Program& program, Frame& frame,
                               RuleBits* out) const {
  AllRules(rule_count_, out);
  uint64_t* bits = out->data();
  uint64_t unplaced = 0;
  for (size_t f = 0; f < facts_.size(); ++f) {
    const Fact& fact = facts_[f];
    // No candidate left tests this fact: it can exclude nothing more.
    const uint64_t* tested_by = tested_by_.data() + fact.tested_by;
    uint64_t tested = 0;
    for (size_t w = 0; w < words_; ++w) tested |= bits[w] & tested_by[w];
    if (tested == 0) {
      unplaced |= uint64_t{1} << f;
      continue;
    }
    const int range = RangeOf(fact, program.Evaluate(fact.expr, frame));
    if (range < 0) {  // an error or NaN: this fact excludes nothing
      unplaced |= uint64_t{1} << f;
      continue;
    }
    const uint64_t* row = rows_.data() + fact.first_row + range * words_;
    for (size_t w = 0; w < words_; ++w) bits[w] &= row[w];
  }
  return unplaced;
}

}  // namespace tact::internal
