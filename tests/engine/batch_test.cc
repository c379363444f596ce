// tact::DecideMany: the same outcomes as deciding one by one, whatever the
// number of threads; per-context errors in their own slots; empty batches;
// out-of-range thread counts; the streaming form and its exceptions.
#include "tact/batch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tact/engine.h"
#include "tests/testing/status_matchers.h"

namespace tact {
namespace {

using ::tact::testing::IsOk;
using ::tact::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class DecideManyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<const Engine>> engine =
        Engine::FromFile("examples/policies/service_playbook.textproto");
    ASSERT_THAT(engine, IsOk());
    engine_ = *std::move(engine);
    std::ifstream in("examples/cases/sample_cases.jsonl");
    for (std::string line; std::getline(in, line) && lines_.size() < 300;) {
      lines_.push_back(line);
    }
    ASSERT_EQ(lines_.size(), 300u);
    lines_[17] = "not json";
    lines_[200] = "{\"customer\": {\"tier\": \"gold\"}}";  // no `now`
  }

  std::vector<BatchContext> Batch() const {
    std::vector<BatchContext> batch;
    for (const std::string& line : lines_) {
      batch.push_back(BatchContext::Json(line));
    }
    return batch;
  }

  // Every outcome as bytes: the decision's JSON or the status.
  static std::vector<std::string> Bytes(
      const std::vector<absl::StatusOr<v1::Decision>>& outcomes) {
    std::vector<std::string> out;
    for (const auto& outcome : outcomes) {
      out.push_back(outcome.ok() ? DecisionToJson(*outcome, false)
                                 : outcome.status().ToString());
    }
    return out;
  }

  std::unique_ptr<const Engine> engine_;
  std::vector<std::string> lines_;
};

TEST_F(DecideManyTest, SameOutcomesAsDecidingOneByOne) {
  std::vector<absl::StatusOr<v1::Decision>> expected;
  for (const std::string& line : lines_) {
    absl::StatusOr<v1::Context> context = ContextFromJson(line);
    if (!context.ok()) {
      expected.push_back(context.status());
    } else {
      expected.push_back(engine_->Decide(*context));
    }
  }
  BatchOptions options;
  options.threads = 3;
  EXPECT_EQ(Bytes(DecideMany(*engine_, Batch(), options)), Bytes(expected));
}

TEST_F(DecideManyTest, ResultDoesNotDependOnTheThreadCount) {
  BatchOptions one;
  one.threads = 1;
  const std::vector<std::string> expected =
      Bytes(DecideMany(*engine_, Batch(), one));
  for (int threads : {2, 3, 8, 0}) {
    BatchOptions many;
    many.threads = threads;
    EXPECT_EQ(Bytes(DecideMany(*engine_, Batch(), many)), expected)
        << threads << " threads";
  }
}

TEST_F(DecideManyTest, EachErrorStaysInItsSlot) {
  std::vector<absl::StatusOr<v1::Decision>> outcomes =
      DecideMany(*engine_, Batch());
  ASSERT_EQ(outcomes.size(), lines_.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (i == 17 || i == 200) {
      EXPECT_THAT(outcomes[i], StatusIs(absl::StatusCode::kInvalidArgument, _))
          << i;
    } else {
      EXPECT_THAT(outcomes[i], IsOk()) << i;
    }
  }
  EXPECT_THAT(outcomes[200].status().message(), HasSubstr("now"));
}

TEST_F(DecideManyTest, TakesParsedBinaryAndFailedContexts) {
  absl::StatusOr<v1::Context> context = ContextFromJson(lines_[0]);
  ASSERT_THAT(context, IsOk());
  const std::string bytes = context->SerializeAsString();
  std::vector<BatchContext> batch = {
      BatchContext::Parsed(*context),
      BatchContext::Binary(bytes),
      BatchContext::Binary("\xff not a message"),
      BatchContext::Failed(absl::InvalidArgumentError("host: bad dict")),
      BatchContext::Json(lines_[0]),
  };
  std::vector<absl::StatusOr<v1::Decision>> outcomes =
      DecideMany(*engine_, batch);
  ASSERT_EQ(outcomes.size(), 5u);
  ASSERT_THAT(outcomes[0], IsOk());
  const std::string expected = DecisionToJson(*outcomes[0]);
  ASSERT_THAT(outcomes[1], IsOk());
  EXPECT_EQ(DecisionToJson(*outcomes[1]), expected);
  EXPECT_THAT(outcomes[2], StatusIs(absl::StatusCode::kInvalidArgument, _));
  EXPECT_THAT(outcomes[3],
              StatusIs(absl::StatusCode::kInvalidArgument, "host: bad dict"));
  ASSERT_THAT(outcomes[4], IsOk());
  EXPECT_EQ(DecisionToJson(*outcomes[4]), expected);
}

TEST_F(DecideManyTest, EmptyBatchGivesEmptyResult) {
  BatchOptions options;
  int64_t last_total = -1;
  options.progress = [&](int64_t, int64_t total) { last_total = total; };
  EXPECT_THAT(DecideMany(*engine_, {}, options), IsEmpty());
  EXPECT_EQ(last_total, 0);
}

TEST_F(DecideManyTest, OutOfRangeThreadCountsStillDecideEverything) {
  const std::vector<std::string> expected =
      Bytes(DecideMany(*engine_, Batch()));
  for (int threads : {-5, 0, 100000}) {
    BatchOptions options;
    options.threads = threads;
    EXPECT_EQ(Bytes(DecideMany(*engine_, Batch(), options)), expected)
        << threads << " threads";
  }
}

TEST_F(DecideManyTest, AppliesTheDecideOptions) {
  std::vector<BatchContext> batch = {BatchContext::Json(lines_[0])};
  BatchOptions options;
  options.decide.trace = true;
  std::vector<absl::StatusOr<v1::Decision>> outcomes =
      DecideMany(*engine_, batch, options);
  ASSERT_THAT(outcomes[0], IsOk());
  EXPECT_GT(outcomes[0]->trace_size(), 0);
  options.decide.authority = "no such authority";
  outcomes = DecideMany(*engine_, batch, options);
  absl::StatusOr<v1::Context> context = ContextFromJson(lines_[0]);
  ASSERT_THAT(context, IsOk());
  absl::StatusOr<v1::Decision> one = engine_->Decide(*context, options.decide);
  EXPECT_EQ(outcomes[0].status(), one.status());
}

TEST_F(DecideManyTest, StreamingFormHandsEveryIndexOverOnceWithItsContext) {
  const std::vector<BatchContext> batch = Batch();
  std::vector<std::atomic<int>> calls(batch.size());
  std::vector<std::string> case_ids(batch.size());
  BatchOptions options;
  options.threads = 4;
  std::atomic<int64_t> reported_done{0};
  options.progress = [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, static_cast<int64_t>(batch.size()));
    reported_done = done;
  };
  DecideMany(*engine_, batch, options,
             [&](size_t i, const v1::Context* context,
                 absl::StatusOr<v1::Decision>& decision) {
               ++calls[i];
               EXPECT_EQ(context == nullptr, i == 17) << i;
               EXPECT_EQ(decision.ok(), i != 17 && i != 200) << i;
               if (context != nullptr) case_ids[i] = context->case_().id();
             });
  for (size_t i = 0; i < batch.size(); ++i) EXPECT_EQ(calls[i], 1) << i;
  EXPECT_EQ(case_ids[0], "case_00001");
  EXPECT_EQ(reported_done, static_cast<int64_t>(batch.size()));
}

TEST_F(DecideManyTest, StreamingFormRethrowsTheCallbacksException) {
  BatchOptions options;
  options.threads = 4;
  std::atomic<int> calls{0};
  EXPECT_THROW(DecideMany(*engine_, Batch(), options,
                          [&](size_t i, const v1::Context*,
                              absl::StatusOr<v1::Decision>&) {
                            ++calls;
                            if (i == 5) throw std::runtime_error("full");
                          }),
               std::runtime_error);
  EXPECT_GE(calls.load(), 1);
}

// The progress callback is called about every 100 ms, but a batch that is
// done sooner returns at once: it does not wait out the interval (each
// Python decide_many took at least 100 ms). The decisions wait for the
// first progress call, so the batch is always done within an interval.
TEST_F(DecideManyTest, TinyBatchWithProgressDoesNotWaitAnInterval) {
  std::vector<BatchContext> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(BatchContext::Json(lines_[i]));
  BatchOptions options;
  options.threads = 2;
  std::atomic<int> calls{0};
  std::atomic<int64_t> last_done{-1};
  options.progress = [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 3);
    ++calls;
    last_done = done;
  };
  // The fastest of a few runs, so that a busy machine does not fail it.
  auto fastest = std::chrono::steady_clock::duration::max();
  for (int run = 0; run < 5; ++run) {
    calls = 0;
    std::atomic<int> decided{0};
    const auto start = std::chrono::steady_clock::now();
    DecideMany(*engine_, batch, options,
               [&](size_t, const v1::Context*,
                   absl::StatusOr<v1::Decision>& decision) {
                 while (calls.load() == 0) std::this_thread::yield();
                 EXPECT_THAT(decision, IsOk());
                 ++decided;
               });
    fastest = std::min(fastest, std::chrono::steady_clock::now() - start);
    EXPECT_EQ(decided.load(), 3);
    EXPECT_GE(calls.load(), 2);  // the first one and (3, 3) at the end
    EXPECT_EQ(last_done.load(), 3);
  }
  EXPECT_LT(
      std::chrono::duration_cast<std::chrono::milliseconds>(fastest).count(),
      50);
}

// An exception from the progress callback stops the workers, which are
// joined before it reaches the caller (not std::terminate).
TEST_F(DecideManyTest, ProgressCallbacksExceptionIsRethrown) {
  BatchOptions options;
  options.threads = 2;
  options.progress = [](int64_t, int64_t) {
    throw std::runtime_error("progress failed");
  };
  EXPECT_THROW(DecideMany(*engine_, Batch(), options), std::runtime_error);
}

}  // namespace
}  // namespace tact
