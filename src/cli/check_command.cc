#include "src/cli/check_command.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/cli/command_line.h"
#include "src/cli/exit_codes.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

namespace tact::cli {

const char kCheckUsage[] =
    R"usage(Usage: tact check POLICY...

Loads each policy (text format, JSON or binary, chosen by the file extension:
.textproto/.txtpb/.pbtxt, .json, .binpb/.pb), parses and type-checks every
expression against the context schema, and reports every problem it finds.

Problems go to stderr, one per line, as
  FILE:LINE:COL: error: ELEMENT: MESSAGE
with a suggestion where the fix is obvious ("did you mean customer.tier?").
Each policy without errors prints "POLICY: ok (N rules, M actions)".

Exit status: 0 when every policy loads, 1 when any has an error, 2 on a
usage error.

Example:
  tact check examples/policies/support.textproto
)usage";

int RunCheck(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, /*allowed=*/{});
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
