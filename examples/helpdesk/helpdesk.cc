// helpdesk: a ticket queue that asks tact what to do on every ticket update.
//
//   helpdesk --policy=POLICY --db=DB [--authority=agent] TICKETS.jsonl
//       decides every ticket update not yet processed, recording its
//       effects, then prints the queue with the recommended actions and what
//       each ticket has recorded (its history tally).
//   helpdesk --db=DB --events
//       prints every recorded history event (for audits and tests).
//
// A ticket is one case, decided again on each of its updates (a customer
// reply, an agent's edit), each time with the customer's whole history,
// including what earlier updates recorded. tact does not count or emit an
// effect the case already has, so a ticket's strike, each rung and each
// grant are recorded once however many updates it gets; an update at the
// same `now` as the last one gets the same decision and records nothing.
//
// Each update is one transaction: read the customer's history, decide,
// record the decision's effects as history events and mark the update
// processed, then commit. Feeding the same file again records nothing twice;
// a process killed at any point resumes where it stopped.
//
// Testing hooks (environment): HELPDESK_KILL_AFTER=N makes the process
// SIGKILL itself after committing its N-th update; HELPDESK_KILL_INSIDE=N
// after recording the N-th update's effects but before committing them.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "history_store.h"
#include "tact/tact.h"
#include "ticket.h"

namespace helpdesk {
namespace {

struct Flags {
  std::string policy;
  std::string db;
  std::string authority = "agent";
  bool events = false;
  std::string tickets;
};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (absl::StartsWith(arg, "--policy=")) {
      flags.policy = arg.substr(9);
    } else if (absl::StartsWith(arg, "--db=")) {
      flags.db = arg.substr(5);
    } else if (absl::StartsWith(arg, "--authority=")) {
      flags.authority = arg.substr(12);
    } else if (arg == "--events") {
      flags.events = true;
    } else if (!absl::StartsWith(arg, "--") && flags.tickets.empty()) {
      flags.tickets = arg;
    } else {
      return false;
    }
  }
  if (flags.db.empty()) return false;
  return flags.events || (!flags.policy.empty() && !flags.tickets.empty());
}

int EnvInt(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? 0 : std::atoi(value);
}

// "1. apologize; 2. goodwill_credit amount=1500; needs supervisor: ...;
// record goodwill(goodwill 1500)", or "...; nothing to record".
std::string Summarize(const tact::v1::Decision& decision) {
  std::vector<std::string> parts;
  for (const tact::v1::RecommendedAction& action : decision.actions()) {
    std::string part = absl::StrCat(action.rank(), ". ", action.action());
    for (const tact::v1::Param& param : action.params()) {
      if (param.value().has_int_value()) {
        absl::StrAppend(&part, " ", param.name(), "=",
                        param.value().int_value());
      }
    }
    parts.push_back(std::move(part));
  }
  for (const tact::v1::RecommendedAction& action : decision.needs_approval()) {
    parts.push_back(absl::StrCat("needs ", action.required_authority(), ": ",
                                 action.action()));
  }
  for (const tact::v1::Effect& effect : decision.effects()) {
    parts.push_back(absl::StrCat(
        "record ", effect.kind(), "(", effect.ref(),
        effect.amount() != 0 ? absl::StrCat(" ", effect.amount()) : "",
        effect.step() != 0 ? absl::StrCat(" #", effect.step()) : "", ")"));
  }
  if (decision.effects().empty()) parts.push_back("nothing to record");
  return absl::StrJoin(parts, "; ");
}

// Decides and records one ticket update in one transaction. `seen` counts
// the updates this run has recorded (for the kill hooks).
absl::Status ProcessTicket(const tact::Engine& engine,
                           const tact::DecideOptions& options,
                           HistoryStore& store, Ticket ticket, int& seen) {
  if (absl::Status begun = store.Begin(); !begun.ok()) return begun;
  auto rollback_on_error = [&](absl::Status status) {
    if (!status.ok()) store.Rollback().IgnoreError();
    return status;
  };
  const std::string key = ticket.Key();
  absl::StatusOr<bool> processed = store.IsProcessed(key);
  if (!processed.ok()) return rollback_on_error(processed.status());
  if (*processed) {
    std::cout << key << ": already processed\n";
    return store.Rollback();
  }
  absl::StatusOr<std::vector<tact::v1::Event>> history =
      store.History(ticket.context.customer().id());
  if (!history.ok()) return rollback_on_error(history.status());
  for (tact::v1::Event& event : *history) {
    *ticket.context.add_history() = std::move(event);
  }

  absl::StatusOr<tact::v1::Decision> decision =
      engine.Decide(ticket.context, options);
  absl::Status recorded;
  if (decision.ok()) {
    recorded = store.RecordEffects(key, ticket.context, *decision);
    if (recorded.ok()) {
      const std::string summary = Summarize(*decision);
      std::cout << key << ": " << summary << "\n";
      if (++seen == EnvInt("HELPDESK_KILL_INSIDE")) std::raise(SIGKILL);
      recorded = store.MarkProcessed(key, ticket.context, "decided", summary,
                                     tact::DecisionToJson(*decision, false));
    }
  } else {
    // A context tact cannot decide on: recorded as rejected, so a replay
    // does not retry it forever; fix the ticket and send it with a new id.
    std::cout << key << ": rejected: " << decision.status().message() << "\n";
    ++seen;
    recorded = store.MarkProcessed(
        key, ticket.context,
        absl::StrCat("rejected: ", decision.status().message()), "", "");
  }
  if (!recorded.ok()) return rollback_on_error(recorded);
  if (absl::Status committed = store.Commit(); !committed.ok()) {
    return rollback_on_error(committed);
  }
  if (seen == EnvInt("HELPDESK_KILL_AFTER")) std::raise(SIGKILL);
  return absl::OkStatus();
}

int Run(const Flags& flags) {
  absl::StatusOr<std::unique_ptr<HistoryStore>> store =
      HistoryStore::Open(flags.db);
  if (!store.ok()) {
    std::cerr << "helpdesk: " << store.status().message() << "\n";
    return 1;
  }
  if (flags.events) {
    absl::StatusOr<std::string> events = (*store)->DumpEvents();
    if (!events.ok()) {
      std::cerr << "helpdesk: " << events.status().message() << "\n";
      return 1;
    }
    std::cout << *events;
    return 0;
  }

  absl::StatusOr<std::unique_ptr<const tact::Engine>> engine =
      tact::Engine::FromFile(flags.policy);
  if (!engine.ok()) {
    std::cerr << engine.status().message() << "\n";
    return 1;
  }
  tact::DecideOptions options;
  options.authority = flags.authority;

  std::ifstream in(flags.tickets);
  if (!in) {
    std::cerr << "helpdesk: cannot read " << flags.tickets << "\n";
    return 1;
  }
  std::string line;
  int line_number = 0;
  int seen = 0;
  int failures = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    absl::StatusOr<Ticket> ticket = ParseTicket(line);
    if (!ticket.ok()) {
      std::cerr << flags.tickets << ":" << line_number << ": "
                << ticket.status().message() << "\n";
      ++failures;
      continue;
    }
    absl::Status status =
        ProcessTicket(**engine, options, **store, *std::move(ticket), seen);
    if (!status.ok()) {
      std::cerr << "helpdesk: " << status.message() << "\n";
      return 1;  // the database is unusable: stop, nothing half-recorded
    }
  }

  absl::StatusOr<std::vector<QueueEntry>> queue = (*store)->Queue();
  if (!queue.ok()) {
    std::cerr << "helpdesk: " << queue.status().message() << "\n";
    return 1;
  }
  std::cout << "\nQueue (" << queue->size() << " ticket updates, policy "
            << (*engine)->policy().name() << "@"
            << (*engine)->policy().version() << ", as " << flags.authority
            << "):\n";
  for (const QueueEntry& entry : *queue) {
    std::cout << "  " << entry.ticket_update << "  " << entry.customer_id
              << "  " << entry.case_id << "  "
              << (entry.outcome == "decided" ? entry.recommended
                                             : entry.outcome)
              << "\n";
  }

  // Each case's recorded effects: one strike, each rung and grant once.
  absl::StatusOr<std::string> tally = (*store)->Tally();
  if (!tally.ok()) {
    std::cerr << "helpdesk: " << tally.status().message() << "\n";
    return 1;
  }
  std::cout << "\nRecorded per ticket (case):\n";
  for (absl::string_view row :
       absl::StrSplit(*tally, '\n', absl::SkipEmpty())) {
    std::cout << "  " << row << "\n";
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace helpdesk

int main(int argc, char** argv) {
  helpdesk::Flags flags;
  if (!helpdesk::ParseFlags(argc, argv, flags)) {
    std::cerr << "usage: helpdesk --policy=POLICY --db=DB [--authority=A] "
                 "TICKETS.jsonl\n       helpdesk --db=DB --events\n";
    return 2;
  }
  return helpdesk::Run(flags);
}
