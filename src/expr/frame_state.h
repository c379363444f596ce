// A Frame's per-decision state: the context facts a Program reads, extracted
// into slots, memoized definition results, the loop variables of running
// macros and the strings made during evaluation. The evaluator reads and
// writes it directly (Frame::Impl is private to Frame).
#ifndef TACT_SRC_EXPR_FRAME_STATE_H_
#define TACT_SRC_EXPR_FRAME_STATE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/expr/history_view.h"
#include "src/expr/planner.h"
#include "src/expr/program.h"
#include "src/expr/value.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {

// A frame's state, visible to the evaluator (Frame::Impl is private).
struct FrameState {
  const CompiledProgram* program = nullptr;
  const v1::Context* context = nullptr;
  std::vector<Value> slots;
  std::vector<Value> definition_values;
  // definition_values[i] is this decision's when definition_epoch[i] ==
  // epoch (so Reset need not clear it).
  std::vector<uint32_t> definition_epoch;
  uint32_t epoch = 0;
  // The events visible at context->now(): what history macros iterate.
  HistoryView history;
  // The history index each loop variable currently denotes.
  std::vector<int32_t> loop;
  // Strings made during evaluation (concatenation, conversions, messages).
  std::deque<std::string> arena;

  absl::string_view Keep(std::string s) {
    arena.push_back(std::move(s));
    return arena.back();
  }

  // --- The decision's budget (EvalBudget, program.h) ---
  EvalBudget budget;
  // Steps charged before the current window; the window's size; steps left
  // in it. A step is charged by `--countdown < 0 && !Tick()`.
  int64_t steps_before_window = 0;
  int64_t window = 0;
  int64_t countdown = 0;
  int64_t bytes_built = 0;
  // Non-OK once a budget is exceeded; every later step then fails at once.
  absl::Status exhausted;
  // The exhausted message, as an evaluation error.
  std::string exhausted_message;
  // What is being evaluated, for the messages: "rule", "refund".
  absl::string_view site_kind;
  absl::string_view site_name;
  // The innermost definition being evaluated, or -1.
  int32_t definition = -1;

  // Makes every memoized definition result stale.
  void ForgetDefinitions() {
    if (++epoch == 0) {  // wrapped: forget every stored epoch
      definition_epoch.assign(definition_epoch.size(), 0);
      epoch = 1;
    }
  }

  // Starts a fresh budget.
  void StartBudget(const EvalBudget& b);
  // Called when `countdown` went negative: charges the steps it went below
  // zero by, and checks the deadline and cancellation. False when a budget
  // is exceeded (then `exhausted` says which).
  bool Tick();
  // Charges `n` steps at once.
  bool ChargeSteps(int64_t n) {
    countdown -= n;
    return countdown >= 0 || Tick();
  }
  // Charges `n` bytes of strings built; false (and `exhausted` set) when
  // that exceeds the budget.
  bool ChargeBytes(int64_t n, absl::string_view what);
  // Checks the deadline and cancellation now.
  bool CheckInterrupt();
  // Records that a budget was exceeded; returns false.
  bool Exhaust(absl::Status status);
  Value ExhaustedValue() const { return Value::Error(exhausted_message); }
};

struct Frame::Impl : FrameState {
  // Declared attributes as read from the context (scratch for Reset).
  std::vector<Value> attributes;
};

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_FRAME_STATE_H_
