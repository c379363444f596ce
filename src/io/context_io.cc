// tact::ContextFromJson and tact::ContextFromBinary: contexts from hosts.
#include <climits>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/json_util.h"
#include "src/io/context_json_reader.h"
#include "src/io/json_depth.h"
#include "src/io/json_source_map.h"
#include "src/io/policy_source.h"
#include "tact/engine.h"
#include "tact/v1/context.pb.h"

namespace tact {
namespace {

// A context nests at most a few levels (context > case > opened_at); this
// leaves room for any real document and stops hostile ones before
// protobuf's parser sees them.
constexpr int kMaxContextNesting = 32;

}  // namespace

absl::Status ContextFromJsonInto(absl::string_view json, v1::Context* context) {
  // The schema-driven reader takes the common forms in a microsecond or
  // less; whatever it is not certain about (every error included) goes to
  // protobuf's parser, so messages and accepted inputs are protobuf's.
  if (internal::ReadContextJson(json, context)) return absl::OkStatus();
  return internal::ReadContextJsonWithProtobuf(json, context);
}

absl::StatusOr<v1::Context> ContextFromJson(absl::string_view json) {
  v1::Context context;
  absl::Status status = ContextFromJsonInto(json, &context);
  if (!status.ok()) return status;
  return context;
}

namespace internal {

absl::Status ReadContextJsonWithProtobuf(absl::string_view json,
                                         v1::Context* context) {
  context->Clear();
  // The fast reader never nests deeper than the schema, so the depth guard
  // need only stand before protobuf.
  if (internal::JsonNestingDepth(json) > kMaxContextNesting) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid context JSON: nested more than ",
                     kMaxContextNesting, " levels deep"));
  }
  // What protobuf's parser would accept but tact does not: a repeated key
  // (one of the two silently lost), single-quoted or unquoted strings.
  {
    std::string problem;
    int line = 0, column = 0;
    if (internal::FindJsonStrictnessError(json, &problem, &line, &column)) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid context JSON: ", problem, " (at line ", line,
                       ", column ", column, ")"));
    }
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), context,
      options);
  if (status.ok()) return absl::OkStatus();
  context->Clear();

  // protobuf's message says what is wrong; the scan says where.
  const internal::JsonError error = internal::LocateJsonError(
      internal::ScanJson(json, *v1::Context::descriptor()),
      std::string(status.message()));
  std::string message = absl::StrCat("invalid context JSON: ", error.message);
  if (error.location.line > 0) {
    absl::StrAppend(&message, " (at line ", error.location.line, ", column ",
                    error.location.column, ")");
  }
  return absl::InvalidArgumentError(message);
}

}  // namespace internal

absl::StatusOr<v1::Context> ContextFromBinary(absl::string_view bytes) {
  v1::Context context;
  if (bytes.size() > static_cast<size_t>(INT_MAX) ||
      !context.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("not a valid binary context");
  }
  // Fields of a newer schema are dropped, as the JSON a decision log keeps
  // would drop them: the context digest and decision id of a binary context
  // are those of its JSON, and a logged decision replays identically.
  context.DiscardUnknownFields();
  return context;
}

absl::StatusOr<v1::Context> ContextFromFile(absl::string_view path,
                                            int64_t max_bytes) {
  absl::StatusOr<std::string> bytes =
      internal::ReadFileUpTo(path, max_bytes, "context file");
  if (!bytes.ok()) return bytes.status();
  if (absl::EndsWith(path, ".binpb") || absl::EndsWith(path, ".pb")) {
    return ContextFromBinary(*bytes);
  }
  return ContextFromJson(*bytes);
}

}  // namespace tact
