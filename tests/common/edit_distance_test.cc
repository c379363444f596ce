// The distance behind "did you mean" suggestions in every stage.
#include "src/common/edit_distance.h"

#include "gtest/gtest.h"

namespace tact::internal {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsAndReplacements) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("tier", "tier"), 0u);
  EXPECT_EQ(EditDistance("", "tier"), 4u);
  EXPECT_EQ(EditDistance("tier", ""), 4u);
  EXPECT_EQ(EditDistance("tier", "tiers"), 1u);
  EXPECT_EQ(EditDistance("apologise", "apologize"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(EditDistanceTest, AnAdjacentSwapIsOneEdit) {
  EXPECT_EQ(EditDistance("teir", "tier"), 1u);
  EXPECT_EQ(EditDistance("ab", "ba"), 1u);
  EXPECT_EQ(EditDistance("caes.id", "case.id"), 1u);
  // Optimal string alignment edits no substring twice: "ca" -> "abc" is 3.
  EXPECT_EQ(EditDistance("ca", "abc"), 3u);
}

TEST(EditDistanceTest, IsSymmetric) {
  for (const char* a : {"", "a", "tier", "teir", "lifetime_value", "ca"}) {
    for (const char* b : {"", "b", "tier", "lifetimeValue", "abc"}) {
      EXPECT_EQ(EditDistance(a, b), EditDistance(b, a)) << a << " / " << b;
    }
  }
}

}  // namespace
}  // namespace tact::internal
