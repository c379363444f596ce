// SourceMap: where each field of a loaded policy came from.
#include "src/common/source_map.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
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

void SourceMap::Impl::Fill() {
  absl::call_once(filled, [this] {
    if (deferred == nullptr) return;
    SourceMapBuilder builder(this);
    deferred(builder);
    deferred = nullptr;  // what it held (a parse tree) is freed
  });
}

SourceMap::SourceMap() : impl_(std::make_unique<Impl>()) {}
SourceMap::~SourceMap() = default;
SourceMap::SourceMap(SourceMap&&) noexcept = default;
SourceMap& SourceMap::operator=(SourceMap&&) noexcept = default;

FileLocation SourceMap::Field(absl::string_view path) const {
  if (impl_ == nullptr) return {};
  impl_->Fill();
  const auto it = impl_->fields.find(path);
  if (it == impl_->fields.end()) return {};
  return impl_->LocationOf(it->second.offset);
}

FileLocation SourceMap::InString(absl::string_view path, int line,
                                 int column) const {
  if (impl_ == nullptr) return {};
  impl_->Fill();
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
    : owned_(std::make_unique<SourceMap::Impl>()), impl_(owned_.get()) {
  impl_->syntax = syntax;
  impl_->text = std::string(text);
  impl_->line_starts.push_back(0);
  int64_t column = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      impl_->line_starts.push_back(i + 1);
      column = 0;
    } else if (text[i] == '\t') {
      column += 8 - column % 8;
      impl_->tabs.push_back(i);
      impl_->column_after_tab.push_back(column);
    } else {
      ++column;
    }
  }
}

size_t SourceMapBuilder::OffsetOfTokenizerPosition(int line, int column) const {
  if (line < 0 || static_cast<size_t>(line) >= impl_->line_starts.size()) {
    return kNoOffset;
  }
  const std::vector<size_t>& starts = impl_->line_starts;
  const std::vector<size_t>& tabs = impl_->tabs;
  const std::vector<int64_t>& after_tab = impl_->column_after_tab;
  const size_t line_start = starts[line];
  const size_t line_end = static_cast<size_t>(line) + 1 < starts.size()
                              ? starts[line + 1] - 1  // the '\n'
                              : impl_->text.size();
  // Tabs of this line: [first, last).
  const auto first = std::lower_bound(tabs.begin(), tabs.end(), line_start);
  const auto last = std::lower_bound(first, tabs.end(), line_end);
  const size_t first_index = static_cast<size_t>(first - tabs.begin());
  const size_t last_index = static_cast<size_t>(last - tabs.begin());
  // The last tab of the line that ends at or before `column`; the walk
  // resumes just past it.
  const auto after_begin = after_tab.begin() + first_index;
  const auto after_end = after_tab.begin() + last_index;
  const auto past =
      std::upper_bound(after_begin, after_end, static_cast<int64_t>(column));
  size_t base = line_start;
  int64_t base_column = 0;
  if (past != after_begin) {
    const size_t tab =
        first_index + static_cast<size_t>(past - after_begin) - 1;
    base = tabs[tab] + 1;
    base_column = after_tab[tab];
  }
  // Up to the next tab each byte is one column.
  const size_t next_tab =
      past != after_end ? tabs[first_index + (past - after_begin)] : line_end;
  if (column <= base_column) return base;
  const size_t offset = base + static_cast<size_t>(column - base_column);
  if (past != after_end && offset > next_tab) return next_tab + 1;
  return std::min(offset, line_end);
}

void SourceMapBuilder::AddField(std::string path, size_t offset,
                                size_t value_offset) {
  impl_->fields.insert_or_assign(
      std::move(path), SourceMap::Impl::FieldSource{offset, value_offset});
}

void SourceMapBuilder::Defer(std::function<void(SourceMapBuilder&)> fill) {
  impl_->deferred = std::move(fill);
}

SourceMap SourceMapBuilder::Build() {
  SourceMap map;
  map.impl_ = std::move(owned_);
  impl_ = nullptr;
  return map;
}

}  // namespace tact::internal
