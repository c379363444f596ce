#include "src/policy/condition_ranges.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {
namespace {

using CompareOp = Program::CompareOp;

bool IsIntLike(ValueType t) {
  return t == ValueType::kInt || t == ValueType::kTimestamp ||
         t == ValueType::kDuration;
}

const v1::Context& EmptyContext() {
  static const v1::Context* const kEmpty = new v1::Context();
  return *kEmpty;
}

}  // namespace

ConstantValues::ConstantValues(const Program& program)
    : program_(program), usage_(program.ComputeUsage()) {
  absl::StatusOr<std::unique_ptr<Frame>> frame =
      Frame::Create(program, EmptyContext());
  if (frame.ok()) frame_ = *std::move(frame);
}

ConstantValues::~ConstantValues() = default;

bool ConstantValues::Fold(ExprId id, Value* out) {
  if (id < 0 || static_cast<size_t>(id) >= usage_.context_free.size() ||
      !usage_.context_free[id] || frame_ == nullptr) {
    return false;
  }
  auto it = memo_.find(id);
  if (it == memo_.end()) it = memo_.emplace(id, Evaluate(id)).first;
  if (!it->second.known) return false;
  *out = it->second.value;
  return true;
}

ConstantValues::Folded ConstantValues::Evaluate(ExprId id) {
  Value v = program_.Evaluate(id, *frame_);
  if (!frame_->budget_status().ok()) {
    // The frame's evaluation budget spans every constant evaluated so far:
    // start a fresh one, and call a constant that alone exceeds it unknown
    // (an exceeded budget is not the expression failing).
    if (!frame_->Reset(program_, EmptyContext()).ok()) {
      frame_.reset();
      return {};
    }
    v = program_.Evaluate(id, *frame_);
    if (!frame_->budget_status().ok()) {
      if (!frame_->Reset(program_, EmptyContext()).ok()) frame_.reset();
      return {};
    }
  }
  // Keep no view into the frame: errors lose their message, strings and
  // the other types are left unknown.
  if (v.is_error()) return {true, Value::Error("")};
  if (v.type != ValueType::kBool && v.type != ValueType::kInt &&
      v.type != ValueType::kDouble) {
    return {};
  }
  return {true, v};
}

bool ConstantValues::AlwaysTrue(ExprId id) {
  Value v;
  return Fold(id, &v) && v.type == ValueType::kBool && v.bool_value;
}

bool ConstantValues::NeverTrue(ExprId id) {
  Value v;
  return Fold(id, &v) &&
         (v.is_error() || (v.type == ValueType::kBool && !v.bool_value));
}

ConditionRanges::ConditionRanges(ConstantValues* constants)
    : constants_(constants) {}

void ConditionRanges::Clear() {
  conjuncts_.clear();
  ranges_.clear();
  why_.clear();
}

void ConditionRanges::Add(const std::vector<Conjunct>& conjuncts) {
  for (const Conjunct& conjunct : conjuncts) {
    conjuncts_.insert(conjunct.expr);
    if (!why_.empty()) continue;
    if (constants_->NeverTrue(conjunct.expr)) {
      why_ = absl::StrCat("`", conjunct.source, "` is never true");
      continue;
    }
    Program::Comparison c;
    if (!constants_->program().AsComparison(conjunct.expr, &c)) continue;
    if (c.constant.type == ValueType::kDouble &&
        std::isnan(c.constant.double_value)) {
      continue;  // unsure: leave it opaque
    }
    Range& range = ranges_[c.operand];
    range.type = c.constant.type;
    if (range.sources.size() < 4) range.sources.push_back(conjunct.source);
    Narrow(range, c);
    if (Empty(range)) {
      why_ =
          absl::StrCat("no value satisfies `",
                       absl::StrJoin(range.sources, "` and `"), "` together");
    }
  }
}

void ConditionRanges::AddComparison(const Program::Comparison& c,
                                    const std::string& source) {
  if (!why_.empty()) return;
  if (c.constant.type == ValueType::kDouble &&
      std::isnan(c.constant.double_value)) {
    return;  // unsure: leave it opaque
  }
  if (c.constant.type == ValueType::kString && c.op != CompareOp::kEq) return;
  Range& range = ranges_[c.operand];
  range.type = c.constant.type;
  if (range.sources.size() < 4) range.sources.push_back(source);
  Narrow(range, c);
  if (Empty(range)) {
    why_ = absl::StrCat("no value satisfies `",
                        absl::StrJoin(range.sources, "` and `"), "` together");
  }
}

bool ConditionRanges::Nearest(ExprId operand, const Value& current,
                              Value* out) const {
  if (!why_.empty()) return false;
  auto it = ranges_.find(operand);
  if (it == ranges_.end()) return false;
  const Range& r = it->second;
  if (r.none || Empty(r)) return false;
  const bool known =
      current.type == r.type &&
      !(r.type == ValueType::kDouble && std::isnan(current.double_value));
  if (IsIntLike(r.type)) {
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    const int64_t lo = r.has_lo ? r.int_lo : kMin;
    const int64_t hi = r.has_hi ? r.int_hi : kMax;
    int64_t start = known      ? current.int_value
                    : r.has_lo ? lo
                    : r.has_hi ? hi
                               : 0;
    start = std::clamp(start, lo, hi);
    auto allowed = [&](int64_t v) {
      return std::none_of(r.ne.begin(), r.ne.end(),
                          [&](const Value& n) { return n.int_value == v; });
    };
    // At most ne.size() values are excluded, so one within that distance
    // on either side is allowed (Empty() said the range has one).
    const uint64_t up_room =
        static_cast<uint64_t>(hi) - static_cast<uint64_t>(start);
    const uint64_t down_room =
        static_cast<uint64_t>(start) - static_cast<uint64_t>(lo);
    for (uint64_t d = 0; d <= r.ne.size(); ++d) {
      const int64_t up = static_cast<int64_t>(static_cast<uint64_t>(start) + d);
      const int64_t down =
          static_cast<int64_t>(static_cast<uint64_t>(start) - d);
      for (auto [room, v] :
           {std::pair{up_room, up}, std::pair{down_room, down}}) {
        if (d <= room && allowed(v)) {
          *out = Value();
          out->type = r.type;
          out->int_value = v;
          return true;
        }
      }
    }
    return false;
  }
  if (r.type != ValueType::kDouble) return false;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const double lo = !r.has_lo     ? -kInf
                    : r.lo_strict ? std::nextafter(r.lo, kInf)
                                  : r.lo;
  const double hi = !r.has_hi     ? kInf
                    : r.hi_strict ? std::nextafter(r.hi, -kInf)
                                  : r.hi;
  if (lo > hi) return false;
  double start = known      ? current.double_value
                 : r.has_lo ? lo
                 : r.has_hi ? hi
                            : 0;
  start = std::clamp(start, lo, hi);
  auto allowed = [&](double v) {
    return v >= lo && v <= hi &&
           std::none_of(r.ne.begin(), r.ne.end(),
                        [&](const Value& n) { return n.double_value == v; });
  };
  double up = start, down = start;
  for (size_t d = 0; d <= r.ne.size(); ++d) {
    if (allowed(up)) {
      *out = Value::Double(up);
      return true;
    }
    if (allowed(down)) {
      *out = Value::Double(down);
      return true;
    }
    up = std::nextafter(up, kInf);
    down = std::nextafter(down, -kInf);
  }
  return false;
}

void ConditionRanges::Narrow(Range& r, const Program::Comparison& c) {
  const Value& k = c.constant;
  if (r.type == ValueType::kString) {
    // Strings: AsComparison gives only ==.
    std::string s(k.string_value);
    if (r.has_eq_string && r.eq_string != s) r.none = true;
    r.has_eq_string = true;
    r.eq_string = std::move(s);
    return;
  }
  if (IsIntLike(r.type)) {
    const int64_t v = k.int_value;
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    auto raise = [&](bool ok, int64_t lo) {
      if (!ok) r.none = true;
      if (!r.has_lo || lo > r.int_lo) r.int_lo = lo;
      r.has_lo = true;
    };
    auto lower = [&](bool ok, int64_t hi) {
      if (!ok) r.none = true;
      if (!r.has_hi || hi < r.int_hi) r.int_hi = hi;
      r.has_hi = true;
    };
    switch (c.op) {
      case CompareOp::kEq:
        raise(true, v);
        lower(true, v);
        break;
      case CompareOp::kNe:
        r.ne.push_back(k);
        break;
      case CompareOp::kLt:
        lower(v != kMin, v - (v != kMin ? 1 : 0));
        break;
      case CompareOp::kLe:
        lower(true, v);
        break;
      case CompareOp::kGt:
        raise(v != kMax, v + (v != kMax ? 1 : 0));
        break;
      case CompareOp::kGe:
        raise(true, v);
        break;
    }
    return;
  }
  // Doubles.
  const double v = k.double_value;
  auto raise = [&](double lo, bool strict) {
    if (!r.has_lo || lo > r.lo || (lo == r.lo && strict)) {
      r.lo = lo;
      r.lo_strict = strict;
    }
    r.has_lo = true;
  };
  auto lower = [&](double hi, bool strict) {
    if (!r.has_hi || hi < r.hi || (hi == r.hi && strict)) {
      r.hi = hi;
      r.hi_strict = strict;
    }
    r.has_hi = true;
  };
  switch (c.op) {
    case CompareOp::kEq:
      raise(v, false);
      lower(v, false);
      break;
    case CompareOp::kNe:
      r.ne.push_back(k);
      break;
    case CompareOp::kLt:
      lower(v, true);
      break;
    case CompareOp::kLe:
      lower(v, false);
      break;
    case CompareOp::kGt:
      raise(v, true);
      break;
    case CompareOp::kGe:
      raise(v, false);
      break;
  }
}

bool ConditionRanges::Empty(const Range& r) {
  if (r.none) return true;
  if (r.type == ValueType::kString) return false;
  if (IsIntLike(r.type)) {
    if (!r.has_lo || !r.has_hi) return false;  // infinitely many left
    if (r.int_lo > r.int_hi) return true;
    // Every value of [lo, hi] excluded by a `!=`?
    std::vector<int64_t> out;
    for (const Value& v : r.ne) {
      if (v.int_value >= r.int_lo && v.int_value <= r.int_hi) {
        out.push_back(v.int_value);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    const uint64_t width =
        static_cast<uint64_t>(r.int_hi) - static_cast<uint64_t>(r.int_lo);
    return !out.empty() && width < out.size();
  }
  if (!r.has_lo || !r.has_hi) return false;
  if (r.lo > r.hi) return true;
  if (r.lo < r.hi) return false;
  if (r.lo_strict || r.hi_strict) return true;
  for (const Value& v : r.ne) {
    if (v.double_value == r.lo) return true;
  }
  return false;
}

bool ConditionRanges::RangeImplies(const Range& r,
                                   const Program::Comparison& c) {
  const Value& k = c.constant;
  if (r.type != k.type) return false;
  if (r.type == ValueType::kString) {
    return c.op == CompareOp::kEq && r.has_eq_string &&
           r.eq_string == k.string_value;
  }
  if (IsIntLike(r.type)) {
    const int64_t v = k.int_value;
    switch (c.op) {
      case CompareOp::kEq:
        return r.has_lo && r.has_hi && r.int_lo == v && r.int_hi == v;
      case CompareOp::kNe:
        if ((r.has_lo && v < r.int_lo) || (r.has_hi && v > r.int_hi)) {
          return true;
        }
        return std::any_of(r.ne.begin(), r.ne.end(),
                           [&](const Value& n) { return n.int_value == v; });
      case CompareOp::kLt:
        return r.has_hi && r.int_hi < v;
      case CompareOp::kLe:
        return r.has_hi && r.int_hi <= v;
      case CompareOp::kGt:
        return r.has_lo && r.int_lo > v;
      case CompareOp::kGe:
        return r.has_lo && r.int_lo >= v;
    }
    return false;
  }
  const double v = k.double_value;
  if (std::isnan(v)) return false;
  switch (c.op) {
    case CompareOp::kEq:
      return r.has_lo && r.has_hi && r.lo == v && r.hi == v && !r.lo_strict &&
             !r.hi_strict;
    case CompareOp::kNe:
      if ((r.has_lo && (v < r.lo || (v == r.lo && r.lo_strict))) ||
          (r.has_hi && (v > r.hi || (v == r.hi && r.hi_strict)))) {
        return true;
      }
      return std::any_of(r.ne.begin(), r.ne.end(),
                         [&](const Value& n) { return n.double_value == v; });
    case CompareOp::kLt:
      return r.has_hi && (r.hi < v || (r.hi == v && r.hi_strict));
    case CompareOp::kLe:
      return r.has_hi && r.hi <= v;
    case CompareOp::kGt:
      return r.has_lo && (r.lo > v || (r.lo == v && r.lo_strict));
    case CompareOp::kGe:
      return r.has_lo && r.lo >= v;
  }
  return false;
}

bool ConditionRanges::Implies(const Conjunct& conjunct) const {
  if (conjuncts_.contains(conjunct.expr)) return true;
  if (constants_->AlwaysTrue(conjunct.expr)) return true;
  Program::Comparison c;
  if (!constants_->program().AsComparison(conjunct.expr, &c)) return false;
  auto it = ranges_.find(c.operand);
  return it != ranges_.end() && RangeImplies(it->second, c);
}

bool ConditionRanges::ImpliesAll(const std::vector<Conjunct>& conjuncts) const {
  for (const Conjunct& c : conjuncts) {
    if (!Implies(c)) return false;
  }
  return true;
}

}  // namespace tact::internal
