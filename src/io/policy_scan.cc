// Count limits checked while reading, and value checks protobuf does not
// make (undefined enum numbers, invalid UTF-8, currency codes).
#include "src/io/policy_scan.h"

#include <climits>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/wire_format_lite.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::EnumDescriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;
using ::google::protobuf::internal::WireFormatLite;

// Deeper nesting than any policy has; the parsers reject it themselves.
constexpr int kMaxDepth = 100;

// The limit on `field` of a message at `depth` (0: the policy itself), and
// the option that sets it.
std::pair<int64_t, absl::string_view> LimitOf(const FieldDescriptor& field,
                                              int depth,
                                              const CompileOptions& options) {
  if (depth == 0) {
    if (field.name() == "rules") return {options.max_rules, "max_rules"};
    if (field.name() == "actions") return {options.max_actions, "max_actions"};
    if (field.name() == "definitions") {
      return {options.max_definitions, "max_definitions"};
    }
  }
  return {options.max_repeated_field, "max_repeated_field"};
}

// "the policy has 3 rules; ..." or "ladders[0] has 5 rungs; ..."; "has at
// least 3" when the rest of the message could not be read.
std::string CountMessage(absl::string_view owner, const FieldDescriptor& field,
                         int64_t count, int depth,
                         const CompileOptions& options, bool complete = true) {
  const auto [limit, option] = LimitOf(field, depth, options);
  return absl::StrCat(owner.empty() ? "the policy" : owner, " has ",
                      complete ? "" : "at least ", count, " ", field.name(),
                      "; the limit is ", limit, " (CompileOptions::", option,
                      ")");
}

// 1-based line and byte column of `offset` in `text`.
FileLocation LocationInText(absl::string_view text, size_t offset) {
  FileLocation location{1, 1};
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++location.line;
      line_start = i + 1;
    }
  }
  location.column = static_cast<int>(offset - line_start) + 1;
  return location;
}

// One open message while scanning: its type, its path, and how many
// elements each of its repeated fields has so far.
struct Frame {
  const Descriptor* type = nullptr;  // null: unknown, not counted
  std::string path;
  absl::flat_hash_map<const FieldDescriptor*, int64_t> counts;
  // Where the first element past the limit of a field starts.
  absl::flat_hash_map<const FieldDescriptor*, size_t> first_excess;
};

// Shared by the three scanners: counts elements and remembers the first
// violation (reported when its message closes, with the full count). A
// scanner that stops where it cannot follow the input closes every frame
// still open as incomplete, so a count over the limit followed by junk or a
// truncation is still reported (before protobuf spends memory on it).
class Counter {
 public:
  explicit Counter(const CompileOptions& options) : options_(options) {}

  // Counts one element of `field` in `frame`, which starts at `offset`.
  void Count(Frame& frame, const FieldDescriptor* field, size_t offset,
             int depth) {
    if (field == nullptr || !field->is_repeated() || found_) return;
    const int64_t count = ++frame.counts[field];
    if (count == LimitOf(*field, depth, options_).first + 1) {
      frame.first_excess.emplace(field, offset);
    }
  }

  // Called when `frame` closes; records its first field over the limit.
  // `complete`: false when the scan stopped inside `frame`; then the earliest
  // excess among the frames left open wins, and its count is a lower bound.
  void Close(const Frame& frame, int depth, bool complete = true) {
    if (found_ && (complete || !incomplete_)) return;
    for (const auto& [field, offset] : frame.first_excess) {
      if (found_ && offset >= offset_) continue;
      found_ = true;
      incomplete_ = !complete;
      offset_ = offset;
      message_ = CountMessage(frame.path, *field, frame.counts.at(field), depth,
                              options_, complete);
    }
  }

  bool found() const { return found_; }
  size_t offset() const { return offset_; }
  const std::string& message() const { return message_; }

 private:
  const CompileOptions& options_;
  bool found_ = false;
  bool incomplete_ = false;  // found in a frame the scan did not finish
  size_t offset_ = 0;
  std::string message_;
};

std::string ElementPath(const Frame& parent, const FieldDescriptor* field) {
  if (field == nullptr) return "";
  const std::string name = parent.path.empty()
                               ? field->name()
                               : absl::StrCat(parent.path, ".", field->name());
  if (!field->is_repeated()) return name;
  const auto it = parent.counts.find(field);
  return absl::StrCat(name, "[", it == parent.counts.end() ? 0 : it->second - 1,
                      "]");
}

// --- Text format: protobuf's tokenizer, configured as TextFormat does.

class QuietErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

class TextScanner {
 public:
  TextScanner(absl::string_view text, Counter& counter)
      : text_(text),
        input_(text.data(), static_cast<int>(text.size())),
        tokenizer_(&input_, &errors_),
        counter_(counter) {
    tokenizer_.set_allow_f_after_float(true);
    tokenizer_.set_comment_style(
        google::protobuf::io::Tokenizer::SH_COMMENT_STYLE);
    tokenizer_.set_require_space_after_number(false);
    tokenizer_.set_allow_multiline_strings(false);
  }

  // Scans the whole text; stops quietly where it cannot follow, closing the
  // messages still open as incomplete.
  void Run() {
    std::vector<Frame> stack(1);
    stack[0].type = v1::Policy::descriptor();
    const bool complete = Scan(stack);
    for (size_t i = stack.size(); i-- > 0;) {
      counter_.Close(stack[i], static_cast<int>(i), complete);
    }
  }

 private:
  // True when the text ended with only the policy open.
  bool Scan(std::vector<Frame>& stack) {
    tokenizer_.Next();
    while (true) {
      const auto& token = tokenizer_.current();
      using Type = google::protobuf::io::Tokenizer::TokenType;
      if (token.type == Type::TYPE_END) return stack.size() == 1;
      if (Is("}") || Is(">")) {
        if (stack.size() == 1) return false;
        counter_.Close(stack.back(), static_cast<int>(stack.size()) - 1);
        stack.pop_back();
        tokenizer_.Next();
        const Opened opened = opened_.back();
        opened_.pop_back();
        if (opened.in_list) {
          current_field_ = opened.field;
          if (!ListRest(stack)) return false;
        }
        Separator();
        continue;
      }
      // A field name: `name` or `[extension.name]`.
      const size_t offset = Offset(token);
      const FieldDescriptor* field = nullptr;
      if (Is("[")) {
        while (tokenizer_.current().type != Type::TYPE_END && !Is("]")) {
          tokenizer_.Next();
        }
        if (!Is("]")) return false;
      } else if (token.type == Type::TYPE_IDENTIFIER) {
        const Descriptor* type = stack.back().type;
        if (type != nullptr) field = type->FindFieldByName(token.text);
      } else {
        return false;
      }
      tokenizer_.Next();
      if (Is(":")) tokenizer_.Next();
      current_field_ = field;
      if (Is("[")) {
        tokenizer_.Next();
        if (Is("]")) {
          tokenizer_.Next();
          Separator();
          continue;
        }
        if (!ListElements(stack)) return false;
        continue;
      }
      // Counted once a value starts (not a name followed by junk).
      if (Is("{") || Is("<")) {
        counter_.Count(stack.back(), field, offset,
                       static_cast<int>(stack.size()) - 1);
        if (!Open(stack, field, false)) return false;
        continue;
      }
      if (!Scalar()) return false;
      counter_.Count(stack.back(), field, offset,
                     static_cast<int>(stack.size()) - 1);
      Separator();
    }
  }

 private:
  bool Is(absl::string_view symbol) {
    return tokenizer_.current().type ==
               google::protobuf::io::Tokenizer::TYPE_SYMBOL &&
           tokenizer_.current().text == symbol;
  }

  size_t Offset(const google::protobuf::io::Tokenizer::Token& token) {
    // Advance the line index to the token's line; columns are bytes unless
    // the line has tabs, which only cost walking that line once.
    while (line_ < token.line) {
      const size_t newline = text_.find('\n', line_start_);
      if (newline == absl::string_view::npos) break;
      line_start_ = newline + 1;
      ++line_;
      visual_offset_ = line_start_;
      visual_column_ = 0;
    }
    // Resume the column walk from the last token on this line (tokens come
    // in order, so each byte is walked once).
    while (visual_offset_ < text_.size() && text_[visual_offset_] != '\n' &&
           visual_column_ < token.column) {
      visual_column_ = text_[visual_offset_] == '\t'
                           ? visual_column_ + 8 - visual_column_ % 8
                           : visual_column_ + 1;
      ++visual_offset_;
    }
    return visual_offset_;
  }

  // Pushes a message value of `field` (the current token is its '{' or '<').
  bool Open(std::vector<Frame>& stack, const FieldDescriptor* field,
            bool in_list) {
    if (stack.size() >= kMaxDepth) return false;
    Frame frame;
    frame.type = field != nullptr ? field->message_type() : nullptr;
    frame.path = ElementPath(stack.back(), field);
    stack.push_back(std::move(frame));
    opened_.push_back({in_list, field});
    tokenizer_.Next();
    return true;
  }

  // The elements of `name: [a, {..}, ...]` from the current one, the '[' or
  // ',' before it consumed: scalars in a loop (a list of any length costs no
  // stack), up to the ']' or a message element, which is opened and whose
  // '}' resumes the list in ListRest.
  bool ListElements(std::vector<Frame>& stack) {
    while (true) {
      const size_t offset = Offset(tokenizer_.current());
      const int depth = static_cast<int>(stack.size()) - 1;
      if (Is("{") || Is("<")) {
        counter_.Count(stack.back(), current_field_, offset, depth);
        return Open(stack, current_field_, true);
      }
      if (!Scalar()) return false;
      counter_.Count(stack.back(), current_field_, offset, depth);
      if (!Is(",")) break;
      tokenizer_.Next();
    }
    return ListEnd();
  }

  // After a message element of a list: ',' and the next elements, or ']'.
  bool ListRest(std::vector<Frame>& stack) {
    if (Is(",")) {
      tokenizer_.Next();
      return ListElements(stack);
    }
    return ListEnd();
  }

  bool ListEnd() {
    if (!Is("]")) return false;
    tokenizer_.Next();
    Separator();
    return true;
  }

  // A scalar value: [-] identifier | number, or adjacent strings.
  bool Scalar() {
    using Type = google::protobuf::io::Tokenizer::TokenType;
    if (Is("-")) tokenizer_.Next();
    const Type type = tokenizer_.current().type;
    if (type == Type::TYPE_STRING) {
      while (tokenizer_.current().type == Type::TYPE_STRING) tokenizer_.Next();
      return true;
    }
    if (type == Type::TYPE_IDENTIFIER || type == Type::TYPE_INTEGER ||
        type == Type::TYPE_FLOAT) {
      tokenizer_.Next();
      return true;
    }
    return false;
  }

  void Separator() {
    if (Is(",") || Is(";")) tokenizer_.Next();
  }

  absl::string_view text_;
  google::protobuf::io::ArrayInputStream input_;
  QuietErrors errors_;
  google::protobuf::io::Tokenizer tokenizer_;
  Counter& counter_;
  // Per open message (above the policy): whether it is an element of a
  // list, and of which field (the list resumes with it when it closes).
  struct Opened {
    bool in_list = false;
    const FieldDescriptor* field = nullptr;
  };
  std::vector<Opened> opened_;
  const FieldDescriptor* current_field_ = nullptr;
  int line_ = 0;
  size_t line_start_ = 0;
  size_t visual_offset_ = 0;
  int visual_column_ = 0;
};

// --- JSON: a minimal walker over well-formed JSON; anything else stops it.

class JsonScanner {
 public:
  JsonScanner(absl::string_view text, Counter& counter)
      : text_(text), counter_(counter) {}

  void Run() {
    Frame root;
    root.type = v1::Policy::descriptor();
    Space();
    if (Peek() != '{') return;
    // Closed even when the scan stopped inside (nested objects close
    // themselves on the way out).
    const bool complete = Object(root, 0);
    counter_.Close(root, 0, complete);
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  bool StartsValue() const {
    const char c = Peek();
    return c != '\0' && c != ',' && c != '}' && c != ']' && c != ':';
  }

  void Space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t' ||
            text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // A string; its raw contents (escapes kept) in `out` when not null.
  bool String(std::string* out) {
    if (Peek() != '"') return false;
    const size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') ++pos_;
      ++pos_;
    }
    if (pos_ >= text_.size()) return false;
    if (out != nullptr) *out = std::string(text_.substr(start, pos_ - start));
    ++pos_;
    return true;
  }

  static const FieldDescriptor* FieldNamed(const Descriptor* type,
                                           absl::string_view name) {
    if (type == nullptr) return nullptr;
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      if (field->name() == name || field->json_name() == name) return field;
    }
    return nullptr;
  }

  // An object of message `frame.type` (or of unknown type), at `pos_`.
  bool Object(Frame& frame, int depth) {
    if (depth >= kMaxDepth) return false;
    ++pos_;  // '{'
    Space();
    if (Peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      Space();
      std::string key;
      if (!String(&key)) return false;
      Space();
      if (Peek() != ':') return false;
      ++pos_;
      Space();
      const FieldDescriptor* field = FieldNamed(frame.type, key);
      if (!FieldValue(frame, field, depth)) return false;
      Space();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() != '}') return false;
      ++pos_;
      return true;
    }
  }

  // The value of `field` (null: unknown) in `frame`.
  bool FieldValue(Frame& frame, const FieldDescriptor* field, int depth) {
    if (field != nullptr && field->is_map() && Peek() == '{') {
      // A map: each key is one element.
      ++pos_;
      Space();
      if (Peek() == '}') {
        ++pos_;
        return true;
      }
      while (true) {
        Space();
        if (Peek() != '"') return false;
        counter_.Count(frame, field, pos_, depth);
        if (!String(nullptr)) return false;
        Space();
        if (Peek() != ':') return false;
        ++pos_;
        Space();
        if (!Value(nullptr, "", depth + 1)) return false;
        Space();
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        if (Peek() != '}') return false;
        ++pos_;
        return true;
      }
    }
    if (field != nullptr && field->is_repeated() && Peek() == '[') {
      ++pos_;
      Space();
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      while (true) {
        Space();
        // Counted once a value starts (not a stray ',' or bracket).
        if (!StartsValue()) return false;
        counter_.Count(frame, field, pos_, depth);
        if (!Value(field->message_type(), ElementPath(frame, field),
                   depth + 1)) {
          return false;
        }
        Space();
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        if (Peek() != ']') return false;
        ++pos_;
        return true;
      }
    }
    return Value(field != nullptr ? field->message_type() : nullptr,
                 ElementPath(frame, field), depth + 1);
  }

  // Any value; an object is scanned as a `type` message at `path`.
  bool Value(const Descriptor* type, std::string path, int depth) {
    if (depth >= kMaxDepth) return false;
    const char c = Peek();
    if (c == '{') {
      Frame frame;
      frame.type = type;
      frame.path = std::move(path);
      const bool complete = Object(frame, depth);
      counter_.Close(frame, depth, complete);
      return complete;
    }
    if (c == '[') {
      ++pos_;
      Space();
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      while (true) {
        Space();
        if (!Value(nullptr, "", depth + 1)) return false;
        Space();
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        if (Peek() != ']') return false;
        ++pos_;
        return true;
      }
    }
    if (c == '"') return String(nullptr);
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
           text_[pos_] != ']' && text_[pos_] != ' ' && text_[pos_] != '\n' &&
           text_[pos_] != '\t' && text_[pos_] != '\r') {
      ++pos_;
    }
    return pos_ > start;
  }

  absl::string_view text_;
  Counter& counter_;
  size_t pos_ = 0;
};

// --- Binary: the wire format, read field by field.

class BinaryScanner {
 public:
  BinaryScanner(absl::string_view bytes, Counter& counter)
      : bytes_(bytes), counter_(counter) {}

  // False when a string field is not UTF-8 (`utf8_error()` names it).
  bool Run() {
    google::protobuf::io::CodedInputStream input(
        reinterpret_cast<const uint8_t*>(bytes_.data()),
        static_cast<int>(bytes_.size()));
    Frame root;
    root.type = v1::Policy::descriptor();
    const bool complete = Message(input, root, 0);
    // Closed even when the scan stopped inside (nested messages close
    // themselves on the way out).
    counter_.Close(root, 0, complete);
    return utf8_error_.empty();
  }

  const std::string& utf8_error() const { return utf8_error_; }

 private:
  // Reads fields until the current limit; false where it cannot follow.
  bool Message(google::protobuf::io::CodedInputStream& input, Frame& frame,
               int depth) {
    if (depth >= kMaxDepth) return false;
    while (true) {
      const uint32_t tag = input.ReadTag();
      if (tag == 0) return true;
      const int number = WireFormatLite::GetTagFieldNumber(tag);
      const FieldDescriptor* field = frame.type != nullptr
                                         ? frame.type->FindFieldByNumber(number)
                                         : nullptr;
      if (WireFormatLite::GetTagWireType(tag) !=
              WireFormatLite::WIRETYPE_LENGTH_DELIMITED ||
          field == nullptr) {
        if (field != nullptr) counter_.Count(frame, field, 0, depth);
        if (!WireFormatLite::SkipField(&input, tag)) return false;
        continue;
      }
      counter_.Count(frame, field, 0, depth);
      uint32_t length = 0;
      if (!input.ReadVarint32(&length)) return false;
      if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
        Frame nested;
        nested.type = field->message_type();
        nested.path = ElementPath(frame, field);
        const auto limit = input.PushLimit(static_cast<int>(length));
        const bool complete =
            Message(input, nested, depth + 1) && input.ConsumedEntireMessage();
        counter_.Close(nested, depth + 1, complete);
        if (!complete) return false;
        input.PopLimit(limit);
        if (counter_.found()) return true;
        continue;
      }
      std::string value;
      if (!input.ReadString(&value, static_cast<int>(length))) return false;
      if (field->type() == FieldDescriptor::TYPE_STRING &&
          !google::protobuf::internal::IsStructurallyValidUTF8(
              value.data(), static_cast<int>(value.size()))) {
        utf8_error_ = absl::StrCat(ElementPath(frame, field),
                                   ": the string is not valid UTF-8");
        return false;
      }
    }
  }

  absl::string_view bytes_;
  Counter& counter_;
  std::string utf8_error_;
};

// --- Values of a parsed policy.

class ValueChecker {
 public:
  ValueChecker(const LoadedPolicy& loaded, const CompileOptions& options,
               std::vector<Diagnostic>& diagnostics)
      : loaded_(loaded), options_(options), diagnostics_(diagnostics) {}

  void Walk(const Message& message, const std::string& prefix, int depth) {
    const Reflection& reflection = *message.GetReflection();
    const Descriptor& type = *message.GetDescriptor();
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      const std::string path = prefix.empty()
                                   ? field.name()
                                   : absl::StrCat(prefix, ".", field.name());
      if (field.is_repeated()) {
        const int size = reflection.FieldSize(message, &field);
        if (size > LimitOf(field, depth, options_).first) {
          Error(path, CountMessage(prefix, field, size, depth, options_));
          continue;
        }
        for (int k = 0; k < size; ++k) {
          if (field.is_map()) {
            const Message& entry =
                reflection.GetRepeatedMessage(message, &field, k);
            const Reflection& entry_reflection = *entry.GetReflection();
            const FieldDescriptor& key = *field.message_type()->map_key();
            const FieldDescriptor& value = *field.message_type()->map_value();
            const std::string element =
                absl::StrCat(path, "[",
                             key.cpp_type() == FieldDescriptor::CPPTYPE_STRING
                                 ? entry_reflection.GetString(entry, &key)
                                 : "",
                             "]");
            CheckString(entry_reflection, entry, key, element, -1);
            CheckString(entry_reflection, entry, value, element, -1);
            continue;
          }
          const std::string element = absl::StrCat(path, "[", k, "]");
          switch (field.cpp_type()) {
            case FieldDescriptor::CPPTYPE_MESSAGE:
              Walk(reflection.GetRepeatedMessage(message, &field, k), element,
                   depth + 1);
              break;
            case FieldDescriptor::CPPTYPE_STRING:
              CheckString(reflection, message, field, element, k);
              break;
            case FieldDescriptor::CPPTYPE_ENUM:
              CheckEnum(field,
                        reflection.GetRepeatedEnumValue(message, &field, k),
                        element);
              break;
            default:
              break;
          }
        }
        continue;
      }
      if (!reflection.HasField(message, &field)) continue;
      switch (field.cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE:
          Walk(reflection.GetMessage(message, &field), path, depth + 1);
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          CheckString(reflection, message, field, path, -1);
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          CheckEnum(field, reflection.GetEnumValue(message, &field), path);
          break;
        default:
          break;
      }
    }
  }

  void CheckCurrency(const v1::Policy& policy) {
    const std::string& code = policy.currency();
    if (code.empty()) return;
    bool ok = code.size() == 3;
    for (char c : code) ok = ok && c >= 'A' && c <= 'Z';
    if (!ok) {
      Error("currency",
            absl::StrCat("currency \"", absl::CEscape(code),
                         "\" is not an ISO 4217 code (three uppercase letters, "
                         "e.g. \"USD\")"));
    }
  }

 private:
  void CheckString(const Reflection& reflection, const Message& message,
                   const FieldDescriptor& field, const std::string& path,
                   int index) {
    if (field.cpp_type() != FieldDescriptor::CPPTYPE_STRING ||
        field.type() != FieldDescriptor::TYPE_STRING) {
      return;
    }
    std::string scratch;
    const std::string& value =
        index < 0 ? reflection.GetStringReference(message, &field, &scratch)
                  : reflection.GetRepeatedStringReference(message, &field,
                                                          index, &scratch);
    if (!google::protobuf::internal::IsStructurallyValidUTF8(
            value.data(), static_cast<int>(value.size()))) {
      Error(path, absl::StrCat(path, ": the string is not valid UTF-8"));
    }
  }

  void CheckEnum(const FieldDescriptor& field, int number,
                 const std::string& path) {
    const EnumDescriptor& type = *field.enum_type();
    if (type.FindValueByNumber(number) != nullptr) return;
    std::vector<std::string> allowed;
    for (int i = 0; i < type.value_count(); ++i) {
      allowed.push_back(absl::StrCat(type.value(i)->name(), " (",
                                     type.value(i)->number(), ")"));
    }
    Error(path,
          absl::StrCat(path, ": ", number, " is not a ", type.name(),
                       "; the values are ", absl::StrJoin(allowed, ", ")));
  }

  void Error(const std::string& path, std::string message) {
    Diagnostic diagnostic;
    diagnostic.file = loaded_.file.empty() ? "<policy>" : loaded_.file;
    const FileLocation location = loaded_.source_map.Field(path);
    diagnostic.line = location.line;
    diagnostic.column = location.column;
    diagnostic.message = std::move(message);
    diagnostics_.push_back(std::move(diagnostic));
    failed_ = true;
  }

 public:
  bool failed() const { return failed_; }

 private:
  const LoadedPolicy& loaded_;
  const CompileOptions& options_;
  std::vector<Diagnostic>& diagnostics_;
  bool failed_ = false;
};

}  // namespace

absl::Status ScanPolicyCounts(absl::string_view text, PolicyFormat format,
                              absl::string_view file,
                              const CompileOptions& options,
                              std::vector<Diagnostic>& diagnostics) {
  if (text.size() > static_cast<size_t>(INT_MAX)) return absl::OkStatus();
  Counter counter(options);
  Diagnostic diagnostic;
  diagnostic.file = std::string(file);
  switch (format) {
    case PolicyFormat::kBinary: {
      BinaryScanner scanner(text, counter);
      if (!scanner.Run()) {
        diagnostic.message = scanner.utf8_error();
        diagnostics.push_back(diagnostic);
        return absl::InvalidArgumentError(diagnostic.ToString());
      }
      break;
    }
    case PolicyFormat::kJson:
      JsonScanner(text, counter).Run();
      break;
    case PolicyFormat::kAuto:
    case PolicyFormat::kText:
      TextScanner(text, counter).Run();
      break;
  }
  if (!counter.found()) return absl::OkStatus();
  if (format != PolicyFormat::kBinary) {
    const FileLocation location = LocationInText(text, counter.offset());
    diagnostic.line = location.line;
    diagnostic.column = location.column;
  }
  diagnostic.message = counter.message();
  diagnostics.push_back(diagnostic);
  return absl::InvalidArgumentError(diagnostic.ToString());
}

bool CheckPolicyValues(const LoadedPolicy& loaded,
                       const CompileOptions& options,
                       std::vector<Diagnostic>& diagnostics) {
  ValueChecker checker(loaded, options, diagnostics);
  checker.Walk(loaded.policy, "", 0);
  checker.CheckCurrency(loaded.policy);
  return !checker.failed();
}

}  // namespace tact::internal
