#include "src/policy/template.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tact::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Render(absl::string_view text,
                   std::vector<std::pair<std::string, Value>> params,
                   absl::string_view currency = "USD") {
  absl::StatusOr<Template> t = ParseTemplate(text);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? RenderTemplate(*t, params, currency) : "";
}

TEST(TemplateTest, FillsParametersAndKeepsLiterals) {
  EXPECT_EQ(Render("Hi {name}, {{braces}}.", {{"name", Value::String("Ana")}}),
            "Hi Ana, {braces}.");
}

TEST(TemplateTest, MoneyUsesTheCurrencyExponent) {
  EXPECT_EQ(Render("{a:money}", {{"a", Value::Int(1250)}}), "12.50 USD");
  EXPECT_EQ(Render("{a:money}", {{"a", Value::Int(1250)}}, "JPY"), "1250 JPY");
  EXPECT_EQ(Render("{a:money}", {{"a", Value::Int(1250)}}, "KWD"), "1.250 KWD");
  EXPECT_EQ(Render("{a:money}", {{"a", Value::Int(-5)}}), "-0.05 USD");
}

TEST(TemplateTest, MoneyHandlesExtremes) {
  EXPECT_EQ(FormatMoney(INT64_MIN, "USD"), "-92233720368547758.08 USD");
  EXPECT_EQ(FormatMoney(INT64_MAX, "USD"), "92233720368547758.07 USD");
}

TEST(TemplateTest, DurationsReadAsSpans) {
  EXPECT_EQ(Render("wait {w}", {{"w", Value::Duration(36 * 3600000000000)}}),
            "wait 36 hours");
  EXPECT_EQ(Render("{w}", {{"w", Value::Duration(1500000000)}}), "1.5 seconds");
  // Other values as CEL's string() renders them.
  EXPECT_EQ(Render("{x}", {{"x", Value::Double(1.5)}}), "1.5");
}

TEST(TemplateTest, MissingParameterStaysVisible) {
  EXPECT_EQ(Render("x {gone} y", {}), "x {gone} y");
}

TEST(TemplateTest, ListsParametersInOrderOfFirstUse) {
  absl::StatusOr<Template> t = ParseTemplate("{b} {a:money} {b}");
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(TemplateParams(*t), ElementsAre("b", "a"));
}

TEST(TemplateTest, RejectsMalformedPlaceholders) {
  EXPECT_THAT(std::string(ParseTemplate("a {").status().message()),
              HasSubstr("unterminated '{' at offset 2"));
  EXPECT_THAT(std::string(ParseTemplate("a }").status().message()),
              HasSubstr("unmatched '}' at offset 2"));
  EXPECT_THAT(std::string(ParseTemplate("{a b}").status().message()),
              HasSubstr("malformed placeholder '{a b}'"));
  EXPECT_THAT(std::string(ParseTemplate("{}").status().message()),
              HasSubstr("malformed placeholder"));
}

}  // namespace
}  // namespace tact::internal
