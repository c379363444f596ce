// Program's load-time queries over its planned nodes: the type of an
// expression, which comparisons can index rules, which conjuncts are costly.
// Building a Program is in program_builder.cc, evaluating it in evaluator.cc.
#include "src/expr/program.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/expr/constant_folding.h"
#include "src/expr/context_schema.h"
#include "src/expr/planner.h"
#include "src/expr/program_impl.h"

namespace tact::internal {

Program::Program(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Program::~Program() = default;

ValueType Program::TypeOf(ExprId id) const {
  const auto& nodes = impl_->program->nodes;
  if (id < 0 || static_cast<size_t>(id) >= nodes.size()) {
    return ValueType::kError;
  }
  return nodes[id].type;
}

size_t Program::node_count() const { return impl_->program->nodes.size(); }

namespace {

// Whether any node reachable from `id` satisfies `pred`.
template <typename Pred>
bool Reaches(const CompiledProgram& program, int32_t id, Pred pred) {
  if (id < 0 || static_cast<size_t>(id) >= program.nodes.size()) return false;
  std::vector<int32_t> stack = {id};
  std::vector<bool> seen(program.nodes.size(), false);
  while (!stack.empty()) {
    int32_t n = stack.back();
    stack.pop_back();
    if (n < 0 || seen[n]) continue;
    seen[n] = true;
    const Node& node = program.nodes[n];
    if (pred(node)) return true;
    switch (node.op) {
      case Op::kConst:
      case Op::kSlot:
      case Op::kEventField:
      case Op::kHistory:
        continue;
      case Op::kDefinition:
        stack.push_back(node.b);
        continue;
      case Op::kHas:  // c is a flag, not a node
        stack.push_back(node.a);
        continue;
      case Op::kIn:
      case Op::kMin:
      case Op::kMax:
        stack.push_back(node.a);
        for (int32_t k = 0; k < node.c; ++k)
          stack.push_back(program.args[node.b + k]);
        continue;
      case Op::kExists:
      case Op::kAll:
      case Op::kExistsOne:
      case Op::kCount:
      case Op::kFilter:  // c is a loop depth, not a node
        stack.push_back(node.a);
        stack.push_back(node.b);
        continue;
      default:  // a, b and c are operand nodes or -1
        stack.push_back(node.a);
        stack.push_back(node.b);
        stack.push_back(node.c);
        continue;
    }
  }
  return false;
}

}  // namespace

bool Program::AsComparison(ExprId id, Comparison* out) const {
  const CompiledProgram& program = *impl_->program;
  const std::vector<Node>& nodes = program.nodes;
  if (id < 0 || static_cast<size_t>(id) >= nodes.size()) return false;
  // Look through definitions: `is_gold` may stand for `customer.tier ==
  // 'gold'`.
  while (nodes[id].op == Op::kDefinition) id = nodes[id].b;
  const Node& cmp = nodes[id];
  CompareOp op;
  switch (cmp.op) {
    case Op::kEq:
      op = CompareOp::kEq;
      break;
    case Op::kNe:
      op = CompareOp::kNe;
      break;
    case Op::kLt:
      op = CompareOp::kLt;
      break;
    case Op::kLe:
      op = CompareOp::kLe;
      break;
    case Op::kGt:
      op = CompareOp::kGt;
      break;
    case Op::kGe:
      op = CompareOp::kGe;
      break;
    default:
      return false;
  }
  Value constant;
  int32_t operand;
  if (FoldConstant(program, cmp.b, &constant)) {
    operand = cmp.a;
  } else if (FoldConstant(program, cmp.a, &constant)) {
    operand = cmp.b;
    // `c < x` is `x > c`.
    static constexpr CompareOp kFlipped[] = {CompareOp::kEq, CompareOp::kNe,
                                             CompareOp::kGt, CompareOp::kGe,
                                             CompareOp::kLt, CompareOp::kLe};
    op = kFlipped[static_cast<int>(op)];
  } else {
    return false;
  }
  Value ignored;
  if (FoldConstant(program, operand, &ignored)) return false;
  const ValueType type = nodes[operand].type;
  switch (type) {
    case ValueType::kInt:
    case ValueType::kDouble:
    case ValueType::kTimestamp:
    case ValueType::kDuration:
      break;
    case ValueType::kString:
      if (op != CompareOp::kEq) return false;
      break;
    default:
      return false;
  }
  if (constant.type != type) return false;
  out->operand = operand;
  out->op = op;
  out->constant = constant;
  return true;
}

Program::BoolShape Program::ShapeOf(ExprId id) const {
  const CompiledProgram& program = *impl_->program;
  const std::vector<Node>& nodes = program.nodes;
  BoolShape shape;
  if (id < 0 || static_cast<size_t>(id) >= nodes.size()) return shape;
  while (nodes[id].op == Op::kDefinition) id = nodes[id].b;
  const Node& n = nodes[id];
  if (n.type != ValueType::kBool) return shape;
  Value ignored;
  switch (n.op) {
    case Op::kAnd:
    case Op::kOr:
      shape.kind =
          n.op == Op::kAnd ? BoolShape::Kind::kAnd : BoolShape::Kind::kOr;
      shape.left = n.a;
      shape.right = n.b;
      return shape;
    case Op::kNot:
      shape.kind = BoolShape::Kind::kNot;
      shape.left = n.a;
      return shape;
    case Op::kSlot:
      shape.kind = BoolShape::Kind::kIs;
      shape.operand = id;
      return shape;
    case Op::kHas: {
      shape.operand = n.a;
      if (n.c == 1) {  // presence
        shape.kind = BoolShape::Kind::kHas;
        return shape;
      }
      // A value other than the default.
      Value zero;
      zero.type = nodes[n.a].type;
      switch (zero.type) {
        case ValueType::kBool:
        case ValueType::kInt:
        case ValueType::kDouble:
        case ValueType::kString:
        case ValueType::kDuration:
          break;
        default:
          shape.operand = -1;
          return shape;
      }
      shape.kind = BoolShape::Kind::kCompare;
      shape.op = CompareOp::kNe;
      shape.constants.push_back(zero);
      return shape;
    }
    case Op::kIn: {
      if (FoldConstant(program, n.a, &ignored)) return shape;
      for (int32_t k = 0; k < n.c; ++k) {
        Value v;
        if (!FoldConstant(program, program.args[n.b + k], &v)) {
          shape.constants.clear();
          return shape;
        }
        shape.constants.push_back(v);
      }
      shape.kind = BoolShape::Kind::kIn;
      shape.operand = n.a;
      return shape;
    }
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      static constexpr CompareOp kOps[] = {CompareOp::kEq, CompareOp::kNe,
                                           CompareOp::kLt, CompareOp::kLe,
                                           CompareOp::kGt, CompareOp::kGe};
      // `c < x` is `x > c`.
      static constexpr CompareOp kFlipped[] = {CompareOp::kEq, CompareOp::kNe,
                                               CompareOp::kGt, CompareOp::kGe,
                                               CompareOp::kLt, CompareOp::kLe};
      const int index = static_cast<int>(n.op) - static_cast<int>(Op::kEq);
      Value constant;
      if (FoldConstant(program, n.b, &constant)) {
        if (FoldConstant(program, n.a, &ignored)) return shape;
        shape.operand = n.a;
        shape.op = kOps[index];
      } else if (FoldConstant(program, n.a, &constant)) {
        shape.operand = n.b;
        shape.op = kFlipped[index];
      } else {
        return shape;
      }
      if (constant.type != nodes[shape.operand].type) {
        shape.operand = -1;
        return shape;
      }
      shape.kind = BoolShape::Kind::kCompare;
      shape.constants.push_back(constant);
      return shape;
    }
    default:
      return shape;
  }
}

bool Program::AsSum(ExprId id, ExprId* a, ExprId* b, bool* subtract) const {
  const std::vector<Node>& nodes = impl_->program->nodes;
  if (id < 0 || static_cast<size_t>(id) >= nodes.size()) return false;
  while (nodes[id].op == Op::kDefinition) id = nodes[id].b;
  const Node& n = nodes[id];
  switch (n.op) {
    case Op::kAddInt:
    case Op::kAddDouble:
    case Op::kAddTimestampDuration:
    case Op::kAddDurationDuration:
      *subtract = false;
      break;
    case Op::kSubInt:
    case Op::kSubDouble:
    case Op::kSubTimestampDuration:
    case Op::kSubTimestampTimestamp:
    case Op::kSubDurationDuration:
      *subtract = true;
      break;
    default:
      return false;
  }
  *a = n.a;
  *b = n.b;
  return true;
}

std::string Program::ContextPathOf(ExprId id) const {
  const CompiledProgram& program = *impl_->program;
  const std::vector<Node>& nodes = program.nodes;
  if (id < 0 || static_cast<size_t>(id) >= nodes.size()) return "";
  while (nodes[id].op == Op::kDefinition) id = nodes[id].b;
  if (nodes[id].op != Op::kSlot) return "";
  const SlotSource& slot = program.slots[nodes[id].a];
  switch (slot.kind) {
    case SlotSource::Kind::kAttribute:
      return absl::StrCat("attributes.", program.attributes[slot.index].name);
    case SlotSource::Kind::kComputed:  // not context input
      return "";
    case SlotSource::Kind::kContextField:
      break;
  }
  return std::string(ContextFields()[slot.index].path);
}

std::string Program::ComputedPathOf(ExprId id) const {
  const CompiledProgram& program = *impl_->program;
  const std::vector<Node>& nodes = program.nodes;
  if (id < 0 || static_cast<size_t>(id) >= nodes.size()) return "";
  while (nodes[id].op == Op::kDefinition) id = nodes[id].b;
  if (nodes[id].op != Op::kSlot) return "";
  const SlotSource& slot = program.slots[nodes[id].a];
  if (slot.kind != SlotSource::Kind::kComputed) return "";
  return program.computed[slot.index].path;
}

const std::vector<Program::Operand>& Program::OperandsOf(
    const Conjunct& conjunct) const {
  static const std::vector<Operand>* const kNone = new std::vector<Operand>();
  const CompiledProgram& program = *impl_->program;
  auto list = [&](int32_t index) -> const std::vector<Operand>* {
    if (index < 0 ||
        static_cast<size_t>(index) >= program.operand_lists.size()) {
      return nullptr;
    }
    return &program.operand_lists[index];
  };
  if (const std::vector<Operand>* own = list(conjunct.operands)) return *own;
  // A definition: its body's, as the definition spells them.
  const std::vector<Node>& nodes = program.nodes;
  int32_t id = conjunct.expr;
  while (id >= 0 && static_cast<size_t>(id) < nodes.size() &&
         nodes[id].op == Op::kDefinition) {
    const int32_t index = nodes[id].a;
    if (index >= 0 &&
        static_cast<size_t>(index) < program.definition_operands.size()) {
      if (const std::vector<Operand>* body =
              list(program.definition_operands[index])) {
        return *body;
      }
    }
    id = nodes[id].b;
  }
  return *kNone;
}

std::string Program::OperandValue(ExprId id, Frame& frame,
                                  size_t max_bytes) const {
  Value v = Evaluate(id, frame);
  if (v.is_error()) {
    // A fact read as it is fails only when the context does not set it
    // (or sets a timestamp out of range, which is an error to show).
    const std::vector<Node>& nodes = impl_->program->nodes;
    if (id >= 0 && static_cast<size_t>(id) < nodes.size() &&
        nodes[id].op == Op::kSlot &&
        absl::EndsWith(v.string_value, " is not set")) {
      return "absent";
    }
  }
  return AbbreviateText(FormatLiteral(v), max_bytes);
}

bool Program::IsCostly(ExprId id) const {
  return Reaches(*impl_->program, id, [](const Node& node) {
    switch (node.op) {
      case Op::kMatches:
      case Op::kHistory:
      case Op::kExists:
      case Op::kAll:
      case Op::kExistsOne:
      case Op::kCount:
      case Op::kFilter:
      case Op::kBusinessDuration:  // a loop over the days it spans
      case Op::kServiceCost:       // a scan of the history
        return true;
      default:
        return false;
    }
  });
}

bool Program::MatchesRegex(ExprId id) const {
  return Reaches(*impl_->program, id,
                 [](const Node& node) { return node.op == Op::kMatches; });
}

Program::Usage Program::ComputeUsage() const {
  const CompiledProgram& program = *impl_->program;
  const std::vector<Node>& nodes = program.nodes;
  Usage usage;
  usage.context_free.assign(nodes.size(), true);
  for (const std::string& name : program.definition_names) {
    usage.definitions.push_back({name, false});
  }
  for (const AttributeDecl& a : program.attributes) {
    usage.attributes.push_back({a.name, false});
  }
  // Children are planned before their parents (a definition's body before
  // any reference to it), so one pass in index order sees them done.
  auto free = [&](size_t parent, int32_t child) {
    if (child < 0) return true;
    return static_cast<size_t>(child) < parent && usage.context_free[child];
  };
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    bool context_free = true;
    switch (n.op) {
      case Op::kConst:
        break;
      case Op::kSlot: {
        context_free = false;
        const SlotSource& slot = program.slots[n.a];
        if (slot.kind == SlotSource::Kind::kAttribute && slot.index >= 0 &&
            static_cast<size_t>(slot.index) < usage.attributes.size()) {
          usage.attributes[slot.index].second = true;
        }
        break;
      }
      case Op::kEventField:
      case Op::kHistory:
      case Op::kServiceCost:  // reads the history; its operand is the window
        context_free = false;
        break;
      case Op::kDefinition:
        if (n.a >= 0 && static_cast<size_t>(n.a) < usage.definitions.size()) {
          usage.definitions[n.a].second = true;
        }
        context_free = free(i, n.b);
        break;
      case Op::kHas:      // c is a flag, not a node
      case Op::kMatches:  // the regex is compiled in
        context_free = free(i, n.a);
        break;
      case Op::kTernary:
        context_free = free(i, n.a) && free(i, n.b) && free(i, n.c);
        break;
      case Op::kIn:
      case Op::kMin:
      case Op::kMax:
        context_free = free(i, n.a);
        for (int32_t k = 0; k < n.c; ++k) {
          context_free = context_free && free(i, program.args[n.b + k]);
        }
        break;
      case Op::kExists:
      case Op::kAll:
      case Op::kExistsOne:
      case Op::kCount:
      case Op::kFilter:  // c is a loop depth, not a node
        context_free = free(i, n.a) && free(i, n.b);
        break;
      default:  // a and b are operand nodes or -1; c, if used, an index.
                // An op that reads the context itself (not only through
                // operand nodes) must be listed above with kHistory.
        context_free = free(i, n.a) && free(i, n.b);
        break;
    }
    usage.context_free[i] = context_free;
  }
  return usage;
}

}  // namespace tact::internal
