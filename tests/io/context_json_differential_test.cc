// Differential test of tact::ContextFromJson and ContextFromJsonInto (the
// fast reader, into a new or a reused message) against the path without
// the fast reader (internal::ReadContextJsonWithProtobuf: tact's guards and
// protobuf 3.21's JsonStringToMessage into an empty message). On every
// input both must answer the same: equal status code and message, and on
// success equal deterministic bytes. The inputs: every JSON context in the
// repository (examples/, tests/data/, the fuzz corpus when present),
// every scenario
// context (tests/scenarios, printed with both field name styles), the
// benchmark workload's 10,000 contexts, and thousands of deterministic
// mutations of them (byte flips, truncations, repeated keys, huge and odd
// numbers, deep nesting, invalid UTF-8, escapes, out-of-range integers and
// timestamps). The reused message is one message across the whole run, so
// each input is read over whatever the one before left in it.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "benchmarks/workload.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "src/common/deterministic_bytes.h"
#include "src/io/context_json_reader.h"
#include "tact/engine.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/policy_test.pb.h"

namespace tact::internal {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

std::string ToJson(const v1::Context& context, bool proto_names) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = proto_names;
  std::string json;
  EXPECT_TRUE(
      google::protobuf::util::MessageToJsonString(context, &json, options)
          .ok());
  return json;
}

// Compares the fast paths with the reference on `json`; `reused` is read
// into over whatever it holds. Returns whether the fast reader handled it.
bool CheckOne(absl::string_view json, v1::Context* reused) {
  v1::Context reference;
  const absl::Status expected = ReadContextJsonWithProtobuf(json, &reference);

  const absl::StatusOr<v1::Context> fresh = ContextFromJson(json);
  EXPECT_EQ(fresh.status(), expected) << json;
  if (fresh.ok() && expected.ok()) {
    EXPECT_EQ(DeterministicBytes(*fresh), DeterministicBytes(reference))
        << json;
  }

  const absl::Status into = ContextFromJsonInto(json, reused);
  EXPECT_EQ(into, expected) << json;
  if (into.ok() && expected.ok()) {
    EXPECT_EQ(DeterministicBytes(*reused), DeterministicBytes(reference))
        << json << "\nreused:\n"
        << reused->DebugString() << "reference:\n"
        << reference.DebugString();
  }
  if (!into.ok()) {
    EXPECT_EQ(reused->ByteSizeLong(), 0u) << "not cleared on error: " << json;
  }

  v1::Context scratch;
  return ReadContextJson(json, &scratch);
}

// Every JSON context stored in the repository and every scenario context.
std::vector<std::string> RepositoryContexts() {
  std::vector<std::string> out;
  for (const char* dir : {"examples/contexts", "tests/data/cli",
                          "tests/data/policy_test/contexts"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".json") {
        out.push_back(ReadFile(entry.path()));
      }
    }
  }
  {
    std::istringstream lines(ReadFile("examples/cases/sample_cases.jsonl"));
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty()) out.push_back(line);
    }
  }
  // The fuzz corpus is in the CMake tree only (Bazel has no fuzz package).
  if (fs::is_directory("fuzz/corpus/context_json")) {
    for (const auto& entry :
         fs::directory_iterator("fuzz/corpus/context_json")) {
      out.push_back(ReadFile(entry.path()));
    }
  }
  for (const auto& entry : fs::directory_iterator("tests/scenarios")) {
    if (entry.path().extension() != ".textproto") continue;
    v1::PolicyTestSuite suite;
    if (!google::protobuf::TextFormat::ParseFromString(ReadFile(entry.path()),
                                                       &suite)) {
      ADD_FAILURE() << "cannot read " << entry.path();
      continue;
    }
    for (const v1::PolicyTestCase& c : suite.cases()) {
      if (!c.has_context()) continue;
      out.push_back(ToJson(c.context(), false));
      out.push_back(ToJson(c.context(), true));
    }
  }
  return out;
}

// --- Mutations ---------------------------------------------------------------

// Where the value that starts at `at` ends (strings and nesting skipped).
size_t ValueEnd(const std::string& json, size_t at) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = at; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i;
      --depth;
    } else if (c == ',' && depth == 0) {
      return i;
    }
  }
  return json.size();
}

// The positions of `"key":` members in `json`.
std::vector<size_t> MemberStarts(const std::string& json) {
  std::vector<size_t> starts;
  for (size_t i = 0; i + 1 < json.size(); ++i) {
    if ((json[i] == '{' || json[i] == ',') && json[i + 1] == '"') {
      starts.push_back(i + 1);
    }
  }
  return starts;
}

// Positions of the digits that start a JSON number outside strings.
std::vector<std::pair<size_t, size_t>> Numbers(const std::string& json) {
  std::vector<std::pair<size_t, size_t>> numbers;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = i + 1;
      while (end < json.size() &&
             absl::string_view("0123456789.eE+-").find(json[end]) !=
                 absl::string_view::npos) {
        ++end;
      }
      numbers.emplace_back(i, end);
      i = end - 1;
    }
  }
  return numbers;
}

// Positions just inside a string value (after a ": \"").
std::vector<size_t> StringValues(const std::string& json) {
  std::vector<size_t> at;
  for (size_t i = 0; i + 1 < json.size(); ++i) {
    if (json[i] == ':' && json[i + 1] == '"') at.push_back(i + 2);
  }
  return at;
}

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  std::string Mutate(std::string json) {
    if (json.empty()) return json;
    switch (Below(10)) {
      case 0: {  // byte flips
        const int flips = 1 + static_cast<int>(Below(3));
        for (int f = 0; f < flips; ++f) {
          json[Below(json.size())] = static_cast<char>(Below(256));
        }
        return json;
      }
      case 1:  // truncation
        return json.substr(0, Below(json.size()));
      case 2: {  // a member repeated (same or other name style)
        const std::vector<size_t> starts = MemberStarts(json);
        if (starts.empty()) return json;
        const size_t start = starts[Below(starts.size())];
        const size_t end = ValueEnd(json, start);
        const std::string member = json.substr(start, end - start);
        return json.insert(end, "," + member);
      }
      case 3: {  // a number replaced by a huge, tiny or odd one
        static const std::string kNumbers[] = {"9223372036854775807",
                                               "9223372036854775808",
                                               "-9223372036854775808",
                                               "-9223372036854775809",
                                               "18446744073709551616",
                                               "1e400",
                                               "-1e400",
                                               "1e-400",
                                               "4.9e-324",
                                               "9007199254740993",
                                               "-0",
                                               "0.0",
                                               "1e2",
                                               "1E+2",
                                               "1.5",
                                               "007",
                                               "\"12\"",
                                               "\"-0\"",
                                               "\"1e2\"",
                                               "\"9223372036854775808\"",
                                               "\"NaN\"",
                                               "\"Infinity\"",
                                               "\"-Infinity\"",
                                               "\"nan\"",
                                               "null",
                                               "true",
                                               "1" + std::string(400, '0')};
        const auto numbers = Numbers(json);
        if (numbers.empty()) return json;
        const auto [from, to] = numbers[Below(numbers.size())];
        return json.replace(from, to - from,
                            kNumbers[Below(std::size(kNumbers))]);
      }
      case 4: {  // deep nesting in place of a value, or around the whole
        const size_t depth = Below(3) == 0 ? 100000 : 1 + Below(64);
        const bool arrays = Below(2) == 0;
        std::string open, close;
        for (size_t d = 0; d < depth; ++d) {
          open += arrays ? "[" : "{\"a\":";
          close += arrays ? "]" : "}";
        }
        const std::vector<size_t> starts = MemberStarts(json);
        if (starts.empty() || Below(4) == 0) return open + json + close;
        const size_t start = starts[Below(starts.size())];
        const size_t colon = json.find(':', start);
        if (colon == std::string::npos) return json;
        const size_t end = ValueEnd(json, colon + 1);
        json.insert(end, close);
        return json.insert(colon + 1, open);
      }
      case 5: {  // invalid or unusual UTF-8 inside a string
        static const char* const kBytes[] = {"\xff",
                                             "\xc3",
                                             "\xc0\xaf",
                                             "\xed\xa0\x80",
                                             "\xf4\x90\x80\x80",
                                             "\xe2\x82",
                                             "\x7f",
                                             "\xc3\xa9",
                                             "\xf0\x9f\x98\x80",
                                             "\x01",
                                             "\t"};
        const std::vector<size_t> at = StringValues(json);
        if (at.empty()) return json;
        return json.insert(at[Below(at.size())],
                           kBytes[Below(std::size(kBytes))]);
      }
      case 6: {  // escapes, valid and not
        static const char* const kEscapes[] = {
            "\\ud800",        "\\udc00",       "\\ud83d\\ude00",
            "\\ud83d\\u0041", "\\u0000",       "\\u00e9",
            "\\U00e9",        "\\x41",         "\\/",
            "\\b\\f",         "\\u12",         "\\",
            "\\ud83d\\ud83d", "\\uDBFF\\uDFFF"};
        const std::vector<size_t> at = StringValues(json);
        if (at.empty()) return json;
        return json.insert(at[Below(at.size())],
                           kEscapes[Below(std::size(kEscapes))]);
      }
      case 7: {  // a timestamp or duration out of range or odd
        static const char* const kTimes[] = {
            "\"0000-12-31T23:59:59Z\"",
            "\"0001-01-01T00:00:00Z\"",
            "\"0001-01-01T00:00:00+00:01\"",
            "\"9999-12-31T23:59:59Z\"",
            "\"9999-12-31T23:59:59-00:01\"",
            "\"10000-01-01T00:00:00Z\"",
            "\"2026-02-29T00:00:00Z\"",
            "\"2024-02-29T24:00:00Z\"",
            "\"2026-01-05T10:00:00.1234567891Z\"",
            "\"2026-01-05T10:00:00.Z\"",
            "\"2026-01-05t10:00:00z\"",
            "\"2026-01-05T10:00:00+24:00\"",
            "\"2026-01-05T10:00:00\"",
            "\"2026-01-05T10:00:60Z\"",
            "{\"seconds\": 1}",
            "1767607200"};
        const std::vector<size_t> at = StringValues(json);
        if (at.empty()) return json;
        const size_t start = at[Below(at.size())] - 1;
        const size_t end = ValueEnd(json, start);
        return json.replace(start, end - start,
                            kTimes[Below(std::size(kTimes))]);
      }
      case 8: {  // an unknown, Any-like or Struct-like member
        static const char* const kMembers[] = {
            "\"unknown\":1",
            "\"@type\":\"type.googleapis.com/tact.v1.Context\"",
            "\"attributes\":{\"x\":{\"structValue\":{}}}",
            "\"attributes\":{\"x\":null}",
            "\"attributes\":{\"x\":{\"boolValue\":true,\"intValue\":1}}",
            "\"attributes\":{\"x\":{\"durationValue\":\"1.5s\"}}",
            "\"attributes\":{\"x\":{\"durationValue\":\"-315576000001s\"}}",
            "\"history\":[null]",
            "\"history\":{}",
            "\"customer\":[]",
            "\"Customer\":{}"};
        const std::vector<size_t> starts = MemberStarts(json);
        if (starts.empty()) return json;
        return json.insert(
            starts[Below(starts.size())],
            std::string(kMembers[Below(std::size(kMembers))]) + ",");
      }
      default: {  // whitespace and name-style noise that stays valid
        const std::vector<size_t> starts = MemberStarts(json);
        if (starts.empty()) return json;
        return json.insert(starts[Below(starts.size())], " \n\t\r");
      }
    }
  }

 private:
  size_t Below(size_t n) { return static_cast<size_t>(rng_() % n); }
  std::mt19937 rng_;
};

// --- Tests -------------------------------------------------------------------

TEST(ContextJsonDifferential, RepositoryContexts) {
  const std::vector<std::string> contexts = RepositoryContexts();
  EXPECT_GT(contexts.size(), 300u);
  v1::Context reused;
  int handled = 0;
  for (const std::string& json : contexts) {
    if (CheckOne(json, &reused)) ++handled;
    if (HasFailure()) return;  // one report, not thousands
  }
  // The example contexts, the sample cases and every printed scenario
  // context take the fast path; only the fuzz corpus falls back.
  EXPECT_GT(handled, 300);
}

TEST(ContextJsonDifferential, EveryWorkloadContextTakesTheFastPath) {
  const std::vector<v1::Context> contexts = bench::GenerateContexts(10000);
  v1::Context reused;
  for (size_t i = 0; i < contexts.size(); ++i) {
    const std::string json = ToJson(contexts[i], i % 3 == 0);
    EXPECT_TRUE(CheckOne(json, &reused)) << "not handled: " << json;
    if (HasFailure()) return;
  }
}

TEST(ContextJsonDifferential, MutatedContexts) {
  std::vector<std::string> seeds = RepositoryContexts();
  const std::vector<v1::Context> workload = bench::GenerateContexts(300, 19);
  for (size_t i = 0; i < workload.size(); ++i) {
    seeds.push_back(ToJson(workload[i], i % 2 == 0));
  }
  Mutator mutator(20261205);
  v1::Context reused;
  int handled = 0, failed = 0;
  constexpr int kVariants = 8000;
  std::mt19937 pick(5);
  for (int i = 0; i < kVariants; ++i) {
    std::string json = seeds[pick() % seeds.size()];
    const int rounds = 1 + static_cast<int>(pick() % 2);
    for (int r = 0; r < rounds; ++r) json = mutator.Mutate(std::move(json));
    if (CheckOne(json, &reused)) ++handled;
    if (!ContextFromJsonInto(json, &reused).ok()) ++failed;
    if (HasFailure()) return;
  }
  // Both sides of the edge are exercised: some variants the fast reader
  // still takes, many it leaves to protobuf, and many are errors.
  EXPECT_GT(handled, kVariants / 10);
  EXPECT_GT(failed, kVariants / 10);
}

// A reused message keeps nothing of what the previous context set.
TEST(ContextJsonDifferential, ReusedMessageKeepsNothingOfThePreviousContext) {
  const std::string full = ToJson(bench::GenerateContexts(50, 3).back(), false);
  const char* const kNext[] = {
      "{}",
      R"({"customer": null, "case": null, "now": null, "history": null,
          "attributes": null})",
      R"({"customer": {}})",
      R"({"case": {"id": "c"}})",
      R"({"case": {"openedAt": null, "incidentAt": null}})",
      R"({"history": []})",
      R"({"history": [{}]})",
      R"({"history": [{"kind": "refund"}, {"at": "2026-01-01T00:00:00Z"}]})",
      R"({"attributes": {}})",
      R"({"attributes": {"vip": {}}})",
      R"({"now": "2026-01-05T10:00:00Z"})",
  };
  for (const char* next : kNext) {
    SCOPED_TRACE(next);
    v1::Context reused;
    ASSERT_TRUE(ContextFromJsonInto(full, &reused).ok());
    ASSERT_GT(reused.history_size(), 0);
    ASSERT_TRUE(reused.case_().has_opened_at());
    CheckOne(next, &reused);
  }
}

// Fields a binary parse kept that the schema does not have are gone too.
TEST(ContextJsonDifferential, ReusedMessageDropsUnknownFields) {
  v1::Context source;
  source.mutable_customer()->set_id("c1");
  source.mutable_case_()->set_id("k1");
  source.add_history()->set_kind("refund");
  std::string bytes = source.SerializeAsString();
  bytes += std::string("\xa0\x06\x01", 3);  // field 100, varint 1
  v1::Context reused;
  ASSERT_TRUE(reused.ParseFromString(bytes));
  ASSERT_GT(reused.ByteSizeLong(), source.ByteSizeLong());
  ASSERT_TRUE(
      ContextFromJsonInto(R"({"customer": {"id": "c2"}})", &reused).ok());
  v1::Context expected;
  expected.mutable_customer()->set_id("c2");
  EXPECT_EQ(DeterministicBytes(reused), DeterministicBytes(expected));
}

TEST(ContextJsonDifferential, MessageOnAnArena) {
  google::protobuf::Arena arena;
  auto* context = google::protobuf::Arena::CreateMessage<v1::Context>(&arena);
  const std::vector<v1::Context> contexts = bench::GenerateContexts(20, 4);
  for (const v1::Context& c : contexts) {
    ASSERT_TRUE(ContextFromJsonInto(ToJson(c, false), context).ok());
    EXPECT_EQ(DeterministicBytes(*context), DeterministicBytes(c));
  }
}

// On an error the message is left empty, whatever it held, and the status
// is ContextFromJson's.
TEST(ContextJsonDifferential, ErrorLeavesTheMessageCleared) {
  v1::Context reused;
  ASSERT_TRUE(ContextFromJsonInto(
                  ToJson(bench::GenerateContexts(1).front(), false), &reused)
                  .ok());
  const absl::Status status =
      ContextFromJsonInto(R"({"customer": {"spend12m": 1.5}})", &reused);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status,
            ContextFromJson(R"({"customer": {"spend12m": 1.5}})").status());
  EXPECT_EQ(reused.ByteSizeLong(), 0u);
  EXPECT_FALSE(reused.has_customer());
}

// Hostile nesting and size end fast with tact's error, not a deep
// recursion.
TEST(ContextJsonDifferential, HostileNestingIsRejectedByTheDepthGuard) {
  v1::Context reused;
  for (const std::string& json :
       {std::string(1 << 20, '['), std::string(1 << 20, '{'),
        "{\"attributes\":" + std::string(1 << 20, '[') + "}",
        "{\"customer\":" + std::string(100000, '{')}) {
    const absl::Status status = ContextFromJsonInto(json, &reused);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("nested more than 32 levels deep"),
              absl::string_view::npos)
        << status;
  }
}

}  // namespace
}  // namespace tact::internal
