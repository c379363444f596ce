// Rejecting malformed contexts before deciding.
#ifndef TACT_SRC_POLICY_CONTEXT_CHECK_H_
#define TACT_SRC_POLICY_CONTEXT_CHECK_H_

#include "absl/status/status.h"
#include "tact/engine.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {

// Returns InvalidArgument naming the field when `now` is missing or any
// timestamp or duration is outside the range protobuf defines (years 1 to
// 9999; nanos in [0, 1e9)), a double is NaN or infinite, or the context
// exceeds one of the limits in `options` (history events, attributes, string
// bytes). Fail closed: also when a history event has no `at`, or `now` or an
// event's `at` is outside the years 1678 to 2262 that expressions handle
// (a construct could not place such an event in its window, and would
// otherwise not count it). Everything else in a context is acceptable.
// Linear in the context.
absl::Status CheckContext(const v1::Context& context,
                          const DecideOptions& options = {});

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_CONTEXT_CHECK_H_
