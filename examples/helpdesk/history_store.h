// The helpdesk's own database (SQLite): per-customer history and the ticket
// updates already processed.
//
// Exactly-once updates: an update's decision effects (history events) and its
// row in `processed_tickets` are written in one transaction, so after a crash
// an update is either wholly recorded (and skipped when seen again) or not at
// all (and decided again, on the same history, giving the same decision).
// Across the updates of one ticket (one case) tact itself keeps the history
// right: an effect already recorded for the case (its strike, a rung, a
// grant) is not emitted again, so each is recorded once (Tally shows it).
//
// Schema:
//   processed_tickets(ticket_update PRIMARY KEY, seq, customer_id, case_id,
//                     now_seconds, outcome, recommended, decision_json)
//   events(id, customer_id, ticket_update, at_seconds, kind, amount, case_id,
//          ref, step)   -- tact.v1.Event, plus who and which update ("T-1#2")
//
// Thread-compatible; one HistoryStore per thread. Several processes may
// share one database: BEGIN IMMEDIATE serializes their tickets.
#ifndef HELPDESK_HISTORY_STORE_H_
#define HELPDESK_HISTORY_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"

struct sqlite3;

namespace helpdesk {

// One processed ticket update, as the queue shows it.
struct QueueEntry {
  std::string ticket_update;  // "T-1001#2"
  std::string customer_id;
  std::string case_id;
  std::string outcome;      // "decided" or "rejected: <why>"
  std::string recommended;  // one line per action
};

class HistoryStore {
 public:
  // Opens (creating if needed) the database at `path`.
  static absl::StatusOr<std::unique_ptr<HistoryStore>> Open(
      const std::string& path);
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // BEGIN IMMEDIATE / COMMIT / ROLLBACK.
  absl::Status Begin();
  absl::Status Commit();
  absl::Status Rollback();

  // True when the update ("T-1001#2") was recorded. REQUIRES: inside Begin().
  absl::StatusOr<bool> IsProcessed(absl::string_view ticket_update);

  // The customer's history, oldest first, as tact reads it.
  absl::StatusOr<std::vector<tact::v1::Event>> History(
      absl::string_view customer_id);

  // Records the decision's effects as events at the decision's `now`, and
  // the update as processed. REQUIRES: inside Begin().
  absl::Status RecordEffects(absl::string_view ticket_update,
                             const tact::v1::Context& context,
                             const tact::v1::Decision& decision);
  absl::Status MarkProcessed(absl::string_view ticket_update,
                             const tact::v1::Context& context,
                             absl::string_view outcome,
                             absl::string_view recommended,
                             absl::string_view decision_json);

  // Every processed update, in processing order.
  absl::StatusOr<std::vector<QueueEntry>> Queue();

  // Every event, one line each, in recording order (for audits and tests).
  absl::StatusOr<std::string> DumpEvents();

  // What each case (ticket) has recorded, one line per kind and ref, cases
  // in the order they first recorded something:
  //   "T-1001  cus_ann  rung_offered(unhappy_customer) x3  steps 1 2 3"
  //   "T-1001  cus_ann  goodwill(goodwill) x2  amounts 1500 2500"
  absl::StatusOr<std::string> Tally();

 private:
  explicit HistoryStore(sqlite3* db) : db_(db) {}
  absl::Status Exec(const char* sql);
  sqlite3* db_;
};

}  // namespace helpdesk

#endif  // HELPDESK_HISTORY_STORE_H_
