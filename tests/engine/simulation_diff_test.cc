// The diff of tact::Simulate with a baseline (tact/simulation.h: ChangeKind,
// Change, ChangeTally, FailsGate) on tests/data/simulate/diff/: base.textproto
// and copies of it with one change each, all named diff_small@1, over the
// four cases of cases.jsonl:
//   line 1 d1  calm                -> reply
//   line 2 d2  sentiment -0.2      -> reply, apologize
//   line 3 d3  sentiment -0.7      -> reply, apologize, credit 15.00 (goodwill
//                                     effect 1500 of budget goodwill); as bot:
//                                     credit needs an agent's approval
//   line 4 d4  fraud               -> reply; refund blocked (vetoed)
// and of src/engine/simulation_diff.h's DiffDecisions on decisions built by
// hand.
#include "src/engine/simulation_diff.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tact/simulation.h"
#include "tests/testing/simulate_data.h"

namespace tact {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using ::tact::testing::LoadPolicy;
using ::tact::testing::ReadLines;

constexpr char kDir[] = "tests/data/simulate/diff/";

// The diff of `variant` against base.textproto.
Simulation Diff(const std::string& variant, const std::string& authority = "") {
  auto base = LoadPolicy(absl::StrCat(kDir, "base.textproto"));
  auto policy = LoadPolicy(absl::StrCat(kDir, variant, ".textproto"));
  EXPECT_NE(base, nullptr);
  EXPECT_NE(policy, nullptr);
  if (base == nullptr || policy == nullptr) return {};
  SimulationOptions options;
  options.authority = authority;
  return Simulate(*policy, base.get(),
                  ReadLines(absl::StrCat(kDir, "cases.jsonl")), options);
}

// The kinds with at least one case, as "kind:cases:money".
std::vector<std::string> Tallies(const Simulation& sim) {
  std::vector<std::string> out;
  for (const auto& [kind, tally] : sim.changes_by_kind) {
    if (tally.cases == 0 && tally.money == 0) continue;
    out.push_back(
        absl::StrCat(ChangeKindName(kind), ":", tally.cases, ":", tally.money));
  }
  return out;
}

std::vector<std::string> Texts(const ChangedCase& c) {
  std::vector<std::string> out;
  for (const Change& change : c.changes) out.push_back(change.text);
  return out;
}

TEST(SimulationDiffTest, IdenticalPoliciesChangeNothing) {
  Simulation sim = Diff("identical");
  EXPECT_EQ(sim.summary.cases, 4);
  EXPECT_EQ(sim.changed_count, 0);
  EXPECT_THAT(sim.changed, IsEmpty());
  EXPECT_THAT(Tallies(sim), IsEmpty());
  EXPECT_EQ(sim.changes_by_kind.size(), static_cast<size_t>(kChangeKinds));
  EXPECT_EQ(sim.goodwill_delta, 0);
  EXPECT_FALSE(FailsGate(sim, DiffGate::kAny));
}

TEST(SimulationDiffTest, AMoneyOnlyChangeIsChangedWithItsDelta) {
  Simulation sim = Diff("money");
  EXPECT_EQ(sim.changed_count, 1);
  EXPECT_EQ(sim.goodwill_delta, -250);
  EXPECT_EQ(sim.summary.goodwill_total - sim.baseline.goodwill_total, -250);
  EXPECT_EQ(sim.money_changed_count, 1);
  EXPECT_EQ(sim.actions_changed_count, 0);
  EXPECT_THAT(Tallies(sim), ElementsAre("params:1:-250", "effects:1:-250"));
  ASSERT_EQ(sim.changed.size(), 1u);
  const ChangedCase& c = sim.changed[0];
  EXPECT_EQ(c.line, 3);
  EXPECT_EQ(c.case_id, "d3");
  EXPECT_EQ(c.before, c.after);
  EXPECT_THAT(c.kinds, ElementsAre(ChangeKind::kParams, ChangeKind::kEffects));
  EXPECT_THAT(Texts(c),
              ElementsAre("credit amount 1500 -> 1250 (-2.50 USD)",
                          "effect goodwill goodwill amount 1500 -> amount "
                          "1250 (-2.50 USD)"));
  EXPECT_EQ(c.changes[0].money, -250);
  EXPECT_EQ(c.goodwill_delta, -250);
  EXPECT_TRUE(FailsGate(sim, DiffGate::kAny));
  EXPECT_TRUE(FailsGate(sim, DiffGate::kMoney));
  EXPECT_FALSE(FailsGate(sim, DiffGate::kActions));
  EXPECT_FALSE(FailsGate(sim, DiffGate::kNone));
}

TEST(SimulationDiffTest, SameNameAndVersionAreLabelledApart) {
  Simulation sim = Diff("money");
  EXPECT_EQ(sim.policy_label, "diff_small@1 (policy)");
  EXPECT_EQ(sim.baseline_label, "diff_small@1 (baseline)");
}

TEST(SimulationDiffTest, LabelsComeFromTheOptions) {
  auto base = LoadPolicy(absl::StrCat(kDir, "base.textproto"));
  ASSERT_NE(base, nullptr);
  SimulationOptions options;
  options.policy_label = "new";
  options.baseline_label = "old";
  Simulation sim =
      Simulate(*base, base.get(), std::vector<std::string>{}, options);
  EXPECT_EQ(sim.policy_label, "new");
  EXPECT_EQ(sim.baseline_label, "old");
}

TEST(SimulationDiffTest, DifferentVersionsAreLabelledByNameAndVersion) {
  auto policy = LoadPolicy("tests/data/simulate/policy.textproto");
  auto baseline = LoadPolicy("tests/data/simulate/baseline.textproto");
  ASSERT_NE(policy, nullptr);
  ASSERT_NE(baseline, nullptr);
  Simulation sim =
      Simulate(*policy, baseline.get(), std::vector<std::string>{});
  EXPECT_EQ(sim.policy_label, "sim_small@1");
  EXPECT_EQ(sim.baseline_label, "sim_small@0");
}

TEST(SimulationDiffTest, ABlockedCodeOnlyChangeIsBlocked) {
  Simulation sim = Diff("blocked_code");
  EXPECT_EQ(sim.changed_count, 1);
  EXPECT_THAT(Tallies(sim), ElementsAre("blocked:1:0"));
  ASSERT_EQ(sim.changed.size(), 1u);
  EXPECT_EQ(sim.changed[0].line, 4);
  EXPECT_THAT(Texts(sim.changed[0]),
              ElementsAre("blocked refund vetoed by rule fraud_hold -> "
                          "non_positive_amount by rule fraud_refund"));
  EXPECT_TRUE(FailsGate(sim, DiffGate::kAny));
  EXPECT_FALSE(FailsGate(sim, DiffGate::kMoney));
  EXPECT_FALSE(FailsGate(sim, DiffGate::kActions));
}

TEST(SimulationDiffTest, AnEffectsOnlyChangeMovesNoMoneyWhenItNetsToZero) {
  Simulation sim = Diff("effects");
  EXPECT_EQ(sim.changed_count, 1);
  EXPECT_THAT(Tallies(sim), ElementsAre("effects:1:0"));
  ASSERT_EQ(sim.changed.size(), 1u);
  EXPECT_THAT(
      Texts(sim.changed[0]),
      ElementsAre("effect +goodwill goodwill_2026 amount 1500 "
                  "(+15.00 USD)",
                  "effect -goodwill goodwill amount 1500 (-15.00 USD)"));
  EXPECT_EQ(sim.money_changed_count, 0);
  EXPECT_EQ(sim.goodwill_delta, 0);
  EXPECT_TRUE(FailsGate(sim, DiffGate::kAny));
  EXPECT_FALSE(FailsGate(sim, DiffGate::kMoney));
}

TEST(SimulationDiffTest, AnOrderOnlyChangeIsAnActionsChange) {
  Simulation sim = Diff("order");
  EXPECT_EQ(sim.changed_count, 2);
  EXPECT_EQ(sim.actions_changed_count, 2);
  EXPECT_THAT(Tallies(sim), ElementsAre("order:2:0"));
  ASSERT_EQ(sim.changed.size(), 2u);
  EXPECT_THAT(Texts(sim.changed[0]),
              ElementsAre("order reply, apologize -> apologize, reply"));
  EXPECT_TRUE(FailsGate(sim, DiffGate::kActions));
  EXPECT_FALSE(FailsGate(sim, DiffGate::kMoney));
}

TEST(SimulationDiffTest, ARequiredAuthorityOnlyChangeIsNeedsApproval) {
  Simulation sim = Diff("approval", "bot");
  EXPECT_EQ(sim.changed_count, 1);
  EXPECT_THAT(Tallies(sim), ElementsAre("needs_approval:1:0"));
  ASSERT_EQ(sim.changed.size(), 1u);
  EXPECT_THAT(Texts(sim.changed[0]),
              ElementsAre("needs_approval credit authority agent -> "
                          "supervisor"));
  EXPECT_FALSE(FailsGate(sim, DiffGate::kActions));
  // Unrestricted, nothing needs approval: nothing changed.
  EXPECT_EQ(Diff("approval").changed_count, 0);
}

TEST(SimulationDiffTest, ATitleOnlyChangeIsDetails) {
  Simulation sim = Diff("title");
  EXPECT_EQ(sim.changed_count, 2);
  EXPECT_THAT(Tallies(sim), ElementsAre("details:2:0"));
  ASSERT_EQ(sim.changed.size(), 2u);
  EXPECT_THAT(Texts(sim.changed[0]),
              ElementsAre("apologize title \"Apologize\" -> \"Say sorry\""));
}

TEST(SimulationDiffTest, AddedAndRemovedMoneyCountsWithItsSign) {
  // The sim_small pair: version 1 adds phone_credit 7.00 (amount_param).
  auto policy = LoadPolicy("tests/data/simulate/policy.textproto");
  auto baseline = LoadPolicy("tests/data/simulate/baseline.textproto");
  ASSERT_NE(policy, nullptr);
  ASSERT_NE(baseline, nullptr);
  const std::vector<std::string> lines =
      ReadLines("tests/data/simulate/cases.jsonl");
  Simulation sim = Simulate(*policy, baseline.get(), lines);
  // The budget records each as a goodwill effect too.
  EXPECT_THAT(Tallies(sim),
              ElementsAre("actions_added:2:1400", "effects:2:1400"));
  EXPECT_EQ(sim.actions_changed_count, 2);
  EXPECT_EQ(sim.money_changed_count, 2);
  ASSERT_EQ(sim.changed.size(), 2u);
  EXPECT_THAT(Texts(sim.changed[1]),
              ElementsAre("+phone_credit (rule phone_gesture) (+7.00 USD)",
                          "effect +goodwill goodwill amount 700 (+7.00 USD)"));
  Simulation back = Simulate(*baseline, policy.get(), lines);
  EXPECT_THAT(Tallies(back),
              ElementsAre("actions_removed:2:-1400", "effects:2:-1400"));
  ASSERT_EQ(back.changed.size(), 2u);
  EXPECT_THAT(Texts(back.changed[1]),
              ElementsAre("-phone_credit (was rule phone_gesture) (-7.00 USD)",
                          "effect -goodwill goodwill amount 700 (-7.00 USD)"));
}

v1::Decision Parse(const std::string& text) {
  v1::Decision d;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &d)) << text;
  return d;
}

std::vector<std::string> DiffTexts(const std::string& before,
                                   const std::string& after) {
  internal::AmountParams amounts = {{"credit", "amount"}};
  internal::DecisionDiff diff = internal::DiffDecisions(
      Parse(before), amounts, Parse(after), amounts, "EUR");
  std::vector<std::string> out;
  for (const Change& c : diff.changes) {
    out.push_back(absl::StrCat(ChangeKindName(c.kind), ": ", c.text));
  }
  return out;
}

TEST(DiffDecisionsTest, FlagsRaisedAndDropped) {
  EXPECT_THAT(DiffTexts(R"pb(flags {
                               code: "a"
                               source { source_kind: "playbook" source_id: "p" }
                             })pb",
                        R"pb(flags {
                               code: "b"
                               source { source_kind: "playbook" source_id: "p" }
                             })pb"),
              ElementsAre("flags: flag +b (playbook p)",
                          "flags: flag -a (playbook p)"));
}

TEST(DiffDecisionsTest, NonMoneyParamsTextTagsStageAndContract) {
  EXPECT_THAT(DiffTexts(R"pb(actions {
                               action: "note"
                               text: "Hi"
                               tags: "x"
                               params {
                                 name: "tone"
                                 value { string_value: "warm" }
                               }
                             })pb",
                        R"pb(actions {
                               action: "note"
                               text: "Hello"
                               beyond_contract: true
                               playbook_stage: "surprise"
                               params {
                                 name: "tone"
                                 value { string_value: "formal" }
                               }
                             })pb"),
              ElementsAre("params: note tone \"warm\" -> \"formal\"",
                          "details: note tags [x] -> []",
                          "details: note beyond_contract false -> true",
                          "details: note playbook_stage \"\" -> \"surprise\""));
  // The same parameters: the text itself changed.
  EXPECT_THAT(DiffTexts(R"pb(actions { action: "note" text: "Hi" })pb",
                        R"pb(actions { action: "note" text: "Hello" })pb"),
              ElementsAre("details: note text \"Hi\" -> \"Hello\""));
}

TEST(DiffDecisionsTest, ApprovalAmountsAreMoney) {
  internal::AmountParams amounts = {{"credit", "amount"}};
  internal::DecisionDiff diff =
      internal::DiffDecisions(Parse(R"pb(needs_approval {
                                           action: "credit"
                                           required_authority: "agent"
                                           params {
                                             name: "amount"
                                             value { int_value: 2000 }
                                           }
                                         })pb"),
                              amounts, Parse(R"pb(needs_approval {
                                                    action: "credit"
                                                    required_authority: "agent"
                                                    params {
                                                      name: "amount"
                                                      value { int_value: 2500 }
                                                    }
                                                  })pb"),
                              amounts, "EUR");
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].kind, ChangeKind::kNeedsApproval);
  EXPECT_EQ(diff.changes[0].text,
            "needs_approval credit amount 2000 -> 2500 (+5.00 EUR)");
  EXPECT_EQ(diff.changes[0].money, 500);
  EXPECT_EQ(diff.goodwill_delta, 0);
}

TEST(DiffDecisionsTest, ScoresReasonsAndRanksAreNotCompared) {
  EXPECT_THAT(
      DiffTexts(R"pb(actions {
                       action: "note"
                       rank: 1
                       score: 1
                       priority: 3
                       reasons { source_kind: "rule" source_id: "a" text: "A" }
                     })pb",
                R"pb(actions {
                       action: "note"
                       rank: 1
                       score: 2.5
                       priority: 7
                       reasons { source_kind: "rule" source_id: "b" text: "B" }
                     })pb"),
      IsEmpty());
}

TEST(DiffDecisionsTest, MoneyDeltasAreSigned) {
  EXPECT_EQ(internal::FormatMoneyDelta(-250, "USD"), "-2.50 USD");
  EXPECT_EQ(internal::FormatMoneyDelta(1500, "USD"), "+15.00 USD");
  EXPECT_EQ(internal::FormatMoneyDelta(0, ""), "+0.00");
}

}  // namespace
}  // namespace tact
