// The compiled form of every expression in a policy, and how to build it.
//
// A ProgramBuilder parses, type-checks and plans expressions written in
// tact's CEL subset (docs/conditions.md) against the context schema, the
// policy's attribute declarations and its named definitions. Build() yields
// an immutable Program; at decision time a Frame extracts the referenced
// context facts once into slots and Program::Evaluate runs compiled nodes
// over it. No reflection, string lookup or regex compilation happens after
// Build().
#ifndef TACT_SRC_EXPR_PROGRAM_H_
#define TACT_SRC_EXPR_PROGRAM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/expr/history_view.h"
#include "src/expr/value.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {

// A position inside one expression's source text. Line and column are
// 1-based; columns count bytes.
struct ExprLocation {
  int line = 1;
  int column = 1;
};

// One problem found while compiling an expression. `message` is complete
// ("unknown field customer.teir; did you mean customer.tier?").
struct ExprDiagnostic {
  ExprLocation location;
  std::string message;
};

// Identifies a compiled expression inside its Program.
using ExprId = int32_t;

// A top-level conjunct of a condition, with its source text.
struct Conjunct {
  ExprId expr = -1;
  std::string source;
  ExprLocation location;
  // Which of the Program's operand lists is this conjunct's
  // (Program::OperandsOf), or -1 for none.
  int32_t operands = -1;
};

// One decision's evaluation budget (DecideOptions documents each).
struct EvalBudget {
  // Evaluation steps: nodes evaluated, history elements visited, and one
  // per kBytesPerStep bytes a string function scans.
  int64_t max_steps = 10'000'000;
  // Bytes of strings built (concatenation, lowerAscii, conversions,
  // rendered templates).
  int64_t max_string_bytes = 64 << 20;
  absl::Time deadline = absl::InfiniteFuture();
  // When not null and true, the decision stops with Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

// Bytes a string function (contains, matches, size) scans per step charged.
inline constexpr int64_t kBytesPerStep = 64;
// Steps between two checks of the deadline and the cancellation flag.
inline constexpr int64_t kStepsPerInterruptCheck = 1024;

// Most operands OperandsOf lists of one conjunct, and the longest value an
// explanation shows of one (OperandValue's max_bytes where traces call it).
inline constexpr size_t kMaxOperands = 8;
inline constexpr size_t kMaxOperandValueBytes = 256;

struct ProgramLimits {
  // Longest accepted expression source, in bytes. Default: 64 KiB.
  size_t max_expression_bytes = 64 * 1024;
  // Deepest accepted nesting of sub-expressions. Default: 64.
  int max_nesting_depth = 64;
  // Memory budget of each compiled RE2 regex. Default: 1 MiB.
  int64_t max_regex_memory = 1 << 20;
  // Deepest evaluation: nested operations counted through the definitions
  // an expression uses (each reference adds its body's depth). The
  // evaluator recurses once per level, so this bounds its stack.
  // Default: 128.
  int max_evaluation_depth = 128;
};

class Program;
class BusinessCalendar;  // src/common/business_calendar.h

// The business calendars expressions may name (inBusinessHours,
// businessDuration): the policy's, given to the builder by the policy
// compiler.
class CalendarCatalog {
 public:
  virtual ~CalendarCatalog() = default;
  // The calendar named `name`, or the default calendar when `name` is
  // empty; null when there is none.
  virtual const BusinessCalendar* FindCalendar(
      absl::string_view name) const = 0;
  // Every calendar's name, for suggestions.
  virtual std::vector<std::string> CalendarNames() const = 0;
};

// Thread-compatible. Collects expressions, then Build() once.
class ProgramBuilder {
 public:
  explicit ProgramBuilder(ProgramLimits limits = {});
  ~ProgramBuilder();
  ProgramBuilder(const ProgramBuilder&) = delete;
  ProgramBuilder& operator=(const ProgramBuilder&) = delete;

  // Declares a host attribute readable as `attributes.<name>`.
  // Returns InvalidArgument for a duplicate or malformed name.
  absl::Status DeclareAttribute(absl::string_view name, ValueType type);

  // Declares a fact a construct computes for each decision, readable by
  // its dotted path: "sla.first_reply.remaining" (three components, the
  // first "sla"; each [a-z][a-z0-9_]*). Returns its index for
  // Frame::SetComputed (0, 1, ... in declaration order), or InvalidArgument
  // for a duplicate or malformed path. Expressions read it like an
  // attribute: `has(sla.first_reply.due)` is whether it is set; unset it
  // reads as the error "<path> is not set". Computed facts are not context
  // input: they are not attributes (`attributes.<...>` never reads one) and
  // a why-not search cannot change them.
  absl::StatusOr<int32_t> DeclareComputed(absl::string_view path,
                                          ValueType type);

  // Lets expressions name the calendars of `catalog`, which must outlive
  // the builder. A calendar named is copied into the Program.
  void SetCalendars(const CalendarCatalog* catalog);

  // Registers a named sub-expression. It is compiled when first referenced
  // (or by CompileDefinitions), so definitions may refer to each other in
  // any order. Returns InvalidArgument for a duplicate or reserved name.
  absl::Status DeclareDefinition(absl::string_view name,
                                 absl::string_view source);

  // Compiles every declared definition, reporting diagnostics keyed by the
  // definition name, including cycles ("cycle in definitions: a -> b -> a").
  std::vector<std::pair<std::string, ExprDiagnostic>> CompileDefinitions();

  // Compiles a condition (must be bool) and splits its top-level `&&` chain
  // into conjuncts, in source order. An empty source is one conjunct `true`.
  // On failure returns every diagnostic found.
  absl::StatusOr<std::vector<Conjunct>> AddCondition(
      absl::string_view source, std::vector<ExprDiagnostic>* diagnostics);

  // Compiles an expression of any type except list. When `expected` is not
  // null, the result must be of that type (int is accepted where double is
  // expected and is converted).
  absl::StatusOr<ExprId> AddExpression(
      absl::string_view source, const ValueType* expected,
      std::vector<ExprDiagnostic>* diagnostics);

  // The static type of a compiled expression.
  ValueType TypeOf(ExprId id) const;

  // Planned nodes so far. Identical sub-expressions share one node, so
  // adding an expression already compiled adds none.
  size_t node_count() const;

  // Makes Build() keep every node in its general form (no fused fast
  // paths), so tests can check the fast paths against it.
  void DisableSpecializationForTesting();

  // REQUIRES: called once, after the last Add*. Returns the program.
  std::unique_ptr<const Program> Build() &&;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Per-decision state: the context facts a Program reads, extracted once, and
// memoized definition results. Thread-compatible; one per decision.
class Frame {
 public:
  // REQUIRES: `program` and `context` outlive the frame.
  // Returns InvalidArgument when a declared attribute has the wrong type in
  // the context ("attribute 'plan' is an int; the policy declares string").
  static absl::StatusOr<std::unique_ptr<Frame>> Create(
      const Program& program, const tact::v1::Context& context);
  // An empty frame, for Reset.
  Frame();
  ~Frame();
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  // Makes this the frame of `context` under `program`, as Create would,
  // reusing the storage of any previous decision (no allocation once it has
  // grown to the program's size). On error the frame must be Reset again
  // before use.
  absl::Status Reset(const Program& program, const tact::v1::Context& context);

  // The history this decision sees: the events at or before the context's
  // `now` (history_view.h). Every construct reads history through it.
  const HistoryView& history() const;

  // Gives this decision `budget` (Reset gives the default one). Once a
  // budget is exceeded, every evaluation returns an error at once and
  // budget_status() says which budget, where.
  void SetBudget(const EvalBudget& budget);
  // Names what is evaluated next in budget messages ("rule", "refund").
  // Both views must outlive the decision.
  void SetSite(absl::string_view kind, absl::string_view name);
  // Charges `bytes` of text built outside expressions (rendered templates)
  // to the budget; false when that exceeds it. `what` names the text.
  bool ChargeBytes(int64_t bytes, absl::string_view what);
  // Checks the deadline and the cancellation flag now; false when either
  // stops the decision.
  bool CheckInterrupt();
  // Charges `steps` evaluation steps of work done outside expressions (a
  // construct walking the history); false when that exceeds the budget.
  bool ChargeSteps(int64_t steps);

  // Sets computed fact `index` (ProgramBuilder::DeclareComputed) for this
  // decision; Reset unsets every one. `value` must be of the declared type
  // (an int is converted where a double is declared); an error value, or a
  // value of another type (a programming error), unsets it: fail closed.
  // A string must outlive the decision. A fact no expression reads, or an
  // index out of range, is ignored. Memoized definition results are
  // forgotten, so a definition evaluated earlier sees the new value. Never
  // allocates.
  void SetComputed(int32_t index, const Value& value);
  // OK, or ResourceExhausted / DeadlineExceeded / Cancelled naming the
  // budget exceeded and where.
  const absl::Status& budget_status() const;

 private:
  friend class Program;
  struct Impl;
  explicit Frame(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Immutable; Evaluate is safe for concurrent use by multiple threads (each
// with its own Frame).
class Program {
 public:
  ~Program();

  // Evaluates `id` over `frame`. An evaluation failure (missing attribute,
  // unset timestamp, division by zero, overflow) is returned as a Value of
  // type kError whose message says what failed; it never throws or aborts.
  // Strings in the result stay valid while `frame` lives.
  Value Evaluate(ExprId id, Frame& frame) const;

  // As Evaluate, for `id` a `count` macro (history.count(e, ...), possibly
  // over filters): the same value, and the index in the context's history
  // of every event it counted appended to `*counted`, in history order.
  // Returns an error value when `id` is not such a macro. For traces: it
  // costs the evaluation plus one entry per event counted.
  Value EvaluateCounting(ExprId id, Frame& frame,
                         std::vector<int32_t>* counted) const;

  ValueType TypeOf(ExprId id) const;

  // Number of planned nodes (shared sub-expressions count once).
  size_t node_count() const;

  // A sub-expression of a condition that reads the context, with its source
  // text: what an explanation shows the value of when the condition was
  // false.
  struct Operand {
    ExprId expr = -1;
    std::string source;  // "customer.tier", "size(case.message)"
  };

  // The operands of a conjunct of a condition (AddCondition), with their
  // source text as the condition spells them, at most kMaxOperands, in
  // source order: for a
  // comparison, `in`, a function call or `has`, each direct sub-expression
  // that reads the context (a fact, an attribute, `now`, a definition by
  // name, size(...), a history macro or serviceCost), and for arithmetic or
  // a call among them the facts they read as well; through `!`, `&&`, `||`
  // and `?:`, the operands of their parts (`!is_vip` shows is_vip). A
  // conjunct that is a definition has its body's, as the definition spells
  // them. Empty for any other conjunct (a bare fact or history macro).
  const std::vector<Operand>& OperandsOf(const Conjunct& conjunct) const;

  // The value of operand `id` on `frame`, for an explanation: its CEL
  // literal (FormatLiteral), "absent" for an attribute or timestamp field
  // the context does not set, or "error: <message>"; cut to at most
  // `max_bytes` bytes by AbbreviateText.
  std::string OperandValue(ExprId id, Frame& frame, size_t max_bytes) const;

  // --- Load-time queries for planning (never on the decision path) ---

  // A comparison operator, as AsComparison reports it.
  enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

  // `operand op constant`: a test rules can be indexed by.
  struct Comparison {
    ExprId operand = -1;  // the side that is not constant
    CompareOp op = CompareOp::kEq;
    // Of the operand's type: int, double, timestamp, duration or string
    // (strings only with kEq). A string constant views the program.
    Value constant;
  };

  // When `id` compares an expression of one of the types above with a
  // constant (either order, possibly through a definition), fills `*out`
  // with the constant on the right and returns true. Constants folded
  // here: literals, negated literals and ints converted to double.
  bool AsComparison(ExprId id, Comparison* out) const;

  // True when evaluating `id` may cost more than a few node visits: it
  // matches a regex or iterates the history. Such conjuncts run last.
  bool IsCostly(ExprId id) const;

  // True when evaluating `id` may run a regex.
  bool MatchesRegex(ExprId id) const;

  // How a bool expression is built, as far as ChangesFor
  // (src/policy/condition_change.h) solves it: through definitions, `&&`,
  // `||` and `!`, down to tests of one expression against constants.
  struct BoolShape {
    enum class Kind : uint8_t {
      kOther,    // anything else: a regex, a history scan, arithmetic of two
                 // facts, a function call
      kAnd,      // left && right
      kOr,       // left || right
      kNot,      // !left
      kCompare,  // operand op constants[0]; any comparable type, bools and
                 // strings with every operator
      kIn,       // operand in constants
      kIs,       // operand itself: a bool fact or attribute
      kHas,      // has(operand) of an attribute or timestamp: it is set
                 // (has() of another fact is kCompare `!=` its default)
    };
    Kind kind = Kind::kOther;
    ExprId left = -1;
    ExprId right = -1;
    ExprId operand = -1;
    CompareOp op = CompareOp::kEq;  // kCompare
    // Of the operand's type (ints converted to double where the operand
    // is); strings view the program.
    std::vector<Value> constants;
  };
  BoolShape ShapeOf(ExprId id) const;

  // When `id` (through definitions) is `a + b` or `a - b` of ints, doubles,
  // timestamps or durations, sets `*a`, `*b` and `*subtract` and returns
  // true.
  bool AsSum(ExprId id, ExprId* a, ExprId* b, bool* subtract) const;

  // When `id` reads one context fact or declared attribute as it is
  // (possibly through definitions), its path: "customer.tier", "now",
  // "attributes.plan"; else "" (also for a computed fact: not context
  // input).
  std::string ContextPathOf(ExprId id) const;

  // When `id` reads one computed fact (ProgramBuilder::DeclareComputed) as
  // it is (possibly through definitions), its path: "sla.x.state"; else "".
  std::string ComputedPathOf(ExprId id) const;

  // What lint (src/policy/lint.cc) asks of the whole program, computed in
  // one pass over its nodes.
  struct Usage {
    // Per node (an ExprId): true when it reads nothing from the context (no
    // fact, attribute, `now` or history), so every decision evaluates it to
    // the same value.
    std::vector<bool> context_free;
    // Per compiled definition, by name: whether any expression refers to it
    // (another definition's body counts, used or not).
    std::vector<std::pair<std::string, bool>> definitions;
    // Per declared attribute, by name: whether any expression reads it.
    std::vector<std::pair<std::string, bool>> attributes;
  };
  Usage ComputeUsage() const;

 private:
  friend class ProgramBuilder;
  friend class Frame;
  struct Impl;
  explicit Program(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_PROGRAM_H_
