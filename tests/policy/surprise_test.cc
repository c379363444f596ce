// Surprises surprise (issue 13, principle 6): the playbook's surprise step
// records what it gave (the `surprise` effect) and picks, per customer, a
// gesture the customer has not had yet, falling back to the stable hash
// choice only when they have had every one. Multi-step cases record each
// decision's effects in the history before the next failure.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::MustCompile;
using ::tact::testing::MustDecide;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// 2026-01-05T10:00:00Z, a Monday.
constexpr int64_t kT0 = 1767607200;
constexpr int64_t kDay = 86400;

constexpr absl::string_view kPolicy = R"pb(
  actions { id: "apologize" }
  actions { id: "fix" }
  actions { id: "flowers" }
  actions { id: "note" }
  actions { id: "tip" }
  playbooks {
    id: "recovery"
    when: "case.our_fault"
    apology: "apologize"
    fix { action: "fix" }
    surprise { action: "flowers" }
    surprise { action: "note" }
    surprise { action: "tip" }
  }
)pb";

const std::vector<std::string>& Gestures() {
  static const std::vector<std::string> kGestures = {"flowers", "note", "tip"};
  return kGestures;
}

// A service failure of `customer` in case `case_id` at `now`.
v1::Context Failure(absl::string_view customer, absl::string_view case_id,
                    int64_t now) {
  v1::Context context;
  std::string text =
      absl::StrCat("now { seconds: ", now, " } customer { id: \"", customer,
                   "\" } ", "case { id: \"", case_id,
                   "\" our_fault: true incident_at { seconds: ", now, " } }");
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

// The surprise the decision recommends (the third staged action).
std::string Surprise(const v1::Decision& d) {
  for (const v1::RecommendedAction& a : d.actions()) {
    if (a.playbook_stage() == "surprise") return a.action();
  }
  return "";
}

std::vector<std::string> Effects(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& e : d.effects()) {
    out.push_back(absl::StrCat(e.kind(), ":", e.ref(), ":", e.step()));
  }
  return out;
}

// What the host does after a decision: append its effects to the history.
void Record(const v1::Decision& d, const v1::Context& decided,
            std::vector<v1::Event>* history) {
  for (const v1::Effect& e : d.effects()) {
    v1::Event& event = history->emplace_back();
    event.set_kind(e.kind());
    event.set_ref(e.ref());
    event.set_step(e.step());
    event.set_amount(e.amount());
    event.set_case_id(decided.case_().id());
    *event.mutable_at() = decided.now();
  }
}

v1::Context WithHistory(v1::Context context,
                        const std::vector<v1::Event>& history) {
  for (const v1::Event& e : history) *context.add_history() = e;
  return context;
}

// The effect of the gesture `action`: its place in the list, from 1.
std::string SurpriseEffect(const std::string& action) {
  for (size_t k = 0; k < Gestures().size(); ++k) {
    if (Gestures()[k] == action) {
      return absl::StrCat("surprise:recovery:", k + 1);
    }
  }
  return "";
}

v1::Event SurpriseEvent(int step, int64_t at, absl::string_view case_id,
                        absl::string_view ref = "recovery") {
  v1::Event e;
  e.set_kind("surprise");
  e.set_ref(std::string(ref));
  e.set_step(step);
  e.set_case_id(std::string(case_id));
  e.mutable_at()->set_seconds(at);
  return e;
}

int StepOf(const std::string& action) {
  for (size_t k = 0; k < Gestures().size(); ++k) {
    if (Gestures()[k] == action) return static_cast<int>(k) + 1;
  }
  return 0;
}

TEST(SurpriseTest, RecordsTheGestureItGave) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d = MustDecide(*engine, Failure("c1", "k1", kT0));
  std::string gesture = Surprise(d);
  ASSERT_FALSE(gesture.empty());
  EXPECT_THAT(Effects(d), ElementsAre(SurpriseEffect(gesture)));
}

// Three failures, three different surprises; the fourth falls back to the
// first choice (the stable hash of the customer).
TEST(SurpriseTest, MultiStepThreeFailuresThreeSurprisesThenTheFallback) {
  auto engine = MustCompile(kPolicy);
  for (const char* customer : {"c1", "c2", "c3", "c4", "c5"}) {
    std::vector<v1::Event> history;
    std::vector<std::string> given;
    for (int failure = 0; failure < 4; ++failure) {
      v1::Context context = WithHistory(
          Failure(customer, absl::StrCat("k", failure), kT0 + failure * kDay),
          history);
      v1::Decision d = MustDecide(*engine, context);
      given.push_back(Surprise(d));
      EXPECT_THAT(Effects(d), ElementsAre(SurpriseEffect(given.back())))
          << customer << " failure " << failure;
      Record(d, context, &history);
    }
    EXPECT_EQ(std::set<std::string>(given.begin(), given.begin() + 3).size(),
              3u)
        << customer;
    EXPECT_EQ(given[3], given[0]) << customer;
  }
}

// Re-deciding the same case gives the same gesture, and does not record it
// again.
TEST(SurpriseTest, SameCaseAgainGivesTheSameGestureOnce) {
  auto engine = MustCompile(kPolicy);
  std::vector<v1::Event> history;
  v1::Context first = Failure("c1", "k1", kT0);
  v1::Decision d = MustDecide(*engine, first);
  Record(d, first, &history);
  for (int64_t later : {kT0, kT0 + 3600}) {
    v1::Context again = WithHistory(Failure("c1", "k1", later), history);
    v1::Decision d2 = MustDecide(*engine, again);
    EXPECT_EQ(Surprise(d2), Surprise(d));
    EXPECT_THAT(Effects(d2), IsEmpty());
  }
}

TEST(SurpriseTest, EveryGestureHadButOneGivesThatOne) {
  auto engine = MustCompile(kPolicy);
  // Whatever the hash picks first, the only gesture not had is "tip".
  for (const char* customer : {"c1", "c2", "c3", "c4", "c5"}) {
    v1::Context context = Failure(customer, "k9", kT0);
    *context.add_history() = SurpriseEvent(1, kT0 - 2 * kDay, "k1");
    *context.add_history() = SurpriseEvent(2, kT0 - kDay, "k2");
    v1::Decision d = MustDecide(*engine, context);
    EXPECT_EQ(Surprise(d), "tip") << customer;
    EXPECT_THAT(Effects(d), ElementsAre("surprise:recovery:3"));
  }
}

// Only this playbook's surprises up to now count as had.
TEST(SurpriseTest, FutureOrForeignSurprisesAreNotHad) {
  auto engine = MustCompile(kPolicy);
  std::string first = Surprise(MustDecide(*engine, Failure("c1", "k9", kT0)));
  int step = StepOf(first);
  ASSERT_GT(step, 0);

  v1::Context future = Failure("c1", "k9", kT0);
  *future.add_history() = SurpriseEvent(step, kT0 + 1, "k1");
  EXPECT_EQ(Surprise(MustDecide(*engine, future)), first);

  v1::Context at_now = Failure("c1", "k9", kT0);
  *at_now.add_history() = SurpriseEvent(step, kT0, "k1");
  EXPECT_NE(Surprise(MustDecide(*engine, at_now)), first);

  v1::Context foreign = Failure("c1", "k9", kT0);
  *foreign.add_history() = SurpriseEvent(step, kT0 - kDay, "k1", "other");
  EXPECT_EQ(Surprise(MustDecide(*engine, foreign)), first);

  v1::Context out_of_range = Failure("c1", "k9", kT0);
  *out_of_range.add_history() = SurpriseEvent(7, kT0 - kDay, "k1");
  EXPECT_EQ(Surprise(MustDecide(*engine, out_of_range)), first);
}

// A playbook with `n` surprise gestures g1..gn.
std::string ManyGestures(int n) {
  std::string policy = "actions { id: \"apologize\" } actions { id: \"fix\" } ";
  std::string surprises;
  for (int k = 1; k <= n; ++k) {
    absl::StrAppend(&policy, "actions { id: \"g", k, "\" } ");
    absl::StrAppend(&surprises, "surprise { action: \"g", k, "\" } ");
  }
  absl::StrAppend(&policy,
                  "playbooks { id: \"recovery\" when: \"case.our_fault\" "
                  "apology: \"apologize\" fix { action: \"fix\" } ",
                  surprises, "}");
  return policy;
}

// Past 64 gestures (one machine word of "had" bits) the pick still reads
// every gesture: with 65 of 70 had, the surprise is one of the 5 left.
TEST(SurpriseTest, MoreThan64GesturesStillPicksOneNotHad) {
  auto engine = MustCompile(ManyGestures(70));
  const std::set<int> not_had = {3, 64, 65, 68, 70};
  for (const char* customer : {"c1", "c2", "c3", "c4", "c5", "c6"}) {
    v1::Context context = Failure(customer, "k99", kT0);
    for (int step = 1; step <= 70; ++step) {
      if (not_had.count(step) > 0) continue;
      *context.add_history() =
          SurpriseEvent(step, kT0 - kDay, absl::StrCat("k", step));
    }
    ASSERT_EQ(context.history_size(), 65);
    v1::Decision d = MustDecide(*engine, context);
    const std::string gesture = Surprise(d);
    ASSERT_EQ(gesture.substr(0, 1), "g") << customer;
    const int step = std::stoi(gesture.substr(1));
    EXPECT_EQ(not_had.count(step), 1u) << customer << " got " << gesture;
    EXPECT_THAT(Effects(d),
                ElementsAre(absl::StrCat("surprise:recovery:", step)));
  }
  // Every gesture had but one, on either side of the 64th: that one.
  for (int missing : {1, 64, 65, 70}) {
    v1::Context context = Failure("c1", "k99", kT0);
    for (int step = 1; step <= 70; ++step) {
      if (step == missing) continue;
      *context.add_history() =
          SurpriseEvent(step, kT0 - kDay, absl::StrCat("k", step));
    }
    EXPECT_EQ(Surprise(MustDecide(*engine, context)),
              absl::StrCat("g", missing));
  }
}

TEST(SurpriseTest, NoEffectWhenTheGestureIsHeldBack) {
  std::string policy(kPolicy);
  policy.append(R"pb(
    rules {
      id: "no_gestures"
      when: "customer.id == 'c1'"
      veto: "flowers"
      veto: "note"
      veto: "tip"
    }
  )pb");
  auto engine = MustCompile(policy);
  v1::Decision d = MustDecide(*engine, Failure("c1", "k1", kT0));
  EXPECT_EQ(Surprise(d), "");
  EXPECT_THAT(Effects(d), IsEmpty());
}

}  // namespace
}  // namespace tact
