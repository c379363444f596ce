// Data-driven decision scenarios: every tests/scenarios/*.test.textproto is
// a policy test suite (proto/tact/v1/policy_test.proto, `exact: true`) run
// by the library's runner (tact/policy_test.h), as `tact test` runs it; each
// case is its own test case, printed with what differed and its last
// decision on failure.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tact/policy_test.h"

namespace tact {
namespace {

namespace fs = std::filesystem;

constexpr char kDefaultPolicy[] =
    "examples/policies/service_playbook.textproto";

// The source root: the working directory when it holds the scenarios (ctest
// runs tests there), else the configured source directory.
fs::path SourceRoot() {
  if (fs::exists("tests/scenarios/policies/case_life.textproto")) {
    return fs::current_path();
  }
#ifdef TACT_SOURCE_DIR
  return fs::path(TACT_SOURCE_DIR);
#else
  return fs::current_path();
#endif
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Sanitize(const std::string& text) {
  std::string out;
  for (char c : text) {
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return out.empty() ? std::string("unnamed") : out;
}

// Every suite, run once (relative to the source root).
const std::vector<PolicyTestSuiteResult>& AllSuites() {
  static const std::vector<PolicyTestSuiteResult>* const kSuites = [] {
    auto* suites = new std::vector<PolicyTestSuiteResult>();
    const fs::path root = SourceRoot();
    absl::StatusOr<std::vector<std::string>> files =
        FindPolicyTestFiles((root / "tests" / "scenarios").string());
    if (!files.ok()) {
      PolicyTestSuiteResult missing;
      missing.file = "tests/scenarios";
      missing.status = files.status();
      suites->push_back(std::move(missing));
      return suites;
    }
    for (const std::string& file : *files) {
      suites->push_back(RunPolicyTestFile(file));
      suites->back().file = fs::relative(file, root).string();
    }
    return suites;
  }();
  return *kSuites;
}

struct Case {
  size_t suite = 0;
  // -1: the suite did not load (its status says why).
  int index = -1;
};

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  const std::vector<PolicyTestSuiteResult>& suites = AllSuites();
  for (size_t s = 0; s < suites.size(); ++s) {
    if (!suites[s].status.ok()) cases.push_back({s, -1});
    for (size_t i = 0; i < suites[s].cases.size(); ++i) {
      cases.push_back({s, static_cast<int>(i)});
    }
  }
  return cases;
}

void PrintTo(const Case& c, std::ostream* os) {
  const PolicyTestSuiteResult& suite = AllSuites()[c.suite];
  *os << suite.file << ":"
      << (c.index < 0 ? std::string("(load)") : suite.cases[c.index].name);
}

class ScenarioTest : public ::testing::TestWithParam<Case> {};

TEST_P(ScenarioTest, Decides) {
  const PolicyTestSuiteResult& suite = AllSuites()[GetParam().suite];
  ASSERT_TRUE(suite.status.ok()) << suite.file << ": " << suite.status;
  const PolicyTestCaseResult& c = suite.cases[GetParam().index];
  SCOPED_TRACE(
      absl::StrCat(suite.file, ": case ", c.name, ": ", c.description));
  EXPECT_TRUE(c.passed) << absl::StrJoin(c.failures, "\n") << "\n"
                        << (c.decisions.empty()
                                ? std::string("(no decision)")
                                : absl::StrCat(
                                      "last decision:\n",
                                      DecisionToJson(c.decisions.back())));
  // What every decision keeps, whatever a case expects: each action
  // waiting for approval names who may approve it, and each recommended
  // action carries a reason a person can read.
  for (const v1::Decision& d : c.decisions) {
    for (const auto& a : d.needs_approval()) {
      EXPECT_FALSE(a.required_authority().empty()) << a.action();
    }
    for (const auto& a : d.actions()) {
      ASSERT_GT(a.reasons_size(), 0) << a.action();
      for (const auto& r : a.reasons()) {
        EXPECT_FALSE(r.text().empty()) << a.action();
      }
    }
  }
}

std::string ScenarioName(const ::testing::TestParamInfo<Case>& info) {
  const PolicyTestSuiteResult& suite = AllSuites()[info.param.suite];
  std::string stem = fs::path(suite.file).filename().string();
  stem = stem.substr(0, stem.find('.'));
  return Sanitize(absl::StrCat(stem, "_",
                               info.param.index < 0
                                   ? std::string("load")
                                   : suite.cases[info.param.index].name));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest,
                         ::testing::ValuesIn(AllCases()), ScenarioName);

// The scenario files themselves: every suite loads, exact, with at least
// the agreed coverage. (The runner rejects duplicate names in a suite.)
TEST(ScenarioFilesTest, SuitesLoadAreExactAndThereAreEnough) {
  size_t cases = 0;
  for (const PolicyTestSuiteResult& suite : AllSuites()) {
    EXPECT_TRUE(suite.status.ok()) << suite.file << ": " << suite.status;
    EXPECT_TRUE(suite.suite.exact()) << suite.file;
    cases += suite.cases.size();
  }
  EXPECT_GE(cases, 30u);
}

// One engine per policy path, compiled once.
const Engine* EngineFor(const std::string& policy, std::string* error) {
  static auto* engines =
      new std::map<std::string,
                   absl::StatusOr<std::unique_ptr<const Engine>>>();
  auto it = engines->find(policy);
  if (it == engines->end()) {
    it = engines
             ->emplace(policy,
                       Engine::FromFile((SourceRoot() / policy).string()))
             .first;
  }
  if (!it->second.ok()) {
    *error = std::string(it->second.status().ToString());
    return nullptr;
  }
  return it->second->get();
}

// The service playbook compiles without a single warning.
TEST(ExampleContextsTest, PlaybookPolicyIsClean) {
  CompileResult result =
      Engine::Compile((SourceRoot() / kDefaultPolicy).string());
  ASSERT_NE(result.engine, nullptr);
  for (const Diagnostic& d : result.diagnostics) {
    ADD_FAILURE() << d.line << ":" << d.column << ": " << d.message;
  }
}

// The example contexts for the service playbook (one per piece of advice)
// load and decide; a service failure starts with the apology.
TEST(ExampleContextsTest, PlaybookContextsDecide) {
  std::string error;
  const Engine* engine = EngineFor(kDefaultPolicy, &error);
  ASSERT_NE(engine, nullptr) << error;
  int count = 0;
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(SourceRoot() / "examples" / "contexts")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("playbook_", 0) == 0 &&
        entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.string());
    absl::StatusOr<v1::Context> context = ContextFromJson(ReadFile(path));
    ASSERT_TRUE(context.ok()) << context.status();
    absl::StatusOr<v1::Decision> d = engine->Decide(*context);
    ASSERT_TRUE(d.ok()) << d.status();
    ASSERT_GT(d->actions_size(), 0);
    if (context->case_().our_fault()) {
      EXPECT_EQ(d->actions(0).action(), "apologize");
    }
    ++count;
  }
  EXPECT_GE(count, 10);
}

}  // namespace
}  // namespace tact
