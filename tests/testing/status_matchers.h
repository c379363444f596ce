// Small status matchers for tests (Abseil 20220623 ships none).
#ifndef TACT_TESTS_TESTING_STATUS_MATCHERS_H_
#define TACT_TESTS_TESTING_STATUS_MATCHERS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tact::testing {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// EXPECT_THAT(Foo(), IsOk());
MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

// EXPECT_THAT(Foo(), StatusIs(absl::StatusCode::kInvalidArgument,
//                             HasSubstr("now")));
MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(status.message()), result_listener);
}

}  // namespace tact::testing

#define TACT_ASSERT_OK_AND_ASSIGN(lhs, expr)                               \
  TACT_ASSERT_OK_AND_ASSIGN_IMPL(TACT_TESTING_CONCAT(statusor_, __LINE__), \
                                 lhs, expr)
#define TACT_TESTING_CONCAT_IMPL(a, b) a##b
#define TACT_TESTING_CONCAT(a, b) TACT_TESTING_CONCAT_IMPL(a, b)
#define TACT_ASSERT_OK_AND_ASSIGN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  ASSERT_TRUE(statusor.ok()) << statusor.status();          \
  lhs = *std::move(statusor)

#endif  // TACT_TESTS_TESTING_STATUS_MATCHERS_H_
