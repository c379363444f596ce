#include "history_store.h"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace helpdesk {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS processed_tickets (
  ticket_update TEXT PRIMARY KEY,
  seq           INTEGER NOT NULL UNIQUE,
  customer_id   TEXT NOT NULL,
  case_id       TEXT NOT NULL,
  now_seconds   INTEGER NOT NULL,
  outcome       TEXT NOT NULL,
  recommended   TEXT NOT NULL,
  decision_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  id          INTEGER PRIMARY KEY,
  customer_id   TEXT NOT NULL,
  ticket_update TEXT NOT NULL,
  at_seconds  INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  amount      INTEGER NOT NULL DEFAULT 0,
  case_id     TEXT NOT NULL DEFAULT '',
  ref         TEXT NOT NULL DEFAULT '',
  step        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_by_customer ON events (customer_id, id);
)sql";

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  absl::Status status() const {
    if (rc_ == SQLITE_OK || rc_ == SQLITE_ROW || rc_ == SQLITE_DONE) {
      return absl::OkStatus();
    }
    return absl::InternalError(absl::StrCat("sqlite: ", sqlite3_errmsg(db_)));
  }
  Statement& Bind(int i, absl::string_view text) {
    if (rc_ == SQLITE_OK) {
      rc_ = sqlite3_bind_text(stmt_, i, text.data(),
                              static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
    return *this;
  }
  Statement& Bind(int i, int64_t value) {
    if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_int64(stmt_, i, value);
    return *this;
  }
  // Returns true while there is a row; check status() afterwards.
  bool Step() {
    if (rc_ != SQLITE_OK && rc_ != SQLITE_ROW) return false;
    rc_ = sqlite3_step(stmt_);
    return rc_ == SQLITE_ROW;
  }
  absl::Status Run() {
    Step();
    return status();
  }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text == nullptr ? "" : reinterpret_cast<const char*>(text);
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HistoryStore>> HistoryStore::Open(
    const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat(path, ": ", message));
  }
  std::unique_ptr<HistoryStore> store(new HistoryStore(db));
  sqlite3_busy_timeout(db, 10000);
  // FULL: a committed ticket survives a power cut, not only a killed process.
  absl::Status schema = store->Exec("PRAGMA synchronous = FULL;");
  if (schema.ok()) schema = store->Exec(kSchema);
  if (!schema.ok()) return schema;
  return store;
}

HistoryStore::~HistoryStore() { sqlite3_close(db_); }

absl::Status HistoryStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    absl::Status status = absl::InternalError(
        absl::StrCat("sqlite: ", error != nullptr ? error : "error"));
    sqlite3_free(error);
    return status;
  }
  return absl::OkStatus();
}

absl::Status HistoryStore::Begin() { return Exec("BEGIN IMMEDIATE;"); }
absl::Status HistoryStore::Commit() { return Exec("COMMIT;"); }
absl::Status HistoryStore::Rollback() { return Exec("ROLLBACK;"); }

absl::StatusOr<bool> HistoryStore::IsProcessed(
    absl::string_view ticket_update) {
  Statement query(db_,
                  "SELECT 1 FROM processed_tickets WHERE ticket_update = ?1;");
  query.Bind(1, ticket_update);
  const bool found = query.Step();
  if (absl::Status status = query.status(); !status.ok()) return status;
  return found;
}

absl::StatusOr<std::vector<tact::v1::Event>> HistoryStore::History(
    absl::string_view customer_id) {
  Statement query(db_,
                  "SELECT at_seconds, kind, amount, case_id, ref, step "
                  "FROM events WHERE customer_id = ?1 ORDER BY id;");
  query.Bind(1, customer_id);
  std::vector<tact::v1::Event> history;
  while (query.Step()) {
    tact::v1::Event& event = history.emplace_back();
    event.mutable_at()->set_seconds(query.Int(0));
    event.set_kind(query.Text(1));
    event.set_amount(query.Int(2));
    event.set_case_id(query.Text(3));
    event.set_ref(query.Text(4));
    event.set_step(query.Int(5));
  }
  if (absl::Status status = query.status(); !status.ok()) return status;
  return history;
}

absl::Status HistoryStore::RecordEffects(absl::string_view ticket_update,
                                         const tact::v1::Context& context,
                                         const tact::v1::Decision& decision) {
  for (const tact::v1::Effect& effect : decision.effects()) {
    Statement insert(db_,
                     "INSERT INTO events (customer_id, ticket_update, "
                     "at_seconds, "
                     "kind, amount, case_id, ref, step) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);");
    insert.Bind(1, context.customer().id())
        .Bind(2, ticket_update)
        .Bind(3, static_cast<int64_t>(decision.now().seconds()))
        .Bind(4, effect.kind())
        .Bind(5, static_cast<int64_t>(effect.amount()))
        .Bind(6, context.case_().id())
        .Bind(7, effect.ref())
        .Bind(8, static_cast<int64_t>(effect.step()));
    if (absl::Status status = insert.Run(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status HistoryStore::MarkProcessed(absl::string_view ticket_update,
                                         const tact::v1::Context& context,
                                         absl::string_view outcome,
                                         absl::string_view recommended,
                                         absl::string_view decision_json) {
  Statement insert(
      db_,
      "INSERT INTO processed_tickets (ticket_update, seq, customer_id, "
      "case_id, "
      "now_seconds, outcome, recommended, decision_json) VALUES (?1, "
      "(SELECT COALESCE(MAX(seq), 0) + 1 FROM processed_tickets), ?2, ?3, ?4, "
      "?5, ?6, ?7);");
  insert.Bind(1, ticket_update)
      .Bind(2, context.customer().id())
      .Bind(3, context.case_().id())
      .Bind(4, static_cast<int64_t>(context.now().seconds()))
      .Bind(5, outcome)
      .Bind(6, recommended)
      .Bind(7, decision_json);
  return insert.Run();
}

absl::StatusOr<std::vector<QueueEntry>> HistoryStore::Queue() {
  Statement query(db_,
                  "SELECT ticket_update, customer_id, case_id, outcome, "
                  "recommended FROM processed_tickets ORDER BY seq;");
  std::vector<QueueEntry> queue;
  while (query.Step()) {
    queue.push_back({query.Text(0), query.Text(1), query.Text(2), query.Text(3),
                     query.Text(4)});
  }
  if (absl::Status status = query.status(); !status.ok()) return status;
  return queue;
}

absl::StatusOr<std::string> HistoryStore::DumpEvents() {
  Statement query(db_,
                  "SELECT id, ticket_update, customer_id, at_seconds, kind, "
                  "amount, case_id, ref, step FROM events ORDER BY id;");
  std::string out;
  while (query.Step()) {
    absl::StrAppendFormat(&out, "%d %s %s at=%d %s(%s amount=%d step=%d) %s\n",
                          query.Int(0), query.Text(1), query.Text(2),
                          query.Int(3), query.Text(4), query.Text(7),
                          query.Int(5), query.Int(8), query.Text(6));
  }
  if (absl::Status status = query.status(); !status.ok()) return status;
  return out;
}

absl::StatusOr<std::string> HistoryStore::Tally() {
  // Steps for strikes, rungs and surprises; amounts for grants. The inner
  // query fixes the order group_concat reads them in (recording order);
  // cases come in the order they first recorded something.
  Statement query(
      db_,
      "SELECT case_id, customer_id, kind, ref, COUNT(*), "
      "group_concat(CASE WHEN kind = 'goodwill' THEN amount ELSE step END, "
      "' '), MAX(kind = 'goodwill') "
      "FROM (SELECT * FROM events ORDER BY id) "
      "GROUP BY case_id, customer_id, kind, ref "
      "ORDER BY MIN(MIN(id)) OVER (PARTITION BY case_id, customer_id), "
      "MIN(id);");
  std::string out;
  while (query.Step()) {
    absl::StrAppendFormat(&out, "%s  %s  %s(%s) x%d  %s %s\n", query.Text(0),
                          query.Text(1), query.Text(2), query.Text(3),
                          query.Int(4), query.Int(6) != 0 ? "amounts" : "steps",
                          query.Text(5));
  }
  if (absl::Status status = query.status(); !status.ok()) return status;
  return out;
}

}  // namespace helpdesk
