#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

namespace tact {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Decision SampleDecision() {
  v1::Decision decision;
  decision.set_policy_name("support");
  decision.set_policy_hash("sha256:00");
  decision.mutable_now()->set_seconds(1767607200);
  v1::RecommendedAction* action = decision.add_actions();
  action->set_rank(1);
  action->set_action("refund");
  v1::Param* param = action->add_params();
  param->set_name("amount");
  param->mutable_value()->set_int_value(1500);
  action->set_score(2.5);
  v1::Effect* effect = decision.add_effects();
  effect->set_kind("goodwill");
  effect->set_amount(1500);
  return decision;
}

TEST(DecisionToJson, CompactUsesCamelCaseAndSchemaOrderAndOmitsDefaults) {
  EXPECT_EQ(DecisionToJson(SampleDecision(), /*pretty=*/false),
            R"({"policyName":"support","policyHash":"sha256:00",)"
            R"("now":"2026-01-05T10:00:00Z","actions":[{"rank":1,)"
            R"("action":"refund","params":[{"name":"amount","value":)"
            R"({"intValue":"1500"}}],"score":2.5}],"effects":[{"kind":)"
            R"("goodwill","amount":"1500"}]})");
}

TEST(DecisionToJson, PrettyIsIndentedByTwoSpaces) {
  v1::Decision decision;
  decision.set_policy_name("support");
  decision.add_effects()->set_kind("strike");
  EXPECT_EQ(DecisionToJson(decision), R"({
  "policyName": "support",
  "effects": [
    {
      "kind": "strike"
    }
  ]
}
)");
}

TEST(DecisionToJson, IndentationNeverChangesStringValues) {
  v1::Decision decision;
  decision.set_policy_name("  two\n   lines ");
  v1::Decision parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  DecisionToJson(decision), &parsed)
                  .ok());
  EXPECT_EQ(parsed.policy_name(), "  two\n   lines ");
}

TEST(DecisionToJson, IsDeterministic) {
  const v1::Decision decision = SampleDecision();
  const std::string first = DecisionToJson(decision);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(DecisionToJson(decision), first);
    // An equal message built separately prints the same bytes.
    EXPECT_EQ(DecisionToJson(SampleDecision()), first);
  }
}

TEST(DecisionToJson, EmptyDecisionIsAnEmptyObject) {
  EXPECT_EQ(DecisionToJson(v1::Decision(), /*pretty=*/false), "{}");
}

TEST(DecisionToJson, RoundTripsThroughTheJsonParser) {
  // Hosts read decisions back (audit replay): the output is valid proto3 JSON.
  const v1::Decision decision = SampleDecision();
  v1::Decision parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  DecisionToJson(decision), &parsed)
                  .ok());
  EXPECT_EQ(parsed.SerializeAsString(), decision.SerializeAsString());
}

}  // namespace
}  // namespace tact
