// The goodwill budget's clipping rule (ClipToBudget), on its own.
#include <cstdint>
#include <limits>

#include "gtest/gtest.h"
#include "src/policy/constructs/goodwill_budget.h"

namespace tact::internal {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(ClipToBudgetTest, GrantsInFullWhatTheBudgetCovers) {
  Clip clip = ClipToBudget(/*remaining=*/5000, /*wanted=*/1500,
                           /*min_amount=*/500);
  EXPECT_FALSE(clip.blocked);
  EXPECT_EQ(clip.granted, 1500);
}

TEST(ClipToBudgetTest, ExactlyWhatRemainsIsGrantedInFull) {
  Clip clip = ClipToBudget(1500, 1500, 0);
  EXPECT_FALSE(clip.blocked);
  EXPECT_EQ(clip.granted, 1500);
}

TEST(ClipToBudgetTest, ClipsToWhatRemains) {
  Clip clip = ClipToBudget(/*remaining=*/900, /*wanted=*/1500,
                           /*min_amount=*/500);
  EXPECT_FALSE(clip.blocked);
  EXPECT_EQ(clip.granted, 900);
}

TEST(ClipToBudgetTest, TheMinimumItselfIsEnough) {
  Clip clip = ClipToBudget(500, 1500, 500);
  EXPECT_FALSE(clip.blocked);
  EXPECT_EQ(clip.granted, 500);
}

TEST(ClipToBudgetTest, BelowTheMinimumIsBlocked) {
  Clip clip = ClipToBudget(499, 1500, 500);
  EXPECT_TRUE(clip.blocked);
  EXPECT_EQ(clip.granted, 0);
}

TEST(ClipToBudgetTest, AWantedAmountBelowTheMinimumIsBlockedEvenWithMoney) {
  EXPECT_TRUE(ClipToBudget(5000, 300, 500).blocked);
}

TEST(ClipToBudgetTest, NothingIsNoGestureWhateverTheMinimum) {
  EXPECT_TRUE(ClipToBudget(0, 1500, 0).blocked);   // budget used up
  EXPECT_TRUE(ClipToBudget(5000, 0, 0).blocked);   // nothing wanted
  EXPECT_FALSE(ClipToBudget(1, 1500, 0).blocked);  // one minor unit is
  EXPECT_EQ(ClipToBudget(1, 1500, 0).granted, 1);
}

TEST(ClipToBudgetTest, SaturatedAmountsStayInRange) {
  Clip clip = ClipToBudget(kMax, kMax, 1);
  EXPECT_FALSE(clip.blocked);
  EXPECT_EQ(clip.granted, kMax);
  EXPECT_EQ(ClipToBudget(100, kMax, kMax).blocked, true);
}

// Which cap bound: the one-cap form says per window whenever it binds.
TEST(ClipToBudgetTest, TheOneCapFormNamesTheWindow) {
  EXPECT_EQ(ClipToBudget(900, 1500, 0).bound, BudgetBound::kPerWindow);
  EXPECT_EQ(ClipToBudget(0, 1500, 0).bound, BudgetBound::kPerWindow);
  EXPECT_EQ(ClipToBudget(1500, 1500, 0).bound, BudgetBound::kNone);
  EXPECT_EQ(ClipToBudget(1500, 1500, 0).remaining, 1500);
}

TEST(ClipToBudgetTest, ThePerCaseCapBindsWhenItIsTheSmaller) {
  Clip clip = ClipToBudget(BudgetLeft{5000, 1000}, 0, 1500, 0);
  EXPECT_FALSE(clip.blocked);
  EXPECT_EQ(clip.granted, 1000);
  EXPECT_EQ(clip.remaining, 1000);
  EXPECT_EQ(clip.bound, BudgetBound::kPerCase);
  // Equal caps: the narrower one, per case, is named.
  EXPECT_EQ(ClipToBudget(BudgetLeft{1000, 1000}, 0, 1500, 0).bound,
            BudgetBound::kPerCase);
}

TEST(ClipToBudgetTest, ThePerWindowCapBindsWhenItIsTheSmaller) {
  Clip clip = ClipToBudget(BudgetLeft{1000, 1001}, 0, 1500, 0);
  EXPECT_EQ(clip.granted, 1000);
  EXPECT_EQ(clip.bound, BudgetBound::kPerWindow);
  // No cap per case: the window.
  EXPECT_EQ(ClipToBudget(BudgetLeft{1000, -1}, 0, 1500, 0).bound,
            BudgetBound::kPerWindow);
}

TEST(ClipToBudgetTest, EarlierGrantsOfThisDecisionBindWhenTheCapsWouldNot) {
  // 3000 left per case covers 1500, but 2000 went earlier in the decision.
  Clip clip = ClipToBudget(BudgetLeft{5000, 3000}, 2000, 1500, 0);
  EXPECT_EQ(clip.granted, 1000);
  EXPECT_EQ(clip.remaining, 1000);
  EXPECT_EQ(clip.bound, BudgetBound::kThisDecision);
  // Exactly what the earlier grants left: nothing bound.
  clip = ClipToBudget(BudgetLeft{5000, 3000}, 1500, 1500, 0);
  EXPECT_EQ(clip.granted, 1500);
  EXPECT_EQ(clip.bound, BudgetBound::kNone);
  // The cap alone would not have covered it: the cap is named.
  EXPECT_EQ(ClipToBudget(BudgetLeft{5000, 1400}, 200, 1500, 0).bound,
            BudgetBound::kPerCase);
}

TEST(ClipToBudgetTest, SpentBeyondWhatIsLeftLeavesNothing) {
  Clip clip = ClipToBudget(BudgetLeft{1000, -1}, 1000, 1, 0);
  EXPECT_TRUE(clip.blocked);
  EXPECT_EQ(clip.remaining, 0);
  EXPECT_EQ(clip.bound, BudgetBound::kThisDecision);
}

TEST(ClipToBudgetTest, AnAmountBelowItsOwnMinimumNamesNoCap) {
  Clip clip = ClipToBudget(BudgetLeft{5000, 3000}, 0, 300, 500);
  EXPECT_TRUE(clip.blocked);
  EXPECT_EQ(clip.bound, BudgetBound::kNone);
}

}  // namespace
}  // namespace tact::internal
