#include "src/policy/template.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "src/common/duration.h"

namespace tact::internal {
namespace {

bool IsParamChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

int CurrencyExponent(absl::string_view currency) {
  static constexpr absl::string_view kZero[] = {
      "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
      "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr absl::string_view kThree[] = {"BHD", "IQD", "JOD", "KWD",
                                                 "LYD", "OMR", "TND"};
  for (absl::string_view c : kZero) {
    if (c == currency) return 0;
  }
  for (absl::string_view c : kThree) {
    if (c == currency) return 3;
  }
  return 2;
}

}  // namespace

absl::StatusOr<Template> ParseTemplate(absl::string_view text) {
  Template out;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) out.push_back({std::move(literal), false, false});
    literal.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal.push_back('}');
        ++i;
        continue;
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "unmatched '}' at offset ", i, "; write '}}' for a literal brace"));
    }
    if (c != '{') {
      literal.push_back(c);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal.push_back('{');
      ++i;
      continue;
    }
    size_t close = text.find('}', i + 1);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("unterminated '{' at offset ", i));
    }
    absl::string_view inside = text.substr(i + 1, close - i - 1);
    bool money = false;
    if (absl::ConsumeSuffix(&inside, ":money")) money = true;
    if (inside.empty() ||
        !std::all_of(inside.begin(), inside.end(), IsParamChar)) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed placeholder '", text.substr(i, close - i + 1),
                       "' at offset ", i, "; expected {name} or {name:money}"));
    }
    flush();
    out.push_back({std::string(inside), true, money});
    i = close;
  }
  flush();
  return out;
}

std::vector<std::string> TemplateParams(const Template& tmpl) {
  std::vector<std::string> names;
  for (const TemplatePart& part : tmpl) {
    if (part.is_param &&
        std::find(names.begin(), names.end(), part.text) == names.end()) {
      names.push_back(part.text);
    }
  }
  return names;
}

namespace {

template <typename Name>
void RenderInto(const Template& tmpl,
                const std::vector<std::pair<Name, Value>>& params,
                absl::string_view currency, std::string* out) {
  for (const TemplatePart& part : tmpl) {
    if (!part.is_param) {
      out->append(part.text);
      continue;
    }
    auto it = std::lower_bound(
        params.begin(), params.end(), part.text,
        [](const std::pair<Name, Value>& p, const std::string& name) {
          return absl::string_view(p.first) < name;
        });
    if (it == params.end() || absl::string_view(it->first) != part.text) {
      absl::StrAppend(out, "{", part.text, "}");
    } else if (part.as_money && it->second.type == ValueType::kInt) {
      out->append(FormatMoney(it->second.int_value, currency));
    } else if (it->second.type == ValueType::kString) {
      out->append(it->second.string_value.data(),
                  it->second.string_value.size());
    } else if (it->second.type == ValueType::kInt) {
      absl::StrAppend(out, it->second.int_value);
    } else if (it->second.type == ValueType::kDuration) {
      out->append(FormatSpan(absl::Nanoseconds(it->second.int_value)));
    } else {
      out->append(FormatValue(it->second));
    }
  }
}

}  // namespace

std::string RenderTemplate(
    const Template& tmpl,
    const std::vector<std::pair<std::string, Value>>& params,
    absl::string_view currency) {
  std::string out;
  RenderInto(tmpl, params, currency, &out);
  return out;
}

void RenderTemplateTo(
    const Template& tmpl,
    const std::vector<std::pair<absl::string_view, Value>>& params,
    absl::string_view currency, std::string* out) {
  RenderInto(tmpl, params, currency, out);
}

int64_t RenderedSizeBound(
    const Template& tmpl,
    const std::vector<std::pair<absl::string_view, Value>>& params) {
  int64_t size = 0;
  for (const TemplatePart& part : tmpl) {
    size += static_cast<int64_t>(part.text.size()) + 2;
    if (!part.is_param) continue;
    auto it = std::lower_bound(
        params.begin(), params.end(), part.text,
        [](const std::pair<absl::string_view, Value>& p,
           const std::string& name) { return p.first < name; });
    if (it == params.end() || it->first != part.text) continue;
    size += it->second.type == ValueType::kString
                ? static_cast<int64_t>(it->second.string_value.size())
                : 64;
  }
  return size;
}

std::string FormatMoney(int64_t minor_units, absl::string_view currency) {
  int exponent = CurrencyExponent(currency);
  // Work in unsigned magnitude so INT64_MIN formats correctly.
  uint64_t magnitude = minor_units < 0
                           ? uint64_t{0} - static_cast<uint64_t>(minor_units)
                           : static_cast<uint64_t>(minor_units);
  std::string sign = minor_units < 0 ? "-" : "";
  std::string number;
  if (exponent == 0) {
    number = absl::StrCat(magnitude);
  } else {
    uint64_t scale = exponent == 3 ? 1000 : 100;
    number = absl::StrFormat("%d.%0*d", magnitude / scale, exponent,
                             magnitude % scale);
  }
  if (currency.empty()) return absl::StrCat(sign, number);
  return absl::StrCat(sign, number, " ", currency);
}

}  // namespace tact::internal
