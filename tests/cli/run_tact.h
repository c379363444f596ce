// Runs the built `tact` binary for the CLI tests.
#ifndef TACT_TESTS_CLI_RUN_TACT_H_
#define TACT_TESTS_CLI_RUN_TACT_H_

#include <string>

namespace tact::cli::testing {

struct TactRun {
  // The process's exit status; -1 when it did not exit normally.
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `tact ARGS` through the shell, from the current directory (the source
// root under ctest), and captures its exit status, stdout and stderr.
// `args` is shell syntax: quote paths with spaces.
TactRun RunTact(const std::string& args);

}  // namespace tact::cli::testing

#endif  // TACT_TESTS_CLI_RUN_TACT_H_
