// What every part of a policy compiles through: expressions into the shared
// Program, action ids into catalogue indices, durations, and diagnostics at
// their place in the file. Rules and each construct use one PolicyCompiler.
#ifndef TACT_SRC_POLICY_POLICY_COMPILER_H_
#define TACT_SRC_POLICY_POLICY_COMPILER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "src/common/source_map.h"
#include "src/expr/program.h"
#include "src/policy/calendar.h"
#include "src/policy/plan.h"
#include "tact/diagnostic.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

// Thread-compatible; lives for one compilation.
class PolicyCompiler {
 public:
  PolicyCompiler(const LoadedPolicy& loaded, const CompileOptions& options,
                 std::vector<Diagnostic>* diagnostics);

  // `path` names a field as SourceMap does ("ladders[0].rungs[1].entry");
  // `element` names the policy element (`ladder "unhappy"`).
  void Error(absl::string_view path, absl::string_view element,
             absl::string_view message);
  void Warning(absl::string_view path, absl::string_view element,
               absl::string_view message);
  bool failed() const { return failed_; }

  // Compiles a condition held by the field at `path`. Returns false after
  // reporting every problem.
  bool Condition(absl::string_view source, absl::string_view path,
                 absl::string_view element, std::vector<Conjunct>* out);

  // Compiles a value expression (of type `expected` when not null; int is
  // accepted for double). `prefix_columns` > 0 says the source was wrapped:
  // its first `prefix_columns` bytes on line 1 are not in the file. Returns
  // -1 after reporting.
  ExprId Expression(absl::string_view source, const ValueType* expected,
                    absl::string_view path, absl::string_view element,
                    int prefix_columns = 0);

  // The catalogue index of `id`, or -1 after reporting an unknown action
  // (with a suggestion).
  int ActionIndex(absl::string_view id, absl::string_view path,
                  absl::string_view element);

  // An action reference with its parameters; reports unknown actions and
  // template parameters it does not give.
  RecommendationPlan Recommendation(const v1::ActionRef& ref,
                                    absl::string_view path,
                                    absl::string_view element);

  // Parses a reason template; every parameter it uses must be given by each
  // of `recommendations`. Reports and returns an empty template on errors.
  Template Reason(absl::string_view text, absl::string_view path,
                  absl::string_view element,
                  const std::vector<RecommendationPlan>& recommendations);

  // Parses a duration field; reports and returns a zero span on errors.
  Span Duration(absl::string_view text, absl::string_view path,
                absl::string_view element);

  // The index of the calendar named `id` (empty: the first one, or the
  // always-open calendar when the policy has none), or -1 after reporting.
  int Calendar(absl::string_view id, absl::string_view path,
               absl::string_view element);

  // Reports a business-time `span` (the field at `path`) that has no
  // calendar with working hours to count in. `calendar` is what Calendar()
  // returned for the element's calendar field, which reads `calendar_id`.
  void NeedWorkingHours(const Span& span, absl::string_view calendar_id,
                        int calendar, absl::string_view path,
                        absl::string_view element);

  ProgramBuilder& program() { return program_; }
  PolicyPlan& plan() { return *plan_; }
  std::unique_ptr<PolicyPlan> TakePlan() { return std::move(plan_); }
  const v1::Policy& policy() const { return loaded_.policy; }

 private:
  void Add(Diagnostic::Severity severity, FileLocation at,
           absl::string_view element, absl::string_view message);
  void ExprErrors(absl::string_view path, absl::string_view element,
                  const std::vector<ExprDiagnostic>& diagnostics,
                  int prefix_columns);

  // The policy's calendars as expressions name them.
  class Calendars : public CalendarCatalog {
   public:
    explicit Calendars(const PolicyCompiler* c) : c_(c) {}
    const BusinessCalendar* FindCalendar(absl::string_view name) const override;
    std::vector<std::string> CalendarNames() const override;

   private:
    const PolicyCompiler* c_;
  };

  const LoadedPolicy& loaded_;
  std::vector<Diagnostic>* diagnostics_;
  bool failed_ = false;
  ProgramBuilder program_;
  std::unique_ptr<PolicyPlan> plan_;
  absl::flat_hash_map<std::string, int> action_index_;
  absl::flat_hash_map<std::string, int> calendar_index_;
  Calendars calendars_{this};

  friend class PlanBuilder;
};

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_POLICY_COMPILER_H_
