// Tickets as the helpdesk receives them: one JSON object per line, a
// tact.v1.Context in the proto3 JSON mapping plus the ticket's "id".
//
//   {"id": "T-1001", "now": "2026-03-10T09:00:00Z",
//    "customer": {"id": "cus_ann", ...}, "case": {"id": "case_ann_1", ...}}
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
  tact::v1::Context context;
};

// Parses one line. Returns InvalidArgument for malformed JSON, a missing or
// empty "id", a context tact rejects, or a context carrying a history.
absl::StatusOr<Ticket> ParseTicket(absl::string_view line);

}  // namespace helpdesk

#endif  // HELPDESK_TICKET_H_
