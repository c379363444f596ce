// Exit codes of the `tact` command-line tool.
#ifndef TACT_SRC_CLI_EXIT_CODES_H_
#define TACT_SRC_CLI_EXIT_CODES_H_

namespace tact::cli {

// The command did what was asked: the policy is valid, a decision printed.
inline constexpr int kExitOk = 0;
// The input was bad: a policy with errors, an unreadable or malformed
// context. The reasons are on stderr.
inline constexpr int kExitFailure = 1;
// The command line was bad: unknown subcommand or flag, missing argument.
inline constexpr int kExitUsage = 2;
// The output could not be written (standard output on a full disk, a closed
// pipe, `> /dev/full`), or the report `tact test --junit=FILE` was asked
// to write: what was asked may have been done, but its result was lost.
// Checked after the last write and a flush; stderr says so.
inline constexpr int kExitOutputFailed = 3;
// `tact simulate --baseline --fail-on=...`: the simulation ran and its diff
// has a change of the kind the gate fails on (any, money, actions). The
// output is complete; it lists the changes.
inline constexpr int kExitDiffGate = 4;

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_EXIT_CODES_H_
