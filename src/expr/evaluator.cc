// The evaluator: runs a Program's planned nodes over a Frame
// (Program::Evaluate). Operators and the built-ins that steer evaluation
// (has, min, max, the macros over history) are implemented here; the other
// built-ins' arithmetic is in builtin_functions.h.
#include "src/expr/evaluator.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/expr/builtin_functions.h"
#include "src/expr/context_schema.h"
#include "src/expr/frame_state.h"
#include "src/expr/planner.h"
#include "src/expr/program.h"
#include "src/expr/program_impl.h"
#include "src/expr/specializer.h"

namespace tact::internal {
namespace {

class Evaluator {
 public:
  Evaluator(const CompiledProgram& p, FrameState& f) : p_(p), f_(f) {}

  // Evaluates kCount node `id` as Eval does, appending the history index
  // of each event counted to `*counted`.
  Value CountNode(int32_t id, std::vector<int32_t>* counted) {
    if (ABSL_PREDICT_FALSE(--f_.countdown < 0) && !f_.Tick()) {
      return f_.ExhaustedValue();
    }
    return Macro(p_.exec[id], counted);
  }

  Value Eval(int32_t id) {
    // Every node evaluated is a step (EvalBudget).
    if (ABSL_PREDICT_FALSE(--f_.countdown < 0) && !f_.Tick()) {
      return f_.ExhaustedValue();
    }
    const Node& n = p_.exec[id];
    switch (n.op) {
      case Op::kConst:
        return n.constant;
      case Op::kSlot:
        return f_.slots[n.a];
      case Op::kEventField:
        return EventFields()[n.b].get(CurrentEvent(n.a));
      case Op::kCmpConst: {
        Value v = n.b == 1 ? EvalStrict(p_.exec[n.a]) : Operand(n.a);
        if (v.is_error()) return v;
        return ChargedCompare(static_cast<Op>(n.c), v, n.constant);
      }
      case Op::kCmpSlotConst: {
        const Value& v = f_.slots[n.a];
        if (v.is_error()) return v;
        return ChargedCompare(static_cast<Op>(n.c), v, n.constant);
      }
      case Op::kCmpEventConst: {
        Value v = EventFields()[n.b].get(CurrentEvent(n.a));
        if (v.is_error()) return v;
        return ChargedCompare(static_cast<Op>(n.c), v, n.constant);
      }
      case Op::kEqEventString:
      case Op::kNeEventString: {
        const absl::string_view field = EventString(CurrentEvent(n.a), n.b);
        if (!ChargeCompared(field, n.constant.string_value)) {
          return f_.ExhaustedValue();
        }
        return Value::Bool((field == n.constant.string_value) ==
                           (n.op == Op::kEqEventString));
      }
      case Op::kDefinition: {
        if (f_.definition_epoch[n.a] == f_.epoch) {
          return f_.definition_values[n.a];
        }
        const int32_t outer = f_.definition;
        f_.definition = n.a;
        Value v = Eval(n.b);
        f_.definition = outer;
        // A budget exceeded inside is the decision's error, not the value.
        if (!f_.exhausted.ok()) return v;
        f_.definition_values[n.a] = v;
        f_.definition_epoch[n.a] = f_.epoch;
        return v;
      }
      case Op::kNot: {
        Value v = Eval(n.a);
        return v.is_error() ? v : Value::Bool(!v.bool_value);
      }
      case Op::kAnd:
      case Op::kOr: {
        // CEL: a decisive operand wins over an error on the other side.
        const bool decisive = n.op == Op::kOr;
        Value l = Eval(n.a);
        if (!l.is_error() && l.bool_value == decisive) return l;
        Value r = Eval(n.b);
        if (!r.is_error() && r.bool_value == decisive) return r;
        if (l.is_error()) return l;
        return r;
      }
      case Op::kTernary: {
        Value c = Operand(n.a);
        if (c.is_error()) return c;
        return Operand(c.bool_value ? n.b : n.c);
      }
      case Op::kEq:
      case Op::kNe:
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: {
        Value l = Operand(n.a);
        if (l.is_error()) return l;
        Value r = Operand(n.b);
        if (r.is_error()) return r;
        return ChargedCompare(n.op, l, r);
      }
      case Op::kHistory:
      case Op::kNegInt:
      case Op::kNegDouble:
      case Op::kNegDuration:
      case Op::kIn:
      case Op::kMin:
      case Op::kMax:
      case Op::kHas:
      case Op::kSizeList:
      case Op::kExists:
      case Op::kAll:
      case Op::kExistsOne:
      case Op::kCount:
      case Op::kFilter:
        return EvalCold(n);
      default:
        return EvalStrict(n);
    }
  }

 private:
  // Eval, reading constants and slots in place (no call).
  ABSL_ATTRIBUTE_ALWAYS_INLINE Value Operand(int32_t id) {
    const Node& n = p_.exec[id];
    if (n.op == Op::kSlot) return f_.slots[n.a];
    if (n.op == Op::kConst) return n.constant;
    if (n.op == Op::kEventField) {
      return EventFields()[n.b].get(CurrentEvent(n.a));
    }
    return Eval(id);
  }

  // The operations Eval does not handle in place; out of line so that
  // Eval's own frame stays small.
  ABSL_ATTRIBUTE_NOINLINE Value EvalCold(const Node& n) {
    switch (n.op) {
      case Op::kHistory:
        return Value::Error("list(event) has no scalar value");
      case Op::kNegInt: {
        Value v = Eval(n.a);
        if (v.is_error()) return v;
        if (v.int_value == std::numeric_limits<int64_t>::min()) {
          return Value::Error(kIntOverflow);
        }
        return Value::Int(-v.int_value);
      }
      case Op::kNegDouble: {
        Value v = Eval(n.a);
        return v.is_error() ? v : Value::Double(-v.double_value);
      }
      case Op::kNegDuration: {
        Value v = Eval(n.a);
        if (v.is_error()) return v;
        if (v.int_value == std::numeric_limits<int64_t>::min()) {
          return Value::Error(kDurationOverflow);
        }
        return Value::Duration(-v.int_value);
      }
      case Op::kIn: {
        Value needle = Eval(n.a);
        if (needle.is_error()) return needle;
        Value error;
        bool has_error = false;
        for (int32_t k = 0; k < n.c; ++k) {
          Value item = Eval(p_.args[n.b + k]);
          if (item.is_error()) {
            if (!has_error) error = item, has_error = true;
            continue;
          }
          Value eq = ChargedCompare(Op::kEq, needle, item);
          if (eq.is_error()) return eq;  // the budget
          if (eq.bool_value) return Value::Bool(true);
        }
        return has_error ? error : Value::Bool(false);
      }
      case Op::kMin:
      case Op::kMax: {
        Value best;
        for (int32_t k = 0; k < n.c; ++k) {
          Value v = Eval(p_.args[n.b + k]);
          if (v.is_error()) return v;
          if (k == 0) {
            best = v;
            continue;
          }
          Value better =
              ChargedCompare(n.op == Op::kMin ? Op::kLt : Op::kGt, v, best);
          if (better.is_error()) return better;  // the budget
          if (better.bool_value) best = v;
        }
        return best;
      }
      case Op::kHas: {
        Value v = Eval(n.a);
        if (v.is_error()) return Value::Bool(false);
        if (n.c == 1) return Value::Bool(true);  // presence semantics
        switch (v.type) {
          case ValueType::kBool:
            return Value::Bool(v.bool_value);
          case ValueType::kDouble:
            return Value::Bool(v.double_value != 0);
          case ValueType::kString:
            return Value::Bool(!v.string_value.empty());
          default:
            return Value::Bool(v.int_value != 0);
        }
      }
      case Op::kSizeList: {
        int64_t count = 0;
        Value err = ForEach(n.a, [&](int32_t) {
          ++count;
          return true;
        });
        return err.is_error() ? err : Value::Int(count);
      }
      case Op::kExists:
      case Op::kAll:
      case Op::kExistsOne:
      case Op::kCount:
      case Op::kFilter:
        return Macro(n);
      default:
        break;
    }
    return EvalStrict(n);
  }

 public:
  // Calls `fn(index)` for each history index of list node `list` until it
  // returns false. Returns an error when a filter predicate fails, else a
  // non-error value. Loop variables of the filters are restored after.
  template <typename Fn>
  Value ForEach(int32_t list, Fn fn) {
    // Only the events visible at now (history_view.h).
    const HistoryView& view = f_.history;
    const int size = view.size();
    if (p_.exec[list].op == Op::kHistory) {
      // Every element visited is a step (EvalBudget).
      if (view.all()) {
        for (int32_t i = 0; i < size; ++i) {
          if (--f_.countdown < 0 && !f_.Tick()) return f_.ExhaustedValue();
          if (!fn(i)) break;
        }
      } else {
        for (int32_t k = 0; k < size; ++k) {
          if (--f_.countdown < 0 && !f_.Tick()) return f_.ExhaustedValue();
          if (!fn(view.index(k))) break;
        }
      }
      return Value::Bool(true);
    }
    // A chain of kFilter nodes over the history.
    absl::InlinedVector<std::pair<int32_t, int32_t>, 4> saved;
    for (int32_t l = list; p_.exec[l].op != Op::kHistory; l = p_.exec[l].a) {
      saved.emplace_back(p_.exec[l].c, f_.loop[p_.exec[l].c]);
    }
    Value result = Value::Bool(true);
    for (int32_t k = 0; k < size; ++k) {
      if (--f_.countdown < 0 && !f_.Tick()) {
        result = f_.ExhaustedValue();
        break;
      }
      const int32_t i = view.index(k);
      if (!Keep(list, i, &result)) {
        if (result.is_error()) break;
        continue;
      }
      if (!fn(i)) break;
    }
    for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
      f_.loop[it->first] = it->second;
    }
    return result;
  }

 private:
  const v1::Event& CurrentEvent(int32_t depth) const {
    return f_.context->history(f_.loop[depth]);
  }

  // The string event field `code` (an EventStringField) of `e`.
  static absl::string_view EventString(const v1::Event& e, int32_t code) {
    switch (static_cast<EventStringField>(code)) {
      case EventStringField::kKind:
        return e.kind();
      case EventStringField::kCaseId:
        return e.case_id();
      default:
        return e.ref();
    }
  }

  // Whether history event `i` passes every filter of list node `list`
  // (innermost first). False with `*error` set when a predicate fails.
  bool Keep(int32_t list, int32_t i, Value* error) {
    const Node& n = p_.exec[list];
    if (n.op == Op::kHistory) return true;
    if (!Keep(n.a, i, error)) return false;
    f_.loop[n.c] = i;
    Value keep = Eval(n.b);
    if (keep.is_error()) {
      *error = keep;
      return false;
    }
    return keep.bool_value;
  }

  // A macro over the history; for kCount, with `counted` not null, the
  // history index of each event counted is appended to it.
  ABSL_ATTRIBUTE_NOINLINE Value Macro(const Node& n,
                                      std::vector<int32_t>* counted = nullptr) {
    if (n.op == Op::kFilter) {
      return Value::Error("list(event) has no scalar value");
    }
    const int32_t depth = n.c;
    const int32_t saved = f_.loop[depth];
    int64_t hits = 0;
    bool decided = false;
    Value error;
    bool has_error = false;
    const Op op = n.op;
    const int32_t predicate = n.b;
    const bool absorb = op == Op::kExists || op == Op::kAll;
    Value failed = ForEach(n.a, [&](int32_t i) {
      f_.loop[depth] = i;
      Value v = Eval(predicate);
      if (v.is_error()) {
        if (!has_error) error = v, has_error = true;
        // exists/all may still be decided by another element (CEL).
        return absorb;
      }
      if (op == Op::kExists && v.bool_value) {
        decided = true;
        return false;
      }
      if (op == Op::kAll && !v.bool_value) {
        decided = true;
        return false;
      }
      if (v.bool_value) {
        ++hits;
        if (counted != nullptr) counted->push_back(i);
      }
      return true;
    });
    f_.loop[depth] = saved;
    if (failed.is_error()) return failed;
    switch (op) {
      case Op::kExists:
        if (decided) return Value::Bool(true);
        return has_error ? error : Value::Bool(false);
      case Op::kAll:
        if (decided) return Value::Bool(false);
        return has_error ? error : Value::Bool(true);
      case Op::kExistsOne:
        return has_error ? error : Value::Bool(hits == 1);
      default:  // kCount
        return has_error ? error : Value::Int(hits);
    }
  }

  static Value Compare(Op op, const Value& l, const Value& r) {
    if (l.type == ValueType::kDouble) {
      const double a = l.double_value, b = r.double_value;
      switch (op) {
        case Op::kEq:
          return Value::Bool(a == b);
        case Op::kNe:
          return Value::Bool(a != b);
        case Op::kLt:
          return Value::Bool(a < b);
        case Op::kLe:
          return Value::Bool(a <= b);
        case Op::kGt:
          return Value::Bool(a > b);
        default:
          return Value::Bool(a >= b);
      }
    }
    int c;
    if (l.type == ValueType::kString) {
      if (op == Op::kEq) return Value::Bool(l.string_value == r.string_value);
      if (op == Op::kNe) return Value::Bool(l.string_value != r.string_value);
      int k = l.string_value.compare(r.string_value);
      c = k < 0 ? -1 : k > 0 ? 1 : 0;
    } else if (l.type == ValueType::kBool) {
      c = static_cast<int>(l.bool_value) - static_cast<int>(r.bool_value);
    } else {
      c = l.int_value < r.int_value ? -1 : l.int_value > r.int_value ? 1 : 0;
    }
    switch (op) {
      case Op::kEq:
        return Value::Bool(c == 0);
      case Op::kNe:
        return Value::Bool(c != 0);
      case Op::kLt:
        return Value::Bool(c < 0);
      case Op::kLe:
        return Value::Bool(c <= 0);
      case Op::kGt:
        return Value::Bool(c > 0);
      default:
        return Value::Bool(c >= 0);
    }
  }

  // Operators whose every operand is evaluated and any error propagates.
  ABSL_ATTRIBUTE_NOINLINE Value EvalStrict(const Node& n) {
    Value a = Operand(n.a);
    if (a.is_error()) return a;
    Value b;
    if (n.b >= 0) {
      b = Operand(n.b);
      if (b.is_error()) return b;
    }
    int64_t out;
    switch (n.op) {
      case Op::kAddInt:
        if (__builtin_add_overflow(a.int_value, b.int_value, &out)) {
          return Value::Error(kIntOverflow);
        }
        return Value::Int(out);
      case Op::kSubInt:
        if (__builtin_sub_overflow(a.int_value, b.int_value, &out)) {
          return Value::Error(kIntOverflow);
        }
        return Value::Int(out);
      case Op::kMulInt:
        if (__builtin_mul_overflow(a.int_value, b.int_value, &out)) {
          return Value::Error(kIntOverflow);
        }
        return Value::Int(out);
      case Op::kDivInt:
      case Op::kModInt:
        if (b.int_value == 0) {
          return Value::Error(n.op == Op::kDivInt ? "division by zero"
                                                  : "modulus by zero");
        }
        if (b.int_value == -1 &&
            a.int_value == std::numeric_limits<int64_t>::min()) {
          return n.op == Op::kDivInt ? Value::Error(kIntOverflow)
                                     : Value::Int(0);
        }
        return Value::Int(n.op == Op::kDivInt ? a.int_value / b.int_value
                                              : a.int_value % b.int_value);
      case Op::kAddDouble:
        return Value::Double(a.double_value + b.double_value);
      case Op::kSubDouble:
        return Value::Double(a.double_value - b.double_value);
      case Op::kMulDouble:
        return Value::Double(a.double_value * b.double_value);
      case Op::kDivDouble:
        return Value::Double(a.double_value / b.double_value);
      case Op::kConcat:
        if (!f_.ChargeBytes(static_cast<int64_t>(a.string_value.size() +
                                                 b.string_value.size()),
                            "a concatenation")) {
          return f_.ExhaustedValue();
        }
        return Value::String(
            f_.Keep(absl::StrCat(a.string_value, b.string_value)));
      case Op::kAddTimestampDuration:
      case Op::kSubTimestampDuration:
        if (n.op == Op::kAddTimestampDuration
                ? __builtin_add_overflow(a.int_value, b.int_value, &out)
                : __builtin_sub_overflow(a.int_value, b.int_value, &out)) {
          return Value::Error(kTimestampOverflow);
        }
        return Value::Timestamp(out);
      case Op::kSubTimestampTimestamp:
      case Op::kAddDurationDuration:
      case Op::kSubDurationDuration:
        if (n.op == Op::kAddDurationDuration
                ? __builtin_add_overflow(a.int_value, b.int_value, &out)
                : __builtin_sub_overflow(a.int_value, b.int_value, &out)) {
          return Value::Error(kDurationOverflow);
        }
        return Value::Duration(out);
      case Op::kSizeString:
        if (!ChargeScan(a.string_value)) return f_.ExhaustedValue();
        return builtin::SizeOfString(a.string_value);
      case Op::kContains:
        // The haystack is scanned and the needle preprocessed.
        if (!f_.ChargeSteps(static_cast<int64_t>(a.string_value.size() +
                                                 b.string_value.size()) /
                            kBytesPerStep)) {
          return f_.ExhaustedValue();
        }
        return builtin::Contains(a.string_value, b.string_value);
      case Op::kStartsWith:
        if (!ChargeCompared(a.string_value, b.string_value)) {
          return f_.ExhaustedValue();
        }
        return builtin::StartsWith(a.string_value, b.string_value);
      case Op::kEndsWith:
        if (!ChargeCompared(a.string_value, b.string_value)) {
          return f_.ExhaustedValue();
        }
        return builtin::EndsWith(a.string_value, b.string_value);
      case Op::kMatches:
        if (!ChargeScan(a.string_value)) return f_.ExhaustedValue();
        return builtin::Matches(a.string_value, *n.regex);
      case Op::kLowerAscii:
        if (!f_.ChargeBytes(static_cast<int64_t>(a.string_value.size()),
                            "lowerAscii()")) {
          return f_.ExhaustedValue();
        }
        return builtin::LowerAscii(a.string_value, f_);
      case Op::kAbsInt:
        return builtin::AbsInt(a.int_value);
      case Op::kAbsDouble:
        return builtin::AbsDouble(a.double_value);
      case Op::kAbsDuration:
        return builtin::AbsDuration(a.int_value);
      case Op::kIntToDouble:
        return builtin::IntToDouble(a.int_value);
      case Op::kDoubleToInt:
        return builtin::DoubleToInt(a.double_value);
      case Op::kStringToInt:
        if (!ChargeScan(a.string_value)) return f_.ExhaustedValue();
        return builtin::StringToInt(a.string_value, f_);
      case Op::kTimestampToInt:
        return builtin::TimestampToInt(a.int_value);
      case Op::kStringToDouble:
        if (!ChargeScan(a.string_value)) return f_.ExhaustedValue();
        return builtin::StringToDouble(a.string_value, f_);
      case Op::kToString:
        return builtin::ToString(a, f_);
      case Op::kGetFullYear:
        return builtin::GetFullYear(a.int_value, p_.zones[n.c]);
      case Op::kGetMonth:
        return builtin::GetMonth(a.int_value, p_.zones[n.c]);
      case Op::kGetDate:
        return builtin::GetDate(a.int_value, p_.zones[n.c]);
      case Op::kGetDayOfMonth:
        return builtin::GetDayOfMonth(a.int_value, p_.zones[n.c]);
      case Op::kGetDayOfWeek:
        return builtin::GetDayOfWeek(a.int_value, p_.zones[n.c]);
      case Op::kGetDayOfYear:
        return builtin::GetDayOfYear(a.int_value, p_.zones[n.c]);
      case Op::kGetHours:
        return builtin::GetHours(a.int_value, p_.zones[n.c]);
      case Op::kGetMinutes:
        return builtin::GetMinutes(a.int_value, p_.zones[n.c]);
      case Op::kGetSeconds:
        return builtin::GetSeconds(a.int_value, p_.zones[n.c]);
      case Op::kGetMilliseconds:
        return builtin::GetMilliseconds(a.int_value);
      case Op::kDurationHours:
        return builtin::DurationHours(a.int_value);
      case Op::kDurationMinutes:
        return builtin::DurationMinutes(a.int_value);
      case Op::kDurationSeconds:
        return builtin::DurationSeconds(a.int_value);
      case Op::kDurationMilliseconds:
        return builtin::DurationMilliseconds(a.int_value);
      case Op::kInBusinessHours:
        return builtin::InBusinessHours(a.int_value, p_.calendars[n.c]);
      case Op::kBusinessDuration:
        return builtin::BusinessDuration(a.int_value, b.int_value,
                                         p_.calendars[n.c]);
      case Op::kServiceCost:
        return ServiceCost(a.int_value);
      default:
        return Value::Error("internal error: unknown operation");
    }
  }

  // serviceCost(window): the sum of the positive amounts of the visible
  // events of kind "service_cost" with now - window <= at <= now, minor
  // units, saturating at the int64 maximum. This case's own events at
  // exactly now are left out: they are this decision's effects, recorded by
  // a host deciding the case again at the same now, so the decision does not
  // change by being recorded. A negative window counts as 0 (the events at
  // now): never fewer costs than the smallest window.
  Value ServiceCost(int64_t window) {
    window = std::max<int64_t>(window, 0);
    const v1::Context& context = *f_.context;
    const google::protobuf::Timestamp& now = context.now();
    auto time_of = [](const google::protobuf::Timestamp& t) {
      return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
    };
    const absl::Time now_time = time_of(now);
    const absl::Time from = now_time - absl::Nanoseconds(window);
    const std::string& case_id = context.case_().id();
    int64_t total = 0;
    const HistoryView& view = f_.history;  // at <= now
    const int size = view.size();
    for (int k = 0; k < size; ++k) {
      if (--f_.countdown < 0 && !f_.Tick()) return f_.ExhaustedValue();
      const v1::Event& e = view[k];
      if (e.amount() <= 0 || e.kind() != "service_cost") continue;
      const absl::Time at = time_of(e.at());
      if (at < from) continue;
      if (at == now_time && !case_id.empty() && e.case_id() == case_id) {
        continue;
      }
      if (__builtin_add_overflow(total, e.amount(), &total)) {
        total = std::numeric_limits<int64_t>::max();
      }
    }
    return Value::Int(total);
  }

  // Charges the steps of scanning `s` (one per kBytesPerStep bytes).
  bool ChargeScan(absl::string_view s) {
    return f_.ChargeSteps(static_cast<int64_t>(s.size()) / kBytesPerStep);
  }

  // Charges the steps of comparing `a` with `b` (==, <, startsWith...):
  // one per kBytesPerStep bytes of the shorter, the most compared.
  bool ChargeCompared(absl::string_view a, absl::string_view b) {
    return f_.ChargeSteps(static_cast<int64_t>(std::min(a.size(), b.size())) /
                          kBytesPerStep);
  }

  // Compare, charging the steps of comparing strings.
  Value ChargedCompare(Op op, const Value& l, const Value& r) {
    if (l.type == ValueType::kString &&
        !ChargeCompared(l.string_value, r.string_value)) {
      return f_.ExhaustedValue();
    }
    return Compare(op, l, r);
  }

  const CompiledProgram& p_;
  FrameState& f_;
};

}  // namespace

bool IsStrict(Op op) {
  switch (op) {
    case Op::kAddInt:
    case Op::kSubInt:
    case Op::kMulInt:
    case Op::kDivInt:
    case Op::kModInt:
    case Op::kAddDouble:
    case Op::kSubDouble:
    case Op::kMulDouble:
    case Op::kDivDouble:
    case Op::kAddTimestampDuration:
    case Op::kSubTimestampDuration:
    case Op::kSubTimestampTimestamp:
    case Op::kAddDurationDuration:
    case Op::kSubDurationDuration:
    case Op::kSizeString:
    case Op::kIntToDouble:
    case Op::kDoubleToInt:
    case Op::kTimestampToInt:
    case Op::kGetFullYear:
    case Op::kGetMonth:
    case Op::kGetDate:
    case Op::kGetDayOfMonth:
    case Op::kGetDayOfWeek:
    case Op::kGetDayOfYear:
    case Op::kGetHours:
    case Op::kGetMinutes:
    case Op::kGetSeconds:
    case Op::kGetMilliseconds:
    case Op::kDurationHours:
    case Op::kDurationMinutes:
    case Op::kDurationSeconds:
    case Op::kDurationMilliseconds:
    case Op::kInBusinessHours:
    case Op::kBusinessDuration:
      return true;
    default:
      return false;
  }
}

Value Program::Evaluate(ExprId id, Frame& frame) const {
  const CompiledProgram& p = *impl_->program;
  if (id < 0 || static_cast<size_t>(id) >= p.nodes.size() ||
      frame.impl_->program != &p) {
    return Value::Error("expression does not belong to this program");
  }
  Evaluator evaluator(p, *frame.impl_);
  return evaluator.Eval(id);
}

Value Program::EvaluateCounting(ExprId id, Frame& frame,
                                std::vector<int32_t>* counted) const {
  const CompiledProgram& p = *impl_->program;
  if (id < 0 || static_cast<size_t>(id) >= p.exec.size() ||
      frame.impl_->program != &p || p.exec[id].op != Op::kCount) {
    return Value::Error("expression is not a count over the history");
  }
  Evaluator evaluator(p, *frame.impl_);
  return evaluator.CountNode(id, counted);
}

}  // namespace tact::internal
