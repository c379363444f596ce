// The human-readable rendering of a Decision, for `tact decide`.
#ifndef TACT_SRC_CLI_DECISION_PRINTER_H_
#define TACT_SRC_CLI_DECISION_PRINTER_H_

#include <ostream>
#include <string>

#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::cli {

struct TextOptions {
  // Printed in the header as given. Default: empty (line omitted).
  std::string policy_path;
  std::string context_path;
  // The authority the decision was made for; printed when not empty.
  // Default: empty.
  std::string authority;
  // Add, per action, what to do and why in full sentences, and the rule
  // trace. Default: false.
  bool explain = false;
  // Add the rule trace. Default: false.
  bool trace = false;
};

// Writes `decision` as text: a header (policy name@version, short hash,
// now), the ranked actions as a table with each action's reasons (and its
// cost of service, when it has one) beneath it and the decision's total cost
// (when any), the actions that need a higher authority's approval (when any),
// the blocked actions with who held them back, the flags (when any), the
// effects, and what `options` adds. Output depends only on the arguments, so it
// is byte-identical for equal decisions. Thread-compatible.
void PrintDecisionText(const v1::Decision& decision, const TextOptions& options,
                       std::ostream& out);

// `value` as it reads in a policy: true, 42, 0.5, "text", an RFC 3339
// timestamp, a duration such as 1h30m; "null" when unset.
std::string FormatValue(const v1::Value& value);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_DECISION_PRINTER_H_
