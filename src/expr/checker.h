// Type-checks a parsed expression against the context schema, the declared
// attributes and the named definitions, annotating the tree for the planner.
// Every type error is found here, at load; evaluation never checks types.
#ifndef TACT_SRC_EXPR_CHECKER_H_
#define TACT_SRC_EXPR_CHECKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/expr/ast.h"
#include "src/expr/program.h"
#include "src/expr/value.h"

namespace tact::internal {

struct AttributeDecl {
  std::string name;
  ValueType type;
};

// A fact a construct computes per decision, read by its dotted path
// ("sla.first_reply.remaining"; ProgramBuilder::DeclareComputed).
struct ComputedDecl {
  std::string path;
  ValueType type;
};

// Gives the checker access to named definitions, compiling them on demand.
class DefinitionResolver {
 public:
  virtual ~DefinitionResolver() = default;
  // Names of every declared definition (for suggestions).
  virtual std::vector<std::string> DefinitionNames() const = 0;
  virtual bool IsDefinition(absl::string_view name) const = 0;
  // Compiles `name` if needed. On success sets its type and index. On
  // failure sets `*error` to a complete message (a cycle, or the
  // definition's own first error) and returns false.
  virtual bool Resolve(absl::string_view name, ValueType* type, int32_t* index,
                       std::string* error) = 0;
};

struct CheckerEnv {
  absl::Span<const AttributeDecl> attributes;
  absl::Span<const ComputedDecl> computed;
  DefinitionResolver* definitions = nullptr;   // null: no definitions
  const CalendarCatalog* calendars = nullptr;  // null: no calendars
  int64_t max_regex_memory = 1 << 20;
};

// Checks `expr` and annotates every node with its type and resolution.
// `allow_list` permits a list(event) result (only definitions use it).
// Returns false when at least one diagnostic was appended.
bool CheckExpr(Expr* expr, const CheckerEnv& env, bool allow_list,
               std::vector<ExprDiagnostic>* diagnostics);

// The candidate nearest to `name` by edit distance (a transposition counts
// as one edit), or "" when none is close enough to be a plausible typo.
std::string ClosestMatch(absl::string_view name,
                         const std::vector<std::string>& candidates);

// Parses the argument of duration('…') by tact's one duration grammar
// (src/common/duration.h: "90s", "1h30m", "1.5h", "-2m", "1d12h") into int64
// nanoseconds. Returns false with `*error` set, "out of range" beyond them.
bool ParseDurationLiteral(absl::string_view text, int64_t* nanos,
                          std::string* error);

// Parses an RFC 3339 timestamp ("2026-01-01T00:00:00Z").
bool ParseTimestampLiteral(absl::string_view text, int64_t* nanos,
                           std::string* error);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_CHECKER_H_
