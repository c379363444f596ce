// Fail closed (issue 14 #3, #4): history a construct cannot interpret never
// loosens a restriction (Decide rejects the context, naming the field); a
// restricting rule or construct that errs is visible in the decision as a
// `restriction_errored` flag; out of memory is ResourceExhausted, never an
// abort.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/codes.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kSupportPolicy[] = "examples/policies/support.textproto";

v1::Context MustParse(absl::string_view json) {
  absl::StatusOr<v1::Context> context = ContextFromJson(json);
  EXPECT_THAT(context.status(), IsOk());
  return context.ok() ? *context : v1::Context();
}

std::unique_ptr<const Engine> MustCompile(absl::string_view text) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(text, PolicyFormat::kText, "fail_closed.textproto");
  EXPECT_THAT(engine.status(), IsOk());
  return engine.ok() ? *std::move(engine) : nullptr;
}

std::vector<std::string> ActionIds(const v1::Decision& d) {
  std::vector<std::string> ids;
  for (const v1::RecommendedAction& a : d.actions()) ids.push_back(a.action());
  return ids;
}

std::vector<std::string> FlagCodes(const v1::Decision& d) {
  std::vector<std::string> codes;
  for (const v1::Flag& f : d.flags()) codes.push_back(f.code());
  return codes;
}

// The shipped support policy: three complaints in 90 days that were not our
// fault are three strikes (a veto and a `final` hold).
constexpr absl::string_view kThreeComplaints = R"({
  "now": "2026-03-10T15:00:00Z",
  "customer": {"id": "cus_1", "tier": "standard", "spend12m": "30000"},
  "case": {"id": "case_9", "channel": "email", "category": "delivery",
           "severity": "medium", "ourFault": false},
  "history": [
    {"at": "2026-01-29T11:30:00Z", "kind": "complaint"},
    {"at": "2026-02-28T08:15:00Z", "kind": "complaint"},
    {"at": "2026-03-01T08:15:00Z", "kind": "complaint"}
  ]
})";

TEST(FailClosedTest, UndatedComplaintOnTheSupportPolicyIsRejected) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromFile(kSupportPolicy);
  ASSERT_THAT(engine.status(), IsOk());
  v1::Context context = MustParse(kThreeComplaints);
  absl::StatusOr<v1::Decision> dated = (*engine)->Decide(context);
  ASSERT_THAT(dated.status(), IsOk());
  EXPECT_THAT(ActionIds(*dated), ::testing::Contains("polite_decline"));
  EXPECT_THAT(ActionIds(*dated),
              ::testing::Not(::testing::Contains("goodwill_credit")));

  // One more complaint, undated: it used to make `recent_complaints` err,
  // so the three-strikes veto vanished and a goodwill credit came back.
  context.add_history()->set_kind("complaint");
  absl::StatusOr<v1::Decision> undated = (*engine)->Decide(context);
  ASSERT_FALSE(undated.ok());
  EXPECT_EQ(undated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(undated.status().message(),
            "context.history[3].at: missing; every history event needs a "
            "time (an undated event could not be placed in a window, so a "
            "limit would not count it)");
}

TEST(FailClosedTest, TimesOutsideWhatExpressionsHandleAreRejected) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromFile(kSupportPolicy);
  ASSERT_THAT(engine.status(), IsOk());
  // The last and first seconds that fit in int64 nanoseconds are accepted.
  for (int64_t seconds : {int64_t{9223372035}, int64_t{-9223372035}}) {
    v1::Context context = MustParse(kThreeComplaints);
    context.mutable_history(1)->mutable_at()->set_seconds(seconds);
    EXPECT_THAT((*engine)->Decide(context).status(), IsOk()) << seconds;
  }
  // One second beyond (year 2262 / 1677), and year 9999, are not.
  for (int64_t seconds :
       {int64_t{9223372036}, int64_t{-9223372036}, int64_t{253402300799}}) {
    v1::Context context = MustParse(kThreeComplaints);
    context.mutable_history(1)->mutable_at()->set_seconds(seconds);
    absl::StatusOr<v1::Decision> d = (*engine)->Decide(context);
    ASSERT_FALSE(d.ok()) << seconds;
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(d.status().message(),
              absl::StrCat("context.history[1].at: (seconds=", seconds,
                           ", nanos=0) is outside the years 1678 to 2262 that "
                           "expressions handle"));
  }
  v1::Context late_now = MustParse(kThreeComplaints);
  late_now.mutable_now()->set_seconds(9223372036);
  absl::StatusOr<v1::Decision> d = (*engine)->Decide(late_now);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "context.now: (seconds=9223372036, nanos=0) is outside the years "
            "1678 to 2262 that expressions handle");
}

// A negative or missing amount on a goodwill event is not a grant: it never
// raises what the budget has left.
TEST(FailClosedTest, NegativeOrMissingGrantDoesNotRaiseTheBudget) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    currency: "USD"
    actions { id: "credit" amount_param: "amount" }
    budgets { id: "gw" window: "30d" per_window: "1000" }
    rules {
      id: "give"
      recommend {
        action: "credit"
        params { key: "amount" value: "5000" }
      }
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  auto credit = [&](absl::string_view history) -> int64_t {
    absl::StatusOr<v1::Decision> d = engine->Decide(MustParse(absl::StrCat(
        R"({"now": "2026-03-10T15:00:00Z", "history": [)", history, "]}")));
    EXPECT_THAT(d.status(), IsOk());
    if (!d.ok() || d->actions_size() == 0) return -1;
    for (const v1::Param& p : d->actions(0).params()) {
      if (p.name() == "amount") return p.value().int_value();
    }
    return -1;
  };
  EXPECT_EQ(credit(""), 1000);
  EXPECT_EQ(credit(R"({"at": "2026-03-01T00:00:00Z", "kind": "goodwill",
                      "amount": "300"})"),
            700);
  EXPECT_EQ(credit(R"({"at": "2026-03-01T00:00:00Z", "kind": "goodwill",
                      "amount": "-500"})"),
            1000);
  EXPECT_EQ(credit(R"({"at": "2026-03-01T00:00:00Z", "kind": "goodwill"})"),
            1000);
}

// --- restriction_errored --------------------------------------------------

constexpr absl::string_view kVetoPolicy = R"pb(
  currency: "USD"
  actions { id: "apologize" }
  actions { id: "credit" }
  attributes { name: "d" type: INT }
  rules {
    id: "offer"
    recommend { action: "apologize" }
    recommend { action: "credit" }
  }
  rules {
    id: "no-credit"
    when: "100 / attributes.d > 10"
    veto: "credit"
    priority: 5
  }
  rules {
    id: "nice"
    when: "100 / attributes.d > 10"
    recommend { action: "apologize" }
  }
)pb";

v1::Context WithD(int64_t d) {
  return MustParse(absl::StrCat(
      R"({"now": "2026-03-10T15:00:00Z", "attributes": {"d": {"intValue": ")",
      d, R"("}}})"));
}

TEST(RestrictionErroredTest, AVetoRuleThatErrsIsFlagged) {
  std::unique_ptr<const Engine> engine = MustCompile(kVetoPolicy);
  ASSERT_NE(engine, nullptr);
  for (bool trace : {false, true}) {
    DecideOptions options;
    options.trace = trace;
    // Holds: the veto applies, no flag.
    absl::StatusOr<v1::Decision> holds = engine->Decide(WithD(1), options);
    ASSERT_THAT(holds.status(), IsOk());
    EXPECT_THAT(ActionIds(*holds), ElementsAre("apologize"));
    EXPECT_THAT(FlagCodes(*holds), IsEmpty());
    // False: nothing to restrict, no flag.
    absl::StatusOr<v1::Decision> fails = engine->Decide(WithD(50), options);
    ASSERT_THAT(fails.status(), IsOk());
    EXPECT_THAT(ActionIds(*fails), ElementsAre("apologize", "credit"));
    EXPECT_THAT(FlagCodes(*fails), IsEmpty());
    // Errs (division by zero): the veto is not applied, and the decision
    // says so; the non-restricting rule "nice" that errs too is not flagged.
    absl::StatusOr<v1::Decision> errs = engine->Decide(WithD(0), options);
    ASSERT_THAT(errs.status(), IsOk());
    EXPECT_THAT(ActionIds(*errs), ElementsAre("apologize", "credit"));
    ASSERT_EQ(errs->flags_size(), 1) << trace;
    const v1::Flag& flag = errs->flags(0);
    EXPECT_EQ(flag.code(), Name(FlagCode::kRestrictionErrored));
    EXPECT_EQ(flag.source().source_kind(), "rule");
    EXPECT_EQ(flag.source().source_id(), "no-credit");
    EXPECT_THAT(flag.source().text(),
                HasSubstr("Not applied: the condition of rule \"no-credit\" "
                          "(a veto) could not be evaluated (100 / "
                          "attributes.d > 10: division by zero"));
  }
}

constexpr char kFinalPolicy[] = R"pb(
  currency: "USD"
  actions { id: "apologize" }
  actions { id: "credit" }
  attributes { name: "d" type: INT }
  attributes { name: "stop" type: BOOL }
  rules {
    id: "top"
    when: "attributes.stop"
    recommend { action: "apologize" }
    priority: 20
    final: true
  }
  rules {
    id: "hold"
    when: "100 / attributes.d > 10"
    recommend { action: "apologize" }
    priority: 10
    final: true
  }
  rules {
    id: "offer"
    recommend { action: "credit" }
  }
)pb";

v1::Context WithStopAndD(bool stop, int64_t d) {
  return MustParse(absl::StrCat(
      R"({"now": "2026-03-10T15:00:00Z", "attributes": {"d": {"intValue": ")",
      d, R"("}, "stop": {"boolValue": )", stop ? "true" : "false", "}}}"));
}

TEST(RestrictionErroredTest, AFinalRuleThatErrsIsFlaggedUnlessShadowed) {
  std::unique_ptr<const Engine> engine = MustCompile(kFinalPolicy);
  ASSERT_NE(engine, nullptr);
  auto decide = [&](bool stop, int64_t d) {
    absl::StatusOr<v1::Decision> out = engine->Decide(WithStopAndD(stop, d));
    EXPECT_THAT(out.status(), IsOk());
    return out.ok() ? *out : v1::Decision();
  };
  EXPECT_THAT(FlagCodes(decide(false, 1)), IsEmpty());
  v1::Decision errs = decide(false, 0);
  EXPECT_THAT(ActionIds(errs), ElementsAre("credit"));
  EXPECT_THAT(FlagCodes(errs), ElementsAre("restriction_errored"));
  EXPECT_THAT(errs.flags(0).source().text(),
              HasSubstr("the condition of rule \"hold\" (final)"));
  // Shadowed by the higher `final` rule: it would not apply anyway.
  EXPECT_THAT(FlagCodes(decide(true, 0)), IsEmpty());
}

// A trace changes what a decision shows, never its flags: a restricting rule
// that errs is flagged alike with and without one (and not when shadowed).
TEST(RestrictionErroredTest, FlagsAreTheSameWithAndWithoutTrace) {
  std::unique_ptr<const Engine> engine = MustCompile(kFinalPolicy);
  ASSERT_NE(engine, nullptr);
  auto flags = [&](bool stop, int64_t d, bool trace) {
    DecideOptions options;
    options.trace = trace;
    absl::StatusOr<v1::Decision> out =
        engine->Decide(WithStopAndD(stop, d), options);
    EXPECT_THAT(out.status(), IsOk());
    std::vector<std::string> texts;
    if (!out.ok()) return texts;
    for (const v1::Flag& f : out->flags()) {
      texts.push_back(absl::StrCat(f.code(), ": ", f.source().text()));
    }
    return texts;
  };
  // Not shadowed: flagged both ways.
  EXPECT_THAT(flags(false, 0, true), ElementsAre(HasSubstr("rule \"hold\"")));
  EXPECT_EQ(flags(false, 0, true), flags(false, 0, false));
  // Shadowed by "top": flagged neither way.
  EXPECT_THAT(flags(true, 0, true), IsEmpty());
  EXPECT_THAT(flags(true, 0, false), IsEmpty());
  // No error: no flag either way.
  EXPECT_THAT(flags(true, 1, true), IsEmpty());
  EXPECT_THAT(flags(false, 1, true), IsEmpty());
}

TEST(RestrictionErroredTest, AStrikeCountThatErrsIsFlagged) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    currency: "USD"
    actions { id: "decline" }
    actions { id: "credit" }
    attributes { name: "d" type: INT }
    rules {
      id: "offer"
      recommend { action: "credit" }
    }
    strike_limits {
      id: "wasting"
      counts: "e.kind == 'no_show' && 100 / attributes.d > 10"
      current_is_strike: "100 / attributes.d > 50"
      window: "90d"
      limit: 1
      at_limit { action: "decline" }
      suppress: "credit"
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  auto decide = [&](int64_t d) {
    absl::StatusOr<v1::Decision> out = engine->Decide(MustParse(absl::StrCat(
        R"({"now": "2026-03-10T15:00:00Z", "case": {"id": "k"},
            "attributes": {"d": {"intValue": ")",
        d, R"("}},
            "history": [{"at": "2026-03-01T00:00:00Z", "kind": "no_show"}]})")));
    EXPECT_THAT(out.status(), IsOk());
    return out.ok() ? *out : v1::Decision();
  };
  v1::Decision counted = decide(5);
  EXPECT_THAT(ActionIds(counted), ElementsAre("decline"));
  EXPECT_THAT(FlagCodes(counted), IsEmpty());
  v1::Decision errs = decide(0);
  EXPECT_THAT(FlagCodes(errs), ElementsAre("restriction_errored"));
  EXPECT_EQ(errs.flags(0).source().source_kind(), "strike_limit");
  EXPECT_THAT(errs.flags(0).source().text(),
              HasSubstr("the strike count of strike limit \"wasting\" could "
                        "not be evaluated"));
  // Fail closed: the customer is taken as at the limit (the suppression and
  // the at_limit outcome stay), and no strike is recorded from the count.
  EXPECT_THAT(ActionIds(errs), ElementsAre("decline"));
  ASSERT_EQ(errs.blocked_size(), 1);
  EXPECT_EQ(errs.blocked(0).action(), "credit");
  EXPECT_EQ(errs.blocked(0).code(), "strike_limit");
  EXPECT_THAT(errs.blocked(0).blocked_by().text(),
              HasSubstr("could not be evaluated, so the customer is treated "
                        "as at the limit of 1"));
  EXPECT_THAT(errs.effects(), IsEmpty());
}

// current_is_strike that errs counts as a strike for the limit test (the
// suppression holds) but records no strike effect.
TEST(RestrictionErroredTest, CurrentIsStrikeThatErrsCountsTowardTheLimit) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    currency: "USD"
    actions { id: "decline" }
    actions { id: "credit" }
    attributes { name: "d" type: INT }
    rules {
      id: "offer"
      recommend { action: "credit" }
    }
    strike_limits {
      id: "wasting"
      counts: "e.kind == 'no_show'"
      current_is_strike: "100 / attributes.d > 50"
      window: "90d"
      limit: 2
      at_limit { action: "decline" }
      suppress: "credit"
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  auto decide = [&](int64_t d) {
    absl::StatusOr<v1::Decision> out = engine->Decide(MustParse(absl::StrCat(
        R"({"now": "2026-03-10T15:00:00Z", "case": {"id": "k"},
            "attributes": {"d": {"intValue": ")",
        d, R"("}},
            "history": [{"at": "2026-03-01T00:00:00Z", "kind": "no_show"}]})")));
    EXPECT_THAT(out.status(), IsOk());
    return out.ok() ? *out : v1::Decision();
  };
  // Not a strike (100 / 10 = 10): one strike of two, credit offered.
  v1::Decision below = decide(10);
  EXPECT_THAT(ActionIds(below), ElementsAre("credit"));
  EXPECT_THAT(FlagCodes(below), IsEmpty());
  EXPECT_THAT(below.effects(), IsEmpty());
  // A strike (100 / 1 = 100): the limit is reached and a strike recorded.
  v1::Decision strike = decide(1);
  EXPECT_THAT(ActionIds(strike), ElementsAre("decline"));
  ASSERT_EQ(strike.effects_size(), 1);
  EXPECT_EQ(strike.effects(0).kind(), "strike");
  // Errs: flagged, at the limit, but no strike effect.
  v1::Decision errs = decide(0);
  EXPECT_THAT(FlagCodes(errs), ElementsAre("restriction_errored"));
  EXPECT_THAT(errs.flags(0).source().text(),
              HasSubstr("current_is_strike of strike limit \"wasting\""));
  EXPECT_THAT(ActionIds(errs), ElementsAre("decline"));
  ASSERT_EQ(errs.blocked_size(), 1);
  EXPECT_EQ(errs.blocked(0).action(), "credit");
  EXPECT_EQ(errs.blocked(0).code(), "strike_limit");
  EXPECT_THAT(errs.effects(), IsEmpty());
}

TEST(RestrictionErroredTest,
     ARecordedStrikeCountsOnceWhenTheCaseIsDecidedAgain) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    currency: "USD"
    actions { id: "decline" }
    actions { id: "credit" }
    attributes { name: "d" type: INT }
    rules {
      id: "offer"
      recommend { action: "credit" }
    }
    strike_limits {
      id: "wasting"
      counts: "e.kind == 'no_show'"
      current_is_strike: "100 / attributes.d > 50"
      window: "90d"
      limit: 3
      at_limit { action: "decline" }
      suppress: "credit"
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  std::string history = R"({"at": "2026-03-01T00:00:00Z", "kind": "no_show"})";
  auto decide = [&](int64_t d) {
    absl::StatusOr<v1::Decision> out = engine->Decide(MustParse(absl::StrCat(
        R"({"now": "2026-03-10T15:00:00Z", "case": {"id": "k"},
            "attributes": {"d": {"intValue": ")",
        d, R"("}}, "history": [)", history, "]}")));
    EXPECT_THAT(out.status(), IsOk());
    return out.ok() ? *out : v1::Decision();
  };
  // A strike now: two of three, one strike effect; the host records it.
  v1::Decision first = decide(1);
  EXPECT_THAT(ActionIds(first), ElementsAre("credit"));
  ASSERT_EQ(first.effects_size(), 1);
  EXPECT_EQ(first.effects(0).step(), 2);
  absl::StrAppend(&history, R"(, {"at": "2026-03-10T15:00:00Z", )",
                  R"("kind": "strike", "ref": "wasting", "case_id": "k"})");
  // Decided again, then with a current_is_strike that errs: the case is
  // still one strike (two of three, not the limit), nothing recorded again.
  for (int64_t d : {1, 0}) {
    v1::Decision again = decide(d);
    EXPECT_THAT(ActionIds(again), ElementsAre("credit")) << d;
    EXPECT_THAT(again.blocked(), IsEmpty()) << d;
    EXPECT_THAT(again.effects(), IsEmpty()) << d;
  }
}

// --- Scores and strict JSON (issue 14, smaller items) ----------------------

TEST(ScoreTest, ASumOfFiniteWeightsSaturatesInsteadOfInfinity) {
  std::unique_ptr<const Engine> engine = MustCompile(R"pb(
    currency: "USD"
    actions { id: "apologize" }
    actions { id: "explain" }
    rules {
      id: "a"
      recommend { action: "apologize" }
      weight: 1e308
    }
    rules {
      id: "b"
      recommend { action: "apologize" }
      weight: 1e308
    }
    rules {
      id: "c"
      recommend { action: "explain" }
      weight: 1e308
    }
  )pb");
  ASSERT_NE(engine, nullptr);
  absl::StatusOr<v1::Decision> d =
      engine->Decide(MustParse(R"({"now": "2026-03-10T15:00:00Z"})"));
  ASSERT_THAT(d.status(), IsOk());
  ASSERT_EQ(d->actions_size(), 2);
  EXPECT_EQ(d->actions(0).action(), "apologize");
  EXPECT_EQ(d->actions(0).score(), std::numeric_limits<double>::max());
  EXPECT_EQ(d->actions(1).score(), 1e308);  // below the bound: unchanged
  EXPECT_THAT(DecisionToJson(*d), ::testing::Not(HasSubstr("Infinity")));
}

struct BadJson {
  const char* json;
  const char* message;
};

TEST(StrictJsonTest, ContextsWithRepeatedKeysOrSingleQuotesAreRejected) {
  const BadJson cases[] = {
      {R"({"now": "2026-01-05T10:00:00Z", "now": "2026-01-06T10:00:00Z"})",
       "invalid context JSON: duplicate key \"now\" (at line 1, column 33)"},
      {"{\"now\": \"2026-01-05T10:00:00Z\",\n \"customer\": {\"id\": \"a\", "
       "\"id\": \"b\"}}",
       "invalid context JSON: duplicate key \"id\" (at line 2, column 26)"},
      {R"({'now': "2026-01-05T10:00:00Z"})",
       "invalid context JSON: strings and keys must be double-quoted (at line "
       "1, column 2)"},
      {R"({"now": '2026-01-05T10:00:00Z'})",
       "invalid context JSON: strings and keys must be double-quoted (at line "
       "1, column 9)"},
      {R"({now: "2026-01-05T10:00:00Z"})",
       "invalid context JSON: object keys must be double-quoted strings (at "
       "line 1, column 2)"},
  };
  for (const BadJson& c : cases) {
    absl::StatusOr<v1::Context> context = ContextFromJson(c.json);
    ASSERT_FALSE(context.ok()) << c.json;
    EXPECT_EQ(context.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(context.status().message(), c.message);
  }
  // The same key in different objects, and a key spelled inside a string
  // value, are fine (on the path protobuf parses: an int64 as 1e2).
  absl::StatusOr<v1::Context> fine = ContextFromJson(
      R"({"now": "2026-01-05T10:00:00Z", "customer": {"id": "a",
          "spend12m": 1e2}, "case": {"id": "b", "message": "'now', \"now\""}})");
  ASSERT_THAT(fine.status(), IsOk());
  EXPECT_EQ(fine->customer().spend_12m(), 100);
  EXPECT_EQ(fine->case_().id(), "b");
}

TEST(StrictJsonTest, PoliciesWithRepeatedKeysAreRejected) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(R"({"name": "a", "name": "b", "currency": "USD"})",
                       PolicyFormat::kJson, "p.json");
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.status().message(),
            "p.json:1:15: error: invalid JSON policy: duplicate key \"name\"");
  absl::StatusOr<std::unique_ptr<const Engine>> quoted = Engine::FromText(
      R"({"name": 'a', "currency": "USD"})", PolicyFormat::kJson, "p.json");
  ASSERT_FALSE(quoted.ok());
  EXPECT_THAT(quoted.status().message(),
              HasSubstr("p.json:1:10: error: invalid JSON policy: strings and "
                        "keys must be double-quoted"));
  EXPECT_THAT(Engine::FromText(R"({"name": "a", "currency": "USD"})",
                               PolicyFormat::kJson, "p.json")
                  .status(),
              IsOk());
}

}  // namespace
}  // namespace tact
