// The cost of service (issue 15, seeds 000 and 001): actions declare a cost,
// decisions carry it with a total and a service_cost effect per costed
// recommended action (not emitted twice when the case is decided again at
// the same now), and serviceCost() reads the cost already spent.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::Ids;
using ::tact::testing::MustCompile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// 2026-01-05T10:00:00Z, a Monday.
constexpr int64_t kNow = 1767607200;
constexpr int64_t kDay = 86400;

std::vector<std::string> Errors(absl::string_view text) {
  CompileResult r =
      Engine::CompileText(text, PolicyFormat::kText, "p.textproto");
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) out.push_back(d.ToString());
  }
  return out;
}

v1::Context Context(absl::string_view extra, int64_t now = kNow) {
  v1::Context context;
  std::string text = absl::StrCat("now { seconds: ", now, " } ", extra);
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

v1::Decision MustDecide(const Engine& engine, const v1::Context& context,
                        const DecideOptions& options = {}) {
  absl::StatusOr<v1::Decision> d = engine.Decide(context, options);
  EXPECT_THAT(d, testing::IsOk());
  return d.ok() ? *d : v1::Decision();
}

std::vector<std::string> Effects(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& e : d.effects()) {
    out.push_back(
        absl::StrCat(e.kind(), ":", e.ref(), ":", e.amount(), ":", e.step()));
  }
  return out;
}

// What a host does: appends each effect to the history it sends next time.
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

// --- Compile errors ---------------------------------------------------------

TEST(ServiceCostCompileTest, NegativeAmountIsAnErrorAtItsPosition) {
  EXPECT_THAT(
      Errors("agent_minute_rate: 50\n"
             "actions {\n"
             "  id: \"a\"\n"
             "  cost { amount: -5 }\n"
             "}\n"),
      ElementsAre(AllOf(HasSubstr("p.textproto:4:"), HasSubstr("action \"a\""),
                        HasSubstr("cost amount -5 is negative"))));
}

TEST(ServiceCostCompileTest, NegativeAgentMinutesIsAnError) {
  EXPECT_THAT(Errors("agent_minute_rate: 50\n"
                     "actions { id: \"a\" cost { agent_minutes: -1 } }\n"),
              ElementsAre(AllOf(HasSubstr("p.textproto:2:"),
                                HasSubstr("agent_minutes -1 is negative"))));
}

TEST(ServiceCostCompileTest, AgentMinutesNeedARate) {
  EXPECT_THAT(Errors("actions { id: \"a\" cost { agent_minutes: 15 } }\n"),
              ElementsAre(HasSubstr("agent minutes need the policy's "
                                    "agent_minute_rate")));
  // A fixed amount alone needs no rate.
  EXPECT_THAT(Errors("actions { id: \"a\" cost { amount: 250 } }\n"),
              IsEmpty());
}

TEST(ServiceCostCompileTest, NegativeRateIsAnError) {
  EXPECT_THAT(Errors("agent_minute_rate: -75\n"
                     "actions { id: \"a\" cost { agent_minutes: 15 } }\n"),
              ElementsAre(AllOf(HasSubstr("p.textproto:1:"),
                                HasSubstr("agent_minute_rate -75 is "
                                          "negative"))));
}

TEST(ServiceCostCompileTest, OverflowOfMinutesTimesRateIsAnError) {
  // 2^62 minutes at 2 overflows; at 1, plus an amount that fits, it does
  // not, but one more minor unit does.
  EXPECT_THAT(
      Errors("agent_minute_rate: 2\n"
             "actions { id: \"a\" cost { agent_minutes: 4611686018427387904 "
             "} }\n"),
      ElementsAre(
          AllOf(HasSubstr("p.textproto:2:"), HasSubstr("the cost overflows"))));
  EXPECT_THAT(
      Errors("agent_minute_rate: 1\n"
             "actions { id: \"a\" cost { agent_minutes: 4611686018427387904 "
             "amount: 4611686018427387903 } }\n"),
      IsEmpty());
  EXPECT_THAT(
      Errors("agent_minute_rate: 1\n"
             "actions { id: \"a\" cost { agent_minutes: 4611686018427387904 "
             "amount: 4611686018427387904 } }\n"),
      ElementsAre(HasSubstr("the cost overflows")));
}

TEST(ServiceCostCompileTest, ServiceCostTakesADurationAndIsAnInt) {
  EXPECT_THAT(
      Errors("actions { id: \"a\" }\n"
             "rules { id: \"r\" when: \"serviceCost(90) > 0\" recommend { "
             "action: \"a\" } }\n"),
      ElementsAre(AllOf(HasSubstr("p.textproto:2:"),
                        HasSubstr("serviceCost() applies to duration, got "
                                  "int"))));
  EXPECT_THAT(Errors("actions { id: \"a\" }\n"
                     "rules { id: \"r\" when: \"serviceCost(duration('1d')) "
                     "== 'x'\" recommend { action: \"a\" } }\n"),
              ElementsAre(HasSubstr("p.textproto:2:")));
}

// --- Decisions --------------------------------------------------------------

constexpr char kPolicy[] = R"pb(
  name: "costs"
  currency: "USD"
  authorities: "bot"
  authorities: "agent"
  agent_minute_rate: 75
  actions {
    id: "callback"
    cost { agent_minutes: 15 }
  }
  actions {
    id: "note"
    cost { amount: 250 agent_minutes: 10 }
  }
  actions { id: "reply" }
  actions {
    id: "review"
    authority: "agent"
    cost { agent_minutes: 45 }
  }
  rules {
    id: "serve"
    recommend { action: "callback" }
    recommend { action: "note" }
    recommend { action: "reply" }
    recommend { action: "review" }
  }
)pb";

TEST(ServiceCostDecisionTest, EachActionCarriesItsCostAndTheDecisionTheTotal) {
  std::unique_ptr<const Engine> engine = MustCompile(kPolicy);
  ASSERT_NE(engine, nullptr);
  DecideOptions as_bot;
  as_bot.authority = "bot";
  v1::Decision d = MustDecide(
      *engine, Context("case { id: \"c1\" } customer { id: \"u1\" }"), as_bot);
  ASSERT_THAT(Ids(d), ElementsAre("callback", "note", "reply"));
  EXPECT_EQ(d.actions(0).cost(), 15 * 75);
  EXPECT_EQ(d.actions(0).agent_minutes(), 15);
  EXPECT_EQ(d.actions(1).cost(), 250 + 10 * 75);
  EXPECT_EQ(d.actions(1).agent_minutes(), 10);
  EXPECT_EQ(d.actions(2).cost(), 0);
  // Needing approval, the review carries its cost but is not in the total:
  // nobody takes it yet.
  ASSERT_EQ(d.needs_approval_size(), 1);
  EXPECT_EQ(d.needs_approval(0).cost(), 45 * 75);
  EXPECT_EQ(d.total_cost(), 15 * 75 + 250 + 10 * 75);
  EXPECT_EQ(d.total_agent_minutes(), 25);
  EXPECT_THAT(Effects(d), ElementsAre("service_cost:callback:1125:15",
                                      "service_cost:note:1000:10"));
  for (const v1::Effect& e : d.effects()) {
    EXPECT_EQ(e.case_id(), "c1");
    EXPECT_EQ(e.at().seconds(), kNow);
  }
}

TEST(ServiceCostDecisionTest, APolicyWithoutCostsHasNoTotalAndNoEffect) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    actions { id: "reply" }
    rules {
      id: "r"
      recommend { action: "reply" }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  v1::Decision d = MustDecide(*engine, Context("case { id: \"c1\" }"));
  EXPECT_EQ(d.total_cost(), 0);
  EXPECT_EQ(d.actions(0).cost(), 0);
  EXPECT_THAT(d.effects(), IsEmpty());
}

TEST(ServiceCostDecisionTest,
     DecidedAgainAtTheSameNowTheCostIsNotEmittedTwice) {
  std::unique_ptr<const Engine> engine = MustCompile(kPolicy);
  ASSERT_NE(engine, nullptr);
  v1::Context context = Context("case { id: \"c1\" } customer { id: \"u1\" }");
  v1::Decision first = MustDecide(*engine, context);
  ASSERT_THAT(Effects(first), ElementsAre("service_cost:callback:1125:15",
                                          "service_cost:note:1000:10",
                                          "service_cost:review:3375:45"));
  Record(first, &context);
  v1::Decision again = MustDecide(*engine, context);
  EXPECT_EQ(Ids(again), Ids(first));
  EXPECT_EQ(again.total_cost(), first.total_cost());
  EXPECT_THAT(again.effects(), IsEmpty());

  // Another case of the same customer at the same now is a new service.
  v1::Context other = context;
  other.mutable_case_()->set_id("c2");
  EXPECT_EQ(Effects(MustDecide(*engine, other)), Effects(first));

  // The same case later: the service is given (and costs) again.
  context.mutable_now()->set_seconds(kNow + 60);
  EXPECT_EQ(Effects(MustDecide(*engine, context)), Effects(first));
}

// --- serviceCost() ----------------------------------------------------------

constexpr char kReviewPolicy[] = R"pb(
  agent_minute_rate: 100
  actions {
    id: "callback"
    cost { agent_minutes: 10 }
  }
  actions { id: "review" }
  rules {
    id: "serve"
    recommend { action: "callback" }
  }
  rules {
    id: "costly"
    when: "serviceCost(duration('90d')) * 10 > customer.lifetime_value"
    recommend { action: "review" }
  }
)pb";

std::string CostEvent(int64_t at, int64_t amount, absl::string_view case_id) {
  return absl::StrCat("history { at { seconds: ", at,
                      " } kind: \"service_cost\" ref: \"callback\" amount: ",
                      amount, " case_id: \"", case_id, "\" } ");
}

TEST(ServiceCostExpressionTest, ActsOnBothSidesOfTheThreshold) {
  std::unique_ptr<const Engine> engine = MustCompile(kReviewPolicy);
  ASSERT_NE(engine, nullptr);
  const std::string customer = "customer { lifetime_value: 10000 } ";
  // 1000 spent: exactly a tenth, not more.
  EXPECT_THAT(
      Ids(MustDecide(*engine, Context(absl::StrCat(
                                  customer, "case { id: \"c9\" }",
                                  CostEvent(kNow - kDay, 600, "c1"),
                                  CostEvent(kNow - 2 * kDay, 400, "c2"))))),
      ElementsAre("callback"));
  // 1001 spent: more than a tenth.
  EXPECT_THAT(
      Ids(MustDecide(*engine, Context(absl::StrCat(
                                  customer, "case { id: \"c9\" }",
                                  CostEvent(kNow - kDay, 601, "c1"),
                                  CostEvent(kNow - 2 * kDay, 400, "c2"))))),
      ElementsAre("callback", "review"));
}

TEST(ServiceCostExpressionTest, CountsTheWindowInclusiveAndNothingElse) {
  std::unique_ptr<const Engine> engine = MustCompile(kReviewPolicy);
  ASSERT_NE(engine, nullptr);
  const std::string base =
      "customer { lifetime_value: 10000 } case { id: "
      "\"c9\" }";
  // Exactly 90 days old counts; one second older does not.
  EXPECT_THAT(
      Ids(MustDecide(*engine,
                     Context(absl::StrCat(
                         base, CostEvent(kNow - 90 * kDay, 1001, "c1"))))),
      ElementsAre("callback", "review"));
  EXPECT_THAT(
      Ids(MustDecide(*engine,
                     Context(absl::StrCat(
                         base, CostEvent(kNow - 90 * kDay - 1, 1001, "c1"))))),
      ElementsAre("callback"));
  // After now: not yet spent.
  EXPECT_THAT(
      Ids(MustDecide(*engine, Context(absl::StrCat(
                                  base, CostEvent(kNow + 1, 1001, "c1"))))),
      ElementsAre("callback"));
  // Other kinds and non-positive amounts are not costs.
  EXPECT_THAT(
      Ids(MustDecide(*engine, Context(absl::StrCat(
                                  base, "history { at { seconds: ", kNow - kDay,
                                  " } kind: \"goodwill\" amount: 5000 } ",
                                  CostEvent(kNow - kDay, -5000, "c1"),
                                  CostEvent(kNow - kDay, 1000, "c1"))))),
      ElementsAre("callback"));
}

TEST(ServiceCostExpressionTest, ThisCasesCostsAtNowAreItsOwnDecisions) {
  std::unique_ptr<const Engine> engine = MustCompile(kReviewPolicy);
  ASSERT_NE(engine, nullptr);
  const std::string base =
      "customer { lifetime_value: 10000 } case { id: "
      "\"c9\" }";
  // Recorded at now by this case: this decision's own, not counted.
  EXPECT_THAT(Ids(MustDecide(*engine, Context(absl::StrCat(
                                          base, CostEvent(kNow, 1001, "c9"))))),
              ElementsAre("callback"));
  // By another case at now: spent, counted.
  EXPECT_THAT(Ids(MustDecide(*engine, Context(absl::StrCat(
                                          base, CostEvent(kNow, 1001, "c1"))))),
              ElementsAre("callback", "review"));
}

TEST(ServiceCostExpressionTest, RecordedCostsTipALaterDecision) {
  // lifetime value 5000: a tenth is 500. Each callback costs 1000, so after
  // one recorded callback the next decision (later) reviews the account,
  // while deciding again at the same now does not change the decision.
  std::unique_ptr<const Engine> engine = MustCompile(kReviewPolicy);
  ASSERT_NE(engine, nullptr);
  v1::Context context =
      Context("customer { lifetime_value: 5000 } case { id: \"c1\" }");
  v1::Decision first = MustDecide(*engine, context);
  ASSERT_THAT(Ids(first), ElementsAre("callback"));
  Record(first, &context);
  EXPECT_THAT(Ids(MustDecide(*engine, context)), ElementsAre("callback"));
  context.mutable_now()->set_seconds(kNow + 3600);
  EXPECT_THAT(Ids(MustDecide(*engine, context)),
              ElementsAre("callback", "review"));
}

}  // namespace
}  // namespace tact
