#include "src/cli/command_line.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace tact::cli {
namespace {

bool IsAllowed(absl::Span<const absl::string_view> allowed,
               absl::string_view name) {
  return std::find(allowed.begin(), allowed.end(), name) != allowed.end();
}

}  // namespace

absl::StatusOr<ParsedArgs> ParseArgs(
    const std::vector<std::string>& args,
    absl::Span<const absl::string_view> allowed) {
  ParsedArgs parsed;
  // --help wins over every other problem on the line, so check it first.
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg == "--help" || arg == "-help" || arg == "-h") {
      parsed.help = true;
      return parsed;
    }
  }

  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--") {
      parsed.positional.insert(parsed.positional.end(), args.begin() + i + 1,
                               args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      parsed.positional.emplace_back(arg);
      continue;
    }

    absl::string_view body = arg.substr(absl::StartsWith(arg, "--") ? 2 : 1);
    absl::string_view name = body;
    absl::string_view value;
    bool has_value = false;
    if (size_t eq = body.find('='); eq != absl::string_view::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
      has_value = true;
    }

    // --fail-on names the flag fail_on: Abseil flag names are identifiers.
    std::string underscored(name);
    std::replace(underscored.begin(), underscored.end(), '-', '_');
    name = underscored;

    bool negated = false;
    if (!IsAllowed(allowed, name) && absl::StartsWith(name, "no") &&
        IsAllowed(allowed, name.substr(2)) && !has_value) {
      negated = true;
      name = name.substr(2);
    }
    if (!IsAllowed(allowed, name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag '", arg, "'"));
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) {
      return absl::InternalError(
          absl::StrCat("flag --", name, " is not defined"));
    }
    const bool is_bool = flag->IsOfType<bool>();
    if (negated && !is_bool) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag '", arg, "'"));
    }

    std::string owned_value;
    if (negated) {
      owned_value = "false";
    } else if (has_value) {
      owned_value = std::string(value);
    } else if (is_bool) {
      owned_value = "true";
    } else if (i + 1 < args.size()) {
      owned_value = args[++i];
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("flag --", name, " needs a value"));
    }

    std::string error;
    if (!flag->ParseFrom(owned_value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad value '", owned_value, "' for --", name, ": ", error));
    }
  }
  return parsed;
}

}  // namespace tact::cli
