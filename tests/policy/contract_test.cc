// Every customer has a contract (issue 13, principle 5): a tier without an
// entitlement gets the default contract, or, when the policy names none, a
// contract of no features; a feature no entitlement includes is a load
// error with a suggestion.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

CompileResult CompileString(absl::string_view text) {
  return Engine::CompileText(text, PolicyFormat::kText, "p.textproto");
}

std::vector<std::string> Diagnostics(const CompileResult& result,
                                     Diagnostic::Severity severity) {
  std::vector<std::string> out;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == severity) out.push_back(d.ToString());
  }
  return out;
}

std::vector<std::string> Errors(const CompileResult& r) {
  return Diagnostics(r, Diagnostic::Severity::kError);
}
std::vector<std::string> Warnings(const CompileResult& r) {
  return Diagnostics(r, Diagnostic::Severity::kWarning);
}

v1::Decision MustDecide(const CompileResult& r, absl::string_view tier) {
  v1::Context context;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      absl::StrCat("now { seconds: 1767607200 } customer { id: \"c\" ",
                   tier.empty() ? "" : absl::StrCat("tier: \"", tier, "\""),
                   " } case { id: \"k\" }"),
      &context));
  EXPECT_NE(r.engine, nullptr);
  if (r.engine == nullptr) return v1::Decision();
  absl::StatusOr<v1::Decision> d = r.engine->Decide(context);
  EXPECT_THAT(d, testing::IsOk());
  return d.ok() ? *d : v1::Decision();
}

// Offered action ids, "*" marking those beyond the contract.
std::vector<std::string> Offered(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& a : d.actions()) {
    out.push_back(absl::StrCat(a.action(), a.beyond_contract() ? "*" : ""));
  }
  return out;
}

std::vector<std::string> Blocked(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& b : d.blocked())
    out.push_back(absl::StrCat(b.action(), ":", b.code()));
  return out;
}

// The text of the entitlement note on `action`, or "".
std::string ContractNote(const v1::Decision& d, absl::string_view action) {
  for (const auto& a : d.actions()) {
    if (a.action() != action) continue;
    for (const auto& r : a.reasons()) {
      if (r.source_kind() == "entitlement") return r.text();
    }
  }
  return "";
}

constexpr absl::string_view kActions = R"pb(
  actions { id: "email_reply" requires: "email" }
  actions { id: "weekend_callback" requires: "phone" requires: "24x7" }
  actions { id: "apologize" }
  rules {
    id: "all"
    recommend { action: "apologize" }
    recommend { action: "email_reply" }
    recommend { action: "weekend_callback" }
  }
)pb";

std::string Policy(absl::string_view basic_extra, absl::string_view more = "") {
  return absl::StrCat(kActions,
                      "entitlements { tier: \"basic\" includes: ", "\"email\" ",
                      basic_extra, " }\n",
                      "entitlements { tier: \"premium\" includes: \"email\" ",
                      "includes: \"phone\" includes: \"24x7\" }\n", more);
}

TEST(ContractTest, AnUnlistedTierGetsTheDefaultContract) {
  CompileResult r = CompileString(Policy("default: true"));
  EXPECT_THAT(Warnings(r), Not(Contains(HasSubstr("entitlement"))));
  v1::Decision trial = MustDecide(r, "trial");
  EXPECT_THAT(Offered(trial),
              ElementsAre("apologize", "email_reply", "weekend_callback*"));
  EXPECT_THAT(ContractNote(trial, "weekend_callback"),
              HasSubstr("Beyond the \"basic\" contract, the default for tier "
                        "\"trial\", which does not include 24x7, phone"));
  EXPECT_EQ(trial.actions(2).reasons(1).source_id(), "basic");
  // A customer without a tier is unlisted too.
  v1::Decision none = MustDecide(r, "");
  EXPECT_THAT(Offered(none),
              ElementsAre("apologize", "email_reply", "weekend_callback*"));
  EXPECT_THAT(ContractNote(none, "weekend_callback"),
              HasSubstr("the default for a customer without a tier"));
}

TEST(ContractTest, AListedTierKeepsItsOwnContract) {
  CompileResult r = CompileString(Policy("default: true"));
  EXPECT_THAT(Offered(MustDecide(r, "premium")),
              ElementsAre("apologize", "email_reply", "weekend_callback"));
  v1::Decision basic = MustDecide(r, "basic");
  EXPECT_THAT(Offered(basic),
              ElementsAre("apologize", "email_reply", "weekend_callback*"));
  EXPECT_THAT(ContractNote(basic, "weekend_callback"),
              HasSubstr("Beyond the \"basic\" contract, which does not "
                        "include 24x7, phone"));
}

TEST(ContractTest, TheDefaultContractIsSuppressedLikeAnyOther) {
  CompileResult r = CompileString(
      Policy("default: true", "beyond_contract { mode: SUPPRESS }"));
  v1::Decision trial = MustDecide(r, "trial");
  EXPECT_THAT(Offered(trial), ElementsAre("apologize", "email_reply"));
  EXPECT_THAT(Blocked(trial), ElementsAre("weekend_callback:beyond_contract"));
}

TEST(ContractTest, WithoutADefaultAnUnlistedTierHasNoFeatures) {
  CompileResult r = CompileString(Policy(""));
  // Loading warns, naming the fix.
  EXPECT_THAT(Warnings(r), Contains(AllOf(HasSubstr("p.textproto:"),
                                          HasSubstr("no entitlement is the "
                                                    "default"),
                                          HasSubstr("default: true"))));
  EXPECT_THAT(Errors(r), IsEmpty());
  v1::Decision trial = MustDecide(r, "trial");
  // Fail closed: whatever requires a feature is beyond the contract; what
  // requires none is not.
  EXPECT_THAT(Offered(trial),
              ElementsAre("apologize", "email_reply*", "weekend_callback*"));
  EXPECT_THAT(ContractNote(trial, "weekend_callback"),
              HasSubstr("tier \"trial\" has no entitlement and the policy "
                        "names no default, so the contract does not include "
                        "24x7, phone"));
  EXPECT_EQ(trial.actions(2).reasons(1).source_id(), "trial");
  // Listed tiers are as before.
  EXPECT_THAT(Offered(MustDecide(r, "basic")),
              ElementsAre("apologize", "email_reply", "weekend_callback*"));
}

TEST(ContractTest, WithoutADefaultSuppressHoldsEverythingThatNeedsAFeature) {
  CompileResult r =
      CompileString(Policy("", "beyond_contract { mode: SUPPRESS }"));
  v1::Decision trial = MustDecide(r, "");
  EXPECT_THAT(Offered(trial), ElementsAre("apologize"));
  EXPECT_THAT(Blocked(trial), ElementsAre("email_reply:beyond_contract",
                                          "weekend_callback:beyond_contract"));
}

TEST(ContractTest, TwoDefaultsAreAnError) {
  CompileResult r = CompileString(absl::StrCat(
      kActions,
      "entitlements { tier: \"basic\" includes: \"email\" default: true }\n"
      "entitlements { tier: \"premium\" includes: \"email\" includes: "
      "\"phone\" includes: \"24x7\" default: true }\n"));
  EXPECT_EQ(r.engine, nullptr);
  EXPECT_THAT(Errors(r),
              ElementsAre(AllOf(HasSubstr("p.textproto:12:"),
                                HasSubstr("entitlement \"premium\": \"basic\" "
                                          "is already the default"))));
}

TEST(ContractTest, AFeatureNoEntitlementIncludesIsAnErrorWithASuggestion) {
  CompileResult r = CompileString(
      R"pb(entitlements { tier: "basic" includes: "email" default: true }
           entitlements { tier: "office" includes: "fax" }
           actions { id: "fax_copy" requires: "fxa" })pb");
  EXPECT_EQ(r.engine, nullptr);
  EXPECT_THAT(Errors(r),
              ElementsAre(AllOf(
                  HasSubstr("p.textproto:3:"),
                  HasSubstr("action \"fax_copy\": no entitlement includes "
                            "\"fxa\", so the action is beyond every contract"),
                  HasSubstr("did you mean \"fax\"?"))));
}

TEST(ContractTest, AFeatureOnlyAnotherTierIncludesIsFine) {
  // "fax" is in no default and not in "basic", but "office" has it.
  CompileResult r = CompileString(
      R"pb(entitlements { tier: "basic" includes: "email" default: true }
           entitlements { tier: "office" includes: "fax" }
           actions { id: "fax_copy" requires: "fax" })pb");
  EXPECT_THAT(Errors(r), IsEmpty());
  EXPECT_NE(r.engine, nullptr);
}

TEST(ContractTest, AFarOffFeatureIsAnErrorWithoutASuggestion) {
  CompileResult r = CompileString(
      R"pb(entitlements { tier: "basic" includes: "email" default: true }
           actions { id: "visit" requires: "onsite_engineer" })pb");
  EXPECT_THAT(Errors(r), ElementsAre(AllOf(HasSubstr("no entitlement includes "
                                                     "\"onsite_engineer\""),
                                           Not(HasSubstr("did you mean")))));
}

TEST(ContractTest, WithoutEntitlementsRequirementsOnlyWarn) {
  // No contracts at all: nothing limits the action, and loading says so.
  CompileResult r = CompileString(R"pb(actions { id: "call" requires: "phone" }
                                       rules {
                                         id: "r"
                                         recommend { action: "call" }
                                       })pb");
  EXPECT_THAT(Errors(r), IsEmpty());
  EXPECT_THAT(Warnings(r),
              Contains(AllOf(HasSubstr("p.textproto:1:"),
                             HasSubstr("action \"call\": the action requires "
                                       "\"phone\" but the policy has no "
                                       "entitlements"))));
  EXPECT_THAT(Offered(MustDecide(r, "trial")), ElementsAre("call"));
}

TEST(ContractTest, TheExamplePoliciesNameADefault) {
  for (const char* file : {"examples/policies/service_playbook.textproto",
                           "examples/policies/support.textproto"}) {
    CompileResult r = Engine::Compile(file);
    EXPECT_NE(r.engine, nullptr) << file;
    EXPECT_THAT(Errors(r), IsEmpty()) << file;
    EXPECT_THAT(Warnings(r), Not(Contains(HasSubstr("no entitlement is the "
                                                    "default"))))
        << file;
  }
}

}  // namespace
}  // namespace tact
