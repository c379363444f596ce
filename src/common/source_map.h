// Where each field of a loaded policy came from, so every stage after
// loading can report file:line:col without knowing the policy's format.
#ifndef TACT_SRC_COMMON_SOURCE_MAP_H_
#define TACT_SRC_COMMON_SOURCE_MAP_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "tact/v1/policy.pb.h"

namespace tact::internal {

// A position in the policy file. 1-based; 0 means unknown. Columns count
// bytes, so a tab is one column (protobuf's own tab-expanded columns are
// converted).
struct FileLocation {
  int line = 0;
  int column = 0;
};

// Where each field of a loaded policy came from. Paths name fields the way
// the policy proto does, with indices and map keys in brackets:
//   "rules[2].when", "actions[0].id", "rules[1].recommend[0].params[amount]".
// Thread-compatible; immutable after loading.
class SourceMap {
 public:
  SourceMap();
  ~SourceMap();
  SourceMap(SourceMap&&) noexcept;
  SourceMap& operator=(SourceMap&&) noexcept;

  // The position of the field named by `path`, or {0, 0} when unknown
  // (JSON and binary policies, or a field that was not in the file).
  FileLocation Field(absl::string_view path) const;

  // The position in the file of the character at 1-based (`line`, `column`)
  // inside the string value of the field named by `path`: follows escapes
  // and adjacent string literals, so a diagnostic inside an expression
  // points at the exact byte in the file. `line`/`column` count lines ('\n')
  // and bytes of the decoded value; the position just past its end maps to
  // the closing quote. Falls back to Field(path) when the mapping is unknown
  // (binary policies, a non-string field, a position outside the value).
  FileLocation InString(absl::string_view path, int line, int column) const;

 private:
  friend class SourceMapBuilder;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct LoadedPolicy {
  v1::Policy policy;
  // The file name used in diagnostics.
  std::string file;
  SourceMap source_map;
};

}  // namespace tact::internal

#endif  // TACT_SRC_COMMON_SOURCE_MAP_H_
