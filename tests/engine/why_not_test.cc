// Engine::WhyNot and ApplyChange: for each status and each construct, the
// change stated and, independently of the `verified` flag, deciding again on
// the changed context recommends the action.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::tact::testing::MustCompile;
using ::tact::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr absl::string_view kActions = R"pb(
  name: "why"
  currency: "USD"
  authorities: "bot"
  authorities: "agent"
  actions { id: "refund" title: "Refund" }
  actions { id: "apologize" title: "Apologize" }
  actions { id: "callback" title: "Call back" authority: "agent" }
  actions {
    id: "credit"
    title: "Credit"
    amount_param: "amount"
    min_amount: 500
    limits { authority: "bot" max_amount: 1000 }
  }
)pb";

std::unique_ptr<const Engine> Policy(absl::string_view rest) {
  return MustCompile(absl::StrCat(kActions, rest));
}

v1::Context Context(absl::string_view text) {
  v1::Context context;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text),
                                                            &context))
      << text;
  return context;
}

constexpr absl::string_view kCustomer = R"pb(
  now { seconds: 1767607200 }
  customer { id: "c1" tier: "standard" spend_12m: 12000 }
  case {
    id: "k1"
    channel: "email"
    opened_at { seconds: 1767520800 }
  }
)pb";

bool Recommends(const v1::Decision& d, absl::string_view action) {
  for (const v1::RecommendedAction& a : d.actions()) {
    if (a.action() == action) return true;
  }
  return false;
}

// The path's changes applied to a copy of `context` and `options`, decided
// again: whether that recommends `action` (checked here, not trusted from
// `verified`).
bool PathRecommends(const Engine& engine, const v1::Context& context,
                    const DecideOptions& options, const v1::WhyNotPath& path,
                    absl::string_view action) {
  v1::Context changed = context;
  DecideOptions changed_options = options;
  for (const v1::ContextChange& change : path.changes()) {
    absl::Status applied = ApplyChange(change, &changed, &changed_options);
    EXPECT_THAT(applied, IsOk()) << change.DebugString();
    if (!applied.ok()) return false;
  }
  absl::StatusOr<v1::Decision> d = engine.Decide(changed, changed_options);
  EXPECT_THAT(d.status(), IsOk());
  return d.ok() && Recommends(*d, action);
}

v1::WhyNot MustWhyNot(const Engine& engine, const v1::Context& context,
                      absl::string_view action,
                      const DecideOptions& options = {}) {
  absl::StatusOr<v1::WhyNot> why = engine.WhyNot(context, action, options);
  EXPECT_THAT(why.status(), IsOk());
  if (!why.ok()) return v1::WhyNot();
  // Every path flagged verified is: deciding again recommends it.
  for (const v1::WhyNotPath& path : why->paths()) {
    if (path.verified()) {
      EXPECT_TRUE(PathRecommends(engine, context, options, path, action))
          << path.DebugString();
    }
  }
  return *std::move(why);
}

TEST(WhyNotTest, RecommendedNeedsNothing) {
  auto engine = Policy(R"pb(
    rules {
      id: "r"
      when: "true"
      recommend { action: "refund" }
    }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "refund");
  EXPECT_EQ(why.action(), "refund");
  EXPECT_EQ(why.status(), "recommended");
  EXPECT_THAT(why.paths(), IsEmpty());
  EXPECT_THAT(why.summary(), HasSubstr("rank 1"));
}

TEST(WhyNotTest, ThresholdOfAComparisonWithAConstant) {
  auto engine = Policy(R"pb(
    rules {
      id: "big-spender"
      when: "customer.spend_12m >= 50000"
      recommend { action: "refund" }
    }
  )pb");
  const v1::Context context = Context(kCustomer);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  EXPECT_EQ(why.status(), "not_proposed");
  ASSERT_EQ(why.paths_size(), 1);
  const v1::WhyNotPath& path = why.paths(0);
  EXPECT_EQ(path.source().source_kind(), "rule");
  EXPECT_EQ(path.source().source_id(), "big-spender");
  ASSERT_EQ(path.changes_size(), 1);
  EXPECT_THAT(path.changes(0).text(),
              StartsWith("customer.spend_12m would have to be at least 50000"));
  EXPECT_EQ(path.changes(0).kind(), "set");
  EXPECT_EQ(path.changes(0).field(), "customer.spend_12m");
  EXPECT_EQ(path.changes(0).value().int_value(), 50000);
  EXPECT_TRUE(path.verified());
  EXPECT_TRUE(PathRecommends(*engine, context, {}, path, "refund"));
}

TEST(WhyNotTest, OneBelowTheThresholdIsStillNotEnough) {
  // The other side of the edge: the threshold stated is the smallest one.
  auto engine = Policy(R"pb(
    rules {
      id: "big-spender"
      when: "customer.spend_12m >= 50000"
      recommend { action: "refund" }
    }
  )pb");
  v1::Context context = Context(kCustomer);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  ASSERT_EQ(why.paths_size(), 1);
  v1::ContextChange below = why.paths(0).changes(0);
  below.mutable_value()->set_int_value(49999);
  ASSERT_THAT(ApplyChange(below, &context, nullptr), IsOk());
  absl::StatusOr<v1::Decision> d = engine->Decide(context);
  ASSERT_THAT(d.status(), IsOk());
  EXPECT_FALSE(Recommends(*d, "refund"));
}

TEST(WhyNotTest, NeedsApprovalNamesTheLowestAuthorityThatMay) {
  auto engine = Policy(R"pb(
    rules {
      id: "r"
      when: "true"
      recommend { action: "callback" }
    }
  )pb");
  DecideOptions options;
  options.authority = "bot";
  const v1::Context context = Context(kCustomer);
  v1::WhyNot why = MustWhyNot(*engine, context, "callback", options);
  EXPECT_EQ(why.status(), "needs_approval");
  ASSERT_EQ(why.paths_size(), 1);
  const v1::WhyNotPath& path = why.paths(0);
  EXPECT_EQ(path.source().source_kind(), "authority");
  EXPECT_EQ(path.source().source_id(), "agent");
  ASSERT_EQ(path.changes_size(), 1);
  EXPECT_EQ(path.changes(0).kind(), "authority");
  EXPECT_EQ(path.changes(0).authority(), "agent");
  EXPECT_THAT(path.changes(0).text(), StartsWith("an agent may approve it"));
  EXPECT_TRUE(path.verified());
  EXPECT_TRUE(PathRecommends(*engine, context, options, path, "callback"));
}

TEST(WhyNotTest, NeedsApprovalForAnAmountAboveTheBotsLimit) {
  auto engine = Policy(R"pb(
    rules {
      id: "r"
      when: "true"
      recommend {
        action: "credit"
        params { key: "amount" value: "2500" }
      }
    }
  )pb");
  DecideOptions options;
  options.authority = "bot";
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "credit", options);
  EXPECT_EQ(why.status(), "needs_approval");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).authority(), "agent");
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, BlockedByAVetoLiftsItsCondition) {
  auto engine = Policy(R"pb(
    rules {
      id: "r"
      when: "true"
      recommend { action: "refund" }
    }
    rules { id: "hold" when: "case.channel == 'email'" veto: "refund" }
  )pb");
  const v1::Context context = Context(kCustomer);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  EXPECT_EQ(why.status(), "blocked");
  EXPECT_THAT(why.summary(), HasSubstr("vetoed"));
  ASSERT_EQ(why.paths_size(), 1);
  const v1::WhyNotPath& path = why.paths(0);
  EXPECT_EQ(path.source().source_id(), "hold");
  ASSERT_EQ(path.changes_size(), 1);
  EXPECT_EQ(path.changes(0).field(), "case.channel");
  EXPECT_TRUE(path.verified());
}

TEST(WhyNotTest, ARuleThatMustFireAndAVetoThatMustLiftAreOnePath) {
  auto engine = Policy(R"pb(
    rules {
      id: "r"
      when: "customer.spend_12m >= 50000"
      recommend { action: "refund" }
    }
    rules { id: "hold" when: "case.channel == 'email'" veto: "refund" }
  )pb");
  const v1::Context context = Context(kCustomer);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  EXPECT_EQ(why.status(), "not_proposed");
  ASSERT_EQ(why.paths_size(), 1);
  const v1::WhyNotPath& path = why.paths(0);
  ASSERT_EQ(path.changes_size(), 2);
  EXPECT_EQ(path.changes(0).field(), "customer.spend_12m");
  EXPECT_EQ(path.changes(1).field(), "case.channel");
  EXPECT_TRUE(path.verified());
  // Neither change alone recommends it.
  for (int k = 0; k < 2; ++k) {
    v1::WhyNotPath one;
    *one.add_changes() = path.changes(k);
    EXPECT_FALSE(PathRecommends(*engine, context, {}, one, "refund"));
  }
}

TEST(WhyNotTest, StoppedByAFinalRuleOfHigherPriority) {
  auto engine = Policy(R"pb(
    rules {
      id: "stop"
      when: "case.channel == 'email'"
      recommend { action: "apologize" }
      priority: 10
      final: true
    }
    rules {
      id: "r"
      when: "true"
      recommend { action: "refund" }
    }
  )pb");
  const v1::Context context = Context(kCustomer);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  EXPECT_EQ(why.status(), "stopped");
  ASSERT_EQ(why.paths_size(), 1);
  const v1::WhyNotPath& path = why.paths(0);
  EXPECT_EQ(path.source().source_id(), "r");
  EXPECT_THAT(path.source().text(),
              HasSubstr("the final rule \"stop\" of higher priority"));
  ASSERT_EQ(path.changes_size(), 1);
  EXPECT_EQ(path.changes(0).field(), "case.channel");
  EXPECT_TRUE(path.verified());
}

TEST(WhyNotTest, ARuleThatHoldsButWhoseParameterErredSaysSo) {
  auto engine = Policy(R"pb(
    attributes { name: "owed" type: INT }
    rules {
      id: "r"
      when: "true"
      recommend {
        action: "credit"
        params { key: "amount" value: "attributes.owed * 100" }
      }
    }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "credit");
  EXPECT_EQ(why.status(), "not_proposed");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).changes(), IsEmpty());
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("it holds, but parameter amount of credit"));
}

TEST(WhyNotTest, APathThatCannotBeStatedIsNotVerifiedAndSaysWhy) {
  auto engine = Policy(R"pb(
    rules {
      id: "angry"
      when: "case.message.matches('(?i)furious')"
      recommend { action: "apologize" }
    }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "apologize");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).changes(), IsEmpty());
  EXPECT_THAT(why.paths(0).source().text(), HasSubstr("regex"));
}

TEST(WhyNotTest, AnActionNothingOffers) {
  auto engine = Policy(R"pb(
    rules {
      id: "r"
      when: "true"
      recommend { action: "apologize" }
    }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "refund");
  EXPECT_EQ(why.status(), "not_proposed");
  EXPECT_THAT(why.paths(), IsEmpty());
  EXPECT_THAT(why.summary(), HasSubstr("no rule or construct of the policy"));
}

TEST(WhyNotTest, UnknownActionIsNotFoundWithTheNearestId) {
  auto engine = Policy("");
  EXPECT_THAT(engine->WhyNot(Context(kCustomer), "refnd").status(),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("no action \"refnd\"; did you mean "
                                 "\"refund\"?")));
  EXPECT_THAT(engine->WhyNot(Context(kCustomer), "zzzzzzzz").status(),
              StatusIs(absl::StatusCode::kNotFound,
                       ::testing::Not(HasSubstr("did you mean"))));
}

TEST(WhyNotTest, AMalformedContextIsTheDecisionsError) {
  auto engine = Policy("");
  v1::Context context = Context(kCustomer);
  context.clear_now();
  EXPECT_THAT(engine->WhyNot(context, "refund").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("now")));
}

constexpr absl::string_view kStrikes = R"pb(
  rules {
    id: "r"
    when: "true"
    recommend { action: "refund" }
  }
  strike_limits {
    id: "wasting"
    counts: "e.kind == 'time_wasting'"
    window: "90d"
    limit: 3
    warning { action: "apologize" }
    at_limit { action: "callback" }
    suppress: "refund"
  }
)pb";

// `n` time-wasting events, a day apart, the newest a day before now.
v1::Context WithStrikes(int n) {
  v1::Context context = Context(kCustomer);
  for (int k = 1; k <= n; ++k) {
    v1::Event* e = context.add_history();
    e->set_kind("time_wasting");
    e->mutable_at()->set_seconds(context.now().seconds() - k * 86400);
  }
  return context;
}

TEST(WhyNotTest, BlockedAtAStrikeLimitNeedsOneStrikeFewer) {
  auto engine = Policy(kStrikes);
  const v1::Context context = WithStrikes(3);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  EXPECT_EQ(why.status(), "blocked");
  ASSERT_EQ(why.paths_size(), 1);
  const v1::WhyNotPath& path = why.paths(0);
  EXPECT_EQ(path.source().source_kind(), "strike_limit");
  ASSERT_EQ(path.changes_size(), 1);
  EXPECT_EQ(path.changes(0).kind(), "remove_events");
  EXPECT_EQ(path.changes(0).event_kind(), "time_wasting");
  EXPECT_EQ(path.changes(0).count(), 1);
  EXPECT_THAT(path.changes(0).text(), StartsWith("one strike fewer"));
  EXPECT_TRUE(path.verified());
}

TEST(WhyNotTest, OverTheStrikeLimitNeedsAsManyFewer) {
  auto engine = Policy(kStrikes);
  v1::WhyNot why = MustWhyNot(*engine, WithStrikes(5), "refund");
  ASSERT_EQ(why.paths_size(), 1);
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).count(), 3);
  EXPECT_THAT(why.paths(0).changes(0).text(), StartsWith("3 strikes fewer"));
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, AStrikeWarningAboveItsCountNeedsStrikesRemoved) {
  auto engine = Policy(kStrikes);
  v1::WhyNot why = MustWhyNot(*engine, WithStrikes(4), "apologize");
  EXPECT_EQ(why.status(), "not_proposed");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).source().source_kind(), "strike_limit");
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).count(), 2);
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, AtLimitActionsBelowTheLimitSayHowManyMoreStrikes) {
  auto engine = Policy(kStrikes);
  v1::WhyNot why = MustWhyNot(*engine, WithStrikes(1), "callback");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).changes(), IsEmpty());
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("2 strikes more in the window would offer it"));
}

TEST(WhyNotTest, ThisCaseAsTheLastStrikeIsAChange) {
  auto engine = Policy(R"pb(
    strike_limits {
      id: "wasting"
      counts: "e.kind == 'time_wasting'"
      window: "90d"
      limit: 3
      current_is_strike: "case.category == 'time_wasting'"
      at_limit { action: "callback" }
    }
  )pb");
  const v1::Context context = WithStrikes(2);
  v1::WhyNot why = MustWhyNot(*engine, context, "callback");
  ASSERT_EQ(why.paths_size(), 1);
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).field(), "case.category");
  EXPECT_TRUE(why.paths(0).verified());
}

constexpr absl::string_view kBudget = R"pb(
  rules {
    id: "r"
    when: "true"
    recommend {
      action: "credit"
      params { key: "amount" value: "800" }
    }
  }
  budgets { id: "goodwill" period: ROLLING window: "30d" per_window: "2000" }
)pb";

TEST(WhyNotTest, BlockedByTheBudgetNeedsThatMuchMoreLeft) {
  auto engine = Policy(kBudget);
  v1::Context context = Context(kCustomer);
  // 1750 of 2000 granted: 250 left, below the 500 minimum.
  for (int64_t amount : {1000, 750}) {
    v1::Event* e = context.add_history();
    e->set_kind("goodwill");
    e->set_ref("goodwill");
    e->set_amount(amount);
    e->mutable_at()->set_seconds(context.now().seconds() - 86400);
  }
  v1::WhyNot why = MustWhyNot(*engine, context, "credit");
  EXPECT_EQ(why.status(), "blocked");
  ASSERT_EQ(why.paths_size(), 1);
  const v1::WhyNotPath& path = why.paths(0);
  EXPECT_EQ(path.source().source_kind(), "budget");
  ASSERT_EQ(path.changes_size(), 1);
  EXPECT_EQ(path.changes(0).kind(), "remove_events");
  EXPECT_EQ(path.changes(0).event_kind(), "goodwill");
  EXPECT_EQ(path.changes(0).amount(), 250);
  EXPECT_THAT(path.changes(0).text(),
              StartsWith("2.50 USD more left in the goodwill budget"));
  EXPECT_TRUE(path.verified());
}

constexpr absl::string_view kContract = R"pb(
  actions { id: "phone" title: "Phone" requires: "phone" }
  actions { id: "fax" title: "Fax" requires: "fax" }
  entitlements { tier: "standard" includes: "email" default: true }
  entitlements { tier: "premium" includes: "email" includes: "phone" }
  entitlements { tier: "enterprise" includes: "phone" includes: "fax" }
  beyond_contract { mode: SUPPRESS }
  rules {
    id: "r"
    when: "true"
    recommend { action: "phone" }
    recommend { action: "fax" }
  }
)pb";

TEST(WhyNotTest, BeyondTheContractNeedsTheFirstTierThatIncludesIt) {
  auto engine = Policy(kContract);
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "phone");
  EXPECT_EQ(why.status(), "blocked");
  ASSERT_EQ(why.paths_size(), 1);
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  const v1::ContextChange& change = why.paths(0).changes(0);
  EXPECT_EQ(change.field(), "customer.tier");
  EXPECT_EQ(change.value().string_value(), "premium");
  EXPECT_THAT(change.text(), StartsWith("customer.tier would have to be "
                                        "\"premium\""));
  EXPECT_TRUE(why.paths(0).verified());

  v1::WhyNot fax = MustWhyNot(*engine, Context(kCustomer), "fax");
  ASSERT_EQ(fax.paths_size(), 1);
  EXPECT_EQ(fax.paths(0).changes(0).value().string_value(), "enterprise");
  EXPECT_TRUE(fax.paths(0).verified());
}

constexpr absl::string_view kLadder = R"pb(
  ladders {
    id: "unhappy"
    when: "case.sentiment < 0.0"
    rungs { action { action: "apologize" } }
    rungs {
      action { action: "refund" }
      min_wait: "24h"
    }
    rungs {
      action { action: "callback" }
      entry: "case.severity == 'critical'"
    }
  }
)pb";

v1::Context Unhappy(int rung, int64_t hours_ago) {
  v1::Context context = Context(kCustomer);
  context.mutable_case_()->set_sentiment(-0.5);
  if (rung > 0) {
    v1::Event* e = context.add_history();
    e->set_kind("rung_offered");
    e->set_ref("unhappy");
    e->set_step(rung);
    e->set_case_id("k1");
    e->mutable_at()->set_seconds(context.now().seconds() - hours_ago * 3600);
  }
  return context;
}

TEST(WhyNotTest, ALadderRungNotYetDueWaitsUntilItIs) {
  auto engine = Policy(kLadder);
  const v1::Context context = Unhappy(1, 2);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  EXPECT_EQ(why.status(), "blocked");
  ASSERT_EQ(why.paths_size(), 1);
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  const v1::ContextChange& change = why.paths(0).changes(0);
  EXPECT_EQ(change.kind(), "set");
  EXPECT_EQ(change.field(), "now");
  EXPECT_EQ(change.value().timestamp_value().seconds(),
            context.now().seconds() + 22 * 3600);
  EXPECT_THAT(change.text(),
              StartsWith("now would have to be at least 2026-01-06T08:00:00Z"));
  EXPECT_TRUE(why.paths(0).verified());
}

// Hosts record `at = now`, fractions of a second included: the rung falls
// due at the same fraction, and the stated `now` is exact, so deciding at it
// offers the rung.
TEST(WhyNotTest, ARungDueAtAFractionOfASecondIsStatedExactly) {
  auto engine = Policy(kLadder);
  v1::Context context = Unhappy(1, 2);
  context.mutable_history(0)->mutable_at()->set_nanos(500'000'000);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  ASSERT_EQ(why.paths_size(), 1);
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  const google::protobuf::Timestamp& at =
      why.paths(0).changes(0).value().timestamp_value();
  EXPECT_EQ(at.seconds(), context.now().seconds() + 22 * 3600);
  EXPECT_EQ(at.nanos(), 500'000'000);
  EXPECT_TRUE(why.paths(0).verified());
}

// A definition used twice under `||`, 40 levels deep, offers 2^40
// alternatives: the search for a change stops after a bounded number and
// says so, instead of running for days.
TEST(WhyNotTest, AConditionWithExponentiallyManyAlternativesIsBounded) {
  // d0 is a regex: no change can be stated, so every alternative fails and
  // an unbounded search would visit all 2^40.
  std::string rest = R"pb(definitions {
                            name: "d0"
                            expr: "case.message.matches('refund')"
                          })pb";
  for (int k = 1; k <= 40; ++k) {
    absl::StrAppend(&rest, "definitions { name: \"d", k, "\" expr: \"d", k - 1,
                    " || d", k - 1, "\" }\n");
  }
  absl::StrAppend(&rest, R"pb(rules {
                                id: "deep"
                                when: "d40"
                                recommend { action: "refund" }
                              })pb");
  auto engine = Policy(rest);
  ASSERT_NE(engine, nullptr);
  const absl::Time start = absl::Now();
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "refund");
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
  EXPECT_EQ(why.status(), "not_proposed");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).changes(), IsEmpty());
}

TEST(WhyNotTest, ALadderThatDoesNotApplyNeedsItsCondition) {
  auto engine = Policy(kLadder);
  const v1::Context context = Context(kCustomer);
  v1::WhyNot why = MustWhyNot(*engine, context, "apologize");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).source().source_kind(), "ladder");
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).field(), "case.sentiment");
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, AHigherRungWithAnEntryNeedsItsEntry) {
  auto engine = Policy(kLadder);
  v1::WhyNot why = MustWhyNot(*engine, Unhappy(0, 0), "callback");
  ASSERT_EQ(why.paths_size(), 1);
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).field(), "case.severity");
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, AHigherRungWithoutAnEntryCannotBeReachedByAChange) {
  auto engine = Policy(kLadder);
  v1::WhyNot why = MustWhyNot(*engine, Unhappy(0, 0), "refund");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("offered only after rung 1"));
}

TEST(WhyNotTest, ARungAlreadyOfferedNeedsTheLadderBackBelowIt) {
  auto engine = Policy(kLadder);
  v1::WhyNot why = MustWhyNot(*engine, Unhappy(1, 30), "apologize");
  ASSERT_EQ(why.paths_size(), 1);
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).kind(), "remove_events");
  EXPECT_EQ(why.paths(0).changes(0).event_kind(), "rung_offered");
  EXPECT_EQ(why.paths(0).changes(0).event_ref(), "unhappy");
  EXPECT_EQ(why.paths(0).changes(0).count(), 1);
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, APlaybookStepNeedsItsTrigger) {
  auto engine = Policy(R"pb(
    playbooks { id: "recovery" when: "case.our_fault" apology: "apologize" }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "apologize");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).source().source_kind(), "playbook");
  EXPECT_THAT(why.paths(0).source().text(), HasSubstr("apology step"));
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).field(), "case.our_fault");
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, AnActionsOwnWhenIsAChangeWhenTheRuleHolds) {
  auto engine = Policy(R"pb(
    rules {
      id: "r"
      when: "true"
      recommend { action: "refund" when: "case.severity == 'high'" }
    }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "refund");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("it holds, but the action's own `when` does not"));
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).field(), "case.severity");
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, NoTierIncludesEverythingItRequires) {
  // Each feature is in some contract, but no contract has both.
  auto engine = Policy(R"pb(
    actions { id: "fax" title: "Fax" requires: "fax" requires: "phone" }
    entitlements { tier: "standard" includes: "email" default: true }
    entitlements { tier: "premium" includes: "phone" }
    entitlements { tier: "enterprise" includes: "fax" }
    beyond_contract { mode: SUPPRESS }
    rules {
      id: "r"
      when: "true"
      recommend { action: "fax" }
    }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "fax");
  EXPECT_EQ(why.status(), "blocked");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).changes(), IsEmpty());
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("no tier's contract includes fax, phone"));
}

TEST(WhyNotTest, ALadderStoppedByAFinalRuleIsStopped) {
  auto engine = Policy(absl::StrCat(kLadder, R"pb(
    rules {
      id: "stop"
      when: "case.channel == 'email'"
      recommend { action: "callback" }
      priority: 10
      final: true
    }
  )pb"));
  v1::WhyNot why = MustWhyNot(*engine, Unhappy(0, 0), "apologize");
  EXPECT_EQ(why.status(), "stopped");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("the final rule \"stop\" of higher priority"));
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).field(), "case.channel");
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, ALaddersExhaustedOutcomeBeforeItsTopCannotBeStated) {
  auto engine = Policy(R"pb(
    ladders {
      id: "unhappy"
      when: "true"
      rungs { action { action: "apologize" } }
      exhausted { action: "callback" }
    }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "callback");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("once every rung has been offered"));
}

TEST(WhyNotTest, ABudgetAlternativeCannotBeStated) {
  auto engine = Policy(R"pb(
    actions {
      id: "gift"
      title: "Gift"
      amount_param: "amount"
      alternative: "apologize"
    }
    budgets { id: "goodwill" period: ROLLING window: "30d" per_window: "0" }
  )pb");
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "apologize");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).source().source_kind(), "budget");
  EXPECT_THAT(why.paths(0).source().text(), HasSubstr("instead of \"gift\""));
  EXPECT_FALSE(why.paths(0).verified());
}

TEST(WhyNotTest, TenThousandRulesOfferingTheActionStayBounded) {
  std::string rules;
  for (int r = 0; r < 10000; ++r) {
    absl::StrAppend(&rules, "rules { id: \"r", r,
                    "\" when: \"customer.spend_12m >= ", 50000 + r,
                    "\" recommend { action: \"refund\" } }\n");
  }
  auto engine = Policy(rules);
  ASSERT_NE(engine, nullptr);
  v1::WhyNot why = MustWhyNot(*engine, Context(kCustomer), "refund");
  EXPECT_EQ(why.paths_size(), 64);
  EXPECT_THAT(why.summary(),
              HasSubstr("9936 more rules and constructs offer it; only the "
                        "first 64 are examined"));
  for (const v1::WhyNotPath& path : why.paths()) {
    EXPECT_TRUE(path.verified());
  }
}

TEST(WhyNotTest, ADeadlineAlreadyPassedStopsIt) {
  auto engine = Policy(R"pb(
    rules {
      id: "r"
      when: "customer.spend_12m >= 50000"
      recommend { action: "refund" }
    }
  )pb");
  DecideOptions options;
  options.deadline = absl::InfinitePast();
  EXPECT_THAT(engine->WhyNot(Context(kCustomer), "refund", options).status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded, ::testing::_));
}

// The shipped policies.

TEST(WhyNotTest, SupportPolicyPublicReplyForAConnectorInPublic) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromFile("examples/policies/support.textproto");
  ASSERT_THAT(engine.status(), IsOk());
  absl::StatusOr<v1::Context> context =
      ContextFromFile("examples/contexts/late_delivery_vip.json");
  ASSERT_THAT(context.status(), IsOk());
  v1::WhyNot why = MustWhyNot(**engine, *context, "public_reply");
  EXPECT_EQ(why.status(), "not_proposed");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).source().source_id(), "connector-public-complaint");
  ASSERT_EQ(why.paths(0).changes_size(), 2);
  EXPECT_THAT(why.paths(0).changes(0).text(),
              StartsWith("customer.influence would have to be at least 0.7"));
  EXPECT_THAT(why.paths(0).changes(1).text(),
              StartsWith("case.channel would have to be \"social\""));
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, ServicePlaybookStrikeWarningAfterOneStrikeFewer) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromFile("examples/policies/service_playbook.textproto");
  ASSERT_THAT(engine.status(), IsOk());
  absl::StatusOr<v1::Context> context =
      ContextFromFile("examples/contexts/playbook_three_strikes.json");
  ASSERT_THAT(context.status(), IsOk());
  v1::WhyNot why = MustWhyNot(**engine, *context, "three_strikes_warning");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).source().source_kind(), "strike_limit");
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_THAT(why.paths(0).changes(0).text(),
              StartsWith("one strike fewer in the window"));
  EXPECT_TRUE(why.paths(0).verified());
}

TEST(WhyNotTest, ServicePlaybookCreditForABotNeedsAnAgentToo) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromFile("examples/policies/service_playbook.textproto");
  ASSERT_THAT(engine.status(), IsOk());
  absl::StatusOr<v1::Context> context =
      ContextFromFile("examples/contexts/playbook_three_strikes.json");
  ASSERT_THAT(context.status(), IsOk());
  DecideOptions options;
  options.authority = "bot";
  v1::WhyNot why = MustWhyNot(**engine, *context, "goodwill_credit", options);
  ASSERT_EQ(why.paths_size(), 1);
  const v1::WhyNotPath& path = why.paths(0);
  EXPECT_EQ(path.source().source_kind(), "ladder");
  ASSERT_GE(path.changes_size(), 2);
  EXPECT_EQ(path.changes(path.changes_size() - 1).kind(), "authority");
  EXPECT_EQ(path.changes(path.changes_size() - 1).authority(), "agent");
  EXPECT_TRUE(path.verified());
}

// ApplyChange.

TEST(ApplyChangeTest, SetsAndClearsAField) {
  v1::Context context = Context(kCustomer);
  v1::ContextChange set;
  set.set_kind("set");
  set.set_field("customer.spend_12m");
  set.mutable_value()->set_int_value(50000);
  ASSERT_THAT(ApplyChange(set, &context, nullptr), IsOk());
  EXPECT_EQ(context.customer().spend_12m(), 50000);
  v1::ContextChange clear;
  clear.set_kind("clear");
  clear.set_field("customer.tier");
  ASSERT_THAT(ApplyChange(clear, &context, nullptr), IsOk());
  EXPECT_EQ(context.customer().tier(), "");
}

TEST(ApplyChangeTest, UnknownFieldIsInvalidArgumentNamingIt) {
  v1::Context context = Context(kCustomer);
  v1::ContextChange set;
  set.set_kind("set");
  set.set_field("customer.teir");
  set.mutable_value()->set_string_value("gold");
  EXPECT_THAT(
      ApplyChange(set, &context, nullptr),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("customer.teir")));
}

TEST(ApplyChangeTest, UnknownKindIsInvalidArgumentNamingIt) {
  v1::Context context = Context(kCustomer);
  v1::ContextChange change;
  change.set_kind("add_events");
  EXPECT_THAT(ApplyChange(change, &context, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown change kind \"add_events\"")));
}

TEST(ApplyChangeTest, AuthorityChangesTheOptions) {
  v1::Context context = Context(kCustomer);
  v1::ContextChange change;
  change.set_kind("authority");
  change.set_authority("agent");
  DecideOptions options;
  options.authority = "bot";
  ASSERT_THAT(ApplyChange(change, &context, &options), IsOk());
  EXPECT_EQ(options.authority, "agent");
  EXPECT_THAT(
      ApplyChange(change, &context, nullptr),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("DecideOptions")));
}

TEST(ApplyChangeTest, RemoveEventsTakesTheNewestUntilCountAndAmount) {
  v1::Context context = Context(kCustomer);
  // Oldest first in time, listed out of order; one after now, one of
  // another kind.
  struct E {
    const char* kind;
    int64_t hours_ago;
    int64_t amount;
  };
  for (const E& e :
       {E{"goodwill", 5, 100}, E{"goodwill", 1, 200}, E{"other", 0, 999},
        E{"goodwill", -3, 400}, E{"goodwill", 3, 300}}) {
    v1::Event* event = context.add_history();
    event->set_kind(e.kind);
    event->set_amount(e.amount);
    event->mutable_at()->set_seconds(context.now().seconds() -
                                     e.hours_ago * 3600);
  }
  v1::ContextChange change;
  change.set_kind("remove_events");
  change.set_event_kind("goodwill");
  change.set_amount(450);
  v1::Context by_amount = context;
  ASSERT_THAT(ApplyChange(change, &by_amount, nullptr), IsOk());
  // 200 (1 h ago) then 300 (3 h ago): 500 >= 450; the future one stays.
  std::vector<int64_t> left;
  for (const v1::Event& e : by_amount.history()) left.push_back(e.amount());
  EXPECT_THAT(left, ::testing::ElementsAre(100, 999, 400));

  change.set_amount(0);
  change.set_count(1);
  v1::Context by_count = context;
  ASSERT_THAT(ApplyChange(change, &by_count, nullptr), IsOk());
  left.clear();
  for (const v1::Event& e : by_count.history()) left.push_back(e.amount());
  EXPECT_THAT(left, ::testing::ElementsAre(100, 999, 400, 300));
}

TEST(ApplyChangeTest, RemoveEventsNeedsAKindAndACountOrAmount) {
  v1::Context context = Context(kCustomer);
  v1::ContextChange change;
  change.set_kind("remove_events");
  change.set_count(1);
  EXPECT_THAT(
      ApplyChange(change, &context, nullptr),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event_kind")));
  change.set_event_kind("strike");
  change.set_count(0);
  EXPECT_THAT(ApplyChange(change, &context, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("a count or an amount")));
}

// --- Service levels ----------------------------------------------------------

// The refund is recommended once first_reply reaches 75% of its span.
constexpr absl::string_view kServiceLevels = R"pb(
  calendars {
    id: "office"
    hours { weekday: 1 start: "09:00" end: "17:00" }
    hours { weekday: 2 start: "09:00" end: "17:00" }
    hours { weekday: 3 start: "09:00" end: "17:00" }
    hours { weekday: 4 start: "09:00" end: "17:00" }
    hours { weekday: 5 start: "09:00" end: "17:00" }
  }
  entitlements {
    tier: "standard"
    default: true
    sla { target: "first_reply" within: "business_hours(4)" }
  }
  entitlements {
    tier: "gold"
    sla { target: "first_reply" within: "4h" }
  }
  service_levels {
    targets { id: "first_reply" measure: FIRST_REPLY }
    thresholds {
      percent: 75
      recommend { action: "refund" }
    }
  }
)pb";

// A case opened at `opened`, decided at `now` (Unix seconds).
v1::Context SlaCase(absl::string_view tier, int64_t opened, int64_t now) {
  v1::Context context = Context(kCustomer);
  context.mutable_customer()->set_tier(std::string(tier));
  context.mutable_case_()->mutable_opened_at()->set_seconds(opened);
  context.mutable_now()->set_seconds(now);
  return context;
}

constexpr int64_t kMonday10 = 1767607200;  // 2026-01-05T10:00:00Z

TEST(WhyNotTest, AServiceLevelThresholdStatesWhenItIsReached) {
  auto engine = Policy(kServiceLevels);
  // Calendar time: 1 hour of 4 used; 75% is 3 hours after opening.
  const v1::Context gold = SlaCase("gold", kMonday10 - 3600, kMonday10);
  v1::WhyNot why = MustWhyNot(*engine, gold, "refund");
  EXPECT_EQ(why.status(), "not_proposed");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).source().source_kind(), "service_level");
  EXPECT_EQ(why.paths(0).source().source_id(), "first_reply");
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  const v1::ContextChange& change = why.paths(0).changes(0);
  EXPECT_EQ(change.field(), "now");
  EXPECT_EQ(change.value().timestamp_value().seconds(), kMonday10 + 2 * 3600);
  EXPECT_THAT(change.text(),
              StartsWith("now would have to be at least "
                         "2026-01-05T12:00:00Z: first_reply reaches 75% of "
                         "4 hours then (it is at 25%)"));
  EXPECT_TRUE(why.paths(0).verified());
  // One second earlier it is not reached yet.
  v1::Context early = gold;
  early.mutable_now()->set_seconds(kMonday10 + 2 * 3600 - 1);
  absl::StatusOr<v1::Decision> d = engine->Decide(early);
  ASSERT_THAT(d.status(), IsOk());
  EXPECT_FALSE(Recommends(*d, "refund"));

  // Business time over a weekend: opened Friday 16:00, asked at 16:30: 30
  // business minutes used, 3 hours is 75%, reached Monday 11:00.
  constexpr int64_t kFriday1600 = kMonday10 - 3 * 86400 + 6 * 3600;
  const v1::Context standard =
      SlaCase("standard", kFriday1600, kFriday1600 + 1800);
  v1::WhyNot weekend = MustWhyNot(*engine, standard, "refund");
  ASSERT_EQ(weekend.paths_size(), 1);
  ASSERT_EQ(weekend.paths(0).changes_size(), 1);
  EXPECT_EQ(weekend.paths(0).changes(0).value().timestamp_value().seconds(),
            kMonday10 + 3600);
  EXPECT_TRUE(weekend.paths(0).verified());
}

TEST(WhyNotTest, AStoppedServiceLevelClockStatesNoChange) {
  auto engine = Policy(kServiceLevels);
  v1::Context context = SlaCase("gold", kMonday10 - 3600, kMonday10);
  v1::Event* reply = context.add_history();
  reply->set_kind("agent_reply");
  reply->set_case_id("k1");
  reply->mutable_at()->set_seconds(kMonday10 - 1800);
  v1::WhyNot why = MustWhyNot(*engine, context, "refund");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_THAT(why.paths(0).changes(), IsEmpty());
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("Its clock has stopped (first_reply is \"met\")."));
}

// A rule reading a computed fact: why-not reads `sla.*` as a decision does
// (the prepare steps run on its frames), solves the other conjuncts, and
// never changes the computed fact itself.
constexpr absl::string_view kGoldAtRisk = R"pb(
  rules {
    id: "gold_at_risk"
    when: "customer.tier == 'gold' && sla.first_reply.state == 'at_risk'"
    recommend { action: "apologize" }
  }
)pb";

TEST(WhyNotTest, AComputedFactThatHoldsKeepsThePathToTheOtherConjuncts) {
  auto engine = Policy(absl::StrCat(kServiceLevels, kGoldAtRisk));
  // Opened 09:00, asked 12:30: 3.5 of 4 hours used (business time for the
  // default contract, wall time for gold): at risk either way.
  const v1::Context silver =
      SlaCase("silver", kMonday10 - 3600, kMonday10 + 9000);
  absl::StatusOr<v1::Decision> d = engine->Decide(silver);
  ASSERT_THAT(d.status(), IsOk());
  ASSERT_EQ(d->service_levels_size(), 1);
  EXPECT_EQ(d->service_levels(0).state(), "at_risk");
  EXPECT_FALSE(Recommends(*d, "apologize"));
  v1::WhyNot why = MustWhyNot(*engine, silver, "apologize");
  EXPECT_EQ(why.status(), "not_proposed");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_EQ(why.paths(0).source().source_id(), "gold_at_risk");
  ASSERT_EQ(why.paths(0).changes_size(), 1);
  EXPECT_EQ(why.paths(0).changes(0).field(), "customer.tier");
  EXPECT_EQ(why.paths(0).changes(0).value().string_value(), "gold");
  EXPECT_THAT(why.paths(0).changes(0).text(),
              StartsWith("customer.tier would have to be \"gold\""));
  EXPECT_TRUE(why.paths(0).verified());
  EXPECT_TRUE(PathRecommends(*engine, silver, DecideOptions(), why.paths(0),
                             "apologize"));
  // Gold already: the rule fires, nothing is needed.
  const v1::Context gold = SlaCase("gold", kMonday10 - 3600, kMonday10 + 9000);
  d = engine->Decide(gold);
  ASSERT_THAT(d.status(), IsOk());
  EXPECT_TRUE(Recommends(*d, "apologize"));
  EXPECT_EQ(MustWhyNot(*engine, gold, "apologize").status(), "recommended");
}

TEST(WhyNotTest, AComputedFactThatDoesNotHoldIsNotChanged) {
  auto engine = Policy(absl::StrCat(kServiceLevels, kGoldAtRisk));
  // Opened 09:00, asked 10:00: 1 of 4 hours used, not at risk.
  const v1::Context silver = SlaCase("silver", kMonday10 - 3600, kMonday10);
  absl::StatusOr<v1::Decision> d = engine->Decide(silver);
  ASSERT_THAT(d.status(), IsOk());
  ASSERT_EQ(d->service_levels_size(), 1);
  EXPECT_EQ(d->service_levels(0).state(), "ok");
  v1::WhyNot why = MustWhyNot(*engine, silver, "apologize");
  ASSERT_EQ(why.paths_size(), 1);
  EXPECT_FALSE(why.paths(0).verified());
  EXPECT_THAT(why.paths(0).changes(), IsEmpty());
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("sla.first_reply.state is computed by tact (a service "
                        "level), not set by the context"));
  EXPECT_THAT(why.paths(0).source().text(),
              HasSubstr("`sla.first_reply.state == 'at_risk'` was false: "
                        "sla.first_reply.state is \"ok\""));
}

}  // namespace
}  // namespace tact
