// `tact`: check policies, decide on cases, simulate many cases and run
// policy tests from the command line.
//
// Dispatches to one subcommand per file (check_command.cc,
// decide_command.cc, simulate_command.cc, test_command.cc); each parses its own
// flags and owns its usage text.

#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <ostream>
#include <string>
#include <vector>

#include "src/cli/check_command.h"
#include "src/cli/decide_command.h"
#include "src/cli/exit_codes.h"
#include "src/cli/replay_command.h"
#include "src/cli/simulate_command.h"
#include "src/cli/test_command.h"
#include "tact/version.h"

namespace tact::cli {
namespace {

constexpr char kUsage[] =
    R"usage(Usage: tact COMMAND [options]

tact decides what a customer-service team should do next on a case, from a
policy written by the support lead.

Commands:
  check POLICY...                       Load and type-check policies; report
                                        every problem as FILE:LINE:COL.
  decide --policy=P --context=C [...]   Decide on one case and print the
                                        ranked actions, the actions held back
                                        and why, as a table or as JSON.
  simulate --policy=P --cases=C [...]   Replay many cases (JSON Lines) and
                                        total what the policy would do and
                                        cost; compare with a baseline policy;
                                        write an HTML report.
  test PATH...                          Run policy tests (suites of cases a
                                        policy must decide as stated) and
                                        report each case's PASS or FAIL.
  replay LOG --policy=P [...]           Re-decide a decision log (decide
                                        --log) and report every record that
                                        differs, or what another policy would
                                        change.

Run 'tact COMMAND --help' for a command's options.

Exit status: 0 on success, 1 when the input has errors, 2 on a usage error,
3 when the output cannot be written, 4 when `simulate --fail-on` finds a
change.
)usage";

int Run(const std::vector<std::string>& args, std::ostream& out,
        std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return kExitUsage;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-help" || command == "-h" ||
      command == "help") {
    if (command == "help" && !rest.empty()) {
      return Run({rest[0], "--help"}, out, err);
    }
    out << kUsage;
    return kExitOk;
  }
  if (command == "--version" || command == "version") {
    out << "tact " << TACT_VERSION << "\n";
    return kExitOk;
  }
  if (command == "check") return RunCheck(rest, out, err);
  if (command == "decide") return RunDecide(rest, out, err);
  if (command == "simulate") return RunSimulate(rest, out, err);
  if (command == "test") return RunTest(rest, out, err);
  if (command == "replay") return RunReplay(rest, out, err);

  err << "tact: unknown command '" << command << "'\n"
      << "Run 'tact --help' for usage.\n";
  return kExitUsage;
}

}  // namespace
}  // namespace tact::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int exit_code = tact::cli::kExitFailure;
  try {
    exit_code = tact::cli::Run(args, std::cout, std::cerr);
  } catch (const std::bad_alloc&) {
    std::cerr << "tact: error: out of memory\n";
    exit_code = tact::cli::kExitFailure;
  } catch (const std::exception& e) {
    // std::length_error, std::system_error (a thread the system would not
    // give), anything else: an error, never an abort.
    std::cerr << "tact: error: " << e.what() << "\n";
    exit_code = tact::cli::kExitFailure;
  } catch (...) {
    std::cerr << "tact: error: unexpected failure\n";
    exit_code = tact::cli::kExitFailure;
  }
  // Output that cannot be written is an error, not a silent success.
  std::cout.flush();
  if (!std::cout || std::ferror(stdout) != 0 || std::fflush(stdout) != 0) {
    std::cerr << "tact: error: cannot write the output to standard output\n";
    return tact::cli::kExitOutputFailed;
  }
  return exit_code;
}
