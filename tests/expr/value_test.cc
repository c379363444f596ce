#include "src/expr/value.h"

#include "gtest/gtest.h"

namespace tact::internal {
namespace {

TEST(FormatValueTest, Scalars) {
  EXPECT_EQ(FormatValue(Value::Bool(true)), "true");
  EXPECT_EQ(FormatValue(Value::Int(-42)), "-42");
  EXPECT_EQ(FormatValue(Value::String("a b")), "a b");
  EXPECT_EQ(FormatValue(Value::Error("boom")), "error: boom");
}

TEST(FormatValueTest, DoublesUseShortestRoundTrip) {
  EXPECT_EQ(FormatValue(Value::Double(0.1)), "0.1");
  EXPECT_EQ(FormatValue(Value::Double(1.0 / 3)), "0.3333333333333333");
  EXPECT_EQ(FormatValue(Value::Double(2)), "2");
  EXPECT_EQ(FormatValue(Value::Double(1e300)), "1e+300");
  EXPECT_EQ(FormatValue(Value::Double(-1.0 / 0.0)), "-inf");
}

TEST(FormatValueTest, TimestampsAreRfc3339Utc) {
  EXPECT_EQ(FormatValue(Value::Timestamp(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatValue(Value::Timestamp(1'500'000'000)),
            "1970-01-01T00:00:01.5Z");
}

TEST(FormatValueTest, DurationsInSeconds) {
  EXPECT_EQ(FormatValue(Value::Duration(90'000'000'000)), "90s");
  EXPECT_EQ(FormatValue(Value::Duration(1'500'000'000)), "1.5s");
  EXPECT_EQ(FormatValue(Value::Duration(-1)), "-0.000000001s");
  EXPECT_EQ(FormatValue(Value::Duration(0)), "0s");
  EXPECT_EQ(FormatValue(Value::Duration(INT64_MIN)), "-9223372036.854775808s");
}

TEST(FormatLiteralTest, CelLiteralsOfEveryType) {
  EXPECT_EQ(FormatLiteral(Value::Bool(false)), "false");
  EXPECT_EQ(FormatLiteral(Value::Int(1200)), "1200");
  EXPECT_EQ(FormatLiteral(Value::Double(12.5)), "12.5");
  EXPECT_EQ(FormatLiteral(Value::Double(2000)), "2000.0");  // not an int
  EXPECT_EQ(FormatLiteral(Value::Double(1e300)), "1e+300");
  EXPECT_EQ(FormatLiteral(Value::Double(1.0 / 0.0)), "double(\"Infinity\")");
  EXPECT_EQ(FormatLiteral(Value::String("silver")), "\"silver\"");
  EXPECT_EQ(FormatLiteral(Value::Timestamp(0)),
            "timestamp(\"1970-01-01T00:00:00Z\")");
  EXPECT_EQ(FormatLiteral(Value::Duration(3'600'000'000'000)),
            "duration(\"3600s\")");
  EXPECT_EQ(FormatLiteral(Value::Error("boom")), "error: boom");
}

TEST(FormatLiteralTest, StringsEscapeQuotesBackslashesControlsAndBadUtf8) {
  EXPECT_EQ(FormatLiteral(Value::String("say \"hi\"\\n")),
            "\"say \\\"hi\\\"\\\\n\"");
  EXPECT_EQ(FormatLiteral(Value::String("it's\n\t\x01")),
            "\"it's\\n\\t\\x01\"");
  // UTF-8 stays as it is; a byte that is not UTF-8 is escaped.
  EXPECT_EQ(FormatLiteral(Value::String("caf\xc3\xa9 \xff")),
            "\"caf\xc3\xa9 \\xff\"");
}

TEST(TypeNameTest, Names) {
  EXPECT_EQ(TypeName(ValueType::kEventList), "list(event)");
  EXPECT_EQ(TypeName(ValueType::kDuration), "duration");
}

}  // namespace
}  // namespace tact::internal
