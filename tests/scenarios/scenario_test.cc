// Data-driven decision scenarios: every tests/scenarios/*.textproto file is a
// tact.testing.ScenarioSet; each scenario runs as its own test case and is
// compared exactly against the decision (which is printed on failure).
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

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/scenarios/scenario.pb.h"

namespace tact {
namespace {

namespace fs = std::filesystem;

constexpr char kDefaultPolicy[] =
    "examples/policies/service_playbook.textproto";

// The source root: the working directory when it holds the scenarios (ctest
// runs tests there), else the configured source directory.
fs::path SourceRoot() {
  if (fs::exists("tests/scenarios/scenario.proto")) return fs::current_path();
#ifdef TACT_SOURCE_DIR
  return fs::path(TACT_SOURCE_DIR);
#else
  return fs::current_path();
#endif
}

struct Case {
  std::string file;  // relative to the source root
  testing::Scenario scenario;
  std::string load_error;  // set when the file did not parse
};

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

std::vector<Case> LoadScenarios() {
  std::vector<Case> cases;
  fs::path dir = SourceRoot() / "tests" / "scenarios";
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".textproto") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    std::string relative =
        absl::StrCat("tests/scenarios/", path.filename().string());
    testing::ScenarioSet set;
    if (!google::protobuf::TextFormat::ParseFromString(ReadFile(path), &set)) {
      Case broken;
      broken.file = relative;
      broken.scenario.set_name("parse_error");
      broken.load_error = absl::StrCat(relative, " is not a valid ScenarioSet");
      cases.push_back(std::move(broken));
      continue;
    }
    for (const testing::Scenario& s : set.scenarios()) {
      Case c;
      c.file = relative;
      c.scenario = s;
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

const std::vector<Case>& AllScenarios() {
  static const std::vector<Case>* const kCases =
      new std::vector<Case>(LoadScenarios());
  return *kCases;
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

std::string Join(const std::vector<std::string>& items) {
  return absl::StrCat("[", absl::StrJoin(items, ", "), "]");
}

template <typename Container>
std::vector<std::string> Strings(const Container& c) {
  return std::vector<std::string>(c.begin(), c.end());
}

std::string ValueString(const v1::Value& v) {
  switch (v.kind_case()) {
    case v1::Value::kIntValue:
      return absl::StrCat(v.int_value());
    case v1::Value::kStringValue:
      return absl::StrCat("\"", v.string_value(), "\"");
    case v1::Value::kDoubleValue:
      return absl::StrCat(v.double_value());
    case v1::Value::kBoolValue:
      return v.bool_value() ? "true" : "false";
    default:
      return v.ShortDebugString();
  }
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.file << ":" << c.scenario.name();
}

// Whether `s` (a Scenario or a Step) states any expectation.
template <typename Expect>
bool HasExpectations(const Expect& s) {
  return s.actions_size() + s.blocked_size() + s.effects_size() +
             s.flags_size() + s.needs_approval_size() + s.params_size() +
             s.beyond_contract_size() + s.approvals_size() + s.reasons_size() >
         0;
}

// Compares `d` with the expectations of `s`, a Scenario or a Step (which
// name them alike).
template <typename Expect>
void CheckDecision(const Expect& s, const v1::Decision& d) {
  const std::string printed = DecisionToJson(d, /*pretty=*/true);
  SCOPED_TRACE(absl::StrCat("decision:\n", printed));

  // Actions, exactly and in order.
  std::vector<std::string> actions;
  for (const auto& a : d.actions()) actions.push_back(a.action());
  EXPECT_EQ(Join(actions), Join(Strings(s.actions()))) << "actions";

  // needs_approval, exactly and in order.
  std::vector<std::string> pending;
  for (const auto& a : d.needs_approval()) pending.push_back(a.action());
  EXPECT_EQ(Join(pending), Join(Strings(s.needs_approval())))
      << "needs_approval";

  // Blocked, exactly.
  std::vector<std::string> blocked, want_blocked;
  for (const auto& b : d.blocked())
    blocked.push_back(absl::StrCat(b.action(), ":", b.code()));
  for (const auto& b : s.blocked())
    want_blocked.push_back(absl::StrCat(b.action(), ":", b.code()));
  EXPECT_EQ(Join(blocked), Join(want_blocked)) << "blocked";

  // Effects, exactly and in order.
  auto effect_string = [](absl::string_view kind, absl::string_view ref,
                          int64_t amount, int64_t step) {
    return absl::StrCat(kind, "(", ref, ", amount=", amount, ", step=", step,
                        ")");
  };
  std::vector<std::string> effects, want_effects;
  for (const auto& e : d.effects()) {
    effects.push_back(effect_string(e.kind(), e.ref(), e.amount(), e.step()));
  }
  for (const auto& e : s.effects()) {
    want_effects.push_back(
        effect_string(e.kind(), e.ref(), e.amount(), e.step()));
  }
  EXPECT_EQ(Join(effects), Join(want_effects)) << "effects";

  // Flags, exactly.
  std::vector<std::string> flags;
  for (const auto& f : d.flags()) flags.push_back(f.code());
  EXPECT_EQ(Join(flags), Join(Strings(s.flags()))) << "flags";

  // beyond_contract, exactly.
  std::vector<std::string> beyond;
  for (const auto& a : d.actions())
    if (a.beyond_contract()) beyond.push_back(a.action());
  for (const auto& a : d.needs_approval())
    if (a.beyond_contract()) beyond.push_back(a.action());
  EXPECT_EQ(Join(beyond), Join(Strings(s.beyond_contract())))
      << "beyond_contract";

  // Every needs_approval action names who may approve it; listed ones match.
  for (const auto& a : d.needs_approval()) {
    EXPECT_FALSE(a.required_authority().empty()) << a.action();
  }
  for (const auto& want : s.approvals()) {
    auto it = std::find_if(d.needs_approval().begin(), d.needs_approval().end(),
                           [&](const v1::RecommendedAction& a) {
                             return a.action() == want.action();
                           });
    if (it == d.needs_approval().end()) {
      ADD_FAILURE() << "no needs_approval entry for " << want.action();
      continue;
    }
    EXPECT_EQ(it->required_authority(), want.authority()) << want.action();
  }

  // Listed parameters.
  auto find_action =
      [&](const std::string& id) -> const v1::RecommendedAction* {
    for (const auto& a : d.actions())
      if (a.action() == id) return &a;
    for (const auto& a : d.needs_approval())
      if (a.action() == id) return &a;
    return nullptr;
  };
  for (const auto& want : s.params()) {
    const v1::RecommendedAction* a = find_action(want.action());
    if (a == nullptr) {
      ADD_FAILURE() << "param " << want.name() << ": action " << want.action()
                    << " is not recommended";
      continue;
    }
    auto p = std::find_if(
        a->params().begin(), a->params().end(),
        [&](const v1::Param& param) { return param.name() == want.name(); });
    if (p == a->params().end()) {
      ADD_FAILURE() << want.action() << " has no parameter " << want.name();
      continue;
    }
    std::string expected =
        want.value_case() == testing::ParamExpect::kStringValue
            ? absl::StrCat("\"", want.string_value(), "\"")
            : absl::StrCat(want.int_value());
    EXPECT_EQ(ValueString(p->value()), expected)
        << want.action() << "." << want.name();
  }

  // Listed reasons.
  for (const auto& want : s.reasons()) {
    const v1::RecommendedAction* a = find_action(want.action());
    if (a == nullptr) {
      ADD_FAILURE() << "reason " << want.source_kind() << ": action "
                    << want.action() << " is not recommended";
      continue;
    }
    bool found = std::any_of(
        a->reasons().begin(), a->reasons().end(), [&](const v1::Reason& r) {
          return r.source_kind() == want.source_kind() &&
                 absl::StrContains(r.text(), want.text_contains());
        });
    EXPECT_TRUE(found) << want.action() << " has no reason from "
                       << want.source_kind() << " containing \""
                       << want.text_contains() << "\"";
  }

  // Every recommended action carries at least one reason a person can read.
  for (const auto& a : d.actions()) {
    ASSERT_GT(a.reasons_size(), 0) << a.action();
    for (const auto& r : a.reasons())
      EXPECT_FALSE(r.text().empty()) << a.action();
  }
}

// What a host does after a decision: appends each effect, exactly as it
// says, to the history it sends next time.
void Record(const v1::Decision& d, v1::Context* context) {
  for (const v1::Effect& e : d.effects()) {
    v1::Event* event = context->add_history();
    event->set_kind(e.kind());
    event->set_ref(e.ref());
    event->set_step(e.step());
    event->set_amount(e.amount());
    event->set_case_id(e.case_id());
    *event->mutable_at() = e.at();
  }
}

// The context of `step`, from the one decided before it (`context`, whose
// decision's effects are already recorded).
v1::Context Advance(const v1::Context& context, const testing::Step& step) {
  v1::Context next = context;
  if (step.has_case_()) *next.mutable_case_() = step.case_();
  if (step.has_merge()) next.MergeFrom(step.merge());
  for (const v1::Event& e : step.events()) *next.add_history() = e;
  if (step.has_at()) {
    *next.mutable_now() = step.at();
  } else if (step.has_advance()) {
    int64_t seconds = context.now().seconds() + step.advance().seconds();
    int64_t nanos =
        int64_t{context.now().nanos()} + int64_t{step.advance().nanos()};
    seconds += nanos / 1000000000;
    nanos %= 1000000000;
    if (nanos < 0) {
      nanos += 1000000000;
      --seconds;
    }
    next.mutable_now()->set_seconds(seconds);
    next.mutable_now()->set_nanos(static_cast<int32_t>(nanos));
  } else {
    *next.mutable_now() = context.now();
  }
  return next;
}

class ScenarioTest : public ::testing::TestWithParam<Case> {};

TEST_P(ScenarioTest, Decides) {
  const Case& c = GetParam();
  ASSERT_TRUE(c.load_error.empty()) << c.load_error;
  const testing::Scenario& s = c.scenario;
  SCOPED_TRACE(
      absl::StrCat(c.file, ": scenario ", s.name(), ": ", s.description()));

  std::string policy = s.policy().empty() ? kDefaultPolicy : s.policy();
  std::string error;
  const Engine* engine = EngineFor(policy, &error);
  ASSERT_NE(engine, nullptr) << policy << ": " << error;

  DecideOptions options;
  options.authority = s.authority();
  if (s.steps().empty()) {
    absl::StatusOr<v1::Decision> decided = engine->Decide(s.context(), options);
    ASSERT_TRUE(decided.ok()) << decided.status();
    CheckDecision(s, *decided);
    return;
  }
  ASSERT_FALSE(HasExpectations(s))
      << "a scenario with steps states its expectations in the steps";
  v1::Context context = s.context();
  for (int i = 0; i < s.steps_size(); ++i) {
    const testing::Step& step = s.steps(i);
    context = Advance(context, step);
    SCOPED_TRACE(absl::StrCat("step ", i + 1, " at ", context.now().seconds(),
                              ": ", step.description()));
    absl::StatusOr<v1::Decision> decided = engine->Decide(context, options);
    ASSERT_TRUE(decided.ok()) << decided.status();
    CheckDecision(step, *decided);
    if (::testing::Test::HasFatalFailure()) return;
    Record(*decided, &context);
  }
}

std::string ScenarioName(const ::testing::TestParamInfo<Case>& info) {
  std::string stem = fs::path(info.param.file).stem().string();
  return Sanitize(absl::StrCat(stem, "_", info.param.scenario.name()));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest,
                         ::testing::ValuesIn(AllScenarios()), ScenarioName);

// The scenario files themselves: unique names, at least the agreed coverage.
TEST(ScenarioFilesTest, NamesAreUniqueAndThereAreEnough) {
  std::set<std::string> names;
  for (const Case& c : AllScenarios()) {
    std::string name = absl::StrCat(c.file, "/", c.scenario.name());
    EXPECT_TRUE(names.insert(name).second) << "duplicate scenario " << name;
  }
  EXPECT_GE(AllScenarios().size(), 30u);
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
