// The simulation test data in tests/data/simulate/: a policy, the baseline
// policy it is compared with, and 13 cases (one Context JSON per line, some
// of them deliberately undecidable). Tests run from the repository root.
#ifndef TACT_TESTS_TESTING_SIMULATE_DATA_H_
#define TACT_TESTS_TESTING_SIMULATE_DATA_H_

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tact/engine.h"

namespace tact::testing {

// The lines of the file at `path`, without their newlines.
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The engine of the policy at `path`, or nullptr after a test failure.
inline std::unique_ptr<const Engine> LoadPolicy(const std::string& path) {
  auto engine = Engine::FromFile(path);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? std::move(*engine) : nullptr;
}

// A fixture holding the loaded policy, baseline and case lines.
class SimulateDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    policy_ = LoadPolicy("tests/data/simulate/policy.textproto");
    baseline_ = LoadPolicy("tests/data/simulate/baseline.textproto");
    lines_ = ReadLines("tests/data/simulate/cases.jsonl");
    ASSERT_NE(policy_, nullptr);
    ASSERT_NE(baseline_, nullptr);
    ASSERT_EQ(lines_.size(), 13u);
  }

  std::unique_ptr<const Engine> policy_;
  std::unique_ptr<const Engine> baseline_;
  std::vector<std::string> lines_;
};

}  // namespace tact::testing

#endif  // TACT_TESTS_TESTING_SIMULATE_DATA_H_
