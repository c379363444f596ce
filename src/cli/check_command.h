// `tact check POLICY...`: load and type-check policies.
#ifndef TACT_SRC_CLI_CHECK_COMMAND_H_
#define TACT_SRC_CLI_CHECK_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace tact::cli {

// The usage text of `tact check`, ending in a newline.
extern const char kCheckUsage[];

// Compiles each policy named in `args` (the arguments after "check").
// Every diagnostic goes to `err` as "file:line:col: error: ..."; each policy
// without errors gets "POLICY: ok (N rules, M actions)" on `out`. Returns
// kExitOk when no policy has errors, kExitFailure when one has, kExitUsage
// on a bad command line.
int RunCheck(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_CHECK_COMMAND_H_
