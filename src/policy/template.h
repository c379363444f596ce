// `{param}` templates for action texts and reason sentences.
#ifndef TACT_SRC_POLICY_TEMPLATE_H_
#define TACT_SRC_POLICY_TEMPLATE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/expr/value.h"

namespace tact::internal {

// A piece of a template: literal text, or a parameter to fill in.
struct TemplatePart {
  std::string text;  // literal text, or the parameter name
  bool is_param = false;
  bool as_money = false;  // `{amount:money}`: minor units shown as "12.50 USD"
};
using Template = std::vector<TemplatePart>;

// Parses "{name}" and "{name:money}" placeholders; "{{" and "}}" are literal
// braces. Returns InvalidArgument naming the byte offset of a malformed or
// unterminated placeholder.
absl::StatusOr<Template> ParseTemplate(absl::string_view text);

// The names of the parameters `tmpl` uses, in order of first use.
std::vector<std::string> TemplateParams(const Template& tmpl);

// Renders `tmpl`, filling each parameter from `params` (name-sorted pairs).
// A parameter with no value renders as "{name}". Money parameters use
// `currency`; a duration reads as a span ("90 days", "36 hours": FormatSpan
// in src/common/duration.h); any other value as CEL's string() does.
std::string RenderTemplate(
    const Template& tmpl,
    const std::vector<std::pair<std::string, Value>>& params,
    absl::string_view currency);

// As RenderTemplate, appending to `*out` (whose capacity it reuses), with
// parameter names as views.
void RenderTemplateTo(
    const Template& tmpl,
    const std::vector<std::pair<absl::string_view, Value>>& params,
    absl::string_view currency, std::string* out);

// An upper bound of the bytes RenderTemplateTo appends for `tmpl` and
// `params` (exact for literals and strings; 64 for any other value), so a
// decision can charge a text to its budget before building it.
int64_t RenderedSizeBound(
    const Template& tmpl,
    const std::vector<std::pair<absl::string_view, Value>>& params);

// Formats minor units as a decimal amount in `currency`: 1250, "USD" ->
// "12.50 USD"; 1250, "JPY" -> "1250 JPY". Uses the ISO 4217 exponent of the
// few currencies that do not have two decimals.
std::string FormatMoney(int64_t minor_units, absl::string_view currency);

}  // namespace tact::internal

#endif  // TACT_SRC_POLICY_TEMPLATE_H_
