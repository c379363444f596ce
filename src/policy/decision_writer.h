// Writing a ranked decision into a v1::Decision: the one place that knows
// how output reuses a previous decision's storage.
//
// Every writer overwrites in place: repeated fields reuse the elements (and
// their strings' capacity) a previous decision left, then are cut to
// length, so a caller deciding into the same Decision again and again does
// not allocate in steady state. Nothing written views tact's storage.
#ifndef TACT_SRC_POLICY_DECISION_WRITER_H_
#define TACT_SRC_POLICY_DECISION_WRITER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "src/expr/value.h"
#include "src/policy/outcome.h"
#include "src/policy/plan.h"
#include "src/policy/ranked.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// The decision's header: which policy decided, and at what time. Clears the
// trace (keeping its elements for RunRules to reuse).
void WriteDecisionHeader(absl::string_view policy_name,
                         absl::string_view policy_version,
                         absl::string_view policy_hash,
                         const google::protobuf::Timestamp& now,
                         v1::Decision* out);

// The ranking's result: scratch.ranked as actions (or needs_approval when
// an authority is required), their effects and those a pass added,
// scratch.blocked in action id order, then the outcome's own effects and
// its flags.
void WriteRanking(const PolicyPlan& plan, const Outcome& outcome,
                  RankScratch& scratch, v1::Decision* decision);

// Writes the wire form of an expression value into `*out` (the oneof set,
// or cleared for a value with no wire form).
void WriteProtoValue(const Value& value, v1::Value* out);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_DECISION_WRITER_H_
