// Issue 13, principles 1 and 2: a decision at `now` reads one view of the
// history (the events with at <= now), and its effects are exactly the
// events to append, so recording them and deciding again counts nothing
// twice and emits nothing twice. Multi-step tests decide, record the
// decision's effects as the host would, and decide again.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::Blocked;
using ::tact::testing::Effects;
using ::tact::testing::Ids;
using ::tact::testing::MustDecide;
using ::tact::testing::Record;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// 2026-01-05T10:00:00Z, a Monday.
constexpr int64_t kNow = 1767607200;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// The policy both this test and python/tests/test_history.py decide with.
constexpr char kPolicyPath[] = "tests/data/history/policy.textproto";

std::string PolicyText() {
  std::ifstream in(kPolicyPath);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << kPolicyPath;
  return text.str();
}

std::unique_ptr<const Engine> MustCompile() {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromFile(kPolicyPath);
  EXPECT_THAT(engine, testing::IsOk());
  return engine.ok() ? *std::move(engine) : nullptr;
}

// A context at `now` for case `case_id` of `category`, with `history` (text
// format events).
v1::Context Context(int64_t now, absl::string_view case_id,
                    absl::string_view category,
                    absl::string_view history = "") {
  v1::Context context;
  std::string text = absl::StrCat(
      "now { seconds: ", now, " } customer { id: \"c1\" } case { id: \"",
      case_id, "\" category: \"", category,
      "\" opened_at { seconds: ", kNow - kDay, " } } ", history);
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

std::string Event(absl::string_view kind, int64_t at,
                  absl::string_view rest = "") {
  return absl::StrCat("history { kind: \"", kind, "\" at { seconds: ", at,
                      " } ", rest, " } ");
}

std::string Strike(absl::string_view case_id, int64_t at) {
  return Event(
      "strike", at,
      absl::StrCat("ref: \"time_wasting\" case_id: \"", case_id, "\" step: 1"));
}

int64_t Amount(const v1::RecommendedAction& a) {
  for (const auto& p : a.params()) {
    if (p.name() == "amount") return p.value().int_value();
  }
  return -1;
}

// The same case at another time, with the history recorded so far.
v1::Context At(const v1::Context& context, int64_t now) {
  v1::Context later = context;
  later.mutable_now()->set_seconds(now);
  return later;
}

// --- Principle 1: one view of the history, the events with at <= now ------

TEST(HistoryViewTest, AHistoryMacroSeesAnEventAtNowButNotOneASecondAfter) {
  auto engine = MustCompile();
  EXPECT_THAT(Ids(MustDecide(
                  *engine, Context(kNow, "k1", "", Event("complaint", kNow)))),
              ElementsAre("repeat_note"));
  EXPECT_THAT(Ids(MustDecide(*engine, Context(kNow, "k1", "",
                                              Event("complaint", kNow + 1)))),
              IsEmpty());
}

TEST(HistoryViewTest, TheViewKeepsTheContextsOrderWhateverItIs) {
  auto engine = MustCompile();
  // Unsorted: a future strike first, then this week's two; the future one
  // is skipped wherever it is.
  const std::string history = Strike("k9", kNow + kDay) +
                              Strike("k0", kNow - kDay) +
                              Strike("k2", kNow - 2 * kDay);
  EXPECT_THAT(Ids(MustDecide(*engine, Context(kNow, "k1", "", history))),
              ElementsAre("warn"));
  EXPECT_THAT(Ids(MustDecide(*engine, Context(kNow + kDay, "k1", "", history))),
              ElementsAre("decline"));
}

TEST(HistoryViewTest, AStrikeAtNowCountsOneASecondAfterDoesNot) {
  auto engine = MustCompile();
  const std::string before = Strike("k0", kNow - kDay);
  // With the current case: 3 strikes, or 2 when one is in the future.
  EXPECT_THAT(Ids(MustDecide(*engine, Context(kNow, "k1", "time_wasting",
                                              before + Strike("k2", kNow)))),
              ElementsAre("decline"));
  EXPECT_THAT(
      Ids(MustDecide(*engine, Context(kNow, "k1", "time_wasting",
                                      before + Strike("k2", kNow + 1)))),
      ElementsAre("warn"));
}

TEST(HistoryViewTest, ARungOfferedAfterNowIsNotOffered) {
  auto engine = MustCompile();
  auto rung = [](int64_t at) {
    return Event("rung_offered", at,
                 "ref: \"unhappy\" step: 1 case_id: \"k1\"");
  };
  // Offered two hours ago: the second rung is due.
  v1::Decision past = MustDecide(
      *engine, Context(kNow, "k1", "unhappy", rung(kNow - 2 * kHour)));
  EXPECT_THAT(Ids(past), ElementsAre("credit"));
  // "Offered" a second from now: not yet, so the first rung is next.
  v1::Decision future =
      MustDecide(*engine, Context(kNow, "k1", "unhappy", rung(kNow + 1)));
  EXPECT_THAT(Ids(future), ElementsAre("explain"));
  EXPECT_THAT(Effects(future), ElementsAre("rung_offered:unhappy:0:1"));
}

TEST(HistoryViewTest, AGrantAtNowCountsAgainstTheBudgetOneASecondAfterDoesNot) {
  auto engine = MustCompile();
  auto grant = [](int64_t at) {
    return Event("goodwill", at,
                 "ref: \"goodwill\" amount: 4000 case_id: \"other\"");
  };
  v1::Decision at_now =
      MustDecide(*engine, Context(kNow, "k1", "late", grant(kNow)));
  ASSERT_THAT(Ids(at_now), ElementsAre("credit"));
  EXPECT_EQ(Amount(at_now.actions(0)), 1000);  // 5000 - 4000 left
  v1::Decision after =
      MustDecide(*engine, Context(kNow, "k1", "late", grant(kNow + 1)));
  ASSERT_THAT(Ids(after), ElementsAre("credit"));
  EXPECT_EQ(Amount(after.actions(0)), 2000);
}

// --- Principle 2: effects are the events to append; idempotent ------------

TEST(EffectTest, AnEffectIsTheEventToAppend) {
  auto engine = MustCompile();
  v1::Decision d = MustDecide(*engine, Context(kNow, "k1", "time_wasting"));
  ASSERT_EQ(d.effects_size(), 1);
  const v1::Effect& e = d.effects(0);
  EXPECT_EQ(e.kind(), "strike");
  EXPECT_EQ(e.ref(), "time_wasting");
  EXPECT_EQ(e.step(), 1);
  EXPECT_EQ(e.case_id(), "k1");
  EXPECT_EQ(e.at().seconds(), kNow);
}

TEST(EffectTest, ThisCasesRecordedStrikeCountsOnceAnotherCasesCountsToo) {
  auto engine = MustCompile();
  // Another case's strike plus this one: 2, warn, and the strike is emitted.
  v1::Decision other = MustDecide(
      *engine, Context(kNow, "k1", "time_wasting", Strike("k0", kNow - kDay)));
  EXPECT_THAT(Ids(other), ElementsAre("warn"));
  EXPECT_THAT(Effects(other), ElementsAre("strike:time_wasting:0:2"));
  // This case's own strike, recorded: still 1, nothing emitted.
  v1::Decision own = MustDecide(
      *engine, Context(kNow, "k1", "time_wasting", Strike("k1", kNow - kHour)));
  EXPECT_THAT(Ids(own), IsEmpty());
  EXPECT_THAT(Effects(own), IsEmpty());
  // Recorded even though the case is no longer classed a strike: it counts.
  v1::Decision reclassed = MustDecide(
      *engine, Context(kNow, "k1", "other",
                       Strike("k0", kNow - kDay) + Strike("k1", kNow - kHour)));
  EXPECT_THAT(Ids(reclassed), ElementsAre("warn"));
  EXPECT_THAT(Effects(reclassed), IsEmpty());
}

TEST(EffectTest, AConversationOfThreeMessagesIsOneStrike) {
  auto engine = MustCompile();
  v1::Context context =
      Context(kNow, "k1", "time_wasting", Strike("k0", kNow - kDay));
  for (int message = 0; message < 3; ++message) {
    v1::Decision d = MustDecide(*engine, context);
    EXPECT_THAT(Ids(d), ElementsAre("warn")) << message;
    if (message == 0) {
      EXPECT_THAT(Effects(d), ElementsAre("strike:time_wasting:0:2"));
    } else {
      EXPECT_THAT(Effects(d), IsEmpty()) << message;
    }
    Record(d, &context);
    // The same now again, then the next message a minute later.
    v1::Decision again = MustDecide(*engine, context);
    EXPECT_THAT(Ids(again), ElementsAre("warn"));
    EXPECT_THAT(Effects(again), IsEmpty());
    context = At(context, context.now().seconds() + 60);
  }
  // A new case is the third strike.
  v1::Context next = context;
  next.mutable_case_()->set_id("k2");
  v1::Decision third = MustDecide(*engine, next);
  EXPECT_THAT(Ids(third), ElementsAre("decline"));
  EXPECT_THAT(Effects(third), ElementsAre("strike:time_wasting:0:3"));
}

TEST(EffectTest, RungsAreOfferedOnceAndReDecidingAtTheSameNowRepeatsTheRung) {
  auto engine = MustCompile();
  v1::Context context = Context(kNow, "k1", "unhappy");
  v1::Decision first = MustDecide(*engine, context);
  EXPECT_THAT(Ids(first), ElementsAre("explain"));
  EXPECT_THAT(Effects(first), ElementsAre("rung_offered:unhappy:0:1"));
  Record(first, &context);
  // Same now: the same decision, nothing to append.
  v1::Decision same = MustDecide(*engine, context);
  EXPECT_THAT(Ids(same), ElementsAre("explain"));
  EXPECT_THAT(Effects(same), IsEmpty());
  // Half an hour later the second rung waits; an hour later it is offered.
  v1::Decision waiting = MustDecide(*engine, At(context, kNow + kHour / 2));
  EXPECT_THAT(Ids(waiting), IsEmpty());
  EXPECT_THAT(Blocked(waiting), ElementsAre("credit:wait"));
  EXPECT_THAT(Effects(waiting), IsEmpty());
  context = At(context, kNow + kHour);
  v1::Decision second = MustDecide(*engine, context);
  ASSERT_THAT(Ids(second), ElementsAre("credit"));
  EXPECT_EQ(Amount(second.actions(0)), 2000);
  EXPECT_THAT(Effects(second), ElementsAre("rung_offered:unhappy:0:2",
                                           "goodwill:goodwill:2000:0"));
  Record(second, &context);
  v1::Decision again = MustDecide(*engine, context);
  ASSERT_THAT(Ids(again), ElementsAre("credit"));
  EXPECT_EQ(Amount(again.actions(0)), 2000);
  EXPECT_THAT(Effects(again), IsEmpty());
  // Later still: the ladder is exhausted.
  v1::Decision later = MustDecide(*engine, At(context, kNow + 2 * kHour));
  EXPECT_THAT(Ids(later), ElementsAre("supervisor"));
  EXPECT_THAT(Effects(later), IsEmpty());
}

TEST(EffectTest, MoneyRecordedInTheCaseIsGrantedOnceAndCountsAfterwards) {
  auto engine = MustCompile();
  v1::Context context = Context(kNow, "k1", "late");
  v1::Decision first = MustDecide(*engine, context);
  ASSERT_THAT(Ids(first), ElementsAre("credit"));
  EXPECT_EQ(Amount(first.actions(0)), 2000);
  EXPECT_THAT(Effects(first), ElementsAre("goodwill:goodwill:2000:0"));
  Record(first, &context);
  // Same now, recorded: the same grant, not a second one, not emitted.
  for (int repeat = 0; repeat < 2; ++repeat) {
    v1::Decision same = MustDecide(*engine, context);
    ASSERT_THAT(Ids(same), ElementsAre("credit"));
    EXPECT_EQ(Amount(same.actions(0)), 2000);
    EXPECT_THAT(Effects(same), IsEmpty());
    Record(same, &context);
  }
  // A later decision is a new one: the 2000 granted counts against the
  // case's 3000, so at most 1000 more.
  context = At(context, kNow + kHour);
  v1::Decision later = MustDecide(*engine, context);
  ASSERT_THAT(Ids(later), ElementsAre("credit"));
  EXPECT_EQ(Amount(later.actions(0)), 1000);
  EXPECT_THAT(Effects(later), ElementsAre("goodwill:goodwill:1000:0"));
  Record(later, &context);
  v1::Decision spent = MustDecide(*engine, At(context, kNow + 2 * kHour));
  EXPECT_THAT(Ids(spent), IsEmpty());
  EXPECT_THAT(Blocked(spent), ElementsAre("credit:budget_exhausted"));
  EXPECT_THAT(Effects(spent), IsEmpty());
  // Every grant recorded adds up to the case's cap, never more.
  int64_t total = 0;
  for (const v1::Event& e : context.history()) total += e.amount();
  EXPECT_EQ(total, 3000);
}

std::string Grant(int64_t amount, absl::string_view kind = "goodwill") {
  return Event(
      kind, kNow,
      absl::StrCat("ref: \"goodwill\" amount: ", amount, " case_id: \"k1\""));
}

TEST(EffectTest, ABiggerGrantRecordedAtNowCountsAndIsNotTakenForThisOne) {
  auto engine = MustCompile();
  // The host granted 2500 in this case at now; this decision would grant
  // 2000, so the 2500 is not its own: it counts, 500 of the 3000 per case
  // is left, and that grant is new.
  v1::Decision d =
      MustDecide(*engine, Context(kNow, "k1", "late", Grant(2500)));
  ASSERT_THAT(Ids(d), ElementsAre("credit"));
  EXPECT_EQ(Amount(d.actions(0)), 500);
  EXPECT_THAT(Effects(d), ElementsAre("goodwill:goodwill:500:0"));
}

TEST(EffectTest, ASmallerGrantRecordedAtNowCountsAndTheSameAmountIsOwn) {
  auto engine = MustCompile();
  v1::Context context = Context(kNow, "k1", "late", Grant(1000));
  // 1000 is not this decision's 2000: counted, 2000 of 3000 left.
  v1::Decision first = MustDecide(*engine, context);
  ASSERT_THAT(Ids(first), ElementsAre("credit"));
  EXPECT_EQ(Amount(first.actions(0)), 2000);
  EXPECT_THAT(Effects(first), ElementsAre("goodwill:goodwill:2000:0"));
  Record(first, &context);
  // Recorded: the 2000 is this decision's own, the 1000 still counts.
  v1::Decision again = MustDecide(*engine, context);
  ASSERT_THAT(Ids(again), ElementsAre("credit"));
  EXPECT_EQ(Amount(again.actions(0)), 2000);
  EXPECT_THAT(Effects(again), IsEmpty());
  // Later both count: the case's 3000 is spent.
  v1::Decision later = MustDecide(*engine, At(context, kNow + kHour));
  EXPECT_THAT(Blocked(later), ElementsAre("credit:budget_exhausted"));
  EXPECT_THAT(Effects(later), IsEmpty());
}

TEST(EffectTest, AnExtraGrantAtNowNeverLoosensTheBudget) {
  auto engine = MustCompile();
  // This decision's 2000 recorded, and the host's own 1500 at the same now:
  // 3500 in the case, over its 3000, so nothing more and nothing emitted.
  v1::Decision d = MustDecide(
      *engine, Context(kNow, "k1", "late", Grant(2000) + Grant(1500)));
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Blocked(d), ElementsAre("credit:budget_exhausted"));
  EXPECT_THAT(Effects(d), IsEmpty());
}

TEST(EffectTest, TheRecordedGrantIsOfTheBudgetsGrantedKind) {
  std::string policy = PolicyText();
  const std::string budget = "budgets { id: \"goodwill\"";
  policy.insert(policy.find(budget) + budget.size(),
                " granted_kind: \"credit_given\"");
  auto engine = ::tact::testing::MustCompile(policy);
  // Of the granted kind, same amount: this decision's own, not emitted.
  v1::Decision own = MustDecide(
      *engine, Context(kNow, "k1", "late", Grant(2000, "credit_given")));
  ASSERT_THAT(Ids(own), ElementsAre("credit"));
  EXPECT_EQ(Amount(own.actions(0)), 2000);
  EXPECT_THAT(Effects(own), IsEmpty());
  // The budget's own effect as a host records it (kind "goodwill", ref the
  // budget's id) is a grant too: recording what tact emits counts.
  v1::Decision effect =
      MustDecide(*engine, Context(kNow, "k1", "late", Grant(2000, "goodwill")));
  ASSERT_THAT(Ids(effect), ElementsAre("credit"));
  EXPECT_EQ(Amount(effect.actions(0)), 2000);
  EXPECT_THAT(Effects(effect), IsEmpty());
  // Another kind, or a goodwill event of another budget, is not a grant.
  for (const std::string& event :
       {Grant(2000, "refund_issued"),
        Event("goodwill", kNow,
              "ref: \"loyalty\" amount: 2000 case_id: \"k1\"")}) {
    v1::Decision other =
        MustDecide(*engine, Context(kNow, "k1", "late", event));
    ASSERT_THAT(Ids(other), ElementsAre("credit"));
    EXPECT_EQ(Amount(other.actions(0)), 2000);
    EXPECT_THAT(Effects(other), ElementsAre("goodwill:goodwill:2000:0"));
  }
}

TEST(EffectTest, ABudgetWithItsOwnGrantedKindCountsTheEffectsItEmits) {
  std::string policy = PolicyText();
  const std::string budget = "budgets { id: \"goodwill\"";
  policy.insert(policy.find(budget) + budget.size(),
                " granted_kind: \"credit_given\"");
  auto engine = ::tact::testing::MustCompile(policy);
  v1::Context context = Context(kNow, "k1", "late");
  v1::Decision first = MustDecide(*engine, context);
  ASSERT_THAT(Ids(first), ElementsAre("credit"));
  EXPECT_THAT(Effects(first), ElementsAre("goodwill:goodwill:2000:0"));
  Record(first, &context);
  // An hour later the recorded effect counts: 1000 of the case's 3000 left.
  v1::Decision later = MustDecide(*engine, At(context, kNow + kHour));
  ASSERT_THAT(Ids(later), ElementsAre("credit"));
  EXPECT_EQ(Amount(later.actions(0)), 1000);
}

TEST(EffectTest, ReplayingAtAnEarlierNowGivesTheDecisionMadeThen) {
  auto engine = MustCompile();
  v1::Context context = Context(kNow, "k1", "unhappy");
  v1::Decision first = MustDecide(*engine, context);
  Record(first, &context);
  context = At(context, kNow + kHour);
  Record(MustDecide(*engine, context), &context);
  // The full export, replayed at the first now: the first decision again,
  // with its effects already recorded.
  v1::Decision replay = MustDecide(*engine, At(context, kNow));
  EXPECT_THAT(Ids(replay), ElementsAre("explain"));
  EXPECT_THAT(Effects(replay), IsEmpty());
  // Replayed before anything was recorded: the first decision, effects too.
  v1::Decision before = MustDecide(*engine, At(context, kNow - 1));
  EXPECT_THAT(Ids(before), ElementsAre("explain"));
  EXPECT_THAT(Effects(before), ElementsAre("rung_offered:unhappy:0:1"));
}

}  // namespace
}  // namespace tact
