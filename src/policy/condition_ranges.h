// What a conjunction of conditions allows, as far as constants decide it:
// for lint (lint.h), whether a condition can ever hold and whether one
// condition implies another.
//
// Each conjunct that reads nothing from the context is evaluated once; each
// comparison of an expression with a constant (Program::AsComparison, as
// the rule index uses them) narrows the range of values that expression may
// take: an interval (strict or not) minus the constants it must differ
// from, or the one string it must equal. Everything else is opaque: it
// may hold or not, and is implied only by the very same conjunct (identical
// sub-expressions share one ExprId). So both answers are sound but
// incomplete: "contradictory" and "implies" are only said when they are
// certain.
#ifndef TACT_SRC_POLICY_CONDITION_RANGES_H_
#define TACT_SRC_POLICY_CONDITION_RANGES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "src/expr/program.h"

namespace tact::internal {

// The values of every context-free expression of a program, computed on
// demand. Thread-compatible; lives for one lint run.
class ConstantValues {
 public:
  // REQUIRES: `program` outlives this.
  explicit ConstantValues(const Program& program);
  ~ConstantValues();

  // When `id` reads nothing from the context, sets `*out` to its value (an
  // error value when it always fails) and returns true. Ints, doubles and
  // bools only are kept; a string result counts as unknown.
  bool Fold(ExprId id, Value* out);

  // Whether a condition conjunct is constantly true (false when unknown).
  bool AlwaysTrue(ExprId id);
  // Whether a condition conjunct is constantly false or always fails.
  bool NeverTrue(ExprId id);

  const Program& program() const { return program_; }
  const Program::Usage& usage() const { return usage_; }

 private:
  struct Folded {
    bool known = false;
    Value value;
  };
  // REQUIRES: `id` is context-free and frame_ is not null.
  Folded Evaluate(ExprId id);

  const Program& program_;
  Program::Usage usage_;
  std::unique_ptr<Frame> frame_;  // of an empty context
  absl::flat_hash_map<ExprId, Folded> memo_;
};

// The ranges of a conjunction. Thread-compatible.
class ConditionRanges {
 public:
  // REQUIRES: `constants` outlives this.
  explicit ConditionRanges(ConstantValues* constants);

  // Forgets every conjunct added (keeping the memory, for reuse).
  void Clear();

  // Adds the conjuncts of one more condition (`&&`).
  void Add(const std::vector<Conjunct>& conjuncts);

  // Adds one comparison of `c.operand` with a constant, as a conjunct whose
  // source is `source` would be added (ChangesFor, condition_change.h, adds
  // the comparisons a change must satisfy, negated ones included).
  void AddComparison(const Program::Comparison& c, const std::string& source);

  // A value of `operand` (an int, double, timestamp or duration expression)
  // that every comparison added of it allows, as near to `current` as any:
  // `current` itself when allowed; when `current` is an error (an unset
  // fact), the lower bound, else the upper, else 0. False when no
  // comparison of `operand` was added, none allows a value, or the
  // conjuncts added contradict each other.
  bool Nearest(ExprId operand, const Value& current, Value* out) const;

  // True when no context satisfies every conjunct added; `why()` then says
  // which conjuncts contradict each other (their sources).
  bool contradictory() const { return !why_.empty(); }
  const std::string& why() const { return why_; }

  // True when every context satisfying the conjuncts added satisfies
  // `conjunct` too. REQUIRES: !contradictory().
  bool Implies(const Conjunct& conjunct) const;
  // Implies() for each of `conjuncts`.
  bool ImpliesAll(const std::vector<Conjunct>& conjuncts) const;

 private:
  // What the comparisons of one expression with constants allow. Ints,
  // timestamps and durations are int64 (nanoseconds); bounds inclusive.
  struct Range {
    ValueType type = ValueType::kError;
    bool none = false;  // a test no value passes (x < INT64_MIN, 'a' & 'b')
    bool has_lo = false, has_hi = false;
    int64_t int_lo = 0, int_hi = 0;
    double lo = 0, hi = 0;
    bool lo_strict = false, hi_strict = false;  // doubles
    std::vector<Value> ne;
    bool has_eq_string = false;
    std::string eq_string;
    std::vector<std::string> sources;  // the comparisons, for why()
  };

  void Narrow(Range& range, const Program::Comparison& c);
  static bool Empty(const Range& range);
  static bool RangeImplies(const Range& range, const Program::Comparison& c);

  ConstantValues* constants_;
  absl::flat_hash_set<ExprId> conjuncts_;
  absl::flat_hash_map<ExprId, Range> ranges_;
  std::string why_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONDITION_RANGES_H_
