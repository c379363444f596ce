#include "src/policy/service_clock.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/numeric/int128.h"

namespace tact::internal {

namespace {

int64_t Nanos(absl::Duration d) { return absl::ToInt64Nanoseconds(d); }

class Clock {
 public:
  explicit Clock(const ClockInput& in)
      : in_(in), business_(in.span.business && in.calendar != nullptr) {}

  void Run(ServiceLevelState* out) {
    const ClockMeasure m = in_.measure;
    const bool from_opening = m != ClockMeasure::kNextReply;
    if (from_opening && in_.opened_at == absl::InfinitePast()) {
      Write(out);  // no opening time: no clock
      return;
    }
    for (const ClockEvent& e : in_.events) {
      if (e.at > in_.now) break;  // not yet seen at `now`
      // Before the case opened nothing counts, pauses or resolves.
      if (from_opening && e.at < in_.opened_at) continue;
      if (from_opening && !started_ && e.at >= in_.opened_at) {
        Start(in_.opened_at);
      }
      Advance(e.at);
      switch (e.kind) {
        case ClockEvent::Kind::kCustomerMessage:
          paused_ = false;
          closed_ = false;  // a message reopens a resolved case
          if (m == ClockMeasure::kNextReply && replied_ && !running_) {
            Start(e.at);
          } else if (m == ClockMeasure::kResolution && resolved_) {
            resolved_ = false;
            stop_ = absl::InfiniteFuture();
          }
          break;
        case ClockEvent::Kind::kAgentReply:
          if (m == ClockMeasure::kNextReply) replied_ = true;
          if (m != ClockMeasure::kResolution && running_) {
            running_ = false;
            stop_ = e.at;
          }
          break;
        case ClockEvent::Kind::kStatus:
          paused_ = e.pausing;
          closed_ = e.resolving;
          if (m == ClockMeasure::kResolution && started_) {
            resolved_ = e.resolving;
            stop_ = resolved_ ? e.at : absl::InfiniteFuture();
          }
          break;
      }
      if (m == ClockMeasure::kFirstReply && started_ && !running_) break;
    }
    if (from_opening && !started_ && in_.now >= in_.opened_at) {
      Start(in_.opened_at);
    }
    Advance(in_.now);
    Write(out);
  }

 private:
  void Start(absl::Time at) {
    started_ = true;
    running_ = true;
    start_ = at;
    stop_ = absl::InfiniteFuture();
    last_ = at;
    elapsed_ = absl::ZeroDuration();
    reached_ = absl::InfiniteFuture();
  }

  // A resolved case stops every clock from counting, like a pause.
  bool Counting() const {
    return running_ && !paused_ && !resolved_ && !closed_;
  }

  // Counts [last_, t) when the clock runs.
  void Advance(absl::Time t) {
    if (!started_ || t <= last_) return;
    if (Counting()) {
      absl::Duration seg = Between(last_, t);
      const absl::Duration span = in_.span.length;
      if (reached_ == absl::InfiniteFuture() && elapsed_ < span &&
          elapsed_ + seg >= span) {
        reached_ = std::min(t, After(last_, span - elapsed_));
      }
      elapsed_ += seg;
    }
    last_ = t;
  }

  absl::Duration Between(absl::Time a, absl::Time b) const {
    if (!business_) return b - a;
    absl::Duration d;
    // More than BusinessCalendar::kMaxSpanDays apart: counted as wall time
    // (an upper bound of the business time).
    if (!in_.calendar->BusinessTimeBetween(a, b, &d)) return b - a;
    return d;
  }

  absl::Time After(absl::Time t, absl::Duration d) const {
    return business_ ? in_.calendar->AddBusinessTime(t, d) : t + d;
  }

  void Write(ServiceLevelState* out) const {
    out->state = SlaState::kNone;
    out->started = absl::InfinitePast();
    out->stopped = absl::InfiniteFuture();
    out->due = absl::InfiniteFuture();
    out->elapsed = absl::ZeroDuration();
    out->remaining = absl::ZeroDuration();
    out->percent = 0;
    out->threshold = 0;
    out->paused = false;
    out->resolved = false;
    const absl::Duration span = in_.span.length;
    if (span <= absl::ZeroDuration() || !started_) return;
    const bool stopped =
        in_.measure == ClockMeasure::kResolution ? resolved_ : !running_;
    out->started = start_;
    if (stopped) out->stopped = stop_;
    out->elapsed = elapsed_;
    out->remaining = span - elapsed_;
    // A span under 1 ns is 0 ns here: never a divisor (load refuses spans
    // under a second; this guards direct calls).
    const int64_t span_ns = std::max<int64_t>(Nanos(span), 1);
    const absl::int128 percent =
        absl::int128(Nanos(elapsed_)) * 100 / absl::int128(span_ns);
    out->percent = percent > std::numeric_limits<int32_t>::max()
                       ? std::numeric_limits<int32_t>::max()
                       : static_cast<int>(percent);
    for (int p : in_.thresholds) {
      if (ThresholdReached(elapsed_, span, p)) out->threshold = p;
    }
    out->paused = !stopped && (paused_ || closed_);
    out->resolved = !stopped && closed_;
    if (reached_ != absl::InfiniteFuture()) {
      out->due = reached_;
    } else if (stopped) {
      out->due = After(stop_, span - elapsed_);
    } else if (!paused_ && !closed_) {
      out->due = After(in_.now, span - elapsed_);
    }
    // Past due: the counted time passed the span, or the instant it reached
    // the span (due) is before the stop (or before now while running), even
    // when the desk has been closed since (no more time counted).
    const absl::Time end = stopped ? stop_ : in_.now;
    const bool past_due =
        elapsed_ > span ||
        (reached_ != absl::InfiniteFuture() && end > reached_);
    if (stopped) {
      out->state = past_due ? SlaState::kMissed : SlaState::kMet;
    } else if (past_due) {
      out->state = SlaState::kBreached;
    } else {
      out->state = out->threshold > 0 ? SlaState::kAtRisk : SlaState::kOk;
    }
  }

  const ClockInput& in_;
  const bool business_;
  bool started_ = false;
  bool running_ = false;
  bool paused_ = false;
  bool resolved_ = false;
  bool closed_ = false;  // the case's latest status is a resolved one
  bool replied_ = false;
  absl::Time start_ = absl::InfinitePast();
  absl::Time stop_ = absl::InfiniteFuture();
  absl::Time last_ = absl::InfinitePast();
  absl::Time reached_ = absl::InfiniteFuture();
  absl::Duration elapsed_ = absl::ZeroDuration();
};

}  // namespace

bool ThresholdReached(absl::Duration elapsed, absl::Duration span,
                      int percent) {
  return absl::int128(Nanos(elapsed)) * 100 >=
         absl::int128(percent) * absl::int128(Nanos(span));
}

void RunClock(const ClockInput& in, ServiceLevelState* out) {
  Clock(in).Run(out);
}

}  // namespace tact::internal
