// The constructs' trace (Decision.construct_trace, TRACE_FULL): each
// construct of the policy appends exactly one entry per decision, in decide
// order, with the values its decision logic used. Multi-step cases record
// each decision's effects in the history and decide again: the trace's
// numbers move as the construct's state does.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"

namespace tact {
namespace {

using ::tact::testing::MustCompile;
using ::tact::testing::MustDecide;
using ::tact::testing::Record;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// 2026-01-05T10:00:00Z, a Monday.
constexpr int64_t kT0 = 1767607200;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// Every construct: a strike limit, two ladders, a playbook, entitlements,
// a goodwill budget and authorities.
constexpr absl::string_view kPolicy = R"pb(
  currency: "USD"
  authorities: "bot"
  authorities: "agent"
  actions { id: "explain" }
  actions { id: "callback" requires: "phone" }
  actions {
    id: "credit"
    amount_param: "amount"
    template: "Credit {amount:money}"
    limits { authority: "bot" max_amount: 1000 }
  }
  actions { id: "refund" authority: "agent" }
  actions { id: "decline" }
  actions { id: "warn" }
  actions { id: "apologize" }
  actions { id: "fix" }
  actions { id: "flowers" }
  actions { id: "supervisor" }
  actions { id: "hold" }
  entitlements { tier: "gold" includes: "phone" includes: "email" }
  entitlements { tier: "standard" includes: "email" default: true }
  budgets { id: "goodwill" window: "30d" per_window: "5000" per_case: "3000" }
  strike_limits {
    id: "time_wasting"
    counts: "e.kind == 'time_wasting'"
    window: "30d"
    limit: 3
    current_is_strike: "case.category == 'time_wasting'"
    warning { action: "warn" }
    at_limit { action: "decline" }
    suppress: "credit"
  }
  ladders {
    id: "unhappy"
    when: "case.sentiment < 0.0"
    rungs { action { action: "explain" } }
    rungs {
      action {
        action: "credit"
        params { key: "amount" value: "1200" }
      }
      min_wait: "48h"
    }
    rungs {
      action { action: "refund" }
      min_wait: "48h"
    }
    exhausted { action: "supervisor" }
  }
  ladders {
    id: "vip"
    when: "customer.tier == 'vip'"
    rungs { action { action: "callback" } }
  }
  playbooks {
    id: "recovery"
    when: "case.our_fault"
    apology: "apologize"
    fix { action: "fix" }
    fix_within: "24h"
    surprise { action: "flowers" }
  }
  rules {
    id: "late_credit"
    when: "case.category == 'late'"
    recommend {
      action: "credit"
      params { key: "amount" value: "1200" }
    }
  }
  rules {
    id: "call_back"
    when: "case.category == 'call'"
    recommend { action: "callback" }
  }
  rules {
    id: "refund_it"
    when: "case.category == 'refund'"
    recommend { action: "refund" }
  }
  rules {
    id: "fraud"
    when: "case.category == 'fraud'"
    priority: 10
    final: true
    recommend { action: "hold" }
  }
)pb";

// A case of customer c1 of `tier`, opened at kT0, with `extra` case fields.
v1::Context Case(absl::string_view tier, absl::string_view extra = "") {
  v1::Context context;
  std::string text = absl::StrCat(
      "customer { id: \"c1\" tier: \"", tier, "\" } case { id: \"k1\" ",
      "opened_at { seconds: ", kT0, " } ", extra, " }");
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context))
      << text;
  return context;
}

DecideOptions Full(absl::string_view authority = "") {
  DecideOptions options;
  options.trace_level = v1::TRACE_FULL;
  options.authority = std::string(authority);
  return options;
}

v1::Decision DecideAt(const Engine& engine, v1::Context context, int64_t at,
                      const DecideOptions& options = Full()) {
  context.mutable_now()->set_seconds(at);
  return MustDecide(engine, context, options);
}

// The entry of construct `id` of `kind`; fails the test when there is not
// exactly one.
v1::ConstructTrace Entry(const v1::Decision& d, absl::string_view kind,
                         absl::string_view id) {
  v1::ConstructTrace found;
  int matches = 0;
  for (const v1::ConstructTrace& e : d.construct_trace()) {
    if (e.kind() == kind && e.id() == id) {
      found = e;
      ++matches;
    }
  }
  EXPECT_EQ(matches, 1) << kind << " " << id << " in\n" << d.DebugString();
  return found;
}

void AddEvent(absl::string_view kind, int64_t at, v1::Context* context,
              absl::string_view case_id = "old") {
  v1::Event* e = context->add_history();
  e->set_kind(std::string(kind));
  e->set_case_id(std::string(case_id));
  e->mutable_at()->set_seconds(at);
}

// --- Every construct, once, in decide order ----------------------------------

TEST(ConstructTraceTest, OneEntryPerConstructInDecideOrder) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d = DecideAt(*engine, Case("gold"), kT0, Full("bot"));
  std::vector<std::string> entries;
  for (const v1::ConstructTrace& e : d.construct_trace()) {
    entries.push_back(absl::StrCat(e.kind(), ":", e.id()));
    EXPECT_FALSE(e.summary().empty()) << e.DebugString();
  }
  EXPECT_THAT(entries,
              ElementsAre("strike_limit:time_wasting", "ladder:unhappy",
                          "ladder:vip", "playbook:recovery", "entitlement:gold",
                          "budget:goodwill", "authority:bot"));
}

TEST(ConstructTraceTest, OnlyTheFullTraceRecordsConstructs) {
  auto engine = MustCompile(kPolicy);
  DecideOptions options;
  for (v1::TraceLevel level : {v1::TRACE_OFF, v1::TRACE_EVALUATED}) {
    options.trace_level = level;
    v1::Decision d =
        DecideAt(*engine, Case("gold", "sentiment: -0.5"), kT0, options);
    EXPECT_THAT(d.construct_trace(), IsEmpty()) << level;
    EXPECT_THAT(testing::Ids(d), ElementsAre("explain"));
  }
  options.trace = true;  // the same as TRACE_FULL
  EXPECT_EQ(
      DecideAt(*engine, Case("gold"), kT0, options).construct_trace_size(), 7);
}

TEST(ConstructTraceTest, DecidingAgainReusesNoStaleEntries) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold", "sentiment: -0.5");
  context.mutable_now()->set_seconds(kT0);
  v1::Decision d;
  ASSERT_TRUE(engine->DecideInto(context, Full(), &d).ok());
  ASSERT_TRUE(engine->DecideInto(context, Full(), &d).ok());
  EXPECT_EQ(d.construct_trace_size(), 7);
  EXPECT_EQ(Entry(d, "ladder", "unhappy").ladder().offered_rung(), 1);
  ASSERT_TRUE(engine->DecideInto(context, DecideOptions(), &d).ok());
  EXPECT_THAT(d.construct_trace(), IsEmpty());
}

// --- Ladders -----------------------------------------------------------------

TEST(LadderTraceTest, ClimbsFromRungOneToTwoWithTheNextDueTime) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold", "sentiment: -0.5");
  v1::Decision first = DecideAt(*engine, context, kT0);
  v1::ConstructTrace entry = Entry(first, "ladder", "unhappy");
  const v1::LadderTrace& l1 = entry.ladder();
  EXPECT_TRUE(l1.entered());
  EXPECT_EQ(l1.rungs(), 3);
  EXPECT_EQ(l1.current_rung(), 0);
  EXPECT_EQ(l1.offered_rung(), 1);
  EXPECT_EQ(l1.offered_action(), "explain");
  EXPECT_EQ(l1.next_rung(), 2);
  EXPECT_EQ(l1.next_action(), "credit");
  EXPECT_EQ(l1.wait().seconds(), 48 * kHour);
  EXPECT_EQ(l1.next_due().seconds(), kT0 + 2 * kDay);
  EXPECT_EQ(entry.summary(),
            "Rung 1 of 3 (explain) offered. Next: rung 2 (credit) after 2 "
            "days, due 2026-01-07T10:00:00Z.");
  Record(first, kT0, &context);

  // Before the wait is over: rung 2 waits, due when the first trace said.
  v1::Decision early = DecideAt(*engine, context, kT0 + kHour);
  const v1::LadderTrace waiting = Entry(early, "ladder", "unhappy").ladder();
  EXPECT_EQ(waiting.current_rung(), 1);
  EXPECT_EQ(waiting.offered_rung(), 0);
  EXPECT_TRUE(waiting.waiting());
  EXPECT_EQ(waiting.next_rung(), 2);
  EXPECT_EQ(waiting.next_due().seconds(), l1.next_due().seconds());
  EXPECT_THAT(Entry(early, "ladder", "unhappy").summary(),
              HasSubstr("Rung 2 of 3 (credit) is not due yet: it waits 2 days "
                        "after rung 1, until 2026-01-07T10:00:00Z"));

  v1::Decision second = DecideAt(*engine, context, kT0 + 2 * kDay);
  const v1::LadderTrace l2 = Entry(second, "ladder", "unhappy").ladder();
  EXPECT_EQ(l2.current_rung(), 1);
  EXPECT_EQ(l2.offered_rung(), 2);
  EXPECT_EQ(l2.offered_action(), "credit");
  EXPECT_FALSE(l2.waiting());
  EXPECT_EQ(l2.next_rung(), 3);
  EXPECT_EQ(l2.next_action(), "refund");
  EXPECT_EQ(l2.next_due().seconds(), kT0 + 4 * kDay);
  Record(second, kT0 + 2 * kDay, &context);

  v1::Decision third = DecideAt(*engine, context, kT0 + 4 * kDay);
  const v1::LadderTrace l3 = Entry(third, "ladder", "unhappy").ladder();
  EXPECT_EQ(l3.current_rung(), 2);
  EXPECT_EQ(l3.offered_rung(), 3);
  EXPECT_EQ(l3.next_rung(), 0);
  EXPECT_FALSE(l3.has_next_due());
  EXPECT_THAT(Entry(third, "ladder", "unhappy").summary(),
              HasSubstr("It is the top rung"));
  Record(third, kT0 + 4 * kDay, &context);

  v1::Decision done = DecideAt(*engine, context, kT0 + 5 * kDay);
  const v1::LadderTrace l4 = Entry(done, "ladder", "unhappy").ladder();
  EXPECT_EQ(l4.current_rung(), 3);
  EXPECT_TRUE(l4.exhausted());
  EXPECT_EQ(Entry(done, "ladder", "unhappy").summary(),
            "Every rung (3) has been offered in this case; the exhausted "
            "actions apply: supervisor.");
}

TEST(LadderTraceTest, ALadderTheCaseIsNotOnSaysWhy) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d = DecideAt(*engine, Case("gold"), kT0);
  v1::ConstructTrace vip = Entry(d, "ladder", "vip");
  EXPECT_FALSE(vip.ladder().entered());
  EXPECT_EQ(vip.ladder().offered_rung(), 0);
  EXPECT_EQ(vip.summary(),
            "Not on this ladder: its condition `customer.tier == 'vip'` was "
            "false.");
}

TEST(LadderTraceTest, AFinalRuleStopsTheLadderAndThePlaybook) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d = DecideAt(
      *engine,
      Case("gold", "sentiment: -0.5 category: \"fraud\" our_fault: true"), kT0);
  EXPECT_TRUE(Entry(d, "ladder", "unhappy").stopped());
  EXPECT_EQ(Entry(d, "ladder", "unhappy").ladder().offered_rung(), 0);
  EXPECT_TRUE(Entry(d, "playbook", "recovery").stopped());
  EXPECT_THAT(Entry(d, "playbook", "recovery").playbook().stages(), IsEmpty());
  // A final rule stops before the situation is looked at.
  EXPECT_TRUE(Entry(d, "ladder", "vip").stopped());
  // Strike counting is not a candidate: the strike limit still counts.
  EXPECT_FALSE(Entry(d, "strike_limit", "time_wasting").stopped());
  EXPECT_EQ(Entry(d, "strike_limit", "time_wasting").strike_limit().limit(), 3);
}

// --- Strike limits
// -------------------------------------------------------------

TEST(StrikeTraceTest, CountGoesFromTwoToThreeAtTheLimitWithTheCountedEvents) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold", "category: \"other\"");
  AddEvent("time_wasting", kT0 - 2 * kDay, &context);
  AddEvent("time_wasting", kT0 - 40 * kDay, &context);  // outside the window
  AddEvent("time_wasting", kT0 - 5 * kDay, &context);
  v1::Decision two = DecideAt(*engine, context, kT0);
  v1::ConstructTrace entry = Entry(two, "strike_limit", "time_wasting");
  const v1::StrikeTrace& s2 = entry.strike_limit();
  EXPECT_EQ(s2.count(), 2);
  EXPECT_EQ(s2.limit(), 3);
  EXPECT_EQ(s2.window().seconds(), 30 * kDay);
  EXPECT_EQ(s2.window_start().seconds(), kT0 - 30 * kDay);
  EXPECT_FALSE(s2.at_limit());
  EXPECT_FALSE(s2.case_counted());
  ASSERT_EQ(s2.counted_size(), 2);
  EXPECT_EQ(s2.counted(0).at().seconds(), kT0 - 5 * kDay);  // oldest first
  EXPECT_EQ(s2.counted(1).at().seconds(), kT0 - 2 * kDay);
  EXPECT_EQ(entry.summary(),
            "2 of 3 strikes in the last 30 days (time_wasting at "
            "2025-12-31T10:00:00Z, time_wasting at 2026-01-03T10:00:00Z); "
            "this case is not a strike: one short of the limit, the warning "
            "applies.");

  context.mutable_case_()->set_category("time_wasting");
  v1::Decision three = DecideAt(*engine, context, kT0 + kHour);
  entry = Entry(three, "strike_limit", "time_wasting");
  const v1::StrikeTrace& s3 = entry.strike_limit();
  EXPECT_EQ(s3.count(), 3);
  EXPECT_TRUE(s3.at_limit());
  EXPECT_TRUE(s3.struck_now());
  EXPECT_TRUE(s3.case_counted());
  EXPECT_EQ(s3.counted_size(), 2);
  EXPECT_THAT(entry.summary(),
              HasSubstr("; this case records strike 3: at the limit, so "
                        "credit is held back."));
  Record(three, kT0 + kHour, &context);

  // Recorded: the case still counts, once, and is not struck again.
  v1::Decision again = DecideAt(*engine, context, kT0 + 2 * kHour);
  const v1::StrikeTrace s4 =
      Entry(again, "strike_limit", "time_wasting").strike_limit();
  EXPECT_EQ(s4.count(), 3);
  EXPECT_TRUE(s4.case_counted());
  EXPECT_FALSE(s4.struck_now());
  EXPECT_EQ(s4.counted_size(), 2);
}

TEST(StrikeTraceTest, TenThousandEventsListTheLatestHundredWithAnExactCount) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold");
  constexpr int kEvents = 10000;
  // Newest first in the history, so the trace has to order them.
  for (int i = 0; i < kEvents; ++i) {
    AddEvent("time_wasting", kT0 - 1 - i * 60, &context);
  }
  v1::Decision d = DecideAt(*engine, context, kT0);
  v1::ConstructTrace entry = Entry(d, "strike_limit", "time_wasting");
  const v1::StrikeTrace& s = entry.strike_limit();
  EXPECT_EQ(s.count(), kEvents);
  EXPECT_TRUE(s.at_limit());
  ASSERT_EQ(s.counted_size(), 100);
  EXPECT_EQ(s.counted(0).at().seconds(), kT0 - 1 - 99 * 60);
  EXPECT_EQ(s.counted(99).at().seconds(), kT0 - 1);
  EXPECT_THAT(entry.summary(), HasSubstr("10000 of 3 strikes in the last 30 "
                                         "days (the latest: "));
  EXPECT_LT(entry.summary().size(), 400u);
}

// --- The goodwill budget
// -------------------------------------------------------

TEST(BudgetTraceTest, RemainingShrinksAsGrantsAreRecorded) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold", "category: \"late\"");
  AddEvent("goodwill", kT0 - 3 * kDay, &context);
  context.mutable_history(0)->set_amount(1000);  // another case, in window
  v1::Decision first = DecideAt(*engine, context, kT0);
  v1::ConstructTrace entry = Entry(first, "budget", "goodwill");
  const v1::BudgetTrace& b1 = entry.budget();
  EXPECT_EQ(b1.currency(), "USD");
  EXPECT_EQ(b1.window_cap(), 5000);
  EXPECT_EQ(b1.window().seconds(), 30 * kDay);
  EXPECT_EQ(b1.window_start().seconds(), kT0 - 30 * kDay);
  EXPECT_EQ(b1.granted_in_window(), 1000);
  EXPECT_EQ(b1.case_cap(), 3000);
  EXPECT_EQ(b1.granted_in_case(), 0);
  EXPECT_EQ(b1.remaining(), 3000);
  EXPECT_EQ(b1.wanted_now(), 1200);
  EXPECT_EQ(b1.granted_now(), 1200);
  EXPECT_EQ(entry.summary(),
            "Granted 10.00 USD of 50.00 USD in the window of 30 days (since "
            "2025-12-06T10:00:00Z), 0.00 USD of 30.00 USD in this case; 30.00 "
            "USD left; this decision may grant 12.00 USD.");
  Record(first, kT0, &context);

  v1::Decision second = DecideAt(*engine, context, kT0 + kHour);
  const v1::BudgetTrace b2 = Entry(second, "budget", "goodwill").budget();
  EXPECT_EQ(b2.granted_in_window(), 2200);
  EXPECT_EQ(b2.granted_in_case(), 1200);
  EXPECT_EQ(b2.remaining(), 1800);
  EXPECT_EQ(b2.granted_now(), 1200);
  Record(second, kT0 + kHour, &context);

  v1::Decision third = DecideAt(*engine, context, kT0 + 2 * kHour);
  entry = Entry(third, "budget", "goodwill");
  const v1::BudgetTrace& b3 = entry.budget();
  EXPECT_EQ(b3.granted_in_case(), 2400);
  EXPECT_EQ(b3.remaining(), 600);
  EXPECT_EQ(b3.wanted_now(), 1200);
  EXPECT_EQ(b3.granted_now(), 600);
  EXPECT_THAT(b3.clipped(), ElementsAre("credit"));
  EXPECT_THAT(
      entry.summary(),
      HasSubstr("6.00 USD left; this decision may grant 6.00 USD of the "
                "12.00 USD wanted. Reduced: credit."));
  Record(third, kT0 + 2 * kHour, &context);

  v1::Decision fourth = DecideAt(*engine, context, kT0 + 3 * kHour);
  const v1::BudgetTrace b4 = Entry(fourth, "budget", "goodwill").budget();
  EXPECT_EQ(b4.remaining(), 0);
  EXPECT_EQ(b4.granted_now(), 0);
  EXPECT_THAT(b4.exhausted(), ElementsAre("credit"));
}

TEST(BudgetTraceTest, ReDecidingAtTheSameNowShowsTheSameGrant) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold", "category: \"late\"");
  v1::Decision first = DecideAt(*engine, context, kT0);
  Record(first, kT0, &context);
  v1::Decision again = DecideAt(*engine, context, kT0);
  const v1::BudgetTrace b = Entry(again, "budget", "goodwill").budget();
  EXPECT_EQ(b.granted_in_case(), 0);
  EXPECT_EQ(b.remaining(), 3000);
  EXPECT_EQ(b.granted_now(), 1200);
}

// --- The recovery playbook
// ----------------------------------------------------

TEST(PlaybookTraceTest, StagesAndDeadlineThenTheWindowMissed) {
  auto engine = MustCompile(kPolicy);
  v1::Context context =
      Case("gold",
           absl::StrCat("our_fault: true incident_at { seconds: ", kT0, " }"));
  v1::Decision d = DecideAt(*engine, context, kT0 + kHour);
  v1::ConstructTrace entry = Entry(d, "playbook", "recovery");
  const v1::PlaybookTrace& p = entry.playbook();
  EXPECT_TRUE(p.triggered());
  EXPECT_THAT(p.stages(), ElementsAre("apology", "fix", "surprise"));
  EXPECT_THAT(p.actions(), ElementsAre("apologize", "fix", "flowers"));
  EXPECT_EQ(p.surprise(), 1);
  EXPECT_EQ(p.fix_within().seconds(), 24 * kHour);
  EXPECT_EQ(p.deadline().seconds(), kT0 + kDay);
  EXPECT_FALSE(p.window_missed());
  EXPECT_EQ(entry.summary(),
            "Recovery proposed: apology (apologize), fix (fix), surprise "
            "(flowers); fix due by 2026-01-06T10:00:00Z (1 day after the "
            "incident).");
  Record(d, kT0 + kHour, &context);

  v1::Decision late = DecideAt(*engine, context, kT0 + kDay + 1);
  entry = Entry(late, "playbook", "recovery");
  EXPECT_TRUE(entry.playbook().window_missed());
  EXPECT_EQ(entry.playbook().deadline().seconds(), kT0 + kDay);
  EXPECT_THAT(entry.summary(),
              HasSubstr("the fix was due by 2026-01-06T10:00:00Z (1 day after "
                        "the incident), which has passed: "
                        "recovery_window_missed."));
}

TEST(PlaybookTraceTest, NotTriggeredSaysWhichConditionWasFalse) {
  auto engine = MustCompile(kPolicy);
  v1::ConstructTrace entry =
      Entry(DecideAt(*engine, Case("gold"), kT0), "playbook", "recovery");
  EXPECT_FALSE(entry.playbook().triggered());
  EXPECT_EQ(entry.summary(),
            "Not triggered: its condition `case.our_fault` was false.");
}

// --- Entitlements
// -------------------------------------------------------------

TEST(EntitlementTraceTest, NamesTheContractAndWhatIsBeyondIt) {
  auto engine = MustCompile(kPolicy);
  v1::Decision gold =
      DecideAt(*engine, Case("gold", "category: \"call\""), kT0);
  v1::ConstructTrace entry = Entry(gold, "entitlement", "gold");
  EXPECT_EQ(entry.entitlement().tier(), "gold");
  EXPECT_EQ(entry.entitlement().entitlement(), "gold");
  EXPECT_FALSE(entry.entitlement().is_default());
  EXPECT_THAT(entry.entitlement().includes(), ElementsAre("email", "phone"));
  EXPECT_THAT(entry.entitlement().beyond_contract(), IsEmpty());
  EXPECT_EQ(entry.summary(),
            "The \"gold\" contract; every action is within it.");

  v1::Decision trial =
      DecideAt(*engine, Case("trial", "category: \"call\""), kT0);
  entry = Entry(trial, "entitlement", "standard");
  EXPECT_EQ(entry.entitlement().tier(), "trial");
  EXPECT_TRUE(entry.entitlement().is_default());
  EXPECT_FALSE(entry.entitlement().suppress());
  EXPECT_THAT(entry.entitlement().beyond_contract(), ElementsAre("callback"));
  EXPECT_EQ(entry.summary(),
            "The \"standard\" contract, the default for tier \"trial\"; beyond "
            "it but recommended (WARN): callback.");
  ASSERT_EQ(trial.actions_size(), 1);
  EXPECT_TRUE(trial.actions(0).beyond_contract());
}

// --- Authority
// ----------------------------------------------------------------

TEST(AuthorityTraceTest, HoldsNameTheRequiredAuthorityAndTheLimit) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d =
      DecideAt(*engine, Case("gold", "category: \"late\""), kT0, Full("bot"));
  v1::ConstructTrace entry = Entry(d, "authority", "bot");
  const v1::AuthorityTrace& a = entry.authority();
  EXPECT_EQ(a.caller(), "bot");
  EXPECT_EQ(a.money_limit(), 1000);
  EXPECT_EQ(a.allowed(), 0);
  ASSERT_EQ(a.held_size(), 1);
  EXPECT_EQ(a.held(0).action(), "credit");
  EXPECT_EQ(a.held(0).required_authority(), "agent");
  EXPECT_THAT(a.caller_limits(), ElementsAre(1000));
  EXPECT_EQ(entry.summary(),
            "As a bot: 0 actions may be taken alone; 1 needs approval: credit "
            "(an agent; 12.00 USD is above the 10.00 USD limit).");
  ASSERT_EQ(d.needs_approval_size(), 1);

  v1::Decision refund =
      DecideAt(*engine, Case("gold", "category: \"refund\""), kT0, Full("bot"));
  const v1::AuthorityTrace r = Entry(refund, "authority", "bot").authority();
  ASSERT_EQ(r.held_size(), 1);
  EXPECT_EQ(r.held(0).action(), "refund");
  EXPECT_THAT(r.caller_limits(), ElementsAre(-1));
  EXPECT_EQ(r.money_limit(), -1);

  // As an agent, the same credit is taken alone.
  v1::Decision agent =
      DecideAt(*engine, Case("gold", "category: \"late\""), kT0, Full("agent"));
  v1::ConstructTrace as_agent = Entry(agent, "authority", "agent");
  EXPECT_EQ(as_agent.authority().allowed(), 1);
  EXPECT_THAT(as_agent.authority().held(), IsEmpty());
  EXPECT_EQ(as_agent.summary(),
            "As an agent: 1 action may be taken alone; nothing needs "
            "approval.");
}

TEST(AuthorityTraceTest, WithoutAnAuthorityTheEntrySaysUnrestricted) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d = DecideAt(*engine, Case("gold", "category: \"late\""), kT0);
  v1::ConstructTrace entry = Entry(d, "authority", "");
  EXPECT_EQ(entry.authority().caller(), "");
  EXPECT_EQ(entry.authority().allowed(), 1);
  EXPECT_THAT(entry.summary(), HasSubstr("Unrestricted"));
}

// --- Skipped and entered rungs; a count that errs ----------------------------

// Rung 2 needs "phone", which the "basic" contract (SUPPRESS) excludes;
// rung 3 may be entered directly for a critical case. The strike count
// divides by zero on every event.
constexpr absl::string_view kEdges = R"pb(
  actions { id: "explain" }
  actions { id: "callback" requires: "phone" }
  actions { id: "credit" }
  entitlements { tier: "basic" includes: "email" }
  entitlements { tier: "gold" includes: "email" includes: "phone" }
  beyond_contract { mode: SUPPRESS }
  ladders {
    id: "unhappy"
    when: "case.sentiment < 0.0"
    rungs { action { action: "explain" } }
    rungs {
      action { action: "callback" }
      min_wait: "24h"
    }
    rungs {
      action { action: "credit" }
      min_wait: "24h"
      entry: "case.severity == 'critical'"
    }
  }
  strike_limits {
    id: "broken"
    counts: "e.amount / (e.amount - e.amount) > 1"
    window: "30d"
    limit: 2
  }
)pb";

TEST(LadderTraceTest, ARungBeyondTheContractIsListedAsSkipped) {
  auto engine = MustCompile(kEdges);
  v1::Context context = Case("basic", "sentiment: -0.5");
  v1::Event* rung = context.add_history();
  rung->set_kind("rung_offered");
  rung->set_ref("unhappy");
  rung->set_step(1);
  rung->set_case_id("k1");
  rung->mutable_at()->set_seconds(kT0);
  v1::ConstructTrace entry =
      Entry(DecideAt(*engine, context, kT0 + 2 * kDay), "ladder", "unhappy");
  EXPECT_THAT(entry.ladder().skipped_rungs(), ElementsAre(2));
  EXPECT_EQ(entry.ladder().offered_rung(), 3);
  EXPECT_FALSE(entry.ladder().entered_by_entry());
  EXPECT_EQ(entry.summary(),
            "Rung 3 of 3 (credit) offered (1 rung beyond the contract "
            "skipped). It is the top rung: the exhausted actions come next.");

  // Gold includes the phone: nothing is skipped.
  context.mutable_customer()->set_tier("gold");
  entry =
      Entry(DecideAt(*engine, context, kT0 + 2 * kDay), "ladder", "unhappy");
  EXPECT_THAT(entry.ladder().skipped_rungs(), IsEmpty());
  EXPECT_EQ(entry.ladder().offered_rung(), 2);
}

TEST(LadderTraceTest, ARungEnteredByItsEntryConditionSaysSo) {
  auto engine = MustCompile(kEdges);
  v1::ConstructTrace entry = Entry(
      DecideAt(*engine, Case("gold", "sentiment: -0.5 severity: \"critical\""),
               kT0),
      "ladder", "unhappy");
  EXPECT_TRUE(entry.ladder().entered_by_entry());
  EXPECT_EQ(entry.ladder().current_rung(), 0);
  EXPECT_EQ(entry.ladder().offered_rung(), 3);
  EXPECT_THAT(entry.summary(),
              HasSubstr("Rung 3 of 3 (credit) offered, entered by its entry "
                        "condition."));
}

TEST(StrikeTraceTest, ACountThatErrsIsTracedAsAtTheLimit) {
  auto engine = MustCompile(kEdges);
  v1::Context context = Case("gold");
  AddEvent("anything", kT0 - kDay, &context);
  v1::ConstructTrace entry =
      Entry(DecideAt(*engine, context, kT0), "strike_limit", "broken");
  EXPECT_TRUE(entry.strike_limit().at_limit());
  EXPECT_EQ(entry.strike_limit().limit(), 2);
  EXPECT_THAT(entry.strike_limit().error(), HasSubstr("division by zero"));
  EXPECT_THAT(entry.summary(),
              HasSubstr("The strike count could not be evaluated ("));
  EXPECT_THAT(entry.summary(),
              HasSubstr("the customer is treated as at the limit of 2."));
}

}  // namespace
}  // namespace tact
