// Parsing one subcommand's arguments into Abseil flags.
//
// absl::ParseCommandLine is built for single-command programs: it accepts
// every flag linked into the binary, exits with status 1 on an unknown flag
// and answers --help with a dump of every flag. `tact` has subcommands with
// their own flags, its own usage texts and exit code 2 for usage errors, so
// each subcommand parses its arguments here: only the flags it names are
// accepted, and values are set through the public flag reflection API
// (absl::FindCommandLineFlag / CommandLineFlag::ParseFrom), so ABSL_FLAG
// definitions, types and absl::GetFlag work as usual.
#ifndef TACT_SRC_CLI_COMMAND_LINE_H_
#define TACT_SRC_CLI_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace tact::cli {

struct ParsedArgs {
  // Arguments that are not flags, in order. Everything after "--" is one.
  std::vector<std::string> positional;
  // True when --help or -h was given; the other arguments are then not
  // checked.
  bool help = false;
};

// Sets the Abseil flags named in `allowed` from `args` (the arguments after
// the subcommand). Accepts --name=value, --name value, -name, and for bool
// flags --name and --noname; a '-' in a name stands for '_' (--fail-on sets
// fail_on). Returns InvalidArgument naming the argument on
// an unknown or disallowed flag, a missing value or a value that does not
// parse; flags set before the error keep their new values.
// REQUIRES: every name in `allowed` is a flag defined with ABSL_FLAG.
absl::StatusOr<ParsedArgs> ParseArgs(
    const std::vector<std::string>& args,
    absl::Span<const absl::string_view> allowed);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_COMMAND_LINE_H_
