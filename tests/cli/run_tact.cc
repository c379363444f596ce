#include "tests/cli/run_tact.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

#ifndef TACT_CLI_PATH
#error "TACT_CLI_PATH must name the built tact binary"
#endif

namespace tact::cli::testing {

TactRun RunTact(const std::string& args) {
  TactRun run;
  std::string err_path = ::testing::TempDir() + "tact_stderr_XXXXXX";
  int fd = mkstemp(err_path.data());
  if (fd < 0) {
    ADD_FAILURE() << "mkstemp failed for " << err_path;
    return run;
  }
  close(fd);

  const std::string command =
      std::string("'") + TACT_CLI_PATH + "' " + args + " 2>'" + err_path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed: " << command;
    std::remove(err_path.c_str());
    return run;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    run.out.append(buffer, n);
  }
  int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);

  std::ifstream err_file(err_path, std::ios::binary);
  std::ostringstream err;
  err << err_file.rdbuf();
  run.err = err.str();
  std::remove(err_path.c_str());
  return run;
}

}  // namespace tact::cli::testing
