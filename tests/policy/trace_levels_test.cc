// Issue 16, item 3: TRACE_EVALUATED lists the rules the rule index
// evaluated, in policy order, each entry as the full trace has it, and
// changes no decision.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::Ids;
using ::tact::testing::MustCompile;
using ::tact::testing::MustDecide;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 2026-01-05T10:00:00Z.
constexpr int64_t kNow = 1767607200;

// Rules on the tier and the sentiment (indexed: several rules compare each
// with a constant), one whose conjuncts the index cannot decide and may err
// (a single rule tests attributes.n and case.channel), a `final` stop above a
// low-priority reply, a veto whose condition may err and a recommendation whose
// own `when` may. Priorities put evaluation order (priority first) apart from
// policy order.
constexpr absl::string_view kPolicy = R"pb(
  actions { id: "refund" }
  actions { id: "note" }
  actions { id: "upgrade" }
  actions { id: "risk_review" }
  actions { id: "reply" }
  actions { id: "gift" }
  attributes { name: "n" type: INT }
  attributes { name: "blocked" type: BOOL }
  rules {
    id: "low-reply"
    when: "case.sentiment < 0.9"
    recommend { action: "reply" }
    priority: 1
  }
  rules {
    id: "gold-refund"
    when: "customer.tier == 'gold' && case.sentiment < 0.0"
    recommend { action: "refund" }
    priority: 10
  }
  rules {
    id: "silver-note"
    when: "customer.tier == 'silver'"
    recommend { action: "note" }
    priority: 20
  }
  rules {
    id: "gold-upgrade"
    when: "customer.tier == 'gold' && attributes.n > 5 && case.channel == 'chat'"
    recommend { action: "upgrade" }
    priority: 30
  }
  rules {
    id: "stop"
    when: "case.sentiment < -0.8"
    recommend { action: "risk_review" }
    priority: 50
    final: true
  }
  rules { id: "no-gift" when: "attributes.blocked" veto: "gift" priority: 40 }
  rules {
    id: "gift-when"
    recommend { action: "gift" when: "attributes.n > 0" }
    priority: 5
  }
)pb";

v1::Context Context(absl::string_view tier, double sentiment,
                    absl::string_view attributes = "",
                    absl::string_view channel = "") {
  v1::Context context;
  std::string text =
      absl::StrCat("now { seconds: ", kNow, " } customer { id: \"c1\" tier: \"",
                   tier, "\" } case { id: \"k1\" channel: \"", channel,
                   "\" sentiment: ", sentiment, " } ", attributes);
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

DecideOptions Level(v1::TraceLevel level) {
  DecideOptions options;
  options.trace_level = level;
  return options;
}

std::vector<std::string> TracedIds(const v1::Decision& d) {
  std::vector<std::string> ids;
  for (const v1::RuleTrace& t : d.trace()) ids.push_back(t.rule_id());
  return ids;
}

const v1::RuleTrace* Entry(const v1::Decision& d, absl::string_view id) {
  for (const v1::RuleTrace& t : d.trace()) {
    if (t.rule_id() == id) return &t;
  }
  return nullptr;
}

// The contexts the tests below run on: every tier, sentiments on each side
// of every constant, with and without the attributes that err.
std::vector<v1::Context> Contexts() {
  std::vector<v1::Context> out;
  for (absl::string_view tier : {"gold", "silver", "bronze"}) {
    for (double sentiment : {-0.9, -0.5, 0.7, 0.95}) {
      for (absl::string_view attributes :
           {"", "attributes { key: \"n\" value { int_value: 9 } }",
            "attributes { key: \"n\" value { int_value: 1 } } attributes { "
            "key: \"blocked\" value { bool_value: false } }"}) {
        for (absl::string_view channel : {"", "chat"}) {
          out.push_back(Context(tier, sentiment, attributes, channel));
        }
      }
    }
  }
  return out;
}

TEST(TraceLevelsTest, OnlyTheRulesTheIndexEvaluatedInPolicyOrder) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d =
      MustDecide(*engine, Context("silver", -0.5), Level(v1::TRACE_EVALUATED));
  EXPECT_EQ(d.trace_level(), v1::TRACE_EVALUATED);
  // Left out: the gold rules (their tier test is false) and "stop" (its
  // sentiment test is).
  EXPECT_THAT(TracedIds(d),
              ElementsAre("low-reply", "silver-note", "no-gift", "gift-when"));
  EXPECT_TRUE(Entry(d, "silver-note")->fired());
  EXPECT_TRUE(Entry(d, "low-reply")->fired());
  // No construct trace, and no operand values: those are TRACE_FULL's.
  EXPECT_EQ(d.construct_trace_size(), 0);
  for (const v1::RuleTrace& t : d.trace()) EXPECT_EQ(t.values_size(), 0);
  v1::Decision full =
      MustDecide(*engine, Context("silver", -0.5), Level(v1::TRACE_FULL));
  EXPECT_EQ(full.trace_size(), 7);
}

TEST(TraceLevelsTest, ARuleThatDidNotHoldNamesItsFirstFalseConjunct) {
  auto engine = MustCompile(kPolicy);
  // The index proved the tier test; attributes.n > 5 is the one left false.
  v1::Decision d = MustDecide(
      *engine,
      Context("gold", 0.7, "attributes { key: \"n\" value { int_value: 1 } }",
              "chat"),
      Level(v1::TRACE_EVALUATED));
  const v1::RuleTrace* upgrade = Entry(d, "gold-upgrade");
  ASSERT_NE(upgrade, nullptr);
  EXPECT_FALSE(upgrade->fired());
  EXPECT_EQ(upgrade->failed_condition(), "attributes.n > 5");
  EXPECT_EQ(upgrade->error(), "");
  // With n = 9 it fires.
  d = MustDecide(
      *engine,
      Context("gold", 0.7, "attributes { key: \"n\" value { int_value: 9 } }",
              "chat"),
      Level(v1::TRACE_EVALUATED));
  EXPECT_TRUE(Entry(d, "gold-upgrade")->fired());
  EXPECT_EQ(Entry(d, "gold-upgrade")->failed_condition(), "");
}

TEST(TraceLevelsTest, EachEntryIsTheFullTracesEntryForThatRule) {
  auto engine = MustCompile(kPolicy);
  int compared = 0;
  for (const v1::Context& context : Contexts()) {
    v1::Decision evaluated =
        MustDecide(*engine, context, Level(v1::TRACE_EVALUATED));
    v1::Decision full = MustDecide(*engine, context, Level(v1::TRACE_FULL));
    // Policy order: a subsequence of the full trace's.
    std::map<std::string, int> position;
    for (int i = 0; i < full.trace_size(); ++i) {
      position[full.trace(i).rule_id()] = i;
    }
    int last = -1;
    for (const v1::RuleTrace& entry : evaluated.trace()) {
      ASSERT_TRUE(position.count(entry.rule_id())) << entry.rule_id();
      const int i = position[entry.rule_id()];
      EXPECT_GT(i, last) << entry.rule_id();
      last = i;
      v1::RuleTrace expected = full.trace(i);
      expected.clear_values();
      EXPECT_TRUE(
          google::protobuf::util::MessageDifferencer::Equals(entry, expected))
          << context.ShortDebugString()
          << "\nevaluated: " << entry.ShortDebugString()
          << "\nfull: " << expected.ShortDebugString();
      ++compared;
    }
    // Every rule that fired or was shadowed is there: only rules with a
    // false indexed test are left out.
    for (const v1::RuleTrace& t : full.trace()) {
      if (t.fired() || t.shadowed_by_final() || !t.error().empty()) {
        EXPECT_NE(Entry(evaluated, t.rule_id()), nullptr)
            << t.rule_id() << " in " << context.ShortDebugString();
      }
    }
  }
  EXPECT_GT(compared, 100);
}

TEST(TraceLevelsTest, TheEvaluatedTraceChangesNoDecision) {
  auto engine = MustCompile(kPolicy);
  for (const v1::Context& context : Contexts()) {
    v1::Decision off = MustDecide(*engine, context);
    v1::Decision evaluated =
        MustDecide(*engine, context, Level(v1::TRACE_EVALUATED));
    EXPECT_GT(evaluated.trace_size(), 0);
    evaluated.clear_trace();
    evaluated.clear_trace_level();
    EXPECT_EQ(off.SerializeAsString(), evaluated.SerializeAsString())
        << context.ShortDebugString();
  }
}

TEST(TraceLevelsTest, ARuleAFinalRuleShadowsSaysItHeld) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d =
      MustDecide(*engine, Context("gold", -0.9), Level(v1::TRACE_EVALUATED));
  EXPECT_THAT(Ids(d), ElementsAre("risk_review"));
  EXPECT_TRUE(Entry(d, "stop")->fired());
  for (absl::string_view id : {"gold-refund", "low-reply"}) {
    const v1::RuleTrace* entry = Entry(d, id);
    ASSERT_NE(entry, nullptr) << id;
    EXPECT_TRUE(entry->shadowed_by_final()) << id;
    EXPECT_FALSE(entry->fired()) << id;
  }
  // Shadowed and false: its false conjunct, as in the full trace.
  const v1::RuleTrace* upgrade = Entry(d, "gold-upgrade");
  ASSERT_NE(upgrade, nullptr);
  EXPECT_FALSE(upgrade->shadowed_by_final());
  EXPECT_EQ(upgrade->failed_condition(), "case.channel == 'chat'");
}

TEST(TraceLevelsTest, AFalseConjunctWinsOverAnErringOne) {
  auto engine = MustCompile(kPolicy);
  // No attribute n: `attributes.n > 5` errs, `case.channel == 'chat'` is
  // false.
  v1::Decision d =
      MustDecide(*engine, Context("gold", 0.7), Level(v1::TRACE_EVALUATED));
  const v1::RuleTrace* upgrade = Entry(d, "gold-upgrade");
  ASSERT_NE(upgrade, nullptr);
  EXPECT_EQ(upgrade->failed_condition(), "case.channel == 'chat'");
  EXPECT_EQ(upgrade->error(), "");
  // On chat nothing is false, so the error is the answer.
  d = MustDecide(*engine, Context("gold", 0.7, "", "chat"),
                 Level(v1::TRACE_EVALUATED));
  upgrade = Entry(d, "gold-upgrade");
  ASSERT_NE(upgrade, nullptr);
  EXPECT_EQ(upgrade->failed_condition(), "");
  EXPECT_THAT(upgrade->error(), HasSubstr("attributes.n > 5: "));
}

TEST(TraceLevelsTest, ErrorsOfAVetoAndOfARecommendationAreInTheirEntries) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d =
      MustDecide(*engine, Context("bronze", 0.7), Level(v1::TRACE_EVALUATED));
  // The veto's condition erred: flagged, as without a trace.
  EXPECT_THAT(Entry(d, "no-gift")->error(), HasSubstr("attributes.blocked"));
  std::vector<std::string> flags;
  for (const v1::Flag& f : d.flags()) flags.push_back(f.code());
  EXPECT_THAT(flags, Contains("restriction_errored"));
  // The rule fired; its recommendation's `when` erred.
  EXPECT_TRUE(Entry(d, "gift-when")->fired());
  EXPECT_THAT(Entry(d, "gift-when")->error(),
              HasSubstr("when of gift: attributes.n > 0"));
}

TEST(TraceLevelsTest, AnUnknownTraceLevelIsInvalidArgument) {
  auto engine = MustCompile(kPolicy);
  absl::StatusOr<v1::Decision> d = engine->Decide(
      Context("gold", 0.0), Level(static_cast<v1::TraceLevel>(7)));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("unknown trace_level 7"));
  // `trace = true` means TRACE_FULL whatever trace_level says.
  DecideOptions traced = Level(static_cast<v1::TraceLevel>(7));
  traced.trace = true;
  EXPECT_EQ(MustDecide(*engine, Context("gold", 0.0), traced).trace_level(),
            v1::TRACE_FULL);
}

}  // namespace
}  // namespace tact
