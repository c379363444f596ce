// ProgramBuilder: compiles expression sources into a Program (parse, check,
// plan; named definitions compiled on first use; conditions split into their
// top-level conjuncts).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "src/expr/ast.h"
#include "src/expr/checker.h"
#include "src/expr/operands.h"
#include "src/expr/parser.h"
#include "src/expr/planner.h"
#include "src/expr/program.h"
#include "src/expr/program_impl.h"
#include "src/expr/specializer.h"

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
      "customer", "case", "now",   "history", "attributes",
      "sla",      "true", "false", "in",      "null",
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

}  // namespace

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
    env.computed = program->computed;
    env.definitions = this;
    env.calendars = calendars;
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
    const int32_t body = planner.Plan(*expr);
    program->definition_operands.resize(def.index + 1, -1);
    program->definition_operands[def.index] = AddOperands(*expr, def.source);
    program->definition_names.resize(def.index + 1);
    program->definition_names[def.index] = def.name;
    planner.SetDefinitionBody(def.index, body);
    if (!CheckCost(body, expr->location, &def.diagnostics)) {
      def.state = State::kFailed;
      return;
    }
    def.state = State::kDone;
  }

  // Records the operands of `expr` (Program::OperandsOf); returns the index
  // of their list, or -1 when there are none.
  int32_t AddOperands(const Expr& expr, absl::string_view source) {
    std::vector<Program::Operand> operands;
    CollectOperands(expr, source, planner, &operands);
    if (operands.empty()) return -1;
    program->operand_lists.push_back(std::move(operands));
    return static_cast<int32_t>(program->operand_lists.size() - 1);
  }

  // Fills depth/nesting/deepest for the nodes planned since last time.
  // Children are planned before their parents (a definition's body before
  // any reference to it), so one pass in index order sees them done.
  void Analyze() {
    const std::vector<Node>& nodes = program->nodes;
    for (size_t i = depth.size(); i < nodes.size(); ++i) {
      const Node& n = nodes[i];
      int32_t d = 0, nest = 0, deep = -1;
      auto child = [&](int32_t c) {
        if (c < 0 || static_cast<size_t>(c) >= i) return;
        if (depth[c] > d) d = depth[c], deep = c;
        nest = std::max(nest, nesting[c]);
      };
      switch (n.op) {
        case Op::kConst:
        case Op::kSlot:
        case Op::kEventField:
        case Op::kHistory:
          break;
        case Op::kDefinition:
          child(n.b);
          nest = 0;  // memoized: evaluated once per decision
          break;
        case Op::kIn:
          child(n.a);
          for (int32_t k = 0; k < n.c; ++k) child(program->args[n.b + k]);
          break;
        case Op::kMin:
        case Op::kMax:
          for (int32_t k = 0; k < n.c; ++k) child(program->args[n.b + k]);
          break;
        case Op::kTernary:
          child(n.a);
          child(n.b);
          child(n.c);
          break;
        case Op::kExists:
        case Op::kAll:
        case Op::kExistsOne:
        case Op::kCount:
          // The predicate (and the list's filters) run once per element.
          child(n.a);
          child(n.b);
          ++nest;
          break;
        case Op::kSizeList:
        case Op::kServiceCost:  // a scan of the history
          child(n.a);
          ++nest;
          break;
        default:  // kFilter (iterated by its consumer), operators, builtins
          child(n.a);
          if (n.op != Op::kMatches && n.op != Op::kHas) child(n.b);
          break;
      }
      depth.push_back(d + 1);
      nesting.push_back(nest);
      deepest.push_back(deep);
    }
  }

  // Whether evaluating `root` stays within the depth and history-macro
  // nesting limits; appends a diagnostic at `location` if not.
  bool CheckCost(int32_t root, ExprLocation location,
                 std::vector<ExprDiagnostic>* diagnostics) {
    Analyze();
    if (nesting[root] > kMaxMacroNesting) {
      diagnostics->push_back(
          {location,
           absl::StrCat(kMacroNestingPrefix, nesting[root],
                        " deep (each element of the outer one runs the inner "
                        "ones over the whole history), more than the limit of ",
                        kMaxMacroNesting)});
      return false;
    }
    if (depth[root] <= limits.max_evaluation_depth) return true;
    std::vector<std::string> chain;
    for (int32_t k = root; k >= 0; k = deepest[k]) {
      const Node& n = program->nodes[k];
      if (n.op == Op::kDefinition) {
        chain.push_back(program->definition_names[n.a]);
      }
    }
    std::string path;
    if (chain.size() > 6) {
      path =
          absl::StrCat(absl::StrJoin(chain.begin(), chain.begin() + 3, " -> "),
                       " -> ... (", chain.size() - 5, " more) -> ",
                       absl::StrJoin(chain.end() - 2, chain.end(), " -> "));
    } else {
      path = absl::StrJoin(chain, " -> ");
    }
    diagnostics->push_back(
        {location,
         absl::StrCat(kDepthPrefix, depth[root],
                      " levels deep counting the definitions it uses",
                      chain.empty() ? "" : absl::StrCat(" (", path, ")"),
                      ", more than the limit of ", limits.max_evaluation_depth,
                      "; flatten the chain")});
    return false;
  }

  static constexpr absl::string_view kDepthPrefix = "evaluation nests ";
  static constexpr absl::string_view kMacroNestingPrefix =
      "history macros nest ";
  // Most history macros nested in one another's predicates: two make an
  // evaluation quadratic in the history, three cubic.
  static constexpr int32_t kMaxMacroNesting = 2;

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
                  absl::StartsWith(first, "definitions nest more than ") ||
                  absl::StartsWith(first, kDepthPrefix) ||
                  absl::StartsWith(first, kMacroNestingPrefix)
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
  // Per planned node: how deep its evaluation recurses (definitions
  // included), how many history macros nest in it (a definition counts 0:
  // memoized) and the child on its deepest path (-1 for none).
  std::vector<int32_t> depth;
  std::vector<int32_t> nesting;
  std::vector<int32_t> deepest;
  bool specialize = true;
  const CalendarCatalog* calendars = nullptr;
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

namespace {

// A component of a computed fact's path: [a-z][a-z0-9_]*.
bool IsPathComponent(absl::string_view s) {
  if (s.empty() || s.size() > 64 || !absl::ascii_islower(s[0])) return false;
  for (char c : s) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<int32_t> ProgramBuilder::DeclareComputed(absl::string_view path,
                                                        ValueType type) {
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  if (parts.size() != 3 || parts[0] != "sla" || !IsPathComponent(parts[1]) ||
      !IsPathComponent(parts[2])) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed computed fact path '", path,
                     "'; expected sla.<target>.<fact>, each [a-z][a-z0-9_]*"));
  }
  if (type == ValueType::kError || type == ValueType::kEventList) {
    return absl::InvalidArgumentError(absl::StrCat(
        "computed fact ", path, " cannot have type ", TypeName(type)));
  }
  CompiledProgram& program = *impl_->program;
  for (const ComputedDecl& c : program.computed) {
    if (c.path == path) {
      return absl::InvalidArgumentError(
          absl::StrCat("computed fact ", path, " is declared twice"));
    }
  }
  program.computed.push_back({std::string(path), type});
  program.computed_missing.push_back(absl::StrCat(path, " is not set"));
  program.computed_slot.push_back(-1);
  return static_cast<int32_t>(program.computed.size() - 1);
}

void ProgramBuilder::SetCalendars(const CalendarCatalog* catalog) {
  impl_->calendars = catalog;
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
    if (!impl_->CheckCost(c.expr, LocationOf(source, part->begin),
                          diagnostics)) {
      return FirstError(*diagnostics, first);
    }
    c.operands = impl_->AddOperands(*part, source);
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
  if (!impl_->CheckCost(id, expr->location, diagnostics)) {
    return FirstError(*diagnostics, first);
  }
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

void ProgramBuilder::DisableSpecializationForTesting() {
  impl_->specialize = false;
}

std::unique_ptr<const Program> ProgramBuilder::Build() && {
  auto impl = std::make_unique<Program::Impl>();
  impl->program = std::move(impl_->program);
  Specialize(*impl->program, impl_->specialize);
  return std::unique_ptr<const Program>(new Program(std::move(impl)));
}

}  // namespace tact::internal
