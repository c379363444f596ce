#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "src/common/string_literal.h"
#include "src/io/policy_source.h"
#include "tact/engine.h"
#include "tests/io/test_positions.h"

namespace tact::internal {
namespace {

// Loads `text` as a text-format policy; fails the test on errors.
LoadedPolicy LoadText(absl::string_view text) {
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(text, PolicyFormat::kText, "p", &diagnostics);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  if (!loaded.ok()) return LoadedPolicy();
  return *std::move(loaded);
}

LoadedPolicy LoadJson(absl::string_view json) {
  std::vector<Diagnostic> diagnostics;
  auto loaded = ParsePolicy(json, PolicyFormat::kJson, "p.json", &diagnostics);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  if (!loaded.ok()) return LoadedPolicy();
  return *std::move(loaded);
}

// Not R"pb(...)": clang-format would reformat a textproto raw string.
constexpr absl::string_view kPolicy = R"policy(name: "p"
actions { id: "apologize" tags: ["apology", "free"] }
actions {
  id: "refund"
  tags: "monetary"
}
rules {
  id: "late"
  when: "a &&\n"
        "  bb"
  recommend { action: "apologize" }
  recommend {
    action: "refund"
    params { key: "amount" value: "min(1, 2)" }
    params: { key: 'note' value: 'x' }
  }
}
rules { id: "veto" veto: ["refund", "apologize"] }
)policy";

TEST(SourceMap, RecordsTopLevelAndNestedFields) {
  const LoadedPolicy loaded = LoadText(kPolicy);
  const SourceMap& map = loaded.source_map;
  EXPECT_EQ(map.Field("name"), PositionOf(kPolicy, "name"));
  EXPECT_EQ(map.Field("actions[0]"), PositionOf(kPolicy, "actions"));
  EXPECT_EQ(map.Field("actions[1]"), PositionOf(kPolicy, "actions", 1));
  EXPECT_EQ(map.Field("actions[0].id"), PositionOf(kPolicy, "id: \"apologize"));
  EXPECT_EQ(map.Field("actions[1].id"), PositionOf(kPolicy, "id: \"refund"));
  EXPECT_EQ(map.Field("rules[0].when"), PositionOf(kPolicy, "when"));
  EXPECT_EQ(map.Field("rules[0].recommend[1].action"),
            PositionOf(kPolicy, "action: \"refund"));
  EXPECT_EQ(map.Field("rules[1].id"), PositionOf(kPolicy, "id: \"veto"));
}

TEST(SourceMap, ListSyntaxElementsPointAtEachValue) {
  const LoadedPolicy loaded = LoadText(kPolicy);
  const SourceMap& map = loaded.source_map;
  EXPECT_EQ(map.Field("actions[0].tags[0]"), PositionOf(kPolicy, "\"apology"));
  EXPECT_EQ(map.Field("actions[0].tags[1]"), PositionOf(kPolicy, "\"free"));
  EXPECT_EQ(map.Field("actions[1].tags[0]"),
            PositionOf(kPolicy, "tags: \"mon"));
  EXPECT_EQ(map.Field("rules[1].veto[0]"), PositionOf(kPolicy, "\"refund\", "));
  EXPECT_EQ(map.Field("rules[1].veto[1]"),
            PositionOf(kPolicy, "\"apologize\"]"));
}

TEST(SourceMap, MapEntriesAreNamedByKeyAndPointAtTheValue) {
  const LoadedPolicy loaded = LoadText(kPolicy);
  const SourceMap& map = loaded.source_map;
  EXPECT_EQ(map.Field("rules[0].recommend[1].params[amount]"),
            PositionOf(kPolicy, "value: \"min"));
  EXPECT_EQ(map.Field("rules[0].recommend[1].params[note]"),
            PositionOf(kPolicy, "value: 'x'"));
  // Column 5 of "min(1, 2)" is '1'.
  EXPECT_EQ(map.InString("rules[0].recommend[1].params[amount]", 1, 5),
            PositionOf(kPolicy, "1, 2)"));
}

TEST(SourceMap, UnknownPathsAndFieldsNotInTheFileAreZero) {
  const LoadedPolicy loaded = LoadText(kPolicy);
  EXPECT_EQ(loaded.source_map.Field("version"), (FileLocation{0, 0}));
  EXPECT_EQ(loaded.source_map.Field("rules[7].when"), (FileLocation{0, 0}));
  EXPECT_EQ(loaded.source_map.InString("nope", 1, 1), (FileLocation{0, 0}));
  EXPECT_EQ(SourceMap().Field("name"), (FileLocation{0, 0}));
}

TEST(SourceMap, InStringFollowsAdjacentLiteralsAcrossLines) {
  const LoadedPolicy loaded = LoadText(kPolicy);
  // The value is "a &&\n  bb": line 2, column 3 is the first 'b', which sits
  // on the next file line, inside the second literal.
  EXPECT_EQ(loaded.policy.rules(0).when(), "a &&\n  bb");
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 1, 1),
            PositionOf(kPolicy, "a &&"));
  // The decoded '\n' maps to its two-character escape.
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 1, 5),
            PositionOf(kPolicy, "\\n\""));
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 2, 3),
            PositionOf(kPolicy, "bb"));
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 2, 4),
            PositionOf(kPolicy, "b\"\n"));
}

TEST(SourceMap, InStringJustPastTheEndIsTheClosingQuote) {
  const LoadedPolicy loaded = LoadText(kPolicy);
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 2, 5),
            PositionOf(kPolicy, "\"\n  recommend"));
}

TEST(SourceMap, InStringOutsideTheValueFallsBackToTheField) {
  const LoadedPolicy loaded = LoadText(kPolicy);
  const FileLocation field = loaded.source_map.Field("rules[0].when");
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 2, 9), field);
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 5, 1), field);
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 0, 0), field);
  // Not a string field: the field itself.
  EXPECT_EQ(loaded.source_map.InString("rules[0]", 1, 1),
            loaded.source_map.Field("rules[0]"));
}

struct EscapeCase {
  const char* literal;   // as written in the file, without quotes
  const char* decoded;   // the value protobuf decodes
  int column;            // 1-based column in the decoded value
  const char* expected;  // the file text starting at the mapped position
};

class InStringEscapes : public ::testing::TestWithParam<EscapeCase> {};

TEST_P(InStringEscapes, MapsDecodedColumnToTheEscapeThatProducedIt) {
  const EscapeCase& c = GetParam();
  const std::string text =
      std::string("definitions {\n  name: \"d\"\n  expr: \"") + c.literal +
      "\"\n}\n";
  const LoadedPolicy loaded = LoadText(text);
  ASSERT_EQ(loaded.policy.definitions(0).expr(), c.decoded);
  const FileLocation mapped =
      loaded.source_map.InString("definitions[0].expr", 1, c.column);
  ASSERT_EQ(mapped.line, 3);
  const size_t line_start = text.find("  expr");
  EXPECT_EQ(text.substr(line_start + mapped.column - 1,
                        std::string(c.expected).size()),
            c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    TextFormat, InStringEscapes,
    ::testing::Values(
        EscapeCase{R"(a\"b)", "a\"b", 3, "b"},
        EscapeCase{R"(a\"b)", "a\"b", 2, R"(\")"},
        EscapeCase{R"(\\x == 1)", "\\x == 1", 2, "x =="},
        EscapeCase{R"(\t\tz)", "\t\tz", 3, "z"},
        EscapeCase{R"(\'q\')", "'q'", 2, "q"},
        EscapeCase{R"(\x41\x4aZ)", "AJZ", 2, R"(\x4a)"},
        EscapeCase{R"(\x41\x4aZ)", "AJZ", 3, "Z"},
        EscapeCase{R"(\101\102C)", "ABC", 3, "C"},
        EscapeCase{R"(\0017)",
                   "\001"
                   "7",
                   2, "7"},
        EscapeCase{R"(\u00e9t\u00e9!)", "\xc3\xa9t\xc3\xa9!", 2,
                   R"(\u00e9t)"},  // second byte of the first é
        EscapeCase{R"(\u00e9t\u00e9!)", "\xc3\xa9t\xc3\xa9!", 3, "t"},
        EscapeCase{R"(\u00e9t\u00e9!)", "\xc3\xa9t\xc3\xa9!", 6, "!"},
        EscapeCase{"caf\xc3\xa9 x", "caf\xc3\xa9 x", 7, "x"},  // raw UTF-8
        EscapeCase{R"(a\?b)", "a?b", 3, "b"}));

TEST(SourceMap, InStringCountsLinesOfTheDecodedValue) {
  const std::string text = "definitions { expr: \"one\\ntwo\\n  three\" }";
  const LoadedPolicy loaded = LoadText(text);
  EXPECT_EQ(loaded.source_map.InString("definitions[0].expr", 2, 1),
            PositionOf(text, "two"));
  EXPECT_EQ(loaded.source_map.InString("definitions[0].expr", 3, 3),
            PositionOf(text, "three"));
}

TEST(SourceMap, InStringSkipsCommentsBetweenLiterals) {
  const std::string text =
      "definitions {\n  expr: 'ab'  # first half\n    # more\n  \"cd\"\n}\n";
  const LoadedPolicy loaded = LoadText(text);
  ASSERT_EQ(loaded.policy.definitions(0).expr(), "abcd");
  EXPECT_EQ(loaded.source_map.InString("definitions[0].expr", 1, 3),
            PositionOf(text, "cd"));
}

TEST(SourceMap, ColumnsCountBytesSoATabIsOneColumn) {
  const std::string text = "rules {\n\t\twhen: \"x\"\n}\n";
  const LoadedPolicy loaded = LoadText(text);
  EXPECT_EQ(loaded.source_map.Field("rules[0].when"), (FileLocation{2, 3}));
  EXPECT_EQ(loaded.source_map.InString("rules[0].when", 1, 1),
            (FileLocation{2, 10}));
}

TEST(SourceMap, MessageListSyntaxRecordsEachElement) {
  const std::string text =
      "rules: [ { id: \"a\" }, { id: \"b\" when: \"c\" } ]\n";
  const LoadedPolicy loaded = LoadText(text);
  EXPECT_EQ(loaded.source_map.Field("rules[0]"), PositionOf(text, "{ id: \"a"));
  EXPECT_EQ(loaded.source_map.Field("rules[1]"), PositionOf(text, "{ id: \"b"));
  EXPECT_EQ(loaded.source_map.Field("rules[1].when"), PositionOf(text, "when"));
}

TEST(SourceMap, SurvivesAMove) {
  LoadedPolicy loaded = LoadText(kPolicy);
  SourceMap moved = std::move(loaded.source_map);
  EXPECT_EQ(moved.Field("name"), (FileLocation{1, 1}));
}

constexpr absl::string_view kJsonPolicy = R"json({
  "name": "p",
  "rules": [
    {"id": "a", "when": "x &&\n  y \u0026\u0026 \"z\""},
    {"id": "b", "recommend": [{"action": "refund",
                               "params": {"amount": "min(1, 2)"}}]}
  ],
  "scoreModifiers": [{"id": "m", "tags": ["t0", "t1"]}]
})json";

TEST(JsonSourceMap, RecordsFieldsUnderProtoNames) {
  const LoadedPolicy loaded = LoadJson(kJsonPolicy);
  const SourceMap& map = loaded.source_map;
  EXPECT_EQ(map.Field("name"), PositionOf(kJsonPolicy, "\"name\""));
  EXPECT_EQ(map.Field("rules[0]"), PositionOf(kJsonPolicy, "{\"id\": \"a"));
  EXPECT_EQ(map.Field("rules[0].when"), PositionOf(kJsonPolicy, "\"when\""));
  EXPECT_EQ(map.Field("rules[1].recommend[0].params[amount]"),
            PositionOf(kJsonPolicy, "\"amount\""));
  EXPECT_EQ(map.Field("score_modifiers[0].tags[1]"),
            PositionOf(kJsonPolicy, "\"t1\""));
}

// A text policy's map is filled the first time a position is asked for
// (loading cleanly never walks the parse tree): the first queries may come
// from several threads at once, after the loaded policy has moved, and all
// see the same positions.
TEST(SourceMap, FillsOnFirstQueryFromAnyThreadAfterAMove) {
  LoadedPolicy loaded = LoadText(kPolicy);
  const LoadedPolicy moved = std::move(loaded);
  const SourceMap& map = moved.source_map;
  const std::vector<std::pair<std::string, FileLocation>> expected = {
      {"name", PositionOf(kPolicy, "name")},
      {"actions[1].id", PositionOf(kPolicy, "id: \"refund")},
      {"rules[0].when", PositionOf(kPolicy, "when")},
      {"rules[1].veto[1]", PositionOf(kPolicy, "\"apologize\"]")},
  };
  std::vector<std::vector<FileLocation>> seen(8);
  std::vector<std::thread> threads;
  for (std::vector<FileLocation>& mine : seen) {
    threads.emplace_back([&map, &expected, &mine] {
      for (const auto& [path, location] : expected) {
        mine.push_back(map.Field(path));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::vector<FileLocation>& mine : seen) {
    ASSERT_EQ(mine.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(mine[i], expected[i].second) << expected[i].first;
    }
  }
  EXPECT_EQ(map.InString("rules[0].when", 2, 3), PositionOf(kPolicy, "bb"));
}

TEST(JsonSourceMap, InStringDecodesJsonEscapes) {
  const LoadedPolicy loaded = LoadJson(kJsonPolicy);
  ASSERT_EQ(loaded.policy.rules(0).when(), "x &&\n  y && \"z\"");
  const SourceMap& map = loaded.source_map;
  EXPECT_EQ(map.InString("rules[0].when", 2, 3),
            PositionOf(kJsonPolicy, "y \\u"));
  EXPECT_EQ(map.InString("rules[0].when", 2, 6),
            PositionOf(kJsonPolicy, "\\u0026 "));
  EXPECT_EQ(map.InString("rules[0].when", 2, 9),
            PositionOf(kJsonPolicy, "z\\\""));
  EXPECT_EQ(map.InString("rules[1].recommend[0].params[amount]", 1, 5),
            PositionOf(kJsonPolicy, "1, 2"));
}

TEST(StringLiteral, MalformedLiteralsAreRejected) {
  EXPECT_EQ(DecodeStringValue("\"abc", 0, SourceSyntax::kText), std::nullopt);
  EXPECT_EQ(DecodeStringValue("\"a\\qb\"", 0, SourceSyntax::kText),
            std::nullopt);
  EXPECT_EQ(DecodeStringValue("\"a\\x\"", 0, SourceSyntax::kText),
            std::nullopt);
  EXPECT_EQ(DecodeStringValue("'a'", 0, SourceSyntax::kJson), std::nullopt);
  EXPECT_EQ(DecodeStringValue("\"a\nb\"", 0, SourceSyntax::kText),
            std::nullopt);
  EXPECT_EQ(FindInStringValue("\"abc", 0, SourceSyntax::kText, 1, 1),
            kNoOffset);
}

TEST(StringLiteral, DecodesSurrogatePairsAndLongUnicodeEscapes) {
  EXPECT_EQ(DecodeStringValue(R"("\ud83d\ude00")", 0, SourceSyntax::kJson),
            "\xf0\x9f\x98\x80");
  EXPECT_EQ(DecodeStringValue(R"("\U0001F600")", 0, SourceSyntax::kText),
            "\xf0\x9f\x98\x80");
  EXPECT_EQ(DecodeStringValue(R"("a" 'b' "c")", 0, SourceSyntax::kText), "abc");
  // JSON does not concatenate.
  EXPECT_EQ(DecodeStringValue(R"("a" "b")", 0, SourceSyntax::kJson), "a");
}

}  // namespace
}  // namespace tact::internal
