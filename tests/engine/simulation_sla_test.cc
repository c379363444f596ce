// Service levels in tact::Simulate (issue 17): the attainment per tier and
// target and the cases served beyond the contracted level
// (tact/simulation.h: ServiceLevelSummary), folded by
// src/engine/service_level_totals.h from decisions built by hand; and that
// a change of a clock's state alone is no change in the diff; and end to
// end, tact::Simulate of tests/data/simulate/sla/policy.textproto over its
// cases.jsonl (now 2026-03-10 12:00 UTC, a Tuesday; calendar spans):
//   line 1 g1 gold     opened 11:30, no reply   first_reply ok (50%)
//   line 2 g2 gold     opened 11:10, no reply   first_reply at_risk (83%)
//   line 3 g3 gold     opened 10:00, no reply   first_reply breached
//   line 4 g4 gold     opened 09:00, reply 9:30 first_reply met
//        gold's resolution (24h): ok in all four
//   line 5 s1 standard opened 07:00, reply 11:30 first_reply missed (4h)
//   line 6 s2 standard opened 11:50, phone      first_reply ok; a callback
//        promising the first reply within 2h: beyond the 4h contract
//   line 7 n1 no tier  opened 11:00             first_reply ok (25%), under
//        the default entitlement, standard
//        standard's resolution: no target ("none")
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/engine/service_level_totals.h"
#include "src/engine/simulation_diff.h"
#include "tact/simulation.h"
#include "tact/v1/decision.pb.h"
#include "tests/testing/simulate_data.h"

namespace tact {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A decision whose statuses are `states` (target, state), for a customer of
// `tier` under `entitlement`.
v1::Decision WithStates(
    const std::string& tier, const std::string& entitlement,
    const std::vector<std::pair<std::string, std::string>>& states) {
  v1::Decision d;
  for (const auto& [target, state] : states) {
    v1::ServiceLevelStatus* s = d.add_service_levels();
    s->set_target(target);
    s->set_measure(target);
    s->set_tier(tier);
    s->set_entitlement(entitlement);
    s->set_state(state);
  }
  return d;
}

// Folds (decision, beyond_contract) pairs in order.
ServiceLevelSummary Fold(
    const std::vector<std::pair<v1::Decision, bool>>& cases) {
  ServiceLevelSummary summary;
  for (const auto& [decision, beyond] : cases) {
    internal::AddServiceLevels(internal::ServiceLevelsOf(decision), beyond,
                               &summary);
  }
  return summary;
}

TEST(PercentTenthsTest, RoundsHalfUpToATenth) {
  EXPECT_EQ(PercentTenths(2, 3), 667);   // 66.666...
  EXPECT_EQ(PercentTenths(1, 3), 333);   // 33.333...
  EXPECT_EQ(PercentTenths(1, 8), 125);   // 12.5 exactly
  EXPECT_EQ(PercentTenths(1, 16), 63);   // 6.25 -> 6.3 (half up)
  EXPECT_EQ(PercentTenths(1, 2000), 1);  // 0.05 -> 0.1
  EXPECT_EQ(PercentTenths(1, 2001), 0);  // 0.0499... -> 0.0
  EXPECT_EQ(PercentTenths(0, 5), 0);
  EXPECT_EQ(PercentTenths(5, 5), 1000);
  const int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(PercentTenths(big, big), 1000);  // no overflow
  EXPECT_EQ(PercentTenths(big - 1, big), 1000);
}

TEST(PercentTenthsTest, NothingMeasuredIsNoShare) {
  EXPECT_EQ(PercentTenths(0, 0), -1);
}

TEST(ServiceLevelTotalsTest, CountsEveryStatePerTierAndTarget) {
  // gold: first_reply met, ok, breached; resolution ok, missed, none.
  // standard: first_reply at_risk, missed; resolution none, none.
  ServiceLevelSummary s = Fold({
      {WithStates("gold", "gold",
                  {{"first_reply", "met"}, {"resolution", "ok"}}),
       true},
      {WithStates("gold", "gold",
                  {{"first_reply", "ok"}, {"resolution", "missed"}}),
       false},
      {WithStates("gold", "gold",
                  {{"first_reply", "breached"}, {"resolution", "none"}}),
       true},
      {WithStates("standard", "standard",
                  {{"first_reply", "at_risk"}, {"resolution", "none"}}),
       false},
      {WithStates("standard", "standard",
                  {{"first_reply", "missed"}, {"resolution", "none"}}),
       false},
  });
  EXPECT_THAT(s.targets, ElementsAre("first_reply", "resolution"));
  ASSERT_EQ(s.by_tier.size(), 2u);

  const TierServiceLevels& gold = s.by_tier.at("gold");
  EXPECT_EQ(gold.cases, 3);
  EXPECT_EQ(gold.beyond_contract_cases, 2);
  EXPECT_EQ(PercentTenths(gold.beyond_contract_cases, gold.cases), 667);
  const ServiceLevelTally& gold_reply = gold.targets.at("first_reply");
  EXPECT_EQ(gold_reply.measured, 3);
  EXPECT_EQ(gold_reply.met, 1);
  EXPECT_EQ(gold_reply.ok, 1);
  EXPECT_EQ(gold_reply.at_risk, 0);
  EXPECT_EQ(gold_reply.breached, 1);
  EXPECT_EQ(gold_reply.missed, 0);
  EXPECT_EQ(PercentTenths(gold_reply.within(), gold_reply.measured), 667);
  const ServiceLevelTally& gold_resolution = gold.targets.at("resolution");
  EXPECT_EQ(gold_resolution.measured, 2);  // "none" is not measured
  EXPECT_EQ(gold_resolution.ok, 1);
  EXPECT_EQ(gold_resolution.missed, 1);
  EXPECT_EQ(PercentTenths(gold_resolution.within(), gold_resolution.measured),
            500);

  const TierServiceLevels& standard = s.by_tier.at("standard");
  EXPECT_EQ(standard.cases, 2);
  EXPECT_EQ(standard.beyond_contract_cases, 0);
  EXPECT_EQ(PercentTenths(standard.beyond_contract_cases, standard.cases), 0);
  const ServiceLevelTally& std_reply = standard.targets.at("first_reply");
  EXPECT_EQ(std_reply.measured, 2);
  EXPECT_EQ(std_reply.at_risk, 1);
  EXPECT_EQ(std_reply.missed, 1);
  EXPECT_EQ(PercentTenths(std_reply.within(), std_reply.measured), 500);
  // Never measured: no attainment, not 0% nor a division by zero.
  const ServiceLevelTally& std_resolution = standard.targets.at("resolution");
  EXPECT_EQ(std_resolution.measured, 0);
  EXPECT_EQ(PercentTenths(std_resolution.within(), std_resolution.measured),
            -1);

  // All tiers.
  EXPECT_EQ(s.total.cases, 5);
  EXPECT_EQ(s.total.beyond_contract_cases, 2);
  const ServiceLevelTally& reply = s.total.targets.at("first_reply");
  EXPECT_EQ(reply.measured, 5);
  EXPECT_EQ(reply.within(), 3);  // met, ok, at_risk
  EXPECT_EQ(reply.breached + reply.missed, 2);
  EXPECT_EQ(PercentTenths(reply.within(), reply.measured), 600);
  const ServiceLevelTally& resolution = s.total.targets.at("resolution");
  EXPECT_EQ(resolution.measured, 2);
  EXPECT_EQ(PercentTenths(resolution.within(), resolution.measured), 500);
}

TEST(ServiceLevelTotalsTest, TargetsKeepTheOrderTheyFirstAppearIn) {
  // The policy's order, not the alphabet's.
  ServiceLevelSummary s =
      Fold({{WithStates("gold", "gold",
                        {{"resolution", "ok"}, {"first_reply", "met"}}),
             false},
            {WithStates("gold", "gold",
                        {{"resolution", "ok"}, {"first_reply", "met"}}),
             false}});
  EXPECT_THAT(s.targets, ElementsAre("resolution", "first_reply"));
}

TEST(ServiceLevelTotalsTest, TierFallsBackToTheEntitlementThenNone) {
  ServiceLevelSummary s = Fold(
      {{WithStates("", "standard", {{"first_reply", "ok"}}), false},
       {WithStates("", "", {{"first_reply", "none"}}), true},
       {WithStates("trial", "standard", {{"first_reply", "met"}}), false}});
  ASSERT_EQ(s.by_tier.size(), 3u);
  EXPECT_EQ(s.by_tier.at("standard").targets.at("first_reply").ok, 1);
  EXPECT_EQ(s.by_tier.at("(none)").cases, 1);
  EXPECT_EQ(s.by_tier.at("(none)").beyond_contract_cases, 1);
  EXPECT_EQ(s.by_tier.at("(none)").targets.at("first_reply").measured, 0);
  EXPECT_EQ(s.by_tier.at("trial").targets.at("first_reply").met, 1);
}

TEST(ServiceLevelTotalsTest, UnknownStateIsNotMeasured) {
  ServiceLevelSummary s =
      Fold({{WithStates("gold", "gold", {{"first_reply", "late"}}), false}});
  EXPECT_EQ(s.total.cases, 1);
  EXPECT_EQ(s.total.targets.at("first_reply").measured, 0);
}

TEST(ServiceLevelTotalsTest, DecisionsWithoutServiceLevelsAddNothing) {
  v1::Decision plain;
  plain.add_actions()->set_action("reply");
  internal::CaseServiceLevels c = internal::ServiceLevelsOf(plain);
  EXPECT_FALSE(c.carried());
  ServiceLevelSummary s = Fold({{plain, true}, {plain, false}});
  EXPECT_THAT(s.targets, IsEmpty());
  EXPECT_THAT(s.by_tier, IsEmpty());
  EXPECT_EQ(s.total.cases, 0);
  EXPECT_EQ(s.total.beyond_contract_cases, 0);
}

TEST(ServiceLevelDiffTest, AClockStateChangeAloneIsNoChange) {
  v1::Decision before = WithStates("gold", "gold", {{"first_reply", "ok"}});
  before.add_actions()->set_action("reply");
  v1::Decision after = before;
  v1::ServiceLevelStatus* s = after.mutable_service_levels(0);
  s->set_state("breached");
  s->set_percent(120);
  s->set_threshold(100);
  internal::DecisionDiff diff =
      internal::DiffDecisions(before, {}, after, {}, "USD");
  EXPECT_THAT(diff.changes, IsEmpty());
  // The same decisions with another action: a change of that action only.
  after.add_actions()->set_action("escalate");
  diff = internal::DiffDecisions(before, {}, after, {}, "USD");
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].kind, ChangeKind::kActionsAdded);
}

// The tally as {measured, met, ok, at_risk, breached, missed}.
std::vector<int64_t> Counts(const ServiceLevelTally& t) {
  return {t.measured, t.met, t.ok, t.at_risk, t.breached, t.missed};
}

TEST(SimulateServiceLevelsTest, AttainmentPerTierEndToEnd) {
  auto policy = testing::LoadPolicy("tests/data/simulate/sla/policy.textproto");
  ASSERT_NE(policy, nullptr);
  Simulation sim =
      Simulate(*policy, nullptr,
               testing::ReadLines("tests/data/simulate/sla/cases.jsonl"));
  ASSERT_EQ(sim.error_count, 0);
  const ServiceLevelSummary& s = sim.summary.service_levels;
  EXPECT_THAT(s.targets, ElementsAre("first_reply", "resolution"));
  ASSERT_EQ(s.by_tier.size(), 2u);

  const TierServiceLevels& gold = s.by_tier.at("gold");
  EXPECT_EQ(gold.cases, 4);
  EXPECT_EQ(gold.beyond_contract_cases, 0);
  EXPECT_THAT(Counts(gold.targets.at("first_reply")),
              ElementsAre(4, 1, 1, 1, 1, 0));
  EXPECT_THAT(Counts(gold.targets.at("resolution")),
              ElementsAre(4, 0, 4, 0, 0, 0));

  const TierServiceLevels& standard = s.by_tier.at("standard");
  EXPECT_EQ(standard.cases, 3);
  EXPECT_EQ(standard.beyond_contract_cases, 1);  // s2's callback
  EXPECT_THAT(Counts(standard.targets.at("first_reply")),
              ElementsAre(3, 0, 2, 0, 0, 1));
  EXPECT_THAT(Counts(standard.targets.at("resolution")),
              ElementsAre(0, 0, 0, 0, 0, 0));

  EXPECT_EQ(s.total.cases, 7);
  EXPECT_EQ(s.total.beyond_contract_cases, 1);
  const ServiceLevelTally& reply = s.total.targets.at("first_reply");
  EXPECT_THAT(Counts(reply), ElementsAre(7, 1, 3, 1, 1, 1));
  EXPECT_EQ(PercentTenths(reply.within(), reply.measured), 714);  // 5 of 7
  EXPECT_EQ(PercentTenths(s.total.beyond_contract_cases, s.total.cases), 143);
  // The existing beyond-contract totals count the same callback.
  EXPECT_EQ(sim.summary.beyond_contract_actions, 1);
}

TEST(SimulateServiceLevelsTest, BaselineAttainmentBesideAndStatesAreNoChange) {
  // The baseline gives standard 8h: s1's reply after 4.5h is met there.
  auto policy = testing::LoadPolicy("tests/data/simulate/sla/policy.textproto");
  auto baseline =
      testing::LoadPolicy("tests/data/simulate/sla/baseline.textproto");
  ASSERT_NE(policy, nullptr);
  ASSERT_NE(baseline, nullptr);
  Simulation sim =
      Simulate(*policy, baseline.get(),
               testing::ReadLines("tests/data/simulate/sla/cases.jsonl"));
  ASSERT_EQ(sim.error_count, 0);
  EXPECT_THAT(Counts(sim.baseline.service_levels.by_tier.at("standard")
                         .targets.at("first_reply")),
              ElementsAre(3, 1, 2, 0, 0, 0));
  EXPECT_THAT(Counts(sim.summary.service_levels.by_tier.at("standard")
                         .targets.at("first_reply")),
              ElementsAre(3, 0, 2, 0, 0, 1));
  // Whatever else differs, no recommended action changed: the clock's state
  // is not an action.
  EXPECT_EQ(sim.actions_changed_count, 0);
  for (const ChangedCase& c : sim.changed) {
    EXPECT_EQ(c.before, c.after) << "line " << c.line;
  }
}

TEST(SimulateServiceLevelsTest, PolicyWithoutServiceLevelsHasNone) {
  auto policy = testing::LoadPolicy("tests/data/simulate/policy.textproto");
  ASSERT_NE(policy, nullptr);
  Simulation sim = Simulate(
      *policy, nullptr, testing::ReadLines("tests/data/simulate/cases.jsonl"));
  EXPECT_GT(sim.summary.cases, 0);
  EXPECT_THAT(sim.summary.service_levels.targets, IsEmpty());
  EXPECT_EQ(sim.summary.service_levels.total.cases, 0);
}

}  // namespace
}  // namespace tact
