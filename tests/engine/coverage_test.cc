// tact::PolicyCoverage (tact/coverage.h) on a small policy with two rules, a
// two-rung ladder, a strike limit, a recovery playbook and a goodwill budget:
// 15 items. Seven cases, decided at 2026-03-10T12:00Z with the trace on,
// reach all but one (the veto-only rule "no_money_for_flagged"):
//
//   reply      standard, nothing wrong            rule always_reply
//   rung1      unhappy, no rung yet               rung 1 (explain)
//   rung2      unhappy, rung 1 earlier, spend     rung 2: credit 15.00 granted
//              1000.00 (budget 100.00)
//   clipped    as rung2, spend 100.00 (budget     rung 2: credit clipped to
//              10.00)                             10.00, granted
//   exhausted  as rung2, spend 0 (budget 0)       rung 2: credit blocked
//                                                 budget_exhausted -> note
//   warning    time wasting, 1 earlier strike     strike 2 of 3: warn, strike
//   limit      time wasting, 2 earlier strikes    strike 3 of 3: decline,
//                                                 strike
//   failure    our fault 30 h ago, unhappy        apologize, fix_fast,
//                                                 surprise_tip, explain (rung
//                                                 1 of the compensation
//                                                 ladder), window missed
#include "tact/coverage.h"

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"

namespace tact {
namespace {

using ::tact::testing::MustCompile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kPolicy[] = R"pb(
  name: "cov"
  version: "1"
  currency: "USD"
  authorities: "bot"
  authorities: "agent"
  entitlements { tier: "standard" includes: "email" default: true }
  actions { id: "reply" title: "Reply" }
  actions { id: "apologize" title: "Apologize" }
  actions { id: "fix_fast" title: "Fix it fast" authority: "agent" }
  actions { id: "surprise_tip" title: "Surprise" }
  actions { id: "explain" title: "Explain" }
  actions {
    id: "credit"
    title: "Credit"
    amount_param: "amount"
    min_amount: 500
    alternative: "note"
    limits { authority: "bot" max_amount: 1000 }
  }
  actions { id: "note" title: "Handwritten note" }
  actions { id: "warn" title: "Warn" }
  actions { id: "decline" title: "Decline" }
  rules {
    id: "always_reply"
    when: "true"
    recommend { action: "reply" }
  }
  rules {
    id: "no_money_for_flagged"
    when: "customer.tier == \"flagged\""
    veto: "credit"
  }
  ladders {
    id: "unhappy"
    when: "case.sentiment <= -0.3"
    rungs { action { action: "explain" } }
    rungs {
      action {
        action: "credit"
        params { key: "amount" value: "1500" }
      }
    }
    priority: 50
  }
  strike_limits {
    id: "wasting"
    counts: "e.kind == \"time_wasting\""
    window: "90d"
    limit: 3
    current_is_strike: "case.category == \"time_wasting\""
    warning { action: "warn" }
    at_limit { action: "decline" }
    suppress: "credit"
    priority: 90
  }
  budgets {
    id: "goodwill"
    period: ROLLING
    window: "90d"
    per_window: "customer.spend_12m / 10"
  }
  playbooks {
    id: "failure"
    when: "case.our_fault"
    apology: "apologize"
    fix { action: "fix_fast" }
    fix_within: "24h"
    surprise { action: "surprise_tip" }
    compensation_ladder: "unhappy"
  }
)pb";

// A context at 2026-03-10T12:00Z: `customer` and `kase` are the JSON
// members' insides, `history` the history array's.
std::string Context(const std::string& id, const std::string& customer,
                    const std::string& kase, const std::string& history = "") {
  return absl::StrCat(
      R"({"now":"2026-03-10T12:00:00Z","customer":{"id":"cus_)", id, "\",",
      customer, R"(},"case":{"id":")", id,
      R"(","channel":"email","openedAt":"2026-03-10T09:00:00Z",)", kase,
      R"(},"history":[)", history, "]}");
}

constexpr char kRung1Earlier[] =
    R"({"at":"2026-03-10T10:00:00Z","kind":"rung_offered","caseId":"ID",)"
    R"("ref":"unhappy","step":"1"})";

std::string Rung1Earlier(const std::string& id) {
  std::string event = kRung1Earlier;
  event.replace(event.find("ID"), 2, id);
  return event;
}

constexpr char kStrike1[] =
    R"({"at":"2026-03-01T12:00:00Z","kind":"time_wasting"})";
constexpr char kStrike2[] =
    R"({"at":"2026-03-02T12:00:00Z","kind":"time_wasting"})";

// The seven cases of the file comment, by name.
std::map<std::string, std::string> Cases() {
  const std::string standard = R"("tier":"standard","spend12m":"100000")";
  return {
      {"reply", Context("reply", standard, R"("sentiment":0.0)")},
      {"rung1", Context("rung1", standard, R"("sentiment":-0.5)")},
      {"rung2", Context("rung2", standard, R"("sentiment":-0.5)",
                        Rung1Earlier("rung2"))},
      {"clipped", Context("clipped", R"("tier":"standard","spend12m":"10000")",
                          R"("sentiment":-0.5)", Rung1Earlier("clipped"))},
      {"exhausted", Context("exhausted", R"("tier":"standard","spend12m":"0")",
                            R"("sentiment":-0.5)", Rung1Earlier("exhausted"))},
      {"warning",
       Context("warning", standard, R"("category":"time_wasting")", kStrike1)},
      {"limit", Context("limit", standard, R"("category":"time_wasting")",
                        absl::StrCat(kStrike1, ",", kStrike2))},
      {"failure", Context("failure", standard,
                          R"("sentiment":-0.5,"ourFault":true,)"
                          R"("incidentAt":"2026-03-09T06:00:00Z")")},
  };
}

class CoverageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = MustCompile(kPolicy);
    ASSERT_NE(engine_, nullptr);
  }

  v1::Decision Decide(const std::string& json,
                      const DecideOptions& options) const {
    absl::StatusOr<v1::Context> context = ContextFromJson(json);
    EXPECT_TRUE(context.ok()) << context.status() << "\n" << json;
    if (!context.ok()) return v1::Decision();
    return ::tact::testing::MustDecide(*engine_, *context, options);
  }

  // The report of the named cases (all when empty), decided with `options`
  // (the trace on by default).
  CoverageReport ReportOf(std::vector<std::string> names = {},
                          DecideOptions options = Traced()) const {
    std::map<std::string, std::string> cases = Cases();
    if (names.empty()) {
      for (const auto& [name, json] : cases) names.push_back(name);
    }
    PolicyCoverage coverage(*engine_);
    for (const std::string& name : names) {
      EXPECT_EQ(cases.count(name), 1u) << name;
      EXPECT_TRUE(coverage.Add(Decide(cases[name], options)).ok());
    }
    return coverage.Report();
  }

  // Every case but `name`.
  CoverageReport ReportWithout(const std::string& name) const {
    std::vector<std::string> names;
    for (const auto& [other, json] : Cases()) {
      if (other != name) names.push_back(other);
    }
    return ReportOf(names);
  }

  static DecideOptions Traced() {
    DecideOptions options;
    options.trace = true;
    return options;
  }

  std::unique_ptr<const Engine> engine_;
};

std::vector<std::string> Labels(const std::vector<CoverageItem>& items) {
  std::vector<std::string> labels;
  for (const CoverageItem& item : items) labels.push_back(item.label);
  return labels;
}

// Every never-reached item of the report, in report order.
std::vector<std::string> NotReached(const CoverageReport& report) {
  std::vector<std::string> labels;
  for (const CategoryCoverage& cat : report.categories) {
    for (const CoverageItem& item : cat.not_reached) {
      labels.push_back(item.label);
    }
  }
  return labels;
}

const CategoryCoverage& Category(const CoverageReport& report,
                                 CoverageCategory category) {
  return report.categories[static_cast<int>(category)];
}

TEST_F(CoverageTest, EnumeratesEveryItemInPolicyOrder) {
  const CoverageReport report = ReportOf({"reply"});
  ASSERT_EQ(report.categories.size(), 6u);
  EXPECT_EQ(report.total, 15);
  std::vector<std::string> all;
  for (const CategoryCoverage& cat : report.categories) {
    std::vector<CoverageItem> items = cat.reached;
    items.insert(items.end(), cat.not_reached.begin(), cat.not_reached.end());
    for (const std::string& label : Labels(items)) all.push_back(label);
  }
  EXPECT_THAT(
      all,
      ElementsAre("rule \"always_reply\"", "rule \"no_money_for_flagged\"",
                  "ladder \"unhappy\" rung 1", "ladder \"unhappy\" rung 2",
                  "strike_limit \"wasting\" warning",
                  "strike_limit \"wasting\" at_limit",
                  "strike_limit \"wasting\" strike",
                  "playbook \"failure\" apology", "playbook \"failure\" fix",
                  "playbook \"failure\" surprise",
                  "playbook \"failure\" compensation",
                  "playbook \"failure\" recovery_window_missed",
                  "budget \"goodwill\" granted", "budget \"goodwill\" clipped",
                  "budget \"goodwill\" exhausted"));
  const CategoryCoverage& rungs = Category(report, CoverageCategory::kRungs);
  ASSERT_EQ(rungs.not_reached.size(), 2u);
  EXPECT_EQ(rungs.not_reached[1].id, "unhappy");
  EXPECT_EQ(rungs.not_reached[1].step, 2);
  EXPECT_EQ(rungs.not_reached[1].outcome, "offered");
}

TEST_F(CoverageTest, AllCasesReachEverythingButTheVetoOnlyRule) {
  const CoverageReport report = ReportOf();
  EXPECT_EQ(report.decisions, 8);
  EXPECT_EQ(report.untraced_decisions, 0);
  EXPECT_EQ(report.reached_count, 14);
  EXPECT_EQ(report.total, 15);
  EXPECT_EQ(report.percent_tenths, 933);  // 93.33%
  EXPECT_THAT(NotReached(report), ElementsAre("rule \"no_money_for_flagged\""));
  const CategoryCoverage& rules = Category(report, CoverageCategory::kRules);
  EXPECT_EQ(rules.reached_count, 1);
  EXPECT_EQ(rules.total, 2);
  EXPECT_EQ(rules.percent_tenths, 500);
  // Decisions per item: every case replies; rung 1 by rung1 and failure
  // (the playbook's compensation ladder); rung 2 by rung2, clipped and
  // exhausted (the note stands in for the blocked credit, the rung counts).
  ASSERT_EQ(rules.reached.size(), 1u);
  EXPECT_EQ(rules.reached[0].decisions, 8);
  const CategoryCoverage& rungs = Category(report, CoverageCategory::kRungs);
  ASSERT_EQ(rungs.reached.size(), 2u);
  EXPECT_EQ(rungs.reached[0].decisions, 2);
  EXPECT_EQ(rungs.reached[1].decisions, 3);
  const CategoryCoverage& strikes =
      Category(report, CoverageCategory::kStrikeLimits);
  ASSERT_EQ(strikes.reached.size(), 3u);
  EXPECT_EQ(strikes.reached[2].label, "strike_limit \"wasting\" strike");
  EXPECT_EQ(strikes.reached[2].decisions, 2);
  const CategoryCoverage& budget = Category(report, CoverageCategory::kBudgets);
  ASSERT_EQ(budget.reached.size(), 3u);
  EXPECT_EQ(budget.reached[0].decisions, 2);  // granted: rung2, clipped
}

// One case less: the items only it reached are never reached, and no other.
TEST_F(CoverageTest, EachCaseLessLeavesExactlyItsOwnItemsUnreached) {
  const std::string veto = "rule \"no_money_for_flagged\"";
  const std::map<std::string, std::vector<std::string>> only = {
      {"reply", {}},  // every case replies
      {"rung1", {}},  // failure offers rung 1 too
      {"rung2", {}},  // clipped grants and offers rung 2 too
      {"clipped", {"budget \"goodwill\" clipped"}},
      {"exhausted", {"budget \"goodwill\" exhausted"}},
      {"warning", {"strike_limit \"wasting\" warning"}},
      {"limit", {"strike_limit \"wasting\" at_limit"}},
      {"failure",
       {"playbook \"failure\" apology", "playbook \"failure\" fix",
        "playbook \"failure\" surprise", "playbook \"failure\" compensation",
        "playbook \"failure\" recovery_window_missed"}},
  };
  for (const auto& [name, labels] : only) {
    std::vector<std::string> expected = {veto};
    expected.insert(expected.end(), labels.begin(), labels.end());
    EXPECT_EQ(NotReached(ReportWithout(name)), expected) << "without " << name;
  }
  // Both grants gone: granted and clipped; both strikes gone: the strike too.
  EXPECT_THAT(NotReached(ReportOf({"reply", "rung1", "exhausted", "warning",
                                   "limit", "failure"})),
              ElementsAre(veto, "budget \"goodwill\" granted",
                          "budget \"goodwill\" clipped"));
  EXPECT_THAT(NotReached(ReportOf({"reply", "rung1", "rung2", "clipped",
                                   "exhausted", "failure"})),
              ElementsAre(veto, "strike_limit \"wasting\" warning",
                          "strike_limit \"wasting\" at_limit",
                          "strike_limit \"wasting\" strike"));
}

TEST_F(CoverageTest, AVetoOnlyRuleCountsWhenItFired) {
  PolicyCoverage coverage(*engine_);
  std::map<std::string, std::string> cases = Cases();
  ASSERT_TRUE(coverage.Add(Decide(cases["rung2"], Traced())).ok());
  // The veto holds the credit back, and the rule is reached.
  v1::Decision flagged =
      Decide(Context("flagged", R"("tier":"flagged","spend12m":"100000")",
                     R"("sentiment":-0.5)", Rung1Earlier("flagged")),
             Traced());
  ASSERT_EQ(flagged.blocked_size(), 1);
  EXPECT_EQ(flagged.blocked(0).code(), "vetoed");
  ASSERT_TRUE(coverage.Add(flagged).ok());
  const CategoryCoverage rules =
      Category(coverage.Report(), CoverageCategory::kRules);
  EXPECT_THAT(
      Labels(rules.reached),
      ElementsAre("rule \"always_reply\"", "rule \"no_money_for_flagged\""));
  EXPECT_THAT(rules.not_reached, IsEmpty());
  EXPECT_EQ(rules.percent_tenths, 1000);
}

// With the bot's authority the failure's fix (agent) is sent for approval:
// the playbook reached its fix stage all the same. rung2's credit of 15.00
// (over the bot's 10.00) is sent for approval too: no rung is recorded and
// nothing is granted, so neither counts.
TEST_F(CoverageTest, ApprovalCountsForStagesButOffersNoRung) {
  DecideOptions bot = Traced();
  bot.authority = "bot";
  std::map<std::string, std::string> cases = Cases();
  v1::Decision failure = Decide(cases["failure"], bot);
  ASSERT_EQ(failure.needs_approval_size(), 1);
  EXPECT_EQ(failure.needs_approval(0).action(), "fix_fast");
  v1::Decision rung2 = Decide(cases["rung2"], bot);
  ASSERT_EQ(rung2.needs_approval_size(), 1);
  EXPECT_EQ(rung2.needs_approval(0).action(), "credit");

  PolicyCoverage coverage(*engine_);
  ASSERT_TRUE(coverage.Add(failure).ok());
  ASSERT_TRUE(coverage.Add(rung2).ok());
  const CoverageReport report = coverage.Report();
  EXPECT_THAT(
      Labels(Category(report, CoverageCategory::kPlaybooks).reached),
      ElementsAre("playbook \"failure\" apology", "playbook \"failure\" fix",
                  "playbook \"failure\" surprise",
                  "playbook \"failure\" compensation",
                  "playbook \"failure\" recovery_window_missed"));
  EXPECT_THAT(Labels(Category(report, CoverageCategory::kRungs).not_reached),
              ElementsAre("ladder \"unhappy\" rung 2"));
  EXPECT_THAT(Labels(Category(report, CoverageCategory::kBudgets).reached),
              IsEmpty());
}

TEST_F(CoverageTest, TheReportDoesNotDependOnTheOrderOfDecisions) {
  std::vector<std::string> names;
  for (const auto& [name, json] : Cases()) names.push_back(name);
  const CoverageReport forward = ReportOf(names);
  std::vector<std::string> backward(names.rbegin(), names.rend());
  const CoverageReport reverse = ReportOf(backward);
  EXPECT_EQ(FormatCoverage(forward), FormatCoverage(reverse));
  for (size_t c = 0; c < forward.categories.size(); ++c) {
    const auto& a = forward.categories[c].reached;
    const auto& b = reverse.categories[c].reached;
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].label, b[i].label);
      EXPECT_EQ(a[i].decisions, b[i].decisions) << a[i].label;
    }
  }
}

TEST_F(CoverageTest, FormatsOneLinePerCategoryWithTheItemsNeverReached) {
  EXPECT_EQ(FormatCoverage(ReportOf({"reply", "rung1", "rung2", "warning"})),
            "coverage 6/15 (40.0%) over 4 decisions\n"
            "rules 1/2 (50.0%)\n"
            "  never reached: rule \"no_money_for_flagged\"\n"
            "rungs 2/2 (100.0%)\n"
            "strike_limits 2/3 (66.6%)\n"
            "  never reached: strike_limit \"wasting\" at_limit\n"
            "playbooks 0/5 (0.0%)\n"
            "  never reached: playbook \"failure\" apology\n"
            "  never reached: playbook \"failure\" fix\n"
            "  never reached: playbook \"failure\" surprise\n"
            "  never reached: playbook \"failure\" compensation\n"
            "  never reached: playbook \"failure\" recovery_window_missed\n"
            "budgets 1/3 (33.3%)\n"
            "  never reached: budget \"goodwill\" clipped\n"
            "  never reached: budget \"goodwill\" exhausted\n"
            "service_levels 0/0 (none declared)\n");
}

// Without a trace nobody can tell which rules fired: those not seen firing
// in a traced decision are unknown, counted as not reached, and said so.
TEST_F(CoverageTest, RulesAreUnknownWhenADecisionHasNoTrace) {
  std::map<std::string, std::string> cases = Cases();
  PolicyCoverage coverage(*engine_);
  ASSERT_TRUE(coverage.Add(Decide(cases["rung1"], DecideOptions())).ok());
  CoverageReport report = coverage.Report();
  EXPECT_EQ(report.untraced_decisions, 1);
  CategoryCoverage rules = Category(report, CoverageCategory::kRules);
  EXPECT_THAT(rules.reached, IsEmpty());
  EXPECT_THAT(rules.not_reached, IsEmpty());
  EXPECT_THAT(
      Labels(rules.unknown),
      ElementsAre("rule \"always_reply\"", "rule \"no_money_for_flagged\""));
  EXPECT_EQ(rules.total, 2);
  EXPECT_EQ(rules.percent_tenths, 0);
  // The constructs are known without a trace.
  EXPECT_EQ(Category(report, CoverageCategory::kRungs).reached_count, 1);
  EXPECT_THAT(FormatCoverage(report),
              HasSubstr("rules 0/2 (0.0%), 2 unknown: 1 of 1 decisions had "
                        "no rule trace\n"
                        "  unknown: rule \"always_reply\"\n"
                        "  unknown: rule \"no_money_for_flagged\"\n"
                        "rungs 1/2"));

  // A traced decision shows always_reply fired; the other stays unknown.
  ASSERT_TRUE(coverage.Add(Decide(cases["reply"], Traced())).ok());
  report = coverage.Report();
  rules = Category(report, CoverageCategory::kRules);
  EXPECT_THAT(Labels(rules.reached), ElementsAre("rule \"always_reply\""));
  EXPECT_THAT(Labels(rules.unknown),
              ElementsAre("rule \"no_money_for_flagged\""));
  EXPECT_EQ(report.untraced_decisions, 1);
  EXPECT_EQ(report.decisions, 2);
  // Once every decision is traced, never reached it is.
  EXPECT_THAT(
      Labels(Category(ReportOf({"rung1", "reply"}), CoverageCategory::kRules)
                 .not_reached),
      ElementsAre("rule \"no_money_for_flagged\""));
}

TEST_F(CoverageTest, NoDecisionsReachNothing) {
  PolicyCoverage coverage(*engine_);
  const CoverageReport report = coverage.Report();
  EXPECT_EQ(report.decisions, 0);
  EXPECT_EQ(report.reached_count, 0);
  EXPECT_EQ(report.total, 15);
  EXPECT_EQ(report.percent_tenths, 0);
  EXPECT_EQ(NotReached(report).size(), 15u);
  EXPECT_FALSE(MeetsCoverage(report, 0.1));
  EXPECT_TRUE(MeetsCoverage(report, 0));
  EXPECT_THAT(FormatCoverage(report),
              HasSubstr("coverage 0/15 (0.0%) over 0 decisions\n"));
}

TEST(PolicyCoverageTest, APolicyDeclaringNothingToReachIsFullyCovered) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    name: "empty"
    version: "1"
    currency: "USD"
    entitlements { tier: "standard" default: true }
    actions { id: "reply" title: "Reply" }
    budgets { id: "goodwill" per_window: "1000" window: "30d" }
  )pb");
  ASSERT_NE(engine, nullptr);
  PolicyCoverage coverage(*engine);
  absl::StatusOr<v1::Context> context = ContextFromJson(
      R"({"now":"2026-03-10T12:00:00Z","customer":{"id":"c"},"case":{"id":"k"}})");
  ASSERT_TRUE(context.ok()) << context.status();
  DecideOptions options;  // no trace: no rules, nothing unknown
  ASSERT_TRUE(
      coverage.Add(::tact::testing::MustDecide(*engine, *context, options))
          .ok());
  const CoverageReport report = coverage.Report();
  EXPECT_EQ(report.total, 0);  // a budget with no monetary action: nothing
  EXPECT_EQ(report.untraced_decisions, 0);
  EXPECT_EQ(report.percent_tenths, 1000);
  EXPECT_TRUE(MeetsCoverage(report, 100));
  EXPECT_EQ(FormatCoverage(report),
            "coverage 0/0 (100.0%) over 1 decision\n"
            "rules 0/0 (none declared)\n"
            "rungs 0/0 (none declared)\n"
            "strike_limits 0/0 (none declared)\n"
            "playbooks 0/0 (none declared)\n"
            "budgets 0/0 (none declared)\n"
            "service_levels 0/0 (none declared)\n");
}

// A limit with only `suppress` has one item, at_limit, reached by its
// strike_limit block; no warning or strike item (nothing could show them).
TEST(PolicyCoverageTest, AStrikeLimitIsAtItsLimitWhenItsHoldBlocks) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    name: "holds"
    version: "1"
    currency: "USD"
    entitlements { tier: "standard" default: true }
    actions { id: "credit" title: "Credit" }
    rules {
      id: "credit_always"
      recommend { action: "credit" }
    }
    strike_limits {
      id: "abuse"
      counts: "e.kind == \"abuse\""
      window: "30d"
      limit: 1
      suppress: "credit"
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  auto report = [&](const std::string& history) {
    absl::StatusOr<v1::Context> context = ContextFromJson(
        absl::StrCat(R"({"now":"2026-03-10T12:00:00Z","customer":{"id":"c"},)",
                     R"("case":{"id":"k"},"history":[)", history, "]}"));
    EXPECT_TRUE(context.ok()) << context.status();
    PolicyCoverage coverage(*engine);
    DecideOptions options;
    options.trace = true;
    EXPECT_TRUE(
        coverage.Add(::tact::testing::MustDecide(*engine, *context, options))
            .ok());
    return Category(coverage.Report(), CoverageCategory::kStrikeLimits);
  };
  const CategoryCoverage below = report("");
  EXPECT_THAT(Labels(below.not_reached),
              ElementsAre("strike_limit \"abuse\" at_limit"));
  EXPECT_THAT(below.reached, IsEmpty());
  const CategoryCoverage at =
      report(R"({"at":"2026-03-01T12:00:00Z","kind":"abuse"})");
  EXPECT_THAT(Labels(at.reached),
              ElementsAre("strike_limit \"abuse\" at_limit"));
  EXPECT_THAT(at.not_reached, IsEmpty());
}

TEST_F(CoverageTest, ADecisionOfAnotherPolicyIsRefusedAndNotCounted) {
  std::unique_ptr<const Engine> other =
      MustCompile(std::string(kPolicy).replace(
          std::string(kPolicy).find("version: \"1\""), 12, "version: \"2\""));
  ASSERT_NE(other, nullptr);
  absl::StatusOr<v1::Context> context = ContextFromJson(Cases()["reply"]);
  ASSERT_TRUE(context.ok());
  PolicyCoverage coverage(*engine_);
  absl::Status status =
      coverage.Add(::tact::testing::MustDecide(*other, *context, Traced()));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("coverage of policy \"cov\" version \"1\""));
  EXPECT_THAT(status.message(),
              HasSubstr("the decision is of another policy, \"cov\" version "
                        "\"2\""));
  EXPECT_EQ(coverage.Report().decisions, 0);
  EXPECT_EQ(coverage.Report().reached_count, 0);
  EXPECT_TRUE(coverage.Add(Decide(Cases()["reply"], Traced())).ok());
  EXPECT_EQ(coverage.Report().decisions, 1);
}

// A report of `reached` out of `total` items.
CoverageReport Covering(int64_t reached, int64_t total) {
  CoverageReport report;
  report.reached_count = reached;
  report.total = total;
  return report;
}

TEST(MeetsCoverageTest, ExactlyTheThresholdPasses) {
  EXPECT_TRUE(MeetsCoverage(Covering(3, 4), 75));
  EXPECT_TRUE(MeetsCoverage(Covering(3, 4), 74.9));
  EXPECT_FALSE(MeetsCoverage(Covering(3, 4), 75.1));
  // 12/14 is 85.714%: 85.7 passes, 85.8 does not.
  EXPECT_TRUE(MeetsCoverage(Covering(12, 14), 85.7));
  EXPECT_FALSE(MeetsCoverage(Covering(12, 14), 85.8));
  EXPECT_TRUE(MeetsCoverage(Covering(14, 14), 100));
  EXPECT_FALSE(MeetsCoverage(Covering(13, 14), 100));
  EXPECT_FALSE(MeetsCoverage(Covering(999, 1000), 100));
  EXPECT_TRUE(MeetsCoverage(Covering(0, 14), 0));
  EXPECT_TRUE(MeetsCoverage(Covering(0, 0), 100));
  EXPECT_FALSE(MeetsCoverage(Covering(14, 14), std::nan("")));
}

TEST(ParseCoveragePercentTest, ReadsAPercentageWithAtMostOneDecimal) {
  EXPECT_EQ(*ParseCoveragePercent("85"), 85);
  EXPECT_EQ(*ParseCoveragePercent("85.5"), 85.5);
  EXPECT_EQ(*ParseCoveragePercent("85.5%"), 85.5);
  EXPECT_EQ(*ParseCoveragePercent("0"), 0);
  EXPECT_EQ(*ParseCoveragePercent("100"), 100);
  EXPECT_EQ(*ParseCoveragePercent("100.0"), 100);
  for (const char* bad : {"", "%", "abc", "-1", "100.1", "101", "85.55", ".5",
                          "5.", "1e2", "8 5", "nan", "85.5%%"}) {
    absl::StatusOr<double> parsed = ParseCoveragePercent(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_THAT(ParseCoveragePercent("85.55").status().message(),
              HasSubstr("coverage threshold \"85.55\": expected a percentage "
                        "from 0 to 100"));
}

TEST(CoverageCategoryTest, NamesAreStable) {
  EXPECT_EQ(Name(CoverageCategory::kRules), "rules");
  EXPECT_EQ(Name(CoverageCategory::kRungs), "rungs");
  EXPECT_EQ(Name(CoverageCategory::kStrikeLimits), "strike_limits");
  EXPECT_EQ(Name(CoverageCategory::kPlaybooks), "playbooks");
  EXPECT_EQ(Name(CoverageCategory::kBudgets), "budgets");
  EXPECT_EQ(Name(CoverageCategory::kServiceLevels), "service_levels");
}

// Each threshold that applies to a target is an item, reached by the
// sla_threshold effect of that target at that percent.
TEST(PolicyCoverageTest, ServiceLevelThresholdsAreReachedByTheirEffects) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    name: "sla"
    version: "1"
    actions { id: "remind" }
    actions { id: "escalate" }
    entitlements {
      tier: "standard"
      default: true
      sla { target: "first_reply" within: "4h" }
      sla { target: "resolution" within: "2d" }
    }
    service_levels {
      targets { id: "first_reply" measure: FIRST_REPLY }
      targets { id: "resolution" measure: RESOLUTION }
      thresholds {
        percent: 100
        recommend { action: "escalate" }
      }
      thresholds {
        percent: 75
        targets: "first_reply"
        recommend { action: "remind" }
      }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  PolicyCoverage coverage(*engine);
  const CoverageReport none = coverage.Report();
  const CategoryCoverage& declared =
      Category(none, CoverageCategory::kServiceLevels);
  EXPECT_THAT(Labels(declared.not_reached),
              ElementsAre("service_level \"first_reply\" at 75%",
                          "service_level \"first_reply\" at 100%",
                          "service_level \"resolution\" at 100%"));
  // Decisions showing the effects (as the construct records them): the
  // first reply at 75% twice, the resolution at 100%; an effect of another
  // kind or of a threshold that does not apply reaches nothing.
  auto decision = [&](absl::string_view kind, absl::string_view ref,
                      int64_t step) {
    v1::Decision d;
    d.set_policy_hash(engine->policy_hash());
    v1::Effect* e = d.add_effects();
    e->set_kind(std::string(kind));
    e->set_ref(std::string(ref));
    e->set_step(step);
    return d;
  };
  ASSERT_TRUE(coverage.Add(decision("sla_threshold", "first_reply", 75)).ok());
  ASSERT_TRUE(coverage.Add(decision("sla_threshold", "first_reply", 75)).ok());
  ASSERT_TRUE(coverage.Add(decision("sla_threshold", "resolution", 75)).ok());
  ASSERT_TRUE(coverage.Add(decision("rung_offered", "resolution", 100)).ok());
  ASSERT_TRUE(coverage.Add(decision("sla_threshold", "resolution", 100)).ok());
  const CoverageReport report = coverage.Report();
  const CategoryCoverage& sla =
      Category(report, CoverageCategory::kServiceLevels);
  EXPECT_THAT(Labels(sla.reached),
              ElementsAre("service_level \"first_reply\" at 75%",
                          "service_level \"resolution\" at 100%"));
  EXPECT_EQ(sla.reached[0].decisions, 2);
  EXPECT_EQ(sla.reached[0].step, 75);
  EXPECT_EQ(sla.reached[0].outcome, "threshold");
  EXPECT_THAT(Labels(sla.not_reached),
              ElementsAre("service_level \"first_reply\" at 100%"));
  EXPECT_THAT(FormatCoverage(report),
              HasSubstr("service_levels 2/3 (66.6%)\n"
                        "  never reached: service_level \"first_reply\" at "
                        "100%\n"));
}

}  // namespace
}  // namespace tact
