// `tact replay LOG --policy=P`: re-decides every record of a decision log
// and reports those that do not replay as logged.
#ifndef TACT_SRC_CLI_REPLAY_COMMAND_H_
#define TACT_SRC_CLI_REPLAY_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace tact::cli {

// The usage text of `tact replay`, ending in a newline.
extern const char kReplayUsage[];

// Loads the policy, replays the log (tact::Replay) and prints the report on
// `out` as text or JSON; problems go to `err`. Returns kExitOk when every
// record replays identically (or, against another policy, with nothing a
// host acts on changed), kExitFailure when one differs, a line is
// malformed, the policy has errors or the log cannot be read, kExitUsage on
// a bad command line. Sets the replay flags; not reentrant.
int RunReplay(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_REPLAY_COMMAND_H_
