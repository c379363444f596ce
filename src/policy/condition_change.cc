#include "src/policy/condition_change.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "src/common/context_fields.h"
#include "src/expr/context_schema.h"
#include "src/expr/value.h"
#include "src/policy/condition.h"
#include "src/policy/condition_ranges.h"
#include "src/policy/constructs/constructs.h"
#include "src/policy/outcome.h"

namespace tact::internal {
namespace {

using CompareOp = Program::CompareOp;
using Shape = Program::BoolShape;
using ShapeKind = Program::BoolShape::Kind;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

// The string a `!= ""` test gets when its fact is "" (any other would do).
constexpr absl::string_view kSomeString = "?";

bool IsIntLike(ValueType t) {
  return t == ValueType::kInt || t == ValueType::kTimestamp ||
         t == ValueType::kDuration;
}

CompareOp Negated(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return CompareOp::kNe;
    case CompareOp::kNe:
      return CompareOp::kEq;
    case CompareOp::kLt:
      return CompareOp::kGe;
    case CompareOp::kLe:
      return CompareOp::kGt;
    case CompareOp::kGt:
      return CompareOp::kLe;
    case CompareOp::kGe:
      return CompareOp::kLt;
  }
  return op;
}

// -1, 0 or 1 comparing two values of one type; nullopt when unordered (a
// NaN, or types that differ).
std::optional<int> Compare(const Value& a, const Value& b) {
  if (a.type != b.type) return std::nullopt;
  switch (a.type) {
    case ValueType::kBool:
      return static_cast<int>(a.bool_value) - static_cast<int>(b.bool_value);
    case ValueType::kInt:
    case ValueType::kTimestamp:
    case ValueType::kDuration:
      return a.int_value < b.int_value ? -1 : a.int_value > b.int_value;
    case ValueType::kDouble:
      if (std::isnan(a.double_value) || std::isnan(b.double_value)) {
        return std::nullopt;
      }
      return a.double_value < b.double_value ? -1
                                             : a.double_value > b.double_value;
    case ValueType::kString: {
      const int c = a.string_value.compare(b.string_value);
      return c < 0 ? -1 : c > 0;
    }
    default:
      return std::nullopt;
  }
}

bool CompareHolds(const Value& v, CompareOp op, const Value& c) {
  std::optional<int> order = Compare(v, c);
  if (!order.has_value()) return op == CompareOp::kNe;
  switch (op) {
    case CompareOp::kEq:
      return *order == 0;
    case CompareOp::kNe:
      return *order != 0;
    case CompareOp::kLt:
      return *order < 0;
    case CompareOp::kLe:
      return *order <= 0;
    case CompareOp::kGt:
      return *order > 0;
    case CompareOp::kGe:
      return *order >= 0;
  }
  return false;
}

// One test a change must satisfy: `shape` (kCompare, kIn or kIs) coming out
// `holds`.
struct Requirement {
  Shape shape;
  bool holds = true;
  std::string source;  // the conjunct it comes from
};

// Whether `v` satisfies `r`.
bool Satisfies(const Value& v, const Requirement& r) {
  // An unset fact makes every test but has() fail, neither true nor false.
  if (v.is_error() && r.shape.kind != ShapeKind::kHas) return false;
  bool result = false;
  switch (r.shape.kind) {
    case ShapeKind::kHas:
      result = !v.is_error();
      break;
    case ShapeKind::kIs:
      result = v.type == ValueType::kBool && v.bool_value;
      break;
    case ShapeKind::kCompare:
      result = CompareHolds(v, r.shape.op, r.shape.constants[0]);
      break;
    case ShapeKind::kIn:
      for (const Value& c : r.shape.constants) {
        if (CompareHolds(v, CompareOp::kEq, c)) result = true;
      }
      break;
    default:
      return false;
  }
  return result == r.holds;
}

// The values near `c` that `op` allows, nearest first (`op` wanted to
// hold). Strings: `==`, `<=`, `>=` give c; `!=` gives "" or kSomeString.
void CandidatesFor(CompareOp op, const Value& c, std::vector<Value>* out) {
  if (IsIntLike(c.type)) {
    auto with = [&](int64_t i) {
      Value v = c;
      v.int_value = i;
      out->push_back(v);
    };
    const int64_t k = c.int_value;
    switch (op) {
      case CompareOp::kEq:
      case CompareOp::kLe:
      case CompareOp::kGe:
        with(k);
        break;
      case CompareOp::kNe:
        if (k != kInt64Max) with(k + 1);
        if (k != kInt64Min) with(k - 1);
        break;
      case CompareOp::kGt:
        if (k != kInt64Max) with(k + 1);
        break;
      case CompareOp::kLt:
        if (k != kInt64Min) with(k - 1);
        break;
    }
    return;
  }
  switch (c.type) {
    case ValueType::kDouble: {
      const double k = c.double_value;
      if (std::isnan(k)) return;
      constexpr double kInf = std::numeric_limits<double>::infinity();
      switch (op) {
        case CompareOp::kEq:
        case CompareOp::kLe:
        case CompareOp::kGe:
          out->push_back(c);
          break;
        case CompareOp::kNe:
          out->push_back(Value::Double(std::nextafter(k, kInf)));
          out->push_back(Value::Double(std::nextafter(k, -kInf)));
          break;
        case CompareOp::kGt:
          out->push_back(Value::Double(std::nextafter(k, kInf)));
          break;
        case CompareOp::kLt:
          out->push_back(Value::Double(std::nextafter(k, -kInf)));
          break;
      }
      return;
    }
    case ValueType::kString:
      switch (op) {
        case CompareOp::kEq:
        case CompareOp::kLe:
        case CompareOp::kGe:
          out->push_back(c);
          break;
        case CompareOp::kNe:
          out->push_back(Value::String(""));
          out->push_back(Value::String(kSomeString));
          break;
        case CompareOp::kLt:
          if (!c.string_value.empty()) out->push_back(Value::String(""));
          break;
        case CompareOp::kGt:  // no nearest string: not stated
          break;
      }
      return;
    case ValueType::kBool:
      out->push_back(op == CompareOp::kEq || op == CompareOp::kGe ||
                             op == CompareOp::kLe
                         ? c
                         : Value::Bool(!c.bool_value));
      return;
    default:
      return;
  }
}

// `v` for a context field or attribute: nanoseconds become a Timestamp or
// Duration.
v1::Value ToProto(const Value& v) {
  v1::Value out;
  switch (v.type) {
    case ValueType::kBool:
      out.set_bool_value(v.bool_value);
      break;
    case ValueType::kInt:
      out.set_int_value(v.int_value);
      break;
    case ValueType::kDouble:
      out.set_double_value(v.double_value);
      break;
    case ValueType::kString:
      out.set_string_value(std::string(v.string_value));
      break;
    case ValueType::kTimestamp: {
      int64_t seconds = v.int_value / 1000000000;
      int64_t nanos = v.int_value % 1000000000;
      if (nanos < 0) {
        nanos += 1000000000;
        --seconds;
      }
      out.mutable_timestamp_value()->set_seconds(seconds);
      out.mutable_timestamp_value()->set_nanos(static_cast<int32_t>(nanos));
      break;
    }
    case ValueType::kDuration:
      out.mutable_duration_value()->set_seconds(v.int_value / 1000000000);
      out.mutable_duration_value()->set_nanos(
          static_cast<int32_t>(v.int_value % 1000000000));
      break;
    default:
      break;
  }
  return out;
}

// A value as an explanation shows it: its CEL literal, or "absent" for an
// unset fact.
std::string Shown(const Value& v) {
  if (v.is_error()) {
    return absl::EndsWith(v.string_value, " is not set") ? "absent"
                                                         : FormatLiteral(v);
  }
  return FormatLiteral(v);
}

// The changes one alternative needs: requirements by field path.
struct Attempt {
  std::vector<Requirement> requirements;
  std::string failure;  // why it cannot be stated; empty while it can
};

// A change resolved from an Attempt.
struct FieldChange {
  std::string path;
  ValueType type = ValueType::kError;
  v1::ContextChange change;
};

class Solver {
 public:
  // `now`: the context's time, the value a timestamp that must be set gets.
  Solver(const Program& program, Frame& frame, const Value& now)
      : program_(program), frame_(frame), now_(now) {}

  // Adds to `attempt` what makes `id` (from the conjunct `source`) come out
  // `want`; false (with attempt->failure set) when tact cannot say.
  bool Solve(ExprId id, bool want, const std::string& source,
             Attempt* attempt) {
    // Bounded whatever the policy: a definition used twice under `||` would
    // double the work per level, and an exhausted budget or a passed
    // deadline stops the search (evaluation then only returns errors).
    if (++calls_ > kMaxSolveCalls || !frame_.CheckInterrupt() ||
        !frame_.budget_status().ok()) {
      attempt->failure = absl::StrCat(
          "tact cannot state a change that makes `", source, "` ",
          want ? "true" : "false",
          frame_.budget_status().ok()
              ? ": the condition has too many alternatives to search"
              : absl::StrCat(" (", frame_.budget_status().message(), ")"));
      return false;
    }
    const Value value = program_.Evaluate(id, frame_);
    if (!value.is_error() && value.bool_value == want) return true;
    Shape shape = program_.ShapeOf(id);
    switch (shape.kind) {
      case ShapeKind::kNot:
        return Solve(shape.left, !want, source, attempt);
      case ShapeKind::kAnd:
      case ShapeKind::kOr:
        // Both sides must come out `want` (&& for true, || for false), or
        // either may.
        if ((shape.kind == ShapeKind::kAnd) == want) {
          return Solve(shape.left, want, source, attempt) &&
                 Solve(shape.right, want, source, attempt);
        }
        return SolveEither({{shape.left, source}, {shape.right, source}}, want,
                           attempt);
      case ShapeKind::kCompare:
      case ShapeKind::kIn:
      case ShapeKind::kIs:
      case ShapeKind::kHas: {
        if (program_.ContextPathOf(shape.operand).empty()) {
          if (shape.kind == ShapeKind::kCompare &&
              SolveSum(shape, want, source, attempt)) {
            return true;
          }
          const std::string computed = program_.ComputedPathOf(shape.operand);
          if (!computed.empty()) {
            attempt->failure = absl::StrCat(
                "tact cannot state a change that makes `", source, "` ",
                want ? "true" : "false", ": ", computed,
                " is computed by tact (a service level), not set by the "
                "context");
            return false;
          }
          attempt->failure = absl::StrCat(
              "tact cannot state a change that makes `", source, "` ",
              want ? "true" : "false",
              program_.MatchesRegex(shape.operand) ? " (a regex match)"
              : program_.IsCostly(shape.operand)
                  ? " (a history scan)"
                  : ": it tests an expression, not a fact or attribute as it "
                    "is");
          return false;
        }
        attempt->requirements.push_back({std::move(shape), want, source});
        return true;
      }
      case ShapeKind::kOther:
        break;
    }
    const char* what = program_.MatchesRegex(id) ? " (a regex match)"
                       : program_.IsCostly(id)   ? " (a history scan)"
                                                 : "";
    attempt->failure =
        absl::StrCat("tact cannot state a change that makes `", source, "` ",
                     want ? "true" : "false", what);
    return false;
  }

  // Solves `a ± b op c` where `a` (else `b`) is a settable fact: as the
  // test of it against `c ∓ b` (`b`'s value now), e.g. `now -
  // case.opened_at >= duration("48h")` as `now >= <opened_at + 48h>`.
  bool SolveSum(const Shape& shape, bool want, const std::string& source,
                Attempt* attempt) {
    ExprId a, b;
    bool subtract;
    if (!program_.AsSum(shape.operand, &a, &b, &subtract)) return false;
    const Value& c = shape.constants[0];
    for (int side = 0; side < 2; ++side) {
      const ExprId settable = side == 0 ? a : b;
      const ExprId other = side == 0 ? b : a;
      const ValueType type = program_.TypeOf(settable);
      if (program_.ContextPathOf(settable).empty()) continue;
      if (type != ValueType::kDouble && !IsIntLike(type)) continue;
      const Value v = program_.Evaluate(other, frame_);
      if (v.is_error()) continue;
      CompareOp op = shape.op;
      Value k;
      bool ok;
      if (side == 1 && subtract) {  // v - b op c: b op' v - c
        op = Flipped(op);
        ok = Combine(v, c, /*subtract=*/true, &k);
      } else {  // a + v op c: a op c - v; a - v op c: a op c + v
        ok = Combine(c, v, /*subtract=*/!subtract, &k);
      }
      if (!ok) continue;
      k.type = type;
      Shape derived;
      derived.kind = ShapeKind::kCompare;
      derived.operand = settable;
      derived.op = op;
      derived.constants.push_back(k);
      attempt->requirements.push_back({std::move(derived), want, source});
      return true;
    }
    return false;
  }

  // `x - y` or `x + y` of two numbers of one representation (ints and
  // nanoseconds, or doubles); false on int64 overflow.
  static bool Combine(const Value& x, const Value& y, bool subtract,
                      Value* out) {
    *out = Value();
    if (x.type == ValueType::kDouble || y.type == ValueType::kDouble) {
      if (x.type != y.type) return false;
      out->type = ValueType::kDouble;
      out->double_value = subtract ? x.double_value - y.double_value
                                   : x.double_value + y.double_value;
      return std::isfinite(out->double_value);
    }
    if (!IsIntLike(x.type) || !IsIntLike(y.type)) return false;
    out->type = ValueType::kInt;
    return !(subtract ? __builtin_sub_overflow(x.int_value, y.int_value,
                                               &out->int_value)
                      : __builtin_add_overflow(x.int_value, y.int_value,
                                               &out->int_value));
  }

  static CompareOp Flipped(CompareOp op) {
    switch (op) {
      case CompareOp::kLt:
        return CompareOp::kGt;
      case CompareOp::kLe:
        return CompareOp::kGe;
      case CompareOp::kGt:
        return CompareOp::kLt;
      case CompareOp::kGe:
        return CompareOp::kLe;
      default:
        return op;
    }
  }

  // Solves the cheapest of `options` (expressions with the source of their
  // conjunct) to `want` into `attempt`.
  bool SolveEither(const std::vector<std::pair<ExprId, std::string>>& options,
                   bool want, Attempt* attempt) {
    std::optional<Attempt> best;
    std::vector<FieldChange> best_changes;
    std::string failures;
    for (const auto& [id, source] : options) {
      Attempt candidate = *attempt;
      if (!Solve(id, want, source, &candidate)) {
        if (failures.empty()) failures = candidate.failure;
        continue;
      }
      std::vector<FieldChange> changes;
      if (!Resolve(candidate, &changes)) {
        if (failures.empty()) failures = candidate.failure;
        continue;
      }
      if (!best.has_value() || Cheaper(changes, best_changes)) {
        best = std::move(candidate);
        best_changes = std::move(changes);
      }
    }
    if (!best.has_value()) {
      attempt->failure = failures;
      return false;
    }
    *attempt = *std::move(best);
    return true;
  }

  // Whether `a` is cheaper than `b`: leaving `now` alone first, then fewer
  // changes.
  static bool Cheaper(const std::vector<FieldChange>& a,
                      const std::vector<FieldChange>& b) {
    auto moves_now = [](const std::vector<FieldChange>& changes) {
      for (const FieldChange& c : changes) {
        if (c.path == "now") return true;
      }
      return false;
    };
    const bool a_now = moves_now(a), b_now = moves_now(b);
    if (a_now != b_now) return !a_now;
    return a.size() < b.size();
  }

  // The value each field of `attempt` must take, as changes (none for a
  // field that satisfies its requirements already). False (with
  // attempt->failure) when no value satisfies a field's requirements.
  bool Resolve(Attempt& attempt, std::vector<FieldChange>* out) {
    std::vector<std::string> paths;
    for (const Requirement& r : attempt.requirements) {
      std::string path = program_.ContextPathOf(r.shape.operand);
      if (std::find(paths.begin(), paths.end(), path) == paths.end()) {
        paths.push_back(std::move(path));
      }
    }
    for (const std::string& path : paths) {
      std::vector<const Requirement*> mine;
      for (const Requirement& r : attempt.requirements) {
        if (program_.ContextPathOf(r.shape.operand) == path) mine.push_back(&r);
      }
      FieldChange change;
      bool needed = false;
      if (!ResolveField(path, mine, &change, &needed, &attempt.failure)) {
        return false;
      }
      if (needed) out->push_back(std::move(change));
    }
    return true;
  }

 private:
  bool ResolveField(const std::string& path,
                    const std::vector<const Requirement*>& requirements,
                    FieldChange* change, bool* needed, std::string* failure) {
    const ExprId operand = requirements.front()->shape.operand;
    const ValueType type = program_.TypeOf(operand);
    const Value current = program_.Evaluate(operand, frame_);
    std::vector<Value> candidates;
    if (!current.is_error()) candidates.push_back(current);
    // Comparisons narrowed together: the value in range nearest the
    // current one.
    if (type == ValueType::kDouble || IsIntLike(type)) {
      if (constants_ == nullptr) {
        constants_ = std::make_unique<ConstantValues>(program_);
      }
      ConditionRanges ranges(constants_.get());
      for (const Requirement* r : requirements) {
        if (r->shape.kind != ShapeKind::kCompare) continue;
        Program::Comparison c;
        c.operand = operand;
        c.op = r->holds ? r->shape.op : Negated(r->shape.op);
        c.constant = r->shape.constants[0];
        ranges.AddComparison(c, r->source);
      }
      Value nearest;
      if (ranges.Nearest(operand, current, &nearest)) {
        candidates.push_back(nearest);
      }
    }
    // Each test's own nearest values.
    for (const Requirement* r : requirements) {
      switch (r->shape.kind) {
        case ShapeKind::kIs:
          candidates.push_back(Value::Bool(r->holds));
          break;
        case ShapeKind::kCompare:
          CandidatesFor(r->holds ? r->shape.op : Negated(r->shape.op),
                        r->shape.constants[0], &candidates);
          break;
        case ShapeKind::kIn:
          if (r->holds) {
            for (const Value& c : r->shape.constants) candidates.push_back(c);
          } else {
            for (const Value& c : r->shape.constants) {
              CandidatesFor(CompareOp::kNe, c, &candidates);
            }
          }
          break;
        case ShapeKind::kHas:
          if (!r->holds) {
            candidates.push_back(Value::Error("absent"));
          } else if (type == ValueType::kTimestamp) {
            candidates.push_back(now_);
          } else {
            Value zero;
            zero.type = type;
            candidates.push_back(zero);
          }
          break;
        default:
          break;
      }
    }
    for (const Value& candidate : candidates) {
      // An error stands for the fact unset (for has()).
      if (candidate.type != type && !candidate.is_error()) continue;
      bool all = true;
      for (const Requirement* r : requirements) {
        if (!Satisfies(candidate, *r)) {
          all = false;
          break;
        }
      }
      if (!all) continue;
      if ((current.is_error() && candidate.is_error()) ||
          (!current.is_error() && Compare(candidate, current) == 0 &&
           candidate.type == current.type)) {
        *needed = false;  // it satisfies them as it is
        return true;
      }
      *needed = true;
      Describe(path, type, current, candidate, requirements, change);
      return true;
    }
    std::vector<std::string> sources;
    for (const Requirement* r : requirements) {
      if (std::find(sources.begin(), sources.end(), r->source) ==
          sources.end()) {
        sources.push_back(r->source);
      }
    }
    *failure =
        absl::StrCat("no value of ", path, " tact can state makes `",
                     absl::StrJoin(sources, "` and `"), "` come out as needed");
    return false;
  }

  // Fills `change` with setting `path` from `current` to `value`.
  static void Describe(const std::string& path, ValueType type,
                       const Value& current, const Value& value,
                       const std::vector<const Requirement*>& requirements,
                       FieldChange* change) {
    change->path = path;
    change->type = type;
    v1::ContextChange& c = change->change;
    c.set_field(path);
    const bool is_attribute = absl::StartsWith(path, "attributes.");
    if (value.is_error()) {  // has() must not hold: unset it
      c.set_kind("clear");
      c.set_text(absl::StrCat(path, " would have to be unset (it is ",
                              Shown(current), ")"));
      return;
    }
    const bool clear = !is_attribute && type == ValueType::kString &&
                       value.string_value.empty();
    c.set_kind(clear ? "clear" : "set");
    if (!clear) *c.mutable_value() = ToProto(value);
    // The phrase: the value where a test asks for one, the bound reached
    // where comparisons give one, else the values it must differ from.
    bool exact = false;
    bool has_lower = false, has_upper = false, present = false;
    std::vector<std::string> excluded;
    for (const Requirement* r : requirements) {
      if (r->shape.kind == ShapeKind::kHas) present = true;
      if (r->shape.kind == ShapeKind::kIs ||
          (r->shape.kind == ShapeKind::kCompare && type == ValueType::kBool)) {
        exact = true;
      }
      if (r->shape.kind == ShapeKind::kIn) {
        if (r->holds) {
          exact = true;
        } else {
          for (const Value& k : r->shape.constants) {
            excluded.push_back(FormatLiteral(k));
          }
        }
      }
      if (r->shape.kind != ShapeKind::kCompare) continue;
      const CompareOp op = r->holds ? r->shape.op : Negated(r->shape.op);
      if (op == CompareOp::kEq) exact = true;
      if (op == CompareOp::kGe || op == CompareOp::kGt) has_lower = true;
      if (op == CompareOp::kLe || op == CompareOp::kLt) has_upper = true;
      if (op == CompareOp::kNe) {
        excluded.push_back(FormatLiteral(r->shape.constants[0]));
      }
    }
    const std::optional<int> order = Compare(value, current);
    const bool up = order.has_value() ? *order > 0 : has_lower;
    std::string text = absl::StrCat(path, " would have to be ");
    if (exact) {
      absl::StrAppend(&text, FormatLiteral(value));
    } else if (has_lower && up) {
      absl::StrAppend(&text, "at least ", FormatLiteral(value));
    } else if (has_upper && !up) {
      absl::StrAppend(&text, "at most ", FormatLiteral(value));
    } else if (!excluded.empty()) {
      absl::StrAppend(&text, "other than ", absl::StrJoin(excluded, ", "));
    } else if (present) {
      absl::StrAppend(&text, "set");
    } else {
      absl::StrAppend(&text, FormatLiteral(value));
    }
    absl::StrAppend(&text, " (it is ", Shown(current), ")");
    if (!exact && !(has_lower && up) && !(has_upper && !up) &&
        (!excluded.empty() || present)) {
      absl::StrAppend(&text, "; ", clear ? "unset" : FormatLiteral(value),
                      " would do");
    }
    c.set_text(std::move(text));
  }

  // The most sub-conditions one ChangesFor call examines.
  static constexpr int kMaxSolveCalls = 10000;
  int calls_ = 0;
  const Program& program_;
  Frame& frame_;
  const Value now_;
  std::unique_ptr<ConstantValues> constants_;
};

// "`customer.tier == "gold"` was false: customer.tier is "silver"": what
// a conjunct read, with the facts its tests compare.
std::string Stands(const Program& program, const Conjunct& conjunct,
                   Frame& frame, absl::string_view was) {
  Value v = program.Evaluate(conjunct.expr, frame);
  std::string out = absl::StrCat("`", conjunct.source, "` ");
  if (v.is_error()) {
    absl::StrAppend(&out, "failed: ",
                    AbbreviateText(v.string_value, kMaxOperandValueBytes));
    return out;
  }
  absl::StrAppend(&out, "was ", was);
  // The values its operands had, as a trace shows them.
  std::vector<std::string> values;
  for (const Program::Operand& operand : program.OperandsOf(conjunct)) {
    values.push_back(absl::StrCat(
        operand.source, " is ",
        program.OperandValue(operand.expr, frame, kMaxOperandValueBytes)));
  }
  if (!values.empty()) absl::StrAppend(&out, ": ", absl::StrJoin(values, ", "));
  return out;
}

}  // namespace

ConditionChanges ChangesFor(const Program& program,
                            const std::vector<Conjunct>& when, Frame& frame,
                            const v1::Context& context, bool want,
                            const PolicyPlan* plan) {
  ConditionChanges result;
  ConditionResult before = EvaluateCondition(program, when, frame);
  const bool holds = before.holds();
  if (holds == want &&
      (want || before.status == ConditionResult::Status::kFalse)) {
    result.stated = true;
    return result;
  }
  int64_t now_nanos = 0;
  Value now_value = Value::Error("now is not set");
  if (context.has_now() && TimestampToNanos(context.now(), &now_nanos)) {
    now_value = Value::Timestamp(now_nanos);
  }
  Solver solver(program, frame, now_value);
  Attempt attempt;
  std::vector<std::string> stands;
  if (want) {
    for (const Conjunct& conjunct : when) {
      Value v = program.Evaluate(conjunct.expr, frame);
      if (!v.is_error() && v.bool_value) {
        // Kept true: a change of the fact it tests must still satisfy it.
        Shape shape = program.ShapeOf(conjunct.expr);
        if ((shape.kind == ShapeKind::kCompare ||
             shape.kind == ShapeKind::kIn || shape.kind == ShapeKind::kIs ||
             shape.kind == ShapeKind::kHas) &&
            !program.ContextPathOf(shape.operand).empty()) {
          attempt.requirements.push_back(
              {std::move(shape), true, conjunct.source});
        }
        continue;
      }
      stands.push_back(Stands(program, conjunct, frame, "false"));
      if (!attempt.failure.empty()) continue;
      solver.Solve(conjunct.expr, true, conjunct.source, &attempt);
    }
  } else {
    // Lifting: one conjunct false, the cheapest.
    std::vector<std::pair<ExprId, std::string>> options;
    for (const Conjunct& conjunct : when) {
      options.push_back({conjunct.expr, conjunct.source});
    }
    solver.SolveEither(options, false, &attempt);
    // Name the conjunct the chosen change makes false, or every one.
    for (const Conjunct& conjunct : when) {
      bool chosen = false;
      for (const Requirement& r : attempt.requirements) {
        if (r.source == conjunct.source) chosen = true;
      }
      if (chosen || attempt.requirements.empty()) {
        stands.push_back(Stands(program, conjunct, frame, "true"));
      }
    }
  }
  result.why = absl::StrJoin(stands, "; ");
  std::vector<FieldChange> changes;
  if (attempt.failure.empty()) solver.Resolve(attempt, &changes);
  if (!attempt.failure.empty()) {
    absl::StrAppend(&result.why, result.why.empty() ? "" : "; ",
                    attempt.failure);
    return result;
  }
  // Check: the condition comes out `want` on the changed context.
  v1::Context changed = context;
  for (const FieldChange& c : changes) {
    if (!ApplyFieldChange(c.change, &changed).ok()) {
      absl::StrAppend(&result.why, "; tact cannot apply its change of ",
                      c.path);
      return result;
    }
  }
  absl::StatusOr<std::unique_ptr<Frame>> check =
      Frame::Create(program, changed);
  if (!check.ok()) {
    absl::StrAppend(&result.why, "; the changed context is invalid: ",
                    check.status().message());
    return result;
  }
  if (plan != nullptr) {
    // The computed facts of the changed context, as a decision sees them.
    ProposeBuffers buffers;
    Outcome outcome;
    PrepareFrame(*plan, changed, **check, buffers, &outcome);
  }
  ConditionResult after = EvaluateCondition(program, when, **check);
  if (want ? !after.holds() : after.status != ConditionResult::Status::kFalse) {
    std::vector<std::string> fields;
    for (const FieldChange& c : changes) fields.push_back(c.path);
    absl::StrAppend(
        &result.why, "; changing ",
        fields.empty() ? "nothing" : absl::StrJoin(fields, ", "),
        " as the tests ask would not make it ", want ? "hold" : "stop holding",
        after.failed != nullptr
            ? absl::StrCat(" (`", after.failed->source, "` would be false)")
            : "");
    return result;
  }
  result.stated = true;
  for (FieldChange& c : changes) result.changes.push_back(std::move(c.change));
  return result;
}

namespace {

const char* KindName(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kBoolValue:
      return "a bool";
    case v1::Value::kIntValue:
      return "an int";
    case v1::Value::kDoubleValue:
      return "a double";
    case v1::Value::kStringValue:
      return "a string";
    case v1::Value::kTimestampValue:
      return "a timestamp";
    case v1::Value::kDurationValue:
      return "a duration";
    case v1::Value::KIND_NOT_SET:
      break;
  }
  return "no value";
}

// Clears the field, or sets it when the change's value is of its type
// (`accepted`, named `type`).
template <typename Clear, typename Set>
absl::Status ChangeField(const v1::ContextChange& change, const char* type,
                         bool accepted, Clear clear, Set set) {
  if (change.kind() == "clear") {
    clear();
    return absl::OkStatus();
  }
  if (!accepted) {
    return absl::InvalidArgumentError(
        absl::StrCat("context change of ", change.field(), ": the field is ",
                     type, "; the change sets ", KindName(change.value())));
  }
  set();
  return absl::OkStatus();
}

absl::Status NotAFact(const v1::ContextChange& change) {
  return absl::InvalidArgumentError(
      absl::StrCat("context change of ", change.field(),
                   ": not a fact a change can set (set customer.<field>, "
                   "case.<field>, now or attributes.<name>)"));
}

#define TACT_CHANGE_ROW(m, name, change, number, accessor, proto, json, KIND, \
                        Type)                                                 \
  if (name == proto) return TACT_CHANGE_##KIND(m, change, accessor);
#define TACT_CHANGE_STRING(m, change, accessor)              \
  ChangeField(                                               \
      change, "a string",                                    \
      change.value().kind_case() == v1::Value::kStringValue, \
      [&] { m->clear_##accessor(); },                        \
      [&] { m->set_##accessor(change.value().string_value()); })
#define TACT_CHANGE_INT64(m, change, accessor)                              \
  ChangeField(                                                              \
      change, "an int", change.value().kind_case() == v1::Value::kIntValue, \
      [&] { m->clear_##accessor(); },                                       \
      [&] { m->set_##accessor(change.value().int_value()); })
#define TACT_CHANGE_DOUBLE(m, change, accessor)                   \
  ChangeField(                                                    \
      change, "a double",                                         \
      change.value().kind_case() == v1::Value::kDoubleValue ||    \
          change.value().kind_case() == v1::Value::kIntValue,     \
      [&] { m->clear_##accessor(); },                             \
      [&] {                                                       \
        m->set_##accessor(                                        \
            change.value().kind_case() == v1::Value::kIntValue    \
                ? static_cast<double>(change.value().int_value()) \
                : change.value().double_value());                 \
      })
#define TACT_CHANGE_BOOL(m, change, accessor)                                \
  ChangeField(                                                               \
      change, "a bool", change.value().kind_case() == v1::Value::kBoolValue, \
      [&] { m->clear_##accessor(); },                                        \
      [&] { m->set_##accessor(change.value().bool_value()); })
#define TACT_CHANGE_TIMESTAMP(m, change, accessor)              \
  ChangeField(                                                  \
      change, "a timestamp",                                    \
      change.value().kind_case() == v1::Value::kTimestampValue, \
      [&] { m->clear_##accessor(); },                           \
      [&] { *m->mutable_##accessor() = change.value().timestamp_value(); })
#define TACT_CHANGE_MESSAGE(m, change, accessor) NotAFact(change)
#define TACT_CHANGE_REPEATED TACT_CHANGE_MESSAGE
#define TACT_CHANGE_MAP TACT_CHANGE_MESSAGE
#define TACT_CHANGE_DURATION TACT_CHANGE_MESSAGE

absl::Status ChangeCustomer(v1::Customer* m, absl::string_view name,
                            const v1::ContextChange& change) {
  TACT_V1_FIELDS_Customer(TACT_CHANGE_ROW, m, name, change);
  return NotAFact(change);
}

absl::Status ChangeCase(v1::Case* m, absl::string_view name,
                        const v1::ContextChange& change) {
  TACT_V1_FIELDS_Case(TACT_CHANGE_ROW, m, name, change);
  return NotAFact(change);
}

#undef TACT_CHANGE_ROW
#undef TACT_CHANGE_STRING
#undef TACT_CHANGE_INT64
#undef TACT_CHANGE_DOUBLE
#undef TACT_CHANGE_BOOL
#undef TACT_CHANGE_TIMESTAMP
#undef TACT_CHANGE_MESSAGE
#undef TACT_CHANGE_REPEATED
#undef TACT_CHANGE_MAP
#undef TACT_CHANGE_DURATION

}  // namespace

absl::Status ApplyFieldChange(const v1::ContextChange& change,
                              v1::Context* context) {
  if (change.kind() != "set" && change.kind() != "clear") {
    return absl::InvalidArgumentError(
        absl::StrCat("context change of ", change.field(), ": kind \"",
                     change.kind(), "\" is not \"set\" or \"clear\""));
  }
  absl::string_view path = change.field();
  if (path == "now") {
    return ChangeField(
        change, "a timestamp",
        change.value().kind_case() == v1::Value::kTimestampValue,
        [&] { context->clear_now(); },
        [&] { *context->mutable_now() = change.value().timestamp_value(); });
  }
  if (absl::ConsumePrefix(&path, "attributes.")) {
    if (path.empty()) return NotAFact(change);
    if (change.kind() == "clear") {
      context->mutable_attributes()->erase(std::string(path));
      return absl::OkStatus();
    }
    if (change.value().kind_case() == v1::Value::KIND_NOT_SET) {
      return absl::InvalidArgumentError(absl::StrCat(
          "context change of ", change.field(), ": the change sets no value"));
    }
    (*context->mutable_attributes())[std::string(path)] = change.value();
    return absl::OkStatus();
  }
  if (absl::ConsumePrefix(&path, "customer.")) {
    return ChangeCustomer(context->mutable_customer(), path, change);
  }
  if (absl::ConsumePrefix(&path, "case.")) {
    return ChangeCase(context->mutable_case_(), path, change);
  }
  return NotAFact(change);
}

}  // namespace tact::internal
