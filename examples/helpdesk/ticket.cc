#include "ticket.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tact/engine.h"

namespace helpdesk {

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
