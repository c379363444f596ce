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

#include "absl/base/attributes.h"
#include "absl/numeric/bits.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "src/common/civil_time.h"
#include "src/common/context_fields.h"
#include "src/common/timestamp_bounds.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {
namespace {

// The largest integer magnitude a double holds exactly.
constexpr int64_t kMaxExactDoubleInteger = int64_t{1} << 53;

// Whether a uint64_t loaded from memory holds the first byte lowest (the
// block scan in ReadString needs it; elsewhere strings go byte by byte).
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr bool kLittleEndian = true;
#else
constexpr bool kLittleEndian = false;
#endif

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
  bool Has(int number) const { return (bits_ >> number) & 1; }

 private:
  uint32_t bits_ = 0;
};

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

// --- Reusing a message ------------------------------------------------------
//
// ReadContextJson fills a message a previous context may have left full.
// Reset gives every field its default but keeps the objects behind it (a
// sub-message stays present, a string keeps its capacity); history events
// are reset one by one as the list reuses them. Once an object is read,
// Finish unsets each sub-message and list the input did not set (absent or
// null), so the message is what a freshly built one would be.

#define TACT_RESET_ROW(m, number, accessor, proto, json, KIND, Type) \
  TACT_RESET_##KIND(m, accessor)
#define TACT_RESET_STRING(m, accessor) \
  if (!m->accessor().empty()) m->mutable_##accessor()->clear();
#define TACT_RESET_INT64(m, accessor) m->set_##accessor(0);
#define TACT_RESET_DOUBLE(m, accessor) m->set_##accessor(0.0);
#define TACT_RESET_BOOL(m, accessor) m->set_##accessor(false);
#define TACT_RESET_TIMESTAMP(m, accessor) \
  if (m->has_##accessor()) m->mutable_##accessor()->Clear();
#define TACT_RESET_DURATION TACT_RESET_TIMESTAMP
#define TACT_RESET_MESSAGE(m, accessor) \
  if (m->has_##accessor()) Reset(m->mutable_##accessor());
#define TACT_RESET_REPEATED(m, accessor)
#define TACT_RESET_MAP(m, accessor) \
  if (!m->accessor().empty()) m->mutable_##accessor()->clear();

#define TACT_FINISH_ROW(m, set, number, accessor, proto, json, KIND, Type) \
  TACT_FINISH_##KIND(m, set, number, accessor)
#define TACT_FINISH_STRING(m, set, number, accessor)
#define TACT_FINISH_INT64(m, set, number, accessor)
#define TACT_FINISH_DOUBLE(m, set, number, accessor)
#define TACT_FINISH_BOOL(m, set, number, accessor)
#define TACT_FINISH_TIMESTAMP(m, set, number, accessor) \
  if (!set.Has(number)) m->clear_##accessor();
#define TACT_FINISH_DURATION TACT_FINISH_TIMESTAMP
#define TACT_FINISH_MESSAGE TACT_FINISH_TIMESTAMP
#define TACT_FINISH_REPEATED TACT_FINISH_TIMESTAMP
#define TACT_FINISH_MAP(m, set, number, accessor)

// Fields a binary parse kept that the schema does not have (the type's
// reflection looked up once: asking a message for it costs a descriptor
// check each time).
template <typename Message>
void ClearUnknownFields(Message* m) {
  static const google::protobuf::Reflection* const reflection =
      Message::GetReflection();
  if (!reflection->GetUnknownFields(*m).empty()) {
    reflection->MutableUnknownFields(m)->Clear();
  }
}

#define TACT_DEFINE_REUSE(Type)                                     \
  void Reset(v1::Type* m) {                                         \
    TACT_V1_FIELDS_##Type(TACT_RESET_ROW, m) ClearUnknownFields(m); \
  }                                                                 \
  void Finish(v1::Type* m, const SeenFields& set) {                 \
    TACT_V1_FIELDS_##Type(TACT_FINISH_ROW, m, set)                  \
  }
TACT_DEFINE_REUSE(Customer)
TACT_DEFINE_REUSE(Case)
TACT_DEFINE_REUSE(Event)
TACT_DEFINE_REUSE(Context)
#undef TACT_DEFINE_REUSE

class Reader {
 public:
  explicit Reader(absl::string_view json)
      : p_(json.data()), end_(json.data() + json.size()) {}

  bool ReadContext(v1::Context* context) {
    SkipSpace();
    if (!ReadInto(context)) return false;
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
  // The plain string (no escape, ASCII only) inline; others out of line.
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool ReadString(std::string* scratch,
                                               absl::string_view* out) {
    if (!Eat('"')) return false;
    const char* start = p_;
    // The common case: no escapes, ASCII only; eight bytes at a time, the
    // first special byte found from the mask's lowest bit.
    if (kLittleEndian) {
      while (end_ - p_ >= 8) {
        const uint64_t special = SpecialBytes(p_);
        if (special == 0) {
          p_ += 8;
          continue;
        }
        p_ += absl::countr_zero(special) / 8;
        if (*p_ == '"') {
          *out = absl::string_view(start, p_ - start);
          ++p_;
          return true;
        }
        break;  // an escape, a control character or non-ASCII
      }
    }
    return ReadStringRest(start, scratch, out);
  }

  // The rest of a string that started at `start` (after its quote), from
  // p_ on.
  ABSL_ATTRIBUTE_NOINLINE bool ReadStringRest(const char* start,
                                              std::string* scratch,
                                              absl::string_view* out) {
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

  // A mask with the high bit of each of the eight bytes at `p` (in memory
  // order from the lowest byte, on a little-endian machine) that is '"',
  // '\\', a control character or non-ASCII. SWAR: a borrow makes a false
  // positive only above a true one, so the mask's lowest set bit marks the
  // first special byte exactly (and the mask is zero iff there is none).
  static uint64_t SpecialBytes(const char* p) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHighs = 0x8080808080808080ULL;
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    const auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHighs; };
    return (v & kHighs) | ((v - 0x20 * kOnes) & ~v & kHighs) |
           has_zero(v ^ ('"' * kOnes)) | has_zero(v ^ ('\\' * kOnes));
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
  //
  // Driven by the field table (src/common/context_fields.h): FieldReader
  // reads the value of the field ReadContextField finds for a key.

  // Reads one field's value. A member of a message may be null ("leave the
  // field unset") and is named at most once (`seen`); a oneof's member
  // (`seen` null) may not be null, and the caller allows only one.
  class FieldReader {
   public:
    // `set` (null with `seen`) collects the fields given a non-null value.
    FieldReader(Reader* reader, SeenFields* seen, SeenFields* set)
        : r_(reader), seen_(seen), set_(set) {}

    bool Unknown(absl::string_view) const { return false; }

    template <typename Mutable>
    ABSL_ATTRIBUTE_ALWAYS_INLINE bool Into(ContextFieldInfo f,
                                           Mutable mutable_field) {
      bool null;
      if (!Begin(f, &null)) return false;
      if (null) return true;
      if (set_ != nullptr) set_->Add(f.number);
      return r_->ReadInto(mutable_field());
    }
    template <typename T, typename Set>
    ABSL_ATTRIBUTE_ALWAYS_INLINE bool Scalar(ContextFieldInfo f, Set set) {
      bool null;
      if (!Begin(f, &null)) return false;
      if (null) return true;
      T value;
      if (!r_->ReadInto(&value)) return false;
      set(value);
      return true;
    }

   private:
    // False when the field was named before; `*null` when its value is null
    // (then read).
    ABSL_ATTRIBUTE_ALWAYS_INLINE bool Begin(ContextFieldInfo f, bool* null) {
      if (seen_ == nullptr) {
        *null = false;
        return true;
      }
      if (!seen_->Add(f.number)) return false;
      *null = r_->ReadNull();
      return true;
    }

    Reader* const r_;
    SeenFields* const seen_;
    SeenFields* const set_;
  };

  // The value of a field, by the type of its destination.
  bool ReadInto(std::string* out) { return ReadStringValue(out); }
  bool ReadInto(int64_t* out) { return ReadInt64(out); }
  bool ReadInto(double* out) { return ReadDouble(out); }
  bool ReadInto(bool* out) { return ReadBool(out); }
  bool ReadInto(google::protobuf::Timestamp* out) {
    return ReadTimestamp([out] { return out; });
  }
  bool ReadInto(google::protobuf::Duration* out) {
    return ReadDurationValue([out] { return out; });
  }

  // An object of `message`'s fields.
  template <typename Message>
  bool ReadInto(Message* message) {
    SeenFields seen, set;
    FieldReader fields(this, &seen, &set);
    if (!ReadObject([&](absl::string_view key) {
          return ReadContextField(message, key, fields);
        })) {
      return false;
    }
    Finish(message, set);
    return true;
  }

  // {} or an object naming one member of Value's oneof (null is left to
  // protobuf).
  bool ReadInto(v1::Value* value) {
    bool set = false;
    FieldReader member(this, nullptr, nullptr);
    return ReadObject([&](absl::string_view key) {
      if (set) return false;
      set = true;
      return ReadContextField(value, key, member);
    });
  }

  // A list, reusing (after Reset) the elements a previous context left and
  // dropping those it does not need.
  template <typename Message>
  bool ReadInto(google::protobuf::RepeatedPtrField<Message>* list) {
    if (!Eat('[')) return false;
    SkipSpace();
    int used = 0;
    if (!Eat(']')) {
      for (;;) {
        Message* element;
        if (used < list->size()) {
          element = list->Mutable(used);
          Reset(element);
        } else {
          element = list->Add();
        }
        ++used;
        if (!ReadInto(element)) return false;
        SkipSpace();
        if (Eat(',')) {
          SkipSpace();
          continue;
        }
        if (!Eat(']')) return false;
        break;
      }
    }
    while (list->size() > used) list->RemoveLast();
    return true;
  }

  template <typename Message>
  bool ReadInto(google::protobuf::Map<std::string, Message>* map) {
    return ReadObject([&](absl::string_view key) {
      // A repeated key is an error in protobuf; leave it to it.
      std::string name(key.data(), key.size());
      if (map->find(name) != map->end()) return false;
      return ReadInto(&(*map)[name]);
    });
  }

  const char* p_;
  const char* const end_;
  std::string key_scratch_;
  std::string value_scratch_;
};

}  // namespace

bool ReadContextJson(absl::string_view json, v1::Context* context) {
  Reset(context);
  return Reader(json).ReadContext(context);
}

}  // namespace tact::internal
