// Shadow evaluation (tact::EngineHandle::SetCandidate and Shadow): the host
// receives the serving decision unchanged, the candidate's differences are
// counted by kind with their money and examples, sampling honours its share
// exactly, candidate errors are counted apart, and memory stays bounded.
// The concurrent tests are in tests/reliability/engine_handle_test.cc.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tact/engine_handle.h"
#include "tact/simulation.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::tact::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kSupport[] = "examples/policies/support.textproto";
// The goodwill credit's amount in support.textproto, and the candidate's:
// the cap lowered from 50.00 to 40.00 USD.
constexpr char kGoodwill[] = "min(5000, max(500, customer.spend_12m / 20))";
constexpr char kLowerGoodwill[] =
    "min(4000, max(500, customer.spend_12m / 20))";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::shared_ptr<const Engine> Compile(const std::string& text) {
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(text, PolicyFormat::kText);
  EXPECT_THAT(engine.status(), IsOk());
  return engine.ok() ? std::shared_ptr<const Engine>(std::move(*engine))
                     : nullptr;
}

std::shared_ptr<const Engine> Support() { return Compile(ReadFile(kSupport)); }

std::shared_ptr<const Engine> LowerGoodwill() {
  const std::string text = ReadFile(kSupport);
  EXPECT_THAT(text, HasSubstr(kGoodwill));
  return Compile(absl::StrReplaceAll(text, {{kGoodwill, kLowerGoodwill}}));
}

// Every example context, by file name.
std::vector<std::pair<std::string, v1::Context>> ExampleContexts() {
  std::vector<std::pair<std::string, v1::Context>> out;
  for (const auto& entry :
       std::filesystem::directory_iterator("examples/contexts")) {
    absl::StatusOr<v1::Context> context =
        ContextFromFile(entry.path().string());
    EXPECT_THAT(context.status(), IsOk()) << entry.path();
    if (context.ok()) out.emplace_back(entry.path().filename(), *context);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  EXPECT_GE(out.size(), 20u);
  return out;
}

std::string Wire(const v1::Decision& decision) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  decision.SerializeToCodedStream(&coded);
  return bytes;
}

// The goodwill_credit amount the serving decision offers or sends for
// approval, or 0.
int64_t GoodwillAmount(const v1::Decision& decision) {
  auto amount = [](const auto& params) -> int64_t {
    for (const auto& p : params) {
      if (p.name() == "amount") return p.value().int_value();
    }
    return 0;
  };
  for (const auto& a : decision.actions()) {
    if (a.action() == "goodwill_credit") return amount(a.params());
  }
  for (const auto& a : decision.needs_approval()) {
    if (a.action() == "goodwill_credit") return amount(a.params());
  }
  return 0;
}

// A small policy recommending `action` to everyone, with authorities.
std::string Tiny(absl::string_view version, absl::string_view action,
                 bool with_bot = true) {
  return absl::StrCat("name: \"tiny\" version: \"", version,
                      "\" currency: \"USD\"\n",
                      with_bot ? "authorities: \"bot\"\n" : "",
                      "authorities: \"agent\"\n"
                      "actions { id: \"",
                      action, "\" }\nrules { id: \"r\" recommend { action: \"",
                      action, "\" } }\n");
}

v1::Context Now() {
  v1::Context context;
  context.mutable_now()->set_seconds(1767607200);
  return context;
}

TEST(ShadowTest, NoCandidateReportsInactive) {
  EngineHandle handle(Support());
  const ShadowReport report = handle.Shadow();
  EXPECT_FALSE(report.active);
  EXPECT_EQ(report.decided, 0);
  EXPECT_EQ(handle.Candidate(), nullptr);
}

TEST(ShadowTest, ServingDecisionsAreByteIdenticalWithACandidate) {
  std::shared_ptr<const Engine> serving = Support();
  EngineHandle plain(serving);
  EngineHandle shadowed(serving);
  ASSERT_THAT(shadowed.SetCandidate(LowerGoodwill()), IsOk());
  EngineHandle erring(serving);  // a candidate failing on every context
  ASSERT_THAT(erring.SetCandidate(Compile(Tiny("v1", "a", false))), IsOk());
  for (const auto& [name, context] : ExampleContexts()) {
    for (bool trace : {false, true}) {
      DecideOptions options;
      options.trace = trace;
      options.authority = "bot";
      TACT_ASSERT_OK_AND_ASSIGN(v1::Decision want,
                                plain.Decide(context, options));
      TACT_ASSERT_OK_AND_ASSIGN(v1::Decision got,
                                shadowed.Decide(context, options));
      TACT_ASSERT_OK_AND_ASSIGN(v1::Decision got_erring,
                                erring.Decide(context, options));
      EXPECT_EQ(Wire(got), Wire(want)) << name;
      EXPECT_EQ(Wire(got_erring), Wire(want)) << name;
      EXPECT_EQ(DecisionToJson(got), DecisionToJson(want)) << name;
    }
  }
  EXPECT_EQ(erring.Shadow().candidate_errors, erring.Shadow().decided);
  EXPECT_GT(erring.Shadow().candidate_errors, 0);
}

TEST(ShadowTest, ALowerGoodwillCapDiffersOnlyWhereTheCapBinds) {
  std::shared_ptr<const Engine> serving = Support();
  EngineHandle handle(serving);
  ShadowOptions options;
  options.max_examples = 100;
  ASSERT_THAT(handle.SetCandidate(LowerGoodwill(), options), IsOk());

  int64_t decided = 0;
  int64_t affected = 0;
  int64_t money = 0;
  std::vector<int64_t> affected_numbers;
  for (const auto& [name, context] : ExampleContexts()) {
    absl::StatusOr<v1::Decision> decision = handle.Decide(context);
    ASSERT_THAT(decision.status(), IsOk()) << name;
    const int64_t amount = GoodwillAmount(*decision);
    if (amount > 4000) {  // the lower cap binds here and only here
      ++affected;
      money += 4000 - amount;
      affected_numbers.push_back(decided);
    }
    ++decided;
  }
  // The outage context with less spend: 60000 / 20 = 30.00 USD, under both
  // caps.
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Context small,
      ContextFromFile("examples/contexts/outage_critical.json"));
  small.mutable_customer()->set_spend_12m(60000);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision small_decision, handle.Decide(small));
  EXPECT_EQ(GoodwillAmount(small_decision), 3000);
  ++decided;
  ASSERT_GE(affected, 1);  // outage_critical.json: 50.00 USD
  ASSERT_LT(affected, decided - 1);

  const ShadowReport report = handle.Shadow();
  EXPECT_TRUE(report.active);
  EXPECT_EQ(report.candidate_hash, handle.Candidate()->policy_hash());
  EXPECT_NE(report.candidate_hash, serving->policy_hash());
  EXPECT_EQ(report.decided, decided);
  EXPECT_EQ(report.sampled, decided);
  EXPECT_EQ(report.differing, affected);
  EXPECT_EQ(report.identical, decided - affected);
  EXPECT_EQ(report.candidate_errors, 0);
  EXPECT_EQ(report.currency, "USD");
  EXPECT_FALSE(report.currency_changed);
  ASSERT_EQ(report.changes_by_kind.size(), static_cast<size_t>(kChangeKinds));
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kParams).money, money);
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kParams).cases, affected);
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kActionsAdded).cases, 0);
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kUndecidable).cases, 0);
  ASSERT_THAT(report.examples, SizeIs(affected));
  for (size_t i = 0; i < report.examples.size(); ++i) {
    const ShadowExample& e = report.examples[i];
    EXPECT_EQ(e.number, affected_numbers[i]);
    EXPECT_FALSE(e.context_omitted);
    EXPECT_FALSE(e.decisions_omitted);
    EXPECT_GT(GoodwillAmount(e.serving), 4000);
    EXPECT_EQ(GoodwillAmount(e.candidate), 4000);
    // The example's context decides to its serving decision.
    TACT_ASSERT_OK_AND_ASSIGN(v1::Decision again, serving->Decide(e.context));
    EXPECT_EQ(Wire(again), Wire(e.serving));
    bool amount_line = false;
    for (const Change& change : e.changes) {
      if (change.kind == ChangeKind::kParams) {
        EXPECT_THAT(change.text, HasSubstr("goodwill_credit amount"));
        EXPECT_THAT(change.text, HasSubstr("-> 4000"));
        EXPECT_EQ(change.money, 4000 - GoodwillAmount(e.serving));
        amount_line = true;
      }
    }
    EXPECT_TRUE(amount_line);
  }
}

TEST(ShadowTest, AShareSamplesExactlyThatShareEvenlySpread) {
  for (const auto& [share, want] :
       std::vector<std::pair<double, int64_t>>{{0.25, 250},
                                               {0.1, 100},
                                               {1.0 / 3, 333},
                                               {0.0, 0},
                                               {1.0, 1000},
                                               {0.0000004, 0},
                                               {0.9999996, 1000}}) {
    EngineHandle handle(Compile(Tiny("v1", "a")));
    ShadowOptions options;
    options.share = share;
    options.max_examples = 2000;
    ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "b")), options), IsOk());
    for (int i = 0; i < 1000; ++i) ASSERT_THAT(handle.Decide(Now()), IsOk());
    const ShadowReport report = handle.Shadow();
    EXPECT_EQ(report.decided, 1000) << share;
    EXPECT_EQ(report.sampled, want) << share;
    EXPECT_EQ(report.differing, want) << share;  // every sample differs
    EXPECT_EQ(report.share_millionths, std::llround(share * 1e6));
    if (share == 0.25) {
      ASSERT_THAT(report.examples, SizeIs(250));
      for (int i = 0; i < 250; ++i) {
        EXPECT_EQ(report.examples[i].number, 4 * i + 3);
      }
    }
  }
}

TEST(ShadowTest, CandidateErrorsAreCountedApartAndNeverReachTheHost) {
  // The candidate has no "bot" authority: deciding as the bot fails there.
  EngineHandle handle(Compile(Tiny("v1", "a")));
  ShadowOptions options;
  options.max_examples = 2;
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "a", false)), options),
              IsOk());
  DecideOptions bot;
  bot.authority = "bot";
  for (int i = 0; i < 5; ++i) {
    TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d, handle.Decide(Now(), bot));
    ASSERT_EQ(d.actions_size(), 1);
    EXPECT_EQ(d.policy_version(), "v1");
  }
  // As the agent both decide, identically (same action; versions differ).
  for (int i = 0; i < 3; ++i) {
    DecideOptions agent;
    agent.authority = "agent";
    ASSERT_THAT(handle.Decide(Now(), agent), IsOk());
  }
  const ShadowReport report = handle.Shadow();
  EXPECT_EQ(report.decided, 8);
  EXPECT_EQ(report.sampled, 8);
  EXPECT_EQ(report.candidate_errors, 5);
  EXPECT_EQ(report.identical, 3);
  EXPECT_EQ(report.differing, 0);
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kUndecidable).cases, 0);
  ASSERT_THAT(report.error_examples, SizeIs(2));  // capped
  EXPECT_EQ(report.error_examples[0].number, 0);
  EXPECT_EQ(report.error_examples[1].number, 1);
  EXPECT_THAT(report.error_examples[0].error, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(report.error_examples[0].error, HasSubstr("bot"));
  EXPECT_EQ(report.error_examples[0].serving.policy_version(), "v1");
  EXPECT_TRUE(report.examples.empty());
}

TEST(ShadowTest, ScoresReasonsAndPolicyIdentityAreNotDifferences) {
  EngineHandle handle(Compile(Tiny("v1", "a")));
  // The same action from another rule, at another priority and weight:
  // reasons, priority and score differ, nothing a host acts on does.
  ASSERT_THAT(handle.SetCandidate(Compile(
                  "name: \"other\" version: \"v9\" currency: \"USD\"\n"
                  "authorities: \"bot\" authorities: \"agent\"\n"
                  "actions { id: \"a\" }\n"
                  "rules { id: \"another\" priority: 7 weight: 2 reason: "
                  "\"Because.\" recommend { action: \"a\" } }\n")),
              IsOk());
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  EXPECT_EQ(handle.Shadow().identical, 1);
  EXPECT_EQ(handle.Shadow().differing, 0);
  // A text a host shows is a difference (kDetails).
  ASSERT_THAT(handle.SetCandidate(
                  Compile("name: \"tiny\" currency: \"USD\"\n"
                          "actions { id: \"a\" template: \"Hello.\" }\n"
                          "rules { id: \"r\" recommend { action: \"a\" } }\n")),
              IsOk());
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  EXPECT_EQ(handle.Shadow().differing, 1);
  EXPECT_EQ(handle.Shadow().changes_by_kind.at(ChangeKind::kDetails).cases, 1);
}

TEST(ShadowTest, AFailedServingDecisionIsNotShadowed) {
  EngineHandle handle(Compile(Tiny("v1", "a")));
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "b"))), IsOk());
  EXPECT_THAT(handle.Decide(v1::Context()),  // no `now`
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("now")));
  const ShadowReport report = handle.Shadow();
  EXPECT_EQ(report.decided, 0);
  EXPECT_EQ(report.sampled, 0);
}

TEST(ShadowTest, ExamplesAreCappedAndAllDifferencesCounted) {
  EngineHandle handle(Compile(Tiny("v1", "a")));
  ShadowOptions options;
  options.max_examples = 3;
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "b")), options), IsOk());
  for (int i = 0; i < 10; ++i) ASSERT_THAT(handle.Decide(Now()), IsOk());
  const ShadowReport report = handle.Shadow();
  EXPECT_EQ(report.differing, 10);
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kActionsAdded).cases, 10);
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kActionsRemoved).cases, 10);
  ASSERT_THAT(report.examples, SizeIs(3));
  EXPECT_EQ(report.examples[2].number, 2);
  ASSERT_THAT(report.examples[0].changes, SizeIs(2));
  EXPECT_EQ(report.examples[0].changes[0].kind, ChangeKind::kActionsAdded);
  EXPECT_THAT(report.examples[0].changes[0].text, HasSubstr("b"));

  options.max_examples = 0;
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "b")), options), IsOk());
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  EXPECT_EQ(handle.Shadow().differing, 1);
  EXPECT_TRUE(handle.Shadow().examples.empty());
}

TEST(ShadowTest, AnExampleLargerThanTheCapIsCountedWithoutItsParts) {
  EngineHandle handle(Compile(Tiny("v1", "a")));
  ShadowOptions options;
  options.max_example_bytes = 1000;
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "b")), options), IsOk());
  v1::Context big = Now();
  big.mutable_case_()->set_message(std::string(5000, 'x'));
  ASSERT_THAT(handle.Decide(big), IsOk());
  ASSERT_THAT(handle.Decide(Now()), IsOk());  // small: kept whole
  const ShadowReport report = handle.Shadow();
  EXPECT_EQ(report.differing, 2);
  ASSERT_THAT(report.examples, SizeIs(2));
  EXPECT_TRUE(report.examples[0].context_omitted);
  EXPECT_GT(report.examples[0].context_bytes, 5000);
  EXPECT_EQ(report.examples[0].context.ByteSizeLong(), 0u);
  EXPECT_FALSE(report.examples[0].changes.empty());  // the lines stay
  EXPECT_FALSE(report.examples[1].context_omitted);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      report.examples[1].context, Now()));
  EXPECT_FALSE(report.examples[1].decisions_omitted);

  // A decision over the cap: both decisions omitted, the context kept.
  options.max_example_bytes = 20;
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "b")), options), IsOk());
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  const ShadowExample e = handle.Shadow().examples.at(0);
  EXPECT_FALSE(e.context_omitted);
  EXPECT_TRUE(e.decisions_omitted);
  EXPECT_EQ(e.serving.ByteSizeLong(), 0u);
  EXPECT_EQ(e.candidate.ByteSizeLong(), 0u);
}

TEST(ShadowTest, ReplacingOrClearingTheCandidateResetsTheReport) {
  EngineHandle handle(Compile(Tiny("v1", "a")));
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "b"))), IsOk());
  for (int i = 0; i < 4; ++i) ASSERT_THAT(handle.Decide(Now()), IsOk());
  const absl::Time first_since = handle.Shadow().since;
  EXPECT_EQ(handle.Shadow().differing, 4);

  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v3", "a"))), IsOk());
  ShadowReport report = handle.Shadow();
  EXPECT_EQ(report.candidate_version, "v3");
  EXPECT_EQ(report.decided, 0);
  EXPECT_EQ(report.differing, 0);
  EXPECT_TRUE(report.examples.empty());
  EXPECT_GE(report.since, first_since);
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  EXPECT_EQ(handle.Shadow().identical, 1);

  handle.ClearCandidate();
  EXPECT_EQ(handle.Candidate(), nullptr);
  EXPECT_FALSE(handle.Shadow().active);
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  EXPECT_EQ(handle.Shadow().decided, 0);
}

TEST(ShadowTest, AServingReloadKeepsTheCandidateAndItsCounts) {
  EngineHandle handle(Compile(Tiny("v1", "a")));
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("c", "b"))), IsOk());
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  const absl::Time since = handle.Shadow().since;
  // The serving policy now recommends what the candidate does.
  ASSERT_THAT(handle.Reload(Tiny("v2", "b"), PolicyFormat::kText), IsOk());
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d, handle.Decide(Now()));
  EXPECT_EQ(d.policy_version(), "v2");
  const ShadowReport report = handle.Shadow();
  EXPECT_EQ(report.candidate_version, "c");
  EXPECT_EQ(report.since, since);
  EXPECT_EQ(report.serving_swaps, 1);
  EXPECT_EQ(report.decided, 2);
  EXPECT_EQ(report.differing, 1);  // against v1
  EXPECT_EQ(report.identical, 1);  // against v2
}

TEST(ShadowTest, DifferentCurrenciesCountNoMoney) {
  const std::string serving_text = ReadFile(kSupport);
  EngineHandle handle(Compile(serving_text));
  std::string candidate_text = absl::StrReplaceAll(
      serving_text, {{kGoodwill, kLowerGoodwill},
                     {"currency: \"USD\"", "currency: \"EUR\""}});
  ASSERT_THAT(handle.SetCandidate(Compile(candidate_text)), IsOk());
  TACT_ASSERT_OK_AND_ASSIGN(
      v1::Context outage,
      ContextFromFile("examples/contexts/outage_critical.json"));
  ASSERT_THAT(handle.Decide(outage), IsOk());
  const ShadowReport report = handle.Shadow();
  EXPECT_EQ(report.differing, 1);
  EXPECT_TRUE(report.currency_changed);
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kParams).cases, 1);
  EXPECT_EQ(report.changes_by_kind.at(ChangeKind::kParams).money, 0);
}

TEST(ShadowTest, InvalidOptionsAreRefusedAndChangeNothing) {
  EngineHandle handle(Compile(Tiny("v1", "a")));
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("c", "b"))), IsOk());
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  for (double share : {-0.1, 1.5, std::numeric_limits<double>::quiet_NaN(),
                       std::numeric_limits<double>::infinity()}) {
    ShadowOptions bad;
    bad.share = share;
    EXPECT_THAT(handle.SetCandidate(Compile(Tiny("d", "a")), bad),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("ShadowOptions::share must be in [0, 1]")));
    EXPECT_THAT(handle.ReloadCandidate(Tiny("d", "a"), PolicyFormat::kText,
                                       "d.textproto", bad),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("ShadowOptions::share")));
  }
  ShadowOptions bad;
  bad.max_examples = -1;
  EXPECT_THAT(handle.SetCandidate(Compile(Tiny("d", "a")), bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ShadowOptions::max_examples")));
  bad = ShadowOptions();
  bad.max_example_bytes = -1;
  EXPECT_THAT(handle.SetCandidate(Compile(Tiny("d", "a")), bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ShadowOptions::max_example_bytes")));
  EXPECT_THAT(handle.SetCandidate(nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("candidate engine is null")));
  const ShadowReport report = handle.Shadow();  // the candidate stays
  EXPECT_EQ(report.candidate_version, "c");
  EXPECT_EQ(report.differing, 1);
}

TEST(ShadowTest, ReloadCandidateCompilesAndAFailureKeepsTheOldOne) {
  EngineHandle handle(Support());
  ShadowOptions options;
  options.share = 0.5;
  ASSERT_THAT(handle.ReloadCandidate(kSupport, options), IsOk());
  EXPECT_EQ(handle.Shadow().share_millionths, 500000);
  EXPECT_EQ(handle.Candidate()->policy_hash(), handle.Get()->policy_hash());

  std::vector<Diagnostic> diagnostics;
  EXPECT_THAT(
      handle.ReloadCandidate("rules { when: \"(\" }", PolicyFormat::kText,
                             "bad.textproto", options, {}, &diagnostics),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("bad.textproto:1:")));
  EXPECT_FALSE(diagnostics.empty());
  EXPECT_THAT(handle.ReloadCandidate("no/such/policy.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no/such/policy.textproto")));
  EXPECT_EQ(handle.Shadow().share_millionths, 500000);
  EXPECT_NE(handle.Candidate(), nullptr);
}

TEST(ShadowTest, TheReportAsJson) {
  EXPECT_EQ(ShadowReportToJson(ShadowReport{}), "{\"active\": false}");
  EngineHandle handle(Compile(Tiny("v1", "a")));
  ASSERT_THAT(handle.SetCandidate(Compile(Tiny("v2", "b"))), IsOk());
  ASSERT_THAT(handle.Decide(Now()), IsOk());
  const std::string json = ShadowReportToJson(handle.Shadow());
  EXPECT_THAT(json, HasSubstr("\"candidate\": {\"name\": \"tiny\", "
                              "\"version\": \"v2\", \"hash\": \"sha256:"));
  EXPECT_THAT(json, HasSubstr("\"decided\": 1, \"sampled\": 1, "
                              "\"identical\": 0, \"differing\": 1, "
                              "\"candidate_errors\": 0"));
  EXPECT_THAT(json, HasSubstr("\"actions_added\": {\"cases\": 1, "
                              "\"money\": 0, \"money_overflow\": false}"));
  EXPECT_THAT(json,
              HasSubstr("\"context\": {\"now\":\"2026-01-05T10:00:00Z\"}"));
  EXPECT_THAT(json, HasSubstr("\"changes\": [{\"kind\": \"actions_added\""));
  EXPECT_THAT(json, HasSubstr("\"error_examples\": []}"));
}

}  // namespace
}  // namespace tact
