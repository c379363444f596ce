// Checks on a policy's counts and values that protobuf's parsers do not
// make: how many elements each repeated field has (counted while reading,
// before the parse spends memory on them), enum numbers the schema does not
// define, strings that are not UTF-8, and the currency code.
#ifndef TACT_SRC_IO_POLICY_SCAN_H_
#define TACT_SRC_IO_POLICY_SCAN_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "src/common/source_map.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

namespace tact::internal {

// Counts the elements of every repeated field of the policy in `text`
// without parsing it into a message: linear time, memory bounded by the
// nesting depth. Appends one error naming the first field over its limit
// (CompileOptions::max_rules, max_actions, max_definitions for the top-level
// lists, max_repeated_field for every other repeated field and map), with
// its position for text and JSON, and returns InvalidArgument. Input the
// scanner cannot follow is left to the parser (returns OK). For binary policies
// also rejects a string field that is not UTF-8, naming it, before protobuf's
// parser fails on it without a name.
absl::Status ScanPolicyCounts(absl::string_view text, PolicyFormat format,
                              absl::string_view file,
                              const CompileOptions& options,
                              std::vector<Diagnostic>& diagnostics);

// The same count limits on a parsed policy (for FromPolicy), and the value
// checks: every enum field holds a number its enum defines, every string is
// UTF-8, and `currency` is empty or three uppercase ASCII letters. Appends
// one error per problem, located through `loaded.source_map`; returns
// whether there was none.
bool CheckPolicyValues(const LoadedPolicy& loaded,
                       const CompileOptions& options,
                       std::vector<Diagnostic>& diagnostics);

}  // namespace tact::internal

#endif  // TACT_SRC_IO_POLICY_SCAN_H_
