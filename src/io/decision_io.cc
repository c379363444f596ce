// tact::DecisionToJson and WhyNotToJson: decisions and why-not answers for
// hosts, logs and golden files.
#include <string>

#include "google/protobuf/util/json_util.h"
#include "tact/engine.h"
#include "tact/v1/decision.pb.h"

namespace tact {
namespace {

// protobuf 3.21 indents pretty JSON by one space per level; the contract
// (engine.h) is two. Strings in the output escape their newlines, so every
// line's leading spaces are indentation and can simply be doubled.
std::string DoubleIndentation(const std::string& json) {
  std::string out;
  out.reserve(json.size() * 5 / 4);
  bool at_line_start = true;
  for (char c : json) {
    if (at_line_start && c == ' ') {
      out.append("  ");
      continue;
    }
    at_line_start = c == '\n';
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string DecisionToJson(const v1::Decision& decision, bool pretty) {
  // Deterministic: the printer walks fields in schema order and Decision
  // has no map fields (parameters are a repeated, sorted Param), so equal
  // decisions print byte-identically.
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = false;
  options.preserve_proto_field_names = false;
  std::string json;
  // Printing a valid message cannot fail (Decision holds no Any).
  (void)google::protobuf::util::MessageToJsonString(decision, &json, options);
  return pretty ? DoubleIndentation(json) : json;
}

std::string WhyNotToJson(const v1::WhyNot& why_not, bool pretty) {
  // Deterministic as DecisionToJson: WhyNot has no map fields.
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = false;
  options.preserve_proto_field_names = false;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(why_not, &json, options);
  return pretty ? DoubleIndentation(json) : json;
}

}  // namespace tact
