#include "src/cli/check_command.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/cli/command_line.h"
#include "src/cli/exit_codes.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

ABSL_FLAG(bool, strict, false,
          "tact check: lint warnings count as errors (exit status 1).");

namespace tact::cli {

const char kCheckUsage[] =
    R"usage(Usage: tact check [--strict] POLICY...

Loads each policy (text format, JSON or binary, chosen by the file extension:
.textproto/.txtpb/.pbtxt, .json, .binpb/.pb), parses and type-checks every
expression against the context schema, and reports every problem it finds.

Problems go to stderr, one per line, as
  FILE:LINE:COL: error: ELEMENT: MESSAGE
with a suggestion where the fix is obvious ("did you mean customer.tier?").
Each policy without errors prints "POLICY: ok (N rules, M actions)".

Lint warnings (docs/policy-language.md#lint) say what a policy that loads
cannot do as written -- a rule that can never fire or is always shadowed by
a final rule, a duplicate rule, an action nothing recommends, a ladder rung
no path reaches, a negative amount or cap, money granted at once beside the
ladder that rations it, an unused definition or attribute -- as
  FILE:LINE:COL: warning: ELEMENT: MESSAGE [CHECK]
An element silences a check for itself with `lint_ignore: "CHECK"`.

Flags:
  --strict   Warnings count as errors: a policy with any warning fails
             (exit status 1) and prints "POLICY: failed (--strict, N
             warnings)". Default: off.

Exit status: 0 when every policy loads (and, with --strict, has no
warning), 1 when any has an error (or, with --strict, a warning), 2 on a
usage error.

Example:
  tact check examples/policies/support.textproto
  tact check --strict examples/policies/*.textproto
)usage";

namespace {
constexpr absl::string_view kFlags[] = {"strict"};
}  // namespace

int RunCheck(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) {
    err << "tact check: " << parsed.status().message() << "\n"
        << "Run 'tact check --help' for usage.\n";
    return kExitUsage;
  }
  if (parsed->help) {
    out << kCheckUsage;
    return kExitOk;
  }
  if (parsed->positional.empty()) {
    err << "tact check: no policy given\n"
        << "Run 'tact check --help' for usage.\n";
    return kExitUsage;
  }

  const bool strict = absl::GetFlag(FLAGS_strict);
  int exit_code = kExitOk;
  for (const std::string& path : parsed->positional) {
    CompileResult result = Engine::Compile(path);
    int warnings = 0;
    for (const Diagnostic& diagnostic : result.diagnostics) {
      err << diagnostic.ToString() << "\n";
      if (diagnostic.severity == Diagnostic::Severity::kWarning) ++warnings;
    }
    if (HasErrors(result.diagnostics) || result.engine == nullptr) {
      if (!HasErrors(result.diagnostics)) {
        err << path << ": error: the policy did not compile\n";
      }
      exit_code = kExitFailure;
      continue;
    }
    if (strict && warnings > 0) {
      out << path << ": failed (--strict, " << warnings
          << (warnings == 1 ? " warning" : " warnings") << ")\n";
      exit_code = kExitFailure;
      continue;
    }
    const v1::Policy& policy = result.engine->policy();
    out << path << ": ok (" << policy.rules_size() << " rules, "
        << policy.actions_size() << " actions";
    if (warnings > 0) {
      out << ", " << warnings << (warnings == 1 ? " warning" : " warnings");
    }
    out << ")\n";
  }
  return exit_code;
}

}  // namespace tact::cli
