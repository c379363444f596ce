// The policy test runner (tact/policy_test.h): loading suites, running
// cases and timelines, and the failure lines a person reads.
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/policy_test.h"

namespace tact {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kDir[] = "tests/data/policy_test";

std::string Data(const std::string& name) {
  return absl::StrCat(kDir, "/", name);
}

// Writes a suite testing case_life.textproto into a fresh file under the
// test's temporary directory and returns its path.
std::string WriteSuite(const std::string& name, const std::string& body,
                       bool with_policy = true) {
  const fs::path dir = fs::path(::testing::TempDir()) / "policy_test";
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream out(path, std::ios::trunc);
  if (with_policy) {
    out << "policy: \"" << fs::absolute(Data("case_life.textproto")).string()
        << "\"\n";
  }
  out << body;
  return path.string();
}

constexpr char kContext[] = R"(
  context {
    now { seconds: 1773144000 }
    customer { id: "c" }
    case { id: "k" sentiment: -0.5 }
  }
)";

// --- A suite that passes -----------------------------------------------------

TEST(PolicyTestRunnerTest, PassingSuiteRunsEveryCaseWithTracedDecisions) {
  PolicyTestSuiteResult suite =
      RunPolicyTestFile(Data("case_life.test.textproto"));
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  EXPECT_EQ(suite.policy_file, Data("case_life.textproto"));
  ASSERT_NE(suite.engine, nullptr);
  EXPECT_EQ(suite.engine->policy().name(), "case_life");
  ASSERT_THAT(suite.cases, SizeIs(4));
  for (const PolicyTestCaseResult& c : suite.cases) {
    EXPECT_TRUE(c.passed) << c.name << ": "
                          << ::testing::PrintToString(c.failures);
    for (const v1::Decision& d : c.decisions) EXPECT_THAT(d.trace(), SizeIs(1));
  }
  EXPECT_TRUE(suite.passed());
  EXPECT_EQ(suite.passed_count(), 4);
  EXPECT_EQ(suite.failed_count(), 0);
  EXPECT_EQ(suite.cases[0].name, "unhappy_first_rung");
  EXPECT_THAT(suite.cases[0].decisions, SizeIs(1));
  EXPECT_THAT(suite.cases[2].decisions, SizeIs(4));  // one per step
}

// The timeline's second step holds the credit back as `wait` only because
// the first rung's effect was recorded into the history between the steps.
TEST(PolicyTestRunnerTest, TimelineRecordsEachDecisionsEffectsBeforeTheNext) {
  PolicyTestSuiteResult suite =
      RunPolicyTestFile(Data("case_life.test.textproto"));
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  const PolicyTestCaseResult& timeline = suite.cases[2];
  ASSERT_THAT(timeline.decisions, SizeIs(4));
  EXPECT_EQ(timeline.decisions[1].now().seconds(), 1773144000 + 7199);
  EXPECT_EQ(timeline.decisions[2].now().seconds(), 1773151200);
  EXPECT_EQ(timeline.decisions[3].now().seconds(), 1773151200 + 3600);
  ASSERT_THAT(timeline.decisions[0].effects(), SizeIs(1));
  // Re-deciding without recording would offer the first rung again.
  std::string no_record =
      WriteSuite("no_record.test.textproto",
                 absl::StrCat("cases { name: \"again\"", kContext, R"(
        steps { expect { includes: "explain_problem" } }
        steps { expect { effects { kind: "rung_offered" ref: "unhappy" step: 1 } } }
      })"));
  PolicyTestSuiteResult again = RunPolicyTestFile(no_record);
  ASSERT_TRUE(again.status.ok()) << again.status;
  EXPECT_THAT(again.cases[0].failures,
              ElementsAre("step 2: effects: expected [rung_offered(unhappy, "
                          "step=1)] in this order, got []"));
}

// --- Failure lines -----------------------------------------------------------

TEST(PolicyTestRunnerTest, FailingCasesSayWhatDiffered) {
  PolicyTestSuiteResult suite =
      RunPolicyTestFile(Data("failing/failing.test.textproto"));
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  EXPECT_EQ(suite.policy_file, Data("case_life.textproto"));
  ASSERT_THAT(suite.cases, SizeIs(3));
  EXPECT_TRUE(suite.cases[0].passed);
  EXPECT_FALSE(suite.cases[1].passed);
  EXPECT_THAT(
      suite.cases[1].failures,
      ElementsAre("actions: expected [reply, explain_problem], got "
                  "[explain_problem, reply]",
                  "missing blocked goodwill_credit (budget_exhausted); got "
                  "blocked: []"));
  EXPECT_THAT(suite.cases[2].failures,
              ElementsAre("step 2 (Two hours later): param "
                          "goodwill_credit.amount: expected 2000, got 1500",
                          "step 2 (Two hours later): flags: expected "
                          "[recovery_window_missed] in this order, got []"));
  EXPECT_FALSE(suite.passed());
  EXPECT_EQ(suite.passed_count(), 1);
  EXPECT_EQ(suite.failed_count(), 2);
}

v1::Decision SampleDecision() {
  v1::Decision d;
  auto* a = d.add_actions();
  a->set_action("apologize");
  auto* b = d.add_actions();
  b->set_action("goodwill_credit");
  auto* p = b->add_params();
  p->set_name("amount");
  p->mutable_value()->set_int_value(1500);
  auto* r = b->add_reasons();
  r->set_source_kind("budget");
  r->set_source_id("goodwill");
  r->set_text("clipped to what remains");
  auto* n = d.add_needs_approval();
  n->set_action("refund");
  n->set_required_authority("agent");
  n->set_beyond_contract(true);
  auto* x = d.add_blocked();
  x->set_action("larger_credit");
  x->set_code("budget_exhausted");
  auto* e = d.add_effects();
  e->set_kind("goodwill");
  e->set_ref("goodwill");
  e->set_amount(1500);
  d.add_flags()->set_code("recovery_window_missed");
  return d;
}

TEST(CheckExpectationTest, SubsetChecksOnlyWhatIsListed) {
  v1::Expect expect;
  expect.add_includes("goodwill_credit");
  expect.add_blocked()->set_action("larger_credit");  // any code
  expect.add_needs_approval()->set_action("refund");  // any authority
  expect.add_beyond_contract("refund");
  EXPECT_THAT(CheckExpectation(expect, SampleDecision()), IsEmpty());
}

TEST(CheckExpectationTest, ExactComparesWholeLists) {
  v1::Expect expect;
  expect.set_exact(true);
  expect.add_actions("apologize");
  expect.add_actions("goodwill_credit");
  EXPECT_THAT(
      CheckExpectation(expect, SampleDecision()),
      ElementsAre(
          "blocked: expected [], got [larger_credit (budget_exhausted)]",
          "needs_approval: expected [], got [refund (agent)]",
          "effects: expected [], got [goodwill(goodwill, amount=1500)]",
          "flags: expected [], got [recovery_window_missed]",
          "beyond_contract: expected [], got [refund]"));
  // The suite's `exact` applies when the expectation does not set its own.
  v1::Expect unset;
  unset.add_actions("apologize");
  unset.add_actions("goodwill_credit");
  EXPECT_THAT(CheckExpectation(unset, SampleDecision(), /*suite_exact=*/true),
              SizeIs(5));
  EXPECT_THAT(CheckExpectation(unset, SampleDecision(), /*suite_exact=*/false),
              IsEmpty());
  unset.set_exact(false);
  EXPECT_THAT(CheckExpectation(unset, SampleDecision(), /*suite_exact=*/true),
              IsEmpty());
}

// A decision's service levels: first reply at risk (75% reached, due
// 2026-03-30T10:00:00Z), resolution paused (no due time).
v1::Decision ServiceLevelDecision() {
  v1::Decision d;
  auto* first = d.add_service_levels();
  first->set_target("first_reply");
  first->set_state("at_risk");
  first->set_percent(80);
  first->set_threshold(75);
  first->mutable_due_at()->set_seconds(1774864800);  // 2026-03-30T10:00:00Z
  first->mutable_elapsed()->set_seconds(48 * 60);
  first->mutable_remaining()->set_seconds(12 * 60);
  auto* resolution = d.add_service_levels();
  resolution->set_target("resolution");
  resolution->set_state("ok");
  resolution->set_percent(10);
  resolution->set_paused(true);
  return d;
}

TEST(CheckExpectationTest, ServiceLevelsMatchByTargetOnlyWhatIsSet) {
  v1::Expect expect;
  auto* first = expect.add_service_levels();
  first->set_target("first_reply");
  first->set_state("at_risk");
  first->set_percent(80);
  first->set_threshold(75);
  first->mutable_due_at()->set_seconds(1774864800);
  first->mutable_remaining()->set_seconds(12 * 60);
  auto* resolution = expect.add_service_levels();
  resolution->set_target("resolution");
  resolution->set_paused(true);
  resolution->set_no_due(true);
  EXPECT_THAT(CheckExpectation(expect, ServiceLevelDecision()), IsEmpty());
  // Only the listed targets, even when exact.
  v1::Expect only_state;
  only_state.set_exact(true);
  only_state.add_service_levels()->set_target("resolution");
  EXPECT_THAT(CheckExpectation(only_state, ServiceLevelDecision()), IsEmpty());
}

TEST(CheckExpectationTest, ServiceLevelFailuresNameWhatDiffered) {
  v1::Expect expect;
  auto* first = expect.add_service_levels();
  first->set_target("first_reply");
  first->set_state("ok");
  first->set_percent(79);
  first->set_threshold(50);
  first->set_paused(true);
  first->mutable_due_at()->set_seconds(1774864801);
  first->mutable_elapsed()->set_seconds(47 * 60);
  first->mutable_remaining()->set_seconds(-60);
  auto* resolution = expect.add_service_levels();
  resolution->set_target("resolution");
  resolution->set_paused(false);
  resolution->mutable_due_at()->set_seconds(1774864800);
  expect.add_service_levels()->set_target("next_reply");
  EXPECT_THAT(
      CheckExpectation(expect, ServiceLevelDecision()),
      ElementsAre(
          "service level first_reply: expected state ok, percent 79, "
          "threshold 50, paused, due 2026-03-30T10:00:01Z, elapsed 47m "
          "(got 48m), remaining -1m (got 12m); got first_reply at_risk 80% "
          "(threshold 75), due 2026-03-30T10:00:00Z",
          "service level resolution: expected not paused, due "
          "2026-03-30T10:00:00Z; got resolution ok 10% (threshold 0), "
          "paused, no due time",
          "service level next_reply: no such target in the decision; it has "
          "[first_reply, resolution]"));
  v1::Expect no_due;
  auto* due = no_due.add_service_levels();
  due->set_target("first_reply");
  due->set_no_due(true);
  EXPECT_THAT(CheckExpectation(no_due, ServiceLevelDecision()),
              ElementsAre("service level first_reply: expected no due time; "
                          "got first_reply at_risk 80% (threshold 75), due "
                          "2026-03-30T10:00:00Z"));
}

TEST(CheckExpectationTest, IncludesIsAnOrderedSubsequence) {
  v1::Expect in_order;
  in_order.add_includes("apologize");
  in_order.add_includes("goodwill_credit");
  EXPECT_THAT(CheckExpectation(in_order, SampleDecision()), IsEmpty());
  v1::Expect reversed;
  reversed.add_includes("goodwill_credit");
  reversed.add_includes("apologize");
  EXPECT_THAT(CheckExpectation(reversed, SampleDecision()),
              ElementsAre("includes: expected [goodwill_credit, apologize] in "
                          "this order, got [apologize, goodwill_credit]"));
}

TEST(CheckExpectationTest, ExcludesCoversRecommendedAndNeedsApproval) {
  v1::Expect expect;
  expect.add_excludes("apologize");
  expect.add_excludes("refund");
  expect.add_excludes("larger_credit");  // blocked is neither
  EXPECT_THAT(CheckExpectation(expect, SampleDecision()),
              ElementsAre("excludes: apologize is recommended; got "
                          "[apologize, goodwill_credit]",
                          "excludes: refund needs approval (agent)"));
}

TEST(CheckExpectationTest, ParamsCompareKindAndValue) {
  v1::Expect expect;
  auto* ok = expect.add_params();
  ok->set_action("goodwill_credit");
  ok->set_name("amount");
  ok->set_int_value(1500);
  EXPECT_THAT(CheckExpectation(expect, SampleDecision()), IsEmpty());
  ok->set_string_value("1500");
  auto* missing = expect.add_params();
  missing->set_action("goodwill_credit");
  missing->set_name("currency");
  missing->set_string_value("USD");
  auto* absent = expect.add_params();
  absent->set_action("offboard");
  absent->set_name("amount");
  absent->set_int_value(1);
  EXPECT_THAT(
      CheckExpectation(expect, SampleDecision()),
      ElementsAre("param goodwill_credit.amount: expected \"1500\", got 1500",
                  "param goodwill_credit.currency: goodwill_credit has no "
                  "parameter currency; it has [amount]",
                  "param offboard.amount: offboard is neither recommended nor "
                  "sent for approval; got [apologize, goodwill_credit]"));
}

TEST(CheckExpectationTest, BlockedApprovalsAndReasonsName) {
  v1::Expect expect;
  auto* b = expect.add_blocked();
  b->set_action("larger_credit");
  b->set_code("wait");
  auto* n = expect.add_needs_approval();
  n->set_action("refund");
  n->set_authority("supervisor");
  auto* r = expect.add_reasons();
  r->set_action("goodwill_credit");
  r->set_source_kind("budget");
  r->set_text_contains("clipped");
  auto* wrong = expect.add_reasons();
  wrong->set_action("goodwill_credit");
  wrong->set_source_kind("ladder");
  EXPECT_THAT(
      CheckExpectation(expect, SampleDecision()),
      ElementsAre(
          "missing blocked larger_credit (wait); got blocked: [larger_credit "
          "(budget_exhausted)]",
          "missing needs_approval refund (supervisor); got needs_approval: "
          "[refund (agent)]",
          "reason: goodwill_credit has no reason from ladder; its reasons: "
          "[budget goodwill: \"clipped to what remains\"]"));
}

// Quoted text stays readable: UTF-8 is shown as is, only quotes, controls
// and backslashes are escaped.
TEST(CheckExpectationTest, QuotedTextKeepsUtf8Readable) {
  v1::Decision d = SampleDecision();
  d.mutable_actions(1)->mutable_reasons(0)->set_text("caf\u00e9\t\"ok\"");
  v1::Expect expect;
  auto* r = expect.add_reasons();
  r->set_action("goodwill_credit");
  r->set_text_contains("th\u00e9");
  EXPECT_THAT(CheckExpectation(expect, d),
              ElementsAre("reason: goodwill_credit has no reason from any "
                          "source containing \"th\u00e9\"; its reasons: "
                          "[budget goodwill: \"caf\u00e9\\t\\\"ok\\\"\"]"));
}

TEST(CheckExpectationTest, EffectsCompareAllFieldsInOrder) {
  v1::Expect expect;
  auto* e = expect.add_effects();
  e->set_kind("goodwill");
  e->set_ref("goodwill");
  e->set_amount(1500);
  EXPECT_THAT(CheckExpectation(expect, SampleDecision()), IsEmpty());
  e->set_amount(1000);
  EXPECT_THAT(CheckExpectation(expect, SampleDecision()),
              ElementsAre("effects: expected [goodwill(goodwill, amount=1000)] "
                          "in this order, got [goodwill(goodwill, "
                          "amount=1500)]"));
}

TEST(CheckExpectationTest, NoActions) {
  v1::Expect expect;
  expect.set_no_actions(true);
  EXPECT_THAT(CheckExpectation(expect, SampleDecision()),
              ElementsAre("no_actions: expected none, got [apologize, "
                          "goodwill_credit]"));
  EXPECT_THAT(CheckExpectation(expect, v1::Decision()), IsEmpty());
}

// --- Suites that do not load -------------------------------------------------

std::string LoadError(const std::string& name, const std::string& body,
                      bool with_policy = true) {
  PolicyTestSuiteResult suite =
      RunPolicyTestFile(WriteSuite(name, body, with_policy));
  EXPECT_FALSE(suite.status.ok());
  EXPECT_THAT(suite.cases, IsEmpty());
  EXPECT_FALSE(suite.passed());
  return std::string(suite.status.message());
}

TEST(PolicyTestLoadTest, UnknownFieldNamesFileLineAndColumn) {
  const std::string message = LoadError(
      "unknown.test.textproto", "cases {\n  name: \"a\"\n  expct { }\n}\n");
  EXPECT_THAT(message, HasSubstr("unknown.test.textproto:4:3: "));
  EXPECT_THAT(message, HasSubstr("no field named \"expct\""));
}

TEST(PolicyTestLoadTest, MissingContextFileNamesTheField) {
  const std::string message = LoadError(
      "ctx.test.textproto",
      "cases {\n  name: \"a\"\n  context_file: \"nowhere.json\"\n  expect { "
      "no_actions: true }\n}\n");
  EXPECT_THAT(message, HasSubstr("ctx.test.textproto:4:3: case \"a\": "
                                 "context_file \"nowhere.json\": "));
  EXPECT_THAT(message, HasSubstr("cannot read context file"));
}

TEST(PolicyTestLoadTest, MalformedTextContextFileNamesItsLine) {
  const fs::path dir = fs::path(::testing::TempDir()) / "policy_test";
  fs::create_directories(dir);
  std::ofstream(dir / "bad_context.textproto")
      << "now { seconds: 1 }\nbogus: 3\n";
  const std::string message = LoadError(
      "bad_ctx.test.textproto",
      "cases { name: \"a\" context_file: \"bad_context.textproto\" expect { "
      "no_actions: true } }\n");
  EXPECT_THAT(message, HasSubstr("bad_ctx.test.textproto:2:19: case \"a\": "
                                 "context_file \"bad_context.textproto\": "));
  EXPECT_THAT(message, HasSubstr("bad_context.textproto:2:1: "));
}

TEST(PolicyTestLoadTest, DuplicateAndInvalidNames) {
  const std::string message = LoadError(
      "names.test.textproto",
      absl::StrCat("cases { name: \"a\"", kContext,
                   " expect { no_actions: true } }\n", "cases { name: \"a\"",
                   kContext, " expect { no_actions: true } }\n",
                   "cases { name: \"b c\"", kContext,
                   " expect { no_actions: true } }\n"));
  EXPECT_THAT(message, HasSubstr("case \"a\": duplicate name (first at "));
  EXPECT_THAT(message, HasSubstr("case \"b c\": the name may hold only"));
}

TEST(PolicyTestLoadTest, ExpectTogetherWithStepsIsAnError) {
  const std::string message =
      LoadError("both.test.textproto",
                absl::StrCat("cases {\n name: \"a\"", kContext,
                             "expect { no_actions: true }\n steps { }\n}\n"));
  EXPECT_THAT(message, HasSubstr("case \"a\": `expect` and `steps` together"));
}

TEST(PolicyTestLoadTest, CaseWithoutExpectationOrContext) {
  EXPECT_THAT(LoadError("nothing.test.textproto",
                        absl::StrCat("cases { name: \"a\"", kContext, "}\n")),
              HasSubstr("case \"a\": expects nothing"));
  EXPECT_THAT(LoadError("nocontext.test.textproto",
                        "cases { name: \"a\" expect { no_actions: true } }\n"),
              HasSubstr("case \"a\": no context"));
}

TEST(PolicyTestLoadTest, UnknownBlockedCodeAndActionAreErrors) {
  EXPECT_THAT(
      LoadError("code.test.textproto",
                absl::StrCat("cases { name: \"a\"", kContext,
                             "expect { blocked { action: \"goodwill_credit\" "
                             "code: \"budget_exhaused\" } } }\n")),
      HasSubstr("blocked goodwill_credit: unknown code \"budget_exhaused\""));
  EXPECT_THAT(
      LoadError("action.test.textproto",
                absl::StrCat("cases { name: \"a\"", kContext,
                             "expect { excludes: \"goodwil_credit\" } }\n")),
      HasSubstr("action.test.textproto:8:1: case \"a\": excludes: "
                "\"goodwil_credit\" is not an action of the policy"));
}

TEST(PolicyTestLoadTest, ServiceLevelExpectationsThatCannotHoldAreErrors) {
  const std::string message = LoadError(
      "sla.test.textproto",
      absl::StrCat("cases { name: \"a\"", kContext,
                   "expect {\n"
                   " service_levels { state: \"ok\" }\n"
                   " service_levels { target: \"first_reply\" state: "
                   "\"late\" }\n"
                   " service_levels { target: \"first_reply\" no_due: true "
                   "due_at { seconds: 1 } }\n"
                   "} }\n"));
  EXPECT_THAT(message, HasSubstr("case \"a\": service_levels: no target"));
  EXPECT_THAT(message,
              HasSubstr("case \"a\": service level first_reply: unknown "
                        "state \"late\"; one of [none, ok, at_risk, "
                        "breached, met, missed]"));
  EXPECT_THAT(message,
              HasSubstr("service level first_reply: no_due contradicts "
                        "due_at"));
  EXPECT_THAT(message, HasSubstr("service level first_reply: listed twice"));
  // A target the policy does not have (case_life.textproto has none).
  EXPECT_THAT(LoadError("target.test.textproto",
                        absl::StrCat("cases { name: \"a\"", kContext,
                                     "expect { service_levels { target: "
                                     "\"first_reply\" } } }\n")),
              HasSubstr("case \"a\": service_levels: \"first_reply\" is not a "
                        "target of the policy's service_levels"));
}

TEST(PolicyTestLoadTest, PolicyThatDoesNotCompileFailsTheSuite) {
  const fs::path dir = fs::path(::testing::TempDir()) / "policy_test";
  fs::create_directories(dir);
  std::ofstream(dir / "broken.textproto")
      << "name: \"x\"\nrules { id: \"r\" when: \"customer.teir == 1\" }\n";
  const std::string message =
      LoadError("broken.test.textproto",
                absl::StrCat("cases { name: \"a\"", kContext,
                             " expect { no_actions: true } }\n"),
                /*with_policy=*/false);
  EXPECT_THAT(message, HasSubstr("broken.test.textproto: the policy "));
  EXPECT_THAT(message, HasSubstr("does not compile"));
  EXPECT_THAT(message, HasSubstr("broken.textproto:2:"));
}

TEST(PolicyTestLoadTest, PolicyNameDefaultsToTheSuiteWithoutTest) {
  const std::string message =
      LoadError("nothing_here.test.textproto",
                absl::StrCat("cases { name: \"a\"", kContext,
                             " expect { no_actions: true } }\n"),
                /*with_policy=*/false);
  EXPECT_THAT(message, HasSubstr("nothing_here.textproto"));
  EXPECT_THAT(LoadError("suite.textproto",
                        absl::StrCat("cases { name: \"a\"", kContext,
                                     " expect { no_actions: true } }\n"),
                        /*with_policy=*/false),
              HasSubstr("set `policy`"));
}

TEST(PolicyTestLoadTest, LimitsFailFastNamingTheLimit) {
  std::string body;
  for (int i = 0; i < 3; ++i) {
    absl::StrAppend(&body, "cases { name: \"c", i, "\"", kContext,
                    " steps { } steps { } }\n");
  }
  const std::string path = WriteSuite("limits.test.textproto", body);
  PolicyTestOptions options;
  options.max_cases = 2;
  PolicyTestSuiteResult suite = RunPolicyTestFile(path, options);
  EXPECT_EQ(suite.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(
      suite.status.message(),
      HasSubstr("3 cases; the limit is 2 (PolicyTestOptions::max_cases)"));
  options = {};
  options.max_steps = 1;
  suite = RunPolicyTestFile(path, options);
  EXPECT_EQ(suite.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(
      suite.status.message(),
      HasSubstr("2 steps; the limit is 1 (PolicyTestOptions::max_steps)"));
  options = {};
  options.max_decisions = 5;
  suite = RunPolicyTestFile(path, options);
  EXPECT_THAT(suite.status.message(), HasSubstr("6 decisions; the limit is 5"));
  options = {};
  options.max_file_bytes = 100;
  suite = RunPolicyTestFile(path, options);
  EXPECT_EQ(suite.status.code(), absl::StatusCode::kResourceExhausted);
  options = {};
  suite = RunPolicyTestFile(path, options);  // within every default
  EXPECT_TRUE(suite.status.ok()) << suite.status;

  // A timeline of thousands of steps fails to load at the default limit.
  std::string steps;
  for (int i = 0; i < 1001; ++i) absl::StrAppend(&steps, "steps { }\n");
  suite = RunPolicyTestFile(WriteSuite(
      "long.test.textproto",
      absl::StrCat("cases { name: \"long\"", kContext, steps, "}\n")));
  EXPECT_EQ(suite.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(suite.status.message(),
              HasSubstr("1001 steps; the limit is 1000"));
}

TEST(PolicyTestLoadTest, HostileSuiteTextIsAnErrorNotACrash) {
  // Binary garbage, nesting deeper than protobuf's text parser allows, and
  // an unterminated string each fail to load naming where.
  std::string garbage("cases {\n", 8);
  garbage += std::string("\0\xff\x01{", 4);
  EXPECT_THAT(
      LoadError("garbage.test.textproto", garbage),
      HasSubstr("garbage.test.textproto:3:1: Invalid control characters"));
  std::string deep = "cases { name: \"a\" context { customer {";
  for (int i = 0; i < 200; ++i) deep += " attributes { key: \"k\" value {";
  EXPECT_THAT(LoadError("deep.test.textproto", deep),
              HasSubstr("deep.test.textproto:"));
  EXPECT_THAT(LoadError("quote.test.textproto", "cases { name: \"a }\n"),
              HasSubstr("quote.test.textproto:2:"));
}

TEST(PolicyTestLoadTest, TimeOutOfRangeFailsTheStepNamingIt) {
  PolicyTestSuiteResult suite = RunPolicyTestFile(WriteSuite(
      "time.test.textproto",
      absl::StrCat("cases { name: \"overflow\"", kContext,
                   " steps { advance { seconds: 9223372036854775807 } } }\n",
                   "cases { name: \"year_10000\"", kContext,
                   " steps { } steps { description: \"far\" at { seconds: "
                   "253402300800 } } }\n")));
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  ASSERT_THAT(suite.cases, SizeIs(2));
  EXPECT_THAT(suite.cases[0].failures,
              ElementsAre("step 1: advance overflows `now`"));
  EXPECT_THAT(suite.cases[0].decisions, IsEmpty());
  ASSERT_THAT(suite.cases[1].failures, SizeIs(1));
  EXPECT_THAT(suite.cases[1].failures[0],
              ::testing::StartsWith("step 2 (far): decide failed: "));
  EXPECT_THAT(suite.cases[1].decisions, SizeIs(1));
}

// `advance` is checked whatever protobuf lets through: a nanos carry past
// the largest second, or a borrow below the smallest, fails the step; the
// same carry and borrow inside the range move `now`.
TEST(PolicyTestLoadTest, AdvanceCarryAndBorrowAreChecked) {
  auto timeline = [](const std::string& name, const std::string& now,
                     const std::string& advance) {
    return absl::StrCat("cases { name: \"", name, "\" context { now { ", now,
                        " } customer { id: \"c\" } case { id: \"k\" } }",
                        " steps { description: \"tick\" advance { ", advance,
                        " } } }\n");
  };
  PolicyTestSuiteResult suite = RunPolicyTestFile(WriteSuite(
      "advance.test.textproto",
      absl::StrCat(
          timeline("carry_past_max",
                   "seconds: 9223372036854775807 nanos: 999999999",
                   "nanos: 999999999"),
          timeline("borrow_below_min", "seconds: -9223372036854775808",
                   "nanos: -1"),
          timeline("nanos_out_of_range", "seconds: 9223372036854775807",
                   "nanos: 2147483647"),
          timeline("carry", "seconds: 1773144000 nanos: 999999999",
                   "nanos: 999999999"),
          timeline("borrow", "seconds: 1773144000", "nanos: -1"))));
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  ASSERT_THAT(suite.cases, SizeIs(5));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(suite.cases[i].name,
              std::vector<std::string>({"carry_past_max", "borrow_below_min",
                                        "nanos_out_of_range"})[i]);
    EXPECT_THAT(suite.cases[i].failures,
                ElementsAre("step 1 (tick): advance overflows `now`"));
    EXPECT_THAT(suite.cases[i].decisions, IsEmpty());
  }
  for (int i = 3; i < 5; ++i) {
    EXPECT_TRUE(suite.cases[i].passed)
        << suite.cases[i].name << ": "
        << ::testing::PrintToString(suite.cases[i].failures);
    EXPECT_THAT(suite.cases[i].decisions, SizeIs(1));
  }
}

TEST(PolicyTestRunnerTest, LongStepDescriptionsAreCutAtAWord) {
  PolicyTestSuiteResult suite = RunPolicyTestFile(WriteSuite(
      "long_description.test.textproto",
      absl::StrCat(
          "cases { name: \"a\"", kContext,
          " steps { description: \"The host asks again at the same now: the "
          "same advice, nothing to record.\" expect { no_actions: true } }",
          " steps { description: \"", std::string(60, 'y'),
          "\" expect { no_actions: true } }", " steps { description: \"",
          std::string(61, 'x'), "\" expect { no_actions: true } } }\n")));
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  ASSERT_THAT(suite.cases[0].failures, SizeIs(3));
  EXPECT_THAT(suite.cases[0].failures[0],
              ::testing::StartsWith("step 1 (The host asks again at the same "
                                    "now: the same advice,...): no_actions: "));
  EXPECT_THAT(suite.cases[0].failures[1],
              ::testing::StartsWith(
                  absl::StrCat("step 2 (", std::string(60, 'y'), "): ")));
  EXPECT_THAT(suite.cases[0].failures[2],
              ::testing::StartsWith(
                  absl::StrCat("step 3 (", std::string(57, 'x'), "...): ")));
}

TEST(PolicyTestLoadTest, DecideErrorFailsTheCaseNotTheSuite) {
  PolicyTestSuiteResult suite = RunPolicyTestFile(
      WriteSuite("noauth.test.textproto",
                 absl::StrCat("cases { name: \"a\" authority: \"robot\"",
                              kContext, " expect { no_actions: true } }\n")));
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  ASSERT_THAT(suite.cases, SizeIs(1));
  ASSERT_THAT(suite.cases[0].failures, SizeIs(1));
  EXPECT_THAT(suite.cases[0].failures[0],
              HasSubstr("decide failed: unknown authority \"robot\""));
  EXPECT_THAT(suite.cases[0].decisions, IsEmpty());
}

TEST(PolicyTestLoadTest, AuthorityOptionOverridesTheCase) {
  PolicyTestOptions options;
  options.authority = "robot";
  PolicyTestSuiteResult suite =
      RunPolicyTestFile(Data("case_life.test.textproto"), options);
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  EXPECT_THAT(suite.cases[0].failures,
              ElementsAre(HasSubstr("unknown authority \"robot\"")));
}

// Without decisions kept, the cases still pass or fail the same (the
// timeline still records each decision's effects before the next step).
TEST(PolicyTestRunnerTest, KeepDecisionsFalseDropsThemButNotTheResults) {
  PolicyTestOptions options;
  options.keep_decisions = false;
  PolicyTestSuiteResult suite =
      RunPolicyTestFile(Data("case_life.test.textproto"), options);
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  ASSERT_THAT(suite.cases, SizeIs(4));
  for (const PolicyTestCaseResult& c : suite.cases) {
    EXPECT_TRUE(c.passed) << c.name << ": "
                          << ::testing::PrintToString(c.failures);
    EXPECT_THAT(c.decisions, IsEmpty());
  }
  PolicyTestSuiteResult failing =
      RunPolicyTestFile(Data("failing/failing.test.textproto"), options);
  PolicyTestSuiteResult kept =
      RunPolicyTestFile(Data("failing/failing.test.textproto"));
  ASSERT_THAT(failing.cases, SizeIs(kept.cases.size()));
  for (size_t i = 0; i < kept.cases.size(); ++i) {
    EXPECT_EQ(failing.cases[i].failures, kept.cases[i].failures);
    EXPECT_THAT(kept.cases[i].decisions, ::testing::Not(IsEmpty()));
  }
}

long PeakRssKiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// The bound on the growth of peak memory below. AddressSanitizer keeps freed
// memory in a quarantine (256 MiB by default), so the per-case copies a
// sanitized build has freed still count: there the bound leaves room for
// the quarantine and still fails on a parsed copy per case (over 800 MiB).
#if defined(__SANITIZE_ADDRESS__)
constexpr long kSharedContextBoundMiB = 256 + 256;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr long kSharedContextBoundMiB = 256 + 256;
#else
constexpr long kSharedContextBoundMiB = 256;
#endif
#else
constexpr long kSharedContextBoundMiB = 256;
#endif

// A context file named by many cases is parsed once and shared: 200 cases
// over one 4 MiB context stay far below the 800 MiB that a copy per case
// would take.
TEST(PolicyTestRunnerTest, CasesShareTheirContextFile) {
  const fs::path dir = fs::path(::testing::TempDir()) / "policy_test";
  fs::create_directories(dir);
  const fs::path context = dir / "big_context.textproto";
  {
    std::ofstream out(context, std::ios::trunc);
    out << "now { seconds: 1773144000 } customer { id: \"c\" } "
           "case { id: \"k\" }\n";
    for (int i = 0; i < 8; ++i) {
      out << "attributes { key: \"blob" << i << "\" value { string_value: \""
          << std::string(512 * 1024, 'x') << "\" } }\n";
    }
  }
  std::string body;
  for (int i = 0; i < 200; ++i) {
    absl::StrAppend(&body, "cases { name: \"c", i, "\" context_file: \"",
                    context.string(), "\" expect { actions: \"reply\" } }\n");
  }
  const std::string suite_path = WriteSuite("shared.test.textproto", body);
  const long before = PeakRssKiB();
  PolicyTestSuiteResult suite = RunPolicyTestFile(suite_path);
  const long grown_mib = (PeakRssKiB() - before) / 1024;
  ASSERT_TRUE(suite.status.ok()) << suite.status;
  ASSERT_THAT(suite.cases, SizeIs(200));
  EXPECT_TRUE(suite.passed())
      << ::testing::PrintToString(suite.cases[0].failures);
  EXPECT_LT(grown_mib, kSharedContextBoundMiB)
      << "peak memory grew by " << grown_mib << " MiB";
}

// --- Finding suites ----------------------------------------------------------

TEST(FindPolicyTestFilesTest, DirectoryIsSearchedRecursivelyAndSorted) {
  absl::StatusOr<std::vector<std::string>> files = FindPolicyTestFiles(kDir);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(*files, ElementsAre(Data("broken/unknown_field.test.textproto"),
                                  Data("case_life.test.textproto"),
                                  Data("failing/failing.test.textproto")));
  EXPECT_THAT(*FindPolicyTestFiles(Data("case_life.textproto")),
              ElementsAre(Data("case_life.textproto")));
  EXPECT_EQ(FindPolicyTestFiles(Data("nowhere")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(FindPolicyTestFiles(Data("contexts")).status().code(),
            absl::StatusCode::kNotFound);
}

// A *.test.textproto link to a missing file is listed, and fails to load
// naming the link; a linked directory is not followed.
TEST(FindPolicyTestFilesTest, DanglingSuiteLinkIsListedLinkedDirectoryIsNot) {
  const fs::path dir = fs::path(::testing::TempDir()) / "policy_test_links";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(Data("case_life.test.textproto"), dir / "real.test.textproto");
  fs::copy_file(Data("case_life.textproto"), dir / "real.textproto");
  fs::copy(Data("contexts"), dir / "contexts");
  fs::create_symlink(dir / "gone.test.textproto",
                     dir / "dangling.test.textproto");
  fs::create_directory_symlink(fs::absolute(kDir), dir / "linked_dir");
  absl::StatusOr<std::vector<std::string>> files =
      FindPolicyTestFiles(dir.string());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(*files, ElementsAre((dir / "dangling.test.textproto").string(),
                                  (dir / "real.test.textproto").string()));
  PolicyTestSuiteResult dangling =
      RunPolicyTestFile((dir / "dangling.test.textproto").string());
  EXPECT_EQ(dangling.status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      std::string(dangling.status.message()),
      absl::StrCat((dir / "dangling.test.textproto").string(),
                   ": cannot read test file: No such file or directory (a "
                   "symbolic "
                   "link to ",
                   (dir / "gone.test.textproto").string(),
                   ", which does not exist)"));
  EXPECT_TRUE(
      RunPolicyTestFile((dir / "real.test.textproto").string()).passed());
}

}  // namespace
}  // namespace tact
