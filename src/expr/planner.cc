#include "src/expr/planner.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "re2/re2.h"
#include "src/expr/builtins.h"
#include "src/expr/context_schema.h"

namespace tact::internal {

void Planner::SetDefinitionBody(int32_t index, int32_t body) {
  if (static_cast<size_t>(index) >= definition_bodies_.size()) {
    definition_bodies_.resize(index + 1, -1);
  }
  definition_bodies_[index] = body;
  if (index + 1 > program_->definition_count) {
    program_->definition_count = index + 1;
  }
}

absl::string_view Planner::InternString(absl::string_view s) {
  auto it = strings_.find(s);
  if (it != strings_.end()) return it->second;
  program_->strings.emplace_back(s);
  absl::string_view stored = program_->strings.back();
  strings_.emplace(std::string(s), stored);
  return stored;
}

int32_t Planner::InternZone(const absl::TimeZone& zone) {
  auto it = zones_.find(zone.name());
  if (it != zones_.end()) return it->second;
  const int32_t index = static_cast<int32_t>(program_->zones.size());
  program_->zones.push_back(zone);
  zones_.emplace(zone.name(), index);
  return index;
}

int32_t Planner::InternCalendar(const BusinessCalendar* calendar) {
  auto it = calendars_.find(calendar);
  if (it != calendars_.end()) return it->second;
  const int32_t index = static_cast<int32_t>(program_->calendars.size());
  program_->calendars.push_back(*calendar);
  calendars_.emplace(calendar, index);
  return index;
}

int32_t Planner::Intern(Node node, const std::vector<int32_t>* variadic) {
  // The key: every field that makes two nodes the same, as raw bytes (the
  // string length before its bytes, the arguments last, so no two nodes
  // share a key). Bytes, not decimal text: a policy's load interns a node
  // for every operation of every condition.
  std::string key;
  key.reserve(64 + node.constant.string_value.size() +
              (variadic != nullptr ? variadic->size() * sizeof(int32_t) : 0));
  auto put = [&key](const auto& field) {
    key.append(reinterpret_cast<const char*>(&field), sizeof(field));
  };
  put(static_cast<int32_t>(node.op));
  put(static_cast<int32_t>(node.type));
  put(node.a);
  put(node.b);
  put(node.c);
  put(static_cast<int32_t>(node.constant.type));
  put(static_cast<uint8_t>(node.constant.bool_value));
  put(node.constant.int_value);
  uint64_t double_bits;
  std::memcpy(&double_bits, &node.constant.double_value, sizeof(double_bits));
  put(double_bits);
  put(reinterpret_cast<uintptr_t>(node.regex));
  put(static_cast<uint64_t>(node.constant.string_value.size()));
  key.append(node.constant.string_value.data(),
             node.constant.string_value.size());
  if (variadic != nullptr) {
    key.push_back('|');
    for (int32_t v : *variadic) put(v);
  }
  auto it = nodes_by_key_.find(key);
  if (it != nodes_by_key_.end()) return it->second;
  if (variadic != nullptr) {
    node.b = static_cast<int32_t>(program_->args.size());
    node.c = static_cast<int32_t>(variadic->size());
    program_->args.insert(program_->args.end(), variadic->begin(),
                          variadic->end());
  }
  int32_t id = static_cast<int32_t>(program_->nodes.size());
  program_->nodes.push_back(node);
  nodes_by_key_.emplace(std::move(key), id);
  return id;
}

int32_t Planner::Constant(Value v) {
  if (v.type == ValueType::kString || v.type == ValueType::kError) {
    v.string_value = InternString(v.string_value);
  }
  Node n;
  n.op = Op::kConst;
  n.type = v.type;
  n.constant = v;
  return Intern(n);
}

int32_t Planner::Slot(SlotSource::Kind kind, int32_t index) {
  int64_t key = (int64_t{static_cast<uint8_t>(kind)} << 32) |
                static_cast<uint32_t>(index);
  auto it = slots_.find(key);
  int32_t slot;
  if (it != slots_.end()) {
    slot = it->second;
  } else {
    slot = static_cast<int32_t>(program_->slots.size());
    program_->slots.push_back({kind, index});
    slots_.emplace(key, slot);
    if (kind == SlotSource::Kind::kComputed) {
      program_->computed_slot[index] = slot;
    }
  }
  Node n;
  n.op = Op::kSlot;
  switch (kind) {
    case SlotSource::Kind::kContextField:
      n.type = ContextFields()[index].type;
      break;
    case SlotSource::Kind::kAttribute:
      n.type = program_->attributes[index].type;
      break;
    case SlotSource::Kind::kComputed:
      n.type = program_->computed[index].type;
      break;
  }
  n.a = slot;
  return Intern(n);
}

int32_t Planner::Coerce(int32_t node, ValueType from, ValueType to) {
  if (from == ValueType::kInt && to == ValueType::kDouble) {
    const Node& child = program_->nodes[node];
    if (child.op == Op::kConst) {
      return Constant(
          Value::Double(static_cast<double>(child.constant.int_value)));
    }
    Node n;
    n.op = Op::kIntToDouble;
    n.type = ValueType::kDouble;
    n.a = node;
    return Intern(n);
  }
  return node;
}

namespace {

Op ArithmeticOp(absl::string_view op, ValueType l, ValueType r,
                ValueType result, bool* swap) {
  using T = ValueType;
  *swap = false;
  if (result == T::kInt) {
    if (op == "+") return Op::kAddInt;
    if (op == "-") return Op::kSubInt;
    if (op == "*") return Op::kMulInt;
    if (op == "/") return Op::kDivInt;
    return Op::kModInt;
  }
  if (result == T::kDouble) {
    if (op == "+") return Op::kAddDouble;
    if (op == "-") return Op::kSubDouble;
    if (op == "*") return Op::kMulDouble;
    return Op::kDivDouble;
  }
  if (result == T::kString) return Op::kConcat;
  if (op == "+") {
    if (l == T::kDuration && r == T::kTimestamp) {
      *swap = true;
      return Op::kAddTimestampDuration;
    }
    if (l == T::kTimestamp) return Op::kAddTimestampDuration;
    return Op::kAddDurationDuration;
  }
  if (l == T::kTimestamp && r == T::kTimestamp) {
    return Op::kSubTimestampTimestamp;
  }
  if (l == T::kTimestamp) return Op::kSubTimestampDuration;
  return Op::kSubDurationDuration;
}

Op ComparisonOp(absl::string_view op) {
  if (op == "==") return Op::kEq;
  if (op == "!=") return Op::kNe;
  if (op == "<") return Op::kLt;
  if (op == "<=") return Op::kLe;
  if (op == ">") return Op::kGt;
  return Op::kGe;
}

ValueType Common(ValueType a, ValueType b) {
  return a == b ? a : ValueType::kDouble;
}

}  // namespace

int32_t Planner::Plan(const Expr& e) {
  Node n;
  n.type = e.type;
  auto child = [&](size_t i) { return Plan(*e.children[i]); };
  auto child_type = [&](size_t i) { return e.children[i]->type; };

  switch (e.resolution) {
    case Resolution::kContextField:
      return Slot(SlotSource::Kind::kContextField, e.ref);
    case Resolution::kAttribute:
      return Slot(SlotSource::Kind::kAttribute, e.ref);
    case Resolution::kComputed:
      return Slot(SlotSource::Kind::kComputed, e.ref);
    case Resolution::kEventField:
      n.op = Op::kEventField;
      n.a = e.loop_depth;
      n.b = e.ref;
      if (e.loop_depth + 1 > program_->loop_depth) {
        program_->loop_depth = e.loop_depth + 1;
      }
      return Intern(n);
    case Resolution::kHistory:
      n.op = Op::kHistory;
      return Intern(n);
    case Resolution::kDefinition:
      n.op = Op::kDefinition;
      n.a = e.ref;
      n.b = definition_bodies_[e.ref];
      return Intern(n);
    case Resolution::kConstant:
      return Constant(e.constant);
    case Resolution::kBuiltin:
    case Resolution::kNone:
      break;
  }

  switch (e.kind) {
    case ExprKind::kBool:
      return Constant(Value::Bool(e.bool_value));
    case ExprKind::kInt:
      return Constant(Value::Int(e.int_value));
    case ExprKind::kDouble:
      return Constant(Value::Double(e.double_value));
    case ExprKind::kString:
      return Constant(Value::String(e.string_value));
    case ExprKind::kUnary: {
      n.a = child(0);
      if (e.name == "!") {
        n.op = Op::kNot;
      } else if (e.type == ValueType::kInt) {
        n.op = Op::kNegInt;
      } else if (e.type == ValueType::kDouble) {
        n.op = Op::kNegDouble;
      } else {
        n.op = Op::kNegDuration;
      }
      return Intern(n);
    }
    case ExprKind::kTernary: {
      n.op = Op::kTernary;
      n.a = child(0);
      n.b = Coerce(child(1), child_type(1), e.type);
      n.c = Coerce(child(2), child_type(2), e.type);
      return Intern(n);
    }
    case ExprKind::kBinary: {
      const std::string& op = e.name;
      if (op == "in") {
        const Expr& list = *e.children[1];
        ValueType common = child_type(0);
        for (const auto& item : list.children) {
          common = Common(common, item->type);
        }
        n.op = Op::kIn;
        n.a = Coerce(child(0), child_type(0), common);
        std::vector<int32_t> items;
        for (const auto& item : list.children) {
          items.push_back(Coerce(Plan(*item), item->type, common));
        }
        return Intern(n, &items);
      }
      if (op == "&&" || op == "||") {
        n.op = op == "&&" ? Op::kAnd : Op::kOr;
        n.a = child(0);
        n.b = child(1);
        return Intern(n);
      }
      ValueType l = child_type(0), r = child_type(1);
      if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" ||
          op == ">=") {
        ValueType common = Common(l, r);
        n.op = ComparisonOp(op);
        n.a = Coerce(child(0), l, common);
        n.b = Coerce(child(1), r, common);
        return Intern(n);
      }
      bool swap;
      n.op = ArithmeticOp(op, l, r, e.type, &swap);
      if (e.type == ValueType::kDouble) {
        n.a = Coerce(child(0), l, e.type);
        n.b = Coerce(child(1), r, e.type);
      } else {
        n.a = child(0);
        n.b = child(1);
      }
      if (swap) std::swap(n.a, n.b);
      return Intern(n);
    }
    case ExprKind::kCall:
      break;
    default:
      // Selects, indexes and identifiers all resolve above.
      return Constant(Value::Error("internal error: unresolved expression"));
  }

  if (e.builtin == nullptr || e.overload == nullptr) {
    return Constant(Value::Error("internal error: unplanned function"));
  }
  const BuiltinOverload& overload = *e.overload;
  switch (e.builtin->kind) {
    case BuiltinKind::kFunction:
    case BuiltinKind::kConversion:
      switch (overload.lowering) {
        case BuiltinLowering::kArgument:
          return child(0);
        case BuiltinLowering::kWiden:
          return Coerce(child(0), child_type(0), e.type);
        case BuiltinLowering::kNode:
          break;
      }
      n.op = overload.op;
      n.a = child(0);
      if (e.children.size() > 1) n.b = child(1);
      return Intern(n);
    case BuiltinKind::kFieldTest: {
      const Expr& field = *e.children[0];
      n.op = overload.op;
      n.a = child(0);
      // Presence, not a non-default value, for attributes and timestamps.
      n.c = field.resolution == Resolution::kAttribute ||
                    field.resolution == Resolution::kComputed ||
                    field.type == ValueType::kTimestamp
                ? 1
                : 0;
      return Intern(n);
    }
    case BuiltinKind::kRegexMatch: {
      n.op = overload.op;
      n.a = child(0);
      const std::string& pattern = e.regex->pattern();
      auto it = regexes_.find(pattern);
      if (it != regexes_.end()) {
        n.regex = it->second;
      } else {
        program_->regexes.push_back(e.regex);
        n.regex = e.regex.get();
        regexes_.emplace(pattern, n.regex);
      }
      return Intern(n);
    }
    case BuiltinKind::kVariadic: {
      n.op = overload.op;
      std::vector<int32_t> items;
      for (size_t i = 0; i < e.children.size(); ++i) {
        items.push_back(Coerce(child(i), child_type(i), e.type));
      }
      return Intern(n, &items);
    }
    case BuiltinKind::kZoned:
      n.op = overload.op;
      n.a = child(0);
      n.c = InternZone(e.zone);
      return Intern(n);
    case BuiltinKind::kCalendar:
      n.op = overload.op;
      n.a = child(0);
      if (overload.param_count() > 1) n.b = child(1);
      n.c = InternCalendar(e.calendar);
      return Intern(n);
    case BuiltinKind::kMacro:
      n.op = overload.op;
      n.a = child(0);
      n.b = child(2);
      n.c = e.loop_depth;
      if (e.loop_depth + 1 > program_->loop_depth) {
        program_->loop_depth = e.loop_depth + 1;
      }
      return Intern(n);
    case BuiltinKind::kLiteral:  // resolved to a constant above
      break;
  }
  return Constant(Value::Error("internal error: unplanned function"));
}

}  // namespace tact::internal
