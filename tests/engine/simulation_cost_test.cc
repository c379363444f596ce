// tact::Simulate's cost to serve (issue 15, seeds 000 and 001): the totals
// of the recommended actions' costs by tier and value band, the cost of
// beyond-contract service, and the customers whose cost to serve exceeds a
// share of their spend. Every number is worked out by hand in the comments.
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tact/simulation.h"

namespace tact {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// callback: 15 minutes at 100 = 1500, beyond a standard contract (no phone);
// note: 200 + 5 minutes = 700; reply: no cost.
constexpr char kPolicy[] = R"pb(
  name: "costs"
  currency: "USD"
  agent_minute_rate: 100
  entitlements { tier: "standard" includes: "email" default: true }
  entitlements { tier: "premium" includes: "email" includes: "phone" }
  actions { id: "reply" }
  actions {
    id: "callback"
    requires: "phone"
    cost { agent_minutes: 15 }
  }
  actions {
    id: "note"
    cost { amount: 200 agent_minutes: 5 }
  }
  rules {
    id: "always"
    recommend { action: "reply" }
  }
  rules {
    id: "call"
    when: "case.channel == 'phone'"
    recommend { action: "callback" }
  }
  rules {
    id: "unhappy"
    when: "case.sentiment < 0.0"
    recommend { action: "note" }
  }
)pb";

std::string Case(absl::string_view customer, absl::string_view tier,
                 int64_t lifetime_value, absl::string_view case_id,
                 absl::string_view channel, double sentiment,
                 absl::string_view history = "") {
  return absl::StrCat(
      R"({"now": "2026-03-10T12:00:00Z", "customer": {"id": ")", customer,
      R"(", "tier": ")", tier, R"(", "lifetimeValue": )", lifetime_value,
      R"(}, "case": {"id": ")", case_id, R"(", "channel": ")", channel,
      R"(", "sentiment": )", sentiment, "}, \"history\": [", history, "]}");
}

std::string CostEvent(absl::string_view at, int64_t amount,
                      absl::string_view case_id) {
  return absl::StrCat(
      R"({"at": ")", at, R"(", "kind": "service_cost", "ref": "callback", )",
      R"("amount": )", amount, R"(, "caseId": ")", case_id, R"("})");
}

class SimulateCostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::FromText(kPolicy, PolicyFormat::kText, "p.textproto");
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    lines_ = {
        // u1 standard, LTV 100.00: callback (beyond) 1500 -> 15.00 of 100.00.
        Case("u1", "standard", 10000, "c1", "phone", 0.0),
        // u2 premium, LTV 5000.00: callback + note = 2200, plus 3000.00
        // already spent (one event at now of its own case does not count).
        Case("u2", "premium", 500000, "c2", "phone", -0.5,
             absl::StrCat(CostEvent("2026-01-01T00:00:00Z", 300000, "c0"), ",",
                          CostEvent("2026-03-10T12:00:00Z", 999999, "c2"))),
        // u3 premium, LTV 300.00: reply only, no cost.
        Case("u3", "premium", 30000, "c3", "email", 0.0),
        // u1 again: note 700; already listed.
        Case("u1", "standard", 10000, "c4", "email", -1.0),
        // No customer id, no tier, LTV 0: note 700 -> above any share.
        Case("", "", 0, "c5", "email", -1.0),
    };
  }

  std::unique_ptr<const Engine> engine_;
  std::vector<std::string> lines_;
};

TEST_F(SimulateCostTest, TotalsCostToServeByTierAndValueBand) {
  Simulation sim = Simulate(*engine_, nullptr, lines_);
  const SimulationSummary& s = sim.summary;
  ASSERT_EQ(s.cases, 5);
  EXPECT_EQ(s.cost_to_serve_total, 1500 + 2200 + 700 + 700);
  EXPECT_EQ(s.agent_minutes_total, 15 + 20 + 5 + 5);
  EXPECT_EQ(s.cases_with_cost, 4);
  // A customer without a tier is "(none)", as for goodwill; no tier here
  // falls back to the default contract.
  EXPECT_THAT(s.cost_to_serve_by_tier,
              ElementsAre(Pair("(none)", 700), Pair("premium", 2200),
                          Pair("standard", 2200)));
  EXPECT_THAT(
      s.cost_to_serve_by_value_band,
      ElementsAre(Pair("0-19999", 1500 + 700 + 700), Pair("500000+", 2200)));
}

TEST_F(SimulateCostTest, BeyondContractCostIncludesTheActionsCost) {
  Simulation sim = Simulate(*engine_, nullptr, lines_);
  // Only u1's callback is beyond its (standard) contract.
  EXPECT_EQ(sim.summary.beyond_contract_actions, 1);
  EXPECT_EQ(sim.summary.beyond_contract_cost, 1500);
}

TEST_F(SimulateCostTest, NoShareNoList) {
  Simulation sim = Simulate(*engine_, nullptr, lines_);
  EXPECT_FALSE(sim.has_cost_share);
  EXPECT_EQ(sim.costly_count, 0);
  EXPECT_THAT(sim.costly, IsEmpty());
}

TEST_F(SimulateCostTest, ListsEachCustomerAboveTheShareOnce) {
  SimulationOptions options;
  options.cost_share_percent = 15;
  Simulation sim = Simulate(*engine_, nullptr, lines_, options);
  ASSERT_TRUE(sim.has_cost_share);
  // u1: 1500 of 10000 = exactly 15%: not above. At c4, 700 = 7%.
  // u2: 2200 + 300000 of 500000 = 60.44%: above. u5 (no id): spend 0.
  EXPECT_EQ(sim.costly_count, 2);
  ASSERT_EQ(sim.costly.size(), 2u);
  EXPECT_EQ(sim.costly[0].line, 2);
  EXPECT_EQ(sim.costly[0].customer_id, "u2");
  EXPECT_EQ(sim.costly[0].case_id, "c2");
  EXPECT_EQ(sim.costly[0].spend, 500000);
  EXPECT_EQ(sim.costly[0].decision_cost, 2200);
  EXPECT_EQ(sim.costly[0].history_cost, 300000);
  EXPECT_EQ(sim.costly[0].cost_to_serve, 302200);
  EXPECT_EQ(sim.costly[1].line, 5);
  EXPECT_EQ(sim.costly[1].customer_id, "");
  EXPECT_EQ(sim.costly[1].cost_to_serve, 700);

  // Just below 15%, u1 is above it, listed once at its first case.
  options.cost_share_percent = 14.99;
  sim = Simulate(*engine_, nullptr, lines_, options);
  EXPECT_EQ(sim.costly_count, 3);
  ASSERT_EQ(sim.costly.size(), 3u);
  EXPECT_EQ(sim.costly[0].customer_id, "u1");
  EXPECT_EQ(sim.costly[0].case_id, "c1");
}

TEST_F(SimulateCostTest, ListsAtMostMaxListedCostlyButCountsAll) {
  SimulationOptions options;
  options.cost_share_percent = 0;
  options.max_listed_costly = 1;
  Simulation sim = Simulate(*engine_, nullptr, lines_, options);
  // u1, u2 and the customer without id have a cost; u3 has none.
  EXPECT_EQ(sim.costly_count, 3);
  ASSERT_EQ(sim.costly.size(), 1u);
  EXPECT_EQ(sim.costly[0].customer_id, "u1");
}

TEST_F(SimulateCostTest, ANegativeShareListsNothing) {
  SimulationOptions options;
  options.cost_share_percent = -1;
  Simulation sim = Simulate(*engine_, nullptr, lines_, options);
  EXPECT_FALSE(sim.has_cost_share);
  EXPECT_EQ(sim.costly_count, 0);
}

// Totals saturate at INT64_MAX, never wrap: two beyond-contract actions of
// 6e18 each, over two cases, sum past int64.
TEST(SimulateCostOverflowTest, BeyondContractCostSaturates) {
  auto engine = Engine::FromText(
      R"pb(
        name: "bc"
        currency: "USD"
        entitlements { tier: "basic" includes: "email" default: true }
        entitlements { tier: "gold" includes: "phone" }
        actions {
          id: "call"
          requires: "phone"
          cost { amount: 6000000000000000000 }
        }
        actions {
          id: "visit"
          requires: "phone"
          cost { amount: 6000000000000000000 }
        }
        rules {
          id: "r0"
          when: "true"
          recommend { action: "call" }
          recommend { action: "visit" }
        }
      )pb",
      PolicyFormat::kText, "bc.textproto");
  ASSERT_TRUE(engine.ok()) << engine.status();
  std::vector<std::string> lines;
  for (int i = 0; i < 2; ++i) {
    lines.push_back(absl::StrCat(
        R"({"now": "2026-03-10T12:00:00Z", "customer": {"id": "c)", i,
        R"(", "tier": "basic"}, "case": {"id": "k)", i, R"("}})"));
  }
  Simulation sim = Simulate(**engine, nullptr, lines);
  ASSERT_EQ(sim.summary.cases, 2);
  EXPECT_EQ(sim.summary.beyond_contract_actions, 4);
  EXPECT_EQ(sim.summary.beyond_contract_cost,
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(sim.summary.cost_to_serve_total,
            std::numeric_limits<int64_t>::max());
}

}  // namespace
}  // namespace tact
