#include "src/expr/checker.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "re2/re2.h"
#include "src/common/business_calendar.h"
#include "src/common/duration.h"
#include "src/common/edit_distance.h"
#include "src/expr/builtins.h"
#include "src/expr/context_schema.h"

namespace tact::internal {

std::string ClosestMatch(absl::string_view name,
                         const std::vector<std::string>& candidates) {
  // Names are short; very long inputs are not typos of them.
  if (name.size() > 256) return "";
  const size_t threshold = std::max<size_t>(2, name.size() / 3);
  std::string best;
  size_t best_distance = threshold + 1;
  for (const std::string& c : candidates) {
    size_t dist = EditDistance(name, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  return best;
}

bool ParseDurationLiteral(absl::string_view text, int64_t* nanos,
                          std::string* error) {
  absl::Duration d;
  if (!ParseDuration(text, &d, error)) return false;
  const absl::Duration kLimit =
      absl::Nanoseconds(std::numeric_limits<int64_t>::max());
  if (d > kLimit || d < -kLimit) {
    *error = "out of range";
    return false;
  }
  *nanos = absl::ToInt64Nanoseconds(d);
  return true;
}

bool ParseTimestampLiteral(absl::string_view text, int64_t* nanos,
                           std::string* error) {
  absl::Time t;
  std::string ignored;  // absl's wording ("Failed to parse input") adds nothing
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &ignored)) {
    *error = "expected RFC 3339, e.g. 2026-01-01T00:00:00Z";
    return false;
  }
  const absl::Time kMin =
      absl::FromUnixNanos(std::numeric_limits<int64_t>::min());
  const absl::Time kMax =
      absl::FromUnixNanos(std::numeric_limits<int64_t>::max());
  if (t < kMin || t > kMax) {
    *error = "out of range (years 1678 to 2262)";
    return false;
  }
  *nanos = absl::ToUnixNanos(t);
  return true;
}

namespace {

constexpr ValueType kErr = ValueType::kError;

bool IsNumeric(ValueType t) {
  return t == ValueType::kInt || t == ValueType::kDouble;
}

// The common type of two operands that may be compared or unified, or kErr.
ValueType Unify(ValueType a, ValueType b) {
  if (a == b) return a;
  if (IsNumeric(a) && IsNumeric(b)) return ValueType::kDouble;
  return kErr;
}

std::string Plural(size_t n, absl::string_view noun) {
  return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
}

class Checker {
 public:
  Checker(const CheckerEnv& env, std::vector<ExprDiagnostic>* diagnostics)
      : env_(env), diagnostics_(diagnostics) {}

  bool Run(Expr* e, bool allow_list) {
    size_t before = diagnostics_->size();
    Check(e, allow_list);
    return diagnostics_->size() == before;
  }

 private:
  ValueType Error(const Expr& at, std::string message) {
    diagnostics_->push_back({at.location, std::move(message)});
    return kErr;
  }

  static std::string Suggest(absl::string_view name,
                             const std::vector<std::string>& candidates,
                             absl::string_view prefix = "") {
    std::string best = ClosestMatch(name, candidates);
    if (best.empty()) return "";
    return absl::StrCat("; did you mean ", prefix, best, "?");
  }

  // Checks `e` and records its type; a list(event) result is an error
  // unless the caller consumes lists.
  ValueType Check(Expr* e, bool allow_list) {
    ValueType t = CheckNode(e);
    if (t == ValueType::kEventList && !allow_list) {
      t = Error(*e,
                "a list(event) (history or filter()) can only be used as the "
                "argument of size() or the receiver of a macro");
    }
    e->type = t;
    return t;
  }

  bool IsLoopVar(absl::string_view name, int* depth) const {
    for (int i = static_cast<int>(loop_vars_.size()) - 1; i >= 0; --i) {
      if (loop_vars_[i] == name) {
        *depth = i;
        return true;
      }
    }
    return false;
  }

  std::vector<std::string> IdentifierCandidates() const {
    std::vector<std::string> c = {"customer", "case", "now", "history",
                                  "attributes"};
    if (!env_.computed.empty()) c.push_back("sla");
    c.insert(c.end(), loop_vars_.begin(), loop_vars_.end());
    if (env_.definitions != nullptr) {
      for (std::string& d : env_.definitions->DefinitionNames()) {
        c.push_back(std::move(d));
      }
    }
    return c;
  }

  ValueType CheckNode(Expr* e) {
    switch (e->kind) {
      case ExprKind::kBool:
        return ValueType::kBool;
      case ExprKind::kInt:
        return ValueType::kInt;
      case ExprKind::kDouble:
        return ValueType::kDouble;
      case ExprKind::kString:
        return ValueType::kString;
      case ExprKind::kIdent:
        return CheckIdent(e);
      case ExprKind::kSelect:
        return CheckSelect(e);
      case ExprKind::kIndex:
        return CheckIndex(e);
      case ExprKind::kCall:
        return CheckCall(e);
      case ExprKind::kUnary:
        return CheckUnary(e);
      case ExprKind::kBinary:
        return CheckBinary(e);
      case ExprKind::kTernary:
        return CheckTernary(e);
      case ExprKind::kList:
        return Error(*e, "a list literal is only allowed on the right of 'in'");
    }
    return kErr;
  }

  ValueType CheckIdent(Expr* e) {
    const std::string& name = e->name;
    int depth;
    if (IsLoopVar(name, &depth)) {
      return Error(
          *e, absl::StrCat("'", name, "' is an event; select a field, e.g. ",
                           name, ".kind"));
    }
    if (name == "now") {
      e->resolution = Resolution::kContextField;
      e->ref = FindContextField("now");
      return ValueType::kTimestamp;
    }
    if (name == "history") {
      e->resolution = Resolution::kHistory;
      return ValueType::kEventList;
    }
    if (name == "customer" || name == "case") {
      return Error(
          *e,
          absl::StrCat("'", name, "' is a message; select a field, e.g. ",
                       name == "customer" ? "customer.tier" : "case.category"));
    }
    if (name == "attributes") {
      return Error(*e,
                   "'attributes' must be followed by an attribute name, "
                   "e.g. attributes.plan");
    }
    if (env_.definitions != nullptr && env_.definitions->IsDefinition(name)) {
      ValueType type;
      int32_t index;
      std::string error;
      if (!env_.definitions->Resolve(name, &type, &index, &error)) {
        return Error(*e, error);
      }
      e->resolution = Resolution::kDefinition;
      e->ref = index;
      return type;
    }
    if (name == kSlaRoot) return SlaIncomplete(*e);
    return Error(*e, absl::StrCat("unknown identifier '", name, "'",
                                  Suggest(name, IdentifierCandidates(), "")));
  }

  // --- Computed facts: sla.<target>.<fact> ---
  static constexpr absl::string_view kSlaRoot = "sla";

  // `sla` or `sla.<target>` not followed by a fact; or `sla` when the
  // policy computes no facts.
  ValueType SlaIncomplete(const Expr& at) {
    if (env_.computed.empty()) {
      return Error(at,
                   "unknown identifier 'sla'; the policy has no "
                   "service_levels");
    }
    return Error(at, absl::StrCat("'sla' must be followed by a target and a "
                                  "fact, e.g. ",
                                  env_.computed.front().path));
  }

  // The target part of a computed path ("sla.first_reply").
  static absl::string_view TargetOf(absl::string_view path) {
    return path.substr(0, path.rfind('.'));
  }

  // Resolves `sla.<target>.<fact>`: `e` selects `fact` from `target_expr`,
  // which selects `target` from the identifier `sla`.
  ValueType ResolveComputed(Expr* e, const Expr& target_expr) {
    if (env_.computed.empty()) return SlaIncomplete(*target_expr.children[0]);
    const std::string target = absl::StrCat(kSlaRoot, ".", target_expr.name);
    const std::string path = absl::StrCat(target, ".", e->name);
    std::vector<std::string> targets;
    std::vector<std::string> facts;
    for (size_t i = 0; i < env_.computed.size(); ++i) {
      const ComputedDecl& c = env_.computed[i];
      if (c.path == path) {
        e->resolution = Resolution::kComputed;
        e->ref = static_cast<int32_t>(i);
        return c.type;
      }
      const absl::string_view t = TargetOf(c.path);
      if (t == target) facts.push_back(c.path);
      if (targets.empty() || targets.back() != t) targets.emplace_back(t);
    }
    if (facts.empty()) {
      return Error(target_expr, absl::StrCat("unknown service-level target ",
                                             target, Suggest(target, targets)));
    }
    return Error(*e, absl::StrCat("unknown service-level fact ", path,
                                  Suggest(path, facts)));
  }

  bool IsSlaRoot(const Expr& e) const {
    int depth;
    return e.kind == ExprKind::kIdent && e.name == kSlaRoot &&
           !IsLoopVar(e.name, &depth);
  }

  ValueType ResolveAttribute(Expr* e, const std::string& name) {
    for (size_t i = 0; i < env_.attributes.size(); ++i) {
      if (env_.attributes[i].name == name) {
        e->resolution = Resolution::kAttribute;
        e->ref = static_cast<int32_t>(i);
        e->name = name;
        return env_.attributes[i].type;
      }
    }
    std::vector<std::string> names;
    for (const AttributeDecl& a : env_.attributes) names.push_back(a.name);
    std::string best = ClosestMatch(name, names);
    return Error(
        *e,
        absl::StrCat(
            "unknown attribute '", name, "'",
            best.empty() ? "" : absl::StrCat("; did you mean '", best, "'?")));
  }

  ValueType CheckSelect(Expr* e) {
    Expr* operand = e->children[0].get();
    const std::string& field = e->name;
    if (operand->kind == ExprKind::kSelect &&
        IsSlaRoot(*operand->children[0])) {
      return ResolveComputed(e, *operand);
    }
    if (IsSlaRoot(*operand)) return SlaIncomplete(*e);
    if (operand->kind == ExprKind::kIdent) {
      const std::string& root = operand->name;
      int depth;
      if (IsLoopVar(root, &depth)) {
        int index = FindEventField(field);
        if (index < 0) {
          std::vector<std::string> names;
          for (const EventField& f : EventFields()) names.emplace_back(f.name);
          return Error(*e, absl::StrCat("unknown field ", root, ".", field,
                                        Suggest(field, names, root + ".")));
        }
        e->resolution = Resolution::kEventField;
        e->ref = index;
        e->loop_depth = depth;
        return EventFields()[index].type;
      }
      if (root == "customer" || root == "case") {
        std::string path = absl::StrCat(root, ".", field);
        int index = FindContextField(path);
        if (index < 0) {
          std::vector<std::string> names;
          for (const ContextField& f : ContextFields()) {
            if (absl::StartsWith(f.path, root + ".")) {
              names.emplace_back(f.path.substr(root.size() + 1));
            }
          }
          return Error(*e, absl::StrCat("unknown field ", path,
                                        Suggest(field, names, root + ".")));
        }
        e->resolution = Resolution::kContextField;
        e->ref = index;
        return ContextFields()[index].type;
      }
      if (root == "attributes") return ResolveAttribute(e, field);
    }
    ValueType t = Check(operand, false);
    if (t == kErr) return kErr;
    return Error(*e, absl::StrCat("cannot select field '", field, "' from ",
                                  TypeName(t)));
  }

  ValueType CheckIndex(Expr* e) {
    Expr* operand = e->children[0].get();
    Expr* key = e->children[1].get();
    if (operand->kind == ExprKind::kIdent && operand->name == "attributes") {
      int depth;
      if (!IsLoopVar("attributes", &depth)) {
        if (key->kind != ExprKind::kString) {
          return Error(*key,
                       "attribute name must be a string literal, e.g. "
                       "attributes[\"plan\"]");
        }
        return ResolveAttribute(e, key->string_value);
      }
    }
    return Error(*e, "indexing is only supported as attributes[\"name\"]");
  }

  ValueType CheckUnary(Expr* e) {
    ValueType t = Check(e->children[0].get(), false);
    if (t == kErr) return kErr;
    if (e->name == "!") {
      if (t == ValueType::kBool) return t;
      return Error(
          *e, absl::StrCat("operator '!' requires bool, got ", TypeName(t)));
    }
    if (t == ValueType::kInt || t == ValueType::kDouble ||
        t == ValueType::kDuration) {
      return t;
    }
    return Error(*e,
                 absl::StrCat("operator '-' cannot apply to ", TypeName(t)));
  }

  ValueType CheckBinary(Expr* e) {
    const std::string& op = e->name;
    Expr* lhs = e->children[0].get();
    Expr* rhs = e->children[1].get();
    if (op == "in") {
      ValueType l = Check(lhs, false);
      if (rhs->kind != ExprKind::kList) {
        return Error(*rhs,
                     "operator 'in' requires a list literal on the "
                     "right, e.g. x in [\"a\", \"b\"]");
      }
      bool ok = l != kErr;
      for (auto& item : rhs->children) {
        ValueType t = Check(item.get(), false);
        if (t == kErr) {
          ok = false;
        } else if (l != kErr && Unify(l, t) == kErr) {
          Error(*item, absl::StrCat("operator 'in' cannot compare ",
                                    TypeName(l), " with ", TypeName(t)));
          ok = false;
        }
      }
      rhs->type = l;
      return ok ? ValueType::kBool : kErr;
    }
    ValueType l = Check(lhs, false);
    ValueType r = Check(rhs, false);
    if (l == kErr || r == kErr) return kErr;
    if (op == "&&" || op == "||") {
      if (l == ValueType::kBool && r == ValueType::kBool) return l;
      return Error(
          *e, absl::StrCat("operator '", op, "' requires bool operands, got ",
                           TypeName(l), " and ", TypeName(r)));
    }
    if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" ||
        op == ">=") {
      if (Unify(l, r) != kErr) return ValueType::kBool;
      return Error(*e, absl::StrCat("operator '", op, "' cannot compare ",
                                    TypeName(l), " with ", TypeName(r)));
    }
    ValueType result = ArithmeticType(op, l, r);
    if (result != kErr) return result;
    return Error(*e, absl::StrCat("operator '", op, "' cannot apply to ",
                                  TypeName(l), " and ", TypeName(r)));
  }

  static ValueType ArithmeticType(const std::string& op, ValueType l,
                                  ValueType r) {
    using T = ValueType;
    if (op == "%") return l == T::kInt && r == T::kInt ? T::kInt : kErr;
    if (IsNumeric(l) && IsNumeric(r)) return Unify(l, r);
    if (op == "+") {
      if (l == T::kString && r == T::kString) return T::kString;
      if (l == T::kTimestamp && r == T::kDuration) return T::kTimestamp;
      if (l == T::kDuration && r == T::kTimestamp) return T::kTimestamp;
      if (l == T::kDuration && r == T::kDuration) return T::kDuration;
    }
    if (op == "-") {
      if (l == T::kTimestamp && r == T::kTimestamp) return T::kDuration;
      if (l == T::kTimestamp && r == T::kDuration) return T::kTimestamp;
      if (l == T::kDuration && r == T::kDuration) return T::kDuration;
    }
    return kErr;
  }

  ValueType CheckTernary(Expr* e) {
    ValueType c = Check(e->children[0].get(), false);
    ValueType a = Check(e->children[1].get(), false);
    ValueType b = Check(e->children[2].get(), false);
    if (c == kErr || a == kErr || b == kErr) return kErr;
    if (c != ValueType::kBool) {
      return Error(
          *e->children[0],
          absl::StrCat("ternary condition must be bool, got ", TypeName(c)));
    }
    ValueType t = Unify(a, b);
    if (t == kErr) {
      return Error(*e, absl::StrCat("ternary branches have different types: ",
                                    TypeName(a), " and ", TypeName(b)));
    }
    return t;
  }

  bool ArgCount(const Expr& e, absl::string_view kind, size_t got,
                size_t want) {
    if (got == want) return true;
    Error(e, absl::StrCat(kind, " '", e.name, "' expects ",
                          Plural(want, "argument"), ", got ", got));
    return false;
  }

  ValueType CheckCall(Expr* e) {
    const bool method = e->has_receiver;
    const BuiltinStyle style = method ? kMethodCall : kGlobalCall;
    const BuiltinFunction* builtin = FindBuiltin(e->name, style);
    if (builtin == nullptr) {
      std::vector<std::string> names;
      for (const BuiltinFunction& f : Builtins()) {
        if (f.Allows(style)) names.emplace_back(f.name);
      }
      std::string best = ClosestMatch(e->name, names);
      return Error(
          *e, absl::StrCat("unknown ", method ? "method" : "function", " '",
                           e->name, "'",
                           best.empty()
                               ? ""
                               : absl::StrCat("; did you mean '", best, "'?")));
    }
    const BuiltinFunction& f = *builtin;
    e->builtin = builtin;
    e->resolution = Resolution::kBuiltin;
    if (f.kind == BuiltinKind::kMacro) return CheckMacro(e, f);
    // Arguments as the function sees them: receiver first.
    std::vector<Expr*> args;
    for (auto& c : e->children) args.push_back(c.get());
    const absl::string_view kind = method ? "method" : "function";
    const size_t receiver = method ? 1 : 0;
    if (f.kind == BuiltinKind::kZoned || f.kind == BuiltinKind::kCalendar) {
      // The arguments, then an optional literal (a zone, a calendar).
      const size_t want = f.arity - receiver;
      const size_t got = args.size() - receiver;
      if (got != want && got != want + 1) {
        return Error(
            *e, absl::StrCat(kind, " '", e->name, "' expects ", want, " or ",
                             want + 1, " arguments, got ", got));
      }
      return f.kind == BuiltinKind::kZoned ? CheckZoned(e, f, args)
                                           : CheckBusinessTime(e, f, args);
    }
    if (f.kind == BuiltinKind::kVariadic) {
      if (args.size() < static_cast<size_t>(f.arity)) {
        return Error(*e,
                     absl::StrCat(kind, " '", e->name, "' expects at least ",
                                  f.arity, " arguments, got ", args.size()));
      }
    } else if (!ArgCount(*e, kind, args.size() - receiver,
                         f.arity - receiver)) {
      return kErr;
    }
    switch (f.kind) {
      case BuiltinKind::kFunction:
      case BuiltinKind::kConversion:
        return CheckFunction(e, f, args);
      case BuiltinKind::kFieldTest:
        return CheckFieldTest(e, f, args[0]);
      case BuiltinKind::kRegexMatch:
        return CheckRegexMatch(e, f, args[0], args[1]);
      case BuiltinKind::kVariadic:
        return CheckVariadic(e, f, args);
      case BuiltinKind::kLiteral:
        return CheckLiteral(e, f, args[0]);
      case BuiltinKind::kZoned:
      case BuiltinKind::kCalendar:
      case BuiltinKind::kMacro:
        break;
    }
    return Error(*e, "internal error: unhandled function");
  }

  // Whether some overload of `f` takes a list(event) as argument `i`.
  static bool TakesList(const BuiltinFunction& f, size_t i) {
    for (const BuiltinOverload& o : f.overloads) {
      if (i < 2 && o.params[i] == ValueType::kEventList) return true;
    }
    return false;
  }

  ValueType CheckFunction(Expr* e, const BuiltinFunction& f,
                          const std::vector<Expr*>& args) {
    std::vector<ValueType> types;
    bool ok = true;
    for (size_t i = 0; i < args.size(); ++i) {
      types.push_back(Check(args[i], TakesList(f, i)));
      if (types.back() == kErr) ok = false;
    }
    if (!ok) return kErr;
    const BuiltinOverload* overload = f.Match(types);
    if (overload != nullptr) {
      e->overload = overload;
      return overload->result;
    }
    if (f.kind == BuiltinKind::kConversion) {
      return Error(*e, absl::StrCat("cannot convert ", TypeName(types[0]),
                                    " to ", e->name));
    }
    std::vector<absl::string_view> names;
    for (ValueType t : types) names.push_back(TypeName(t));
    return Error(*e, absl::StrCat(e->name, "() applies to ", f.Accepted(),
                                  ", got ", absl::StrJoin(names, " and ")));
  }

  ValueType CheckFieldTest(Expr* e, const BuiltinFunction& f, Expr* arg) {
    static constexpr absl::string_view kNotField =
        "() argument must be a field, e.g. has(customer.tier)";
    if (arg->kind != ExprKind::kSelect && arg->kind != ExprKind::kIndex) {
      return Error(*arg, absl::StrCat(e->name, kNotField));
    }
    ValueType t = Check(arg, false);
    if (t == kErr) return kErr;
    if (arg->resolution != Resolution::kContextField &&
        arg->resolution != Resolution::kEventField &&
        arg->resolution != Resolution::kAttribute &&
        arg->resolution != Resolution::kComputed) {
      return Error(*arg, absl::StrCat(e->name, kNotField));
    }
    const ValueType types[] = {t};
    e->overload = f.Match(types);
    if (e->overload == nullptr) {
      return Error(*e, "internal error: unhandled field type");
    }
    return e->overload->result;
  }

  ValueType CheckRegexMatch(Expr* e, const BuiltinFunction& f, Expr* subject,
                            Expr* pattern) {
    const BuiltinOverload& overload = f.overloads[0];
    ValueType s = Check(subject, false);
    if (s == kErr) return kErr;
    if (s != overload.params[0]) {
      return Error(*subject, absl::StrCat(e->name, "() applies to ",
                                          TypeName(overload.params[0]),
                                          ", got ", TypeName(s)));
    }
    if (pattern->kind != ExprKind::kString) {
      Check(pattern, false);
      return Error(
          *pattern,
          absl::StrCat(e->name, "() pattern must be a string literal"));
    }
    pattern->type = ValueType::kString;
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(env_.max_regex_memory);
    auto re = std::make_shared<const RE2>(pattern->string_value, options);
    if (!re->ok()) {
      return Error(*pattern,
                   absl::StrCat("invalid regex '", pattern->string_value,
                                "': ", re->error()));
    }
    e->regex = std::move(re);
    e->overload = &overload;
    return overload.result;
  }

  ValueType CheckVariadic(Expr* e, const BuiltinFunction& f,
                          const std::vector<Expr*>& args) {
    ValueType result = ValueType::kBool;  // placeholder until first arg
    bool first = true, ok = true;
    for (Expr* a : args) {
      ValueType t = Check(a, false);
      if (t == kErr) {
        ok = false;
        continue;
      }
      const ValueType types[] = {t};
      if (f.Match(types) == nullptr) {
        ok = false;
        Error(*a, absl::StrCat(e->name, "() cannot apply to ", TypeName(t)));
        continue;
      }
      if (first) {
        result = t;
        first = false;
      } else if (ok) {
        ValueType u = Unify(result, t);
        if (u == kErr) {
          Error(*a, absl::StrCat(e->name,
                                 "() arguments must have one "
                                 "type, got ",
                                 TypeName(result), " and ", TypeName(t)));
          ok = false;
        } else {
          result = u;
        }
      }
    }
    if (!ok) return kErr;
    const ValueType types[] = {result};
    e->overload = f.Match(types);
    if (e->overload == nullptr) {
      return Error(*e, "internal error: unhandled argument type");
    }
    return e->overload->result;
  }

  ValueType CheckLiteral(Expr* e, const BuiltinFunction& f, Expr* arg) {
    if (arg->kind != ExprKind::kString) {
      Check(arg, false);
      return Error(*arg, absl::StrCat(e->name,
                                      "() argument must be a string "
                                      "literal"));
    }
    arg->type = ValueType::kString;
    std::string error;
    if (!f.parse_literal(arg->string_value, &e->constant, &error)) {
      return Error(*arg, absl::StrCat("invalid ", e->name, " literal '",
                                      arg->string_value, "': ", error));
    }
    e->overload = &f.overloads[0];
    e->resolution = Resolution::kConstant;
    return e->overload->result;
  }

  // receiver.NAME([zone]): a timestamp or duration accessor.
  ValueType CheckZoned(Expr* e, const BuiltinFunction& f,
                       const std::vector<Expr*>& args) {
    ValueType r = Check(args[0], false);
    if (r == kErr) return kErr;
    const ValueType types[] = {r};
    const BuiltinOverload* overload = f.Match(types);
    if (overload == nullptr) {
      return Error(*e, absl::StrCat(e->name, "() applies to ", f.Accepted(),
                                    ", got ", TypeName(r)));
    }
    if (args.size() == 2) {
      Expr* zone = args[1];
      if (r != ValueType::kTimestamp) {
        Check(zone, false);
        return Error(*zone, absl::StrCat(e->name,
                                         "() of a duration takes no time "
                                         "zone"));
      }
      if (zone->kind != ExprKind::kString) {
        Check(zone, false);
        return Error(*zone, absl::StrCat(e->name,
                                         "() time zone must be a string "
                                         "literal, e.g. 'Europe/London'"));
      }
      zone->type = ValueType::kString;
      if (!LoadZone(zone->string_value, &e->zone)) {
        return Error(*zone,
                     absl::StrCat("unknown time zone '", zone->string_value,
                                  "'; use an IANA name like "
                                  "'Europe/London', 'UTC' or an offset "
                                  "like '+05:30'"));
      }
    }
    e->overload = overload;
    return overload->result;
  }

  // NAME(args..., [calendar]): business time over a policy calendar.
  ValueType CheckBusinessTime(Expr* e, const BuiltinFunction& f,
                              const std::vector<Expr*>& args) {
    const size_t n = static_cast<size_t>(f.arity);
    std::vector<ValueType> types;
    bool ok = true;
    for (size_t i = 0; i < n; ++i) {
      types.push_back(Check(args[i], false));
      if (types.back() == kErr) ok = false;
    }
    std::string name;
    const Expr* at = e;
    if (args.size() > n) {
      Expr* c = args[n];
      if (c->kind != ExprKind::kString) {
        Check(c, false);
        return Error(*c, absl::StrCat(e->name,
                                      "() calendar must be a string literal "
                                      "naming one of the policy's calendars"));
      }
      c->type = ValueType::kString;
      name = c->string_value;
      at = c;
    }
    if (!ok) return kErr;
    const BuiltinOverload* overload = f.Match(types);
    if (overload == nullptr) {
      std::vector<absl::string_view> names;
      for (ValueType t : types) names.push_back(TypeName(t));
      return Error(*e, absl::StrCat(e->name, "() applies to ", f.Accepted(),
                                    ", got ", absl::StrJoin(names, " and ")));
    }
    const BusinessCalendar* calendar = env_.calendars == nullptr
                                           ? nullptr
                                           : env_.calendars->FindCalendar(name);
    if (calendar == nullptr) {
      if (name.empty()) {
        return Error(*e, absl::StrCat(e->name,
                                      "() counts working hours, but the "
                                      "policy defines no calendar; add one "
                                      "under `calendars`"));
      }
      std::string best;
      if (env_.calendars != nullptr) {
        best = ClosestMatch(name, env_.calendars->CalendarNames());
      }
      return Error(*at,
                   absl::StrCat("unknown calendar '", name, "'",
                                best.empty() ? ""
                                             : absl::StrCat("; did you mean '",
                                                            best, "'?")));
    }
    if (!calendar->has_hours()) {
      return Error(
          *at, absl::StrCat(e->name, "() counts working hours, but calendar '",
                            calendar->id(), "' has none (only a time zone)"));
    }
    e->calendar = calendar;
    e->overload = overload;
    return overload->result;
  }

  ValueType CheckMacro(Expr* e, const BuiltinFunction& f) {
    if (!e->has_receiver) {
      return Error(*e, absl::StrCat(e->name,
                                    "() is a macro; write "
                                    "history.",
                                    e->name, "(e, predicate)"));
    }
    if (!ArgCount(*e, "macro", e->children.size() - 1, f.arity - 1)) {
      return kErr;
    }
    const BuiltinOverload& overload = f.overloads[0];
    Expr* receiver = e->children[0].get();
    Expr* var = e->children[1].get();
    Expr* pred = e->children[2].get();
    ValueType r = Check(receiver, true);
    if (r == kErr) return kErr;
    if (r != overload.params[0]) {
      return Error(*e, absl::StrCat("macro '", e->name,
                                    "' applies to history or a filter over "
                                    "it, got ",
                                    TypeName(r)));
    }
    if (var->kind != ExprKind::kIdent) {
      return Error(*var, absl::StrCat("first argument of ", e->name,
                                      "() must be a variable name"));
    }
    e->loop_depth = static_cast<int32_t>(loop_vars_.size());
    loop_vars_.push_back(var->name);
    ValueType p = Check(pred, false);
    loop_vars_.pop_back();
    if (p == kErr) return kErr;
    if (p != overload.params[1]) {
      return Error(*pred, absl::StrCat("predicate of ", e->name, "() must be ",
                                       TypeName(overload.params[1]), ", got ",
                                       TypeName(p)));
    }
    e->overload = &overload;
    return overload.result;
  }

  const CheckerEnv& env_;
  std::vector<ExprDiagnostic>* diagnostics_;
  std::vector<std::string> loop_vars_;
};

}  // namespace

bool CheckExpr(Expr* expr, const CheckerEnv& env, bool allow_list,
               std::vector<ExprDiagnostic>* diagnostics) {
  return Checker(env, diagnostics).Run(expr, allow_list);
}

}  // namespace tact::internal
