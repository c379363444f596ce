// The one view of the history a decision reads: the events that happened at
// or before `now`. Every construct and every history macro iterates it, so a
// decision at `now` depends only on history up to `now` (replaying a case
// from a full history export at an earlier `now` gives the decision made
// then). Frame::Reset computes it once per decision.
#ifndef TACT_SRC_EXPR_HISTORY_VIEW_H_
#define TACT_SRC_EXPR_HISTORY_VIEW_H_

#include <cstdint>
#include <iterator>
#include <vector>

#include "tact/v1/context.pb.h"

namespace tact::internal {

class HistoryView {
 public:
  // Makes this the view of `context`'s history at `context.now()`: the
  // events with `at <= now`, in the context's order (the history may be in
  // any order). An event without `at` is in the past, so visible. Reuses
  // its storage: when every event is visible (the usual case) it stores
  // nothing. REQUIRES: `context` outlives the view's use.
  void Reset(const v1::Context& context) {
    events_ = &context.history();
    visible_.clear();
    all_ = true;
    const google::protobuf::Timestamp& now = context.now();
    const int size = events_->size();
    for (int i = 0; i < size; ++i) {
      if (Visible(events_->Get(i), now)) {
        if (!all_) visible_.push_back(i);
        continue;
      }
      if (all_) {
        all_ = false;
        for (int k = 0; k < i; ++k) visible_.push_back(k);
      }
    }
  }

  // Whether an event at `e.at` is visible from `now`.
  static bool Visible(const v1::Event& e,
                      const google::protobuf::Timestamp& now) {
    if (!e.has_at()) return true;
    const google::protobuf::Timestamp& at = e.at();
    return at.seconds() < now.seconds() ||
           (at.seconds() == now.seconds() && at.nanos() <= now.nanos());
  }

  // Whether every event of the context is visible.
  bool all() const { return all_; }
  int size() const {
    return all_ ? events_->size() : static_cast<int>(visible_.size());
  }
  // The context's history index of the k-th visible event.
  int32_t index(int k) const { return all_ ? k : visible_[k]; }
  const v1::Event& operator[](int k) const { return events_->Get(index(k)); }

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = v1::Event;
    using difference_type = int;
    using pointer = const v1::Event*;
    using reference = const v1::Event&;
    Iterator(const HistoryView* view, int k) : view_(view), k_(k) {}
    const v1::Event& operator*() const { return (*view_)[k_]; }
    const v1::Event* operator->() const { return &(*view_)[k_]; }
    Iterator& operator++() {
      ++k_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return k_ == o.k_; }
    bool operator!=(const Iterator& o) const { return k_ != o.k_; }

   private:
    const HistoryView* view_;
    int k_;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }

 private:
  const google::protobuf::RepeatedPtrField<v1::Event>* events_ = nullptr;
  bool all_ = true;
  std::vector<int32_t> visible_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_HISTORY_VIEW_H_
