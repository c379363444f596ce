#include "src/cli/simulate_command.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "src/cli/command_line.h"
#include "src/cli/exit_codes.h"
#include "src/cli/report_html.h"
#include "src/cli/simulation_printer.h"
#include "tact/batch.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"
#include "tact/simulation.h"

// Shared with `tact decide` (defined in decide_command.cc).
ABSL_DECLARE_FLAG(std::string, policy);
ABSL_DECLARE_FLAG(std::string, authority);

ABSL_FLAG(std::string, cases, "",
          "Cases to simulate: one tact.v1.Context in JSON per line.");
ABSL_FLAG(std::string, baseline, "",
          "A policy to compare with: the one in force today.");
ABSL_FLAG(int, threads, 0, "Worker threads; 0: one per core.");
ABSL_FLAG(std::string, report, "", "Write a self-contained HTML report here.");
ABSL_FLAG(std::string, json, "", "Write the summary as JSON here.");
ABSL_FLAG(std::string, fail_on, "",
          "With --baseline: exit 4 when the diff has a change of this kind "
          "(any, money, actions).");
ABSL_FLAG(std::string, cost_share, "",
          "List the customers whose cost to serve exceeds this percentage "
          "of their spend, e.g. 5 or 2.5%.");

namespace tact::cli {

const char kSimulateUsage[] =
    R"usage(Usage: tact simulate --policy=POLICY --cases=CASES.jsonl [options]

Replays many cases through a policy and totals what it would do and cost:
decisions per action (recommended, needing approval, blocked and why),
goodwill recommended in total, by tier and by customer lifetime-value band,
how often the goodwill budget ran out, strike warnings and strike-outs, how
far the escalation ladders went, recovery steps and missed recovery windows,
actions beyond the contract with their cost, and for a policy with service
levels their attainment per tier and target and the cases served beyond the
contracted level per tier.

Flags:
  --policy=FILE      The policy to simulate. Required.
  --cases=FILE       One tact.v1.Context in proto3 JSON per line (JSON
                     Lines). Lines that do not parse or cannot be decided are
                     counted and listed by line number; the rest still count.
                     Required.
  --baseline=FILE    A second policy (e.g. the one in force today): both are
                     totalled side by side, and every case where anything a
                     host acts on changed is listed with its changes, one
                     line each (e.g. "credit amount 1500 -> 1250 (-2.50
                     USD)"), and counted by kind with the money it moves:
                     actions_added, actions_removed, order, params, details
                     (title, text, tags, beyond_contract, playbook_stage),
                     blocked (action, code, blocker), needs_approval (with
                     the required authority), effects, flags. Scores,
                     reason texts, the trace and service-level states are
                     not compared. The
                     policies are named name@version, followed by their
                     file names when both have the same name@version.
  --fail-on=KIND     With --baseline, a gate for CI: exit 4 when the diff
                     has a changed case of this kind: `any` (any change),
                     `money` (goodwill changed, or an amount moved: an
                     amount parameter, a monetary action added or removed),
                     `actions` (recommended actions added, removed or
                     reordered). Every kind also fails on a case only one
                     policy could decide (kind `undecidable`: "policy could
                     not decide: ..." or "baseline could not decide: ...");
                     `any` and `money` fail when the currency changed (no
                     money delta is computed across currencies). An empty
                     value is a usage error. Without it the exit status
                     does not depend on the diff.
  --threads=N        Worker threads sharing one engine, at most 256. Default:
                     0, one per core. The output does not depend on N.
  --report=FILE      Also write a self-contained HTML report (inline SVG
                     charts, sortable tables; opens offline).
  --json=FILE        Also write the summary as JSON.
  --authority=NAME   Decide as this authority (e.g. bot). Default:
                     unrestricted.
  --cost-share=PCT   List the customers whose cost to serve exceeds PCT
                     percent of their spend (e.g. 5 or 2.5%): spend is
                     customer.lifetime_value; cost to serve is the case's
                     decision cost plus the service_cost events already in
                     its history. Each customer once, at their first such
                     case. Default: no list.
  --help             Show this text.

A progress bar is drawn on stderr when it is a terminal.

Exit status: 0 when the simulation ran (undecidable cases are listed, not
fatal), 1 when a policy has errors or a file cannot be read or written, 2 on
a usage error (--fail-on without --baseline, or an unknown or empty kind),
4 when --fail-on's gate fails (the output and files are written first).

Example:
  tact simulate --policy=examples/policies/service_playbook.textproto \
      --cases=examples/cases/sample_cases.jsonl --report=report.html
)usage";

namespace {

constexpr absl::string_view kFlags[] = {"policy",    "cases",   "baseline",
                                        "threads",   "report",  "json",
                                        "authority", "fail_on", "cost_share"};

// The gate named by --fail-on; false when `name` is not one.
bool ParseGate(const std::string& name, DiffGate* gate) {
  if (name == "any") {
    *gate = DiffGate::kAny;
  } else if (name == "money") {
    *gate = DiffGate::kMoney;
  } else if (name == "actions") {
    *gate = DiffGate::kActions;
  } else {
    return false;
  }
  return true;
}

// name@version, and the file name too when both policies have the same.
void SetLabels(const Engine& policy, const std::string& policy_path,
               const Engine& baseline, const std::string& baseline_path,
               SimulationOptions* options) {
  auto label = [](const Engine& e) {
    return absl::StrCat(e.policy().name(), "@", e.policy().version());
  };
  options->policy_label = label(policy);
  options->baseline_label = label(baseline);
  if (options->policy_label != options->baseline_label) return;
  absl::StrAppend(&options->policy_label, " (", policy_path, ")");
  absl::StrAppend(&options->baseline_label, " (", baseline_path, ")");
  if (policy_path == baseline_path) {
    absl::StrAppend(&options->policy_label, " (policy)");
    absl::StrAppend(&options->baseline_label, " (baseline)");
  }
}

int UsageError(absl::string_view message, std::ostream& err) {
  err << "tact simulate: " << message << "\n"
      << "Run 'tact simulate --help' for usage.\n";
  return kExitUsage;
}

std::unique_ptr<const Engine> Load(const std::string& path, std::ostream& err) {
  CompileResult compiled = Engine::Compile(path);
  for (const Diagnostic& diagnostic : compiled.diagnostics) {
    err << diagnostic.ToString() << "\n";
  }
  if (HasErrors(compiled.diagnostics) || compiled.engine == nullptr) {
    if (!HasErrors(compiled.diagnostics)) {
      err << path << ": error: the policy did not compile\n";
    }
    return nullptr;
  }
  return std::move(compiled.engine);
}

bool WriteFile(const std::string& path, const std::string& contents,
               std::ostream& err) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  file.close();
  if (!file) {
    err << path << ": error: cannot write file\n";
    return false;
  }
  return true;
}

// Reads the next line of `in` into `line` (without its '\n'); false at the
// end of the input. Stops at `max_bytes` + 1 bytes of a longer line, so one
// line never costs more memory than that.
bool ReadLine(std::istream& in, int64_t max_bytes, std::string& line) {
  line.clear();
  std::streambuf& buffer = *in.rdbuf();
  bool any = false;
  for (int c = buffer.sbumpc(); c != std::char_traits<char>::eof();
       c = buffer.sbumpc()) {
    any = true;
    if (c == '\n') return true;
    line.push_back(static_cast<char>(c));
    if (static_cast<int64_t>(line.size()) > max_bytes) return true;
  }
  return any;
}

// Draws "[#####.....]  1234/5000 cases" over itself on stderr.
void DrawProgress(int64_t done, int64_t total) {
  constexpr int kWidth = 40;
  int filled = total == 0 ? kWidth : static_cast<int>(kWidth * done / total);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r[%s] %lld/%lld cases", bar.c_str(),
               static_cast<long long>(done), static_cast<long long>(total));
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace

int RunSimulate(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError(parsed.status().message(), err);
  if (parsed->help) {
    out << kSimulateUsage;
    return kExitOk;
  }
  if (!parsed->positional.empty()) {
    return UsageError(
        absl::StrCat("unexpected argument '", parsed->positional[0], "'"), err);
  }
  const std::string policy_path = absl::GetFlag(FLAGS_policy);
  const std::string cases_path = absl::GetFlag(FLAGS_cases);
  const std::string baseline_path = absl::GetFlag(FLAGS_baseline);
  const int threads = absl::GetFlag(FLAGS_threads);
  if (policy_path.empty()) return UsageError("--policy is required", err);
  if (cases_path.empty()) return UsageError("--cases is required", err);
  if (threads < 0) return UsageError("--threads must be 0 or more", err);
  if (threads > kMaxBatchThreads) {
    return UsageError(
        absl::StrCat("--threads must be at most ", kMaxBatchThreads), err);
  }
  const std::string fail_on = absl::GetFlag(FLAGS_fail_on);
  DiffGate gate = DiffGate::kNone;
  const bool fail_on_given =
      std::find(parsed->given.begin(), parsed->given.end(), "fail_on") !=
      parsed->given.end();
  if (fail_on_given || !fail_on.empty()) {
    if (baseline_path.empty()) {
      return UsageError("--fail-on needs --baseline: it gates the diff", err);
    }
    if (!ParseGate(fail_on, &gate)) {
      return UsageError(absl::StrCat("--fail-on='", fail_on,
                                     "': expected any, money or actions"),
                        err);
    }
  }
  // -1: no list (SimulationOptions::cost_share_percent).
  // Plain decimals only (no sign, exponent or hex), at least a millionth
  // of a percent when not 0: the share is compared in millionths.
  double cost_share_percent = -1;
  const std::string share = absl::GetFlag(FLAGS_cost_share);
  const bool share_given = std::find(parsed->given.begin(), parsed->given.end(),
                                     "cost_share") != parsed->given.end();
  if (share_given || !share.empty()) {
    absl::string_view number = share;
    absl::ConsumeSuffix(&number, "%");
    const bool decimal =
        !number.empty() &&
        number.find_first_not_of("0123456789.") == absl::string_view::npos;
    if (!decimal || !absl::SimpleAtod(number, &cost_share_percent) ||
        !std::isfinite(cost_share_percent) || cost_share_percent < 0 ||
        (cost_share_percent > 0 && cost_share_percent < 1e-6)) {
      return UsageError(
          absl::StrCat("--cost-share must be a percentage >= 0 (0 or at "
                       "least 0.000001), e.g. 5 or 2.5%; got '",
                       share, "'"),
          err);
    }
  }

  std::unique_ptr<const Engine> policy = Load(policy_path, err);
  if (policy == nullptr) return kExitFailure;
  std::unique_ptr<const Engine> baseline;
  if (!baseline_path.empty()) {
    baseline = Load(baseline_path, err);
    if (baseline == nullptr) return kExitFailure;
  }
  SimulationOptions options;
  options.cost_share_percent = cost_share_percent;
  options.threads = threads;  // 0: one per core
  options.authority = absl::GetFlag(FLAGS_authority);
  if (baseline != nullptr) {
    SetLabels(*policy, policy_path, *baseline, baseline_path, &options);
  }
  if (!options.authority.empty()) {
    for (const Engine* engine : {policy.get(), baseline.get()}) {
      if (engine == nullptr) continue;
      const auto& known = engine->policy().authorities();
      if (std::find(known.begin(), known.end(), options.authority) ==
          known.end()) {
        err << "tact simulate: error: authority '" << options.authority
            << "' is not one of policy " << engine->policy().name()
            << "'s authorities\n";
        return kExitFailure;
      }
    }
  }

  std::ifstream cases(cases_path, std::ios::binary);
  if (!cases) {
    err << cases_path << ": error: cannot open file\n";
    return kExitFailure;
  }
  // Each line is one context, read through the context file limit (the
  // whole file may be larger): a longer line stops the read naming it.
  std::vector<std::string> lines;
  for (std::string line; ReadLine(cases, kDefaultMaxContextBytes, line);) {
    if (static_cast<int64_t>(line.size()) > kDefaultMaxContextBytes) {
      err << cases_path << ":" << lines.size() + 1
          << ": error: the line is more than " << kDefaultMaxContextBytes
          << " bytes, the limit for one context (kDefaultMaxContextBytes)\n";
      return kExitFailure;
    }
    lines.push_back(std::move(line));
  }
  if (cases.bad()) {
    err << cases_path << ": error: cannot read file\n";
    return kExitFailure;
  }

  if (isatty(STDERR_FILENO)) options.progress = DrawProgress;
  Simulation sim = Simulate(*policy, baseline.get(), lines, options);

  PrintSimulationText(sim, out);
  const std::string json_path = absl::GetFlag(FLAGS_json);
  if (!json_path.empty() && !WriteFile(json_path, SimulationToJson(sim), err)) {
    return kExitFailure;
  }
  const std::string report_path = absl::GetFlag(FLAGS_report);
  if (!report_path.empty()) {
    ReportSources sources{policy_path, baseline_path, cases_path};
    if (!WriteFile(report_path, RenderHtmlReport(sim, sources), err)) {
      return kExitFailure;
    }
  }
  if (FailsGate(sim, gate)) {
    int64_t failing = gate == DiffGate::kMoney     ? sim.money_changed_count
                      : gate == DiffGate::kActions ? sim.actions_changed_count
                                                   : sim.changed_count;
    // Undecidable cases fail every gate; `any` already counts them.
    if (gate != DiffGate::kAny) failing += sim.undecidable_count;
    err << "tact simulate: the diff fails --fail-on=" << fail_on << ": "
        << failing << (failing == 1 ? " case" : " cases") << " changed";
    if (sim.undecidable_count > 0) {
      err << " (" << sim.undecidable_count << " decided by one policy only)";
    }
    if (sim.currency_changed && gate != DiffGate::kActions) {
      err << "; the currency changed: " << sim.baseline.currency << " -> "
          << sim.summary.currency;
    }
    err << "\n";
    return kExitDiffGate;
  }
  return kExitOk;
}

}  // namespace tact::cli
