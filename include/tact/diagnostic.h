// Problems found while loading or compiling a policy.
//
// Policy problems are data: compiling returns every Diagnostic it found,
// each with the file, the 1-based line and column, and the rule (or other
// policy element) it belongs to. Render them with Diagnostic::ToString().
//
// Thread-compatible value types.
#ifndef TACT_DIAGNOSTIC_H_
#define TACT_DIAGNOSTIC_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tact/export.h"

namespace tact {

struct TACT_EXPORT Diagnostic {
  enum class Severity { kError, kWarning };

  Severity severity = Severity::kError;
  // The policy file, or "<policy>" when the policy did not come from a file.
  std::string file;
  // 1-based; 0 when the position is unknown (e.g. binary policies).
  int line = 0;
  int column = 0;
  // Where in the policy: `rule "late-delivery"`, `definition "vip"`,
  // `action "refund"`; empty for file-level problems.
  std::string element;
  // The problem and, where one is obvious, the fix.
  std::string message;
  // For lint warnings (docs/policy-language.md#lint): the stable name of the
  // check that found the problem, e.g. "unreachable-rule", which a policy
  // element's `lint_ignore` silences; empty for every other diagnostic.
  std::string check;

  // "file:line:col: error: element: message" (position parts omitted when
  // unknown), then " [check]" for a lint warning. The format is for people
  // and may change; programs should read the fields.
  std::string ToString() const;
};

// True when any diagnostic is an error (warnings never fail a load).
TACT_EXPORT bool HasErrors(const std::vector<Diagnostic>& diagnostics);

// InvalidArgument joining every error's ToString() with newlines, or OK
// when there are no errors.
TACT_EXPORT absl::Status DiagnosticsToStatus(
    const std::vector<Diagnostic>& diagnostics);

}  // namespace tact

#endif  // TACT_DIAGNOSTIC_H_
