#include "src/runtime/plan.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/compiler/program.h"

namespace tact::internal {
namespace {

// Reports problems at their place in the policy file.
class Reporter {
 public:
  Reporter(const LoadedPolicy& loaded, std::vector<Diagnostic>* out)
      : loaded_(loaded), out_(out) {}

  void Error(absl::string_view path, absl::string_view element,
             absl::string_view message) {
    Add(Diagnostic::Severity::kError, loaded_.source_map.Field(path), element,
        message);
  }
  void Warning(absl::string_view path, absl::string_view element,
               absl::string_view message) {
    Add(Diagnostic::Severity::kWarning, loaded_.source_map.Field(path),
        element, message);
  }
  // Diagnostics inside the expression held by the string field at `path`.
  void ExprErrors(absl::string_view path, absl::string_view element,
                  const std::vector<ExprDiagnostic>& diagnostics) {
    for (const ExprDiagnostic& d : diagnostics) {
      FileLocation at = loaded_.source_map.InString(path, d.location.line,
                                                    d.location.column);
      std::string message = d.message;
      if (at.line == 0) {
        // No file position (JSON, binary): say where inside the expression.
        message = absl::StrCat(path, ":", d.location.line, ":",
                               d.location.column, ": ", d.message);
      }
      Add(Diagnostic::Severity::kError, at, element, message);
    }
  }
  bool failed() const { return failed_; }

 private:
  void Add(Diagnostic::Severity severity, FileLocation at,
           absl::string_view element, absl::string_view message) {
    Diagnostic d;
    d.severity = severity;
    d.file = loaded_.file;
    d.line = at.line;
    d.column = at.column;
    d.element = std::string(element);
    d.message = std::string(message);
    if (severity == Diagnostic::Severity::kError) failed_ = true;
    out_->push_back(std::move(d));
  }

  const LoadedPolicy& loaded_;
  std::vector<Diagnostic>* out_;
  bool failed_ = false;
};

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Levenshtein distance, for "did you mean" suggestions on ids.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string Suggest(absl::string_view wrong,
                    const std::vector<ActionPlan>& actions) {
  const ActionPlan* best = nullptr;
  size_t best_distance = std::max<size_t>(2, wrong.size() / 3) + 1;
  for (const ActionPlan& a : actions) {
    size_t d = EditDistance(wrong, a.id);
    if (d < best_distance) {
      best_distance = d;
      best = &a;
    }
  }
  return best == nullptr ? "" : absl::StrCat("; did you mean \"", best->id, "\"?");
}

ValueType ToValueType(v1::AttributeDeclaration::Type type) {
  switch (type) {
    case v1::AttributeDeclaration::BOOL: return ValueType::kBool;
    case v1::AttributeDeclaration::INT: return ValueType::kInt;
    case v1::AttributeDeclaration::DOUBLE: return ValueType::kDouble;
    case v1::AttributeDeclaration::STRING: return ValueType::kString;
    case v1::AttributeDeclaration::TIMESTAMP: return ValueType::kTimestamp;
    case v1::AttributeDeclaration::DURATION: return ValueType::kDuration;
    default: return ValueType::kError;
  }
}

class PlanBuilder {
 public:
  PlanBuilder(const LoadedPolicy& loaded, const CompileOptions& options,
              std::vector<Diagnostic>* diagnostics)
      : policy_(loaded.policy),
        options_(options),
        report_(loaded, diagnostics),
        program_(ProgramLimits{
            static_cast<size_t>(std::max(0, options.max_expression_bytes)),
            options.max_nesting_depth, options.max_regex_memory}) {}

  std::unique_ptr<const PolicyPlan> Build() && {
    plan_->currency = policy_.currency();
    if (policy_.name().empty()) {
      report_.Warning("name", "", "the policy has no name; decisions will not say which policy made them");
    }
    if (policy_.rules_size() > options_.max_rules) {
      report_.Error("rules", "",
                    absl::StrCat("the policy has ", policy_.rules_size(),
                                 " rules; the limit is ", options_.max_rules));
      return nullptr;
    }
    DeclareAttributes();
    CompileActions();
    CompileDefinitions();
    CompileModifiers();
    CompileRules();
    if (report_.failed()) return nullptr;
    plan_->program = std::move(program_).Build();
    return std::move(plan_);
  }

 private:
  void DeclareAttributes() {
    for (int i = 0; i < policy_.attributes_size(); ++i) {
      const v1::AttributeDeclaration& a = policy_.attributes(i);
      std::string path = absl::StrCat("attributes[", i, "]");
      std::string element = absl::StrCat("attribute \"", a.name(), "\"");
      ValueType type = ToValueType(a.type());
      if (type == ValueType::kError) {
        report_.Error(path, element,
                      "declare the attribute's type (BOOL, INT, DOUBLE, "
                      "STRING, TIMESTAMP or DURATION)");
        continue;
      }
      absl::Status status = program_.DeclareAttribute(a.name(), type);
      if (!status.ok()) report_.Error(path, element, status.message());
    }
  }

  void CompileActions() {
    absl::flat_hash_set<std::string> tags;
    for (int i = 0; i < policy_.actions_size(); ++i) {
      const v1::Action& a = policy_.actions(i);
      std::string path = absl::StrCat("actions[", i, "]");
      std::string element = absl::StrCat("action \"", a.id(), "\"");
      if (!IsValidId(a.id())) {
        report_.Error(path + ".id", element,
                      "an action id must be 1-128 characters of [a-z0-9_.-]");
      } else if (!action_index_.emplace(a.id(), i).second) {
        report_.Error(path + ".id", element, "duplicate action id");
      }
      ActionPlan action;
      action.id = a.id();
      action.title = a.title().empty() ? a.id() : a.title();
      absl::StatusOr<Template> text = ParseTemplate(a.template_());
      if (!text.ok()) {
        report_.Error(path + ".template", element, text.status().message());
      } else {
        action.text = *std::move(text);
      }
      action.tags.assign(a.tags().begin(), a.tags().end());
      std::sort(action.tags.begin(), action.tags.end());
      plan_->actions.push_back(std::move(action));
    }
  }

  void CompileDefinitions() {
    absl::flat_hash_map<std::string, int> index;
    for (int i = 0; i < policy_.definitions_size(); ++i) {
      const v1::Definition& d = policy_.definitions(i);
      std::string path = absl::StrCat("definitions[", i, "]");
      std::string element = absl::StrCat("definition \"", d.name(), "\"");
      absl::Status status = program_.DeclareDefinition(d.name(), d.expr());
      if (!status.ok()) {
        report_.Error(path + ".name", element, status.message());
        continue;
      }
      index.emplace(d.name(), i);
    }
    for (const auto& [name, diagnostic] : program_.CompileDefinitions()) {
      auto it = index.find(name);
      int i = it == index.end() ? 0 : it->second;
      report_.ExprErrors(absl::StrCat("definitions[", i, "].expr"),
                         absl::StrCat("definition \"", name, "\""),
                         {diagnostic});
    }
  }

  // Compiles a condition; reports and returns false on errors.
  bool Condition(absl::string_view source, const std::string& path,
                 const std::string& element, std::vector<Conjunct>* out) {
    std::vector<ExprDiagnostic> diagnostics;
    absl::StatusOr<std::vector<Conjunct>> conjuncts =
        program_.AddCondition(source, &diagnostics);
    if (!conjuncts.ok()) {
      if (diagnostics.empty()) {
        diagnostics.push_back({{1, 1}, std::string(conjuncts.status().message())});
      }
      report_.ExprErrors(path, element, diagnostics);
      return false;
    }
    *out = *std::move(conjuncts);
    return true;
  }

  // Compiles a value expression; returns -1 after reporting on errors.
  ExprId Expression(absl::string_view source, const ValueType* expected,
                    const std::string& path, const std::string& element) {
    std::vector<ExprDiagnostic> diagnostics;
    absl::StatusOr<ExprId> id =
        program_.AddExpression(source, expected, &diagnostics);
    if (!id.ok()) {
      if (diagnostics.empty()) {
        diagnostics.push_back({{1, 1}, std::string(id.status().message())});
      }
      report_.ExprErrors(path, element, diagnostics);
      return -1;
    }
    return *id;
  }

  int ActionIndex(absl::string_view id, const std::string& path,
                  const std::string& element) {
    auto it = action_index_.find(std::string(id));
    if (it != action_index_.end()) return it->second;
    report_.Error(path, element,
                  absl::StrCat("unknown action \"", id,
                               "\"; it is not in the action catalogue",
                               Suggest(id, plan_->actions)));
    return -1;
  }

  void CompileModifiers() {
    for (int i = 0; i < policy_.score_modifiers_size(); ++i) {
      const v1::ScoreModifier& m = policy_.score_modifiers(i);
      std::string path = absl::StrCat("score_modifiers[", i, "]");
      std::string element = absl::StrCat("score modifier \"", m.id(), "\"");
      ModifierPlan plan;
      plan.id = m.id();
      Condition(m.when(), path + ".when", element, &plan.when);
      if (m.factor().empty()) {
        report_.Error(path + ".factor", element,
                      "a score modifier needs a factor expression");
      } else {
        ValueType dbl = ValueType::kDouble;
        plan.factor = Expression(m.factor(), &dbl, path + ".factor", element);
      }
      for (int a = 0; a < static_cast<int>(plan_->actions.size()); ++a) {
        const std::vector<std::string>& tags = plan_->actions[a].tags;
        bool match = m.tags().empty();
        for (const std::string& tag : m.tags()) {
          match = match || std::binary_search(tags.begin(), tags.end(), tag);
        }
        if (match) plan.actions.push_back(a);
      }
      if (plan.actions.empty()) {
        report_.Warning(path + ".tags", element,
                        absl::StrCat("no action carries any of the tags ",
                                     absl::StrJoin(m.tags(), ", "),
                                     "; the modifier never applies"));
      }
      plan_->modifiers.push_back(std::move(plan));
    }
  }

  void CompileRules() {
    absl::flat_hash_set<std::string> ids;
    for (int i = 0; i < policy_.rules_size(); ++i) {
      const v1::Rule& r = policy_.rules(i);
      std::string path = absl::StrCat("rules[", i, "]");
      std::string element = absl::StrCat("rule \"", r.id(), "\"");
      if (!IsValidId(r.id())) {
        report_.Error(path + ".id", element,
                      "a rule id must be 1-128 characters of [a-z0-9_.-]");
      } else if (!ids.insert(r.id()).second) {
        report_.Error(path + ".id", element, "duplicate rule id");
      }
      RulePlan rule;
      rule.id = r.id();
      rule.index = i;
      rule.priority = r.priority();
      rule.final = r.final();
      if (!std::isfinite(r.weight()) || r.weight() < 0) {
        report_.Error(path + ".weight", element,
                      "weight must be a finite number >= 0");
      }
      rule.weight = r.weight() == 0 ? 1.0 : r.weight();
      Condition(r.when(), path + ".when", element, &rule.when);
      if (r.recommend().empty() && r.veto().empty()) {
        report_.Warning(path, element,
                        "the rule neither recommends nor vetoes any action");
      }
      for (int k = 0; k < r.recommend_size(); ++k) {
        rule.recommend.push_back(CompileRecommendation(
            r.recommend(k), absl::StrCat(path, ".recommend[", k, "]"), element));
      }
      for (int k = 0; k < r.veto_size(); ++k) {
        int a = ActionIndex(r.veto(k), absl::StrCat(path, ".veto[", k, "]"),
                            element);
        if (a >= 0) rule.veto.push_back(a);
      }
      absl::StatusOr<Template> reason = ParseTemplate(r.reason());
      if (!reason.ok()) {
        report_.Error(path + ".reason", element, reason.status().message());
      } else {
        rule.reason = *std::move(reason);
        CheckReasonParams(rule, path, element);
      }
      plan_->rules.push_back(std::move(rule));
    }
    std::stable_sort(plan_->rules.begin(), plan_->rules.end(),
                     [](const RulePlan& a, const RulePlan& b) {
                       return a.priority > b.priority;
                     });
  }

  RecommendationPlan CompileRecommendation(const v1::ActionRef& ref,
                                           const std::string& path,
                                           const std::string& element) {
    RecommendationPlan out;
    out.action = ActionIndex(ref.action(), path + ".action", element);
    // Map iteration order is unspecified: sort by name for determinism.
    std::vector<std::string> names;
    for (const auto& [name, expr] : ref.params()) names.push_back(name);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      ExprId id = Expression(ref.params().at(name), nullptr,
                             absl::StrCat(path, ".params[", name, "]"), element);
      out.params.push_back({name, id});
    }
    if (out.action < 0) return out;
    const ActionPlan& action = plan_->actions[out.action];
    for (const std::string& used : TemplateParams(action.text)) {
      if (!std::binary_search(names.begin(), names.end(), used)) {
        report_.Error(path + ".action", element,
                      absl::StrCat("action \"", action.id,
                                   "\" uses {", used,
                                   "} in its template but this rule gives no "
                                   "parameter \"", used, "\""));
      }
    }
    return out;
  }

  // A reason may only use parameters every recommended action provides.
  void CheckReasonParams(const RulePlan& rule, const std::string& path,
                         const std::string& element) {
    for (const std::string& used : TemplateParams(rule.reason)) {
      for (const RecommendationPlan& rec : rule.recommend) {
        bool found = std::any_of(rec.params.begin(), rec.params.end(),
                                 [&](const ParamPlan& p) { return p.name == used; });
        if (!found) {
          report_.Error(path + ".reason", element,
                        absl::StrCat("the reason uses {", used,
                                     "} but a recommended action has no "
                                     "parameter \"", used, "\""));
          break;
        }
      }
    }
  }

  const v1::Policy& policy_;
  const CompileOptions& options_;
  Reporter report_;
  ProgramBuilder program_;
  std::unique_ptr<PolicyPlan> plan_ = std::make_unique<PolicyPlan>();
  absl::flat_hash_map<std::string, int> action_index_;
};

}  // namespace

std::unique_ptr<const PolicyPlan> BuildPlan(const LoadedPolicy& loaded,
                                            const CompileOptions& options,
                                            std::vector<Diagnostic>* diagnostics) {
  return PlanBuilder(loaded, options, diagnostics).Build();
}

}  // namespace tact::internal
