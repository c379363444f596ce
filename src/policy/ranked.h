// An action after merging its candidates: what the ranking passes (holds,
// entitlements, budget, authority) work on before the Decision is written.
//
// Everything here views the Outcome's candidates and holds, which outlive
// the ranking; the only text a pass produces is a note, kept in the
// RankScratch so its buffer is reused by the next decision.
#ifndef TACT_SRC_POLICY_RANKED_H_
#define TACT_SRC_POLICY_RANKED_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/expr/value.h"
#include "src/policy/outcome.h"
#include "src/policy/plan_parts.h"
#include "tact/v1/decision.pb.h"

namespace tact::internal {

struct RankedAction {
  // At most this many notes per action: entitlement, budget, authority.
  static constexpr int kMaxNotes = 4;

  int action = -1;
  int priority = 0;
  int stage = kUnstaged;
  double score = 0;
  // Name-sorted; those of the first candidate of the highest priority. A
  // pass may change a value (the budget clips amounts). Null: none.
  Params* params = nullptr;
  // The merged candidates, in contribution order: their effects are
  // recorded and, when `reasons_from_sources`, their reasons come first.
  Candidate* const* sources = nullptr;
  int source_count = 0;
  bool reasons_from_sources = true;
  // Notes the passes add after the sources' reasons (RankScratch::notes).
  int notes[kMaxNotes] = {};
  int note_count = 0;
  // An effect a pass adds (the budget's goodwill), recorded after the
  // sources' when the action is recommended: an index into
  // RankScratch::effects, or -1.
  int effect = -1;
  bool beyond_contract = false;
  // Set by the authority pass: the lowest authority that may approve it.
  int required_authority = -1;
};

// An action held back, written to the decision's `blocked`.
struct BlockedRef {
  int action = -1;
  BlockedCode code = BlockedCode::kVetoed;
  const ReasonRef* by_hold = nullptr;  // the hold's reason, or
  int by_note = -1;                    // a note in RankScratch::notes
  RankedAction wanted;                 // whose reasons are `wanted_by`
};

// Reusable working storage of one ranking (and its passes).
struct RankScratch {
  std::vector<Candidate*> candidates;  // grouped by action, in order
  // Per action, where its group of `candidates` starts (counting sort);
  // all zero between decisions.
  std::vector<int> group_start;
  std::vector<const Hold*> holds;  // grouped by action, in order
  std::vector<RankedAction> ranked;
  std::vector<RankedAction> alternatives;
  std::vector<BlockedRef> blocked;
  Pool<ReasonRef> notes;
  std::vector<EffectRef> effects;  // see RankedAction::effect

  void Clear() {
    candidates.clear();
    holds.clear();
    ranked.clear();
    alternatives.clear();
    blocked.clear();
    notes.Clear();
    effects.clear();
  }

  // A note on `r`, after its other reasons; fill the returned reason.
  ReasonRef& AddNote(RankedAction* r) {
    ReasonRef& note = notes.Add();
    if (r->note_count < RankedAction::kMaxNotes) {
      r->notes[r->note_count++] = static_cast<int>(notes.size()) - 1;
    }
    return note;
  }

  // Records `effect` for `r` if it ends up recommended.
  void SetEffect(RankedAction* r, const EffectRef& effect) {
    r->effect = static_cast<int>(effects.size());
    effects.push_back(effect);
  }

  // The first hold on `action`, or null.
  const Hold* HoldOn(int action) const;
  // True when `action` is listed in `blocked`.
  bool IsBlocked(int action) const;
};

// The ranking order: stage, priority (high first), score (high first), then
// action id (from `actions`).
void SortRanked(const std::vector<ActionPlan>& actions,
                std::vector<RankedAction>* ranked);

// The value of `name` in `params` (null: none), or null.
Value* FindParam(Params* params, absl::string_view name);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_RANKED_H_
