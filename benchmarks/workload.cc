#include "benchmarks/workload.h"

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tact::bench {
namespace {

constexpr int64_t kNow = 1773154800;  // 2026-03-10T15:00:00Z

constexpr const char* kTiers[] = {"standard", "premium", "enterprise",
                                  "prospect"};
constexpr int kTierWeights[] = {60, 25, 10, 5};
constexpr const char* kChannels[] = {"email", "chat", "phone", "social", "web"};
constexpr int kChannelWeights[] = {35, 30, 15, 10, 10};
constexpr const char* kCategories[] = {"delivery", "billing", "outage",
                                       "returns",  "account", "product",
                                       "refund",   "other"};
constexpr const char* kSeverities[] = {"low", "medium", "high", "critical"};
constexpr int kSeverityWeights[] = {40, 35, 20, 5};
constexpr const char* kWords[] = {
    "late",    "broken", "refund",  "manager", "again",  "cancel", "thanks",
    "invoice", "wrong",  "missing", "urgent",  "lawyer", "love",   "slow"};

// The raw output of std::mt19937_64 is fixed by the standard; the
// distributions of <random> are not, so draws are made here.
class Draw {
 public:
  explicit Draw(uint64_t seed) : rng_(seed) {}
  int Below(int n) {
    return static_cast<int>(rng_() % static_cast<uint64_t>(n));
  }
  bool Chance(int percent) { return Below(100) < percent; }
  double Unit() {
    return static_cast<double>(rng_() >> 11) / 9007199254740992.0;
  }
  template <size_t N>
  int Weighted(const int (&weights)[N]) {
    int total = 0;
    for (int w : weights) total += w;
    int x = Below(total);
    for (size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return 0;
  }

 private:
  std::mt19937_64 rng_;
};

std::string Condition(Draw& d, int kind) {
  switch (kind) {
    case 0:
      return absl::StrCat("customer.tier == '", kTiers[d.Below(4)], "'");
    case 1:
      return absl::StrCat("case.channel == '", kChannels[d.Below(5)], "'");
    case 2:
      return absl::StrCat("case.category == '", kCategories[d.Below(8)], "'");
    case 3:
      return absl::StrCat("severity_rank >= ", 1 + d.Below(4));
    case 4:
      return absl::StrCat("customer.lifetime_value ", d.Chance(50) ? ">" : "<",
                          " ", 10000 * (1 + d.Below(50)));
    case 5:
      return absl::StrCat("case.sentiment < ", -0.1 * d.Below(8));
    case 6:
      return absl::StrCat("hours_open > ", 1 + d.Below(72));
    case 7:
      return absl::StrCat("complaints_90d >= ", 1 + d.Below(4));
    case 8:
      return absl::StrCat("goodwill_90d ", d.Chance(50) ? "<" : ">=", " ",
                          500 * (1 + d.Below(20)));
    default:
      return "true";
  }
}

}  // namespace

std::string GeneratePolicy(int rules, uint64_t seed) {
  Draw d(seed);
  std::string out = absl::StrCat(
      "name: 'generated' version: '", rules, "' currency: 'USD'\n",
      "authorities: 'bot' authorities: 'agent' authorities: 'supervisor'\n");
  constexpr int kActions = 40;
  for (int a = 0; a < kActions; ++a) {
    absl::StrAppend(&out, "actions { id: 'act", a, "' title: 'Action ", a, "'");
    if (a % 8 == 0) {
      absl::StrAppend(
          &out, " amount_param: 'amount' min_amount: 200 alternative: 'note'",
          " limits { authority: 'bot' max_amount: 1000 }");
    }
    absl::StrAppend(&out, " }\n");
  }
  absl::StrAppend(
      &out,
      "actions { id: 'note' } actions { id: 'apologize' } actions { id: 'fix' "
      "}\n"
      "actions { id: 'gift' } actions { id: 'warn' } actions { id: 'decline' "
      "}\n"
      "actions { id: 'explain' } actions { id: 'supervisor' }\n"
      "actions { id: 'credit' amount_param: 'amount' min_amount: 300 "
      "alternative: 'note' }\n"
      "definitions { name: 'severity_rank' expr: \"case.severity == 'critical' "
      "? 4 : "
      "case.severity == 'high' ? 3 : case.severity == 'medium' ? 2 : 1\" }\n"
      "definitions { name: 'hours_open' expr: 'has(case.opened_at) ? "
      "(int(now) - int(case.opened_at)) / 3600 : 0' }\n"
      "definitions { name: 'complaints_90d' expr: \"history.count(e, e.kind == "
      "'complaint' && now - e.at <= duration('90d'))\" }\n"
      "definitions { name: 'goodwill_90d' expr: \"history.filter(e, e.kind == "
      "'goodwill' && now - e.at <= duration('90d')).size() * 500\" }\n"
      "budgets { id: 'goodwill' window: '90d' per_window: "
      "'min(20000, customer.spend_12m / 10)' per_case: '5000' }\n"
      "strike_limits { id: 'time_wasting' counts: \"e.kind == 'time_wasting'\" "
      "window: '90d' limit: 3 warning { action: 'warn' } at_limit { action: "
      "'decline' } "
      "suppress: 'credit' }\n"
      "ladders { id: 'unhappy' when: 'case.sentiment < -0.3' "
      "rungs { action { action: 'explain' } } "
      "rungs { action { action: 'credit' params { key: 'amount' value: '1500' "
      "} } min_wait: '2h' } "
      "rungs { action { action: 'supervisor' } min_wait: '24h' } exhausted { "
      "action: 'supervisor' } }\n"
      "ladders { id: 'outage' when: \"case.category == 'outage'\" "
      "rungs { action { action: 'explain' } } rungs { action { action: 'gift' "
      "} min_wait: '4h' } }\n"
      "playbooks { id: 'recovery' when: 'case.our_fault' apology: 'apologize' "
      "fix { action: 'fix' } surprise { action: 'gift' } surprise { action: "
      "'note' } "
      "compensation_ladder: 'unhappy' }\n");
  for (int r = 0; r < rules; ++r) {
    int conditions = 2 + d.Below(3);
    std::vector<std::string> parts;
    bool used[9] = {};
    // Most rules key on who and where: tier, channel, category.
    for (int kind : {0, 1, 2}) {
      if (static_cast<int>(parts.size()) < conditions && d.Chance(55)) {
        parts.push_back(Condition(d, kind));
        used[kind] = true;
      }
    }
    while (static_cast<int>(parts.size()) < conditions) {
      int kind = 3 + d.Below(6);
      if (used[kind]) continue;
      used[kind] = true;
      parts.push_back(Condition(d, kind));
    }
    if (d.Chance(10)) {
      parts.push_back(
          absl::StrCat("case.message.matches('(?i)(", kWords[d.Below(14)], "|",
                       kWords[d.Below(14)], ") (", kWords[d.Below(14)], "|",
                       kWords[d.Below(14)], ")')"));
    }
    int action = d.Below(kActions);
    absl::StrAppend(&out, "rules { id: 'r", r, "' priority: ", d.Below(10),
                    " weight: ", 1 + d.Below(5), " when: \"",
                    absl::StrJoin(parts, " && "), "\" recommend { action: 'act",
                    action, "'");
    if (action % 8 == 0) {
      absl::StrAppend(&out, " params { key: 'amount' value: '",
                      500 * (1 + d.Below(6)), "' }");
    }
    absl::StrAppend(&out, " } }\n");
  }
  return out;
}

std::vector<v1::Context> GenerateContexts(int count, uint64_t seed) {
  Draw d(seed);
  std::vector<v1::Context> out;
  out.reserve(count);
  for (int i = 0; i < count; ++i) {
    v1::Context c;
    c.mutable_now()->set_seconds(kNow);
    v1::Customer* customer = c.mutable_customer();
    customer->set_id(absl::StrCat("cust-", d.Below(count / 2 + 1)));
    customer->set_tier(kTiers[d.Weighted(kTierWeights)]);
    customer->set_spend_12m(
        static_cast<int64_t>(100000 * d.Unit() * d.Unit() * 10));
    customer->set_lifetime_value(
        static_cast<int64_t>(customer->spend_12m() * (1 + 4 * d.Unit())));
    customer->set_tenure_days(d.Below(3000));
    customer->set_influence(d.Unit() * d.Unit());
    customer->set_orders_12m(d.Below(30));
    v1::Case* kase = c.mutable_case_();
    kase->set_id(absl::StrCat("case-", i));
    kase->set_channel(kChannels[d.Weighted(kChannelWeights)]);
    kase->set_category(kCategories[d.Below(8)]);
    kase->set_severity(kSeverities[d.Weighted(kSeverityWeights)]);
    kase->set_sentiment(2 * d.Unit() - 1);
    std::vector<std::string> words;
    for (int w = 0, n = 3 + d.Below(12); w < n; ++w)
      words.push_back(kWords[d.Below(14)]);
    kase->set_message(absl::StrCat("Hello, ", absl::StrJoin(words, " "), "."));
    kase->mutable_opened_at()->set_seconds(kNow - d.Below(96 * 3600));
    kase->mutable_incident_at()->set_seconds(kase->opened_at().seconds() -
                                             d.Below(3600));
    kase->set_our_fault(d.Chance(30));
    for (int e = 0, n = d.Below(12); e < n; ++e) {
      v1::Event* event = c.add_history();
      event->mutable_at()->set_seconds(kNow - d.Below(180 * 86400));
      static constexpr const char* kKinds[] = {"complaint", "goodwill", "order",
                                               "time_wasting", "rung_offered"};
      event->set_kind(kKinds[d.Below(5)]);
      if (event->kind() == "goodwill")
        event->set_amount(100 * (1 + d.Below(30)));
      if (event->kind() == "rung_offered") {
        event->set_ref("unhappy");
        event->set_step(1 + d.Below(3));
        event->set_case_id(kase->id());
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace tact::bench
