// tact::EngineHandle: reloads swap whole engines, failed reloads keep the
// old one, and decisions racing with reloads each come from one version.
// The *Concurrent* tests also run under ThreadSanitizer (scripts/test.sh).
#include "tact/engine_handle.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::tact::testing::StatusIs;
using ::testing::HasSubstr;

// Two versions of one policy that recommend disjoint action sets, so a
// decision mixing them is detectable from its actions alone.
std::string PolicyVersion(absl::string_view version, absl::string_view a,
                          absl::string_view b) {
  return absl::StrCat(
      R"pb(name: "reload" currency: "USD")pb", " version: \"", version, "\"\n",
      "actions { id: \"", a, "\" }\n", "actions { id: \"", b, "\" }\n",
      "rules { id: \"r1\" when: \"customer.tier == 'gold'\" "
      "recommend { action: \"",
      a, "\" } }\n", "rules { id: \"r2\" recommend { action: \"", b,
      "\" } }\n");
}

const std::string& V1() {
  static const std::string* text =
      new std::string(PolicyVersion("v1", "apologize", "explain"));
  return *text;
}
const std::string& V2() {
  static const std::string* text =
      new std::string(PolicyVersion("v2", "callback", "refund"));
  return *text;
}

// A text-format policy whose templates are filled from `params` (a map
// field, so every reload parses text-format map entries) computed by string
// building from a definition. Each version renders its own texts and
// amounts, so a decision mixing versions is detectable.
std::string ParamsPolicyVersion(absl::string_view version,
                                absl::string_view amount) {
  return absl::StrCat(
      "name: \"reload-params\" currency: \"USD\" version: \"", version,
      "\"\n"
      "actions { id: \"greet\" title: \"Greet\" template: \"<",
      version,
      "> Hello {who}, {n} orders.\" }\n"
      "actions { id: \"credit\" title: \"Credit\" template: \"<",
      version,
      "> Credit {amount:money}.\" amount_param: \"amount\" tags: "
      "\"monetary\" }\n"
      "definitions { name: \"who\" expr: \"customer.id + '/' + "
      "customer.tier.lowerAscii()\" }\n"
      "rules { id: \"greet\" recommend { action: \"greet\"\n"
      "  params { key: \"who\" value: \"'",
      version,
      ":' + who\" }\n"
      "  params { key: \"n\" value: \"string(customer.orders_12m)\" } }\n"
      "  reason: \"",
      version,
      " greets {who}.\" }\n"
      "rules { id: \"credit\" when: \"customer.tier == 'gold'\" priority: 10\n"
      "  recommend { action: \"credit\" params { key: \"amount\" value: "
      "\"",
      amount, "\" } }\n  reason: \"{amount:money} for ", version, ".\" }\n");
}

v1::Context GoldContext() {
  v1::Context context;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(now { seconds: 1767607200 }
           customer { id: "c1" tier: "gold" })pb",
      &context));
  return context;
}

TEST(EngineHandleTest, EmptyHandleRefusesToDecide) {
  EngineHandle handle;
  EXPECT_EQ(handle.Get(), nullptr);
  EXPECT_THAT(handle.Decide(GoldContext()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("no policy loaded")));
}

TEST(EngineHandleTest, ReloadSwapsInTheNewVersion) {
  EngineHandle handle;
  ASSERT_THAT(handle.Reload(V1(), PolicyFormat::kText, "v1.textproto"), IsOk());
  std::shared_ptr<const Engine> first = handle.Get();
  ASSERT_THAT(handle.Reload(V2(), PolicyFormat::kText, "v2.textproto"), IsOk());
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d, handle.Decide(GoldContext()));
  EXPECT_EQ(d.policy_version(), "v2");
  ASSERT_EQ(d.actions_size(), 2);
  EXPECT_EQ(d.actions(0).action(), "callback");
  // A copy taken before the reload still decides with the old version.
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision old, first->Decide(GoldContext()));
  EXPECT_EQ(old.policy_version(), "v1");
}

TEST(EngineHandleTest, FailedReloadKeepsTheOldEngineAndReportsWhy) {
  EngineHandle handle;
  ASSERT_THAT(handle.Reload(V1(), PolicyFormat::kText, "v1.textproto"), IsOk());
  std::shared_ptr<const Engine> before = handle.Get();
  std::vector<Diagnostic> diagnostics;
  absl::Status status = handle.Reload(
      "name: \"x\" version: \"v3\"\nrules { id: \"r\" when: \"customer.teir == "
      "'a'\" }\n",
      PolicyFormat::kText, "v3.textproto", {}, &diagnostics);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("v3.textproto:2:")));
  EXPECT_THAT(status.message(), HasSubstr("customer.tier"));
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(handle.Get(), before);
  TACT_ASSERT_OK_AND_ASSIGN(v1::Decision d, handle.Decide(GoldContext()));
  EXPECT_EQ(d.policy_version(), "v1");
}

TEST(EngineHandleTest, FailedReloadOfMissingFileKeepsTheOldEngine) {
  EngineHandle handle;
  ASSERT_THAT(handle.Reload(V1(), PolicyFormat::kText), IsOk());
  std::shared_ptr<const Engine> before = handle.Get();
  EXPECT_THAT(handle.Reload("/nonexistent/policy.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/nonexistent/policy.textproto")));
  EXPECT_EQ(handle.Get(), before);
}

TEST(EngineHandleTest, ReloadFromFileLoadsTheExamplePolicy) {
  EngineHandle handle;
  ASSERT_THAT(handle.Reload("examples/policies/support.textproto"), IsOk());
  ASSERT_NE(handle.Get(), nullptr);
  EXPECT_FALSE(handle.Get()->policy().name().empty());
}

// Many deciders race one reloader flipping between v1 and v2 (and failing
// every third time). Every decision must be whole from one version: its
// policy_version and its actions agree.
TEST(EngineHandleConcurrentTest,
     DecisionsRacingReloadsComeWholeFromOneVersion) {
  EngineHandle handle;
  ASSERT_THAT(handle.Reload(V1(), PolicyFormat::kText, "v1.textproto"), IsOk());
  const v1::Context context = GoldContext();
  constexpr int kDeciders = 4;
  constexpr int kReloads = 60;
  std::atomic<bool> done{false};
  std::atomic<int> decisions{0};
  std::atomic<int> mixed{0};
  std::atomic<int> failures{0};
  std::vector<int> seen_v1(kDeciders, 0), seen_v2(kDeciders, 0);

  std::vector<std::thread> deciders;
  for (int t = 0; t < kDeciders; ++t) {
    deciders.emplace_back([&, t] {
      // At least a few decisions each, then until the reloader finishes.
      for (int n = 0; n < 20 || !done.load(std::memory_order_acquire); ++n) {
        absl::StatusOr<v1::Decision> d = handle.Decide(context);
        if (!d.ok() || d->actions_size() != 2) {
          failures.fetch_add(1);
          continue;
        }
        decisions.fetch_add(1);
        const std::string& version = d->policy_version();
        bool whole =
            (version == "v1" && d->actions(0).action() == "apologize" &&
             d->actions(1).action() == "explain") ||
            (version == "v2" && d->actions(0).action() == "callback" &&
             d->actions(1).action() == "refund");
        if (!whole) mixed.fetch_add(1);
        (version == "v1" ? seen_v1 : seen_v2)[t]++;
      }
    });
  }
  std::thread reloader([&] {
    for (int i = 0; i < kReloads; ++i) {
      if (i % 3 == 2) {
        EXPECT_FALSE(
            handle.Reload("rules { when: \"(\" }", PolicyFormat::kText).ok());
      } else {
        EXPECT_THAT(
            handle.Reload(i % 2 == 0 ? V2() : V1(), PolicyFormat::kText),
            IsOk());
      }
    }
    done.store(true, std::memory_order_release);
  });
  reloader.join();
  for (std::thread& t : deciders) t.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mixed.load(), 0);
  EXPECT_GE(decisions.load(), kDeciders * 20);
}

// As above, for a text-format policy with `params`: the reloader parses
// text-format map entries while the deciders expand templates from params
// built by string concatenation. Each concurrent decision must equal, field
// for field, the one its version gives alone. ThreadSanitizer runs this
// too (scripts/test.sh).
TEST(EngineHandleConcurrentTest,
     TemplateParamsRacingReloadsComeWholeFromOneVersion) {
  const std::string v1_text = ParamsPolicyVersion("p1", "1234");
  const std::string v2_text = ParamsPolicyVersion("p2", "5678");
  const v1::Context context = GoldContext();
  // The expected decisions, each from its version alone, before any thread.
  TACT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<const Engine> e1,
                            Engine::FromText(v1_text, PolicyFormat::kText));
  TACT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<const Engine> e2,
                            Engine::FromText(v2_text, PolicyFormat::kText));
  TACT_ASSERT_OK_AND_ASSIGN(const v1::Decision want1, e1->Decide(context));
  TACT_ASSERT_OK_AND_ASSIGN(const v1::Decision want2, e2->Decide(context));
  ASSERT_EQ(want1.actions_size(), 2);
  EXPECT_EQ(want1.actions(0).text(), "<p1> Credit 12.34 USD.");
  EXPECT_EQ(want1.actions(1).text(), "<p1> Hello p1:c1/gold, 0 orders.");
  ASSERT_EQ(want2.actions_size(), 2);
  EXPECT_EQ(want2.actions(0).text(), "<p2> Credit 56.78 USD.");

  EngineHandle handle;
  ASSERT_THAT(handle.Reload(v1_text, PolicyFormat::kText, "p1.textproto"),
              IsOk());
  constexpr int kDeciders = 4;
  constexpr int kReloads = 60;
  std::atomic<bool> done{false};
  std::atomic<int> decisions{0};
  std::atomic<int> mixed{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> deciders;
  for (int t = 0; t < kDeciders; ++t) {
    deciders.emplace_back([&] {
      for (int n = 0; n < 20 || !done.load(std::memory_order_acquire); ++n) {
        DecideOptions options;
        options.trace = n % 2 == 1;
        absl::StatusOr<v1::Decision> d = handle.Decide(context, options);
        if (!d.ok()) {
          failures.fetch_add(1);
          continue;
        }
        decisions.fetch_add(1);
        d->clear_trace();
        d->clear_construct_trace();
        d->clear_trace_level();
        const v1::Decision& want = d->policy_version() == "p1" ? want1 : want2;
        if (!google::protobuf::util::MessageDifferencer::Equals(*d, want)) {
          mixed.fetch_add(1);
        }
      }
    });
  }
  std::thread reloader([&] {
    for (int i = 0; i < kReloads; ++i) {
      if (i % 3 == 2) {
        // Fails in a param expression: the serving engine stays.
        EXPECT_FALSE(handle
                         .Reload("actions { id: \"a\" template: \"{x}\" }\n"
                                 "rules { recommend { action: \"a\" params { "
                                 "key: \"x\" value: \"'a' +\" } } }",
                                 PolicyFormat::kText)
                         .ok());
      } else {
        EXPECT_THAT(
            handle.Reload(i % 2 == 0 ? v2_text : v1_text, PolicyFormat::kText),
            IsOk());
      }
    }
    done.store(true, std::memory_order_release);
  });
  reloader.join();
  for (std::thread& t : deciders) t.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mixed.load(), 0);
  EXPECT_GE(decisions.load(), kDeciders * 20);
}

TEST(EngineHandleConcurrentTest, GetCopiesOutliveConcurrentSwaps) {
  EngineHandle handle;
  ASSERT_THAT(handle.Reload(V1(), PolicyFormat::kText), IsOk());
  TACT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<const Engine> v2_unique,
                            Engine::FromText(V2(), PolicyFormat::kText));
  std::shared_ptr<const Engine> v2(std::move(v2_unique));
  std::shared_ptr<const Engine> v1_engine = handle.Get();
  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    for (int i = 0; i < 500; ++i) handle.Swap(i % 2 ? v1_engine : v2);
    stop.store(true);
  });
  int checked = 0;
  while (!stop.load() || checked < 100) {
    std::shared_ptr<const Engine> e = handle.Get();
    ASSERT_NE(e, nullptr);
    EXPECT_TRUE(e->policy().version() == "v1" || e->policy().version() == "v2");
    ++checked;
  }
  swapper.join();
}

// Shadow evaluation under load: deciders race a thread that sets, replaces
// and clears the candidate and one that reloads the serving policy. Every
// decision the host receives equals its serving version's alone (the
// candidate never leaks into it), and a report's counts stay consistent.
// ThreadSanitizer runs this too (scripts/test.sh).
TEST(EngineHandleConcurrentTest,
     ShadowCandidatesRacingReloadsNeverChangeServingDecisions) {
  const v1::Context context = GoldContext();
  TACT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<const Engine> e1,
                            Engine::FromText(V1(), PolicyFormat::kText));
  TACT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<const Engine> e2,
                            Engine::FromText(V2(), PolicyFormat::kText));
  TACT_ASSERT_OK_AND_ASSIGN(const v1::Decision want1, e1->Decide(context));
  TACT_ASSERT_OK_AND_ASSIGN(const v1::Decision want2, e2->Decide(context));
  std::shared_ptr<const Engine> candidate(std::move(e2));

  EngineHandle handle;
  ASSERT_THAT(handle.Reload(V1(), PolicyFormat::kText), IsOk());
  constexpr int kDeciders = 4;
  std::atomic<bool> done{false};
  std::atomic<int> decisions{0};
  std::atomic<int> leaked{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> deciders;
  for (int t = 0; t < kDeciders; ++t) {
    deciders.emplace_back([&] {
      for (int n = 0; n < 50 || !done.load(std::memory_order_acquire); ++n) {
        absl::StatusOr<v1::Decision> d = handle.Decide(context);
        if (!d.ok()) {
          failures.fetch_add(1);
          continue;
        }
        decisions.fetch_add(1);
        const v1::Decision& want = d->policy_version() == "v1" ? want1 : want2;
        if (!google::protobuf::util::MessageDifferencer::Equals(*d, want)) {
          leaked.fetch_add(1);
        }
      }
    });
  }
  std::thread reporter([&] {
    while (!done.load(std::memory_order_acquire)) {
      ShadowReport r = handle.Shadow();
      if (r.active && r.sampled > r.decided) failures.fetch_add(1);
    }
  });
  std::thread candidates([&] {
    for (int i = 0; i < 60; ++i) {
      ShadowOptions options;
      options.share = (i % 4) / 3.0;  // 0, 1/3, 2/3, 1
      options.max_examples = 2;
      if (i % 5 == 4) {
        handle.ClearCandidate();
      } else if (i % 5 == 3) {
        EXPECT_THAT(handle.ReloadCandidate(V1(), PolicyFormat::kText,
                                           "v1.textproto", options),
                    IsOk());
      } else {
        EXPECT_THAT(handle.SetCandidate(candidate, options), IsOk());
      }
    }
  });
  std::thread reloader([&] {
    for (int i = 0; i < 30; ++i) {
      EXPECT_THAT(handle.Reload(i % 2 == 0 ? V2() : V1(), PolicyFormat::kText),
                  IsOk());
    }
  });
  candidates.join();
  reloader.join();
  done.store(true, std::memory_order_release);
  for (std::thread& t : deciders) t.join();
  reporter.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(leaked.load(), 0);
  EXPECT_GE(decisions.load(), kDeciders * 50);
  // Quiet now: every sampled decision has been compared.
  ShadowOptions all;
  ASSERT_THAT(handle.SetCandidate(candidate, all), IsOk());
  std::vector<std::thread> again;
  for (int t = 0; t < kDeciders; ++t) {
    again.emplace_back([&] {
      for (int n = 0; n < 25; ++n) ASSERT_THAT(handle.Decide(context), IsOk());
    });
  }
  for (std::thread& t : again) t.join();
  const ShadowReport report = handle.Shadow();
  EXPECT_EQ(report.decided, kDeciders * 25);
  EXPECT_EQ(report.sampled, report.decided);
  EXPECT_EQ(report.identical + report.differing + report.candidate_errors,
            report.sampled);
  EXPECT_LE(report.examples.size(), 20u);
}

}  // namespace
}  // namespace tact
