// Status propagation macros (Abseil 20220623 ships none).
#ifndef TACT_SRC_COMMON_STATUS_MACROS_H_
#define TACT_SRC_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TACT_INTERNAL_CONCAT_IMPL(a, b) a##b
#define TACT_INTERNAL_CONCAT(a, b) TACT_INTERNAL_CONCAT_IMPL(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define TACT_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::absl::Status tact_status_ = (expr);        \
    if (!tact_status_.ok()) return tact_status_; \
  } while (false)

// `TACT_ASSIGN_OR_RETURN(auto x, Foo());` assigns the value of a StatusOr or
// returns its status from the enclosing function.
#define TACT_ASSIGN_OR_RETURN(lhs, expr) \
  TACT_INTERNAL_ASSIGN_OR_RETURN(        \
      TACT_INTERNAL_CONCAT(tact_statusor_, __LINE__), lhs, expr)
#define TACT_INTERNAL_ASSIGN_OR_RETURN(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = *std::move(statusor)

#endif  // TACT_SRC_COMMON_STATUS_MACROS_H_
