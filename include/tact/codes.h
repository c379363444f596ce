// tact's machine vocabulary: the codes a Decision carries as strings.
//
// A v1::Decision says why an action was held back (`BlockedAction.code`),
// which events the host should record (`Effect.kind`), what the agent should
// know (`Flag.code`), which recovery step an action is
// (`RecommendedAction.playbook_stage`) and who proposed or held an action
// (`Reason.source_kind`). Those strings are stable: they are part of the
// JSON output and of the history a host sends back. This header declares
// each set once, as an enum, with `Name` giving the exact string and a
// `Parse...` function for readers of a decision.
//
// Example:
//
//   for (const tact::v1::BlockedAction& b : decision.blocked()) {
//     tact::BlockedCode code;
//     if (tact::ParseBlockedCode(b.code(), &code) &&
//         code == tact::BlockedCode::kBudgetExhausted) {
//       ShowBudgetBanner();
//     }
//   }
//   if (effect.kind() == tact::Name(tact::EffectKind::kGoodwill)) ...
//
// Everything here is constexpr or inline and safe for concurrent use. New
// codes may be added in later versions; a reader should treat a string that
// does not parse as a code it does not know yet, not as an error.
#ifndef TACT_CODES_H_
#define TACT_CODES_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace tact {

// Why an action is listed in `Decision.blocked` (`BlockedAction.code`).
enum class BlockedCode {
  kVetoed,           // "vetoed": a rule's veto
  kStrikeLimit,      // "strike_limit": suppressed at a strike limit
  kWait,             // "wait": a ladder rung not yet due (min_wait)
  kBeyondContract,   // "beyond_contract": the entitlement SUPPRESSes it
  kBudgetExhausted,  // "budget_exhausted": below its minimum after clipping
  // "non_positive_amount": its amount evaluated to zero or less
  kNonPositiveAmount,
};

// The kind of an event a decision asks the host to record (`Effect.kind`);
// the same kind appears in the history the host sends next time.
enum class EffectKind {
  kStrike,       // "strike": the current case counts as a strike (step: count)
  kRungOffered,  // "rung_offered": a ladder rung was offered (step: rung)
  kGoodwill,     // "goodwill": money granted from the budget (amount)
  kSurprise,     // "surprise": a playbook's surprise gesture was given
                 // (ref: playbook, step: the gesture's place in its list)
  // "service_cost": a recommended action's cost of service (ref: the action,
  // amount: its cost in minor units, step: its agent minutes)
  kServiceCost,
  // "sla_threshold": a service-level threshold was acted on (ref: the
  // target id, step: the threshold's percent)
  kSlaThreshold,
};

// Something the agent should know about the case (`Flag.code`).
enum class FlagCode {
  kRecoveryWindowMissed,  // "recovery_window_missed": the fix is overdue
  // "restriction_errored": a rule or construct whose purpose is to restrict
  // (a rule with a veto or `final`, a strike limit's count or
  // current_is_strike) could not be evaluated, so its restriction was not
  // applied. The flag's reason names it and the error; a host should alert.
  kRestrictionErrored,
  // "sla_breached": a service-level target is running past its due time.
  kSlaBreached,
};

// The step of an apology-first recovery (`RecommendedAction.playbook_stage`),
// in the order a playbook's steps rank: every apology before every fix, and
// so on. An action outside any playbook has no stage (an empty string).
enum class PlaybookStage {
  kApology,       // "apology"
  kFix,           // "fix"
  kSurprise,      // "surprise"
  kCompensation,  // "compensation"
};

// Who proposed, held back or annotated an action (`Reason.source_kind`);
// `Reason.source_id` then names the rule, ladder, limit, playbook, budget,
// entitlement tier or authority.
enum class SourceKind {
  kRule,          // "rule"
  kStrikeLimit,   // "strike_limit"
  kLadder,        // "ladder"
  kPlaybook,      // "playbook"
  kEntitlement,   // "entitlement"
  kBudget,        // "budget"
  kAuthority,     // "authority"
  kServiceLevel,  // "service_level"
};

// Where a case stands on one service-level target (ServiceLevelStatus.state).
enum class SlaState {
  kNone,      // "none": no target in the contract, or the clock not started
  kOk,        // "ok": running, no threshold reached
  kAtRisk,    // "at_risk": running, a threshold reached, not past due
  kBreached,  // "breached": running, past due
  kMet,       // "met": stopped within the span
  kMissed,    // "missed": stopped after the span
};

// The string a Decision carries for each code.
constexpr absl::string_view Name(BlockedCode code) {
  switch (code) {
    case BlockedCode::kVetoed:
      return "vetoed";
    case BlockedCode::kStrikeLimit:
      return "strike_limit";
    case BlockedCode::kWait:
      return "wait";
    case BlockedCode::kBeyondContract:
      return "beyond_contract";
    case BlockedCode::kBudgetExhausted:
      return "budget_exhausted";
    case BlockedCode::kNonPositiveAmount:
      return "non_positive_amount";
  }
  return "";
}

constexpr absl::string_view Name(EffectKind kind) {
  switch (kind) {
    case EffectKind::kStrike:
      return "strike";
    case EffectKind::kRungOffered:
      return "rung_offered";
    case EffectKind::kGoodwill:
      return "goodwill";
    case EffectKind::kSurprise:
      return "surprise";
    case EffectKind::kServiceCost:
      return "service_cost";
    case EffectKind::kSlaThreshold:
      return "sla_threshold";
  }
  return "";
}

constexpr absl::string_view Name(FlagCode code) {
  switch (code) {
    case FlagCode::kRecoveryWindowMissed:
      return "recovery_window_missed";
    case FlagCode::kRestrictionErrored:
      return "restriction_errored";
    case FlagCode::kSlaBreached:
      return "sla_breached";
  }
  return "";
}

constexpr absl::string_view Name(PlaybookStage stage) {
  switch (stage) {
    case PlaybookStage::kApology:
      return "apology";
    case PlaybookStage::kFix:
      return "fix";
    case PlaybookStage::kSurprise:
      return "surprise";
    case PlaybookStage::kCompensation:
      return "compensation";
  }
  return "";
}

constexpr absl::string_view Name(SourceKind kind) {
  switch (kind) {
    case SourceKind::kRule:
      return "rule";
    case SourceKind::kStrikeLimit:
      return "strike_limit";
    case SourceKind::kLadder:
      return "ladder";
    case SourceKind::kPlaybook:
      return "playbook";
    case SourceKind::kEntitlement:
      return "entitlement";
    case SourceKind::kBudget:
      return "budget";
    case SourceKind::kAuthority:
      return "authority";
    case SourceKind::kServiceLevel:
      return "service_level";
  }
  return "";
}

constexpr absl::string_view Name(SlaState state) {
  switch (state) {
    case SlaState::kNone:
      return "none";
    case SlaState::kOk:
      return "ok";
    case SlaState::kAtRisk:
      return "at_risk";
    case SlaState::kBreached:
      return "breached";
    case SlaState::kMet:
      return "met";
    case SlaState::kMissed:
      return "missed";
  }
  return "";
}

// Every value of each enum, in declaration order (for readers and tests).
inline constexpr BlockedCode kBlockedCodes[] = {
    BlockedCode::kVetoed,
    BlockedCode::kStrikeLimit,
    BlockedCode::kWait,
    BlockedCode::kBeyondContract,
    BlockedCode::kBudgetExhausted,
    BlockedCode::kNonPositiveAmount};
inline constexpr EffectKind kEffectKinds[] = {
    EffectKind::kStrike,   EffectKind::kRungOffered, EffectKind::kGoodwill,
    EffectKind::kSurprise, EffectKind::kServiceCost, EffectKind::kSlaThreshold};
inline constexpr FlagCode kFlagCodes[] = {FlagCode::kRecoveryWindowMissed,
                                          FlagCode::kRestrictionErrored,
                                          FlagCode::kSlaBreached};
inline constexpr PlaybookStage kPlaybookStages[] = {
    PlaybookStage::kApology, PlaybookStage::kFix, PlaybookStage::kSurprise,
    PlaybookStage::kCompensation};
inline constexpr SourceKind kSourceKinds[] = {
    SourceKind::kRule,      SourceKind::kStrikeLimit, SourceKind::kLadder,
    SourceKind::kPlaybook,  SourceKind::kEntitlement, SourceKind::kBudget,
    SourceKind::kAuthority, SourceKind::kServiceLevel};
inline constexpr SlaState kSlaStates[] = {
    SlaState::kNone,     SlaState::kOk,  SlaState::kAtRisk,
    SlaState::kBreached, SlaState::kMet, SlaState::kMissed};

namespace codes_internal {
template <typename Enum, size_t N>
constexpr bool Parse(absl::string_view text, const Enum (&all)[N], Enum* out) {
  for (Enum value : all) {
    if (Name(value) == text) {
      *out = value;
      return true;
    }
  }
  return false;
}
}  // namespace codes_internal

// Each sets `*out` and returns true when `text` is exactly one of the
// strings above; otherwise returns false and leaves `*out` alone.
constexpr bool ParseBlockedCode(absl::string_view text, BlockedCode* out) {
  return codes_internal::Parse(text, kBlockedCodes, out);
}
constexpr bool ParseEffectKind(absl::string_view text, EffectKind* out) {
  return codes_internal::Parse(text, kEffectKinds, out);
}
constexpr bool ParseFlagCode(absl::string_view text, FlagCode* out) {
  return codes_internal::Parse(text, kFlagCodes, out);
}
constexpr bool ParsePlaybookStage(absl::string_view text, PlaybookStage* out) {
  return codes_internal::Parse(text, kPlaybookStages, out);
}
constexpr bool ParseSourceKind(absl::string_view text, SourceKind* out) {
  return codes_internal::Parse(text, kSourceKinds, out);
}
constexpr bool ParseSlaState(absl::string_view text, SlaState* out) {
  return codes_internal::Parse(text, kSlaStates, out);
}

}  // namespace tact

#endif  // TACT_CODES_H_
