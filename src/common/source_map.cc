// SourceMap: where each field of a loaded policy came from.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "src/common/source_map.h"
#include "src/common/source_map_builder.h"
#include "src/common/string_literal.h"

namespace tact::internal {

FileLocation SourceMap::Impl::LocationOf(size_t offset) const {
  if (line_starts.empty() || offset > text.size()) return {};
  // The last line start at or before `offset`.
  const auto it =
      std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  const size_t line_index = static_cast<size_t>(it - line_starts.begin()) - 1;
  return {static_cast<int>(line_index) + 1,
          static_cast<int>(offset - line_starts[line_index]) + 1};
}

SourceMap::SourceMap() : impl_(std::make_unique<Impl>()) {}
SourceMap::~SourceMap() = default;
SourceMap::SourceMap(SourceMap&&) noexcept = default;
SourceMap& SourceMap::operator=(SourceMap&&) noexcept = default;

FileLocation SourceMap::Field(absl::string_view path) const {
  if (impl_ == nullptr) return {};
  const auto it = impl_->fields.find(path);
  if (it == impl_->fields.end()) return {};
  return impl_->LocationOf(it->second.offset);
}

FileLocation SourceMap::InString(absl::string_view path, int line,
                                 int column) const {
  if (impl_ == nullptr) return {};
  const auto it = impl_->fields.find(path);
  if (it == impl_->fields.end()) return {};
  const Impl::FieldSource& source = it->second;
  if (source.value_offset != kNoOffset) {
    const size_t offset = FindInStringValue(impl_->text, source.value_offset,
                                            impl_->syntax, line, column);
    if (offset != kNoOffset) return impl_->LocationOf(offset);
  }
  return impl_->LocationOf(source.offset);
}

SourceMapBuilder::SourceMapBuilder(absl::string_view text, SourceSyntax syntax)
    : impl_(std::make_unique<SourceMap::Impl>()) {
  impl_->syntax = syntax;
  impl_->text = std::string(text);
  impl_->line_starts.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') impl_->line_starts.push_back(i + 1);
  }
}

size_t SourceMapBuilder::OffsetOfTokenizerPosition(int line, int column) const {
  if (line < 0 || static_cast<size_t>(line) >= impl_->line_starts.size()) {
    return kNoOffset;
  }
  const absl::string_view text = impl_->text;
  size_t offset = impl_->line_starts[line];
  int visual = 0;
  while (offset < text.size() && text[offset] != '\n' && visual < column) {
    visual = text[offset] == '\t' ? visual + 8 - visual % 8 : visual + 1;
    ++offset;
  }
  return offset;
}

void SourceMapBuilder::AddField(std::string path, size_t offset,
                                size_t value_offset) {
  impl_->fields.insert_or_assign(
      std::move(path), SourceMap::Impl::FieldSource{offset, value_offset});
}

SourceMap SourceMapBuilder::Build() {
  SourceMap map;
  map.impl_ = std::move(impl_);
  return map;
}

}  // namespace tact::internal
