// `tact decide --policy=P --context=C`: one decision, as text or JSON.
#ifndef TACT_SRC_CLI_DECIDE_COMMAND_H_
#define TACT_SRC_CLI_DECIDE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace tact::cli {

// The usage text of `tact decide`, ending in a newline.
extern const char kDecideUsage[];

// Loads the policy, reads the context, decides and prints the decision on
// `out`; problems go to `err`. Returns kExitOk on a decision, kExitFailure
// when the policy has errors or the context cannot be read or decided on,
// kExitUsage on a bad command line. Sets the decide flags; not reentrant.
int RunDecide(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_DECIDE_COMMAND_H_
