// Property tests: invariants of every decision the service playbook makes,
// over many generated contexts (deterministic: a seeded std::mt19937_64).
//
//   1. The monetary amounts in actions + needs_approval never exceed what the
//      goodwill budget had left (recomputed here, independently of the
//      runtime, from the history and the policy's caps).
//   2. Whenever the recovery playbook applies, the apology ranks first, then
//      the fix, then the surprise.
//   3. Never two rungs of one ladder in a decision.
//   4. Determinism: deciding twice gives byte-identical output, and so does
//      deciding on a shuffled history.
//   5. Hard rails: an unrestricted caller has nothing pending approval; a
//      customer at the strike limit gets no goodwill.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

namespace tact {
namespace {

namespace fs = std::filesystem;

constexpr int kContexts = 600;
constexpr uint64_t kSeed = 0x7ac7'2026'0405ull;
constexpr int64_t kDay = 86400;
constexpr int64_t kWindow = 90 * kDay;  // budget and strike window: 90d
constexpr int64_t kCaseCap = 5000;      // budget per_case
constexpr char kLadder[] = "unhappy_customer";

std::string PolicyPath() {
  const char* relative = "examples/policies/service_playbook.textproto";
  if (fs::exists(relative)) return relative;
#ifdef TACT_SOURCE_DIR
  return (fs::path(TACT_SOURCE_DIR) / relative).string();
#else
  return relative;
#endif
}

std::string Serialize(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  m.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

template <typename T>
const T& Pick(std::mt19937_64& rng, const std::vector<T>& items) {
  return items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng)];
}

int64_t Uniform(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

struct Generated {
  v1::Context context;
  std::string authority;
};

Generated Generate(std::mt19937_64& rng, int i) {
  Generated g;
  v1::Context& c = g.context;
  // A Tuesday at noon UTC, plus up to 60 days: weekends and bank holidays.
  const int64_t now = 1773144000 + Uniform(rng, 0, 60 * kDay);
  c.mutable_now()->set_seconds(now);

  v1::Customer* customer = c.mutable_customer();
  customer->set_id(absl::StrCat("cus_p", i % 97));  // repeats: same surprise
  customer->set_tier(
      Pick(rng, std::vector<std::string>{"prospect", "standard", "standard",
                                         "premium", "enterprise", ""}));
  customer->set_spend_12m(Uniform(rng, 0, 3) == 0 ? 0
                                                  : Uniform(rng, 0, 400000));
  customer->set_lifetime_value(Uniform(rng, 0, 1000000));
  customer->set_tenure_days(Uniform(rng, 0, 3000));
  customer->set_influence(static_cast<double>(Uniform(rng, 0, 100)) / 100.0);
  customer->set_orders_12m(Uniform(rng, 0, 12));

  v1::Case* kase = c.mutable_case_();
  kase->set_id(absl::StrCat("case_", i % 13));
  kase->set_channel(
      Pick(rng, std::vector<std::string>{"email", "chat", "phone", "social"}));
  kase->set_category(Pick(
      rng, std::vector<std::string>{"delivery", "billing", "time_wasting"}));
  kase->set_severity(
      Pick(rng, std::vector<std::string>{"low", "medium", "high", "critical"}));
  kase->set_sentiment(static_cast<double>(Uniform(rng, -100, 100)) / 100.0);
  kase->set_message(Pick(
      rng, std::vector<std::string>{
               "", "Where is my order?", "I want special treatment, I'm a VIP.",
               "Please call me back.", "This is unacceptable.",
               "Can I speak to your manager?"}));
  kase->mutable_opened_at()->set_seconds(now - Uniform(rng, 0, 4 * kDay));
  if (Uniform(rng, 0, 1) == 1) {
    kase->mutable_incident_at()->set_seconds(now - Uniform(rng, 0, 3 * kDay));
  }
  kase->set_our_fault(Uniform(rng, 0, 1) == 1);

  const int events = static_cast<int>(Uniform(rng, 0, 14));
  for (int k = 0; k < events; ++k) {
    v1::Event* e = c.add_history();
    int64_t at = now - Uniform(rng, 0, 200 * kDay);
    switch (Uniform(rng, 0, 9)) {
      case 0:
        at = now - kWindow;
        break;  // exactly at the window edge
      case 1:
        at = now - kWindow - 1;
        break;  // one second outside it
      case 2:
        at = now;
        break;
      default:
        break;
    }
    e->mutable_at()->set_seconds(at);
    const std::string own_case = kase->id();
    const std::string other_case = absl::StrCat("case_other_", k);
    switch (Uniform(rng, 0, 5)) {
      case 0:
      case 1:
        e->set_kind("goodwill");
        e->set_amount(Uniform(rng, 0, 4000));
        e->set_case_id(Uniform(rng, 0, 2) == 0 ? own_case : other_case);
        break;
      case 2:
        e->set_kind("time_wasting");
        break;
      case 3:
        e->set_kind("rung_offered");
        e->set_ref(Uniform(rng, 0, 4) == 0 ? "other_ladder" : kLadder);
        e->set_step(Uniform(rng, 1, 4));
        e->set_case_id(Uniform(rng, 0, 3) == 0 ? other_case : own_case);
        break;
      case 4:
        e->set_kind("contact");
        break;
      default:
        e->set_kind("inquiry");
        break;
    }
  }
  g.authority =
      Pick(rng, std::vector<std::string>{"", "bot", "agent", "supervisor"});
  return g;
}

// What the budget has left, from the policy's caps (per_window
// "min(20000, customer.spend_12m / 10)" over a rolling 90d, per_case 5000)
// and the goodwill already granted, computed here independently.
int64_t BudgetLeft(const v1::Context& c) {
  const int64_t now = c.now().seconds();
  int64_t window_cap = std::min<int64_t>(20000, c.customer().spend_12m() / 10);
  window_cap = std::max<int64_t>(0, window_cap);
  int64_t in_window = 0, in_case = 0;
  for (const v1::Event& e : c.history()) {
    if (e.kind() != "goodwill" || e.amount() <= 0) continue;
    if (e.at().seconds() >= now - kWindow && e.at().seconds() <= now) {
      in_window += e.amount();
    }
    if (!c.case_().id().empty() && e.case_id() == c.case_().id()) {
      in_case += e.amount();
    }
  }
  return std::max<int64_t>(
      0, std::min(window_cap - in_window, kCaseCap - in_case));
}

int StrikeCount(const v1::Context& c) {
  const int64_t now = c.now().seconds();
  int count = c.case_().category() == "time_wasting" ? 1 : 0;
  for (const v1::Event& e : c.history()) {
    if (e.kind() == "time_wasting" && e.at().seconds() >= now - kWindow &&
        e.at().seconds() <= now) {
      ++count;
    }
  }
  return count;
}

class InvariantsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto engine = Engine::FromFile(PolicyPath());
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static const Engine* engine_;
};
const Engine* InvariantsTest::engine_ = nullptr;

TEST_F(InvariantsTest, HoldOverGeneratedContexts) {
  ASSERT_NE(engine_, nullptr);
  const v1::Policy& policy = engine_->policy();
  std::map<std::string, std::string> amount_param;  // monetary action -> param
  for (const v1::Action& a : policy.actions()) {
    if (!a.amount_param().empty()) amount_param[a.id()] = a.amount_param();
  }
  std::map<std::string, std::set<std::string>> rung_actions;  // ladder -> ids
  for (const v1::EscalationLadder& l : policy.ladders()) {
    for (const v1::Rung& r : l.rungs())
      rung_actions[l.id()].insert(r.action().action());
  }
  ASSERT_FALSE(amount_param.empty());
  ASSERT_FALSE(rung_actions.empty());

  std::mt19937_64 rng(kSeed);
  int playbook_cases = 0, monetary_cases = 0, clipped_or_blocked = 0,
      struck_out = 0, pending_cases = 0;
  for (int i = 0; i < kContexts; ++i) {
    Generated g = Generate(rng, i);
    const v1::Context& context = g.context;
    SCOPED_TRACE(absl::StrCat("context #", i, " authority \"", g.authority,
                              "\": ", context.ShortDebugString()));
    DecideOptions options;
    options.authority = g.authority;
    absl::StatusOr<v1::Decision> decided = engine_->Decide(context, options);
    ASSERT_TRUE(decided.ok()) << decided.status();
    const v1::Decision& d = *decided;
    SCOPED_TRACE(absl::StrCat("decision: ", DecisionToJson(d, false)));

    // 1. Money never exceeds what the budget had left.
    const int64_t left = BudgetLeft(context);
    int64_t recommended = 0;
    bool any_monetary = false;
    auto add_amounts = [&](const v1::RecommendedAction& a) {
      auto it = amount_param.find(a.action());
      if (it == amount_param.end()) return;
      any_monetary = true;
      for (const v1::Param& p : a.params()) {
        if (p.name() == it->second) {
          ASSERT_EQ(p.value().kind_case(), v1::Value::kIntValue) << a.action();
          EXPECT_GT(p.value().int_value(), 0) << a.action();
          recommended += p.value().int_value();
        }
      }
    };
    for (const auto& a : d.actions()) add_amounts(a);
    for (const auto& a : d.needs_approval()) add_amounts(a);
    EXPECT_LE(recommended, left) << "monetary amounts exceed the budget left";
    int64_t effect_goodwill = 0;
    for (const v1::Effect& e : d.effects()) {
      if (e.kind() == "goodwill") effect_goodwill += e.amount();
    }
    EXPECT_LE(effect_goodwill, left);
    EXPECT_LE(effect_goodwill, recommended);
    if (any_monetary) ++monetary_cases;
    for (const auto& b : d.blocked()) {
      if (b.code() == "budget_exhausted") ++clipped_or_blocked;
    }

    // 2. Apology first whenever the playbook applies (when: case.our_fault).
    if (context.case_().our_fault()) {
      ++playbook_cases;
      ASSERT_GE(d.actions_size(), 3);
      EXPECT_EQ(d.actions(0).action(), "apologize");
      EXPECT_EQ(d.actions(1).action(), "fix_fast");
      EXPECT_EQ(d.actions(2).action().rfind("surprise_", 0), 0u)
          << d.actions(2).action();
    } else {
      for (const auto& a : d.actions()) EXPECT_NE(a.action(), "apologize");
    }

    // 3. Never two rungs of one ladder.
    std::map<std::string, int> rung_effects;
    for (const v1::Effect& e : d.effects()) {
      if (e.kind() == "rung_offered") ++rung_effects[e.ref()];
    }
    for (const auto& [ladder, n] : rung_effects) {
      EXPECT_LE(n, 1) << "ladder " << ladder;
    }
    for (const auto& [ladder, ids] : rung_actions) {
      int n = 0;
      for (const auto& a : d.actions()) n += ids.count(a.action());
      for (const auto& a : d.needs_approval()) n += ids.count(a.action());
      EXPECT_LE(n, 1) << "rungs of ladder " << ladder;
    }

    // 4. Determinism: twice, and on a shuffled history.
    const std::string bytes = Serialize(d);
    absl::StatusOr<v1::Decision> again = engine_->Decide(context, options);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(Serialize(*again), bytes) << "deciding twice differs";
    v1::Context shuffled = context;
    std::vector<v1::Event> events(shuffled.history().begin(),
                                  shuffled.history().end());
    std::shuffle(events.begin(), events.end(), rng);
    shuffled.clear_history();
    for (const v1::Event& e : events) *shuffled.add_history() = e;
    absl::StatusOr<v1::Decision> reordered = engine_->Decide(shuffled, options);
    ASSERT_TRUE(reordered.ok());
    EXPECT_EQ(Serialize(*reordered), bytes)
        << "history order changes the decision";

    // 5. Hard rails.
    if (g.authority.empty()) {
      EXPECT_EQ(d.needs_approval_size(), 0);
    }
    if (d.needs_approval_size() > 0) ++pending_cases;
    for (const auto& a : d.needs_approval()) {
      EXPECT_FALSE(a.required_authority().empty()) << a.action();
    }
    if (StrikeCount(context) >= 3) {
      ++struck_out;
      for (const auto& a : d.actions())
        EXPECT_EQ(amount_param.count(a.action()), 0u) << a.action();
      for (const auto& a : d.needs_approval())
        EXPECT_EQ(amount_param.count(a.action()), 0u) << a.action();
    }
    if (HasFailure()) break;  // one printed counterexample is enough
  }
  // The generator must actually exercise what the invariants are about.
  EXPECT_GT(playbook_cases, kContexts / 4);
  EXPECT_GT(monetary_cases, 20);
  EXPECT_GT(clipped_or_blocked, 5);
  EXPECT_GT(struck_out, 10);
  EXPECT_GT(pending_cases, 10);
  std::printf(
      "contexts %d: playbook %d, monetary %d, budget_exhausted %d, "
      "struck out %d, pending approval %d\n",
      kContexts, playbook_cases, monetary_cases, clipped_or_blocked, struck_out,
      pending_cases);
}

}  // namespace
}  // namespace tact
