// The machine vocabulary (include/tact/codes.h): every code's string is
// pinned here, because hosts store them and read them back.
#include "tact/codes.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tact {
namespace {

using ::testing::ElementsAre;

template <typename Enum, size_t N>
std::vector<std::string> Names(const Enum (&all)[N]) {
  std::vector<std::string> out;
  for (Enum value : all) out.emplace_back(Name(value));
  return out;
}

static_assert(Name(BlockedCode::kBudgetExhausted) == "budget_exhausted",
              "Name is usable at compile time");

TEST(CodesTest, BlockedCodes) {
  EXPECT_THAT(Names(kBlockedCodes),
              ElementsAre("vetoed", "strike_limit", "wait", "beyond_contract",
                          "budget_exhausted", "non_positive_amount"));
}

TEST(CodesTest, EffectKinds) {
  EXPECT_THAT(Names(kEffectKinds),
              ElementsAre("strike", "rung_offered", "goodwill", "surprise",
                          "service_cost", "sla_threshold"));
}

TEST(CodesTest, FlagCodes) {
  EXPECT_THAT(Names(kFlagCodes),
              ElementsAre("recovery_window_missed", "restriction_errored",
                          "sla_breached"));
}

TEST(CodesTest, PlaybookStagesInRankOrder) {
  EXPECT_THAT(Names(kPlaybookStages),
              ElementsAre("apology", "fix", "surprise", "compensation"));
}

TEST(CodesTest, SourceKinds) {
  EXPECT_THAT(
      Names(kSourceKinds),
      ElementsAre("rule", "strike_limit", "ladder", "playbook", "entitlement",
                  "budget", "authority", "service_level"));
}

TEST(CodesTest, SlaStates) {
  EXPECT_THAT(Names(kSlaStates), ElementsAre("none", "ok", "at_risk",
                                             "breached", "met", "missed"));
}

TEST(CodesTest, ParseIsTheInverseOfName) {
  for (BlockedCode c : kBlockedCodes) {
    BlockedCode parsed = BlockedCode::kVetoed;
    ASSERT_TRUE(ParseBlockedCode(Name(c), &parsed)) << Name(c);
    EXPECT_EQ(parsed, c);
  }
  for (EffectKind k : kEffectKinds) {
    EffectKind parsed = EffectKind::kStrike;
    ASSERT_TRUE(ParseEffectKind(Name(k), &parsed)) << Name(k);
    EXPECT_EQ(parsed, k);
  }
  for (FlagCode f : kFlagCodes) {
    FlagCode parsed = FlagCode::kRecoveryWindowMissed;
    ASSERT_TRUE(ParseFlagCode(Name(f), &parsed)) << Name(f);
    EXPECT_EQ(parsed, f);
  }
  for (PlaybookStage s : kPlaybookStages) {
    PlaybookStage parsed = PlaybookStage::kApology;
    ASSERT_TRUE(ParsePlaybookStage(Name(s), &parsed)) << Name(s);
    EXPECT_EQ(parsed, s);
  }
  for (SourceKind k : kSourceKinds) {
    SourceKind parsed = SourceKind::kRule;
    ASSERT_TRUE(ParseSourceKind(Name(k), &parsed)) << Name(k);
    EXPECT_EQ(parsed, k);
  }
  for (SlaState s : kSlaStates) {
    SlaState parsed = SlaState::kNone;
    ASSERT_TRUE(ParseSlaState(Name(s), &parsed)) << Name(s);
    EXPECT_EQ(parsed, s);
  }
}

TEST(CodesTest, ParseRejectsOtherTextAndLeavesTheOutput) {
  BlockedCode code = BlockedCode::kWait;
  EXPECT_FALSE(ParseBlockedCode("", &code));
  EXPECT_FALSE(ParseBlockedCode("Vetoed", &code));
  EXPECT_FALSE(ParseBlockedCode("vetoed ", &code));
  EXPECT_EQ(code, BlockedCode::kWait);
  SourceKind kind = SourceKind::kBudget;
  EXPECT_FALSE(ParseSourceKind("strike", &kind));
  EXPECT_EQ(kind, SourceKind::kBudget);
}

}  // namespace
}  // namespace tact
