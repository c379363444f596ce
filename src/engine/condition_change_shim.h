// TEMPORARY: stands in for src/policy/condition_change.h (branch
// `conditions`) until it is merged; removed then.
#ifndef TACT_SRC_ENGINE_CONDITION_CHANGE_SHIM_H_
#define TACT_SRC_ENGINE_CONDITION_CHANGE_SHIM_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "src/expr/program.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

struct FoundChanges {
  bool stated = false;
  std::string why;
  std::vector<v1::ContextChange> changes;
};

inline FoundChanges ChangesFor(const Program&, const std::vector<Conjunct>&,
                               Frame&, const v1::Context&, bool) {
  FoundChanges f;
  f.why = "condition analysis is not merged yet";
  return f;
}

inline absl::Status ApplyFieldChange(const v1::ContextChange&, v1::Context*) {
  return absl::UnimplementedError("set/clear not merged yet");
}

}  // namespace tact::internal

#endif  // TACT_SRC_ENGINE_CONDITION_CHANGE_SHIM_H_
