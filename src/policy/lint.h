// Domain lint: warnings about a policy that compiles but cannot do what it
// says -- a rule that can never fire or is always shadowed, a duplicate, an
// action nothing recommends, a ladder rung no path reaches, money that is
// negative, money granted at once beside the ladder that rations it, and
// definitions or attributes nothing uses. docs/policy-language.md#lint
// defines each check exactly.
//
// Every check is sound: it warns only when the policy's constants prove the
// problem (condition_ranges.h), never on a guess. Lint runs once a policy
// compiled without errors and only ever adds warnings (Diagnostic::check
// names the check), so it never makes a policy fail to load; `tact check
// --strict` turns them into a failure. A policy element silences a check
// for itself with `lint_ignore: "<check>"`.
#ifndef TACT_SRC_POLICY_LINT_H_
#define TACT_SRC_POLICY_LINT_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/common/source_map.h"
#include "src/policy/plan.h"
#include "tact/diagnostic.h"

namespace tact::internal {

// The stable names of the checks, as Diagnostic::check and `lint_ignore`
// spell them.
inline constexpr absl::string_view kLintChecks[] = {
    "unreachable-rule",     "shadowed-rule",     "duplicate-rule",
    "unused-action",        "unreachable-rung",  "negative-money",
    "money-outside-ladder", "unused-definition", "unused-attribute",
    "unknown-lint-check",   "lint-limit",
};

// Lint compares pairs (a rule with each higher-priority `final` rule, a
// money-granting rule with each ladder offering the same action) at most
// this many times per policy; past it, the remaining pairs are not checked
// and one "lint-limit" warning says so. Everything else is linear.
inline constexpr int64_t kMaxLintPairs = int64_t{1} << 20;

// Appends the lint warnings of `plan`, compiled from `loaded`, to
// `diagnostics`, with their file positions. Never adds an error.
void LintPolicy(const LoadedPolicy& loaded, const PolicyPlan& plan,
                std::vector<Diagnostic>* diagnostics);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_LINT_H_
