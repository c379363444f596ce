// Hostile-but-valid policies at load time (issue 14, "Linear load"): every
// format loads in time linear in its size, every count has a limit checked
// while reading, and values the schema does not define are load errors
// naming the field. Time and memory are asserted only as generous bounds.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::testing::HasSubstr;

const auto kInvalid = absl::StatusCode::kInvalidArgument;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

// A valid policy of about `bytes` bytes, all on one line: many rules, with
// tabs between fields so the tokenizer's tab-expanded columns are mapped too.
std::string OneLinePolicy(size_t bytes) {
  std::string text =
      "name: \"long\" currency: \"USD\" actions { id: \"apologize\" }";
  for (int i = 0; text.size() < bytes; ++i) {
    absl::StrAppend(&text, "\trules { id: \"r", i,
                    "\" when: \"customer.tier == 'gold'\"\t"
                    "recommend { action: \"apologize\" } }");
  }
  return text;
}

// Was quadratic: each field's tokenizer column was mapped by walking its
// line from the start (a 2.5 MB one-line policy took 85 s).
TEST(LinearLoadTest, OneLineTextPolicyLoadsInLinearTime) {
  const std::string text = OneLinePolicy(2500 * 1000);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::FromText(text, PolicyFormat::kText, "long.textproto");
  const double seconds = SecondsSince(start);
  ASSERT_THAT(engine.status(), IsOk());
  EXPECT_GT((*engine)->policy().rules_size(), 20000);
  // Well under a second in a release build; generous for sanitizers.
  EXPECT_LT(seconds, 10.0);
}

// Positions on a long line past tabs are still exact byte columns: a
// tokenizer error (an unknown field) and a compiler error (inside a string).
TEST(LinearLoadTest, ErrorsAfterTabsOnALongLinePointAtTheByte) {
  const std::string good = OneLinePolicy(100 * 1000);
  // 1-based column of "wen", after two tabs and `rules { id: "bad" `.
  const size_t unknown_column = good.size() + 21;
  absl::Status status =
      Engine::FromText(
          absl::StrCat(good, "\t\trules { id: \"bad\" wen: \"x\" }"),
          PolicyFormat::kText, "long.textproto")
          .status();
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_THAT(
      std::string(status.message()),
      HasSubstr(absl::StrCat("long.textproto:1:", unknown_column, ": error: ")))
      << status.message().substr(0, 300);
  // The end of `when: "1 +"` maps to its closing quote.
  const size_t quote_column = good.size() + 30;
  status = Engine::FromText(
               absl::StrCat(good, "\trules { id: \"bad\" when: \"1 +\" }"),
               PolicyFormat::kText, "long.textproto")
               .status();
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr(absl::StrCat("long.textproto:1:", quote_column,
                                     ": error: rule \"bad\": unexpected end")))
      << status.message().substr(0, 300);
}

}  // namespace
}  // namespace tact
