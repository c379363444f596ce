// The service-level construct (issue 17): load errors naming their field,
// Decision.service_levels, thresholds acted on once per clock run through
// the effects (multi-step cases record each decision's effects before the
// next), final rules, the sla_breached flag, a pause condition that fails
// closed, and a hostile history.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/decisions.h"
#include "tests/testing/status_matchers.h"

// GCC pairs the replaced operator delete with the standard new when it
// inlines an allocator, and warns; both are the replacements below.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Counts every allocation (the steady-state test below).
namespace {
std::atomic<int64_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// std::stable_sort's temporary buffer uses the nothrow form: replaced too,
// so that (under ASan as well) every new and delete here is malloc and free.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace tact {
namespace {

using ::tact::testing::Effects;
using ::tact::testing::Ids;
using ::tact::testing::MustCompile;
using ::tact::testing::MustDecide;
using ::tact::testing::Record;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// 2026-03-02T10:00:00Z, a Monday.
constexpr int64_t kT0 = 1772445600;
constexpr int64_t kMin = 60;
constexpr int64_t kHour = 3600;

constexpr absl::string_view kPolicy = R"pb(
  calendars {
    id: "uk"
    time_zone: "Europe/London"
    hours { weekday: 1 start: "09:00" end: "17:00" }
    hours { weekday: 2 start: "09:00" end: "17:00" }
    hours { weekday: 3 start: "09:00" end: "17:00" }
    hours { weekday: 4 start: "09:00" end: "17:00" }
    hours { weekday: 5 start: "09:00" end: "17:00" }
  }
  actions { id: "remind" }
  actions { id: "escalate" }
  actions { id: "notify_lead" }
  actions { id: "apologise" }
  entitlements {
    tier: "standard"
    default: true
    sla { target: "first_reply" within: "business_hours(4)" }
    sla { target: "next_reply" within: "2h" }
  }
  entitlements {
    tier: "gold"
    sla { target: "first_reply" within: "1h" }
    sla { target: "resolution" within: "1d" }
  }
  service_levels {
    targets { id: "first_reply" measure: FIRST_REPLY }
    targets { id: "next_reply" measure: NEXT_REPLY }
    targets { id: "resolution" measure: RESOLUTION }
    pause_when: "e.ref in ['pending', 'on_hold']"
    thresholds {
      percent: 50
      recommend { action: "remind" }
    }
    thresholds {
      percent: 75
      recommend { action: "escalate" }
      reason: "{target} at {percent}% of {within}, due {due}."
    }
    thresholds {
      percent: 100
      targets: "first_reply"
      recommend { action: "notify_lead" }
    }
    priority: 10
  }
)pb";

v1::Context Case(absl::string_view tier) {
  v1::Context context;
  std::string text = absl::StrCat("customer { id: \"c1\" tier: \"", tier,
                                  "\" } case { id: \"k1\" ",
                                  "opened_at { seconds: ", kT0, " } }");
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &context));
  return context;
}

void AddEvent(absl::string_view kind, int64_t at, v1::Context* context,
              absl::string_view ref = "") {
  v1::Event* e = context->add_history();
  e->set_kind(std::string(kind));
  e->set_ref(std::string(ref));
  e->set_case_id("k1");
  e->mutable_at()->set_seconds(at);
}

v1::Decision DecideAt(const Engine& engine, v1::Context context, int64_t at,
                      DecideOptions options = {}) {
  context.mutable_now()->set_seconds(at);
  return MustDecide(engine, context, options);
}

std::vector<std::string> Flags(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const v1::Flag& f : d.flags()) out.push_back(f.code());
  return out;
}

const v1::ServiceLevelStatus& Level(const v1::Decision& d,
                                    absl::string_view target) {
  for (const v1::ServiceLevelStatus& s : d.service_levels()) {
    if (s.target() == target) return s;
  }
  ADD_FAILURE() << "no target " << target;
  return v1::ServiceLevelStatus::default_instance();
}

// --- Load errors ------------------------------------------------------------

// The error diagnostics of `policy`, as text.
std::string Errors(absl::string_view policy) {
  CompileResult result =
      Engine::CompileText(policy, PolicyFormat::kText, "t.textproto");
  EXPECT_EQ(result.engine, nullptr) << policy;
  std::string out;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) {
      absl::StrAppend(&out, d.ToString(), "\n");
    }
  }
  return out;
}

std::string WithLevels(absl::string_view levels, absl::string_view extra = "") {
  return absl::StrCat(R"pb(
                        actions { id: "remind" }
                        entitlements {
                          tier: "standard"
                          sla { target: "first_reply" within: "4h" }
                        }
                      )pb",
                      extra, " service_levels { ", levels, " }");
}

constexpr absl::string_view kTarget =
    "targets { id: \"first_reply\" measure: FIRST_REPLY } ";

TEST(ServiceLevelCompileTest, EachMistakeIsNamed) {
  struct Case {
    std::string policy;
    std::string path;
    std::string message;
  };
  const std::vector<Case> cases = {
      {WithLevels(absl::StrCat(kTarget, kTarget)),
       "service_levels.targets[1].id", "duplicate target id"},
      {WithLevels("targets { id: \"First\" measure: FIRST_REPLY }"),
       "service_levels.targets[0].id", "[a-z][a-z0-9_]*"},
      {WithLevels("targets { id: \"first_reply\" }"),
       "service_levels.targets[0].measure", "needs a measure"},
      {WithLevels(kTarget, R"pb(entitlements {
                                  tier: "gold"
                                  sla { target: "frist_reply" within: "4h" }
                                })pb"),
       "entitlements[1].sla[0].target", "did you mean \"first_reply\""},
      {WithLevels(kTarget, R"pb(entitlements {
                                  tier: "gold"
                                  sla { target: "first_reply" within: "4h" }
                                  sla { target: "first_reply" within: "2h" }
                                })pb"),
       "entitlements[1].sla[1].target", "twice"},
      {WithLevels(kTarget, R"pb(entitlements {
                                  tier: "gold"
                                  sla { target: "first_reply" within: "4 hrs" }
                                })pb"),
       "entitlements[1].sla[0].within", ""},
      {WithLevels(kTarget, R"pb(entitlements {
                                  tier: "gold"
                                  sla { target: "first_reply" within: "0" }
                                })pb"),
       "entitlements[1].sla[0].within", "longer than zero"},
      {WithLevels(kTarget, R"pb(entitlements {
                                  tier: "gold"
                                  sla { target: "first_reply" within: "0.5ns" }
                                })pb"),
       "entitlements[1].sla[0].within", "at least 1 second"},
      {WithLevels(
           absl::StrCat(kTarget, "calendar: \"uk\""),
           R"pb(calendars {
                  id: "uk"
                  time_zone: "UTC"
                  hours { weekday: 1 start: "09:00" end: "17:00" }
                }
                entitlements {
                  tier: "gold"
                  sla { target: "first_reply" within: "business_hours(1e-13)" }
                })pb"),
       "entitlements[1].sla[0].within", "at least 1 second"},
      {WithLevels(kTarget, R"pb(entitlements {
                                  tier: "gold"
                                  sla { target: "first_reply" within: "3661d" }
                                })pb"),
       "entitlements[1].sla[0].within", "at most 3660 days"},
      {absl::StrCat(R"pb(actions {
                           id: "callback"
                           promises { target: "first_reply" within: "0.5ns" }
                         })pb",
                    " service_levels { ", kTarget, " }"),
       "actions[0].promises[0].within", "at least 1 second"},
      {WithLevels(absl::StrCat(kTarget, "thresholds { percent: 0 }")),
       "service_levels.thresholds[0].percent", "1 to 1000"},
      {WithLevels(absl::StrCat(kTarget, "thresholds { percent: 1001 }")),
       "service_levels.thresholds[0].percent", "1 to 1000"},
      {WithLevels(absl::StrCat(kTarget,
                               "thresholds { percent: 75 } "
                               "thresholds { percent: 75 }")),
       "service_levels.thresholds[1].percent",
       "already has a threshold at 75%"},
      {WithLevels(absl::StrCat(
           kTarget, "thresholds { percent: 75 targets: \"frist_reply\" }")),
       "service_levels.thresholds[0].targets[0]",
       "did you mean \"first_reply\""},
      {WithLevels(absl::StrCat(kTarget, "calendar: \"uk\"")),
       "service_levels.calendar", "uk"},
      {WithLevels(
           kTarget,
           R"pb(entitlements {
                  tier: "gold"
                  sla { target: "first_reply" within: "business_hours(4)" }
                })pb"),
       "entitlements[1].sla[0].within", "calendar"},
      {WithLevels(absl::StrCat(kTarget, "pause_when: \"e.ref +\"")),
       "service_levels.pause_when", ""},
      {WithLevels(
           absl::StrCat(kTarget, "pause_when: \"e.ref == 'x') || (true\"")),
       "service_levels.pause_when", "t.textproto"},
      {WithLevels(absl::StrCat(
           kTarget,
           "pause_when: \"sla.first_reply.remaining < duration('1h')\"")),
       "service_levels.pause_when", "pause_when cannot read sla.* facts"},
      {WithLevels(
           absl::StrCat(kTarget, "pause_when: \"e.ref == 'pending' && late\""),
           "definitions { name: \"late\" expr: \"sla.first_reply.breached\" }"),
       "service_levels.pause_when", "pause_when cannot read sla.* facts"},
      {WithLevels(absl::StrCat(kTarget,
                               "thresholds { percent: 50 recommend { action: "
                               "\"remind\" } reason: \"{target} {amount}\" }")),
       "service_levels.thresholds[0].reason", "{amount}"},
      {std::string(R"pb(
         actions { id: "remind" }
         entitlements {
           tier: "standard"
           sla { target: "first_reply" within: "4h" }
         }
       )pb"),
       "entitlements[0].sla", "no service_levels"},
      {std::string(R"pb(
         actions {
           id: "callback"
           promises { target: "first_reply" within: "1h" }
         }
       )pb"),
       "actions[0].promises", "no service_levels"},
      {absl::StrCat(R"pb(actions {
                           id: "callback"
                           promises { target: "frist_reply" within: "1h" }
                         })pb",
                    " service_levels { ", kTarget, " }"),
       "actions[0].promises[0].target", "did you mean \"first_reply\""},
      {absl::StrCat(R"pb(actions {
                           id: "callback"
                           promises { target: "first_reply" within: "soon" }
                         })pb",
                    " service_levels { ", kTarget, " }"),
       "actions[0].promises[0].within", ""},
      {WithLevels(absl::StrCat(kTarget,
                               " agent_reply_kind: \"message\" "
                               "customer_message_kind: \"message\"")),
       "service_levels.agent_reply_kind",
       "the agent reply kind \"message\" is also the customer message kind"},
      {WithLevels(absl::StrCat(kTarget, " status_kind: \"agent_reply\"")),
       "service_levels.status_kind",
       "the status kind \"agent_reply\" is also the agent reply kind"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.policy);
    // Each error is at its field's position in the file (`path` says
    // which field).
    std::string errors = Errors(c.policy);
    EXPECT_THAT(errors, ::testing::ContainsRegex(
                            "^t\\.textproto:[0-9]+:[0-9]+: error: "))
        << c.path;
    EXPECT_THAT(errors, HasSubstr(c.message)) << c.path;
  }
}

TEST(ServiceLevelCompileTest, ValidPolicyCompilesAndFillsPromises) {
  auto engine = MustCompile(absl::StrCat(kPolicy, R"pb(
    actions {
      id: "callback"
      promises { target: "first_reply" within: "1h" }
    }
  )pb"));
  ASSERT_NE(engine, nullptr);
  // The span bounds' edges: 1 second and 3660 days load.
  EXPECT_NE(MustCompile(WithLevels(kTarget, R"pb(
              entitlements {
                tier: "gold"
                sla { target: "first_reply" within: "1s" }
              }
              actions {
                id: "callback"
                promises { target: "first_reply" within: "3660d" }
              })pb")),
            nullptr);
}

TEST(ServiceLevelCompileTest, ThresholdActionsAreUsed) {
  CompileResult result =
      Engine::CompileText(kPolicy, PolicyFormat::kText, "t.textproto");
  ASSERT_NE(result.engine, nullptr);
  std::vector<std::string> unused;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.check == "unused-action") unused.push_back(d.element);
  }
  // Only the action nothing recommends.
  EXPECT_THAT(unused, ElementsAre("action \"apologise\""));
}

// --- Decisions --------------------------------------------------------------

TEST(ServiceLevelDecideTest, EveryDecisionCarriesEveryTarget) {
  auto engine = MustCompile(kPolicy);
  v1::Decision d = DecideAt(*engine, Case("gold"), kT0 + 20 * kMin);
  ASSERT_EQ(d.service_levels_size(), 3);
  const v1::ServiceLevelStatus& first = Level(d, "first_reply");
  EXPECT_EQ(first.measure(), "first_reply");
  EXPECT_EQ(first.tier(), "gold");
  EXPECT_EQ(first.entitlement(), "gold");
  EXPECT_EQ(first.within(), "1h");
  EXPECT_EQ(first.state(), "ok");
  EXPECT_EQ(first.started_at().seconds(), kT0);
  EXPECT_FALSE(first.has_stopped_at());
  EXPECT_EQ(first.due_at().seconds(), kT0 + kHour);
  EXPECT_EQ(first.elapsed().seconds(), 20 * kMin);
  EXPECT_EQ(first.remaining().seconds(), 40 * kMin);
  EXPECT_EQ(first.percent(), 33);
  EXPECT_EQ(first.threshold(), 0);
  // Gold's contract states no next-reply target.
  const v1::ServiceLevelStatus& next = Level(d, "next_reply");
  EXPECT_EQ(next.state(), "none");
  EXPECT_EQ(next.within(), "");
  EXPECT_FALSE(next.has_due_at());
  EXPECT_FALSE(next.has_elapsed());
  EXPECT_EQ(Level(d, "resolution").state(), "ok");
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Effects(d), IsEmpty());
  // An unlisted tier gets the default contract.
  d = DecideAt(*engine, Case("trial"), kT0 + 20 * kMin);
  EXPECT_EQ(Level(d, "first_reply").entitlement(), "standard");
  EXPECT_EQ(Level(d, "first_reply").within(), "business_hours(4)");
  EXPECT_EQ(Level(d, "first_reply").due_at().seconds(), kT0 + 4 * kHour);
  EXPECT_EQ(Level(d, "resolution").state(), "none");
}

TEST(ServiceLevelDecideTest, AThresholdActsOncePerClockRun) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold");
  DecideOptions full;
  full.trace_level = v1::TRACE_FULL;
  // 45 minutes of 1 hour: 75% reached, 50% superseded.
  const int64_t t1 = kT0 + 45 * kMin;
  v1::Decision d = DecideAt(*engine, context, t1, full);
  EXPECT_THAT(Ids(d), ElementsAre("escalate"));
  EXPECT_THAT(Effects(d), ElementsAre("sla_threshold:first_reply:0:75"));
  EXPECT_EQ(d.actions(0).reasons(0).text(),
            "first_reply at 75% of 1 hour, due 2026-03-02T11:00:00Z.");
  EXPECT_EQ(d.actions(0).reasons(0).source_kind(), "service_level");
  EXPECT_EQ(Level(d, "first_reply").state(), "at_risk");
  EXPECT_EQ(Level(d, "first_reply").threshold(), 75);
  const v1::ConstructTrace* entry = nullptr;
  for (const v1::ConstructTrace& c : d.construct_trace()) {
    if (c.kind() == "service_level") entry = &c;
  }
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->id(), "service_levels");
  EXPECT_THAT(entry->service_level().acted(), ElementsAre("first_reply@75"));
  EXPECT_THAT(entry->service_level().superseded(),
              ElementsAre("first_reply@50"));
  EXPECT_EQ(entry->service_level().targets_size(), 3);
  EXPECT_THAT(entry->summary(),
              HasSubstr("first_reply: at_risk, 75% of 1 hour"));
  Record(d, t1, &context);

  // The same decision again at the same now: identical, no new effect.
  v1::Decision again = DecideAt(*engine, context, t1);
  EXPECT_THAT(Ids(again), ElementsAre("escalate"));
  EXPECT_THAT(Effects(again), IsEmpty());

  // Later in the same run: already recorded, nothing proposed.
  d = DecideAt(*engine, context, kT0 + 50 * kMin, full);
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Effects(d), IsEmpty());
  for (const v1::ConstructTrace& c : d.construct_trace()) {
    if (c.kind() == "service_level") {
      EXPECT_THAT(c.service_level().already_recorded(),
                  ElementsAre("first_reply@75"));
    }
  }

  // Exactly at the due time: 100%, at risk (due now), the lead is told.
  d = DecideAt(*engine, context, kT0 + kHour);
  EXPECT_EQ(Level(d, "first_reply").state(), "at_risk");
  EXPECT_THAT(Ids(d), ElementsAre("notify_lead"));
  EXPECT_THAT(Effects(d), ElementsAre("sla_threshold:first_reply:0:100"));
  EXPECT_EQ(d.actions(0).reasons(0).text(),
            "first_reply: 100% of 1 hour used, due 2026-03-02T11:00:00Z.");
  EXPECT_THAT(Flags(d), IsEmpty());
  Record(d, kT0 + kHour, &context);

  // One second later: breached, flagged, nothing acts again.
  d = DecideAt(*engine, context, kT0 + kHour + 1);
  EXPECT_EQ(Level(d, "first_reply").state(), "breached");
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Flags(d), ElementsAre("sla_breached"));
  EXPECT_THAT(d.flags(0).source().text(), HasSubstr("first_reply"));

  // A reply stops the clock: missed, not breached, no flag.
  AddEvent("agent_reply", kT0 + 2 * kHour, &context);
  d = DecideAt(*engine, context, kT0 + 3 * kHour);
  EXPECT_EQ(Level(d, "first_reply").state(), "missed");
  EXPECT_EQ(Level(d, "first_reply").stopped_at().seconds(), kT0 + 2 * kHour);
  EXPECT_THAT(Flags(d), IsEmpty());
}

TEST(ServiceLevelDecideTest, AThresholdIsRecordedWhenAnyOfItsActionsIs) {
  // The 75% threshold recommends escalate and apologise; a rule vetoes
  // escalate, so apologise alone carries the threshold's effect.
  std::string policy(kPolicy);
  const std::string from = "recommend { action: \"escalate\" }";
  policy.replace(policy.find(from), from.size(),
                 absl::StrCat(from, " recommend { action: \"apologise\" }"));
  policy += R"pb(rules { id: "no_escalation" veto: "escalate" })pb";
  auto engine = MustCompile(policy);
  v1::Context context = Case("gold");
  const int64_t t1 = kT0 + 45 * kMin;
  v1::Decision d = DecideAt(*engine, context, t1);
  EXPECT_THAT(Ids(d), ElementsAre("apologise"));
  EXPECT_THAT(Effects(d), ElementsAre("sla_threshold:first_reply:0:75"));
  Record(d, t1, &context);
  d = DecideAt(*engine, context, kT0 + 50 * kMin);
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Effects(d), IsEmpty());

  // Both recommended: the effect is written once.
  engine = MustCompile(absl::StrCat(
      kPolicy.substr(0, kPolicy.find("recommend { action: \"escalate\" }")),
      "recommend { action: \"escalate\" } ",
      "recommend { action: \"apologise\" }",
      kPolicy.substr(kPolicy.find("recommend { action: \"escalate\" }") +
                     from.size())));
  d = DecideAt(*engine, Case("gold"), t1);
  EXPECT_THAT(Ids(d), ::testing::UnorderedElementsAre("escalate", "apologise"));
  EXPECT_THAT(Effects(d), ElementsAre("sla_threshold:first_reply:0:75"));

  // Both vetoed: nothing recommended, nothing recorded.
  engine = MustCompile(absl::StrCat(
      policy, R"pb(rules { id: "no_apology" veto: "apologise" })pb"));
  d = DecideAt(*engine, Case("gold"), t1);
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Effects(d), IsEmpty());
}

TEST(ServiceLevelDecideTest, TheOldestCaseWritesValidJson) {
  // Opened in year 1 (the context's limit), decided in 2026: two thousand
  // years counted, every time in the protobuf range, the JSON valid
  // (service_clock_test covers states beyond the range).
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold");
  context.mutable_case_()->mutable_opened_at()->set_seconds(-62135596800);
  v1::Decision d = DecideAt(*engine, context, kT0);
  const v1::ServiceLevelStatus& first = Level(d, "first_reply");
  EXPECT_EQ(first.state(), "breached");
  EXPECT_EQ(first.started_at().seconds(), -62135596800);
  EXPECT_EQ(first.due_at().seconds(), -62135596800 + kHour);
  const std::string json = DecisionToJson(d, false);
  v1::Decision back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok())
      << json;
  EXPECT_EQ(back.service_levels_size(), 3);
}

TEST(ServiceLevelDecideTest, ASolvedCaseNeitherEscalatesNorBreaches) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold");
  AddEvent("status", kT0 + 10 * kMin, &context, "solved");
  // Hours later: the first reply stood still at 10 of 60 minutes.
  v1::Decision d = DecideAt(*engine, context, kT0 + 5 * kHour);
  EXPECT_THAT(Ids(d), IsEmpty());
  EXPECT_THAT(Flags(d), IsEmpty());
  EXPECT_EQ(Level(d, "first_reply").elapsed().seconds(), 10 * kMin);
  EXPECT_TRUE(Level(d, "first_reply").paused());
  // Reopened: it resumes (10 + 35 minutes: 75%).
  AddEvent("status", kT0 + 5 * kHour, &context, "open");
  d = DecideAt(*engine, context, kT0 + 5 * kHour + 35 * kMin);
  EXPECT_THAT(Ids(d), ElementsAre("escalate"));
}

TEST(ServiceLevelDecideTest, ANewNextReplyRunActsAgain) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("standard");
  AddEvent("agent_reply", kT0 + 10 * kMin, &context);
  AddEvent("customer_message", kT0 + kHour, &context);
  // One hour of two: 50%.
  v1::Decision d = DecideAt(*engine, context, kT0 + 2 * kHour);
  EXPECT_EQ(Level(d, "first_reply").state(), "met");
  EXPECT_EQ(Level(d, "next_reply").state(), "at_risk");
  EXPECT_THAT(Ids(d), ElementsAre("remind"));
  EXPECT_THAT(Effects(d), ElementsAre("sla_threshold:next_reply:0:50"));
  EXPECT_THAT(d.actions(0).reasons(0).text(),
              HasSubstr("next_reply: 50% of 2 hours used, due "
                        "2026-03-02T13:00:00Z."));
  Record(d, kT0 + 2 * kHour, &context);
  d = DecideAt(*engine, context, kT0 + 2 * kHour + 5 * kMin);
  EXPECT_THAT(Ids(d), IsEmpty());
  // The reply ends the run; the next message starts a new one.
  AddEvent("agent_reply", kT0 + 2 * kHour + 30 * kMin, &context);
  AddEvent("customer_message", kT0 + 3 * kHour, &context);
  d = DecideAt(*engine, context, kT0 + 4 * kHour);
  EXPECT_EQ(Level(d, "next_reply").started_at().seconds(), kT0 + 3 * kHour);
  EXPECT_THAT(Ids(d), ElementsAre("remind"));
  EXPECT_THAT(Effects(d), ElementsAre("sla_threshold:next_reply:0:50"));
}

TEST(ServiceLevelDecideTest, AThresholdAppliesToItsTargetsOnly) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold");
  AddEvent("agent_reply", kT0 + 10 * kMin, &context);
  // Resolution (1 day) at 100%: the 100% threshold is first_reply's only,
  // so the highest that applies is 75%.
  v1::Decision d = DecideAt(*engine, context, kT0 + 24 * kHour);
  EXPECT_EQ(Level(d, "first_reply").state(), "met");
  EXPECT_EQ(Level(d, "resolution").percent(), 100);
  EXPECT_EQ(Level(d, "resolution").threshold(), 75);
  EXPECT_THAT(Ids(d), ElementsAre("escalate"));
  EXPECT_THAT(Effects(d), ElementsAre("sla_threshold:resolution:0:75"));
  // Solved after the day: missed, and nothing acts.
  AddEvent("status", kT0 + 25 * kHour, &context, "solved");
  d = DecideAt(*engine, context, kT0 + 26 * kHour);
  EXPECT_EQ(Level(d, "resolution").state(), "missed");
  EXPECT_THAT(Ids(d), IsEmpty());
}

TEST(ServiceLevelDecideTest, ConditionsReadTheFacts) {
  auto engine = MustCompile(absl::StrCat(kPolicy, R"pb(
    rules {
      id: "hurry"
      when: "sla.first_reply.remaining < duration('30m') && "
            "sla.first_reply.state == 'at_risk' && !sla.first_reply.paused"
      recommend { action: "apologise" }
    }
    rules {
      id: "late"
      when: "sla.first_reply.breached && sla.first_reply.percent >= 100 && "
            "sla.first_reply.threshold == 100 && "
            "sla.first_reply.due < now && "
            "sla.first_reply.elapsed > duration('1h')"
      recommend { action: "remind" }
    }
    rules {
      id: "no_clock"
      when: "!has(sla.next_reply.due) && sla.next_reply.state == 'none'"
      recommend { action: "notify_lead" }
    }
  )pb"));
  ASSERT_NE(engine, nullptr);
  v1::Context context = Case("gold");
  // 29 minutes left: at risk (50%), the rule fires; 31 minutes left not.
  v1::Decision d = DecideAt(*engine, context, kT0 + 31 * kMin);
  EXPECT_THAT(Ids(d), ::testing::Contains("apologise"));
  d = DecideAt(*engine, context, kT0 + 29 * kMin);
  EXPECT_THAT(Ids(d), ::testing::Not(::testing::Contains("apologise")));
  EXPECT_THAT(Ids(d), ::testing::Contains("notify_lead"));
  // Past due.
  d = DecideAt(*engine, context, kT0 + kHour + 1);
  EXPECT_THAT(Ids(d), ::testing::Contains("remind"));
  d = DecideAt(*engine, context, kT0 + kHour);
  EXPECT_THAT(Ids(d), ::testing::Not(::testing::Contains("remind")));
}

TEST(ServiceLevelDecideTest, AFinalRuleOfHigherPriorityStopsThresholds) {
  auto stopping = MustCompile(absl::StrCat(kPolicy, R"pb(
    rules {
      id: "handled"
      recommend { action: "apologise" }
      final: true
      priority: 20
    }
  )pb"));
  v1::Decision d = DecideAt(*stopping, Case("gold"), kT0 + 45 * kMin);
  EXPECT_THAT(Ids(d), ElementsAre("apologise"));
  EXPECT_THAT(Effects(d), IsEmpty());
  EXPECT_EQ(Level(d, "first_reply").state(), "at_risk");
  auto lower = MustCompile(absl::StrCat(kPolicy, R"pb(
    rules {
      id: "handled"
      recommend { action: "apologise" }
      final: true
      priority: 5
    }
  )pb"));
  d = DecideAt(*lower, Case("gold"), kT0 + 45 * kMin);
  EXPECT_THAT(Ids(d), ElementsAre("escalate", "apologise"));
}

TEST(ServiceLevelDecideTest, PausesWhileWaitingOnTheCustomer) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold");
  AddEvent("status", kT0 + 10 * kMin, &context, "pending");
  v1::Decision d = DecideAt(*engine, context, kT0 + 3 * kHour);
  EXPECT_TRUE(Level(d, "first_reply").paused());
  EXPECT_EQ(Level(d, "first_reply").elapsed().seconds(), 10 * kMin);
  EXPECT_FALSE(Level(d, "first_reply").has_due_at());
  EXPECT_EQ(Level(d, "first_reply").state(), "ok");
  AddEvent("customer_message", kT0 + 3 * kHour, &context);
  d = DecideAt(*engine, context, kT0 + 3 * kHour + 20 * kMin);
  EXPECT_FALSE(Level(d, "first_reply").paused());
  EXPECT_EQ(Level(d, "first_reply").elapsed().seconds(), 30 * kMin);
  EXPECT_EQ(Level(d, "first_reply").due_at().seconds(),
            kT0 + 3 * kHour + 50 * kMin);
  // Other cases' events do not count.
  v1::Context other = Case("gold");
  AddEvent("status", kT0 + 10 * kMin, &other, "pending");
  other.mutable_history(0)->set_case_id("k2");
  d = DecideAt(*engine, other, kT0 + 30 * kMin);
  EXPECT_FALSE(Level(d, "first_reply").paused());
  EXPECT_EQ(Level(d, "first_reply").elapsed().seconds(), 30 * kMin);
}

TEST(ServiceLevelDecideTest, APauseConditionThatErrsFailsClosed) {
  std::string policy(kPolicy);
  const std::string from = "pause_when: \"e.ref in ['pending', 'on_hold']\"";
  policy.replace(policy.find(from), from.size(),
                 "pause_when: \"e.ref == 'pending' && 10 / e.amount > 0\"");
  auto engine = MustCompile(policy);
  v1::Context context = Case("gold");
  AddEvent("status", kT0 + 10 * kMin, &context, "pending");
  v1::Decision d = DecideAt(*engine, context, kT0 + 30 * kMin);
  // Division by zero: the clock does not pause.
  EXPECT_FALSE(Level(d, "first_reply").paused());
  EXPECT_EQ(Level(d, "first_reply").elapsed().seconds(), 30 * kMin);
  ASSERT_THAT(Flags(d), ElementsAre("restriction_errored"));
  EXPECT_THAT(d.flags(0).source().text(),
              HasSubstr("service_levels.pause_when"));
  // The same condition that evaluates pauses.
  context.mutable_history(0)->set_amount(1);
  d = DecideAt(*engine, context, kT0 + 30 * kMin);
  EXPECT_TRUE(Level(d, "first_reply").paused());
  EXPECT_THAT(Flags(d), IsEmpty());
}

TEST(ServiceLevelDecideTest, AHostileHistoryIsBounded) {
  auto engine = MustCompile(kPolicy);
  v1::Context context = Case("gold");
  for (int i = 0; i < 100000; ++i) {
    AddEvent("status", kT0 + i % 3600, &context,
             i % 2 == 0 ? "pending" : "open");
  }
  context.mutable_now()->set_seconds(kT0 + 2 * kHour);
  DecideOptions options;
  absl::StatusOr<v1::Decision> d = engine->Decide(context, options);
  if (d.ok()) {
    EXPECT_EQ(d->service_levels_size(), 3);
  } else {
    EXPECT_EQ(d.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_THAT(d.status().message(), HasSubstr("max_evaluation_steps"));
  }
  options.max_evaluation_steps = 50000;
  d = engine->Decide(context, options);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(d.status().message(), HasSubstr("max_evaluation_steps"));
}

TEST(ServiceLevelDecideTest, SteadyStateDoesNotAllocate) {
  auto engine = MustCompile(kPolicy);
  std::vector<v1::Context> contexts;
  // Running, acting on a threshold (75%), paused, breached, met, none.
  for (int64_t at : {20 * kMin, 45 * kMin, 2 * kHour}) {
    v1::Context c = Case("gold");
    c.mutable_now()->set_seconds(kT0 + at);
    contexts.push_back(c);
  }
  v1::Context paused = Case("gold");
  AddEvent("status", kT0 + 10 * kMin, &paused, "pending");
  paused.mutable_now()->set_seconds(kT0 + kHour);
  contexts.push_back(paused);
  v1::Context standard = Case("standard");
  AddEvent("agent_reply", kT0 + 10 * kMin, &standard);
  AddEvent("customer_message", kT0 + kHour, &standard);
  standard.mutable_now()->set_seconds(kT0 + 3 * kHour);
  contexts.push_back(standard);
  for (const v1::Context& context : contexts) {
    v1::Decision decision;
    const int64_t start = allocations.load();
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(engine->DecideInto(context, {}, &decision).ok());
    }
    const int64_t before = allocations.load();
    EXPECT_GT(before, start);  // the counter counts: warming up allocates
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(engine->DecideInto(context, {}, &decision).ok());
    }
    EXPECT_EQ(allocations.load() - before, 0) << context.DebugString();
  }
}

TEST(ServiceLevelDecideTest, APolicyWithoutServiceLevelsHasNone) {
  auto engine = MustCompile(R"pb(actions { id: "remind" })pb");
  v1::Decision d = DecideAt(*engine, Case("gold"), kT0);
  EXPECT_EQ(d.service_levels_size(), 0);
}

}  // namespace
}  // namespace tact
