// Helpers the constructs share to write their ConstructTrace entry
// (Decision.construct_trace, TRACE_FULL). Each construct fills its entry in
// its own propose or adjust step from the values its decision logic used;
// these only convert and format.
#ifndef TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_TRACE_H_
#define TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_TRACE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "tact/codes.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

using ConstructTraces = google::protobuf::RepeatedPtrField<v1::ConstructTrace>;

// Appends the entry of construct `id` of `kind` to `traces` (REQUIRES: not
// null) and returns it.
v1::ConstructTrace* AddConstructTrace(ConstructTraces* traces, SourceKind kind,
                                      absl::string_view id);

// `t` as a protobuf Timestamp; the infinite past and future are left unset.
void SetTraceTime(absl::Time t, google::protobuf::Timestamp* out);
void SetTraceDuration(absl::Duration d, google::protobuf::Duration* out);

// The largest number of strike events a StrikeTrace lists (`counted`).
inline constexpr int kMaxTracedStrikeEvents = 100;

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONSTRUCTS_CONSTRUCT_TRACE_H_
