// The schema-driven single-pass reader for tact.v1.Context JSON. Every
// function returns false as soon as the input leaves the forms the reader
// is certain about; see context_json_reader.h.
#include "src/io/context_json_reader.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>

#include "absl/strings/string_view.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "src/common/civil_time.h"
#include "src/common/timestamp_bounds.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {
namespace {

// The largest integer magnitude a double holds exactly.
constexpr int64_t kMaxExactDoubleInteger = int64_t{1} << 53;

// Which of a message's fields an object has named so far, by field number,
// so a second mention (under either name) is left to protobuf.
class SeenFields {
 public:
  // False when `number` was seen before.
  bool Add(int number) {
    const uint32_t bit = uint32_t{1} << number;
    if (bits_ & bit) return false;
    bits_ |= bit;
    return true;
  }

 private:
  uint32_t bits_ = 0;
};

// `json` equals either name of a field.
inline bool Is(absl::string_view key, absl::string_view json_name,
               absl::string_view proto_name) {
  return key == json_name || key == proto_name;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `width` digits at `p` into `*value`.
bool FixedDigits(const char* p, int width, int* value) {
  int v = 0;
  for (int i = 0; i < width; ++i) {
    if (!IsDigit(p[i])) return false;
    v = v * 10 + (p[i] - '0');
  }
  *value = v;
  return true;
}

// RFC 3339 as protobuf's ParseTime reads it, restricted to the canonical
// widths: YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|[+-]hh:mm).
bool ParseTimestamp(absl::string_view text, google::protobuf::Timestamp* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  if (text.size() < 20) return false;
  int year, month, day, hour, minute, second;
  if (!FixedDigits(p, 4, &year) || p[4] != '-' ||
      !FixedDigits(p + 5, 2, &month) || p[7] != '-' ||
      !FixedDigits(p + 8, 2, &day) || p[10] != 'T' ||
      !FixedDigits(p + 11, 2, &hour) || p[13] != ':' ||
      !FixedDigits(p + 14, 2, &minute) || p[16] != ':' ||
      !FixedDigits(p + 17, 2, &second)) {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 59) {
    return false;
  }
  p += 19;
  int32_t nanos = 0;
  if (p < end && *p == '.') {
    ++p;
    int digits = 0;
    while (p < end && IsDigit(*p)) {
      if (++digits > 9) return false;
      nanos = nanos * 10 + (*p - '0');
      ++p;
    }
    if (digits == 0) return false;
    for (; digits < 9; ++digits) nanos *= 10;
  }
  int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 +
                    minute * 60 + second;
  if (p >= end) return false;
  if (*p == 'Z') {
    ++p;
  } else if (*p == '+' || *p == '-') {
    const bool plus = *p == '+';
    int offset_hour, offset_minute;
    if (end - p != 6 || !FixedDigits(p + 1, 2, &offset_hour) || p[3] != ':' ||
        !FixedDigits(p + 4, 2, &offset_minute) || offset_hour > 23 ||
        offset_minute > 59) {
      return false;
    }
    const int64_t offset = (offset_hour * 60 + offset_minute) * 60;
    seconds += plus ? -offset : offset;
    p += 6;
  } else {
    return false;
  }
  if (p != end) return false;
  // protobuf keeps an offset time that leaves the range; the reader leaves
  // such rarities to it.
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
    return false;
  }
  out->set_seconds(seconds);
  out->set_nanos(nanos);
  return true;
}

// -?(0|[1-9][0-9]*)(\.[0-9]{1,9})?s within the Duration range.
bool ParseDuration(absl::string_view text, google::protobuf::Duration* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  if (p == end || end[-1] != 's') return false;
  const char* const stop = end - 1;
  const bool negative = *p == '-';
  if (negative) ++p;
  if (p == stop || !IsDigit(*p)) return false;
  if (*p == '0' && p + 1 < stop && IsDigit(p[1])) return false;
  int64_t seconds = 0;
  int digits = 0;
  while (p < stop && IsDigit(*p)) {
    if (++digits > 12) return false;
    seconds = seconds * 10 + (*p - '0');
    ++p;
  }
  int32_t nanos = 0;
  if (p < stop && *p == '.') {
    ++p;
    int fraction_digits = 0;
    while (p < stop && IsDigit(*p)) {
      if (++fraction_digits > 9) return false;
      nanos = nanos * 10 + (*p - '0');
      ++p;
    }
    if (fraction_digits == 0) return false;
    for (; fraction_digits < 9; ++fraction_digits) nanos *= 10;
  }
  if (p != stop || seconds > kMaxDurationSeconds) return false;
  out->set_seconds(negative ? -seconds : seconds);
  out->set_nanos(negative ? -nanos : nanos);
  return true;
}

// -?(0|[1-9][0-9]*) into an int64, false on any other form or overflow.
bool ParseInt64(absl::string_view text, int64_t* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p < end && *p == '-';
  if (negative) ++p;
  if (p == end || end - p > 19) return false;
  if (*p == '0' && end - p > 1) return false;
  uint64_t magnitude = 0;
  for (; p < end; ++p) {
    if (!IsDigit(*p)) return false;
    magnitude = magnitude * 10 + static_cast<uint64_t>(*p - '0');
  }
  const uint64_t limit =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) +
      (negative ? 1 : 0);
  if (magnitude > limit) return false;
  *out = negative ? static_cast<int64_t>(0 - magnitude)
                  : static_cast<int64_t>(magnitude);
  return true;
}

class Reader {
 public:
  explicit Reader(absl::string_view json)
      : p_(json.data()), end_(json.data() + json.size()) {}

  bool ReadContext(v1::Context* context) {
    SkipSpace();
    SeenFields seen;
    const bool ok = ReadObject([&](absl::string_view key) {
      if (key == "customer") {
        return seen.Add(1) && (ReadNull() || ReadCustomer(context));
      }
      if (key == "case") {
        return seen.Add(2) && (ReadNull() || ReadCase(context));
      }
      if (key == "history") {
        return seen.Add(3) && (ReadNull() || ReadHistory(context));
      }
      if (key == "now") {
        return seen.Add(4) && (ReadNull() || ReadTimestamp([&] {
                                 return context->mutable_now();
                               }));
      }
      if (key == "attributes") {
        return seen.Add(5) && (ReadNull() || ReadAttributes(context));
      }
      return false;
    });
    if (!ok) return false;
    SkipSpace();
    return p_ == end_;
  }

 private:
  // --- Tokens ---------------------------------------------------------------

  void SkipSpace() {
    while (p_ < end_ &&
           (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
      ++p_;
    }
  }

  bool Eat(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  bool EatWord(absl::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // Consumes a `null` literal when one is next.
  bool ReadNull() { return EatWord("null"); }

  // `{ "key": value, ... }`, calling member(key) with p_ at each value.
  // The key view lives until the next key is read.
  template <typename Member>
  bool ReadObject(Member&& member) {
    if (!Eat('{')) return false;
    SkipSpace();
    if (Eat('}')) return true;
    for (;;) {
      absl::string_view key;
      if (!ReadString(&key_scratch_, &key)) return false;
      SkipSpace();
      if (!Eat(':')) return false;
      SkipSpace();
      if (!member(key)) return false;
      SkipSpace();
      if (Eat(',')) {
        SkipSpace();
        continue;
      }
      return Eat('}');
    }
  }

  // A JSON string. `*out` views the input when the string has no escapes,
  // else `*scratch`, which holds the decoded text.
  bool ReadString(std::string* scratch, absl::string_view* out) {
    if (!Eat('"')) return false;
    const char* start = p_;
    // The common case: no escapes, ASCII only; eight plain bytes at a time.
    while (end_ - p_ >= 8 && !HasSpecialByte(p_)) p_ += 8;
    while (p_ < end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *out = absl::string_view(start, p_ - start);
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) break;
      ++p_;
    }
    scratch->assign(start, p_ - start);
    while (p_ < end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        *out = *scratch;
        return true;
      }
      if (c < 0x20) return false;
      if (c < 0x80 && c != '\\') {
        const char* run = p_;
        while (p_ < end_ && static_cast<unsigned char>(*p_) >= 0x20 &&
               static_cast<unsigned char>(*p_) < 0x80 && *p_ != '"' &&
               *p_ != '\\') {
          ++p_;
        }
        scratch->append(run, p_ - run);
        continue;
      }
      if (c >= 0x80) {
        const char* sequence = p_;
        if (!SkipUtf8Sequence()) return false;
        scratch->append(sequence, p_ - sequence);
        continue;
      }
      // An escape.
      ++p_;
      if (p_ >= end_) return false;
      const char e = *p_++;
      switch (e) {
        case '"':
          scratch->push_back('"');
          break;
        case '\\':
          scratch->push_back('\\');
          break;
        case '/':
          scratch->push_back('/');
          break;
        case 'b':
          scratch->push_back('\b');
          break;
        case 'f':
          scratch->push_back('\f');
          break;
        case 'n':
          scratch->push_back('\n');
          break;
        case 'r':
          scratch->push_back('\r');
          break;
        case 't':
          scratch->push_back('\t');
          break;
        case 'u': {
          uint32_t code;
          if (!ReadHex4(&code)) return false;
          if (code >= 0xDC00 && code <= 0xDFFF) return false;
          if (code >= 0xD800 && code <= 0xDBFF) {
            uint32_t low;
            if (!EatWord("\\u") || !ReadHex4(&low) || low < 0xDC00 ||
                low > 0xDFFF) {
              return false;
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(code, scratch);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  // Whether any of the eight bytes at `p` is '"', '\\', a control
  // character or non-ASCII (SWAR: a byte is zero iff its "haszero" bit is
  // set, with no false positive when the test is for "any").
  static bool HasSpecialByte(const char* p) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHighs = 0x8080808080808080ULL;
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    const auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHighs; };
    return ((v & kHighs) | ((v - 0x20 * kOnes) & ~v & kHighs) |
            has_zero(v ^ ('"' * kOnes)) | has_zero(v ^ ('\\' * kOnes))) != 0;
  }

  bool ReadHex4(uint32_t* code) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = p_[i];
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return false;
      }
      v = v * 16 + digit;
    }
    p_ += 4;
    *code = v;
    return true;
  }

  static void AppendUtf8(uint32_t code, std::string* out) {
    if (code < 0x80) {
      out->push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (code >> 6)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (code >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (code >> 18)));
      out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  // One well-formed UTF-8 sequence of two to four bytes (RFC 3629: no
  // overlong forms, no surrogates, nothing above U+10FFFF).
  bool SkipUtf8Sequence() {
    const auto byte = [&](int i) { return static_cast<unsigned char>(p_[i]); };
    const auto cont = [&](int i) { return (byte(i) & 0xC0) == 0x80; };
    const unsigned char lead = byte(0);
    const ptrdiff_t left = end_ - p_;
    if (lead >= 0xC2 && lead <= 0xDF) {
      if (left < 2 || !cont(1)) return false;
      p_ += 2;
      return true;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
      if (left < 3 || !cont(1) || !cont(2)) return false;
      if (lead == 0xE0 && byte(1) < 0xA0) return false;
      if (lead == 0xED && byte(1) > 0x9F) return false;
      p_ += 3;
      return true;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return false;
      if (lead == 0xF0 && byte(1) < 0x90) return false;
      if (lead == 0xF4 && byte(1) > 0x8F) return false;
      p_ += 4;
      return true;
    }
    return false;
  }

  // A JSON number token: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
  // `*integer` says whether it had neither fraction nor exponent.
  bool ReadNumberToken(absl::string_view* token, bool* integer) {
    const char* start = p_;
    Eat('-');
    if (p_ >= end_ || !IsDigit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && IsDigit(*p_)) ++p_;
    }
    *integer = true;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ >= end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
      *integer = false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ >= end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
      *integer = false;
    }
    *token = absl::string_view(start, p_ - start);
    return true;
  }

  // --- Typed values -----------------------------------------------------

  bool ReadStringValue(std::string* out) {
    absl::string_view text;
    if (!ReadString(&value_scratch_, &text)) return false;
    out->assign(text.data(), text.size());
    return true;
  }

  bool ReadInt64(int64_t* out) {
    if (p_ < end_ && *p_ == '"') {
      absl::string_view text;
      return ReadString(&value_scratch_, &text) && ParseInt64(text, out);
    }
    absl::string_view token;
    bool integer;
    return ReadNumberToken(&token, &integer) && integer &&
           ParseInt64(token, out);
  }

  bool ReadDouble(double* out) {
    if (p_ < end_ && *p_ == '"') {
      absl::string_view text;
      if (!ReadString(&value_scratch_, &text)) return false;
      if (text == "NaN") {
        *out = std::numeric_limits<double>::quiet_NaN();
      } else if (text == "Infinity") {
        *out = std::numeric_limits<double>::infinity();
      } else if (text == "-Infinity") {
        *out = -std::numeric_limits<double>::infinity();
      } else {
        return false;
      }
      return true;
    }
    absl::string_view token;
    bool integer;
    if (!ReadNumberToken(&token, &integer)) return false;
    if (integer) {
      // protobuf reads an integer token as an int64 and converts it, so
      // "-0" is +0.0; beyond 2^53 it checks exactness, which we leave to it.
      int64_t value;
      if (!ParseInt64(token, &value) || value > kMaxExactDoubleInteger ||
          value < -kMaxExactDoubleInteger) {
        return false;
      }
      *out = static_cast<double>(value);
      return true;
    }
    double value;
    const auto result =
        std::from_chars(token.data(), token.data() + token.size(), value);
    if (result.ec != std::errc() || result.ptr != token.data() + token.size() ||
        !std::isfinite(value)) {
      return false;
    }
    *out = value;
    return true;
  }

  bool ReadBool(bool* out) {
    if (EatWord("true")) {
      *out = true;
      return true;
    }
    if (EatWord("false")) {
      *out = false;
      return true;
    }
    return false;
  }

  template <typename Mutable>
  bool ReadTimestamp(Mutable mutable_timestamp) {
    absl::string_view text;
    return ReadString(&value_scratch_, &text) &&
           ParseTimestamp(text, mutable_timestamp());
  }

  template <typename Mutable>
  bool ReadDurationValue(Mutable mutable_duration) {
    absl::string_view text;
    return ReadString(&value_scratch_, &text) &&
           ParseDuration(text, mutable_duration());
  }

  // --- Messages ---------------------------------------------------------

  bool ReadCustomer(v1::Context* context) {
    v1::Customer* customer = context->mutable_customer();
    SeenFields seen;
    return ReadObject([&](absl::string_view key) {
      int64_t i;
      double d;
      if (key == "id") {
        return seen.Add(1) &&
               (ReadNull() || ReadStringValue(customer->mutable_id()));
      }
      if (key == "tier") {
        return seen.Add(2) &&
               (ReadNull() || ReadStringValue(customer->mutable_tier()));
      }
      if (Is(key, "spend12m", "spend_12m")) {
        if (!seen.Add(3)) return false;
        if (ReadNull()) return true;
        if (!ReadInt64(&i)) return false;
        customer->set_spend_12m(i);
        return true;
      }
      if (Is(key, "lifetimeValue", "lifetime_value")) {
        if (!seen.Add(4)) return false;
        if (ReadNull()) return true;
        if (!ReadInt64(&i)) return false;
        customer->set_lifetime_value(i);
        return true;
      }
      if (Is(key, "tenureDays", "tenure_days")) {
        if (!seen.Add(5)) return false;
        if (ReadNull()) return true;
        if (!ReadInt64(&i)) return false;
        customer->set_tenure_days(i);
        return true;
      }
      if (key == "influence") {
        if (!seen.Add(6)) return false;
        if (ReadNull()) return true;
        if (!ReadDouble(&d)) return false;
        customer->set_influence(d);
        return true;
      }
      if (Is(key, "orders12m", "orders_12m")) {
        if (!seen.Add(7)) return false;
        if (ReadNull()) return true;
        if (!ReadInt64(&i)) return false;
        customer->set_orders_12m(i);
        return true;
      }
      return false;
    });
  }

  bool ReadCase(v1::Context* context) {
    v1::Case* c = context->mutable_case_();
    SeenFields seen;
    return ReadObject([&](absl::string_view key) {
      if (key == "id") {
        return seen.Add(1) && (ReadNull() || ReadStringValue(c->mutable_id()));
      }
      if (key == "channel") {
        return seen.Add(2) &&
               (ReadNull() || ReadStringValue(c->mutable_channel()));
      }
      if (key == "category") {
        return seen.Add(3) &&
               (ReadNull() || ReadStringValue(c->mutable_category()));
      }
      if (key == "severity") {
        return seen.Add(4) &&
               (ReadNull() || ReadStringValue(c->mutable_severity()));
      }
      if (key == "sentiment") {
        if (!seen.Add(5)) return false;
        if (ReadNull()) return true;
        double d;
        if (!ReadDouble(&d)) return false;
        c->set_sentiment(d);
        return true;
      }
      if (key == "message") {
        return seen.Add(6) &&
               (ReadNull() || ReadStringValue(c->mutable_message()));
      }
      if (Is(key, "openedAt", "opened_at")) {
        return seen.Add(7) && (ReadNull() || ReadTimestamp([&] {
                                 return c->mutable_opened_at();
                               }));
      }
      if (Is(key, "incidentAt", "incident_at")) {
        return seen.Add(8) && (ReadNull() || ReadTimestamp([&] {
                                 return c->mutable_incident_at();
                               }));
      }
      if (Is(key, "ourFault", "our_fault")) {
        if (!seen.Add(9)) return false;
        if (ReadNull()) return true;
        bool b;
        if (!ReadBool(&b)) return false;
        c->set_our_fault(b);
        return true;
      }
      return false;
    });
  }

  bool ReadHistory(v1::Context* context) {
    if (!Eat('[')) return false;
    SkipSpace();
    if (Eat(']')) return true;
    for (;;) {
      if (!ReadEvent(context->add_history())) return false;
      SkipSpace();
      if (Eat(',')) {
        SkipSpace();
        continue;
      }
      return Eat(']');
    }
  }

  bool ReadEvent(v1::Event* event) {
    SeenFields seen;
    return ReadObject([&](absl::string_view key) {
      int64_t i;
      if (key == "at") {
        return seen.Add(1) && (ReadNull() || ReadTimestamp([&] {
                                 return event->mutable_at();
                               }));
      }
      if (key == "kind") {
        return seen.Add(2) &&
               (ReadNull() || ReadStringValue(event->mutable_kind()));
      }
      if (key == "amount") {
        if (!seen.Add(3)) return false;
        if (ReadNull()) return true;
        if (!ReadInt64(&i)) return false;
        event->set_amount(i);
        return true;
      }
      if (Is(key, "caseId", "case_id")) {
        return seen.Add(4) &&
               (ReadNull() || ReadStringValue(event->mutable_case_id()));
      }
      if (key == "ref") {
        return seen.Add(5) &&
               (ReadNull() || ReadStringValue(event->mutable_ref()));
      }
      if (key == "step") {
        if (!seen.Add(6)) return false;
        if (ReadNull()) return true;
        if (!ReadInt64(&i)) return false;
        event->set_step(i);
        return true;
      }
      return false;
    });
  }

  bool ReadAttributes(v1::Context* context) {
    auto* attributes = context->mutable_attributes();
    return ReadObject([&](absl::string_view key) {
      // A repeated key is an error in protobuf; leave it to it.
      std::string name(key.data(), key.size());
      if (attributes->find(name) != attributes->end()) return false;
      return ReadValue(&(*attributes)[name]);
    });
  }

  // {} or an object naming one member of Value's oneof (null is left to
  // protobuf).
  bool ReadValue(v1::Value* value) {
    bool set = false;
    return ReadObject([&](absl::string_view key) {
      if (set) return false;
      set = true;
      if (Is(key, "boolValue", "bool_value")) {
        bool b;
        if (!ReadBool(&b)) return false;
        value->set_bool_value(b);
        return true;
      }
      if (Is(key, "intValue", "int_value")) {
        int64_t i;
        if (!ReadInt64(&i)) return false;
        value->set_int_value(i);
        return true;
      }
      if (Is(key, "doubleValue", "double_value")) {
        double d;
        if (!ReadDouble(&d)) return false;
        value->set_double_value(d);
        return true;
      }
      if (Is(key, "stringValue", "string_value")) {
        return ReadStringValue(value->mutable_string_value());
      }
      if (Is(key, "timestampValue", "timestamp_value")) {
        return ReadTimestamp([&] { return value->mutable_timestamp_value(); });
      }
      if (Is(key, "durationValue", "duration_value")) {
        return ReadDurationValue(
            [&] { return value->mutable_duration_value(); });
      }
      return false;
    });
  }

  const char* p_;
  const char* const end_;
  std::string key_scratch_;
  std::string value_scratch_;
};

}  // namespace

bool ReadContextJson(absl::string_view json, v1::Context* context) {
  return Reader(json).ReadContext(context);
}

}  // namespace tact::internal
