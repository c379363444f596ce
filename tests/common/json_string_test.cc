#include "src/common/json_string.h"

#include <string>

#include "gtest/gtest.h"

namespace tact::internal {
namespace {

TEST(JsonStringTest, QuotesAndEscapes) {
  EXPECT_EQ(JsonString(""), "\"\"");
  EXPECT_EQ(JsonString("gold"), "\"gold\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("l1\nl2\r\tx"), "\"l1\\nl2\\r\\tx\"");
}

TEST(JsonStringTest, OtherControlBytesAreUnicodeEscapes) {
  EXPECT_EQ(JsonString(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(JsonString(std::string("a\0b", 3)), "\"a\\u0000b\"");
}

TEST(JsonStringTest, Utf8PassesThroughAndAppendAppends) {
  std::string out = "x=";
  AppendJsonString("caf\xc3\xa9 \xe2\x82\xac", &out);
  EXPECT_EQ(out, "x=\"caf\xc3\xa9 \xe2\x82\xac\"");
}

}  // namespace
}  // namespace tact::internal
