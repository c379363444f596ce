#include "src/io/json_source_map.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "src/common/source_map_builder.h"
#include "src/common/string_literal.h"

namespace tact::internal {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;

constexpr SourceSyntax kJson = SourceSyntax::kJson;
constexpr int kMaxDepth = 100;

const FieldDescriptor* FindField(const Descriptor& descriptor,
                                 absl::string_view key) {
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor* field = descriptor.field(i);
    if (field->name() == key || field->json_name() == key) return field;
  }
  return nullptr;
}

// Well-known types have special JSON forms (strings, arbitrary objects);
// their insides are not mapped.
bool IsWellKnown(const Descriptor& descriptor) {
  return absl::string_view(descriptor.file()->name()).substr(0, 16) ==
         "google/protobuf/";
}

class Scanner {
 public:
  Scanner(absl::string_view json, SourceMapBuilder& builder, JsonScan& scan)
      : text_(json), builder_(builder), scan_(scan) {}

  void ScanDocument(const Descriptor& descriptor) {
    pos_ = SkipSpace(text_, 0, kJson);
    if (!Message(descriptor, "", 0)) return;
    pos_ = SkipSpace(text_, pos_, kJson);
    if (pos_ < text_.size()) Fail("unexpected text after the JSON value");
  }

 private:
  bool Fail(absl::string_view message) {
    if (scan_.syntax_error.empty()) {
      scan_.syntax_error = std::string(message);
      scan_.syntax_error_location = builder_.LocationOf(pos_);
    }
    return false;
  }

  bool Expect(char c) {
    pos_ = SkipSpace(text_, pos_, kJson);
    if (pos_ >= text_.size() || text_[pos_] != c) {
      return Fail(absl::StrCat("expected '", std::string(1, c), "'"));
    }
    ++pos_;
    return true;
  }

  bool Peek(char c) {
    pos_ = SkipSpace(text_, pos_, kJson);
    return pos_ < text_.size() && text_[pos_] == c;
  }

  // Reads a string at pos_ into `value`.
  bool String(std::string& value) {
    pos_ = SkipSpace(text_, pos_, kJson);
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      return Fail("expected a string");
    }
    value.clear();
    const size_t closing =
        WalkStringValue(text_, pos_, kJson,
                        [&value](char byte, size_t) { value.push_back(byte); });
    if (closing == kNoOffset) return Fail("malformed string");
    pos_ = closing + 1;
    return true;
  }

  // Iterates the members of an object at pos_: calls member(key, key_offset)
  // with pos_ at the start of the member's value.
  template <typename Member>
  bool Object(int depth, Member member) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    if (!Expect('{')) return false;
    if (Peek('}')) {
      ++pos_;
      return true;
    }
    while (true) {
      pos_ = SkipSpace(text_, pos_, kJson);
      const size_t key_offset = pos_;
      std::string key;
      if (!String(key) || !Expect(':')) return false;
      pos_ = SkipSpace(text_, pos_, kJson);
      if (!member(key, key_offset)) return false;
      if (Peek(',')) {
        ++pos_;
        continue;
      }
      return Expect('}');
    }
  }

  template <typename Element>
  bool Array(int depth, Element element) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    if (!Expect('[')) return false;
    if (Peek(']')) {
      ++pos_;
      return true;
    }
    for (int index = 0;; ++index) {
      pos_ = SkipSpace(text_, pos_, kJson);
      if (!element(index)) return false;
      if (Peek(',')) {
        ++pos_;
        continue;
      }
      return Expect(']');
    }
  }

  // Any JSON value, unmapped.
  bool Skip(int depth) {
    pos_ = SkipSpace(text_, pos_, kJson);
    if (pos_ >= text_.size()) return Fail("unexpected end of JSON");
    const char c = text_[pos_];
    if (c == '{') {
      return Object(depth + 1, [&](const std::string&, size_t) {
        return Skip(depth + 1);
      });
    }
    if (c == '[') return Array(depth + 1, [&](int) { return Skip(depth + 1); });
    if (c == '"') {
      std::string ignored;
      return String(ignored);
    }
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           ((text_[pos_] >= 'a' && text_[pos_] <= 'z') ||
            (text_[pos_] >= '0' && text_[pos_] <= '9') || text_[pos_] == '-' ||
            text_[pos_] == '+' || text_[pos_] == '.' || text_[pos_] == 'E')) {
      ++pos_;
    }
    if (pos_ == start) return Fail("expected a JSON value");
    return true;
  }

  // Records `path` at `offset`, with its string value when pos_ is at one.
  void Record(std::string path, size_t offset, const FieldDescriptor& field) {
    const bool string_value =
        field.cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        pos_ < text_.size() && text_[pos_] == '"';
    builder_.AddField(std::move(path), offset, string_value ? pos_ : kNoOffset);
  }

  // A value of `field` (one element when repeated) at pos_.
  bool Value(const FieldDescriptor& field, const std::string& path, int depth) {
    const Descriptor* message = field.message_type();
    if (message != nullptr && !IsWellKnown(*message) && Peek('{')) {
      return Message(*message, path, depth + 1);
    }
    return Skip(depth);
  }

  bool Message(const Descriptor& descriptor, const std::string& prefix,
               int depth) {
    return Object(depth, [&](const std::string& key, size_t key_offset) {
      const FieldDescriptor* field = FindField(descriptor, key);
      if (field == nullptr) {
        if (scan_.unknown_field.empty()) {
          scan_.unknown_field = key;
          scan_.unknown_field_location = builder_.LocationOf(key_offset);
        }
        return Skip(depth);
      }
      const std::string path = prefix.empty()
                                   ? field->name()
                                   : absl::StrCat(prefix, ".", field->name());
      Record(path, key_offset, *field);
      if (field->is_map() && Peek('{')) {
        const FieldDescriptor& value_field =
            *field->message_type()->map_value();
        return Object(
            depth + 1, [&](const std::string& map_key, size_t map_key_offset) {
              const std::string element = absl::StrCat(path, "[", map_key, "]");
              Record(element, map_key_offset, value_field);
              return Value(value_field, element, depth + 1);
            });
      }
      if (field->is_repeated() && !field->is_map() && Peek('[')) {
        return Array(depth + 1, [&](int index) {
          const std::string element = absl::StrCat(path, "[", index, "]");
          Record(element, pos_, *field);
          return Value(*field, element, depth + 1);
        });
      }
      return Value(*field, path, depth);
    });
  }

  absl::string_view text_;
  size_t pos_ = 0;
  SourceMapBuilder& builder_;
  JsonScan& scan_;
};

}  // namespace

JsonError LocateJsonError(const JsonScan& scan,
                          absl::string_view protobuf_message) {
  JsonError error;
  const absl::string_view first_line =
      protobuf_message.substr(0, protobuf_message.find('\n'));
  error.message = std::string(absl::StripAsciiWhitespace(first_line));
  // "(rules[0]) wen: Cannot find field." names the parent; the key is the
  // unknown field the scan found.
  if (!scan.unknown_field.empty() &&
      absl::StrContains(first_line, "Cannot find field")) {
    error.location = scan.unknown_field_location;
    return error;
  }
  if (absl::StartsWith(first_line, "(")) {
    const size_t close = first_line.find(')');
    if (close != absl::string_view::npos) {
      error.location = scan.source_map.Field(first_line.substr(1, close - 1));
    }
  }
  if (error.location.line == 0 && !scan.syntax_error.empty()) {
    error.location = scan.syntax_error_location;
  }
  return error;
}

JsonScan ScanJson(absl::string_view json, const Descriptor& descriptor) {
  JsonScan scan;
  SourceMapBuilder builder(json, kJson);
  Scanner(json, builder, scan).ScanDocument(descriptor);
  scan.source_map = builder.Build();
  return scan;
}

}  // namespace tact::internal
