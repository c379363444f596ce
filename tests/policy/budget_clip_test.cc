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

}  // namespace
}  // namespace tact::internal
