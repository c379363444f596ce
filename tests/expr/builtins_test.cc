// The built-in table (src/expr/builtins.h) is what the checker accepts and
// the planner lowers: every row, in every call style and overload it lists,
// type-checks to the overload's result, plans to the overload's opcode and
// evaluates.
#include "src/expr/builtins.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "src/expr/ast.h"
#include "src/expr/checker.h"
#include "src/expr/parser.h"
#include "src/expr/planner.h"
#include "src/expr/program.h"
#include "src/expr/value.h"

namespace tact::internal {
namespace {

// One attribute per scalar type, so every argument is a slot (no constant
// folding hides the planned opcode).
const std::vector<AttributeDecl>& Attributes() {
  static const auto* attributes = new std::vector<AttributeDecl>{
      {"b", ValueType::kBool},      {"i", ValueType::kInt},
      {"d", ValueType::kDouble},    {"s", ValueType::kString},
      {"t", ValueType::kTimestamp}, {"u", ValueType::kDuration},
  };
  return *attributes;
}

// An argument expression of type `type`.
std::string Sample(ValueType type) {
  if (type == ValueType::kEventList) return "history";
  for (const AttributeDecl& a : Attributes()) {
    if (a.type == type) return absl::StrCat("attributes.", a.name);
  }
  ADD_FAILURE() << "no sample of type " << TypeName(type);
  return "";
}

// A call of `f` in `style` whose arguments have `o`'s parameter types.
std::string Call(const BuiltinFunction& f, BuiltinStyle style,
                 const BuiltinOverload& o) {
  std::vector<std::string> args;
  switch (f.kind) {
    case BuiltinKind::kFunction:
    case BuiltinKind::kConversion:
    case BuiltinKind::kFieldTest:
    case BuiltinKind::kZoned:     // the zone is optional
    case BuiltinKind::kCalendar:  // so is the calendar (the default one)
      for (int i = 0; i < o.param_count(); ++i) {
        args.push_back(Sample(o.params[i]));
      }
      break;
    case BuiltinKind::kRegexMatch:
      args = {Sample(o.params[0]), "'a+'"};
      break;
    case BuiltinKind::kVariadic:
      for (int i = 0; i < f.arity; ++i) args.push_back(Sample(o.params[0]));
      break;
    case BuiltinKind::kLiteral:
      args = {o.result == ValueType::kDuration ? "'1h30m'"
                                               : "'2026-01-01T00:00:00Z'"};
      break;
    case BuiltinKind::kMacro:
      args = {Sample(o.params[0]), "e", Sample(o.params[1])};
      break;
  }
  if (style == kMethodCall) {
    const std::string receiver = args.front();
    args.erase(args.begin());
    return absl::StrCat(receiver, ".", f.name, "(", absl::StrJoin(args, ", "),
                        ")");
  }
  return absl::StrCat(f.name, "(", absl::StrJoin(args, ", "), ")");
}

// One calendar, the default, open around the clock.
class OneCalendar : public CalendarCatalog {
 public:
  const BusinessCalendar* FindCalendar(absl::string_view name) const override {
    return name.empty() ? &BusinessCalendar::AlwaysOpen() : nullptr;
  }
  std::vector<std::string> CalendarNames() const override { return {}; }
};

struct Case {
  const BuiltinFunction* function;
  const BuiltinOverload* overload;
  std::string source;
};

// Every (row, style, overload) of the table.
std::vector<Case> EveryCall() {
  std::vector<Case> cases;
  for (const BuiltinFunction& f : Builtins()) {
    for (BuiltinStyle style : {kGlobalCall, kMethodCall}) {
      if (!f.Allows(style)) continue;
      for (const BuiltinOverload& o : f.overloads) {
        cases.push_back({&f, &o, Call(f, style, o)});
      }
    }
  }
  return cases;
}

TEST(BuiltinsTest, EveryOverloadChecksToItsResultAndPlansToItsOpcode) {
  const std::vector<Case> cases = EveryCall();
  ASSERT_GE(cases.size(), Builtins().size());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.source);
    ExprDiagnostic parse_error;
    std::unique_ptr<Expr> expr = Parse(c.source, {}, &parse_error);
    ASSERT_NE(expr, nullptr) << parse_error.message;
    OneCalendar calendars;
    CheckerEnv env;
    env.attributes = Attributes();
    env.calendars = &calendars;
    std::vector<ExprDiagnostic> diagnostics;
    ASSERT_TRUE(CheckExpr(expr.get(), env, /*allow_list=*/true, &diagnostics))
        << diagnostics.front().message;
    EXPECT_EQ(expr->type, c.overload->result);
    EXPECT_EQ(expr->builtin, c.function);
    EXPECT_EQ(expr->overload, c.overload);

    CompiledProgram program;
    program.attributes = Attributes();
    Planner planner(&program);
    const Node& node = program.nodes[planner.Plan(*expr)];
    EXPECT_EQ(node.type, c.overload->result);
    if (c.function->kind == BuiltinKind::kLiteral) {
      EXPECT_EQ(node.op, Op::kConst);
      EXPECT_EQ(node.constant.type, c.overload->result);
    } else if (c.overload->lowering == BuiltinLowering::kArgument) {
      EXPECT_EQ(node.op, Op::kSlot);
    } else if (c.overload->lowering == BuiltinLowering::kWiden) {
      EXPECT_EQ(node.op, Op::kIntToDouble);
    } else {
      EXPECT_EQ(node.op, c.overload->op);
    }
  }
}

TEST(BuiltinsTest, EveryOverloadEvaluatesToAValueOfItsResultType) {
  v1::Context context;
  auto& attributes = *context.mutable_attributes();
  attributes["b"].set_bool_value(true);
  attributes["i"].set_int_value(-2);
  attributes["d"].set_double_value(2.5);
  attributes["s"].set_string_value("1");
  attributes["t"].mutable_timestamp_value()->set_seconds(1767225600);
  attributes["u"].mutable_duration_value()->set_seconds(-90);
  OneCalendar calendars;
  ProgramBuilder builder;
  builder.SetCalendars(&calendars);
  for (const AttributeDecl& a : Attributes()) {
    ASSERT_TRUE(builder.DeclareAttribute(a.name, a.type).ok());
  }
  std::vector<std::pair<Case, ExprId>> compiled;
  for (Case& c : EveryCall()) {
    if (c.overload->result == ValueType::kEventList) continue;  // no value
    std::vector<ExprDiagnostic> diagnostics;
    auto id = builder.AddExpression(c.source, nullptr, &diagnostics);
    ASSERT_TRUE(id.ok()) << c.source << ": " << id.status();
    compiled.emplace_back(std::move(c), *id);
  }
  std::unique_ptr<const Program> program = std::move(builder).Build();
  auto frame = Frame::Create(*program, context);
  ASSERT_TRUE(frame.ok()) << frame.status();
  for (const auto& [c, id] : compiled) {
    Value v = program->Evaluate(id, **frame);
    EXPECT_EQ(v.type, c.overload->result)
        << c.source << ": " << (v.is_error() ? v.string_value : "");
  }
}

TEST(BuiltinsTest, FindBuiltinFindsEachRowOnlyInItsStyles) {
  for (const BuiltinFunction& f : Builtins()) {
    for (BuiltinStyle style : {kGlobalCall, kMethodCall}) {
      EXPECT_EQ(FindBuiltin(f.name, style), f.Allows(style) ? &f : nullptr)
          << f.name;
    }
  }
  EXPECT_EQ(FindBuiltin("upperAscii", kMethodCall), nullptr);
}

TEST(BuiltinsTest, AcceptedListsTheOverloadsAsDiagnosticsSayThem) {
  EXPECT_EQ(FindBuiltin("size", kGlobalCall)->Accepted(),
            "string or list(event)");
  EXPECT_EQ(FindBuiltin("contains", kMethodCall)->Accepted(),
            "string and string");
  EXPECT_EQ(FindBuiltin("abs", kGlobalCall)->Accepted(),
            "int, double or duration");
}

}  // namespace
}  // namespace tact::internal
