// Ticket updates as the helpdesk receives them: one JSON object per line, a
// tact.v1.Context in the proto3 JSON mapping plus the ticket's "id" and the
// update's number ("update", from 1; default 1). A ticket is one case: every
// update (a customer reply, an agent's edit) is decided again.
//
//   {"id": "T-1001", "update": 2, "now": "2026-03-10T11:00:00Z",
//    "customer": {"id": "cus_ann", ...}, "case": {"id": "T-1001", ...}}
//
// The history is not in the ticket: the helpdesk keeps it (HistoryStore).
#ifndef HELPDESK_TICKET_H_
#define HELPDESK_TICKET_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tact/v1/context.pb.h"

namespace helpdesk {

struct Ticket {
  std::string id;
  int update = 1;
  tact::v1::Context context;

  // "T-1001#2": one update of one ticket, processed once.
  std::string Key() const;
};

// Parses one line. Returns InvalidArgument for malformed JSON, a missing or
// empty "id", an "update" that is not a whole number from 1, a context tact
// rejects, or a context carrying a history.
absl::StatusOr<Ticket> ParseTicket(absl::string_view line);

}  // namespace helpdesk

#endif  // HELPDESK_TICKET_H_
