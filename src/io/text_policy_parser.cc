// Policies in protobuf text format, with positions for every field.
#include <climits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "src/common/source_map_builder.h"
#include "src/common/string_literal.h"
#include "src/io/nearest_field.h"
#include "src/io/policy_formats.h"
#include "src/io/policy_source.h"
#include "tact/diagnostic.h"

namespace tact::internal {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::DescriptorPool;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::TextFormat;

constexpr SourceSyntax kText = SourceSyntax::kText;

// Protobuf's unknown-field message, 'Message type "tact.v1.Rule" has no field
// named "wen".', plus a suggestion when one field name is close.
std::string WithSuggestion(const std::string& text) {
  const absl::string_view message = text;
  static constexpr absl::string_view kType = "Message type \"";
  static constexpr absl::string_view kField = "\" has no field named \"";
  const size_t type_start = message.find(kType);
  if (type_start == absl::string_view::npos) return text;
  const size_t type_end = message.find(kField, type_start + kType.size());
  if (type_end == absl::string_view::npos) return text;
  const size_t name_start = type_end + kField.size();
  const size_t name_end = message.find('"', name_start);
  if (name_end == absl::string_view::npos) return text;
  const std::string type_name = std::string(message.substr(
      type_start + kType.size(), type_end - type_start - kType.size()));
  const Descriptor* descriptor =
      DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
  if (descriptor == nullptr) return text;
  const std::string nearest = NearestFieldName(
      *descriptor, message.substr(name_start, name_end - name_start));
  if (nearest.empty()) return text;
  return absl::StrCat(text, " Did you mean \"", nearest, "\"?");
}

// Turns protobuf's parse errors (0-based, tab-expanded columns) into
// diagnostics with 1-based byte columns.
class DiagnosticCollector : public google::protobuf::io::ErrorCollector {
 public:
  DiagnosticCollector(const SourceMapBuilder& source, absl::string_view file,
                      std::vector<Diagnostic>& diagnostics)
      : source_(source), file_(file), diagnostics_(diagnostics) {}

  void AddError(int line, int column, const std::string& message) override {
    Add(Diagnostic::Severity::kError, line, column, WithSuggestion(message));
  }
  void AddWarning(int line, int column, const std::string& message) override {
    Add(Diagnostic::Severity::kWarning, line, column, message);
  }

 private:
  void Add(Diagnostic::Severity severity, int line, int column,
           std::string message) {
    Diagnostic diagnostic;
    diagnostic.severity = severity;
    diagnostic.file = std::string(file_);
    size_t offset = source_.OffsetOfTokenizerPosition(line, column);
    if (offset != kNoOffset) {
      offset = UnknownFieldNameOffset(message, offset);
      const FileLocation location = source_.LocationOf(offset);
      diagnostic.line = location.line;
      diagnostic.column = location.column;
    }
    diagnostic.message = std::move(message);
    diagnostics_.push_back(std::move(diagnostic));
  }

  // protobuf reports an unknown field at the token after its name; point
  // at the name itself, which is what the reader has to fix.
  size_t UnknownFieldNameOffset(absl::string_view message,
                                size_t offset) const {
    static constexpr absl::string_view kNamed = "has no field named \"";
    const size_t start = message.find(kNamed);
    if (start == absl::string_view::npos) return offset;
    const size_t name_start = start + kNamed.size();
    const size_t name_end = message.find('"', name_start);
    if (name_end == absl::string_view::npos) return offset;
    const absl::string_view name =
        message.substr(name_start, name_end - name_start);
    const absl::string_view text = source_.text();
    size_t end = offset;
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
    if (end >= name.size() &&
        text.substr(end - name.size(), name.size()) == name) {
      return end - name.size();
    }
    return offset;
  }

  const SourceMapBuilder& source_;
  absl::string_view file_;
  std::vector<Diagnostic>& diagnostics_;
};

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

// From a field's start (its name, or a list element), the offset just past
// the name and the optional ':'.
size_t SkipFieldName(absl::string_view text, size_t offset) {
  if (offset < text.size() && text[offset] == '[') {  // [extension.name]
    while (offset < text.size() && text[offset] != ']') ++offset;
    ++offset;
  } else {
    while (offset < text.size() && IsIdentifierChar(text[offset])) ++offset;
  }
  offset = SkipSpace(text, offset, kText);
  if (offset < text.size() && text[offset] == ':') {
    offset = SkipSpace(text, offset + 1, kText);
  }
  return offset;
}

bool IsQuote(absl::string_view text, size_t offset) {
  return offset < text.size() && (text[offset] == '"' || text[offset] == '\'');
}

// The opening quote of the string value of the field starting at `offset`
// (a field name, or directly a value inside a list), or kNoOffset.
size_t StringValueOffset(absl::string_view text, size_t offset) {
  if (IsQuote(text, offset)) return offset;
  offset = SkipFieldName(text, offset);
  return IsQuote(text, offset) ? offset : kNoOffset;
}

// Skips one value (scalar, string literals, or a {...}/<...> message).
size_t SkipValue(absl::string_view text, size_t offset) {
  if (IsQuote(text, offset)) {
    const size_t closing =
        WalkStringValue(text, offset, kText, [](char, size_t) {});
    return closing == kNoOffset ? text.size() : closing + 1;
  }
  if (offset < text.size() && (text[offset] == '{' || text[offset] == '<')) {
    int depth = 0;
    while (offset < text.size()) {
      const char c = text[offset];
      if (c == '{' || c == '<') {
        ++depth;
      } else if (c == '}' || c == '>') {
        if (--depth == 0) return offset + 1;
      } else if (c == '#') {
        offset = SkipSpace(text, offset, kText);
        continue;
      } else if (IsQuote(text, offset)) {
        offset = SkipValue(text, offset);
        continue;
      }
      ++offset;
    }
    return offset;
  }
  while (offset < text.size() && text[offset] != ',' && text[offset] != ']' &&
         text[offset] != '#' && text[offset] != ' ' && text[offset] != '\n' &&
         text[offset] != '\t' && text[offset] != '\r') {
    ++offset;
  }
  return offset;
}

// Appends where each element of one occurrence of a repeated field starts:
// the field itself for `name: value` / `name { ... }`, or each value of
// the list in `name: [a, b]` (which protobuf records as one location).
void AppendElementOffsets(absl::string_view text, size_t field_offset,
                          std::vector<size_t>& elements) {
  size_t offset = SkipFieldName(text, field_offset);
  if (offset >= text.size() || text[offset] != '[') {
    elements.push_back(field_offset);
    return;
  }
  offset = SkipSpace(text, offset + 1, kText);
  while (offset < text.size() && text[offset] != ']') {
    elements.push_back(offset);
    offset = SkipSpace(text, SkipValue(text, offset), kText);
    if (offset < text.size() && text[offset] == ',') {
      offset = SkipSpace(text, offset + 1, kText);
    } else {
      break;
    }
  }
}

// The map key written at `key_offset` (`key: "amount"` or `key: 3`).
std::string MapKeyText(absl::string_view text, size_t key_offset) {
  const size_t value = SkipFieldName(text, key_offset);
  if (IsQuote(text, value)) {
    return DecodeStringValue(text, value, kText).value_or("");
  }
  return std::string(text.substr(value, SkipValue(text, value) - value));
}

class SourceMapWalker {
 public:
  explicit SourceMapWalker(SourceMapBuilder& builder) : builder_(builder) {}

  // Records every field of `descriptor` present in `tree` under `prefix`.
  void Walk(const Descriptor& descriptor, const TextFormat::ParseInfoTree& tree,
            const std::string& prefix) {
    for (int i = 0; i < descriptor.field_count(); ++i) {
      const FieldDescriptor& field = *descriptor.field(i);
      const std::string path = prefix.empty()
                                   ? field.name()
                                   : absl::StrCat(prefix, ".", field.name());
      if (field.is_repeated()) {
        WalkRepeated(field, tree, path);
      } else {
        const size_t offset = Offset(tree.GetLocation(&field, -1));
        if (offset == kNoOffset) continue;
        Add(field, path, offset);
        const TextFormat::ParseInfoTree* nested =
            field.message_type() != nullptr ? tree.GetTreeForNested(&field, -1)
                                            : nullptr;
        if (nested != nullptr) Walk(*field.message_type(), *nested, path);
      }
    }
  }

 private:
  size_t Offset(const TextFormat::ParseLocation& location) const {
    if (location.line < 0) return kNoOffset;
    return builder_.OffsetOfTokenizerPosition(location.line, location.column);
  }

  void Add(const FieldDescriptor& field, std::string path, size_t offset) {
    const size_t value_offset =
        field.cpp_type() == FieldDescriptor::CPPTYPE_STRING
            ? StringValueOffset(builder_.text(), offset)
            : kNoOffset;
    builder_.AddField(std::move(path), offset, value_offset);
  }

  void WalkRepeated(const FieldDescriptor& field,
                    const TextFormat::ParseInfoTree& tree,
                    const std::string& path) {
    std::vector<size_t> elements;
    for (int k = 0;; ++k) {
      const size_t offset = Offset(tree.GetLocation(&field, k));
      if (offset == kNoOffset) break;
      AppendElementOffsets(builder_.text(), offset, elements);
    }
    if (field.is_map()) {
      WalkMap(field, tree, path, elements);
      return;
    }
    if (field.message_type() != nullptr) {
      for (int k = 0;; ++k) {
        const TextFormat::ParseInfoTree* nested =
            tree.GetTreeForNested(&field, k);
        if (nested == nullptr) break;
        const std::string element = absl::StrCat(path, "[", k, "]");
        if (static_cast<size_t>(k) < elements.size()) {
          builder_.AddField(element, elements[k]);
        }
        Walk(*field.message_type(), *nested, element);
      }
      return;
    }
    for (size_t k = 0; k < elements.size(); ++k) {
      Add(field, absl::StrCat(path, "[", k, "]"), elements[k]);
    }
  }

  // Map entries are messages in the tree; the path names them by key, and
  // points at the entry's value.
  void WalkMap(const FieldDescriptor& field,
               const TextFormat::ParseInfoTree& tree, const std::string& path,
               const std::vector<size_t>& elements) {
    const FieldDescriptor& key_field = *field.message_type()->map_key();
    const FieldDescriptor& value_field = *field.message_type()->map_value();
    for (int k = 0;; ++k) {
      const TextFormat::ParseInfoTree* entry = tree.GetTreeForNested(&field, k);
      if (entry == nullptr) break;
      const size_t key_offset = Offset(entry->GetLocation(&key_field, -1));
      const std::string key = key_offset == kNoOffset
                                  ? std::string()
                                  : MapKeyText(builder_.text(), key_offset);
      const std::string element = absl::StrCat(path, "[", key, "]");
      const size_t value_offset = Offset(entry->GetLocation(&value_field, -1));
      if (value_offset != kNoOffset) {
        Add(value_field, element, value_offset);
      } else if (static_cast<size_t>(k) < elements.size()) {
        builder_.AddField(element, elements[k]);
      }
      const TextFormat::ParseInfoTree* nested =
          value_field.message_type() != nullptr
              ? entry->GetTreeForNested(&value_field, -1)
              : nullptr;
      if (nested != nullptr)
        Walk(*value_field.message_type(), *nested, element);
    }
  }

  SourceMapBuilder& builder_;
};

}  // namespace

absl::StatusOr<LoadedPolicy> ParseTextPolicy(
    absl::string_view text, absl::string_view file,
    std::vector<Diagnostic>& diagnostics) {
  std::vector<Diagnostic> found;
  if (text.size() > static_cast<size_t>(INT_MAX)) {
    Diagnostic too_large;
    too_large.file = std::string(file);
    too_large.message = "policy text is larger than 2 GiB";
    diagnostics.push_back(too_large);
    return absl::InvalidArgumentError(too_large.ToString());
  }
  SourceMapBuilder builder(text, kText);
  DiagnosticCollector collector(builder, file, found);
  // Kept by the source map, which walks it only when a position is asked
  // for: a policy that loads cleanly never pays for the walk.
  auto tree = std::make_shared<TextFormat::ParseInfoTree>();
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(tree.get());
  // Policies nest a few levels; this bounds the parser's recursion on
  // hostile input without limiting any real policy.
  parser.SetRecursionLimit(100);

  LoadedPolicy loaded;
  loaded.file = std::string(file);
  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  const bool ok = parser.Parse(&input, &loaded.policy);
  if (!ok && !HasErrors(found)) {
    Diagnostic unknown;
    unknown.file = std::string(file);
    unknown.message = "not a valid text-format policy";
    found.push_back(std::move(unknown));
  }
  const absl::Status status =
      ok ? absl::OkStatus() : DiagnosticsToStatus(found);
  diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  if (!status.ok()) return status;

  builder.Defer([tree](SourceMapBuilder& fields) {
    SourceMapWalker(fields).Walk(*v1::Policy::descriptor(), *tree, "");
  });
  loaded.source_map = builder.Build();
  return loaded;
}

}  // namespace tact::internal
