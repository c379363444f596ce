// `tact simulate --policy=P --cases=C.jsonl`: what a policy would have done
// and cost over many cases, optionally against a baseline policy.
#ifndef TACT_SRC_CLI_SIMULATE_COMMAND_H_
#define TACT_SRC_CLI_SIMULATE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace tact::cli {

// The usage text of `tact simulate`, ending in a newline.
extern const char kSimulateUsage[];

// Loads the policies, decides every case of the cases file and prints the
// totals on `out` (and writes --json / --report files); problems go to
// `err`, and a progress bar too when stderr is a terminal. Returns kExitOk
// when the simulation ran (even if some cases could not be decided: they are
// listed), kExitFailure when a policy has errors or a file cannot be read or
// written, kExitUsage on a bad command line. Sets the simulate flags; not
// reentrant.
int RunSimulate(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_SIMULATE_COMMAND_H_
