// Writing a ranked decision into a v1::Decision: the one place that knows
// how output reuses a previous decision's storage.
//
// Every writer overwrites in place: repeated fields reuse the elements (and
// their strings' capacity) a previous decision left, then are cut to
// length, so a caller deciding into the same Decision again and again does
// not allocate in steady state. Nothing written views tact's storage.
//
// Protobuf deletes what a message no longer holds: a cleared element's
// sub-messages, the string of a oneof that switches to an int, an optional
// sub-message cleared. On a Decision on the heap, what one decision lets go
// of is kept instead, per thread (Spares), for the next one that needs it:
// elements cut off the end of a list, with their sub-messages and strings,
// and the strings and messages a field drops. Decisions on varied contexts
// then stop allocating too once warm, not only repeats of one.
#ifndef TACT_SRC_POLICY_DECISION_WRITER_H_
#define TACT_SRC_POLICY_DECISION_WRITER_H_

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "src/expr/value.h"
#include "src/policy/outcome.h"
#include "src/policy/plan.h"
#include "src/policy/ranked.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

// Set while a decision is written into a Decision that is not reused
// (Engine::Decide's own): writers then give no room up front (lists sized
// to what lists have held, strings to their field's longest), which only a
// reused Decision gains from. Per thread; FreshDecision sets it.
inline thread_local bool writing_fresh_decision = false;

// Marks, for its lifetime, the decision being written as a fresh one.
class FreshDecision {
 public:
  FreshDecision() : outer_(writing_fresh_decision) {
    writing_fresh_decision = true;
  }
  ~FreshDecision() { writing_fresh_decision = outer_; }
  FreshDecision(const FreshDecision&) = delete;
  FreshDecision& operator=(const FreshDecision&) = delete;

 private:
  bool outer_;
};

// Objects of type T (a message, or std::string) that a heap Decision let
// go of, kept for the next decision on this thread: at most kMax, the rest
// are deleted.
template <typename T>
class Spares {
 public:
  static constexpr size_t kMax = 4096;
  // A spare holding more than this many bytes of text is deleted rather
  // than kept: one hostile decision's huge strings are not kept for the
  // thread's lifetime.
  static constexpr size_t kMaxBytes = 64 * 1024;
  // Takes ownership of `object` (nothing when null).
  static void Put(T* object) {
    std::unique_ptr<T> owned(object);  // deleted unless kept, even on throw
    if (owned == nullptr || TooLarge(*owned)) return;
    std::vector<std::unique_ptr<T>>& list = List();
    if (list.size() >= kMax) return;
    list.push_back(std::move(owned));
  }
  // A spare (its content stale: the caller writes every field), or null.
  static T* Take() {
    std::vector<std::unique_ptr<T>>& list = List();
    if (list.empty()) return nullptr;
    T* object = list.back().release();
    list.pop_back();
    return object;
  }

 private:
  // Its content is still there when it is let go of, so its size says
  // what its strings hold (StringSite keeps their room near their text).
  static bool TooLarge(const T& object) {
    if constexpr (std::is_same_v<T, std::string>) {
      return object.capacity() > kMaxBytes;
    } else {
      return object.ByteSizeLong() > kMaxBytes;
    }
  }
  static std::vector<std::unique_ptr<T>>& List() {
    thread_local std::vector<std::unique_ptr<T>> list = [] {
      std::vector<std::unique_ptr<T>> reserved;
      reserved.reserve(kReserved);
      return reserved;
    }();
    return list;
  }
  // Room reserved at first use, so that a list that grows and shrinks
  // around its working size does not reallocate.
  static constexpr size_t kReserved = 256;
};

// Whether `message` is on the heap (not on an arena, which owns its
// objects and reuses nothing): then it trades objects with Spares.
inline bool OnHeap(const google::protobuf::MessageLite& message) {
  return message.GetArena() == nullptr;
}

// The longest string one writing site (a field of one writer) has needed
// on this thread, rounded up, at most kMaxHint: every string the site
// writes is given that much room. Elements trade places between decisions
// (Spares), so a string may meet a longer text than it held before; with
// the room the site has needed, it does not grow again once warm. One per
// site:
//   thread_local StringSite site;
class StringSite {
 public:
  static constexpr size_t kMaxHint = 1024;
  // `first`: the least room given once a string needs more than it holds
  // inline (a power of two).
  constexpr explicit StringSite(size_t first = 32) : first_(first) {}
  // Makes room in `*out` for `size` bytes, and for the site's longest.
  void Fit(std::string* out, size_t size) {
    if (size > most_) most_ = RoundUp(size);
    const size_t room = size > most_ || writing_fresh_decision ? size : most_;
    if (out->capacity() < room) out->reserve(room);
  }
  void Assign(std::string* out, absl::string_view text) {
    ShrinkIfHuge(out, text.size());
    Fit(out, text.size());
    out->assign(text.data(), text.size());
  }
  // Sets a string field whose value is `current` to `text` through
  // `mutable_field()`, unless it already holds it: a reused element mostly
  // holds what it is given again (the same action in the same place, the
  // same reason), and comparing costs less than writing.
  template <typename MutableField>
  void Set(const std::string& current, absl::string_view text,
           MutableField mutable_field) {
    if (absl::string_view(current) == text) return;
    Assign(mutable_field(), text);
  }
  // Before appending an unknown length to `*out` (then Fit the result):
  // room for the longest the site has seen.
  void Prepare(std::string* out) {
    ShrinkIfHuge(out, out->size());
    if (!writing_fresh_decision && out->capacity() < most_) {
      out->reserve(most_);
    }
  }

 private:
  // A string whose room is far beyond both the site's hint and what it is
  // to hold (a hostile context's huge text, met once) lets it go, so that
  // reused decisions do not keep it.
  static void ShrinkIfHuge(std::string* out, size_t size) {
    if (out->capacity() > 4 * kMaxHint && out->capacity() > 4 * size) {
      std::string kept(out->data(), std::min(out->size(), size));
      out->swap(kept);
    }
  }
  // Sizes go up in powers of two from `first_`, so that the hint settles after
  // a few steps and strings sized early rarely fall short later.
  size_t RoundUp(size_t size) const {
    if (size >= kMaxHint) return kMaxHint;
    size_t rounded = first_;
    while (rounded < size) rounded *= 2;
    return rounded;
  }
  size_t first_;
  // Until a string needs more, what a std::string holds without allocating
  // (libstdc++'s, libc++'s is more): short texts stay inline.
  size_t most_ = 15;
};

// The room one list of T has needed at most on this thread (a power of
// two, from 8).
template <typename T>
size_t& MostElements() {
  thread_local size_t most = 0;
  return most;
}

template <typename T>
void TruncateElements(google::protobuf::RepeatedPtrField<T>* field, int used);

// A new element gets room in its own lists for what lists of their type
// have held (MostElements), so that an element first used for a short
// entry does not grow when it later holds a longer one.
template <typename T>
void SizeNew(T*) {}
template <typename T>
void ReserveMost(google::protobuf::RepeatedPtrField<T>* field) {
  const size_t most = MostElements<T>() == 0 ? 8 : MostElements<T>();
  field->Reserve(static_cast<int>(most));
}
inline void SizeNew(v1::RecommendedAction* action) {
  ReserveMost(action->mutable_params());
  ReserveMost(action->mutable_reasons());
  ReserveMost(action->mutable_tags());
}
inline void SizeNew(v1::BlockedAction* blocked) {
  ReserveMost(blocked->mutable_wanted_by());
}

// An element let go of gives its own lists to Spares first, so that what
// it holds stays available to every decision, not only to the one that
// takes this element back. Nothing for elements without lists.
template <typename T>
void ReleaseNested(T*) {}
inline void ReleaseNested(v1::RecommendedAction* action) {
  TruncateElements(action->mutable_params(), 0);
  TruncateElements(action->mutable_reasons(), 0);
  TruncateElements(action->mutable_tags(), 0);
}
inline void ReleaseNested(v1::BlockedAction* blocked) {
  TruncateElements(blocked->mutable_wanted_by(), 0);
}

// The element `*used` of `field`, reusing one a previous decision left or
// a spare (every field of it must then be written or cleared); counts it
// as used. The list's room grows to the most a list of T has held.
template <typename T>
T* NextElement(google::protobuf::RepeatedPtrField<T>* field, int* used) {
  if (*used < field->size()) return field->Mutable((*used)++);
  ++*used;
  // Room for 8 at first, then in powers of two: few steps to settle.
  size_t& most = MostElements<T>();
  while (static_cast<size_t>(*used) > most) most = most == 0 ? 8 : 2 * most;
  if (field->Capacity() < *used) field->Reserve(static_cast<int>(most));
  if (field->GetArena() == nullptr) {
    if (T* spare = Spares<T>::Take()) {
      field->AddAllocated(spare);
      return spare;
    }
  }
  const int cleared = field->ClearedCount();
  T* element = field->Add();
  if (cleared == 0 && !writing_fresh_decision) SizeNew(element);
  return element;
}

// Drops the elements past `used`, whole, into Spares (on an arena,
// protobuf keeps them cleared).
template <typename T>
void TruncateElements(google::protobuf::RepeatedPtrField<T>* field, int used) {
  const bool heap = field->GetArena() == nullptr;
  while (field->size() > used) {
    if (heap) {
      std::unique_ptr<T> element(field->ReleaseLast());
      ReleaseNested(element.get());
      Spares<T>::Put(element.release());
    } else {
      field->RemoveLast();
    }
  }
}

// Sets absent optional sub-message x of `message` (`set_allocated` is
// set_allocated_x) to a spare, when on the heap and one is left, so that
// mutable_x() then allocates nothing. The spare's content is stale.
template <typename T, typename M>
void AdoptSpare(M* message, void (M::*set_allocated)(T*)) {
  if (!OnHeap(*message)) return;
  if (T* spare = Spares<T>::Take()) (message->*set_allocated)(spare);
}

// Clears optional sub-message x of `message` (`release` is release_x,
// `clear` clear_x), keeping it in Spares when on the heap.
template <typename T, typename M>
void DropToSpares(M* message, T* (M::*release)(), void (M::*clear)()) {
  if (OnHeap(*message)) {
    Spares<T>::Put((message->*release)());
  } else {
    (message->*clear)();
  }
}

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
