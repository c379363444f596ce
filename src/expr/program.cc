// ProgramBuilder (parse -> check -> plan), Frame (slot extraction) and
// Program (evaluation of planned nodes).
#include "src/expr/program.h"

#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "re2/re2.h"
#include "src/expr/ast.h"
#include "src/expr/checker.h"
#include "src/expr/context_schema.h"
#include "src/expr/parser.h"
#include "src/expr/planner.h"

namespace tact::internal {
namespace {

bool IsIdentifier(absl::string_view name) {
  if (name.empty()) return false;
  if (!absl::ascii_isalpha(static_cast<unsigned char>(name[0])) &&
      name[0] != '_') {
    return false;
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

bool IsReserved(absl::string_view name) {
  static constexpr absl::string_view kReserved[] = {
      "customer", "case",  "now", "history", "attributes",
      "true",     "false", "in",  "null",
  };
  for (absl::string_view r : kReserved) {
    if (name == r) return true;
  }
  return false;
}

absl::Status FirstError(const std::vector<ExprDiagnostic>& diagnostics,
                        size_t from) {
  const ExprDiagnostic& d = diagnostics[from];
  return absl::InvalidArgumentError(
      absl::StrCat(d.location.line, ":", d.location.column, ": ", d.message));
}

// The 1-based line and byte column of `offset` in `source`.
ExprLocation LocationOf(absl::string_view source, size_t offset) {
  ExprLocation loc;
  for (size_t i = 0; i < offset && i < source.size(); ++i) {
    if (source[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

absl::string_view Article(ValueType t) {
  return t == ValueType::kInt ? "an" : "a";
}

}  // namespace

// --- ProgramBuilder ----------------------------------------------------------

struct ProgramBuilder::Impl : public DefinitionResolver {
  enum class State { kPending, kCompiling, kDone, kFailed };
  struct Definition {
    std::string name;
    std::string source;
    State state = State::kPending;
    ValueType type = ValueType::kError;
    int32_t index = -1;
    std::vector<ExprDiagnostic> diagnostics;
  };

  explicit Impl(ProgramLimits l)
      : limits(l),
        program(std::make_unique<CompiledProgram>()),
        planner(program.get()) {}

  CheckerEnv Env() {
    CheckerEnv env;
    env.attributes = program->attributes;
    env.definitions = this;
    env.max_regex_memory = limits.max_regex_memory;
    return env;
  }

  // Parses and checks `source`, appending diagnostics. Returns null on error.
  std::unique_ptr<Expr> Compile(absl::string_view source,
                                std::vector<ExprDiagnostic>* diagnostics) {
    ExprDiagnostic d;
    std::unique_ptr<Expr> expr = Parse(source, limits, &d);
    if (expr == nullptr) {
      diagnostics->push_back(std::move(d));
      return nullptr;
    }
    if (!CheckExpr(expr.get(), Env(), false, diagnostics)) return nullptr;
    return expr;
  }

  void CompileDefinition(Definition& def) {
    def.state = State::kCompiling;
    compiling.push_back(def.name);
    std::unique_ptr<Expr> expr = Compile(def.source, &def.diagnostics);
    compiling.pop_back();
    if (expr == nullptr) {
      def.state = State::kFailed;
      return;
    }
    def.type = expr->type;
    def.index = next_definition_index++;
    planner.SetDefinitionBody(def.index, planner.Plan(*expr));
    def.state = State::kDone;
  }

  std::vector<std::string> DefinitionNames() const override {
    std::vector<std::string> names;
    for (const Definition& d : definitions) names.push_back(d.name);
    return names;
  }

  bool IsDefinition(absl::string_view name) const override {
    return definitions_by_name.contains(name);
  }

  bool Resolve(absl::string_view name, ValueType* type, int32_t* index,
               std::string* error) override {
    Definition& def = definitions[definitions_by_name.at(name)];
    if (def.state == State::kCompiling) {
      auto it = std::find(compiling.begin(), compiling.end(), def.name);
      std::vector<std::string> cycle(it, compiling.end());
      cycle.push_back(def.name);
      *error =
          absl::StrCat("cycle in definitions: ", absl::StrJoin(cycle, " -> "));
      return false;
    }
    if (def.state == State::kPending) {
      // Definitions compile (and evaluate) recursively: bound the chain so a
      // hostile policy cannot overflow the stack.
      if (compiling.size() >= kMaxDefinitionDepth) {
        *error = absl::StrCat("definitions nest more than ",
                              kMaxDefinitionDepth, " deep (", compiling.front(),
                              " -> ... -> ", def.name, "); flatten the chain");
        return false;
      }
      CompileDefinition(def);
    }
    if (def.state == State::kFailed) {
      const std::string& first = def.diagnostics.front().message;
      *error =
          absl::StartsWith(first, "cycle in definitions: ") ||
                  absl::StartsWith(first, "definitions nest more than ")
              ? first
              : absl::StrCat("definition '", def.name, "' has errors: ", first);
      return false;
    }
    *type = def.type;
    *index = def.index;
    return true;
  }

  // Deepest chain of definitions using definitions.
  static constexpr size_t kMaxDefinitionDepth = 32;

  ProgramLimits limits;
  std::unique_ptr<CompiledProgram> program;
  Planner planner;
  std::vector<Definition> definitions;
  absl::flat_hash_map<std::string, size_t> definitions_by_name;
  std::vector<std::string> compiling;
  int32_t next_definition_index = 0;
  bool specialize = true;
};

ProgramBuilder::ProgramBuilder(ProgramLimits limits)
    : impl_(std::make_unique<Impl>(limits)) {}
ProgramBuilder::~ProgramBuilder() = default;

absl::Status ProgramBuilder::DeclareAttribute(absl::string_view name,
                                              ValueType type) {
  if (name.empty() || name.size() > 128) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed attribute name '", name, "'"));
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed attribute name '", name,
                       "'; use letters, digits, '_', '-' and '.'"));
    }
  }
  if (type == ValueType::kError || type == ValueType::kEventList) {
    return absl::InvalidArgumentError(absl::StrCat(
        "attribute '", name, "' cannot have type ", TypeName(type)));
  }
  for (const AttributeDecl& a : impl_->program->attributes) {
    if (a.name == name) {
      return absl::InvalidArgumentError(
          absl::StrCat("attribute '", name, "' is declared twice"));
    }
  }
  impl_->program->attributes.push_back({std::string(name), type});
  impl_->program->attribute_missing.push_back(
      absl::StrCat("attribute '", name, "' is not set"));
  return absl::OkStatus();
}

absl::Status ProgramBuilder::DeclareDefinition(absl::string_view name,
                                               absl::string_view source) {
  if (!IsIdentifier(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed definition name '", name, "'"));
  }
  if (IsReserved(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("definition name '", name, "' is reserved"));
  }
  if (impl_->definitions_by_name.contains(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("definition '", name, "' is declared twice"));
  }
  impl_->definitions_by_name.emplace(std::string(name),
                                     impl_->definitions.size());
  Impl::Definition def;
  def.name = std::string(name);
  def.source = std::string(source);
  impl_->definitions.push_back(std::move(def));
  return absl::OkStatus();
}

std::vector<std::pair<std::string, ExprDiagnostic>>
ProgramBuilder::CompileDefinitions() {
  std::vector<std::pair<std::string, ExprDiagnostic>> result;
  for (Impl::Definition& def : impl_->definitions) {
    if (def.state == Impl::State::kPending) impl_->CompileDefinition(def);
    if (def.state == Impl::State::kFailed) {
      for (const ExprDiagnostic& d : def.diagnostics) {
        result.emplace_back(def.name, d);
      }
    }
  }
  return result;
}

absl::StatusOr<std::vector<Conjunct>> ProgramBuilder::AddCondition(
    absl::string_view source, std::vector<ExprDiagnostic>* diagnostics) {
  std::vector<ExprDiagnostic> local;
  if (diagnostics == nullptr) diagnostics = &local;
  if (absl::StripAsciiWhitespace(source).empty()) {
    Node n;
    n.op = Op::kConst;
    n.type = ValueType::kBool;
    n.constant = Value::Bool(true);
    Conjunct c;
    c.expr = impl_->planner.Intern(n);
    c.source = "true";
    return std::vector<Conjunct>{c};
  }
  const size_t first = diagnostics->size();
  std::unique_ptr<Expr> expr = impl_->Compile(source, diagnostics);
  if (expr == nullptr) return FirstError(*diagnostics, first);
  if (expr->type != ValueType::kBool) {
    diagnostics->push_back(
        {expr->location,
         absl::StrCat("condition must be bool, got ", TypeName(expr->type))});
    return FirstError(*diagnostics, first);
  }
  // Flatten the top-level `&&` chain, keeping source order.
  std::vector<const Expr*> parts;
  std::vector<const Expr*> stack = {expr.get()};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->kind == ExprKind::kBinary && e->name == "&&") {
      stack.push_back(e->children[1].get());
      stack.push_back(e->children[0].get());
    } else {
      parts.push_back(e);
    }
  }
  std::vector<Conjunct> conjuncts;
  for (const Expr* part : parts) {
    Conjunct c;
    c.expr = impl_->planner.Plan(*part);
    c.source = std::string(source.substr(part->begin, part->end - part->begin));
    c.location = LocationOf(source, part->begin);
    conjuncts.push_back(std::move(c));
  }
  return conjuncts;
}

absl::StatusOr<ExprId> ProgramBuilder::AddExpression(
    absl::string_view source, const ValueType* expected,
    std::vector<ExprDiagnostic>* diagnostics) {
  std::vector<ExprDiagnostic> local;
  if (diagnostics == nullptr) diagnostics = &local;
  const size_t first = diagnostics->size();
  std::unique_ptr<Expr> expr = impl_->Compile(source, diagnostics);
  if (expr == nullptr) return FirstError(*diagnostics, first);
  ValueType type = expr->type;
  if (expected != nullptr && *expected != type &&
      !(*expected == ValueType::kDouble && type == ValueType::kInt)) {
    diagnostics->push_back(
        {expr->location,
         absl::StrCat("expression must be ", TypeName(*expected), ", got ",
                      TypeName(type))});
    return FirstError(*diagnostics, first);
  }
  int32_t id = impl_->planner.Plan(*expr);
  if (expected != nullptr) id = impl_->planner.Coerce(id, type, *expected);
  return id;
}

ValueType ProgramBuilder::TypeOf(ExprId id) const {
  const auto& nodes = impl_->program->nodes;
  if (id < 0 || static_cast<size_t>(id) >= nodes.size()) {
    return ValueType::kError;
  }
  return nodes[id].type;
}

size_t ProgramBuilder::node_count() const {
  return impl_->program->nodes.size();
}

// --- Program and Frame -------------------------------------------------------

struct Program::Impl {
  std::unique_ptr<CompiledProgram> program;
};

// A frame's state, visible to the evaluator (Frame::Impl is private).
struct FrameState {
  const CompiledProgram* program = nullptr;
  const v1::Context* context = nullptr;
  std::vector<Value> slots;
  std::vector<Value> definition_values;
  // definition_values[i] is this decision's when definition_epoch[i] ==
  // epoch (so Reset need not clear it).
  std::vector<uint32_t> definition_epoch;
  uint32_t epoch = 0;
  // The history index each loop variable currently denotes.
  std::vector<int32_t> loop;
  // Strings made during evaluation (concatenation, conversions, messages).
  std::deque<std::string> arena;

  absl::string_view Keep(std::string s) {
    arena.push_back(std::move(s));
    return arena.back();
  }
};

struct Frame::Impl : FrameState {
  // Declared attributes as read from the context (scratch for Reset).
  std::vector<Value> attributes;
};

namespace {
void Specialize(CompiledProgram& program, bool fuse);
}  // namespace

void ProgramBuilder::DisableSpecializationForTesting() {
  impl_->specialize = false;
}

std::unique_ptr<const Program> ProgramBuilder::Build() && {
  auto impl = std::make_unique<Program::Impl>();
  impl->program = std::move(impl_->program);
  Specialize(*impl->program, impl_->specialize);
  return std::unique_ptr<const Program>(new Program(std::move(impl)));
}

Program::Program(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Program::~Program() = default;
Frame::Frame(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Frame::Frame() : impl_(std::make_unique<Impl>()) {}
Frame::~Frame() = default;

ValueType Program::TypeOf(ExprId id) const {
  const auto& nodes = impl_->program->nodes;
  if (id < 0 || static_cast<size_t>(id) >= nodes.size()) {
    return ValueType::kError;
  }
  return nodes[id].type;
}

size_t Program::node_count() const { return impl_->program->nodes.size(); }

namespace {

// Reads a context attribute as the declared type. Returns false with a
// message when present with another kind.
bool ReadAttribute(const v1::Value& v, ValueType declared, Value* out,
                   ValueType* actual) {
  switch (v.kind_case()) {
    case v1::Value::kBoolValue:
      *actual = ValueType::kBool;
      *out = Value::Bool(v.bool_value());
      break;
    case v1::Value::kIntValue:
      *actual = ValueType::kInt;
      *out = declared == ValueType::kDouble
                 ? Value::Double(static_cast<double>(v.int_value()))
                 : Value::Int(v.int_value());
      if (declared == ValueType::kDouble) return true;
      break;
    case v1::Value::kDoubleValue:
      *actual = ValueType::kDouble;
      *out = Value::Double(v.double_value());
      break;
    case v1::Value::kStringValue:
      *actual = ValueType::kString;
      *out = Value::String(v.string_value());
      break;
    case v1::Value::kTimestampValue: {
      *actual = ValueType::kTimestamp;
      int64_t nanos;
      *out = TimestampToNanos(v.timestamp_value(), &nanos)
                 ? Value::Timestamp(nanos)
                 : Value::Error("attribute timestamp is out of range");
      break;
    }
    case v1::Value::kDurationValue: {
      *actual = ValueType::kDuration;
      int64_t nanos;
      *out = DurationToNanos(v.duration_value(), &nanos)
                 ? Value::Duration(nanos)
                 : Value::Error("attribute duration is out of range");
      break;
    }
    case v1::Value::KIND_NOT_SET:
      *actual = ValueType::kError;
      return true;
  }
  return *actual == declared;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Frame>> Frame::Create(
    const Program& program, const tact::v1::Context& context) {
  auto frame = std::make_unique<Frame>();
  absl::Status status = frame->Reset(program, context);
  if (!status.ok()) return status;
  return frame;
}

absl::Status Frame::Reset(const Program& program,
                          const tact::v1::Context& context) {
  const CompiledProgram& p = *program.impl_->program;
  Impl& impl = *impl_;
  impl.program = &p;
  impl.context = &context;
  impl.arena.clear();
  // Every declared attribute is validated (one lookup each), so a context
  // with a mistyped attribute is rejected whichever rules read it.
  std::vector<Value>& attributes = impl.attributes;
  attributes.resize(p.attributes.size());
  for (size_t i = 0; i < p.attributes.size(); ++i) {
    const AttributeDecl& decl = p.attributes[i];
    attributes[i] = Value::Error(p.attribute_missing[i]);
    if (context.attributes().empty()) continue;
    auto it = context.attributes().find(decl.name);
    if (it == context.attributes().end()) continue;
    ValueType actual = ValueType::kError;
    Value v;
    if (!ReadAttribute(it->second, decl.type, &v, &actual)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "attribute '", decl.name, "' is ", Article(actual), " ",
          TypeName(actual), "; the policy declares ", TypeName(decl.type)));
    }
    if (actual != ValueType::kError) attributes[i] = v;
  }
  impl.slots.clear();
  for (const SlotSource& s : p.slots) {
    impl.slots.push_back(s.is_attribute
                             ? attributes[s.index]
                             : ContextFields()[s.index].get(context));
  }
  impl.definition_values.resize(p.definition_count);
  if (++impl.epoch == 0) {  // wrapped: forget every stored epoch
    impl.definition_epoch.assign(impl.definition_epoch.size(), 0);
    impl.epoch = 1;
  }
  impl.definition_epoch.resize(p.definition_count, 0);
  impl.loop.assign(std::max<int32_t>(p.loop_depth, 1), -1);
  return absl::OkStatus();
}

// --- Evaluation --------------------------------------------------------------

namespace {

constexpr absl::string_view kIntOverflow = "int overflow";
constexpr absl::string_view kDurationOverflow = "duration overflow";
constexpr absl::string_view kTimestampOverflow = "timestamp overflow";

class Evaluator {
 public:
  Evaluator(const CompiledProgram& p, FrameState& f) : p_(p), f_(f) {}

  Value Eval(int32_t id) {
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
        return Compare(static_cast<Op>(n.c), v, n.constant);
      }
      case Op::kCmpSlotConst: {
        const Value& v = f_.slots[n.a];
        if (v.is_error()) return v;
        return Compare(static_cast<Op>(n.c), v, n.constant);
      }
      case Op::kCmpEventConst: {
        Value v = EventFields()[n.b].get(CurrentEvent(n.a));
        if (v.is_error()) return v;
        return Compare(static_cast<Op>(n.c), v, n.constant);
      }
      case Op::kEqEventString:
        return Value::Bool(EventString(CurrentEvent(n.a), n.b) ==
                           n.constant.string_value);
      case Op::kNeEventString:
        return Value::Bool(EventString(CurrentEvent(n.a), n.b) !=
                           n.constant.string_value);
      case Op::kDefinition: {
        if (f_.definition_epoch[n.a] == f_.epoch) {
          return f_.definition_values[n.a];
        }
        Value v = Eval(n.b);
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
        return Compare(n.op, l, r);
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
          if (Compare(Op::kEq, needle, item).bool_value) {
            return Value::Bool(true);
          }
        }
        return has_error ? error : Value::Bool(false);
      }
      case Op::kMin:
      case Op::kMax: {
        Value best;
        for (int32_t k = 0; k < n.c; ++k) {
          Value v = Eval(p_.args[n.b + k]);
          if (v.is_error()) return v;
          if (k == 0 || Compare(n.op == Op::kMin ? Op::kLt : Op::kGt, v, best)
                            .bool_value) {
            best = v;
          }
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
    const int size = f_.context->history_size();
    if (p_.exec[list].op == Op::kHistory) {
      for (int32_t i = 0; i < size; ++i) {
        if (!fn(i)) break;
      }
      return Value::Bool(true);
    }
    // A chain of kFilter nodes over the history.
    absl::InlinedVector<std::pair<int32_t, int32_t>, 4> saved;
    for (int32_t l = list; p_.exec[l].op != Op::kHistory; l = p_.exec[l].a) {
      saved.emplace_back(p_.exec[l].c, f_.loop[p_.exec[l].c]);
    }
    Value result = Value::Bool(true);
    for (int32_t i = 0; i < size; ++i) {
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

  // The string event field `code` (see EventStringCode) of `e`.
  static absl::string_view EventString(const v1::Event& e, int32_t code) {
    switch (code) {
      case 0:
        return e.kind();
      case 1:
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

  ABSL_ATTRIBUTE_NOINLINE Value Macro(const Node& n) {
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
      if (v.bool_value) ++hits;
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
      case Op::kSizeString: {
        // Code points, as CEL: count the bytes that start a sequence.
        int64_t count = 0;
        for (char c : a.string_value) {
          if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
        }
        return Value::Int(count);
      }
      case Op::kContains:
        return Value::Bool(absl::StrContains(a.string_value, b.string_value));
      case Op::kStartsWith:
        return Value::Bool(absl::StartsWith(a.string_value, b.string_value));
      case Op::kEndsWith:
        return Value::Bool(absl::EndsWith(a.string_value, b.string_value));
      case Op::kMatches:
        return Value::Bool(RE2::PartialMatch(
            re2::StringPiece(a.string_value.data(), a.string_value.size()),
            *n.regex));
      case Op::kLowerAscii:
        return Value::String(
            f_.Keep(absl::AsciiStrToLower(std::string(a.string_value))));
      case Op::kAbsInt:
        if (a.int_value == std::numeric_limits<int64_t>::min()) {
          return Value::Error(kIntOverflow);
        }
        return Value::Int(a.int_value < 0 ? -a.int_value : a.int_value);
      case Op::kAbsDouble:
        return Value::Double(std::fabs(a.double_value));
      case Op::kAbsDuration:
        if (a.int_value == std::numeric_limits<int64_t>::min()) {
          return Value::Error(kDurationOverflow);
        }
        return Value::Duration(a.int_value < 0 ? -a.int_value : a.int_value);
      case Op::kIntToDouble:
        return Value::Double(static_cast<double>(a.int_value));
      case Op::kDoubleToInt: {
        const double d = a.double_value;
        // 2^63 is exactly representable; every double below it fits.
        if (!(d > -9223372036854775808.0 - 1024 && d < 9223372036854775808.0) ||
            std::isnan(d)) {
          return Value::Error("double out of int range");
        }
        double t = std::trunc(d);
        if (t < -9223372036854775808.0)
          return Value::Error("double out of int range");
        return Value::Int(static_cast<int64_t>(t));
      }
      case Op::kStringToInt: {
        int64_t i;
        if (!absl::SimpleAtoi(a.string_value, &i)) {
          return Value::Error(f_.Keep(
              absl::StrCat("cannot convert '", a.string_value, "' to int")));
        }
        return Value::Int(i);
      }
      case Op::kTimestampToInt: {
        int64_t s = a.int_value / 1000000000;
        if (a.int_value % 1000000000 < 0) --s;  // floor, as Unix seconds
        return Value::Int(s);
      }
      case Op::kStringToDouble: {
        double d;
        if (!absl::SimpleAtod(a.string_value, &d)) {
          return Value::Error(f_.Keep(
              absl::StrCat("cannot convert '", a.string_value, "' to double")));
        }
        return Value::Double(d);
      }
      case Op::kToString:
        return Value::String(f_.Keep(FormatValue(a)));
      default:
        return Value::Error("internal error: unknown operation");
    }
  }

  const CompiledProgram& p_;
  FrameState& f_;
};

}  // namespace

namespace {

// The value of a node that is constant: a literal, a negated literal (not
// the one int whose negation overflows) or an int literal made double.
bool FoldConstant(const CompiledProgram& program, int32_t id, Value* out) {
  const Node& n = program.nodes[id];
  switch (n.op) {
    case Op::kConst:
      *out = n.constant;
      return true;
    case Op::kIntToDouble:
    case Op::kNegInt:
    case Op::kNegDouble: {
      Value v;
      if (!FoldConstant(program, n.a, &v)) return false;
      if (n.op == Op::kIntToDouble) {
        *out = Value::Double(static_cast<double>(v.int_value));
      } else if (n.op == Op::kNegDouble) {
        *out = Value::Double(-v.double_value);
      } else if (v.int_value == std::numeric_limits<int64_t>::min()) {
        return false;
      } else {
        *out = Value::Int(-v.int_value);
      }
      return true;
    }
    default:
      return false;
  }
}

// EventString's code of string event field `field`, or -1.
int32_t EventStringCode(int32_t field) {
  const absl::string_view name = EventFields()[field].name;
  if (name == "kind") return 0;
  if (name == "case_id") return 1;
  if (name == "ref") return 2;
  return -1;
}

// Whether Evaluator::Eval hands `op` to EvalStrict.
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
      return true;
    default:
      return false;
  }
}

// Fills program.exec: `nodes` with comparisons against a constant fused
// into one node (when `fuse`). Folded constants never fail, so evaluating
// only the other operand is equivalent; a constant on the left flips the
// comparison, which is exact for ints, strings and doubles (NaN included).
void Specialize(CompiledProgram& program, bool fuse) {
  program.exec = program.nodes;
  if (!fuse) return;
  for (size_t id = 0; id < program.nodes.size(); ++id) {
    const Node& n = program.nodes[id];
    if (n.op < Op::kEq || n.op > Op::kGe) continue;
    Value constant;
    int32_t operand;
    Op op = n.op;
    if (FoldConstant(program, n.b, &constant)) {
      operand = n.a;
    } else if (FoldConstant(program, n.a, &constant)) {
      operand = n.b;
      static constexpr Op kFlipped[] = {Op::kEq, Op::kNe, Op::kGt,
                                        Op::kGe, Op::kLt, Op::kLe};
      op = kFlipped[static_cast<int>(n.op) - static_cast<int>(Op::kEq)];
    } else {
      continue;
    }
    const Node& o = program.nodes[operand];
    Node fused = n;
    fused.constant = constant;
    fused.b = -1;
    fused.c = static_cast<int32_t>(op);
    if (o.op == Op::kSlot) {
      fused.op = Op::kCmpSlotConst;
      fused.a = o.a;
    } else if (o.op == Op::kEventField) {
      const int32_t code = EventStringCode(o.b);
      if (code >= 0 && (op == Op::kEq || op == Op::kNe)) {
        fused.op = op == Op::kEq ? Op::kEqEventString : Op::kNeEventString;
        fused.b = code;
      } else {
        fused.op = Op::kCmpEventConst;
        fused.b = o.b;
      }
      fused.a = o.a;
    } else {
      fused.op = Op::kCmpConst;
      fused.a = operand;
      // b: 1 when the operand is an operation EvalStrict computes, which
      // kCmpConst then calls directly.
      fused.b = IsStrict(o.op) ? 1 : 0;
    }
    program.exec[id] = fused;
  }
}

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

Value Program::Evaluate(ExprId id, Frame& frame) const {
  const CompiledProgram& p = *impl_->program;
  if (id < 0 || static_cast<size_t>(id) >= p.nodes.size() ||
      frame.impl_->program != &p) {
    return Value::Error("expression does not belong to this program");
  }
  Evaluator evaluator(p, *frame.impl_);
  return evaluator.Eval(id);
}

}  // namespace tact::internal
