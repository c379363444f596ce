// Assembling a SourceMap while a policy is parsed (text format or JSON).
#ifndef TACT_SRC_COMMON_SOURCE_MAP_BUILDER_H_
#define TACT_SRC_COMMON_SOURCE_MAP_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "src/common/source_map.h"
#include "src/common/string_literal.h"

namespace tact::internal {

class SourceMapBuilder;

struct SourceMap::Impl {
  struct FieldSource {
    // Byte offset of the field (its name, or the element of a list).
    size_t offset = 0;
    // Byte offset of the opening quote of its string value; kNoOffset when
    // the value is not a string literal.
    size_t value_offset = kNoOffset;
  };

  SourceSyntax syntax = SourceSyntax::kText;
  // A copy of the policy source: InString decodes the literals again.
  std::string text;
  // Byte offset where each line starts; line_starts[0] == 0.
  std::vector<size_t> line_starts;
  absl::flat_hash_map<std::string, FieldSource> fields;
  // Byte offset of every tab, ascending, and the tokenizer column just past
  // each (tabs advance to the next multiple of 8): with line_starts, maps a
  // tokenizer position to an offset by binary search, so mapping every
  // field of a long one-line policy stays linear overall.
  std::vector<size_t> tabs;
  std::vector<int64_t> column_after_tab;
  // Fills `fields` the first time a position is asked for (Fill), so a
  // policy that loads without a diagnostic never pays for its map; set by
  // SourceMapBuilder::Defer, run at most once, on any thread.
  std::function<void(SourceMapBuilder&)> deferred;
  absl::once_flag filled;

  // 1-based line and byte column of `offset`.
  FileLocation LocationOf(size_t offset) const;
  // Runs `deferred` once. Thread-safe.
  void Fill();
};

// Collects field positions for one source text. Thread-compatible.
class SourceMapBuilder {
 public:
  SourceMapBuilder(absl::string_view text, SourceSyntax syntax);

  SourceMapBuilder(const SourceMapBuilder&) = delete;
  SourceMapBuilder& operator=(const SourceMapBuilder&) = delete;

  absl::string_view text() const { return impl_->text; }

  // The byte offset of a position reported by protobuf's tokenizer: 0-based
  // line and column, where a tab advances the column to the next multiple
  // of 8. Clamped to the line; kNoOffset when `line` is out of range.
  size_t OffsetOfTokenizerPosition(int line, int column) const;

  // 1-based line and byte column of `offset`.
  FileLocation LocationOf(size_t offset) const {
    return impl_->LocationOf(offset);
  }

  // Records `path`; a later record of the same path replaces it (the text
  // parser keeps the last of duplicate map keys too).
  void AddField(std::string path, size_t offset,
                size_t value_offset = kNoOffset);

  // Records the fields later: `fill` runs with a builder over the same map
  // the first time the built SourceMap is asked for a position (and never
  // when it is not). `fill` must own what it reads (e.g. a parse tree).
  void Defer(std::function<void(SourceMapBuilder&)> fill);

  // REQUIRES: called once, last.
  SourceMap Build();

 private:
  friend struct SourceMap::Impl;
  // A builder adding to `impl`, which it does not own (for Defer's fill).
  explicit SourceMapBuilder(SourceMap::Impl* impl) : impl_(impl) {}

  std::unique_ptr<SourceMap::Impl> owned_;
  SourceMap::Impl* impl_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_SOURCE_MAP_BUILDER_H_
