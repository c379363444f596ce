// tact::DecisionLogWriter and tact::Replay (tact/decision_log.h).
#include "tact/decision_log.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "src/common/json_string.h"
#include "src/engine/simulation_diff.h"
#include "src/expr/value.h"
#include "tact/engine.h"
#include "tact/v1/decision.pb.h"

namespace tact {

using ::tact::internal::AppendJsonString;
namespace {

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

// The status of a failed fopen of `path`, naming it.
absl::Status OpenError(absl::string_view what, absl::string_view path,
                       int error) {
  const std::string message = absl::StrCat("cannot open ", what, " \"", path,
                                           "\": ", std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    default:
      return absl::FailedPreconditionError(message);
  }
}

// The resolver the JSON printer needs for the generated messages.
google::protobuf::util::TypeResolver& Resolver() {
  static google::protobuf::util::TypeResolver* const resolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          kTypeUrlPrefix, google::protobuf::DescriptorPool::generated_pool());
  return *resolver;
}

// --- Where two decisions first differ ---------------------------------

// The most bytes of one logged value (a case id, a decision id, a field of
// a differing decision) a report keeps: a hostile log of huge strings
// costs the report little.
constexpr size_t kMaxShown = 256;

// A field's value as its JSON would show it (strings quoted).
std::string ScalarText(const google::protobuf::Message& m,
                       const google::protobuf::FieldDescriptor* field,
                       int index) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection& r = *m.GetReflection();
  const bool rep = field->is_repeated();
  std::string out;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r.GetRepeatedInt32(m, field, index)
                              : r.GetInt32(m, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(
          "\"",
          rep ? r.GetRepeatedInt64(m, field, index) : r.GetInt64(m, field),
          "\"");
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r.GetRepeatedUInt32(m, field, index)
                              : r.GetUInt32(m, field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(
          "\"",
          rep ? r.GetRepeatedUInt64(m, field, index) : r.GetUInt64(m, field),
          "\"");
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r.GetRepeatedDouble(m, field, index)
                              : r.GetDouble(m, field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r.GetRepeatedFloat(m, field, index)
                              : r.GetFloat(m, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r.GetRepeatedBool(m, field, index) : r.GetBool(m, field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      AppendJsonString(
          (rep ? r.GetRepeatedEnum(m, field, index) : r.GetEnum(m, field))
              ->name(),
          &out);
      return out;
    case FieldDescriptor::CPPTYPE_STRING:
      AppendJsonString(
          rep ? r.GetRepeatedString(m, field, index) : r.GetString(m, field),
          &out);
      return out;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return out;
}

// Finds the first field, in schema order, where `a` and `b` differ; writes
// "<json path>: logged X, replayed Y" to `*out`. Returns false when none
// does.
bool FirstDifference(const google::protobuf::Message& a,
                     const google::protobuf::Message& b,
                     const std::string& path, std::string* out) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Descriptor& d = *a.GetDescriptor();
  const google::protobuf::Reflection& ra = *a.GetReflection();
  const google::protobuf::Reflection& rb = *b.GetReflection();
  for (int i = 0; i < d.field_count(); ++i) {
    const FieldDescriptor* field = d.field(i);
    const std::string here = path.empty()
                                 ? field->json_name()
                                 : absl::StrCat(path, ".", field->json_name());
    const bool message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated()) {
      const int na = ra.FieldSize(a, field);
      const int nb = rb.FieldSize(b, field);
      for (int k = 0; k < na && k < nb; ++k) {
        const std::string element = absl::StrCat(here, "[", k, "]");
        if (message) {
          if (FirstDifference(ra.GetRepeatedMessage(a, field, k),
                              rb.GetRepeatedMessage(b, field, k), element,
                              out)) {
            return true;
          }
        } else if (ScalarText(a, field, k) != ScalarText(b, field, k)) {
          *out = absl::StrCat(
              element, ": logged ",
              internal::AbbreviateText(ScalarText(a, field, k), kMaxShown),
              ", replayed ",
              internal::AbbreviateText(ScalarText(b, field, k), kMaxShown));
          return true;
        }
      }
      if (na != nb) {
        *out = absl::StrCat(here, ": logged ", na, " entries, replayed ", nb);
        return true;
      }
      continue;
    }
    if (message) {
      const bool ha = ra.HasField(a, field);
      const bool hb = rb.HasField(b, field);
      if (ha != hb) {
        *out = absl::StrCat(here, ": ", ha ? "logged" : "replayed", " only");
        return true;
      }
      if (ha && FirstDifference(ra.GetMessage(a, field),
                                rb.GetMessage(b, field), here, out)) {
        return true;
      }
      continue;
    }
    const std::string va = ScalarText(a, field, -1);
    const std::string vb = ScalarText(b, field, -1);
    if (va != vb) {
      *out = absl::StrCat(
          here, ": logged ", internal::AbbreviateText(va, kMaxShown),
          ", replayed ", internal::AbbreviateText(vb, kMaxShown));
      return true;
    }
  }
  return false;
}

// --- Reading the log one line at a time ---------------------------------

// Reads lines of at most `max_bytes` from a file; a longer line is skipped
// (never held whole) and reported as too long.
class LineReader {
 public:
  LineReader(std::FILE* file, int64_t max_bytes)
      : file_(file), max_bytes_(max_bytes) {}

  // Reads the next line into `*line` (without its newline). Returns false
  // at the end of the file. Sets `*too_long` when the line was longer than
  // the limit (then `*line` is empty).
  bool Next(std::string* line, bool* too_long) {
    line->clear();
    *too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == size_) {
        size_ = std::fread(buffer_, 1, sizeof(buffer_), file_);
        pos_ = 0;
        if (size_ == 0) return any;
      }
      any = true;
      const char* start = buffer_ + pos_;
      const void* newline = std::memchr(start, '\n', size_ - pos_);
      const size_t n = newline == nullptr
                           ? size_ - pos_
                           : static_cast<const char*>(newline) - start;
      if (!*too_long) {
        if (static_cast<int64_t>(line->size() + n) > max_bytes_) {
          *too_long = true;
          line->clear();
          line->shrink_to_fit();
        } else {
          line->append(start, n);
        }
      }
      pos_ += n;
      if (newline != nullptr) {
        ++pos_;
        return true;
      }
    }
  }

  bool failed() const { return std::ferror(file_) != 0; }

 private:
  std::FILE* const file_;
  const int64_t max_bytes_;
  char buffer_[1 << 16];
  size_t pos_ = 0;
  size_t size_ = 0;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Parses one line into `*record`; on failure returns why.
absl::Status ParseRecord(absl::string_view line,
                         v1::DecisionLogRecord* record) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), record, options);
  if (!status.ok()) {
    const std::string message(status.message());
    if (absl::StrContains(message, "Cannot find field")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown field: ", message));
    }
    return absl::InvalidArgumentError(absl::StrCat("bad JSON: ", message));
  }
  if (!record->has_context()) {
    return absl::InvalidArgumentError("missing context");
  }
  if (!record->has_decision()) {
    return absl::InvalidArgumentError("missing decision");
  }
  return absl::OkStatus();
}

}  // namespace

std::string DecisionLogLine(const v1::Context& context,
                            const v1::Decision& decision) {
  // The record's wire format, deterministic (the context's attribute map
  // ordered by key), printed as JSON: the printer keeps the wire order of
  // map entries, so the line is deterministic too.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    // Field 1 (context) and 2 (decision), length-delimited, as
    // DecisionLogRecord would serialize them, without copying either.
    coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::DecisionLogRecord::kContextFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint64(context.ByteSizeLong());
    context.SerializeWithCachedSizes(&coded);
    coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::DecisionLogRecord::kDecisionFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint64(decision.ByteSizeLong());
    decision.SerializeWithCachedSizes(&coded);
  }
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.always_print_primitive_fields = false;
  options.preserve_proto_field_names = false;
  std::string json;
  // Fails only on messages a host filled by hand with what JSON cannot
  // carry (a string field that is not UTF-8): then the line is empty.
  if (!google::protobuf::util::BinaryToJsonString(
           &Resolver(),
           absl::StrCat(kTypeUrlPrefix, "/",
                        v1::DecisionLogRecord::descriptor()->full_name()),
           bytes, &json, options)
           .ok()) {
    json.clear();
  }
  return json;
}

DecisionLogWriter::DecisionLogWriter(std::string path, std::FILE* file)
    : path_(std::move(path)), file_(file) {}

DecisionLogWriter::~DecisionLogWriter() { std::fclose(file_); }

absl::StatusOr<std::unique_ptr<DecisionLogWriter>> DecisionLogWriter::Open(
    absl::string_view path) {
  const std::string name(path);
  std::FILE* file = std::fopen(name.c_str(), "ab");
  if (file == nullptr) return OpenError("decision log", path, errno);
  return std::unique_ptr<DecisionLogWriter>(new DecisionLogWriter(name, file));
}

absl::Status DecisionLogWriter::Append(const v1::Context& context,
                                       const v1::Decision& decision) {
  std::string line = DecisionLogLine(context, decision);
  if (line.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot log a record to \"", path_,
        "\": the context or the decision has a string that is not UTF-8, "
        "which JSON cannot carry"));
  }
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
    return absl::DataLossError(absl::StrCat("cannot write to decision log \"",
                                            path_,
                                            "\": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status DecisionLogWriter::Flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::fflush(file_) != 0) {
    return absl::DataLossError(absl::StrCat("cannot write to decision log \"",
                                            path_,
                                            "\": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<ReplayReport> Replay(const Engine& engine,
                                    absl::string_view log_path,
                                    const ReplayOptions& options) {
  const std::string name(log_path);
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(name.c_str(), "rb"));
  if (file == nullptr) return OpenError("decision log", log_path, errno);

  ReplayReport report;
  report.log_path = name;
  report.policy_hash = engine.policy_hash();
  const internal::AmountParams amounts =
      internal::AmountParamsOf(engine.policy());
  const std::string& currency = engine.policy().currency();

  auto reader =
      std::make_unique<LineReader>(file.get(), options.max_line_bytes);
  std::string line;
  bool too_long = false;
  int64_t line_number = 0;
  v1::DecisionLogRecord record;
  v1::Decision replayed;
  while (reader->Next(&line, &too_long)) {
    ++line_number;
    auto malformed = [&](absl::string_view why) {
      ++report.malformed_count;
      if (static_cast<int64_t>(report.malformed.size()) < options.max_listed) {
        report.malformed.push_back(
            {line_number, absl::StrCat(name, ":", line_number, ": ", why)});
      }
    };
    if (too_long) {
      malformed(absl::StrCat("line longer than ", options.max_line_bytes,
                             " bytes (ReplayOptions::max_line_bytes)"));
      continue;
    }
    record.Clear();
    if (absl::Status parsed = ParseRecord(line, &record); !parsed.ok()) {
      malformed(parsed.message());
      continue;
    }
    if (report.records == options.max_records) {
      return absl::ResourceExhaustedError(absl::StrCat(
          name, ":", line_number, ": more than ", options.max_records,
          " records (ReplayOptions::max_records)"));
    }
    ++report.records;

    const v1::Decision& logged = record.decision();
    DecideOptions decide = options.decide;
    decide.trace = false;
    decide.trace_level = logged.trace_level();
    decide.authority = logged.authority();
    decide.record = !logged.decision_id().empty();
    const bool same_policy = logged.policy_hash() == engine.policy_hash();
    if (!same_policy) ++report.other_policy;

    ReplayDifference difference;
    difference.line = line_number;
    difference.case_id =
        internal::AbbreviateText(record.context().case_().id(), kMaxShown);
    difference.decision_id =
        internal::AbbreviateText(logged.decision_id(), kMaxShown);
    difference.same_policy = same_policy;
    const absl::Status decided =
        engine.DecideInto(record.context(), decide, &replayed);
    if (!decided.ok()) {
      difference.error = internal::AbbreviateText(decided.message(), 1024);
    } else if (same_policy) {
      if (DecisionToJson(logged, false) == DecisionToJson(replayed, false)) {
        ++report.identical;
        continue;
      }
      if (!FirstDifference(logged, replayed, "",
                           &difference.first_difference)) {
        difference.first_difference = "the decisions' JSON differs";
      }
    } else {
      internal::DecisionDiff diff =
          internal::DiffDecisions(logged, amounts, replayed, amounts, currency);
      if (diff.changes.empty()) {
        ++report.unchanged;
        continue;
      }
      difference.kinds = internal::KindsOf(diff.changes);
      difference.changes = std::move(diff.changes);
    }
    ++report.differing;
    if (static_cast<int64_t>(report.differences.size()) < options.max_listed) {
      report.differences.push_back(std::move(difference));
    }
  }
  if (reader->failed()) {
    return absl::DataLossError(absl::StrCat("cannot read decision log \"", name,
                                            "\" after line ", line_number));
  }
  return report;
}

std::string ReplayReportToJson(const ReplayReport& report, bool pretty) {
  const std::string nl = pretty ? "\n" : "";
  auto indent = [&](int level) {
    return pretty ? std::string(2 * level, ' ') : std::string();
  };
  const std::string colon = pretty ? ": " : ":";
  std::string out = "{" + nl;
  auto key = [&](int level, absl::string_view k) {
    out += indent(level);
    AppendJsonString(k, &out);
    out += colon;
  };
  auto comma = [&]() { out += "," + nl; };
  key(1, "log");
  AppendJsonString(report.log_path, &out);
  comma();
  key(1, "policyHash");
  AppendJsonString(report.policy_hash, &out);
  comma();
  for (const auto& [k, v] :
       {std::pair<const char*, int64_t>{"records", report.records},
        {"identical", report.identical},
        {"otherPolicy", report.other_policy},
        {"unchanged", report.unchanged},
        {"differing", report.differing}}) {
    key(1, k);
    absl::StrAppend(&out, v);
    comma();
  }
  key(1, "differences");
  out += "[";
  for (size_t i = 0; i < report.differences.size(); ++i) {
    const ReplayDifference& d = report.differences[i];
    out += (i == 0 ? "" : ",") + nl + indent(2) + "{" + nl;
    key(3, "line");
    absl::StrAppend(&out, d.line);
    comma();
    key(3, "caseId");
    AppendJsonString(d.case_id, &out);
    comma();
    key(3, "decisionId");
    AppendJsonString(d.decision_id, &out);
    comma();
    key(3, "samePolicy");
    out += d.same_policy ? "true" : "false";
    if (!d.error.empty()) {
      comma();
      key(3, "error");
      AppendJsonString(d.error, &out);
    } else if (d.same_policy) {
      comma();
      key(3, "firstDifference");
      AppendJsonString(d.first_difference, &out);
    } else {
      comma();
      key(3, "kinds");
      out += "[";
      for (size_t k = 0; k < d.kinds.size(); ++k) {
        if (k > 0) out += pretty ? ", " : ",";
        AppendJsonString(ChangeKindName(d.kinds[k]), &out);
      }
      out += "]";
      comma();
      key(3, "changes");
      out += "[";
      for (size_t k = 0; k < d.changes.size(); ++k) {
        out += (k == 0 ? "" : ",") + nl + indent(4) + "{";
        out += "\"kind\"" + colon;
        AppendJsonString(ChangeKindName(d.changes[k].kind), &out);
        out += pretty ? ", \"text\": " : ",\"text\":";
        AppendJsonString(d.changes[k].text, &out);
        absl::StrAppend(&out, pretty ? ", \"money\": " : ",\"money\":",
                        d.changes[k].money, "}");
      }
      out += d.changes.empty() ? "]" : nl + indent(3) + "]";
    }
    out += nl + indent(2) + "}";
  }
  out += report.differences.empty() ? "]" : nl + indent(1) + "]";
  comma();
  key(1, "malformedCount");
  absl::StrAppend(&out, report.malformed_count);
  comma();
  key(1, "malformed");
  out += "[";
  for (size_t i = 0; i < report.malformed.size(); ++i) {
    out += (i == 0 ? "" : ",") + nl + indent(2) + "{";
    out += "\"line\"" + colon;
    absl::StrAppend(&out, report.malformed[i].line);
    out += pretty ? ", \"message\": " : ",\"message\":";
    AppendJsonString(report.malformed[i].message, &out);
    out += "}";
  }
  out += report.malformed.empty() ? "]" : nl + indent(1) + "]";
  comma();
  key(1, "ok");
  out += report.ok() ? "true" : "false";
  out += nl + "}";
  return out;
}

}  // namespace tact
