// The human-readable rendering of an Engine::WhyNot answer, for
// `tact decide --why-not=ACTION`.
#ifndef TACT_SRC_CLI_WHY_NOT_PRINTER_H_
#define TACT_SRC_CLI_WHY_NOT_PRINTER_H_

#include <ostream>

#include "tact/v1/decision.pb.h"

namespace tact::cli {

// Writes `why_not` as text: the action and its status, the summary, then
// each path numbered, with the rule or construct and what stops it now,
// each change it needs, and whether deciding again with those changes was
// checked to recommend the action. Output depends only on the argument.
// Thread-compatible.
void PrintWhyNotText(const v1::WhyNot& why_not, std::ostream& out);

}  // namespace tact::cli

#endif  // TACT_SRC_CLI_WHY_NOT_PRINTER_H_
