// tact::DecisionLogWriter and tact::Replay: a log of decisions an audit can
// re-check.
//
// A decision log is JSON Lines: one tact.v1.DecisionLogRecord per line, the
// context and the decision made on it, in compact proto3 JSON
// (decision.proto). Replaying it re-decides every context with the options
// the decision records (its authority, trace level, and record flag) and
// compares the new decision with the logged one byte for byte; against
// another policy it says what would change in each case instead.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<tact::DecisionLogWriter>> log =
//       tact::DecisionLogWriter::Open("decisions.jsonl");
//   if (!log.ok()) return log.status();
//   tact::DecideOptions options;
//   options.record = true;  // decision_id, context_digest, tact_version
//   absl::StatusOr<tact::v1::Decision> decision =
//       engine->Decide(context, options);
//   if (!decision.ok()) return decision.status();
//   absl::Status logged = (*log)->Append(context, *decision);
//   ...
//   absl::StatusOr<tact::ReplayReport> report =
//       tact::Replay(*engine, "decisions.jsonl");
//   if (report.ok() && !report->ok()) { ... report->differences ... }
#ifndef TACT_DECISION_LOG_H_
#define TACT_DECISION_LOG_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tact/engine.h"
#include "tact/export.h"
#include "tact/simulation.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

namespace tact {

// The JSON Lines line of one record, without its newline: compact proto3
// JSON of tact.v1.DecisionLogRecord {context, decision}, fields in schema
// order, the context's attributes ordered by key. Deterministic: equal
// inputs give identical lines. Empty when the messages hold what JSON
// cannot carry (a string field that is not UTF-8, set by hand).
TACT_EXPORT std::string DecisionLogLine(const v1::Context& context,
                                        const v1::Decision& decision);

// Appends decision records to a JSON Lines file. Append and Flush are safe
// for concurrent use by multiple threads: each record is written whole, in
// the order the calls take the writer's lock. The file is opened for
// appending, so several runs (or processes, one line per write) add to one
// log; nothing already in it is rewritten.
class TACT_EXPORT DecisionLogWriter {
 public:
  // Opens (creating if needed) `path` for appending. Returns NotFound when
  // its directory does not exist, PermissionDenied when it may not be
  // written, FailedPrecondition for any other reason; the message names the
  // file and the cause.
  static absl::StatusOr<std::unique_ptr<DecisionLogWriter>> Open(
      absl::string_view path);

  // Flushes and closes the file (errors then are lost: call Flush first to
  // see them).
  ~DecisionLogWriter();
  DecisionLogWriter(const DecisionLogWriter&) = delete;
  DecisionLogWriter& operator=(const DecisionLogWriter&) = delete;

  // Appends DecisionLogLine(context, decision) and a newline. Returns
  // DataLoss naming the file when the write fails (disk full): the line may
  // then be partial; Replay reports such a line as malformed. Returns
  // InvalidArgument, writing nothing, when the record has no JSON line.
  absl::Status Append(const v1::Context& context, const v1::Decision& decision);

  // Writes buffered records to the operating system. Returns DataLoss
  // naming the file when that fails.
  absl::Status Flush();

  // The path given to Open.
  const std::string& path() const { return path_; }

 private:
  DecisionLogWriter(std::string path, std::FILE* file);
  const std::string path_;
  std::mutex mutex_;
  std::FILE* const file_;
};

struct ReplayOptions {
  // Longest line read, in bytes: a longer one is reported malformed (and
  // skipped without being held in memory). Default: 64 MiB, as
  // kDefaultMaxContextBytes.
  int64_t max_line_bytes = kDefaultMaxContextBytes;
  // Most records read; past it Replay returns ResourceExhausted naming the
  // file and the limit. Default: 10000000.
  int64_t max_records = 10'000'000;
  // Most differences and malformed lines listed in the report (each is
  // still counted). Default: 1000 of each.
  int64_t max_listed = 1000;
  // The limits of each decision (DecideOptions' limits and budgets); its
  // authority, trace level and record flag are ignored: each record's own
  // are used.
  DecideOptions decide;
};

// One logged decision that does not replay as logged.
struct ReplayDifference {
  int64_t line = 0;         // 1-based line of the log
  std::string case_id;      // the context's case.id
  std::string decision_id;  // the logged decision's (empty: not recorded)
  // The logged decision was made by the engine's policy (same policy_hash).
  bool same_policy = true;
  // Same policy: where the two decisions' JSON first differ, e.g.
  // "actions[0].params[0].value.money: logged \"1500\", replayed \"1250\"".
  std::string first_difference;
  // Another policy: what a host would act on that changes (DiffDecisions in
  // `tact simulate --baseline`), in ChangeKind order, and their kinds.
  std::vector<Change> changes;
  std::vector<ChangeKind> kinds;
  // The context could not be decided again: the Status message.
  std::string error;
};

// A line of the log that is not a record, e.g. "decisions.jsonl:7: bad
// JSON: ..." or "...: missing decision".
struct MalformedLine {
  int64_t line = 0;
  std::string message;  // names FILE:LINE
};

struct ReplayReport {
  std::string log_path;
  std::string policy_hash;  // the engine's
  int64_t records = 0;      // well-formed records read
  // Same policy: the new decision's JSON equals the logged one byte for
  // byte.
  int64_t identical = 0;
  // Records of another policy (their policy_hash differs from the
  // engine's), and those among them where nothing a host acts on changes.
  int64_t other_policy = 0;
  int64_t unchanged = 0;
  // Records that differ (same policy: any byte; another policy: a Change;
  // either: could not be decided), and the first ReplayOptions::max_listed.
  int64_t differing = 0;
  std::vector<ReplayDifference> differences;
  int64_t malformed_count = 0;
  std::vector<MalformedLine> malformed;

  // True when every line is a record that replays: identically, or
  // against another policy with nothing a host acts on changed.
  bool ok() const { return differing == 0 && malformed_count == 0; }
};

// Re-decides every record of the log at `log_path` with `engine`, reading it
// one line at a time (the log is never held in memory whole). A line that is
// not a record (bad JSON, an unknown field, no context or no decision, too
// long) is listed in the report, not an error. Returns NotFound or
// PermissionDenied naming the file when it cannot be opened, DataLoss when
// reading fails, ResourceExhausted past options.max_records. Safe for
// concurrent use (the engine is).
TACT_EXPORT absl::StatusOr<ReplayReport> Replay(
    const Engine& engine, absl::string_view log_path,
    const ReplayOptions& options = {});

// The report as JSON (two-space indented when `pretty`): {"log", "policyHash",
// "records", "identical", "otherPolicy", "unchanged", "differing",
// "differences": [{"line", "caseId", "decisionId", "samePolicy",
// "firstDifference" | "changes": [{"kind", "text", "money"}], "kinds",
// "error"}], "malformedCount", "malformed": [{"line", "message"}], "ok"}.
// Deterministic.
TACT_EXPORT std::string ReplayReportToJson(const ReplayReport& report,
                                           bool pretty = true);

}  // namespace tact

#endif  // TACT_DECISION_LOG_H_
