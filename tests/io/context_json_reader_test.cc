// Differential tests of the fast context JSON reader against protobuf 3.21's
// JsonStringToMessage: whenever the reader handles an input, protobuf must
// accept it and build the same message (equal deterministic bytes).
#include "src/io/context_json_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "src/common/deterministic_bytes.h"
#include "tact/engine.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {
namespace {

enum class Expect { kHandled, kNotHandled, kEither };

// Checks the differential property on `json`; returns whether the fast
// reader handled it.
bool CheckAgainstProtobuf(absl::string_view json) {
  v1::Context fast;
  const bool handled = ReadContextJson(json, &fast);
  v1::Context reference;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &reference,
      options);
  if (handled) {
    EXPECT_TRUE(status.ok()) << "fast reader accepted what protobuf rejects ("
                             << status.message() << "): " << json;
    if (status.ok()) {
      EXPECT_EQ(DeterministicBytes(fast), DeterministicBytes(reference))
          << "different messages for: " << json << "\nfast:\n"
          << fast.DebugString() << "protobuf:\n"
          << reference.DebugString();
    }
  }
  return handled;
}

void Check(absl::string_view json, Expect expect) {
  SCOPED_TRACE(json);
  const bool handled = CheckAgainstProtobuf(json);
  if (expect == Expect::kHandled) {
    EXPECT_TRUE(handled) << json;
  } else if (expect == Expect::kNotHandled) {
    EXPECT_FALSE(handled) << json;
  }
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

TEST(ContextJsonReader, HandlesEveryExampleContextLikeProtobuf) {
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator("examples/contexts")) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_TRUE(CheckAgainstProtobuf(ReadFile(entry.path())));
    ++count;
  }
  EXPECT_GT(count, 10);
}

// Every field under its json_name and under its original name, so the
// reader's name tables cannot drift from the schema.
TEST(ContextJsonReader, AcceptsBothNamesOfEveryField) {
  const auto sample = [](const google::protobuf::FieldDescriptor& field) {
    using FD = google::protobuf::FieldDescriptor;
    if (field.is_map()) return std::string(R"({"k": {}})");
    if (field.is_repeated()) return std::string("[{}]");
    switch (field.cpp_type()) {
      case FD::CPPTYPE_STRING:
        return std::string(R"("x")");
      case FD::CPPTYPE_INT64:
        return std::string("7");
      case FD::CPPTYPE_DOUBLE:
        return std::string("0.5");
      case FD::CPPTYPE_BOOL:
        return std::string("true");
      case FD::CPPTYPE_MESSAGE: {
        const std::string type = field.message_type()->full_name();
        if (type == "google.protobuf.Timestamp") {
          return std::string(R"("2026-01-05T10:00:00Z")");
        }
        if (type == "google.protobuf.Duration") return std::string(R"("1s")");
        return std::string("{}");
      }
      default:
        ADD_FAILURE() << "field type the test does not know: "
                      << field.full_name();
        return std::string("null");
    }
  };
  // Wraps a member of `type` in the path from Context down to it.
  const auto wrap = [](const std::string& type, const std::string& member) {
    if (type == "tact.v1.Context") return "{" + member + "}";
    if (type == "tact.v1.Customer") return R"({"customer": {)" + member + "}}";
    if (type == "tact.v1.Case") return R"({"case": {)" + member + "}}";
    if (type == "tact.v1.Event") return R"({"history": [{)" + member + "}]}";
    return R"({"attributes": {"a": {)" + member + "}}}";
  };
  for (const google::protobuf::Descriptor* type :
       {v1::Context::descriptor(), v1::Customer::descriptor(),
        v1::Case::descriptor(), v1::Event::descriptor(),
        v1::Value::descriptor()}) {
    for (int i = 0; i < type->field_count(); ++i) {
      const google::protobuf::FieldDescriptor& field = *type->field(i);
      for (const std::string& name : {field.json_name(), field.name()}) {
        Check(wrap(type->full_name(),
                   absl::StrCat("\"", name, "\": ", sample(field))),
              Expect::kHandled);
      }
    }
  }
}

// --- Generated contexts ------------------------------------------------------

// Writes random contexts in the forms the reader is meant to handle, with
// random whitespace, name styles, numbers as strings, escapes, nulls,
// timestamps with fractions and offsets, and attributes of every kind.
class ContextGenerator {
 public:
  explicit ContextGenerator(uint32_t seed) : rng_(seed) {}

  std::string Context() {
    out_.clear();
    Message(*v1::Context::descriptor());
    return out_;
  }

 private:
  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  void Space() {
    static constexpr const char* kSpaces[] = {"",     "",   "",    " ",
                                              "\n  ", "\t", "\r\n"};
    out_ += kSpaces[Uniform(0, 6)];
  }

  // Writes the members numbered 0..count-1 that are present, in a shuffled
  // order.
  template <typename Write>
  void Members(Write write, int count) {
    std::vector<int> order(count);
    for (int i = 0; i < count; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng_);
    out_ += "{";
    bool first = true;
    for (int i : order) {
      if (!Chance(0.7)) continue;
      if (!first) out_ += ",";
      Space();
      write(i);
      first = false;
    }
    Space();
    out_ += "}";
  }

  template <typename Value>
  bool Member(const char* json_name, const char* proto_name, Value value) {
    out_ += "\"";
    out_ += Chance(0.5) ? json_name : proto_name;
    out_ += "\"";
    Space();
    out_ += ":";
    Space();
    if (Chance(0.05)) {
      out_ += "null";
    } else {
      value();
    }
    return true;
  }

  void Int64() {
    int64_t v;
    switch (Uniform(0, 5)) {
      case 0:
        v = Uniform(-5, 5);
        break;
      case 1:
        v = Uniform(0, 1000000);
        break;
      case 2:
        v = std::numeric_limits<int64_t>::max() - Uniform(0, 3);
        break;
      case 3:
        v = std::numeric_limits<int64_t>::min() + Uniform(0, 3);
        break;
      default:
        // Wraps modulo 2^64 in unsigned arithmetic (no signed overflow).
        v = static_cast<int64_t>(uint64_t{rng_()} * uint64_t{rng_()} -
                                 (uint64_t{1} << 40));
    }
    const std::string text = absl::StrCat(v);
    out_ += Chance(0.3) ? "\"" + text + "\"" : text;
  }

  void Double() {
    char buffer[64];
    switch (Uniform(0, 7)) {
      case 0: {
        static constexpr const char* kSpecial[] = {"\"NaN\"", "\"Infinity\"",
                                                   "\"-Infinity\""};
        out_ += kSpecial[Uniform(0, 2)];
        return;
      }
      case 1:
        out_ += absl::StrCat(Uniform(-1000, 1000));  // integer token
        return;
      case 2: {
        static constexpr const char* kForms[] = {"-0",
                                                 "0",
                                                 "-0.0",
                                                 "1e2",
                                                 "1E-2",
                                                 "2.5e+3",
                                                 "1e-320",
                                                 "0.1",
                                                 "9007199254740992",
                                                 "-9007199254740992",
                                                 "1.7976931348623157e308"};
        out_ += kForms[Uniform(0, 10)];
        return;
      }
      case 3:
        std::snprintf(buffer, sizeof buffer, "%.17g",
                      std::uniform_real_distribution<double>(-1, 1)(rng_));
        break;
      case 4:
        std::snprintf(buffer, sizeof buffer, "%.3f",
                      std::uniform_real_distribution<double>(-1, 1)(rng_));
        break;
      default:
        std::snprintf(
            buffer, sizeof buffer, "%.*g", Uniform(1, 17),
            std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng_),
                       Uniform(-900, 900)));
    }
    out_ += buffer;
  }

  void String() {
    static constexpr const char* kPieces[] = {"gold",
                                              "late delivery",
                                              "a",
                                              "\\\"",
                                              "\\\\",
                                              "\\/",
                                              "\\n",
                                              "\\t",
                                              "\\r",
                                              "\\b",
                                              "\\f",
                                              "\\u00e9",
                                              "\\u4E2D",
                                              "\\ud83d\\ude00",
                                              "\xc3\xa9",
                                              "\xe4\xb8\xad",
                                              "\xf0\x9f\x98\x80",
                                              "\xef\xbf\xbd",
                                              "\\u0041",
                                              " ",
                                              "{}[],:",
                                              "null"};
    out_ += "\"";
    const int pieces = Uniform(0, 4);
    for (int i = 0; i < pieces; ++i) out_ += kPieces[Uniform(0, 21)];
    out_ += "\"";
  }

  void Bool() { out_ += Chance(0.5) ? "true" : "false"; }

  void Timestamp() {
    const int year = Uniform(2, 9998);
    const int month = Uniform(1, 12);
    static constexpr int kDays[] = {0,  31, 29, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    int day = Uniform(1, kDays[month]);
    const bool leap = year % 400 == 0 || (year % 4 == 0 && year % 100 != 0);
    if (month == 2 && day == 29 && !leap) day = 28;
    std::string text =
        absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d", year, month, day,
                        Uniform(0, 23), Uniform(0, 59), Uniform(0, 59));
    const int fraction = Uniform(-3, 9);
    if (fraction > 0) {
      text += ".";
      for (int i = 0; i < fraction; ++i)
        text += static_cast<char>('0' + Uniform(0, 9));
    }
    if (Chance(0.6)) {
      text += "Z";
    } else {
      text += absl::StrFormat("%c%02d:%02d", Chance(0.5) ? '+' : '-',
                              Uniform(0, 23), Uniform(0, 59));
    }
    out_ += "\"" + text + "\"";
  }

  void Duration() {
    std::string text = Chance(0.3) ? "-" : "";
    switch (Uniform(0, 2)) {
      case 0:
        text += absl::StrCat(Uniform(0, 100));
        break;
      case 1:
        text += absl::StrCat(Uniform(0, 1000000000));
        break;
      default:
        text += "315576000000";
    }
    const int fraction = Uniform(-2, 9);
    if (fraction > 0) {
      text += ".";
      for (int i = 0; i < fraction; ++i)
        text += static_cast<char>('0' + Uniform(0, 9));
    }
    out_ += "\"" + text + "s\"";
  }

  // The fields of `type` (from the descriptor, not the reader's table),
  // each under either name.
  void Message(const google::protobuf::Descriptor& type) {
    if (type.oneof_decl_count() > 0) return Oneof(type);
    Members(
        [&](int i) {
          const google::protobuf::FieldDescriptor& field = *type.field(i);
          return Member(field.json_name().c_str(), field.name().c_str(),
                        [&] { FieldValue(field); });
        },
        type.field_count());
  }

  void FieldValue(const google::protobuf::FieldDescriptor& field) {
    using FD = google::protobuf::FieldDescriptor;
    if (field.is_map()) return Map(*field.message_type()->map_value());
    if (field.is_repeated()) return List(*field.message_type());
    switch (field.cpp_type()) {
      case FD::CPPTYPE_STRING:
        return String();
      case FD::CPPTYPE_INT64:
        return Int64();
      case FD::CPPTYPE_DOUBLE:
        return Double();
      case FD::CPPTYPE_BOOL:
        return Bool();
      case FD::CPPTYPE_MESSAGE: {
        const std::string& type = field.message_type()->full_name();
        if (type == "google.protobuf.Timestamp") return Timestamp();
        if (type == "google.protobuf.Duration") return Duration();
        return Message(*field.message_type());
      }
      default:
        ADD_FAILURE() << "field type the generator does not know: "
                      << field.full_name();
    }
  }

  void List(const google::protobuf::Descriptor& type) {
    out_ += "[";
    const int elements = Uniform(0, 3);
    for (int i = 0; i < elements; ++i) {
      if (i > 0) out_ += ",";
      Space();
      Message(type);
    }
    Space();
    out_ += "]";
  }

  // {} or an object with one member of the oneof (Value).
  void Oneof(const google::protobuf::Descriptor& type) {
    out_ += "{";
    Space();
    const bool json_name = Chance(0.5);
    const int i = Uniform(0, type.field_count());
    if (i < type.field_count()) {
      const google::protobuf::FieldDescriptor& field = *type.field(i);
      out_ += absl::StrCat("\"", json_name ? field.json_name() : field.name(),
                           "\":");
      FieldValue(field);
    }
    Space();
    out_ += "}";
  }

  void Map(const google::protobuf::FieldDescriptor& value) {
    out_ += "{";
    const int count = Uniform(0, 5);
    for (int i = 0; i < count; ++i) {
      if (i > 0) out_ += ",";
      Space();
      // Distinct names; some spelled with escapes.
      out_ += Chance(0.2) ? absl::StrCat("\"\\u0061ttr", i, "\":")
                          : absl::StrCat("\"attr", i, "\":");
      Space();
      FieldValue(value);
    }
    Space();
    out_ += "}";
  }

  std::mt19937 rng_;
  std::string out_;
};

TEST(ContextJsonReader, HandlesGeneratedContextsLikeProtobuf) {
  ContextGenerator generator(20260105);
  int handled = 0;
  constexpr int kContexts = 3000;
  for (int i = 0; i < kContexts; ++i) {
    const std::string json = generator.Context();
    SCOPED_TRACE(json);
    if (CheckAgainstProtobuf(json)) ++handled;
    if (HasFailure()) return;  // one report, not thousands
  }
  // The generator writes only forms the reader takes; all but the rare
  // extreme double (the 1e-320-style underflows) are handled.
  EXPECT_GT(handled, kContexts * 9 / 10);
}

// Byte-level damage to generated contexts: whatever the reader still
// handles must be what protobuf builds.
TEST(ContextJsonReader, DamagedContextsAreHandledOnlyLikeProtobuf) {
  ContextGenerator generator(7);
  std::mt19937 rng(11);
  static constexpr char kBytes[] =
      "{}[],:\"\\ -+.eE0123456789nutrfalsNIZT\x80\xc3";
  for (int i = 0; i < 3000; ++i) {
    std::string json = generator.Context();
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !json.empty(); ++e) {
      const size_t at = rng() % json.size();
      const char byte = kBytes[rng() % (sizeof kBytes - 1)];
      switch (rng() % 3) {
        case 0:
          json.erase(at, 1);
          break;
        case 1:
          json.insert(at, 1, byte);
          break;
        default:
          json[at] = byte;
      }
    }
    SCOPED_TRACE(json);
    CheckAgainstProtobuf(json);
    if (HasFailure()) return;
  }
}

// --- Hand-written cases ------------------------------------------------------

TEST(ContextJsonReader, TrickyInputs) {
  const struct {
    const char* json;
    Expect expect;
  } kCases[] = {
      // Numbers.
      {R"({"customer": {"spend12m": -9223372036854775808}})", Expect::kHandled},
      {R"({"customer": {"spend12m": "9223372036854775807"}})",
       Expect::kHandled},
      {R"({"customer": {"spend12m": 9223372036854775808}})",
       Expect::kNotHandled},
      {R"({"customer": {"spend12m": "-0"}})", Expect::kHandled},
      {R"({"customer": {"spend12m": 1.5}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": 1e2}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": 1.0}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": "007"}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": 007}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": "1e2"}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": " 1"}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": +1}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": true}})", Expect::kNotHandled},
      {R"({"customer": {"influence": -0}})", Expect::kHandled},
      {R"({"customer": {"influence": -0.0}})", Expect::kHandled},
      {R"({"customer": {"influence": 0.1e1}})", Expect::kHandled},
      {R"({"customer": {"influence": 1E+2}})", Expect::kHandled},
      {R"({"customer": {"influence": 9007199254740993}})", Expect::kNotHandled},
      {R"({"customer": {"influence": 1e400}})", Expect::kNotHandled},
      {R"({"customer": {"influence": .5}})", Expect::kNotHandled},
      {R"({"customer": {"influence": 5.}})", Expect::kNotHandled},
      {R"({"customer": {"influence": "NaN"}})", Expect::kHandled},
      {R"({"customer": {"influence": "-Infinity"}})", Expect::kHandled},
      {R"({"customer": {"influence": "nan"}})", Expect::kNotHandled},
      {R"({"customer": {"influence": "0.5"}})", Expect::kNotHandled},
      {R"({"customer": {"influence": NaN}})", Expect::kNotHandled},
      // Bools and nulls.
      {R"({"case": {"ourFault": false}})", Expect::kHandled},
      {R"({"case": {"ourFault": "true"}})", Expect::kNotHandled},
      {R"({"case": {"ourFault": 1}})", Expect::kNotHandled},
      {R"({"customer": null, "case": null, "history": null, "now": null,
          "attributes": null})",
       Expect::kHandled},
      {R"({"customer": {"id": null, "spend12m": null, "influence": null},
          "case": {"openedAt": null, "ourFault": null},
          "history": [{"at": null, "amount": null}]})",
       Expect::kHandled},
      {R"({"history": [null]})", Expect::kNotHandled},
      {R"({"attributes": {"a": null}})", Expect::kNotHandled},
      {R"({"attributes": {"a": {"intValue": null}}})", Expect::kNotHandled},
      // Names and duplicates.
      {R"({"customer": {"id": "a", "id": "b"}})", Expect::kNotHandled},
      {R"({"customer": {"spend12m": 1, "spend_12m": 2}})", Expect::kNotHandled},
      {R"({"customer": {}, "customer": {}})", Expect::kNotHandled},
      {R"({"attributes": {"a": {}, "a": {}}})", Expect::kNotHandled},
      {R"({"attributes": {"a": {}, "\u0061": {}}})", Expect::kNotHandled},
      {R"({"attributes": {"a": {"intValue": 1, "boolValue": true}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"a": {"intValue": 1, "int_value": 1}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"": {"intValue": 1}}})", Expect::kHandled},
      {R"({"attributes": {"a": {"intValue": 0}}})", Expect::kHandled},
      {R"({"attributes": {"a": {"stringValue": ""}}})", Expect::kHandled},
      {R"({"customer": {"Id": "a"}})", Expect::kNotHandled},
      {R"({"customer": {"spend12M": 1}})", Expect::kNotHandled},
      {R"({"cust\u006fmer": {"id": "a"}})", Expect::kHandled},
      {R"({"customer": {"tierr": "gold"}})", Expect::kNotHandled},
      {R"({customer: {}})", Expect::kNotHandled},
      {R"({'customer': {}})", Expect::kNotHandled},
      // Strings.
      {R"({"customer": {"id": "\u00e9\ud83d\ude00\u4e2d\/\b\f\n\r\t\"\\"}})",
       Expect::kHandled},
      {"{\"customer\": {\"id\": \"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"}}",
       Expect::kHandled},
      {R"({"customer": {"id": "\ud83d"}})", Expect::kNotHandled},
      {R"({"customer": {"id": "\ude00"}})", Expect::kNotHandled},
      {R"({"customer": {"id": "\ud83d\u0041"}})", Expect::kNotHandled},
      {R"({"customer": {"id": "\x41"}})", Expect::kNotHandled},
      {R"({"customer": {"id": "\u00"}})", Expect::kNotHandled},
      {R"({"customer": {"id": "\u0000"}})", Expect::kEither},
      {"{\"customer\": {\"id\": \"a\tb\"}}", Expect::kNotHandled},
      {"{\"customer\": {\"id\": \"\xc3\"}}", Expect::kNotHandled},
      {"{\"customer\": {\"id\": \"\xc0\x80\"}}", Expect::kNotHandled},
      {"{\"customer\": {\"id\": \"\xed\xa0\x80\"}}", Expect::kNotHandled},
      {"{\"customer\": {\"id\": \"\xf4\x90\x80\x80\"}}", Expect::kNotHandled},
      {"{\"customer\": {\"id\": \"\xff\"}}", Expect::kNotHandled},
      {R"({"customer": {"id": 5}})", Expect::kNotHandled},
      // Timestamps.
      {R"({"now": "2024-02-29T23:59:59.123456789+05:30"})", Expect::kHandled},
      {R"({"now": "0001-01-01T00:00:00Z"})", Expect::kHandled},
      {R"({"now": "9999-12-31T23:59:59.999999999Z"})", Expect::kHandled},
      {R"({"now": "0001-01-01T00:00:00+01:00"})", Expect::kNotHandled},
      {R"({"now": "9999-12-31T23:59:59-00:01"})", Expect::kNotHandled},
      {R"({"now": "1969-12-31T23:59:59.5Z"})", Expect::kHandled},
      {R"({"now": "2026-01-05T10:00:00-23:59"})", Expect::kHandled},
      {R"({"now": "2026-02-29T00:00:00Z"})", Expect::kNotHandled},
      {R"({"now": "2100-02-29T00:00:00Z"})", Expect::kNotHandled},
      {R"({"now": "2000-02-29T00:00:00Z"})", Expect::kHandled},
      {R"({"now": "2026-01-05T10:00:60Z"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05T24:00:00Z"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05T10:00:00.1234567890Z"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05T10:00:00.Z"})", Expect::kNotHandled},
      {R"({"now": "2026-1-05T10:00:00Z"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05t10:00:00z"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05 10:00:00Z"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05T10:00:00"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05T10:00:00+0100"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05T10:00:00+24:00"})", Expect::kNotHandled},
      {R"({"now": "2026-01-05T10:00:00Z "})", Expect::kNotHandled},
      {R"({"now": 1767607200})", Expect::kNotHandled},
      {R"({"now": {"seconds": 1}})", Expect::kNotHandled},
      // Durations.
      {R"({"attributes": {"d": {"durationValue": "-0.5s"}}})",
       Expect::kHandled},
      {R"({"attributes": {"d": {"durationValue": "0s"}}})", Expect::kHandled},
      {R"({"attributes": {"d": {"durationValue": "-0s"}}})", Expect::kHandled},
      {R"({"attributes": {"d": {"durationValue": "1.000000001s"}}})",
       Expect::kHandled},
      {R"({"attributes": {"d": {"durationValue": "-315576000000.999999999s"}}})",
       Expect::kHandled},
      {R"({"attributes": {"d": {"durationValue": "315576000001s"}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"d": {"durationValue": "1.5"}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"d": {"durationValue": "1.s"}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"d": {"durationValue": ".5s"}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"d": {"durationValue": "+1s"}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"d": {"durationValue": "01s"}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"d": {"durationValue": "1.0000000001s"}}})",
       Expect::kNotHandled},
      {R"({"attributes": {"d": {"durationValue": 1}}})", Expect::kNotHandled},
      // Structure.
      {"", Expect::kNotHandled},
      {"{}", Expect::kHandled},
      {" \n{}\r\n\t", Expect::kHandled},
      {"{}\f", Expect::kNotHandled},
      {"\xef\xbb\xbf{}", Expect::kNotHandled},
      {"{} {}", Expect::kNotHandled},
      {"{}x", Expect::kNotHandled},
      {"[]", Expect::kNotHandled},
      {"null", Expect::kNotHandled},
      {R"({"customer": {},})", Expect::kNotHandled},
      {R"({"history": [{},]})", Expect::kNotHandled},
      {R"({"history": [{}, {}]})", Expect::kHandled},
      {R"({"history": {}})", Expect::kNotHandled},
      {R"({"attributes": []})", Expect::kNotHandled},
      {R"({"customer": {"id": "a"})", Expect::kNotHandled},
      {R"({"customer" {"id": "a"}})", Expect::kNotHandled},
  };
  for (const auto& c : kCases) Check(c.json, c.expect);
}

// The reader scans plain string bytes eight at a time; put each kind of
// special byte at every offset around those blocks.
TEST(ContextJsonReader, SpecialBytesAtEveryOffsetOfAString) {
  const struct {
    const char* special;
    Expect expect;
  } kSpecials[] = {
      {"\\\"", Expect::kHandled},
      {"\\n", Expect::kHandled},
      {"\\u00e9", Expect::kHandled},
      {"\xc3\xa9", Expect::kHandled},
      {"\xf0\x9f\x98\x80", Expect::kHandled},
      {"\x7f", Expect::kHandled},
      {"\\", Expect::kHandled},  // with the next 'b': the escape \b
      {"\x1f", Expect::kNotHandled},
      {"\xc3", Expect::kNotHandled},
      {"\x80", Expect::kNotHandled},
      {"\"", Expect::kNotHandled},
  };
  for (const auto& s : kSpecials) {
    for (int before = 0; before <= 17; ++before) {
      const std::string text =
          std::string(before, 'a') + s.special + std::string(9, 'b');
      Check(absl::StrCat(R"({"customer": {"id": ")", text, R"("}})"), s.expect);
    }
  }
}

// ContextFromJson answers protobuf's errors, located, on what the fast
// reader leaves to it.
TEST(ContextJsonReader, ContextFromJsonKeepsProtobufErrors) {
  auto context = ContextFromJson(R"({"customer": {"spend12m": 1.5}})");
  ASSERT_FALSE(context.ok());
  EXPECT_NE(context.status().message().find("invalid context JSON"),
            absl::string_view::npos);
  auto accepted = ContextFromJson(R"({"customer": {"spend12m": 1e2}})");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->customer().spend_12m(), 100);
}

}  // namespace
}  // namespace tact::internal
