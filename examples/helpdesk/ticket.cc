#include "ticket.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tact/engine.h"

namespace helpdesk {

std::string Ticket::Key() const { return absl::StrCat(id, "#", update); }

absl::StatusOr<Ticket> ParseTicket(absl::string_view line) {
  google::protobuf::Struct object;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &object);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a JSON object: ", parsed.message().as_string()));
  }
  Ticket ticket;
  auto id = object.fields().find("id");
  if (id == object.fields().end() || !id->second.has_string_value() ||
      id->second.string_value().empty()) {
    return absl::InvalidArgumentError("a ticket needs a non-empty \"id\"");
  }
  ticket.id = id->second.string_value();
  object.mutable_fields()->erase("id");
  auto update = object.fields().find("update");
  if (update != object.fields().end()) {
    const double number = update->second.number_value();
    if (!update->second.has_number_value() || number < 1 || number > 1e6 ||
        number != static_cast<int>(number)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "ticket %s: \"update\" must be a whole number from 1", ticket.id));
    }
    ticket.update = static_cast<int>(number);
    object.mutable_fields()->erase("update");
  }

  // The rest is a tact context: let tact parse it, so its errors name the
  // field exactly as for any other host.
  std::string context_json;
  if (!google::protobuf::util::MessageToJsonString(object, &context_json)
           .ok()) {
    return absl::InternalError("cannot re-serialize the ticket");
  }
  absl::StatusOr<tact::v1::Context> context =
      tact::ContextFromJson(context_json);
  if (!context.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("ticket ", ticket.id, ": ", context.status().message()));
  }
  if (context->history_size() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ticket ", ticket.id,
        ": carries a history; the helpdesk keeps the history itself"));
  }
  ticket.context = *std::move(context);
  return ticket;
}

}  // namespace helpdesk
