// The construct table: its order is the decide order, and it is behaviour.
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/policy/constructs/constructs.h"
#include "tact/codes.h"

namespace tact::internal {
namespace {

using ::testing::ElementsAre;

TEST(ConstructSeamTest, RowsInDecideOrder) {
  std::vector<SourceKind> kinds;
  for (const Construct& c : Constructs()) kinds.push_back(c.kind);
  // Strike limits propose before ladders (contribution order), ladders
  // before playbooks (which restage ladder candidates), entitlements check
  // before the budget spends, the budget clips before authority reads it.
  EXPECT_THAT(kinds,
              ElementsAre(SourceKind::kRule, SourceKind::kStrikeLimit,
                          SourceKind::kLadder, SourceKind::kPlaybook,
                          SourceKind::kServiceLevel, SourceKind::kEntitlement,
                          SourceKind::kBudget, SourceKind::kAuthority));
}

TEST(ConstructSeamTest, EveryRowHasAStep) {
  for (const Construct& c : Constructs()) {
    EXPECT_TRUE(c.compile != nullptr || c.finish != nullptr ||
                c.propose != nullptr || c.adjust != nullptr)
        << Name(c.kind);
  }
}

}  // namespace
}  // namespace tact::internal
