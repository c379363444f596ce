#include "src/cli/replay_command.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "src/cli/command_line.h"
#include "src/cli/exit_codes.h"
#include "tact/decision_log.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"
#include "tact/simulation.h"

ABSL_DECLARE_FLAG(std::string, policy);
ABSL_DECLARE_FLAG(std::string, format);

namespace tact::cli {

const char kReplayUsage[] =
    R"usage(Usage: tact replay LOG --policy=POLICY [--format=text|json]

Re-decides every record of a decision log (JSON Lines of
tact.v1.DecisionLogRecord, as `tact decide --log` and the library's
DecisionLogWriter write them) with the options each decision records (its
authority, trace level and whether it was recorded), and compares the new
decision with the logged one byte for byte.

A record made by the same policy (same policy hash) must replay
identically; the first place where it does not is printed, e.g.
"actions[0].params[0].value.intValue: logged "1500", replayed "1250"".
A record made by another policy (a new policy version about to go live)
is compared as `tact simulate --baseline` compares: what a host would act
on that changes (actions added or removed, order, parameters, blocked,
needs approval, effects, flags).

Flags:
  --policy=FILE      The policy to replay with. Required.
  --format=FORMAT    text (default): a summary and one line per record
                     that differs, for people.
                     json: the report as JSON, for programs.
  --help             Show this text.

The log is read one line at a time; a line that is not a record (bad JSON,
an unknown field, no context or no decision) is listed as LOG:LINE.

Exit status: 0 when every record replays identically (against another
policy: nothing a host acts on changes), 1 when a record differs, a line is
malformed, the policy has errors or the log cannot be read, 2 on a usage
error.

Examples:
  tact decide --policy=examples/policies/support.textproto \
      --context=examples/contexts/late_delivery_vip.json --log=decisions.jsonl
  tact replay decisions.jsonl --policy=examples/policies/support.textproto
)usage";

namespace {

constexpr absl::string_view kFlags[] = {"policy", "format"};

int UsageError(absl::string_view message, std::ostream& err) {
  err << "tact replay: " << message << "\n"
      << "Run 'tact replay --help' for usage.\n";
  return kExitUsage;
}

std::string KindNames(const std::vector<ChangeKind>& kinds) {
  std::vector<std::string> names;
  for (ChangeKind kind : kinds) names.push_back(ChangeKindName(kind));
  return absl::StrJoin(names, ", ");
}

void PrintText(const ReplayReport& report, const std::string& policy_path,
               std::ostream& out) {
  out << "Replayed " << report.log_path << " with " << policy_path << " ("
      << report.policy_hash << ")\n";
  out << "  records:          " << report.records << "\n";
  out << "  identical:        " << report.identical << "\n";
  if (report.other_policy > 0) {
    out << "  another policy:   " << report.other_policy << " ("
        << report.unchanged << " unchanged)\n";
  }
  out << "  differing:        " << report.differing << "\n";
  out << "  malformed lines:  " << report.malformed_count << "\n";
  if (!report.differences.empty()) {
    out << "\nDiffering records:\n";
    for (const ReplayDifference& d : report.differences) {
      out << "  line " << d.line << ": case "
          << (d.case_id.empty() ? "(none)" : d.case_id) << ", decision "
          << (d.decision_id.empty() ? "(not recorded)" : d.decision_id) << "\n";
      if (!d.error.empty()) {
        out << "    cannot decide: " << d.error << "\n";
      } else if (d.same_policy) {
        out << "    " << d.first_difference << "\n";
      } else {
        out << "    would change: " << KindNames(d.kinds) << "\n";
        for (const Change& change : d.changes) {
          out << "      " << ChangeKindName(change.kind) << ": " << change.text
              << "\n";
        }
      }
    }
    if (report.differing > static_cast<int64_t>(report.differences.size())) {
      out << "  ... and "
          << report.differing - static_cast<int64_t>(report.differences.size())
          << " more\n";
    }
  }
  if (!report.malformed.empty()) {
    out << "\nMalformed lines:\n";
    for (const MalformedLine& m : report.malformed) {
      out << "  " << m.message << "\n";
    }
    if (report.malformed_count >
        static_cast<int64_t>(report.malformed.size())) {
      out << "  ... and "
          << report.malformed_count -
                 static_cast<int64_t>(report.malformed.size())
          << " more\n";
    }
  }
  out << "\n"
      << (report.ok() ? "OK: every record replays"
                      : absl::StrCat("FAIL: ", report.differing, " differing, ",
                                     report.malformed_count, " malformed"))
      << "\n";
}

}  // namespace

int RunReplay(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError(parsed.status().message(), err);
  if (parsed->help) {
    out << kReplayUsage;
    return kExitOk;
  }
  if (parsed->positional.empty()) return UsageError("LOG is required", err);
  if (parsed->positional.size() > 1) {
    return UsageError(
        absl::StrCat("unexpected argument '", parsed->positional[1], "'"), err);
  }
  const std::string log_path = parsed->positional[0];
  const std::string policy_path = absl::GetFlag(FLAGS_policy);
  const std::string format = absl::GetFlag(FLAGS_format);
  if (policy_path.empty()) return UsageError("--policy is required", err);
  if (format != "text" && format != "json") {
    return UsageError(
        absl::StrCat("--format must be text or json, not '", format, "'"), err);
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

  absl::StatusOr<ReplayReport> report = Replay(*compiled.engine, log_path);
  if (!report.ok()) {
    err << "tact replay: error: " << report.status().message() << "\n";
    return kExitFailure;
  }
  if (format == "json") {
    out << ReplayReportToJson(*report, /*pretty=*/true) << "\n";
  } else {
    PrintText(*report, policy_path, out);
  }
  return report->ok() ? kExitOk : kExitFailure;
}

}  // namespace tact::cli
