// Issue 16, why-not: the smallest change to a context that makes a condition
// hold (or stop holding). Every stated change is applied and the condition
// evaluated again on the changed context.
#include "src/policy/condition_change.h"

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "src/expr/program.h"
#include "src/io/policy_source.h"
#include "src/policy/condition.h"
#include "src/policy/plan.h"
#include "tact/engine.h"

namespace tact::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kContext[] = R"pb(
  customer {
    id: "c-1"
    tier: "silver"
    spend_12m: 12000
    tenure_days: 400
    influence: 0.25
  }
  case {
    id: "k-9"
    channel: "chat"
    category: "delivery"
    severity: "high"
    sentiment: -0.5
    message: "my parcel is late again"
    opened_at { seconds: 1767225600 }  # 2026-01-01T00:00:00Z
    our_fault: false
  }
  history {
    at { seconds: 1767139200 }
    kind: "complaint"
  }
  now { seconds: 1767355200 }  # 2026-01-02T12:00:00Z
  attributes {
    key: "plan"
    value { string_value: "basic" }
  }
  attributes {
    key: "nps"
    value { int_value: 4 }
  }
  attributes {
    key: "score"
    value { double_value: 0.5 }
  }
)pb";

v1::Context BaseContext() {
  v1::Context context;
  EXPECT_TRUE(
      google::protobuf::TextFormat::ParseFromString(kContext, &context));
  return context;
}

// One condition compiled alone, with the attributes and definitions tests
// use.
struct Compiled {
  std::unique_ptr<const Program> program;
  std::vector<Conjunct> when;
};

Compiled Compile(absl::string_view condition) {
  ProgramBuilder builder;
  EXPECT_TRUE(builder.DeclareAttribute("plan", ValueType::kString).ok());
  EXPECT_TRUE(builder.DeclareAttribute("nps", ValueType::kInt).ok());
  EXPECT_TRUE(builder.DeclareAttribute("score", ValueType::kDouble).ok());
  EXPECT_TRUE(builder.DeclareAttribute("vip", ValueType::kBool).ok());
  EXPECT_TRUE(builder.DeclareAttribute("renewal", ValueType::kTimestamp).ok());
  EXPECT_TRUE(builder.DeclareAttribute("wait", ValueType::kDuration).ok());
  EXPECT_TRUE(
      builder.DeclareDefinition("big_spender", "customer.spend_12m >= 50000")
          .ok());
  EXPECT_TRUE(builder.DeclareDefinition("spend", "customer.spend_12m").ok());
  EXPECT_TRUE(builder
                  .DeclareDefinition("is_vip",
                                     "customer.tier == 'gold' || "
                                     "customer.spend_12m >= 1000000")
                  .ok());
  Compiled c;
  auto when = builder.AddCondition(condition, nullptr);
  EXPECT_TRUE(when.ok()) << condition << ": " << when.status();
  if (when.ok()) c.when = *std::move(when);
  c.program = std::move(builder).Build();
  return c;
}

ConditionResult::Status Evaluate(const Compiled& c,
                                 const v1::Context& context) {
  auto frame = Frame::Create(*c.program, context);
  EXPECT_TRUE(frame.ok()) << frame.status();
  if (!frame.ok()) return ConditionResult::Status::kError;
  return EvaluateCondition(*c.program, c.when, **frame).status;
}

// The changes for `condition` on `context`, and the context with them
// applied.
struct Answer {
  ConditionChanges changes;
  v1::Context changed;
};

Answer ChangesOn(const Compiled& c, const v1::Context& context, bool want) {
  auto frame = Frame::Create(*c.program, context);
  EXPECT_TRUE(frame.ok()) << frame.status();
  Answer a;
  a.changes = ChangesFor(*c.program, c.when, **frame, context, want);
  a.changed = context;
  for (const v1::ContextChange& change : a.changes.changes) {
    absl::Status s = ApplyFieldChange(change, &a.changed);
    EXPECT_TRUE(s.ok()) << s;
  }
  return a;
}

// Asserts that `condition`, false on `context`, gets one stated change of
// `field` to `value_text` (its CEL literal, via the change's text) after
// which it holds.
v1::ContextChange ExpectMadeTrue(absl::string_view condition,
                                 const v1::Context& context,
                                 absl::string_view text) {
  Compiled c = Compile(condition);
  EXPECT_NE(Evaluate(c, context), ConditionResult::Status::kTrue) << condition;
  Answer a = ChangesOn(c, context, true);
  EXPECT_TRUE(a.changes.stated) << condition << ": " << a.changes.why;
  EXPECT_THAT(a.changes.changes, SizeIs(1)) << condition;
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kTrue)
      << condition;
  if (a.changes.changes.empty()) return {};
  EXPECT_EQ(a.changes.changes[0].text(), text) << condition;
  return a.changes.changes[0];
}

v1::ContextChange ExpectMadeFalse(absl::string_view condition,
                                  const v1::Context& context,
                                  absl::string_view text) {
  Compiled c = Compile(condition);
  EXPECT_EQ(Evaluate(c, context), ConditionResult::Status::kTrue) << condition;
  Answer a = ChangesOn(c, context, false);
  EXPECT_TRUE(a.changes.stated) << condition << ": " << a.changes.why;
  EXPECT_THAT(a.changes.changes, SizeIs(1)) << condition;
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kFalse)
      << condition;
  if (a.changes.changes.empty()) return {};
  EXPECT_EQ(a.changes.changes[0].text(), text) << condition;
  return a.changes.changes[0];
}

TEST(ConditionChangeTest, AtLeastAThresholdSetsTheThreshold) {
  v1::ContextChange change =
      ExpectMadeTrue("customer.spend_12m >= 50000", BaseContext(),
                     "customer.spend_12m would have to be at least 50000 (it "
                     "is 12000)");
  EXPECT_EQ(change.kind(), "set");
  EXPECT_EQ(change.field(), "customer.spend_12m");
  EXPECT_EQ(change.value().int_value(), 50000);
}

TEST(ConditionChangeTest, ThresholdEdgesOnePastFailsExactlyAtHolds) {
  // The stated value is the edge: one less than it does not satisfy.
  Compiled c = Compile("customer.spend_12m > 50000");
  v1::Context context = BaseContext();
  Answer a = ChangesOn(c, context, true);
  ASSERT_TRUE(a.changes.stated) << a.changes.why;
  ASSERT_THAT(a.changes.changes, SizeIs(1));
  EXPECT_EQ(a.changes.changes[0].value().int_value(), 50001);
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kTrue);
  a.changed.mutable_customer()->set_spend_12m(50000);
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kFalse);
}

TEST(ConditionChangeTest, EveryComparisonOfAnInt) {
  v1::Context context = BaseContext();  // tenure_days: 400
  ExpectMadeTrue("customer.tenure_days < 365", context,
                 "customer.tenure_days would have to be at most 364 (it is "
                 "400)");
  ExpectMadeTrue("customer.tenure_days <= 365", context,
                 "customer.tenure_days would have to be at most 365 (it is "
                 "400)");
  ExpectMadeTrue("customer.tenure_days == 30", context,
                 "customer.tenure_days would have to be 30 (it is 400)");
  ExpectMadeTrue("customer.tenure_days != 400", context,
                 "customer.tenure_days would have to be other than 400 (it "
                 "is 400); 401 would do");
  ExpectMadeTrue("customer.tenure_days in [7, 30, 90]", context,
                 "customer.tenure_days would have to be 7 (it is 400)");
  ExpectMadeTrue("500 <= customer.tenure_days", context,
                 "customer.tenure_days would have to be at least 500 (it is "
                 "400)");
}

TEST(ConditionChangeTest, ADoubleMovesToTheNextRepresentableValue) {
  v1::Context context = BaseContext();  // influence: 0.25
  v1::ContextChange change = ExpectMadeTrue(
      "customer.influence > 0.5", context,
      "customer.influence would have to be at least 0.5000000000000001 (it "
      "is 0.25)");
  EXPECT_EQ(change.value().double_value(), std::nextafter(0.5, 1.0));
  ExpectMadeTrue("customer.influence >= 0.75", context,
                 "customer.influence would have to be at least 0.75 (it is "
                 "0.25)");
  ExpectMadeTrue("customer.influence < 0.1", context,
                 "customer.influence would have to be at most "
                 "0.09999999999999999 (it is 0.25)");
}

TEST(ConditionChangeTest, StringsEqualInAndNotEqual) {
  v1::Context context = BaseContext();  // tier: "silver"
  v1::ContextChange change = ExpectMadeTrue(
      "customer.tier == 'gold'", context,
      "customer.tier would have to be \"gold\" (it is \"silver\")");
  EXPECT_EQ(change.value().string_value(), "gold");
  ExpectMadeTrue("customer.tier in ['gold', 'platinum']", context,
                 "customer.tier would have to be \"gold\" (it is \"silver\")");
  // A string that must differ is cleared (an unset field is "").
  change = ExpectMadeTrue(
      "customer.tier != 'silver'", context,
      "customer.tier would have to be other than \"silver\" (it is "
      "\"silver\"); unset would do");
  EXPECT_EQ(change.kind(), "clear");
  // ... unless it must differ from "": then it is set to "?".
  v1::Context empty_tier = context;
  empty_tier.mutable_customer()->clear_tier();
  change = ExpectMadeTrue("customer.tier != ''", empty_tier,
                          "customer.tier would have to be other than \"\" (it "
                          "is \"\"); \"?\" would do");
  EXPECT_EQ(change.value().string_value(), "?");
}

TEST(ConditionChangeTest, BoolFactsAndNegation) {
  v1::Context context = BaseContext();  // our_fault: false
  v1::ContextChange change =
      ExpectMadeTrue("case.our_fault", context,
                     "case.our_fault would have to be true (it is false)");
  EXPECT_TRUE(change.value().bool_value());
  context.mutable_case_()->set_our_fault(true);
  change = ExpectMadeTrue("!case.our_fault", context,
                          "case.our_fault would have to be false (it is true)");
  EXPECT_FALSE(change.value().bool_value());
}

TEST(ConditionChangeTest, TimestampsAndNow) {
  v1::Context context = BaseContext();  // now: 2026-01-02T12:00:00Z
  v1::ContextChange change = ExpectMadeTrue(
      "now >= timestamp('2026-01-05T09:00:00Z')", context,
      "now would have to be at least timestamp(\"2026-01-05T09:00:00Z\") (it "
      "is timestamp(\"2026-01-02T12:00:00Z\"))");
  EXPECT_EQ(change.field(), "now");
  EXPECT_EQ(change.value().timestamp_value().seconds(), 1767603600);
  ExpectMadeTrue("case.opened_at > timestamp('2026-01-01T06:00:00Z')", context,
                 "case.opened_at would have to be at least "
                 "timestamp(\"2026-01-01T06:00:00.000000001Z\") (it is "
                 "timestamp(\"2026-01-01T00:00:00Z\"))");
}

TEST(ConditionChangeTest, HasSetsOrUnsets) {
  v1::Context context = BaseContext();
  v1::ContextChange change =
      ExpectMadeTrue("has(attributes.vip)", context,
                     "attributes.vip would have to be set (it is absent); "
                     "false would do");
  EXPECT_EQ(change.value().kind_case(), v1::Value::kBoolValue);
  // Other tests of the fact choose its value.
  Compiled c = Compile("has(attributes.vip) && attributes.vip");
  Answer a = ChangesOn(c, context, true);
  ASSERT_TRUE(a.changes.stated) << a.changes.why;
  ASSERT_THAT(a.changes.changes, SizeIs(1));
  EXPECT_TRUE(a.changes.changes[0].value().bool_value());
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kTrue);
  // A timestamp that must be set gets `now`.
  change =
      ExpectMadeTrue("has(case.incident_at)", context,
                     "case.incident_at would have to be set (it is absent); "
                     "timestamp(\"2026-01-02T12:00:00Z\") would do");
  // Lifting: unset.
  change = ExpectMadeFalse("has(attributes.nps)", context,
                           "attributes.nps would have to be unset (it is 4)");
  EXPECT_EQ(change.kind(), "clear");
  // has() of a scalar tests for a value other than its default.
  change = ExpectMadeFalse("has(customer.tier)", context,
                           "customer.tier would have to be \"\" (it is "
                           "\"silver\")");
  EXPECT_EQ(change.kind(), "clear");
}

TEST(ConditionChangeTest, ADifferenceOfTwoFactsSolvesForTheFirst) {
  v1::Context context = BaseContext();  // opened 2026-01-01, now 01-02 12:00
  v1::ContextChange change = ExpectMadeTrue(
      "now - case.opened_at >= duration('48h')", context,
      "now would have to be at least timestamp(\"2026-01-03T00:00:00Z\") (it "
      "is timestamp(\"2026-01-02T12:00:00Z\"))");
  EXPECT_EQ(change.field(), "now");
  // Through a definition, and strictly: one nanosecond past.
  ProgramBuilder builder;
  ASSERT_TRUE(builder.DeclareDefinition("age", "now - case.opened_at").ok());
  Compiled c;
  auto when = builder.AddCondition("age > duration('48h')", nullptr);
  ASSERT_TRUE(when.ok());
  c.when = *when;
  c.program = std::move(builder).Build();
  Answer a = ChangesOn(c, context, true);
  ASSERT_TRUE(a.changes.stated) << a.changes.why;
  ASSERT_THAT(a.changes.changes, SizeIs(1));
  EXPECT_EQ(a.changes.changes[0].value().timestamp_value().nanos(), 1);
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kTrue);
  // The first unset: the second is solved for.
  ExpectMadeTrue("now - case.incident_at <= duration('24h')", context,
                 "case.incident_at would have to be at least "
                 "timestamp(\"2026-01-01T12:00:00Z\") (it is absent)");
  ExpectMadeTrue("customer.spend_12m + 5000 >= 20000", context,
                 "customer.spend_12m would have to be at least 15000 (it is "
                 "12000)");
}

TEST(ConditionChangeTest, AttributesKeepTheirDeclaredType) {
  v1::Context context = BaseContext();  // nps: 4, score: 0.5, plan: basic
  v1::ContextChange change =
      ExpectMadeTrue("attributes.nps >= 9", context,
                     "attributes.nps would have to be at least 9 (it is 4)");
  EXPECT_EQ(change.value().kind_case(), v1::Value::kIntValue);
  change = ExpectMadeTrue(
      "attributes.score >= 1", context,
      "attributes.score would have to be at least 1.0 (it is 0.5)");
  EXPECT_EQ(change.value().kind_case(), v1::Value::kDoubleValue);
  // An absent attribute is set.
  change =
      ExpectMadeTrue("attributes.vip", context,
                     "attributes.vip would have to be true (it is absent)");
  EXPECT_EQ(change.value().kind_case(), v1::Value::kBoolValue);
  ExpectMadeTrue("attributes.wait > duration('1h')", context,
                 "attributes.wait would have to be at least "
                 "duration(\"3600.000000001s\") (it is absent)");
  // A string attribute that must differ is set to "", not removed.
  change = ExpectMadeTrue("attributes.plan != 'basic'", context,
                          "attributes.plan would have to be other than "
                          "\"basic\" (it is \"basic\"); \"\" would do");
  EXPECT_EQ(change.kind(), "set");
}

TEST(ConditionChangeTest, ComparisonsOfOneFactNarrowTogether) {
  v1::Context context = BaseContext();  // spend 12000
  Compiled c =
      Compile("customer.spend_12m >= 20000 && customer.spend_12m < 30000");
  Answer a = ChangesOn(c, context, true);
  ASSERT_TRUE(a.changes.stated) << a.changes.why;
  ASSERT_THAT(a.changes.changes, SizeIs(1));
  EXPECT_EQ(a.changes.changes[0].value().int_value(), 20000);
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kTrue);
  // From above: the upper bound.
  context.mutable_customer()->set_spend_12m(90000);
  a = ChangesOn(c, context, true);
  ASSERT_TRUE(a.changes.stated) << a.changes.why;
  ASSERT_THAT(a.changes.changes, SizeIs(1));
  EXPECT_EQ(a.changes.changes[0].value().int_value(), 29999);
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kTrue);
  // Values a `!=` excludes are stepped over.
  Compiled ne =
      Compile("customer.spend_12m > 20000 && customer.spend_12m != 20001");
  a = ChangesOn(ne, BaseContext(), true);
  ASSERT_TRUE(a.changes.stated) << a.changes.why;
  ASSERT_THAT(a.changes.changes, SizeIs(1));
  EXPECT_EQ(a.changes.changes[0].value().int_value(), 20002);
}

TEST(ConditionChangeTest, SeveralFalseConjunctsChangeTogether) {
  Compiled c = Compile(
      "customer.tier == 'gold' && customer.spend_12m >= 50000 && "
      "case.channel == 'chat'");
  Answer a = ChangesOn(c, BaseContext(), true);
  ASSERT_TRUE(a.changes.stated) << a.changes.why;
  ASSERT_THAT(a.changes.changes, SizeIs(2));
  EXPECT_EQ(a.changes.changes[0].field(), "customer.tier");
  EXPECT_EQ(a.changes.changes[1].field(), "customer.spend_12m");
  EXPECT_EQ(Evaluate(c, a.changed), ConditionResult::Status::kTrue);
  EXPECT_EQ(a.changes.why,
            "`customer.tier == 'gold'` was false: customer.tier is "
            "\"silver\"; `customer.spend_12m >= 50000` was false: "
            "customer.spend_12m is 12000");
}

TEST(ConditionChangeTest, DefinitionsAreSolvedThrough) {
  ExpectMadeTrue("big_spender", BaseContext(),
                 "customer.spend_12m would have to be at least 50000 (it is "
                 "12000)");
  ExpectMadeTrue("spend >= 70000", BaseContext(),
                 "customer.spend_12m would have to be at least 70000 (it is "
                 "12000)");
  // `||`: the cheaper side (one change either way: the first).
  ExpectMadeTrue("is_vip", BaseContext(),
                 "customer.tier would have to be \"gold\" (it is \"silver\")");
}

TEST(ConditionChangeTest, AlreadyAsWantedNeedsNoChange) {
  Compiled c = Compile("customer.spend_12m >= 100");
  Answer a = ChangesOn(c, BaseContext(), true);
  EXPECT_TRUE(a.changes.stated);
  EXPECT_THAT(a.changes.changes, IsEmpty());
  EXPECT_THAT(a.changes.why, IsEmpty());
  Compiled f = Compile("customer.spend_12m >= 100000");
  a = ChangesOn(f, BaseContext(), false);
  EXPECT_TRUE(a.changes.stated);
  EXPECT_THAT(a.changes.changes, IsEmpty());
}

TEST(ConditionChangeTest, LiftingMakesTheCheapestConjunctFalse) {
  // Leaving `now` alone is cheaper than moving it, whatever the order.
  v1::ContextChange change = ExpectMadeFalse(
      "now >= timestamp('2026-01-01T00:00:00Z') && customer.tier == "
      "'silver'",
      BaseContext(),
      "customer.tier would have to be other than \"silver\" (it is "
      "\"silver\"); unset would do");
  EXPECT_EQ(change.kind(), "clear");
  ExpectMadeFalse("customer.spend_12m >= 10000", BaseContext(),
                  "customer.spend_12m would have to be at most 9999 (it is "
                  "12000)");
  ExpectMadeFalse("customer.spend_12m < 20000", BaseContext(),
                  "customer.spend_12m would have to be at least 20000 (it is "
                  "12000)");
  ExpectMadeFalse("customer.tier in ['silver', 'gold']", BaseContext(),
                  "customer.tier would have to be other than \"silver\", "
                  "\"gold\" (it is \"silver\"); unset would do");
  ExpectMadeFalse("!case.our_fault", BaseContext(),
                  "case.our_fault would have to be true (it is false)");
  ExpectMadeFalse("customer.influence <= 0.25", BaseContext(),
                  "customer.influence would have to be at least "
                  "0.25000000000000006 (it is 0.25)");
}

TEST(ConditionChangeTest, UnstatedRegexHistoryAndArithmetic) {
  struct Case {
    const char* condition;
    const char* why;
  };
  const Case cases[] = {
      {"case.message.matches('(?i)refund')",
       "`case.message.matches('(?i)refund')` was false: case.message is "
       "\"my parcel is late again\"; tact cannot state a change that makes "
       "`case.message.matches('(?i)refund')` true (a regex match)"},
      {"history.exists(e, e.kind == 'goodwill')",
       "tact cannot state a change that makes `history.exists(e, e.kind == "
       "'goodwill')` true (a history scan)"},
      {"customer.spend_12m * 2 > customer.lifetime_value + 100000",
       "tact cannot state a change that makes `customer.spend_12m * 2 > "
       "customer.lifetime_value + 100000` true"},
      {"customer.spend_12m * 2 > 100000",
       "it tests an expression, not a fact or attribute as it is"},
      {"history.count(e, e.kind == 'complaint') >= 3",
       "tact cannot state a change that makes `history.count(e, e.kind == "
       "'complaint') >= 3` true (a history scan)"},
      {"case.message.contains('refund')",
       "tact cannot state a change that makes "
       "`case.message.contains('refund')` true"},
  };
  for (const Case& k : cases) {
    Compiled c = Compile(k.condition);
    Answer a = ChangesOn(c, BaseContext(), true);
    EXPECT_FALSE(a.changes.stated) << k.condition;
    EXPECT_THAT(a.changes.changes, IsEmpty()) << k.condition;
    EXPECT_THAT(a.changes.why, HasSubstr(k.why)) << k.condition;
  }
}

TEST(ConditionChangeTest, ComputedFactsAreNeverChanged) {
  // A service-level fact (Frame::SetComputed) is not context input: no
  // change of it is stated, whether it is set or not.
  for (bool set : {false, true}) {
    for (bool want : {true, false}) {
      ProgramBuilder builder;
      absl::StatusOr<int32_t> state =
          builder.DeclareComputed("sla.x.state", ValueType::kString);
      absl::StatusOr<int32_t> due =
          builder.DeclareComputed("sla.x.due", ValueType::kTimestamp);
      ASSERT_TRUE(state.ok() && due.ok());
      const std::string condition =
          want ? "sla.x.state == 'breached'" : "has(sla.x.due)";
      auto when = builder.AddCondition(condition, nullptr);
      ASSERT_TRUE(when.ok()) << when.status();
      auto program = std::move(builder).Build();
      const v1::Context context = BaseContext();
      auto frame = Frame::Create(*program, context);
      ASSERT_TRUE(frame.ok());
      if (set) {
        (*frame)->SetComputed(*state, Value::String("met"));
        (*frame)->SetComputed(*due, Value::Timestamp(0));
      }
      if (!want && !set) continue;  // already false: nothing to change
      ConditionChanges changes =
          ChangesFor(*program, *when, **frame, context, want);
      EXPECT_FALSE(changes.stated) << condition;
      EXPECT_THAT(changes.changes, IsEmpty()) << condition;
      EXPECT_THAT(
          changes.why,
          HasSubstr(absl::StrCat(
              "tact cannot state a change that makes `", condition, "` ",
              want ? "true" : "false", ": ", want ? "sla.x.state" : "sla.x.due",
              " is computed by tact (a service level), not set by "
              "the context")))
          << condition;
    }
  }
}

TEST(ConditionChangeTest, NoIntAboveTheLargestIsNotStated) {
  Compiled c = Compile("customer.spend_12m > 9223372036854775807");
  Answer a = ChangesOn(c, BaseContext(), true);
  EXPECT_FALSE(a.changes.stated);
  EXPECT_THAT(a.changes.why,
              HasSubstr("no value of customer.spend_12m tact can state"));
  Compiled contradiction =
      Compile("customer.spend_12m > 100 && customer.spend_12m < 50");
  a = ChangesOn(contradiction, BaseContext(), true);
  EXPECT_FALSE(a.changes.stated);
}

TEST(ConditionChangeTest, ApplyFieldChangeSetsAndClearsByPath) {
  v1::Context context = BaseContext();
  v1::ContextChange change;
  change.set_kind("set");
  change.set_field("customer.influence");
  change.mutable_value()->set_int_value(1);  // an int sets a double field
  ASSERT_TRUE(ApplyFieldChange(change, &context).ok());
  EXPECT_EQ(context.customer().influence(), 1.0);

  change.set_field("case.incident_at");
  change.mutable_value()->mutable_timestamp_value()->set_seconds(42);
  ASSERT_TRUE(ApplyFieldChange(change, &context).ok());
  EXPECT_EQ(context.case_().incident_at().seconds(), 42);
  change.set_kind("clear");
  ASSERT_TRUE(ApplyFieldChange(change, &context).ok());
  EXPECT_FALSE(context.case_().has_incident_at());

  change.set_field("attributes.plan");
  ASSERT_TRUE(ApplyFieldChange(change, &context).ok());
  EXPECT_FALSE(context.attributes().contains("plan"));
  change.set_kind("set");
  change.mutable_value()->set_string_value("pro");
  change.set_field("attributes.tier2");
  ASSERT_TRUE(ApplyFieldChange(change, &context).ok());
  EXPECT_EQ(context.attributes().at("tier2").string_value(), "pro");
}

TEST(ConditionChangeTest, ApplyFieldChangeRejectsUnknownPathsAndWrongTypes) {
  v1::Context context = BaseContext();
  v1::ContextChange change;
  change.set_kind("set");
  change.set_field("customer.teir");
  change.mutable_value()->set_string_value("gold");
  absl::Status s = ApplyFieldChange(change, &context);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("customer.teir"));

  change.set_field("customer.spend_12m");
  s = ApplyFieldChange(change, &context);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("customer.spend_12m: the field is an int; the change "
                        "sets a string"));

  change.set_field("history");
  EXPECT_EQ(ApplyFieldChange(change, &context).code(),
            absl::StatusCode::kInvalidArgument);
  change.set_field("customer.tier");
  change.set_kind("remove_events");
  EXPECT_EQ(ApplyFieldChange(change, &context).code(),
            absl::StatusCode::kInvalidArgument);
}

// Every rule of the example policies on every example context: each change
// stated makes the rule's condition come out as wanted (true when it was
// not, false when it was).
TEST(ConditionChangeTest, EveryStatedChangeHoldsOnTheExamplePolicies) {
  struct Example {
    const char* policy;
    bool playbook;  // which contexts: playbook_*.json or the others
  };
  int stated = 0, unstated = 0;
  for (const Example& example :
       {Example{"examples/policies/support.textproto", false},
        Example{"examples/policies/service_playbook.textproto", true}}) {
    std::vector<Diagnostic> diagnostics;
    absl::StatusOr<LoadedPolicy> loaded = ReadPolicyFile(
        example.policy, PolicyFormat::kAuto, 1 << 24, &diagnostics);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    std::unique_ptr<const PolicyPlan> plan =
        BuildPlan(*loaded, CompileOptions(), &diagnostics);
    ASSERT_NE(plan, nullptr) << example.policy;
    const Program& program = *plan->program;
    for (const auto& entry :
         std::filesystem::directory_iterator("examples/contexts")) {
      const std::string name = entry.path().filename().string();
      if ((name.rfind("playbook_", 0) == 0) != example.playbook) continue;
      absl::StatusOr<std::string> json =
          ReadFileUpTo(entry.path().string(), 1 << 20, "context file");
      ASSERT_TRUE(json.ok()) << json.status();
      absl::StatusOr<v1::Context> context = ContextFromJson(*json);
      ASSERT_TRUE(context.ok()) << name << ": " << context.status();
      for (const RulePlan& rule : plan->rules) {
        auto frame = Frame::Create(program, *context);
        ASSERT_TRUE(frame.ok()) << frame.status();
        const bool want =
            !EvaluateCondition(program, rule.when, **frame).holds();
        ConditionChanges changes =
            ChangesFor(program, rule.when, **frame, *context, want);
        if (!changes.stated) {
          ++unstated;
          EXPECT_THAT(changes.why, Not(IsEmpty())) << rule.id;
          continue;
        }
        if (changes.changes.empty()) continue;
        ++stated;
        v1::Context changed = *context;
        for (const v1::ContextChange& change : changes.changes) {
          ASSERT_TRUE(ApplyFieldChange(change, &changed).ok())
              << change.ShortDebugString();
        }
        auto after = Frame::Create(program, changed);
        ASSERT_TRUE(after.ok()) << after.status();
        EXPECT_EQ(EvaluateCondition(program, rule.when, **after).status,
                  want ? ConditionResult::Status::kTrue
                       : ConditionResult::Status::kFalse)
            << example.policy << " " << name << " rule " << rule.id;
      }
    }
  }
  // Not vacuous: most rules get a change, a few (regexes, history) do not.
  EXPECT_GT(stated, 100);
  EXPECT_GT(unstated, 0);
}

}  // namespace
}  // namespace tact::internal
