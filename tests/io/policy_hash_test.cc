#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/io/policy_source.h"
#include "tact/engine.h"

namespace tact::internal {
namespace {

using ::testing::MatchesRegex;

v1::Policy SamplePolicy() {
  v1::Policy policy;
  policy.set_name("support");
  policy.set_version("1");
  v1::Rule* rule = policy.add_rules();
  rule->set_id("late");
  rule->set_when("case.category == 'delivery'");
  return policy;
}

TEST(PolicyHash, IsSha256OfTheSerialization) {
  EXPECT_THAT(PolicyHash(SamplePolicy()), MatchesRegex("sha256:[0-9a-f]{64}"));
  // An empty policy serializes to no bytes.
  EXPECT_EQ(PolicyHash(v1::Policy()), "sha256:" + Sha256Hex(""));
}

TEST(PolicyHash, IsStableForEqualPolicies) {
  EXPECT_EQ(PolicyHash(SamplePolicy()), PolicyHash(SamplePolicy()));
}

TEST(PolicyHash, DoesNotDependOnMapInsertionOrder) {
  v1::Policy a = SamplePolicy();
  v1::Policy b = SamplePolicy();
  auto& params_a = *a.mutable_rules(0)->add_recommend()->mutable_params();
  auto& params_b = *b.mutable_rules(0)->add_recommend()->mutable_params();
  for (int i = 0; i < 50; ++i) {
    params_a["p" + std::to_string(i)] = std::to_string(i);
    params_b["p" + std::to_string(49 - i)] = std::to_string(49 - i);
  }
  EXPECT_EQ(PolicyHash(a), PolicyHash(b));
}

TEST(PolicyHash, ChangesWithAnyField) {
  const std::string original = PolicyHash(SamplePolicy());
  v1::Policy changed = SamplePolicy();
  changed.mutable_rules(0)->set_when("case.category == 'billing'");
  EXPECT_NE(PolicyHash(changed), original);
  changed = SamplePolicy();
  changed.mutable_rules(0)->set_priority(1);
  EXPECT_NE(PolicyHash(changed), original);
  changed = SamplePolicy();
  changed.set_version("2");
  EXPECT_NE(PolicyHash(changed), original);
}

TEST(PolicyHash, IsTheSameWhicheverFormatThePolicyCameFrom) {
  auto text = ReadPolicyFile("tests/data/io/support.textproto",
                             PolicyFormat::kAuto, 1 << 20, nullptr);
  auto json = ReadPolicyFile("tests/data/io/support.json", PolicyFormat::kAuto,
                             1 << 20, nullptr);
  ASSERT_TRUE(text.ok()) << text.status();
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(PolicyHash(text->policy), PolicyHash(json->policy));
}

}  // namespace
}  // namespace tact::internal
