// A Frame's per-decision state: the context facts a Program reads, extracted
// into slots, memoized definition results, the loop variables of running
// macros and the strings made during evaluation. The evaluator reads and
// writes it directly (Frame::Impl is private to Frame).
#ifndef TACT_SRC_EXPR_FRAME_STATE_H_
#define TACT_SRC_EXPR_FRAME_STATE_H_

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
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
};

struct Frame::Impl : FrameState {
  // Declared attributes as read from the context (scratch for Reset).
  std::vector<Value> attributes;
};

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_FRAME_STATE_H_
