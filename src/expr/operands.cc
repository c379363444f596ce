#include "src/expr/operands.h"

#include <string>
#include <vector>

#include "src/expr/builtins.h"

namespace tact::internal {
namespace {

bool IsOp(const Expr& e, Op op) {
  return e.overload != nullptr && e.overload->op == op;
}

// Whether `e` reads anything from the context (a definition counts: its
// value explains even when it is constant).
bool ReadsContext(const Expr& e) {
  switch (e.resolution) {
    case Resolution::kContextField:
    case Resolution::kAttribute:
    case Resolution::kComputed:
    case Resolution::kDefinition:
    case Resolution::kHistory:
    case Resolution::kEventField:
      return true;
    case Resolution::kConstant:
      return false;
    default:
      break;
  }
  if (IsOp(e, Op::kServiceCost)) return true;
  for (const auto& child : e.children) {
    if (ReadsContext(*child)) return true;
  }
  return false;
}

// Whether `e` reads the history (so it is shown whole, never looked into:
// its loop variables have no value outside it).
bool ReadsHistory(const Expr& e) {
  if (e.resolution == Resolution::kHistory || IsOp(e, Op::kServiceCost)) {
    return true;
  }
  for (const auto& child : e.children) {
    if (ReadsHistory(*child)) return true;
  }
  return false;
}

// An operand shown whole: a fact, an attribute, `now`, a definition, a
// size(...), a history macro or serviceCost.
bool IsLeaf(const Expr& e) {
  switch (e.resolution) {
    case Resolution::kContextField:
    case Resolution::kAttribute:
    case Resolution::kComputed:
    case Resolution::kDefinition:
      return true;
    default:
      break;
  }
  return IsOp(e, Op::kSizeString) || IsOp(e, Op::kSizeList) ||
         (e.kind == ExprKind::kCall && ReadsHistory(e));
}

bool IsLogical(const Expr& e) {
  return (e.kind == ExprKind::kUnary && e.name == "!") ||
         (e.kind == ExprKind::kBinary && (e.name == "&&" || e.name == "||")) ||
         e.kind == ExprKind::kTernary;
}

class Collector {
 public:
  Collector(absl::string_view source, Planner& planner,
            std::vector<Program::Operand>* out)
      : source_(source), planner_(planner), out_(out) {}

  // The operands of a bool test `e`.
  void Test(const Expr& e) {
    if (IsLeaf(e)) return;  // a bare fact: its value is the test's
    if (IsLogical(e)) {
      for (const auto& child : e.children) {
        if (child->type == ValueType::kBool && !IsLeaf(*child)) {
          Test(*child);
        } else {
          Bind(*child, true);
        }
      }
      return;
    }
    for (const auto& child : e.children) Bind(*child, true);
  }

 private:
  // Adds `e` when it reads the context: whole when a leaf or a `direct`
  // operand of a test, and the leaves it reads.
  void Bind(const Expr& e, bool direct) {
    if (full() || !ReadsContext(e)) return;
    if (e.kind == ExprKind::kList) {
      for (const auto& item : e.children) Bind(*item, direct);
      return;
    }
    if (e.type == ValueType::kEventList) return;  // no value to show
    if (IsLeaf(e)) {
      Add(e);
      return;
    }
    if (e.type == ValueType::kBool) {
      Test(e);
      return;
    }
    if (direct) Add(e);
    for (const auto& child : e.children) Bind(*child, false);
  }

  void Add(const Expr& e) {
    if (full() || e.end <= e.begin || e.end > source_.size()) return;
    Program::Operand operand;
    operand.expr = planner_.Plan(e);
    operand.source = std::string(source_.substr(e.begin, e.end - e.begin));
    for (const Program::Operand& o : *out_) {
      if (o.expr == operand.expr || o.source == operand.source) return;
    }
    out_->push_back(std::move(operand));
  }

  bool full() const { return out_->size() >= kMaxOperands; }

  absl::string_view source_;
  Planner& planner_;
  std::vector<Program::Operand>* out_;
};

}  // namespace

void CollectOperands(const Expr& expr, absl::string_view source,
                     Planner& planner, std::vector<Program::Operand>* out) {
  Collector(source, planner, out).Test(expr);
}

}  // namespace tact::internal
