// tact: customer-service decisions from a policy.
//
// A support lead writes a policy (protobuf text format, JSON or binary; see
// proto/tact/v1/policy.proto). tact compiles it once into an immutable
// Engine; the host then asks the Engine for a Decision on each customer
// context: ranked recommended actions with reasons, the actions held back
// and why, the effects to record, and optionally a per-rule trace.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<const tact::Engine>> engine =
//       tact::Engine::FromFile("examples/policies/support.textproto");
//   if (!engine.ok()) return engine.status();  // every load error, 1/line
//   absl::StatusOr<tact::v1::Context> context =
//       tact::ContextFromJson(R"({"now": "2026-01-05T10:00:00Z",
//                                 "customer": {"tier": "gold"}})");
//   if (!context.ok()) return context.status();
//   absl::StatusOr<tact::v1::Decision> decision = (*engine)->Decide(*context);
//   for (const auto& action : decision->actions()) { ... }
//
// Semantics (docs/policy-language.md): every rule whose condition holds
// contributes its actions; a `final` rule that fires stops rules of strictly
// lower priority. Vetoes then hold actions back; duplicates merge, keeping
// every reason; the rest rank by priority, then score, then action id.
//
// Two error channels: Decide returns a non-OK Status only when it cannot
// decide at all (a malformed context). A condition that fails on this input
// (a missing attribute, division by zero) makes its rule not fire and is
// recorded in the decision's trace; it never aborts the decision.
//
// tact does not persist history or read the clock: the host supplies both
// in the context, so a recorded context replays to the same decision.
#ifndef TACT_ENGINE_H_
#define TACT_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tact/diagnostic.h"
#include "tact/export.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"
#include "tact/v1/policy.pb.h"

namespace tact {
namespace internal {
class EngineBuilder;
}  // namespace internal

enum class PolicyFormat {
  kAuto,    // from the file extension: .textproto/.txtpb/.pbtxt, .json,
            // .binpb/.pb
  kText,    // protobuf text format
  kJson,    // proto3 JSON mapping
  kBinary,  // protobuf wire format
};

struct CompileOptions {
  // --- Limits (hostile or absurd policies fail to load, never hang) ---
  // Most rules accepted. Default: 100000.
  int max_rules = 100000;
  // Longest expression source, in bytes. Default: 64 KiB.
  int max_expression_bytes = 64 * 1024;
  // Deepest expression nesting. Default: 64.
  int max_nesting_depth = 64;
  // Memory budget of each regex in matches(). Default: 1 MiB.
  int64_t max_regex_memory = 1 << 20;
  // Largest policy, in bytes: a file read by FromFile/Compile, or text given
  // to FromText/CompileText. Default: 64 MiB.
  int64_t max_policy_bytes = 64 << 20;
  // Deepest evaluation of one expression, counting the operations of every
  // definition it uses through the chain (`a` using `b` using `c` adds all
  // three bodies' depths). Evaluation recurses once per level, using a few
  // hundred bytes of stack each: the default runs in 64 KiB of stack in an
  // optimized build, a quarter of a 256 KiB thread stack (tested). A deeper
  // expression or definition is a load error naming the chain ("evaluation
  // nests 600 levels deep counting the definitions it uses (d599 -> d598 ->
  // ...)"). Default: 128. (History macros nested three deep, e.g.
  // `history.exists(a, history.exists(b, history.exists(c, ...)))`, are always
  // a load error: their cost grows as the cube of the history.)
  int max_evaluation_depth = 128;
  // Most actions, and most definitions. Default: 100000 each.
  int max_actions = 100000;
  int max_definitions = 100000;
  // Most elements of any other repeated field or map, per message: ladder
  // rungs, playbook steps, entitlements and their includes, calendars and
  // their holidays and hours, params of one action reference, authorities,
  // tags, vetoes. Default: 10000.
  int max_repeated_field = 10000;
  // These count limits (and max_rules) are checked while the policy is
  // read, before it is parsed: a policy over one fails fast with
  // InvalidArgument naming the field, its count and the limit, e.g.
  // "the policy has 1000000 rules; the limit is 100000
  // (CompileOptions::max_rules)" or "ladders[0] has 20000 rungs; ...".
};

struct DecideOptions {
  // Record, for every rule, whether it fired and if not the first condition
  // that failed (with its operands' values), and what every construct saw
  // and did: the same as trace_level = TRACE_FULL. Costs one entry per rule.
  // Default: false.
  bool trace = false;
  // How much reasoning the decision records (v1::TraceLevel in
  // decision.proto): TRACE_OFF; TRACE_EVALUATED, for each rule the rule
  // index evaluated, whether it fired and if not its first false conjunct
  // (the decision's `trace` then has no entry for a rule the index proved
  // cannot hold, so it is not one entry per rule), cheap enough to keep on
  // (benchmarks/README.md); or TRACE_FULL. `trace = true` means TRACE_FULL
  // whatever this says. Decide returns InvalidArgument for a value that is
  // not a TraceLevel. Default: TRACE_OFF.
  v1::TraceLevel trace_level = v1::TRACE_OFF;
  // Fill the decision's record for audit and replay: decision_id,
  // context_digest and tact_version (the authority and trace level are
  // always recorded; decision.proto says how the id is computed). Same
  // inputs, same id. Costs a SHA-256 of the context's deterministic wire
  // format; DecideInto reuses the decision's strings for it, allocating
  // only the array protobuf sorts a non-empty attributes map in. When
  // false the three fields are empty. Default: false.
  bool record = false;
  // The authority the caller acts with, one of the policy's `authorities`
  // (e.g. "bot" for a chatbot). Actions needing more, or granting more money
  // than this authority's limit, come back in `needs_approval` instead of
  // `actions`. Empty means unrestricted (a caller with every authority).
  // Default: "".
  std::string authority;

  // --- Limits (hostile or absurd contexts fail fast, never hang) ---
  // Decide returns InvalidArgument naming the field when a context exceeds
  // one. Evaluation is linear in the history and the strings it reads.
  // Most history events. Default: 100000.
  int64_t max_history_events = 100000;
  // Most attributes. Default: 10000.
  int64_t max_attributes = 10000;
  // Longest string anywhere in the context (ids, message, attribute names
  // and values), in bytes. Default: 1 MiB.
  int64_t max_string_bytes = 1 << 20;

  // --- Evaluation budgets (one decision; exceeding one fails it) ---
  // Decide returns ResourceExhausted, DeadlineExceeded or Cancelled naming
  // the budget and where it ran out ("evaluation exceeded
  // max_evaluation_steps (10000000 steps) in rule 'vip', definition
  // 'angry'"); DecideMany and Simulate report it for that case only.
  // Most evaluation steps: every expression node evaluated, every history
  // element a macro visits, and one per 64 bytes that contains(),
  // matches(), size() or a conversion scans. Default: 10000000 (well under
  // a second).
  int64_t max_evaluation_steps = 10'000'000;
  // Most bytes of strings built: concatenation, lowerAscii(), string(),
  // conversion messages and rendered action texts and reasons.
  // Default: 64 MiB.
  int64_t max_string_bytes_built = 64 << 20;
  // When the decision must be done by: checked before evaluation starts,
  // every 1024 steps and between constructs; past it, DeadlineExceeded.
  // Default: absl::InfiniteFuture() (none).
  absl::Time deadline = absl::InfiniteFuture();
  // When not null, a flag the host may set from any thread to stop the
  // decision (checked as `deadline` is): it then returns Cancelled. Must
  // outlive the call. Default: nullptr.
  const std::atomic<bool>* cancel = nullptr;
};

// The outcome of compiling a policy: an Engine when there were no errors,
// and every diagnostic (errors and warnings) either way.
struct CompileResult {
  std::unique_ptr<const class Engine> engine;
  std::vector<Diagnostic> diagnostics;
};

// A compiled policy. Immutable; Decide is safe for concurrent use by multiple
// threads. Not copyable: share it as std::shared_ptr<const Engine> and swap
// that pointer to reload a policy; in-flight decisions finish on the old one.
class TACT_EXPORT Engine {
 public:
  // Reads, parses and compiles a policy file. Returns InvalidArgument listing
  // every error as "file:line:col: error: ..." lines, NotFound when the file
  // cannot be read, ResourceExhausted when it exceeds max_policy_bytes.
  static absl::StatusOr<std::unique_ptr<const Engine>> FromFile(
      absl::string_view path, const CompileOptions& options = {});

  // As FromFile, for policy text already in memory. `source_name` names it
  // in diagnostics. kAuto means text format.
  static absl::StatusOr<std::unique_ptr<const Engine>> FromText(
      absl::string_view text, PolicyFormat format,
      absl::string_view source_name = "<policy>",
      const CompileOptions& options = {});

  // Compiles a policy message. Diagnostics have no line numbers.
  static absl::StatusOr<std::unique_ptr<const Engine>> FromPolicy(
      const v1::Policy& policy, const CompileOptions& options = {});

  // Like FromFile/FromText but returns the structured diagnostics instead of
  // folding them into a Status. Never fails: a file that cannot be read is an
  // error diagnostic.
  static CompileResult Compile(absl::string_view path,
                               const CompileOptions& options = {});
  static CompileResult CompileText(absl::string_view text, PolicyFormat format,
                                   absl::string_view source_name,
                                   const CompileOptions& options = {});

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Decides on one context. Returns InvalidArgument when the context is
  // malformed, naming the field: no `now`; a timestamp or duration outside
  // years 1..9999; a NaN or infinite double (customer.influence,
  // case.sentiment, a double attribute); more history events, attributes or
  // string bytes than `options` allows; an attribute of the wrong type.
  // Identical inputs give byte-identical decisions. Never throws.
  absl::StatusOr<v1::Decision> Decide(const v1::Context& context,
                                      const DecideOptions& options = {}) const;

  // As Decide, writing the decision into `*out`: clears it and fills it,
  // reusing its storage (the repeated elements and string capacity a
  // previous decision left), so a caller deciding in a loop with one
  // Decision does not allocate once it has warmed up: once it has decided
  // on a stream of varied contexts, deciding on that stream again allocates
  // nothing (TRACE_OFF and TRACE_EVALUATED; TRACE_FULL's construct traces
  // and a record of a context with attributes do allocate).
  // What a decision lets go of (a shorter list's elements, a parameter's
  // string when it becomes a number) the thread keeps for the next one; a
  // string grows to the longest its field has needed. Works for messages on
  // an arena (whose own blocks may grow). The result equals Decide's, byte
  // for byte. On error returns the same Status as Decide and leaves `*out`
  // cleared, never half-filled. Each thread keeps working storage sized to
  // the largest decisions it has made (Decide uses it too). Safe for
  // concurrent use, each thread with its own `out`.
  // REQUIRES: `out` is not null.
  absl::Status DecideInto(const v1::Context& context,
                          const DecideOptions& options,
                          v1::Decision* out) const;

  // Why `action` (an action id of the policy) is not recommended on
  // `context` decided with `options`, and what would change that. Decides
  // once, then says the action's status ("recommended", "needs_approval",
  // "blocked", "stopped" by a final rule, or "not_proposed") and, for each
  // rule and construct that could produce it, the smallest change to the
  // context (or the authority) that would: the threshold of a comparison
  // ("customer.spend_12m would have to be at least 50000"), one strike
  // fewer in the window, more left in the goodwill budget, a tier whose
  // contract includes it, the time a ladder's rung falls due, an authority
  // that may approve it. A path may hold several changes that work only
  // together (the rule must fire and a veto must lift).
  //
  // Every path is checked: its changes are applied to a copy of the context
  // and options (ApplyChange) and decided again; `verified` is true only
  // when that decision recommends the action. At most 64 paths are
  // examined, each re-decided at most a few times under `options`' budgets;
  // the summary says when more exist. A path tact cannot state a change for
  // (a regex, a history scan, more history) has no changes, is not
  // verified, and its source text says why.
  //
  // Returns NotFound naming the action (and the nearest action id) when the
  // policy has no such action; otherwise what Decide returns on `context`,
  // and DeadlineExceeded or Cancelled when `options`' deadline or cancel
  // flag stops the work. Safe for concurrent use.
  //
  // Example:
  //
  //   absl::StatusOr<v1::WhyNot> why = engine->WhyNot(*context, "refund");
  //   for (const v1::WhyNotPath& path : why->paths()) {
  //     for (const v1::ContextChange& change : path.changes()) ...
  //   }
  absl::StatusOr<v1::WhyNot> WhyNot(const v1::Context& context,
                                    absl::string_view action,
                                    const DecideOptions& options = {}) const;

  // The compiled policy, as loaded.
  const v1::Policy& policy() const;
  // "sha256:<hex>" of the policy's deterministic serialization.
  const std::string& policy_hash() const;

 private:
  friend class internal::EngineBuilder;
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses a context from the proto3 JSON mapping. Unknown fields are errors.
// Returns InvalidArgument naming the offending field or position.
TACT_EXPORT absl::StatusOr<v1::Context> ContextFromJson(absl::string_view json);

// As ContextFromJson, into `*context`: clears it and fills it, reusing its
// storage (the customer, case, timestamps and history events a previous
// context left, and their string capacity), so a host reading contexts in a
// loop into one message does not free and reallocate them each time. The
// result equals ContextFromJson's, byte for byte, whatever `*context` held
// before. On error returns the same Status as ContextFromJson and leaves
// `*context` cleared (empty), never half-filled. Works for messages on an
// arena. Thread-compatible.
// REQUIRES: `context` is not null.
TACT_EXPORT absl::Status ContextFromJsonInto(absl::string_view json,
                                             v1::Context* context);

// Parses a context from protobuf wire format. Returns InvalidArgument.
// Fields the schema does not have (a newer client's) are dropped, so the
// context's digest and decision id are those of its JSON form.
TACT_EXPORT absl::StatusOr<v1::Context> ContextFromBinary(
    absl::string_view bytes);

// The largest context file ContextFromFile reads by default (and the CLI's
// --context): 64 MiB, as CompileOptions::max_policy_bytes for policies.
inline constexpr int64_t kDefaultMaxContextBytes = int64_t{64} << 20;

// Reads a context file: protobuf wire format when the name ends in .binpb
// or .pb, else JSON. Returns NotFound when it cannot be read,
// ResourceExhausted when it is larger than `max_bytes` (checked before
// reading: a huge file costs nothing), else as ContextFromJson/Binary.
TACT_EXPORT absl::StatusOr<v1::Context> ContextFromFile(
    absl::string_view path, int64_t max_bytes = kDefaultMaxContextBytes);

// Applies one change of a why-not path (Engine::WhyNot) to `*context` and
// `*options`:
//  - "set": sets the context field `change.field` (a path such as
//    "customer.spend_12m", "case.severity", "attributes.vip", "now") to
//    `change.value`;
//  - "clear": unsets `change.field`;
//  - "remove_events": removes history events of kind `change.event_kind`
//    (and ref `change.event_ref` when set) at or before the context's
//    `now`, newest first, until `change.count` events and at least
//    `change.amount` minor units (in their `amount`) are gone, or none is
//    left;
//  - "authority": sets `options->authority` to `change.authority`.
// Returns InvalidArgument naming the problem for an unknown kind, an
// unknown or unsettable field, a value of the wrong type, a
// "remove_events" without a kind or without a count or amount, or an
// "authority" change with `options` null; `*context` and `*options` are
// then unchanged. Thread-compatible.
// REQUIRES: `context` is not null.
TACT_EXPORT absl::Status ApplyChange(const v1::ContextChange& change,
                                     v1::Context* context,
                                     DecideOptions* options);

// The decision in the proto3 JSON mapping, fields in schema order, two-space
// indented when `pretty`. Deterministic.
TACT_EXPORT std::string DecisionToJson(const v1::Decision& decision,
                                       bool pretty = true);

// An Engine::WhyNot answer in the proto3 JSON mapping, as DecisionToJson.
TACT_EXPORT std::string WhyNotToJson(const v1::WhyNot& why_not,
                                     bool pretty = true);

}  // namespace tact

#endif  // TACT_ENGINE_H_
