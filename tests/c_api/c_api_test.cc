// The C API's contract from C++: status codes, error messages and their
// ownership, NULL arguments, bytes round trips and concurrent use. The C
// compile-and-run check is c_api_test.c.
#include "tact/c_api.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tact/decision_log.h"
#include "tact/engine.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"
#include "tact/version.h"

namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kPolicyPath[] = "examples/policies/support.textproto";
constexpr char kContextPath[] = "examples/contexts/late_delivery_vip.json";

std::string ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// Owns an error message returned through errptr.
struct Error {
  char* message = nullptr;
  ~Error() { tact_free(message); }
  std::string str() const { return message == nullptr ? "" : message; }
};

class CApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Error error;
    ASSERT_EQ(
        tact_engine_create_from_file(kPolicyPath, &engine_, &error.message),
        TACT_OK)
        << error.str();
    context_json_ = ReadFile(kContextPath);
    ASSERT_FALSE(context_json_.empty());
  }
  void TearDown() override { tact_engine_destroy(engine_); }

  std::string DecideToJson(const tact_decide_options_t* options) {
    Error error;
    tact_decision_t* decision = nullptr;
    EXPECT_EQ(tact_engine_decide_json(engine_, options, context_json_.data(),
                                      context_json_.size(), &decision,
                                      &error.message),
              TACT_OK)
        << error.str();
    char* json = nullptr;
    size_t len = 0;
    EXPECT_EQ(tact_decision_to_json(decision, 1, &json, &len, &error.message),
              TACT_OK);
    std::string out(json, len);
    tact_free(json);
    tact_decision_destroy(decision);
    return out;
  }

  tact_engine_t* engine_ = nullptr;
  std::string context_json_;
};

TEST(CApi, VersionIsTheProjectVersion) {
  EXPECT_STREQ(tact_version(), TACT_VERSION);  // tact/version.h
}

TEST(CApi, StatusCodesMatchAbsl) {
  EXPECT_EQ(TACT_INVALID_ARGUMENT,
            static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(TACT_NOT_FOUND, static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_EQ(TACT_RESOURCE_EXHAUSTED,
            static_cast<int>(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(TACT_INTERNAL, static_cast<int>(absl::StatusCode::kInternal));
  EXPECT_STREQ(tact_status_name(TACT_NOT_FOUND), "NOT_FOUND");
}

TEST(CApi, PolicyTypeErrorIsInvalidArgumentWithLocation) {
  const std::string policy =
      "name: \"p\"\nrules { id: \"vip\" when: \"customer.teir == 'gold'\" }\n";
  Error error;
  tact_engine_t* engine = reinterpret_cast<tact_engine_t*>(&error);  // junk
  EXPECT_EQ(tact_engine_create(policy.data(), policy.size(), TACT_POLICY_TEXT,
                               "p.textproto", &engine, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(engine, nullptr);
  EXPECT_THAT(error.str(), HasSubstr("p.textproto:2:"));
  EXPECT_THAT(error.str(), HasSubstr("did you mean customer.tier?"));
}

TEST(CApi, UnknownPolicyFormatIsInvalidArgument) {
  Error error;
  tact_engine_t* engine = nullptr;
  EXPECT_EQ(tact_engine_create("", 0, 42, nullptr, &engine, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("unknown policy format 42"));
}

TEST(CApi, JsonPolicyLoads) {
  const std::string policy =
      R"({"name": "json", "version": "1", "currency": "USD",
          "actions": [{"id": "apologize", "title": "Apologize"}],
          "rules": [{"id": "r", "when": "true",
                     "recommend": [{"action": "apologize"}]}]})";
  Error error;
  tact_engine_t* engine = nullptr;
  ASSERT_EQ(tact_engine_create(policy.data(), policy.size(), TACT_POLICY_JSON,
                               nullptr, &engine, &error.message),
            TACT_OK)
      << error.str();
  EXPECT_STREQ(tact_engine_policy_name(engine), "json");
  EXPECT_STREQ(tact_engine_policy_version(engine), "1");
  tact_engine_destroy(engine);
}

TEST(CApi, MissingFileIsNotFound) {
  Error error;
  tact_engine_t* engine = nullptr;
  EXPECT_EQ(tact_engine_create_from_file("no/such/policy.textproto", &engine,
                                         &error.message),
            TACT_NOT_FOUND);
  EXPECT_EQ(engine, nullptr);
  EXPECT_THAT(error.str(), HasSubstr("no/such/policy.textproto"));
}

TEST(CApi, NullRequiredArgumentsAreInvalidArgumentNotCrashes) {
  Error error;
  EXPECT_EQ(tact_engine_create_from_file(nullptr, nullptr, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("`engine` must not be NULL"));
  tact_decision_t* decision = nullptr;
  EXPECT_EQ(tact_engine_decide_json(nullptr, nullptr, "{}", 2, &decision,
                                    &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("`engine` must not be NULL"));
  char* json = nullptr;
  size_t len = 0;
  EXPECT_EQ(tact_decision_to_json(nullptr, 1, &json, &len, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(json, nullptr);
}

TEST(CApi, ErrptrMayBeNull) {
  tact_engine_t* engine = nullptr;
  EXPECT_EQ(tact_engine_create_from_file("no/such.textproto", &engine, nullptr),
            TACT_NOT_FOUND);
}

TEST_F(CApiTest, ASecondErrorReplacesTheFirstMessage) {
  Error error;
  tact_decision_t* decision = nullptr;
  EXPECT_EQ(tact_engine_decide_json(engine_, nullptr, "{", 1, &decision,
                                    &error.message),
            TACT_INVALID_ARGUMENT);
  const std::string first = error.str();
  EXPECT_EQ(tact_engine_decide_json(engine_, nullptr, "{\"now\": 5}", 10,
                                    &decision, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_NE(error.str(), first);  // the old message was freed (ASan checks)
  EXPECT_EQ(decision, nullptr);
}

TEST_F(CApiTest, UnknownFieldInContextNamesIt) {
  Error error;
  tact_decision_t* decision = nullptr;
  const std::string context =
      R"({"now": "2026-01-05T10:00:00Z", "customer": {"teir": "gold"}})";
  EXPECT_EQ(tact_engine_decide_json(engine_, nullptr, context.data(),
                                    context.size(), &decision, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("teir"));
  EXPECT_THAT(error.str(), StartsWith("tact_engine_decide_json: "));
}

TEST_F(CApiTest, UnknownAuthorityIsInvalidArgument) {
  tact_decide_options_t* options = tact_decide_options_create();
  tact_decide_options_set_authority(options, "janitor", 7);
  Error error;
  tact_decision_t* decision = nullptr;
  EXPECT_EQ(
      tact_engine_decide_json(engine_, options, context_json_.data(),
                              context_json_.size(), &decision, &error.message),
      TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("unknown authority \"janitor\""));
  tact_decide_options_destroy(options);
}

TEST_F(CApiTest, JsonOutputIsTheCppDecisionToJson) {
  std::unique_ptr<const tact::Engine> engine =
      *tact::Engine::FromFile(kPolicyPath);
  absl::StatusOr<tact::v1::Context> context =
      tact::ContextFromJson(context_json_);
  ASSERT_TRUE(context.ok());
  absl::StatusOr<tact::v1::Decision> expected = engine->Decide(*context);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(DecideToJson(nullptr), tact::DecisionToJson(*expected));
}

TEST_F(CApiTest, BotAuthorityMovesActionsToNeedsApproval) {
  tact_decide_options_t* options = tact_decide_options_create();
  tact_decide_options_set_authority(options, "bot", 3);
  const std::string as_bot = DecideToJson(options);
  tact_decide_options_destroy(options);
  EXPECT_THAT(as_bot, HasSubstr("\"needsApproval\""));
  EXPECT_THAT(DecideToJson(nullptr),
              ::testing::Not(HasSubstr("\"needsApproval\"")));
}

TEST_F(CApiTest, NeedsApprovalAndFlagsAreReadable) {
  tact_decide_options_t* options = tact_decide_options_create();
  tact_decide_options_set_authority(options, "bot", 3);
  Error error;
  tact_decision_t* decision = nullptr;
  ASSERT_EQ(
      tact_engine_decide_json(engine_, options, context_json_.data(),
                              context_json_.size(), &decision, &error.message),
      TACT_OK)
      << error.str();
  tact_decide_options_destroy(options);
  ASSERT_EQ(tact_decision_needs_approval_count(decision), 1u);
  EXPECT_STREQ(tact_decision_needs_approval_id(decision, 0), "callback");
  EXPECT_STREQ(tact_decision_needs_approval_authority(decision, 0), "agent");
  EXPECT_EQ(tact_decision_needs_approval_id(decision, 1), nullptr);
  EXPECT_EQ(tact_decision_needs_approval_authority(decision, 1), nullptr);
  EXPECT_EQ(tact_decision_flag_count(decision), 0u);
  EXPECT_EQ(tact_decision_flag_code(decision, 0), nullptr);
  tact_decision_destroy(decision);
  EXPECT_EQ(tact_decision_needs_approval_count(nullptr), 0u);
  EXPECT_EQ(tact_decision_flag_count(nullptr), 0u);
}

TEST(CApi, FlagsAreReadable) {
  Error error;
  tact_engine_t* engine = nullptr;
  ASSERT_EQ(tact_engine_create_from_file(
                "examples/policies/service_playbook.textproto", &engine,
                &error.message),
            TACT_OK)
      << error.str();
  const std::string context =
      ReadFile("examples/contexts/playbook_service_failure_late_fix.json");
  tact_decision_t* decision = nullptr;
  ASSERT_EQ(tact_engine_decide_json(engine, nullptr, context.data(),
                                    context.size(), &decision, &error.message),
            TACT_OK)
      << error.str();
  ASSERT_GE(tact_decision_flag_count(decision), 1u);
  EXPECT_STREQ(tact_decision_flag_code(decision, 0), "recovery_window_missed");
  tact_decision_destroy(decision);
  tact_engine_destroy(engine);
}

TEST_F(CApiTest, WhyNotJsonIsTheCppAnswer) {
  tact_decide_options_t* options = tact_decide_options_create();
  tact_decide_options_set_authority(options, "bot", 3);
  Error error;
  char* json = nullptr;
  size_t len = 0;
  ASSERT_EQ(tact_engine_why_not_json(engine_, options, context_json_.data(),
                                     context_json_.size(), "callback", &json,
                                     &len, &error.message),
            TACT_OK)
      << error.str();
  tact_decide_options_destroy(options);
  const std::string out(json, len);
  EXPECT_EQ(json[len], '\0');
  tact_free(json);
  std::unique_ptr<const tact::Engine> engine =
      *tact::Engine::FromFile(kPolicyPath);
  tact::DecideOptions bot;
  bot.authority = "bot";
  absl::StatusOr<tact::v1::WhyNot> expected =
      engine->WhyNot(*tact::ContextFromJson(context_json_), "callback", bot);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(out, tact::WhyNotToJson(*expected));
  EXPECT_THAT(out, HasSubstr("\"status\": \"needs_approval\""));
  EXPECT_THAT(out, HasSubstr("\"verified\": true"));
}

TEST_F(CApiTest, WhyNotUnknownActionIsNotFoundWithTheNearest) {
  Error error;
  char* json = nullptr;
  size_t len = 0;
  EXPECT_EQ(tact_engine_why_not_json(engine_, nullptr, context_json_.data(),
                                     context_json_.size(), "calback", &json,
                                     &len, &error.message),
            TACT_NOT_FOUND);
  EXPECT_EQ(json, nullptr);
  EXPECT_THAT(error.str(), HasSubstr("did you mean \"callback\"?"));
  EXPECT_EQ(tact_engine_why_not_json(engine_, nullptr, context_json_.data(),
                                     context_json_.size(), nullptr, &json, &len,
                                     &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("action"));
}

TEST_F(CApiTest, TraceOptionAddsTheTrace) {
  tact_decide_options_t* options = tact_decide_options_create();
  tact_decide_options_set_trace(options, 1);
  EXPECT_THAT(DecideToJson(options), HasSubstr("\"trace\""));
  tact_decide_options_destroy(options);
  EXPECT_THAT(DecideToJson(nullptr), ::testing::Not(HasSubstr("\"trace\"")));
}

TEST_F(CApiTest, TraceLevelChoosesWhatTheTraceRecords) {
  auto decide = [&](const tact_decide_options_t* options) {
    tact::v1::Decision decision;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(
                    DecideToJson(options), &decision)
                    .ok());
    return decision;
  };
  tact_decide_options_t* options = tact_decide_options_create();
  ASSERT_EQ(tact_decide_options_set_trace_level(options, TACT_TRACE_EVALUATED),
            TACT_OK);
  tact::v1::Decision evaluated = decide(options);
  EXPECT_EQ(evaluated.trace_level(), tact::v1::TRACE_EVALUATED);
  ASSERT_EQ(tact_decide_options_set_trace_level(options, TACT_TRACE_FULL),
            TACT_OK);
  tact::v1::Decision full = decide(options);
  EXPECT_EQ(full.trace_level(), tact::v1::TRACE_FULL);
  // Only the rules the index evaluated: fewer than every rule here, and
  // every one that fired.
  ASSERT_GT(evaluated.trace_size(), 0);
  EXPECT_LT(evaluated.trace_size(), full.trace_size());
  int fired_evaluated = 0, fired_full = 0;
  for (const auto& t : evaluated.trace()) fired_evaluated += t.fired();
  for (const auto& t : full.trace()) fired_full += t.fired();
  EXPECT_EQ(fired_evaluated, fired_full);

  // Not a level: refused, and the options keep the one they had.
  EXPECT_EQ(tact_decide_options_set_trace_level(options, 3),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_trace_level(options, -1),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(decide(options).trace_level(), tact::v1::TRACE_FULL);
  EXPECT_EQ(tact_decide_options_set_trace_level(nullptr, TACT_TRACE_FULL),
            TACT_INVALID_ARGUMENT);
  // set_trace is the same knob: the last call wins.
  ASSERT_EQ(tact_decide_options_set_trace(options, 0), TACT_OK);
  EXPECT_EQ(decide(options).trace_level(), tact::v1::TRACE_OFF);
  ASSERT_EQ(tact_decide_options_set_trace(options, 1), TACT_OK);
  ASSERT_EQ(tact_decide_options_set_trace_level(options, TACT_TRACE_EVALUATED),
            TACT_OK);
  EXPECT_EQ(decide(options).trace_level(), tact::v1::TRACE_EVALUATED);
  tact_decide_options_destroy(options);
}

TEST_F(CApiTest, ProtoContextAndDecisionRoundTrip) {
  absl::StatusOr<tact::v1::Context> context =
      tact::ContextFromJson(context_json_);
  ASSERT_TRUE(context.ok());
  const std::string wire = context->SerializeAsString();
  Error error;
  tact_decision_t* decision = nullptr;
  ASSERT_EQ(tact_engine_decide_proto(engine_, nullptr, wire.data(), wire.size(),
                                     &decision, &error.message),
            TACT_OK)
      << error.str();
  char* bytes = nullptr;
  size_t len = 0;
  ASSERT_EQ(tact_decision_to_proto(decision, &bytes, &len, &error.message),
            TACT_OK);
  tact::v1::Decision parsed;
  ASSERT_TRUE(parsed.ParseFromArray(bytes, static_cast<int>(len)));
  tact_free(bytes);
  EXPECT_EQ(tact::DecisionToJson(parsed), DecideToJson(nullptr));
  ASSERT_GT(tact_decision_action_count(decision), 0u);
  EXPECT_EQ(tact_decision_action_id(decision, 0), parsed.actions(0).action());
  tact_decision_destroy(decision);
}

TEST_F(CApiTest, GarbageProtoIsInvalidArgument) {
  Error error;
  tact_decision_t* decision = nullptr;
  const std::string garbage("\xff\xff\xff\xff", 4);
  EXPECT_EQ(tact_engine_decide_proto(engine_, nullptr, garbage.data(),
                                     garbage.size(), &decision, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(decision, nullptr);
}

TEST_F(CApiTest, OneEngineDecidesFromManyThreadsIdentically) {
  const std::string expected = DecideToJson(nullptr);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) results[t] = DecideToJson(nullptr);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) EXPECT_EQ(result, expected);
}

// Fail closed: a NULL authority after "bot" is rejected and the options
// still restrict to "bot".
TEST_F(CApiTest, NullAuthorityIsRejectedAndKeepsTheRestriction) {
  tact_decide_options_t* options = tact_decide_options_create();
  ASSERT_EQ(tact_decide_options_set_authority(options, "bot", 3), TACT_OK);
  const std::string as_bot = DecideToJson(options);
  EXPECT_EQ(tact_decide_options_set_authority(options, nullptr, 0),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_authority(options, nullptr, 5),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(DecideToJson(options), as_bot);
  EXPECT_THAT(DecideToJson(options), HasSubstr("\"needsApproval\""));
  // "" and 0 lift the restriction, on purpose.
  ASSERT_EQ(tact_decide_options_set_authority(options, "", 0), TACT_OK);
  EXPECT_EQ(DecideToJson(options), DecideToJson(nullptr));
  tact_decide_options_destroy(options);
  EXPECT_EQ(tact_decide_options_set_authority(nullptr, "bot", 3),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_trace(nullptr, 1), TACT_INVALID_ARGUMENT);
}

TEST_F(CApiTest, AbsurdLengthsAreErrorsNotAborts) {
  tact_decide_options_t* options = tact_decide_options_create();
  ASSERT_EQ(tact_decide_options_set_authority(options, "bot", 3), TACT_OK);
  EXPECT_EQ(tact_decide_options_set_authority(options, "bot", SIZE_MAX),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_authority(options, "bot",
                                              TACT_MAX_AUTHORITY_BYTES + 1),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(DecideToJson(options), HasSubstr("\"needsApproval\""));
  tact_decide_options_destroy(options);

  Error error;
  tact_decision_t* decision = nullptr;
  EXPECT_EQ(tact_engine_decide_json(engine_, nullptr, context_json_.data(),
                                    SIZE_MAX, &decision, &error.message),
            TACT_RESOURCE_EXHAUSTED);
  EXPECT_EQ(error.str(),
            "tact_engine_decide_json: a context of 18446744073709551615 bytes "
            "exceeds TACT_MAX_CONTEXT_BYTES (2147483647)");
  EXPECT_EQ(decision, nullptr);
  EXPECT_EQ(tact_engine_decide_proto(engine_, nullptr, "x",
                                     TACT_MAX_CONTEXT_BYTES + 1, &decision,
                                     &error.message),
            TACT_RESOURCE_EXHAUSTED);
  EXPECT_THAT(error.str(), StartsWith("tact_engine_decide_proto: a context of "
                                      "2147483648 bytes exceeds"));

  tact_engine_t* engine = nullptr;
  EXPECT_EQ(tact_engine_create("x", SIZE_MAX, TACT_POLICY_TEXT, nullptr,
                               &engine, &error.message),
            TACT_RESOURCE_EXHAUSTED);
  EXPECT_EQ(error.str(),
            "tact_engine_create: policy is 18446744073709551615 bytes, more "
            "than the limit of 67108864");
  EXPECT_EQ(engine, nullptr);
}

// A policy whose one rule is quadratic in the history, and a context with
// `events` events.
tact_engine_t* SlowEngine() {
  const std::string policy =
      "name: \"slow\" version: \"1\" currency: \"USD\"\n"
      "actions { id: \"a\" }\n"
      "rules { id: \"slow\" when: \"history.exists(a, history.exists(b, "
      "a.at > b.at + duration('1000000s')))\" recommend { action: \"a\" } }\n";
  tact_engine_t* engine = nullptr;
  Error error;
  EXPECT_EQ(tact_engine_create(policy.data(), policy.size(), TACT_POLICY_TEXT,
                               nullptr, &engine, &error.message),
            TACT_OK)
      << error.str();
  return engine;
}

std::string ContextWithEvents(int events) {
  std::string json =
      R"({"now": "2026-01-05T10:00:00Z", "customer": {"id": "c"}, )"
      R"("case": {"id": "k"}, "history": [)";
  for (int i = 0; i < events; ++i) {
    if (i > 0) json += ",";
    json += R"({"kind": "complaint", "at": "2026-01-01T00:00:00Z"})";
  }
  return json + "]}";
}

tact_status_t DecideWith(tact_engine_t* engine,
                         const tact_decide_options_t* options,
                         const std::string& context, std::string* message) {
  Error error;
  tact_decision_t* decision = nullptr;
  tact_status_t status =
      tact_engine_decide_json(engine, options, context.data(), context.size(),
                              &decision, &error.message);
  tact_decision_destroy(decision);
  *message = error.str();
  return status;
}

TEST(CApi, StepBudgetIsResourceExhausted) {
  tact_engine_t* engine = SlowEngine();
  tact_decide_options_t* options = tact_decide_options_create();
  const std::string context = ContextWithEvents(100);
  std::string message;
  EXPECT_EQ(DecideWith(engine, options, context, &message), TACT_OK);
  tact_decide_options_set_max_evaluation_steps(options, 1000);
  EXPECT_EQ(DecideWith(engine, options, context, &message),
            TACT_RESOURCE_EXHAUSTED);
  EXPECT_EQ(message,
            "tact_engine_decide_json: evaluation exceeded "
            "max_evaluation_steps (1000 steps) in rule 'slow'");
  tact_decide_options_set_max_evaluation_steps(options, 10000000);
  tact_decide_options_set_max_string_bytes_built(options, 0);
  EXPECT_EQ(DecideWith(engine, options, context, &message), TACT_OK);
  tact_decide_options_destroy(options);
  tact_engine_destroy(engine);
}

// Fail closed: a NULL options or a negative budget is rejected and leaves
// the options (and the budget already set) unchanged.
TEST(CApi, BudgetSettersRejectNullAndNegativeValues) {
  tact_engine_t* engine = SlowEngine();
  tact_decide_options_t* options = tact_decide_options_create();
  const std::string context = ContextWithEvents(100);
  std::string message;
  ASSERT_EQ(tact_decide_options_set_max_evaluation_steps(options, 1000),
            TACT_OK);
  EXPECT_EQ(tact_decide_options_set_max_evaluation_steps(options, -1),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_max_evaluation_steps(options, INT64_MIN),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_max_string_bytes_built(options, -1),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(DecideWith(engine, options, context, &message),
            TACT_RESOURCE_EXHAUSTED);
  EXPECT_EQ(message,
            "tact_engine_decide_json: evaluation exceeded "
            "max_evaluation_steps (1000 steps) in rule 'slow'");
  // 0 is a budget (nothing may be built), not an error.
  EXPECT_EQ(tact_decide_options_set_max_string_bytes_built(options, 0),
            TACT_OK);
  EXPECT_EQ(tact_decide_options_set_max_evaluation_steps(options, 0), TACT_OK);
  EXPECT_EQ(tact_decide_options_set_max_evaluation_steps(nullptr, 5),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_max_string_bytes_built(nullptr, 5),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_timeout_ms(nullptr, 5),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_timeout_ms(options, 5), TACT_OK);
  tact_cancel_t* cancel = tact_cancel_create();
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(tact_decide_options_set_cancel(nullptr, cancel),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_decide_options_set_cancel(options, cancel), TACT_OK);
  EXPECT_EQ(tact_decide_options_set_cancel(options, nullptr), TACT_OK);
  tact_cancel_destroy(cancel);
  tact_decide_options_destroy(options);
  tact_engine_destroy(engine);
}

TEST(CApi, TimeoutIsDeadlineExceeded) {
  tact_engine_t* engine = SlowEngine();
  tact_decide_options_t* options = tact_decide_options_create();
  tact_decide_options_set_max_evaluation_steps(options, INT64_MAX);
  tact_decide_options_set_timeout_ms(options, 20);
  std::string message;
  EXPECT_EQ(DecideWith(engine, options, ContextWithEvents(50000), &message),
            TACT_DEADLINE_EXCEEDED);
  // Where the deadline strikes depends on the machine's speed: reading the
  // 50,000-event context may already use up the 20 ms.
  EXPECT_THAT(message,
              ::testing::StartsWith(
                  "tact_engine_decide_json: decision deadline passed"));
  // A generous timeout lets a small decision finish.
  tact_decide_options_set_timeout_ms(options, 60000);
  EXPECT_EQ(DecideWith(engine, options, ContextWithEvents(10), &message),
            TACT_OK);
  tact_decide_options_destroy(options);
  tact_engine_destroy(engine);
}

TEST(CApi, CancelFromAnotherThreadIsCancelled) {
  tact_engine_t* engine = SlowEngine();
  tact_decide_options_t* options = tact_decide_options_create();
  tact_cancel_t* cancel = tact_cancel_create();
  ASSERT_NE(cancel, nullptr);
  tact_decide_options_set_max_evaluation_steps(options, INT64_MAX);
  tact_decide_options_set_cancel(options, cancel);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    tact_cancel_set(cancel);
  });
  std::string message;
  EXPECT_EQ(DecideWith(engine, options, ContextWithEvents(50000), &message),
            TACT_CANCELLED);
  // Cancelled while the rule runs, or (on a slow machine) before, while the
  // context was still being parsed.
  EXPECT_THAT(message,
              ::testing::AnyOf(
                  "tact_engine_decide_json: decision cancelled in rule 'slow'",
                  "tact_engine_decide_json: decision cancelled"));
  canceller.join();
  tact_cancel_reset(cancel);
  EXPECT_EQ(DecideWith(engine, options, ContextWithEvents(10), &message),
            TACT_OK);
  tact_decide_options_set_cancel(options, nullptr);
  tact_cancel_destroy(cancel);
  tact_decide_options_destroy(options);
  tact_engine_destroy(engine);
}

// --- tact_handle_t: a serving engine and a shadowing candidate ---

// The support policy with the goodwill credit capped at 40.00 instead of
// 50.00 USD.
tact_engine_t* LowerGoodwillEngine() {
  std::string text = ReadFile(kPolicyPath);
  const std::string from = "min(5000, max(500,";
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos)
    text.replace(at, from.size(), "min(4000, max(500,");
  Error error;
  tact_engine_t* engine = nullptr;
  EXPECT_EQ(tact_engine_create(text.data(), text.size(), TACT_POLICY_TEXT,
                               "lower.textproto", &engine, &error.message),
            TACT_OK)
      << error.str();
  return engine;
}

std::string ReportJson(const tact_handle_t* handle) {
  Error error;
  char* json = nullptr;
  size_t len = 0;
  EXPECT_EQ(tact_handle_shadow_report_json(handle, &json, &len, &error.message),
            TACT_OK)
      << error.str();
  std::string out(json == nullptr ? "" : json, len);
  EXPECT_EQ(std::strlen(json), len);
  tact_free(json);
  return out;
}

std::string DecisionJson(const tact_decision_t* decision) {
  char* json = nullptr;
  size_t len = 0;
  EXPECT_EQ(tact_decision_to_json(decision, 1, &json, &len, nullptr), TACT_OK);
  std::string out(json == nullptr ? "" : json, len);
  tact_free(json);
  return out;
}

TEST_F(CApiTest, HandleServesItsEngineAndReportsTheCandidatesDifferences) {
  const std::string outage = ReadFile("examples/contexts/outage_critical.json");
  tact_handle_t* handle = tact_handle_create();
  ASSERT_NE(handle, nullptr);
  Error error;
  tact_decision_t* decision = nullptr;
  EXPECT_EQ(tact_handle_decide_json(handle, nullptr, outage.data(),
                                    outage.size(), &decision, &error.message),
            TACT_FAILED_PRECONDITION);
  EXPECT_THAT(error.str(), HasSubstr("no policy loaded"));
  EXPECT_EQ(decision, nullptr);
  EXPECT_EQ(ReportJson(handle), "{\"active\": false}");

  ASSERT_EQ(tact_handle_set_engine(handle, engine_, &error.message), TACT_OK);
  tact_engine_t* candidate = LowerGoodwillEngine();
  ASSERT_EQ(tact_handle_set_candidate(handle, candidate, 1.0, &error.message),
            TACT_OK);
  tact_engine_destroy(candidate);  // the handle keeps its own reference

  tact_decision_t* direct = nullptr;
  ASSERT_EQ(tact_engine_decide_json(engine_, nullptr, outage.data(),
                                    outage.size(), &direct, &error.message),
            TACT_OK);
  ASSERT_EQ(tact_handle_decide_json(handle, nullptr, outage.data(),
                                    outage.size(), &decision, &error.message),
            TACT_OK)
      << error.str();
  EXPECT_EQ(DecisionJson(decision), DecisionJson(direct));
  tact_decision_destroy(decision);
  tact_decision_destroy(direct);
  // An unaffected context: identical.
  ASSERT_EQ(
      tact_handle_decide_json(handle, nullptr, context_json_.data(),
                              context_json_.size(), &decision, &error.message),
      TACT_OK);
  tact_decision_destroy(decision);

  const std::string report = ReportJson(handle);
  EXPECT_THAT(report, HasSubstr("\"share_millionths\": 1000000"));
  EXPECT_THAT(report, HasSubstr("\"decided\": 2, \"sampled\": 2, "
                                "\"identical\": 1, \"differing\": 1, "
                                "\"candidate_errors\": 0"));
  EXPECT_THAT(report, HasSubstr("\"params\": {\"cases\": 1, \"money\": -1000"));
  EXPECT_THAT(report, HasSubstr("goodwill_credit amount 5000 -> 4000"));
  EXPECT_THAT(report, HasSubstr("\"number\": 0, \"context\": {"));
  EXPECT_THAT(report, HasSubstr("\"id\":\"case_9007\""));

  tact_handle_clear_candidate(handle);
  EXPECT_EQ(ReportJson(handle), "{\"active\": false}");
  tact_handle_clear_candidate(nullptr);
  tact_handle_destroy(handle);
  tact_handle_destroy(nullptr);
}

TEST_F(CApiTest, HandleSamplesTheCandidatesShare) {
  tact_handle_t* handle = tact_handle_create();
  ASSERT_EQ(tact_handle_set_engine(handle, engine_, nullptr), TACT_OK);
  ASSERT_EQ(tact_handle_set_candidate(handle, engine_, 0.25, nullptr), TACT_OK);
  for (int i = 0; i < 100; ++i) {
    tact_decision_t* decision = nullptr;
    ASSERT_EQ(tact_handle_decide_json(handle, nullptr, context_json_.data(),
                                      context_json_.size(), &decision, nullptr),
              TACT_OK);
    tact_decision_destroy(decision);
  }
  EXPECT_THAT(
      ReportJson(handle),
      HasSubstr("\"decided\": 100, \"sampled\": 25, \"identical\": 25"));
  tact_handle_destroy(handle);
}

TEST_F(CApiTest, HandleRefusesNullsAndABadShare) {
  tact_handle_t* handle = tact_handle_create();
  Error error;
  EXPECT_EQ(tact_handle_set_engine(nullptr, engine_, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("`handle` must not be NULL"));
  EXPECT_EQ(tact_handle_set_engine(handle, nullptr, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("`engine` must not be NULL"));
  EXPECT_EQ(tact_handle_set_candidate(handle, nullptr, 1, &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_THAT(error.str(), HasSubstr("`candidate` must not be NULL"));
  EXPECT_EQ(tact_handle_set_candidate(nullptr, engine_, 1, nullptr),
            TACT_INVALID_ARGUMENT);
  ASSERT_EQ(tact_handle_set_candidate(handle, engine_, 0.5, nullptr), TACT_OK);
  for (double share : {-0.5, 1.01, std::nan("")}) {
    EXPECT_EQ(tact_handle_set_candidate(handle, engine_, share, &error.message),
              TACT_INVALID_ARGUMENT);
    EXPECT_THAT(error.str(),
                HasSubstr("tact_handle_set_candidate: ShadowOptions::share "
                          "must be in [0, 1]"));
  }
  EXPECT_THAT(ReportJson(handle), HasSubstr("\"share_millionths\": 500000"));
  tact_decision_t* decision = nullptr;
  EXPECT_EQ(tact_handle_decide_json(nullptr, nullptr, "{}", 2, &decision,
                                    &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_handle_decide_json(handle, nullptr, nullptr, 0, &decision,
                                    &error.message),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_handle_decide_json(handle, nullptr, "{}", 2, nullptr,
                                    &error.message),
            TACT_INVALID_ARGUMENT);
  char* json = nullptr;
  size_t len = 0;
  EXPECT_EQ(tact_handle_shadow_report_json(nullptr, &json, &len, nullptr),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_handle_shadow_report_json(handle, nullptr, &len, nullptr),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_handle_shadow_report_json(handle, &json, nullptr, nullptr),
            TACT_INVALID_ARGUMENT);
  tact_handle_destroy(handle);
}

TEST_F(CApiTest, HandleDecidesFromManyThreadsWhileTheCandidateChanges) {
  const std::string expected = DecideToJson(nullptr);
  tact_handle_t* handle = tact_handle_create();
  ASSERT_EQ(tact_handle_set_engine(handle, engine_, nullptr), TACT_OK);
  tact_engine_t* candidate = LowerGoodwillEngine();
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        tact_decision_t* decision = nullptr;
        if (tact_handle_decide_json(handle, nullptr, context_json_.data(),
                                    context_json_.size(), &decision,
                                    nullptr) != TACT_OK ||
            DecisionJson(decision) != expected) {
          ++mismatches[t];
        }
        tact_decision_destroy(decision);
      }
    });
  }
  for (int i = 0; i < 50; ++i) {
    if (i % 3 == 2) {
      tact_handle_clear_candidate(handle);
    } else {
      EXPECT_EQ(tact_handle_set_candidate(handle, candidate, 0.5, nullptr),
                TACT_OK);
    }
    (void)ReportJson(handle);
  }
  for (std::thread& t : threads) t.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
  tact_engine_destroy(candidate);
  tact_handle_destroy(handle);
}

TEST_F(CApiTest, RecordOptionFillsTheRecord) {
  tact_decide_options_t* options = tact_decide_options_create();
  ASSERT_EQ(tact_decide_options_set_record(options, 1), TACT_OK);
  const std::string recorded = DecideToJson(options);
  EXPECT_THAT(recorded,
              ::testing::ContainsRegex("\"decisionId\": \"[0-9a-f]{32}\""));
  EXPECT_THAT(recorded, HasSubstr("\"contextDigest\": \"sha256:"));
  EXPECT_THAT(recorded, HasSubstr(std::string("\"tactVersion\": \"") +
                                  TACT_VERSION + "\""));
  ASSERT_EQ(tact_decide_options_set_record(options, 0), TACT_OK);
  EXPECT_THAT(DecideToJson(options),
              ::testing::Not(HasSubstr("\"decisionId\"")));
  tact_decide_options_destroy(options);
  EXPECT_EQ(tact_decide_options_set_record(nullptr, 1), TACT_INVALID_ARGUMENT);
}

// Writes a log of the example context decided by the support policy, with
// `tamper` applied to its line.
std::string WriteLog(const std::string& name, bool tamper) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::remove(path.c_str());
  auto engine = tact::Engine::FromFile(kPolicyPath);
  auto context = tact::ContextFromFile(kContextPath);
  EXPECT_TRUE(engine.ok() && context.ok());
  tact::DecideOptions options;
  options.record = true;
  auto decision = (*engine)->Decide(*context, options);
  EXPECT_TRUE(decision.ok());
  if (tamper) decision->mutable_actions(0)->set_action("something_else");
  auto log = tact::DecisionLogWriter::Open(path);
  EXPECT_TRUE(log.ok());
  EXPECT_TRUE((*log)->Append(*context, *decision).ok());
  EXPECT_TRUE((*log)->Flush().ok());
  return path;
}

TEST_F(CApiTest, ReplayReportsAsJson) {
  Error error;
  char* json = nullptr;
  size_t len = 0;
  const std::string good = WriteLog("c_api_good.jsonl", false);
  ASSERT_EQ(
      tact_replay_json(engine_, good.c_str(), 0, &json, &len, &error.message),
      TACT_OK)
      << error.str();
  std::string report(json, len);
  tact_free(json);
  EXPECT_THAT(report, HasSubstr("\"records\":1,\"identical\":1,"));
  EXPECT_THAT(report, HasSubstr("\"ok\":true}"));

  const std::string bad = WriteLog("c_api_bad.jsonl", true);
  ASSERT_EQ(
      tact_replay_json(engine_, bad.c_str(), 1, &json, &len, &error.message),
      TACT_OK)
      << error.str();
  report.assign(json, len);
  tact_free(json);
  EXPECT_THAT(report, HasSubstr("\"differing\": 1"));
  EXPECT_THAT(report, HasSubstr("actions[0].action: logged "
                                "\\\"something_else\\\""));
  EXPECT_THAT(report, HasSubstr("\"ok\": false"));
}

TEST_F(CApiTest, ReplayOfAMissingLogIsNotFound) {
  Error error;
  char* json = nullptr;
  size_t len = 0;
  EXPECT_EQ(tact_replay_json(engine_, "/nonexistent/log.jsonl", 0, &json, &len,
                             &error.message),
            TACT_NOT_FOUND);
  EXPECT_EQ(json, nullptr);
  EXPECT_THAT(error.str(), HasSubstr("\"/nonexistent/log.jsonl\""));
  EXPECT_EQ(tact_replay_json(nullptr, "x", 0, &json, &len, nullptr),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_replay_json(engine_, nullptr, 0, &json, &len, nullptr),
            TACT_INVALID_ARGUMENT);
  EXPECT_EQ(tact_replay_json(engine_, "x", 0, nullptr, &len, nullptr),
            TACT_INVALID_ARGUMENT);
}

}  // namespace

namespace {

// A decision's JSON carries where the case stands on each service-level
// target (Decision.service_levels, issue 17).
TEST(CApi, DecisionJsonCarriesServiceLevels) {
  const std::string policy = R"pb(
    name: "sla"
    version: "1"
    actions { id: "remind" }
    entitlements {
      tier: "standard"
      default: true
      sla { target: "first_reply" within: "4h" }
    }
    service_levels {
      targets { id: "first_reply" measure: FIRST_REPLY }
      thresholds {
        percent: 75
        recommend { action: "remind" }
      }
    }
  )pb";
  Error error;
  tact_engine_t* engine = nullptr;
  ASSERT_EQ(tact_engine_create(policy.data(), policy.size(), TACT_POLICY_TEXT,
                               nullptr, &engine, &error.message),
            TACT_OK)
      << error.str();
  const std::string context =
      R"({"now": "2026-01-05T13:00:00Z", "customer": {"id": "c"},
          "case": {"id": "k", "openedAt": "2026-01-05T10:00:00Z"}})";
  tact_decision_t* decision = nullptr;
  ASSERT_EQ(tact_engine_decide_json(engine, nullptr, context.data(),
                                    context.size(), &decision, &error.message),
            TACT_OK)
      << error.str();
  char* json = nullptr;
  size_t len = 0;
  ASSERT_EQ(tact_decision_to_json(decision, 0, &json, &len, &error.message),
            TACT_OK);
  const std::string out(json, len);
  tact_free(json);
  tact_decision_destroy(decision);
  tact_engine_destroy(engine);
  EXPECT_THAT(out, HasSubstr(R"("serviceLevels":[{"target":"first_reply",)"
                             R"("measure":"first_reply",)"
                             R"("entitlement":"standard","within":"4h",)"
                             R"("state":"at_risk",)"));
  EXPECT_THAT(out, HasSubstr(R"("dueAt":"2026-01-05T14:00:00Z",)"
                             R"("elapsed":"10800s","remaining":"3600s",)"
                             R"("percent":75,"threshold":75)"));
  EXPECT_THAT(out, HasSubstr(R"("kind":"sla_threshold","ref":"first_reply")"));
}

}  // namespace
