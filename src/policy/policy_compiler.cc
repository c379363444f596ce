#include "src/policy/policy_compiler.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/common/edit_distance.h"
#include "src/expr/checker.h"

namespace tact::internal {
namespace {

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
  return best == nullptr ? ""
                         : absl::StrCat("; did you mean \"", best->id, "\"?");
}

}  // namespace

PolicyCompiler::PolicyCompiler(const LoadedPolicy& loaded,
                               const CompileOptions& options,
                               std::vector<Diagnostic>* diagnostics)
    : loaded_(loaded),
      diagnostics_(diagnostics),
      program_(ProgramLimits{
          static_cast<size_t>(std::max(0, options.max_expression_bytes)),
          options.max_nesting_depth, options.max_regex_memory,
          options.max_evaluation_depth}),
      plan_(std::make_unique<PolicyPlan>()) {
  program_.SetCalendars(&calendars_);
}

const BusinessCalendar* PolicyCompiler::Calendars::FindCalendar(
    absl::string_view name) const {
  const std::vector<BusinessCalendar>& all = c_->plan_->calendars;
  if (name.empty()) return all.empty() ? nullptr : &all.front();
  auto it = c_->calendar_index_.find(std::string(name));
  return it == c_->calendar_index_.end() ? nullptr : &all[it->second];
}

std::vector<std::string> PolicyCompiler::Calendars::CalendarNames() const {
  std::vector<std::string> names;
  for (const BusinessCalendar& c : c_->plan_->calendars)
    names.push_back(c.id());
  return names;
}

void PolicyCompiler::Add(Diagnostic::Severity severity, FileLocation at,
                         absl::string_view element, absl::string_view message) {
  Diagnostic d;
  d.severity = severity;
  d.file = loaded_.file;
  d.line = at.line;
  d.column = at.column;
  d.element = std::string(element);
  d.message = std::string(message);
  if (severity == Diagnostic::Severity::kError) failed_ = true;
  diagnostics_->push_back(std::move(d));
}

void PolicyCompiler::Error(absl::string_view path, absl::string_view element,
                           absl::string_view message) {
  Add(Diagnostic::Severity::kError, loaded_.source_map.Field(path), element,
      message);
}

void PolicyCompiler::Warning(absl::string_view path, absl::string_view element,
                             absl::string_view message) {
  Add(Diagnostic::Severity::kWarning, loaded_.source_map.Field(path), element,
      message);
}

void PolicyCompiler::ExprErrors(absl::string_view path,
                                absl::string_view element,
                                const std::vector<ExprDiagnostic>& diagnostics,
                                int prefix_columns) {
  for (const ExprDiagnostic& d : diagnostics) {
    int line = d.location.line;
    int column = d.location.column;
    if (line == 1) column = std::max(1, column - prefix_columns);
    FileLocation at = loaded_.source_map.InString(path, line, column);
    std::string message = d.message;
    if (at.line == 0) {
      // No file position (JSON, binary): say where inside the expression.
      message = absl::StrCat(path, ":", line, ":", column, ": ", d.message);
    }
    Add(Diagnostic::Severity::kError, at, element, message);
  }
}

bool PolicyCompiler::Condition(absl::string_view source, absl::string_view path,
                               absl::string_view element,
                               std::vector<Conjunct>* out) {
  std::vector<ExprDiagnostic> diagnostics;
  absl::StatusOr<std::vector<Conjunct>> conjuncts =
      program_.AddCondition(source, &diagnostics);
  if (!conjuncts.ok()) {
    if (diagnostics.empty()) {
      diagnostics.push_back(
          {{1, 1}, std::string(conjuncts.status().message())});
    }
    ExprErrors(path, element, diagnostics, 0);
    return false;
  }
  *out = *std::move(conjuncts);
  return true;
}

ExprId PolicyCompiler::Expression(absl::string_view source,
                                  const ValueType* expected,
                                  absl::string_view path,
                                  absl::string_view element,
                                  int prefix_columns) {
  std::vector<ExprDiagnostic> diagnostics;
  absl::StatusOr<ExprId> id =
      program_.AddExpression(source, expected, &diagnostics);
  if (!id.ok()) {
    if (diagnostics.empty()) {
      diagnostics.push_back({{1, 1}, std::string(id.status().message())});
    }
    ExprErrors(path, element, diagnostics, prefix_columns);
    return -1;
  }
  return *id;
}

int PolicyCompiler::ActionIndex(absl::string_view id, absl::string_view path,
                                absl::string_view element) {
  auto it = action_index_.find(std::string(id));
  if (it != action_index_.end()) return it->second;
  Error(path, element,
        absl::StrCat("unknown action \"", id,
                     "\"; it is not in the action catalogue",
                     Suggest(id, plan_->actions)));
  return -1;
}

RecommendationPlan PolicyCompiler::Recommendation(const v1::ActionRef& ref,
                                                  absl::string_view path,
                                                  absl::string_view element) {
  RecommendationPlan out;
  out.action =
      ActionIndex(ref.action(), absl::StrCat(path, ".action"), element);
  // Map iteration order is unspecified: sort by name for determinism.
  std::vector<std::string> names;
  for (const auto& [name, expr] : ref.params()) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    ExprId id = Expression(ref.params().at(name), nullptr,
                           absl::StrCat(path, ".params[", name, "]"), element);
    out.params.push_back({name, id, ref.params().at(name)});
  }
  if (!ref.when().empty()) {
    Condition(ref.when(), absl::StrCat(path, ".when"), element, &out.when);
  }
  if (out.action < 0) return out;
  const ActionPlan& action = plan_->actions[out.action];
  std::vector<std::string> needed = TemplateParams(action.text);
  if (action.monetary()) needed.push_back(action.amount_param);
  for (const std::string& used : needed) {
    if (!std::binary_search(names.begin(), names.end(), used)) {
      Error(absl::StrCat(path, ".action"), element,
            absl::StrCat("action \"", action.id, "\" needs parameter \"", used,
                         "\" but this reference gives none"));
    }
  }
  // Money is a number of minor units; a string or bool amount would decide
  // as 0 and block the action at every decision instead of failing here.
  for (const ParamPlan& p : out.params) {
    if (!action.monetary() || p.name != action.amount_param || p.expr < 0)
      continue;
    ValueType t = program_.TypeOf(p.expr);
    if (t != ValueType::kInt && t != ValueType::kDouble &&
        t != ValueType::kError) {
      Error(absl::StrCat(path, ".params[", p.name, "]"), element,
            absl::StrCat("the amount of action \"", action.id,
                         "\" must be a number of minor units, got ",
                         TypeName(t)));
    }
  }
  return out;
}

Template PolicyCompiler::Reason(
    absl::string_view text, absl::string_view path, absl::string_view element,
    const std::vector<RecommendationPlan>& recommendations) {
  absl::StatusOr<Template> reason = ParseTemplate(text);
  if (!reason.ok()) {
    Error(path, element, reason.status().message());
    return {};
  }
  for (const std::string& used : TemplateParams(*reason)) {
    for (const RecommendationPlan& rec : recommendations) {
      bool found =
          std::any_of(rec.params.begin(), rec.params.end(),
                      [&](const ParamPlan& p) { return p.name == used; });
      if (!found) {
        Error(path, element,
              absl::StrCat("the reason uses {", used,
                           "} but a recommended action has no parameter \"",
                           used, "\""));
        break;
      }
    }
  }
  return *std::move(reason);
}

Span PolicyCompiler::Duration(absl::string_view text, absl::string_view path,
                              absl::string_view element) {
  absl::StatusOr<Span> span = ParseSpan(text);
  if (!span.ok()) {
    Error(path, element, span.status().message());
    return Span{};
  }
  return *span;
}

int PolicyCompiler::Calendar(absl::string_view id, absl::string_view path,
                             absl::string_view element) {
  if (id.empty()) return plan_->calendars.empty() ? -1 : 0;
  auto it = calendar_index_.find(std::string(id));
  if (it != calendar_index_.end()) return it->second;
  std::string best = ClosestMatch(id, calendars_.CalendarNames());
  Error(
      path, element,
      absl::StrCat(
          "unknown calendar \"", id, "\"",
          best.empty() ? "" : absl::StrCat("; did you mean \"", best, "\"?")));
  return -1;
}

void PolicyCompiler::NeedWorkingHours(const Span& span,
                                      absl::string_view calendar_id,
                                      int calendar, absl::string_view path,
                                      absl::string_view element) {
  if (!span.business) return;
  if (calendar < 0) {
    // An unknown calendar id is already reported.
    if (calendar_id.empty()) {
      Error(path, element,
            absl::StrCat(span.ToString(),
                         " counts working hours, but the policy defines no "
                         "calendar; add one under `calendars` with its hours"));
    }
    return;
  }
  const BusinessCalendar& c = plan_->calendars[calendar];
  if (!c.has_hours()) {
    Error(
        path, element,
        absl::StrCat(span.ToString(), " counts working hours, but calendar \"",
                     c.id(), "\" has none (only a time zone); give it hours"));
  }
}

}  // namespace tact::internal
