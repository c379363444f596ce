#include "src/cli/decide_command.h"

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/cli/command_line.h"
#include "src/cli/decision_printer.h"
#include "src/cli/exit_codes.h"
#include "src/cli/why_not_printer.h"
#include "tact/decision_log.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

ABSL_FLAG(std::string, policy, "", "Policy file to decide with.");
ABSL_FLAG(std::string, context, "",
          "Context file: proto3 JSON, or wire format for .binpb/.pb.");
ABSL_FLAG(std::string, format, "text", "Output format: text or json.");
ABSL_FLAG(bool, explain, false,
          "Text: add what to do and why, and the rule and construct trace.");
ABSL_FLAG(bool, trace, false,
          "Record and print the per-rule trace (--trace-level=full).");
ABSL_FLAG(std::string, trace_level, "",
          "How much of the rule trace to record: off, evaluated or full.");
ABSL_FLAG(std::string, authority, "",
          "The authority the caller acts with, e.g. bot; empty: unrestricted.");
ABSL_FLAG(std::string, log, "",
          "Append the context and the recorded decision to this decision log.");
ABSL_FLAG(std::string, why_not, "",
          "Say why this action is not recommended and what would change it.");

namespace tact::cli {

const char kDecideUsage[] =
    R"usage(Usage: tact decide --policy=POLICY --context=CONTEXT [options]

Decides on one case: loads the policy, reads the context (the customer, the
case, its history and the time now) and prints the ranked actions with their
reasons, the actions held back and why, and the effects to record.

Flags:
  --policy=FILE      The policy (.textproto/.txtpb/.pbtxt, .json, .binpb/.pb).
                     Required.
  --context=FILE     The context in proto3 JSON (tact.v1.Context), or in
                     protobuf wire format when it ends in .binpb or .pb.
                     Required.
  --format=FORMAT    text (default): a table for people.
                     json: the tact.v1.Decision in proto3 JSON, for programs.
  --explain          Text: for each action, what to do and why in full
                     sentences; for each rule whether it fired and, if
                     not, the first condition that was false with its
                     operands' values; and what every construct (ladder,
                     strike limit, playbook, contract, budget, authority)
                     saw and did.
  --trace            Record the trace (rules and constructs, in JSON too)
                     and print it: the same as --trace-level=full.
  --trace-level=LEVEL
                     off: no trace. evaluated: only the rules the rule
                     index evaluated (rules it proved cannot hold are not
                     listed), whether each fired and if not its first false
                     condition; cheap enough to keep on. full: every rule,
                     with operand values, and every construct.
                     Default: full with --trace or --explain, else off.
  --authority=NAME   Decide as this authority, one of the policy's
                     `authorities` (e.g. bot). Actions that need more, or
                     grant more money than NAME may alone, are listed under
                     "Needs approval" instead of being recommended.
                     Default: unrestricted.
  --log=FILE         Record the decision (decision id, context digest, tact
                     version) and append it with the context to FILE, a
                     decision log in JSON Lines that `tact replay` checks.
                     The text output then starts with "Decision <id>".
  --why-not=ACTION   Instead of the decision, say why ACTION (an action id of
                     the policy) is not recommended: its status
                     (recommended, needs_approval, blocked, stopped,
                     not_proposed) and, for each rule and construct that
                     could offer it, the smallest change to the context
                     that would, each checked by deciding again on the
                     changed context. With --format=json, the tact.v1.WhyNot
                     message.
  --help             Show this text.

The decision depends only on the policy and the context (`now` comes from the
context, never from the clock), so the same files print the same bytes.

Exit status: 0 on a decision, 1 when the policy has errors or the context
cannot be read, 2 on a usage error.

Examples:
  tact decide --policy=examples/policies/support.textproto \
      --context=examples/contexts/late_delivery_vip.json --explain
  tact decide --policy=examples/policies/support.textproto \
      --context=examples/contexts/outage_critical.json --format=json
  tact decide --policy=examples/policies/support.textproto \
      --context=examples/contexts/late_delivery_vip.json \
      --why-not=goodwill_credit
)usage";

namespace {

constexpr absl::string_view kFlags[] = {"policy",      "context", "format",
                                        "explain",     "trace",   "authority",
                                        "trace_level", "log",     "why_not"};

// Through the library's reader and its size limit (kDefaultMaxContextBytes).
absl::StatusOr<v1::Context> ReadContext(const std::string& path) {
  return ContextFromFile(path);
}

// Appends the record to the decision log at `path`, flushed.
absl::Status AppendToLog(const std::string& path, const v1::Context& context,
                         const v1::Decision& decision) {
  absl::StatusOr<std::unique_ptr<DecisionLogWriter>> log =
      DecisionLogWriter::Open(path);
  if (!log.ok()) return log.status();
  absl::Status appended = (*log)->Append(context, decision);
  if (!appended.ok()) return appended;
  return (*log)->Flush();
}

// `--why-not=ACTION`: the answer instead of the decision.
int RunWhyNot(const Engine& engine, const v1::Context& context,
              const std::string& action, const DecideOptions& options,
              const std::string& format, const std::string& context_path,
              std::ostream& out, std::ostream& err) {
  DecideOptions untraced = options;
  untraced.trace = false;
  absl::StatusOr<v1::WhyNot> why = engine.WhyNot(context, action, untraced);
  if (!why.ok()) {
    if (absl::IsNotFound(why.status())) {
      err << "tact decide: --why-not: " << why.status().message() << "\n";
    } else {
      err << context_path << ": error: " << why.status().message() << "\n";
    }
    return kExitFailure;
  }
  if (format == "json") {
    std::string json = WhyNotToJson(*why, /*pretty=*/true);
    if (!absl::EndsWith(json, "\n")) json.push_back('\n');
    out << json;
    return kExitOk;
  }
  PrintWhyNotText(*why, out);
  return kExitOk;
}

int UsageError(absl::string_view message, std::ostream& err) {
  err << "tact decide: " << message << "\n"
      << "Run 'tact decide --help' for usage.\n";
  return kExitUsage;
}

}  // namespace

int RunDecide(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError(parsed.status().message(), err);
  if (parsed->help) {
    out << kDecideUsage;
    return kExitOk;
  }
  if (!parsed->positional.empty()) {
    return UsageError(
        absl::StrCat("unexpected argument '", parsed->positional[0], "'"), err);
  }
  const std::string policy_path = absl::GetFlag(FLAGS_policy);
  const std::string context_path = absl::GetFlag(FLAGS_context);
  const std::string format = absl::GetFlag(FLAGS_format);
  if (policy_path.empty()) return UsageError("--policy is required", err);
  if (context_path.empty()) return UsageError("--context is required", err);
  if (format != "text" && format != "json") {
    return UsageError(
        absl::StrCat("--format must be text or json, not '", format, "'"), err);
  }
  const bool explain = absl::GetFlag(FLAGS_explain);
  const bool trace = absl::GetFlag(FLAGS_trace);
  v1::TraceLevel trace_level =
      explain || trace ? v1::TRACE_FULL : v1::TRACE_OFF;
  if (std::find(parsed->given.begin(), parsed->given.end(), "trace_level") !=
      parsed->given.end()) {
    const std::string level = absl::GetFlag(FLAGS_trace_level);
    if (level == "off") {
      trace_level = v1::TRACE_OFF;
    } else if (level == "evaluated") {
      trace_level = v1::TRACE_EVALUATED;
    } else if (level == "full") {
      trace_level = v1::TRACE_FULL;
    } else {
      return UsageError(absl::StrCat("--trace-level must be off, evaluated or "
                                     "full, not '",
                                     level, "'"),
                        err);
    }
    if (trace && trace_level != v1::TRACE_FULL) {
      return UsageError(
          absl::StrCat("--trace means --trace-level=full; it cannot go with "
                       "--trace-level=",
                       level),
          err);
    }
  }

  CompileResult compiled = Engine::Compile(policy_path);
  for (const Diagnostic& diagnostic : compiled.diagnostics) {
    err << diagnostic.ToString() << "\n";
  }
  if (HasErrors(compiled.diagnostics) || compiled.engine == nullptr) {
    if (!HasErrors(compiled.diagnostics)) {
      err << policy_path << ": error: the policy did not compile\n";
    }
    return kExitFailure;
  }

  absl::StatusOr<v1::Context> context = ReadContext(context_path);
  if (!context.ok()) {
    err << context_path << ": error: " << context.status().message() << "\n";
    return kExitFailure;
  }

  DecideOptions options;
  options.trace_level = trace_level;
  options.authority = absl::GetFlag(FLAGS_authority);
  const std::string log_path = absl::GetFlag(FLAGS_log);
  options.record = !log_path.empty();
  const std::string why_not = absl::GetFlag(FLAGS_why_not);
  if (!why_not.empty()) {
    if (options.record) {
      return UsageError("--why-not prints no decision to log; drop --log", err);
    }
    return RunWhyNot(*compiled.engine, *context, why_not, options, format,
                     context_path, out, err);
  }
  absl::StatusOr<v1::Decision> decision =
      compiled.engine->Decide(*context, options);
  if (!decision.ok()) {
    err << context_path << ": error: " << decision.status().message() << "\n";
    return kExitFailure;
  }
  if (!log_path.empty()) {
    absl::Status logged = AppendToLog(log_path, *context, *decision);
    if (!logged.ok()) {
      err << "tact decide: error: " << logged.message() << "\n";
      return kExitFailure;
    }
  }

  if (format == "json") {
    std::string json = DecisionToJson(*decision, /*pretty=*/true);
    if (!absl::EndsWith(json, "\n")) json.push_back('\n');
    out << json;
    return kExitOk;
  }
  TextOptions text;
  text.policy_path = policy_path;
  text.context_path = context_path;
  text.authority = options.authority;
  text.explain = explain;
  text.trace = trace_level != v1::TRACE_OFF;
  if (!decision->decision_id().empty()) {
    out << "Decision " << decision->decision_id() << "\n";
  }
  PrintDecisionText(*decision, text, out);
  return kExitOk;
}

}  // namespace tact::cli
