// Lowers checked syntax trees into one flat array of typed nodes shared by
// every expression of a Program. Structurally identical sub-expressions are
// interned (hash-consed) into one node, so two rules testing
// `customer.tier == "gold"` evaluate the same node, and an ExprId is simply
// the index of an expression's root node.
#ifndef TACT_SRC_EXPR_PLANNER_H_
#define TACT_SRC_EXPR_PLANNER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "src/common/business_calendar.h"
#include "src/expr/ast.h"
#include "src/expr/checker.h"
#include "src/expr/value.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace tact::internal {

// Operations, specialized by operand type where the checker knows it, so
// evaluation never inspects types to pick an algorithm. Operands: `a`, `b`,
// `c` are node indices unless noted; variadic operands live in
// CompiledProgram::args[b .. b+c).
enum class Op : uint8_t {
  kConst,       // `constant`
  kSlot,        // a: slot index in the frame
  kEventField,  // a: loop depth of the variable, b: EventFields() index
  kHistory,     // the context's whole history
  kDefinition,  // a: definition index (memo slot), b: body node
  kNot,
  kNegInt,
  kNegDouble,
  kNegDuration,
  kAnd,
  kOr,
  kTernary,  // a ? b : c
  kAddInt,
  kSubInt,
  kMulInt,
  kDivInt,
  kModInt,
  kAddDouble,
  kSubDouble,
  kMulDouble,
  kDivDouble,
  kConcat,
  kAddTimestampDuration,
  kSubTimestampDuration,
  kSubTimestampTimestamp,
  kAddDurationDuration,
  kSubDurationDuration,
  // Comparisons; both operands have one type (ints are converted first).
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,  // a: needle, args[b .. b+c): candidates
  kSizeString,
  kSizeList,
  kHas,  // a: field node; c: 1 when presence (not non-default) is tested
  kContains,
  kStartsWith,
  kEndsWith,
  kMatches,  // a: subject, `regex`
  kLowerAscii,
  kMin,  // args[b .. b+c)
  kMax,
  kAbsInt,
  kAbsDouble,
  kAbsDuration,
  kIntToDouble,
  kDoubleToInt,
  kStringToInt,
  kTimestampToInt,
  kStringToDouble,
  kToString,
  // Timestamp accessors (CEL): a: timestamp, c: index into
  // CompiledProgram::zones of the zone they read the civil time in.
  kGetFullYear,
  kGetMonth,       // 0-11
  kGetDate,        // day of month, 1-31
  kGetDayOfMonth,  // 0-30
  kGetDayOfWeek,   // 0 = Sunday
  kGetDayOfYear,   // 0-365
  kGetHours,
  kGetMinutes,
  kGetSeconds,
  kGetMilliseconds,
  // Duration accessors (CEL): a: duration; whole hours, minutes, seconds
  // (truncated toward zero) and the milliseconds within the second.
  kDurationHours,
  kDurationMinutes,
  kDurationSeconds,
  kDurationMilliseconds,
  // Business time: c: index into CompiledProgram::calendars.
  kInBusinessHours,   // a: timestamp
  kBusinessDuration,  // a: from, b: to
  // serviceCost(window): the service_cost events' amounts in the window
  // before now (a: the window, a duration); a scan of the history.
  kServiceCost,
  // Macros: a: list node, b: predicate, c: loop depth of the variable.
  kExists,
  kAll,
  kExistsOne,
  kCount,
  kFilter,
  // Fused forms chosen when a Program is built (CompiledProgram::exec only;
  // never in `nodes`, so load-time queries see the general shapes). Each
  // computes exactly what the general node it replaces would.
  // `operand <op> constant`: c: the comparison (kEq .. kGe), `constant`.
  kCmpConst,       // a: operand node; b: 1 when EvalStrict computes it
  kCmpSlotConst,   // a: slot index
  kCmpEventConst,  // a: loop depth, b: EventFields() index
  // A string field of the event (b: EventString code) ==/!= `constant`.
  kEqEventString,  // a: loop depth
  kNeEventString,  // a: loop depth
};

struct Node {
  Op op = Op::kConst;
  ValueType type = ValueType::kError;
  int32_t a = -1;
  int32_t b = -1;
  int32_t c = -1;
  Value constant;
  const re2::RE2* regex = nullptr;
};

// Where a frame slot's value comes from.
struct SlotSource {
  enum class Kind : uint8_t {
    kContextField,  // index: ContextFields() index
    kAttribute,     // index: the attribute's index in `attributes`
    kComputed,      // index: the fact's index in `computed`; set by
                    // Frame::SetComputed, never read from the context
  };
  Kind kind = Kind::kContextField;
  int32_t index = -1;
};

// Everything evaluation needs; immutable once built.
struct CompiledProgram {
  std::vector<Node> nodes;
  // `nodes` with fused forms substituted, index for index; what evaluation
  // runs. Filled by ProgramBuilder::Build().
  std::vector<Node> exec;
  std::vector<int32_t> args;
  std::vector<SlotSource> slots;
  std::vector<AttributeDecl> attributes;
  // "attribute 'x' is not set", per attribute.
  std::vector<std::string> attribute_missing;
  // Computed facts (ProgramBuilder::DeclareComputed), by index: "<path> is
  // not set" per fact, and the slot holding each (-1 when no expression
  // reads it).
  std::vector<ComputedDecl> computed;
  std::vector<std::string> computed_missing;
  std::vector<int32_t> computed_slot;
  int32_t definition_count = 0;
  // Each definition's name, by definition index (for budget messages).
  std::vector<std::string> definition_names;
  // Loop variables in use at once, at most.
  int32_t loop_depth = 0;
  // Owns constant strings (stable addresses) and regexes.
  std::deque<std::string> strings;
  std::vector<std::shared_ptr<const re2::RE2>> regexes;
  // Time zones and business calendars the accessors and business-time
  // functions read, resolved at load.
  std::vector<absl::TimeZone> zones;
  std::vector<BusinessCalendar> calendars;
  // Program::OperandsOf: the lists Conjunct::operands index, and each
  // definition's (by definition index; -1 for none).
  std::vector<std::vector<Program::Operand>> operand_lists;
  std::vector<int32_t> definition_operands;
};

class Planner {
 public:
  // REQUIRES: `program` outlives the planner.
  explicit Planner(CompiledProgram* program) : program_(program) {}

  // Records where a compiled definition's body is; Plan() of a reference to
  // definition `index` emits a memoizing node over it.
  void SetDefinitionBody(int32_t index, int32_t body);

  // REQUIRES: `expr` passed CheckExpr. Returns its root node.
  int32_t Plan(const Expr& expr);

  // Returns a node converting `node` (of type `from`) to `to`; only
  // int -> double converts, otherwise `node` is returned.
  int32_t Coerce(int32_t node, ValueType from, ValueType to);

  // Returns the interned node.
  int32_t Intern(Node node, const std::vector<int32_t>* variadic = nullptr);

 private:
  absl::string_view InternString(absl::string_view s);
  int32_t InternZone(const absl::TimeZone& zone);
  int32_t InternCalendar(const BusinessCalendar* calendar);
  int32_t Slot(SlotSource::Kind kind, int32_t index);
  int32_t Constant(Value v);

  CompiledProgram* program_;
  std::vector<int32_t> definition_bodies_;
  absl::flat_hash_map<std::string, int32_t> nodes_by_key_;
  absl::flat_hash_map<std::string, absl::string_view> strings_;
  absl::flat_hash_map<std::string, const re2::RE2*> regexes_;
  absl::flat_hash_map<int64_t, int32_t> slots_;
  absl::flat_hash_map<std::string, int32_t> zones_;
  absl::flat_hash_map<const BusinessCalendar*, int32_t> calendars_;
};

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_PLANNER_H_
