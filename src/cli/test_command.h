// `tact test PATH...`: run policy test suites (tact/policy_test.h).
#ifndef TACT_SRC_CLI_TEST_COMMAND_H_
#define TACT_SRC_CLI_TEST_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace tact::cli {

// The usage text of `tact test`, ending in a newline.
extern const char kTestUsage[];

// Runs every suite named in `args` (the arguments after "test": suite files
// or directories searched for *.test.textproto). Writes one line per case
// to `out`, "PASS FILE:CASE" or "FAIL FILE:CASE" followed by its failure
// lines indented, then "N passed, M failed". A suite that does not load is
// one failure, "FAIL FILE (the suite did not load)" with its errors.
// Returns kExitOk when every case passed, kExitFailure when any failed or a
// suite did not load, kExitUsage on a bad command line, kExitOutputFailed
// when the --junit file cannot be written.
int RunTest(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_TEST_COMMAND_H_
