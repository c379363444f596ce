#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"

namespace tact {
namespace {

using ::testing::HasSubstr;

TEST(ContextFromJson, ParsesEveryKindOfField) {
  auto context = ContextFromJson(R"({
    "now": "2026-01-05T10:00:00Z",
    "customer": {"id": "c1", "tier": "gold", "spend12m": "250000",
                 "influence": 0.8},
    "case": {"channel": "email", "openedAt": "2026-01-04T09:00:00Z",
             "ourFault": true},
    "history": [{"at": "2025-12-01T00:00:00Z", "kind": "goodwill",
                 "amount": 1500}],
    "attributes": {"nps": {"intValue": 7}, "vip": {"boolValue": true}}
  })");
  ASSERT_TRUE(context.ok()) << context.status();
  EXPECT_EQ(context->now().seconds(), 1767607200);
  EXPECT_EQ(context->customer().spend_12m(), 250000);
  EXPECT_DOUBLE_EQ(context->customer().influence(), 0.8);
  EXPECT_TRUE(context->case_().our_fault());
  EXPECT_EQ(context->case_().opened_at().seconds(), 1767517200);
  ASSERT_EQ(context->history_size(), 1);
  EXPECT_EQ(context->history(0).amount(), 1500);
  EXPECT_EQ(context->attributes().at("nps").int_value(), 7);
  EXPECT_TRUE(context->attributes().at("vip").bool_value());
}

TEST(ContextFromJson, AcceptsProtoFieldNamesAndCamelCase) {
  auto proto_names = ContextFromJson(
      R"({"customer": {"spend_12m": 5, "tenure_days": 3},
          "case": {"our_fault": true}})");
  auto camel_case = ContextFromJson(
      R"({"customer": {"spend12m": 5, "tenureDays": 3},
          "case": {"ourFault": true}})");
  ASSERT_TRUE(proto_names.ok()) << proto_names.status();
  ASSERT_TRUE(camel_case.ok()) << camel_case.status();
  EXPECT_EQ(proto_names->SerializeAsString(), camel_case->SerializeAsString());
  EXPECT_EQ(camel_case->customer().tenure_days(), 3);
}

TEST(ContextFromJson, UnknownFieldIsInvalidArgumentNamingIt) {
  auto context =
      ContextFromJson("{\n  \"customer\": {\n    \"tierr\": \"gold\"\n  }\n}");
  ASSERT_EQ(context.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(context.status().message()), HasSubstr("tierr"));
  EXPECT_THAT(std::string(context.status().message()),
              HasSubstr("line 3, column 5"));
}

TEST(ContextFromJson, WrongTypeIsInvalidArgumentNamingTheField) {
  auto context = ContextFromJson("{\"customer\": {\"spend12m\": \"lots\"}}");
  EXPECT_EQ(context.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(context.status().message()),
              HasSubstr("invalid context JSON: (customer.spend_12m)"));
  EXPECT_THAT(std::string(context.status().message()),
              HasSubstr("(at line 1, column 15)"));
}

TEST(ContextFromJson, BadTimestampIsInvalidArgument) {
  EXPECT_EQ(ContextFromJson(R"({"now": "yesterday"})").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ContextFromJson, SyntaxErrorNamesThePosition) {
  auto context = ContextFromJson(
      "{\n  \"now\": \"2026-01-05T10:00:00Z\"\n  \"case\": {}\n}");
  ASSERT_EQ(context.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(context.status().message()),
              HasSubstr("line 3, column 3"));
}

class MalformedContextJson : public ::testing::TestWithParam<std::string> {};

TEST_P(MalformedContextJson, IsInvalidArgument) {
  EXPECT_EQ(ContextFromJson(GetParam()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(EveryKind, MalformedContextJson,
                         ::testing::Values(
                             "", "   ", "garbage", "null", "[]", "42",
                             "\"text\"", "{",
                             "{\"customer\": ", "{\"customer\": {}", "}",
                             "{\"customer\": {}}}", "{\"customer\": []}",
                             std::string("{\"case\": {\"id\": \"\xff\xfe\"}}"),
                             std::string("{\0}", 3), std::string(100000, '['),
                             std::string(100000, '{'),
                             [] {
                               std::string deep;
                               for (int i = 0; i < 5000; ++i)
                                 deep += "{\"customer\":";
                               return deep;
                             }(),
                             [] {
                               // Nested deeper than allowed, and well-formed.
                               std::string deep;
                               for (int i = 0; i < 40; ++i) deep += "{\"a\":";
                               deep += "1";
                               for (int i = 0; i < 40; ++i) deep += "}";
                               return deep;
                             }()));

TEST(ContextFromJson, EmptyObjectIsAnEmptyContext) {
  auto context = ContextFromJson("{}");
  ASSERT_TRUE(context.ok()) << context.status();
  EXPECT_EQ(context->ByteSizeLong(), 0u);
}

TEST(ContextFromBinary, RoundTrips) {
  v1::Context context;
  context.mutable_customer()->set_tier("gold");
  context.mutable_now()->set_seconds(1767607200);
  (*context.mutable_attributes())["nps"].set_int_value(7);
  auto parsed = ContextFromBinary(context.SerializeAsString());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->customer().tier(), "gold");
  EXPECT_EQ(parsed->attributes().at("nps").int_value(), 7);
}

TEST(ContextFromBinary, EmptyBytesAreAnEmptyContext) {
  auto parsed = ContextFromBinary("");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->ByteSizeLong(), 0u);
}

TEST(ContextFromBinary, MalformedBytesAreInvalidArgument) {
  v1::Context context;
  context.mutable_customer()->set_tier("gold");
  const std::string good = context.SerializeAsString();
  for (const std::string& bad :
       {std::string("\xff\xff\xff\xff\xff", 5), good.substr(0, good.size() - 1),
        std::string("\x0a\x7f", 2), std::string(1000, '\x0a')}) {
    auto parsed = ContextFromBinary(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()),
                HasSubstr("not a valid binary context"));
  }
}

}  // namespace
}  // namespace tact
