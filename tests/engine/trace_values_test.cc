// Issue 16: with a full trace, a rule whose condition was false shows the
// values its false conjunct's operands had (RuleTrace.values), each as a CEL
// literal, bounded in number and size and charged to the string budget.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::tact::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;

constexpr absl::string_view kHead = R"pb(
  name: "values"
  currency: "USD"
  actions { id: "reply" }
  attributes { name: "plan" type: STRING }
  attributes { name: "nps" type: INT }
  attributes { name: "vip" type: BOOL }
  definitions { name: "spend" expr: "customer.spend_12m" }
  definitions { name: "is_gold" expr: "customer.tier == 'gold'" }
  definitions {
    name: "complaints"
    expr: "history.filter(e, e.kind == 'complaint').size()"
  }
)pb";

constexpr absl::string_view kContext = R"pb(
  now { seconds: 1767607200 }  # 2026-01-05T10:00:00Z
  customer { id: "c1" tier: "silver" spend_12m: 1200 influence: 12.5 }
  case {
    id: "k1"
    channel: "email"
    message: "where is my \"parcel\"?"
    opened_at { seconds: 1767520800 }  # 2026-01-04T10:00:00Z
    our_fault: false
  }
  history {
    at { seconds: 1767000000 }
    kind: "complaint"
  }
  attributes {
    key: "nps"
    value { int_value: 3 }
  }
)pb";

v1::Context Context() {
  v1::Context context;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      std::string(kContext), &context));
  return context;
}

// The values shown for the one rule `when`, as (expression, value) pairs.
std::vector<std::pair<std::string, std::string>> ValuesOf(
    absl::string_view when, const v1::Context& context = Context()) {
  std::string text =
      absl::StrCat(kHead, "rules { id: \"r\" when: ", "\"", absl::CEscape(when),
                   "\"", " recommend { action: \"reply\" } }");
  auto engine = Engine::FromText(text, PolicyFormat::kText, "t.textproto");
  EXPECT_THAT(engine, IsOk());
  std::vector<std::pair<std::string, std::string>> out;
  if (!engine.ok()) return out;
  DecideOptions options;
  options.trace = true;
  absl::StatusOr<v1::Decision> d = (*engine)->Decide(context, options);
  EXPECT_THAT(d, IsOk());
  if (!d.ok() || d->trace_size() != 1) return out;
  EXPECT_FALSE(d->trace(0).fired()) << when;
  for (const v1::Binding& b : d->trace(0).values()) {
    out.emplace_back(b.expression(), b.value());
  }
  return out;
}

TEST(TraceValuesTest, FactsOfEachTypeAsCelLiterals) {
  EXPECT_THAT(ValuesOf("customer.tier == 'gold'"),
              ElementsAre(Pair("customer.tier", "\"silver\"")));
  EXPECT_THAT(ValuesOf("customer.spend_12m >= 50000"),
              ElementsAre(Pair("customer.spend_12m", "1200")));
  EXPECT_THAT(ValuesOf("customer.influence > 20.0"),
              ElementsAre(Pair("customer.influence", "12.5")));
  EXPECT_THAT(ValuesOf("case.our_fault == true"),
              ElementsAre(Pair("case.our_fault", "false")));
  EXPECT_THAT(
      ValuesOf("case.message == 'hi'"),
      ElementsAre(Pair("case.message", "\"where is my \\\"parcel\\\"?\"")));
  EXPECT_THAT(ValuesOf("case.channel in ['chat', 'phone']"),
              ElementsAre(Pair("case.channel", "\"email\"")));
}

TEST(TraceValuesTest, NowTimestampsAndDurations) {
  EXPECT_THAT(ValuesOf("now < timestamp('2026-01-01T00:00:00Z')"),
              ElementsAre(Pair("now", "timestamp(\"2026-01-05T10:00:00Z\")")));
  // Arithmetic shows its result, then the facts it read.
  EXPECT_THAT(ValuesOf("now - case.opened_at > duration('48h')"),
              ElementsAre(Pair("now - case.opened_at", "duration(\"86400s\")"),
                          Pair("now", "timestamp(\"2026-01-05T10:00:00Z\")"),
                          Pair("case.opened_at",
                               "timestamp(\"2026-01-04T10:00:00Z\")")));
}

TEST(TraceValuesTest, DefinitionsByNameAndThrough) {
  // A definition compared: its value by name.
  EXPECT_THAT(ValuesOf("spend > 5000"), ElementsAre(Pair("spend", "1200")));
  // A conjunct that is a definition: the operands of its body.
  EXPECT_THAT(ValuesOf("is_gold"),
              ElementsAre(Pair("customer.tier", "\"silver\"")));
  // Negated: the definition's value.
  EXPECT_THAT(ValuesOf("!(customer.spend_12m < 5000)"),
              ElementsAre(Pair("customer.spend_12m", "1200")));
}

TEST(TraceValuesTest, AttributesPresentAndAbsent) {
  EXPECT_THAT(ValuesOf("attributes.nps >= 9"),
              ElementsAre(Pair("attributes.nps", "3")));
  EXPECT_THAT(ValuesOf("has(attributes.vip)"),
              ElementsAre(Pair("attributes.vip", "absent")));
  EXPECT_THAT(ValuesOf("has(case.incident_at)"),
              ElementsAre(Pair("case.incident_at", "absent")));
}

TEST(TraceValuesTest, SizesRegexesAndHistoryCounts) {
  EXPECT_THAT(ValuesOf("size(case.message) > 100"),
              ElementsAre(Pair("size(case.message)", "21")));
  EXPECT_THAT(
      ValuesOf("case.message.matches('(?i)refund')"),
      ElementsAre(Pair("case.message", "\"where is my \\\"parcel\\\"?\"")));
  EXPECT_THAT(ValuesOf("history.filter(e, e.kind == 'complaint').size() >= 3"),
              ElementsAre(Pair(
                  "history.filter(e, e.kind == 'complaint').size()", "1")));
  EXPECT_THAT(ValuesOf("complaints >= 3"),
              ElementsAre(Pair("complaints", "1")));
  // A bare history macro is its own value: nothing more to show.
  EXPECT_THAT(ValuesOf("history.exists(e, e.kind == 'refund')"), IsEmpty());
}

TEST(TraceValuesTest, EachRuleShowsItsOwnSpelling) {
  // Both conditions compile to one shared node; each trace keeps its text.
  std::string text = absl::StrCat(kHead, R"pb(
    rules {
      id: "a"
      when: "size(case.message) > 100"
      recommend { action: "reply" }
    }
    rules {
      id: "b"
      when: "case.message.size() > 100"
      recommend { action: "reply" }
    }
  )pb");
  auto engine = Engine::FromText(text, PolicyFormat::kText, "t.textproto");
  ASSERT_THAT(engine, IsOk());
  DecideOptions options;
  options.trace = true;
  absl::StatusOr<v1::Decision> d = (*engine)->Decide(Context(), options);
  ASSERT_THAT(d, IsOk());
  ASSERT_EQ(d->trace_size(), 2);
  ASSERT_EQ(d->trace(0).values_size(), 1);
  ASSERT_EQ(d->trace(1).values_size(), 1);
  EXPECT_EQ(d->trace(0).values(0).expression(), "size(case.message)");
  EXPECT_EQ(d->trace(1).values(0).expression(), "case.message.size()");
}

TEST(TraceValuesTest, LongStringsAreAbbreviated) {
  v1::Context context = Context();
  context.mutable_case_()->set_message(std::string(1000, 'x'));
  auto values = ValuesOf("case.message == 'short'", context);
  ASSERT_THAT(values, SizeIs(1));
  EXPECT_EQ(values[0].second.substr(0, 5), "\"xxxx");
  EXPECT_LE(values[0].second.size(), 256u + 32u);
  EXPECT_THAT(values[0].second, HasSubstr("\u2026 (1002 bytes)"));
}

TEST(TraceValuesTest, AtMostEightOperands) {
  auto values = ValuesOf(
      "customer.id == 'a' || customer.tier == 'a' || case.id == 'a' || "
      "case.channel == 'a' || case.category == 'a' || case.severity == 'a' "
      "|| case.message == 'a' || attributes.plan == 'a' || "
      "customer.spend_12m == 1 || customer.tenure_days == 1");
  // The attribute is absent, so this `||` fails rather than being false.
  EXPECT_THAT(values, IsEmpty());
  values = ValuesOf(
      "customer.id == 'a' || customer.tier == 'a' || case.id == 'a' || "
      "case.channel == 'a' || case.category == 'a' || case.severity == 'a' "
      "|| case.message == 'a' || customer.orders_12m == 1 || "
      "customer.spend_12m == 1 || customer.tenure_days == 1");
  ASSERT_THAT(values, SizeIs(8));
  EXPECT_EQ(values[0].first, "customer.id");
  EXPECT_EQ(values[7].first, "customer.orders_12m");
}

TEST(TraceValuesTest, OnlyWithAFullTraceAndOnlyForFalseConjuncts) {
  std::string text = absl::StrCat(kHead, R"pb(
    rules {
      id: "fires"
      when: "customer.tier == 'silver'"
      recommend { action: "reply" }
    }
    rules {
      id: "false"
      when: "customer.tier == 'gold'"
      recommend { action: "reply" }
    }
  )pb");
  auto engine = Engine::FromText(text, PolicyFormat::kText, "t.textproto");
  ASSERT_THAT(engine, IsOk());
  DecideOptions options;
  options.trace = true;
  absl::StatusOr<v1::Decision> d = (*engine)->Decide(Context(), options);
  ASSERT_THAT(d, IsOk());
  ASSERT_EQ(d->trace_size(), 2);
  EXPECT_THAT(d->trace(0).values(), IsEmpty());
  EXPECT_THAT(d->trace(1).values(), SizeIs(1));
  d = (*engine)->Decide(Context(), DecideOptions());
  ASSERT_THAT(d, IsOk());
  EXPECT_THAT(d->trace(), IsEmpty());
}

TEST(TraceValuesTest, ValuesAreChargedToTheStringBudget) {
  std::string text = absl::StrCat(kHead, R"pb(
    rules {
      id: "r"
      when: "case.message == 'short'"
      recommend { action: "reply" }
    }
  )pb");
  auto engine = Engine::FromText(text, PolicyFormat::kText, "t.textproto");
  ASSERT_THAT(engine, IsOk());
  v1::Context context = Context();
  context.mutable_case_()->set_message(std::string(1000, 'x'));
  DecideOptions options;
  options.trace = true;
  options.max_string_bytes_built = 200;  // less than the shown value
  EXPECT_THAT((*engine)->Decide(context, options),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("the values of a trace")));
  options.max_string_bytes_built = 400;
  EXPECT_THAT((*engine)->Decide(context, options), IsOk());
}

}  // namespace
}  // namespace tact
