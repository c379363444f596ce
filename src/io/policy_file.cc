// ReadPolicyFile: a policy from disk, its format chosen by extension.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/io/policy_source.h"
#include "tact/diagnostic.h"
#include "tact/engine.h"

namespace tact::internal {
namespace {

PolicyFormat FormatFromExtension(absl::string_view path) {
  const std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".json")) return PolicyFormat::kJson;
  for (absl::string_view extension : {".binpb", ".pb", ".bin"}) {
    if (absl::EndsWith(lower, extension)) return PolicyFormat::kBinary;
  }
  // .textproto, .txtpb, .pbtxt, .txt and anything else: text format, whose
  // errors are the most readable if the guess is wrong.
  return PolicyFormat::kText;
}

absl::Status FileError(absl::StatusCode code, absl::string_view path,
                       const std::string& message,
                       std::vector<Diagnostic>& diagnostics) {
  Diagnostic diagnostic;
  diagnostic.file = std::string(path);
  diagnostic.message = message;
  diagnostics.push_back(diagnostic);
  return absl::Status(code, diagnostic.ToString());
}

}  // namespace

absl::StatusOr<std::string> ReadFileUpTo(absl::string_view path,
                                         int64_t max_bytes,
                                         absl::string_view what) {
  const std::string file(path);
  // Check the size before reading, so a huge file costs nothing.
  std::error_code error;
  const std::filesystem::file_status status =
      std::filesystem::status(file, error);
  if (error || !std::filesystem::exists(status)) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read ", what, ": ", error ? error.message() : "no such file"));
  }
  if (std::filesystem::is_directory(status)) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", what, ": it is a directory"));
  }
  const std::uintmax_t size = std::filesystem::file_size(file, error);
  if (!error && size > static_cast<std::uintmax_t>(max_bytes)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, " is ", size, " bytes, more than the limit of ", max_bytes));
  }

  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", what, ": ", std::strerror(errno)));
  }
  // Reads at most max_bytes + 1 bytes, in case the file grew (or is a pipe
  // whose size the file system does not know).
  std::string content;
  char buffer[1 << 16];
  while (stream) {
    stream.read(buffer, sizeof(buffer));
    content.append(buffer, static_cast<size_t>(stream.gcount()));
    if (static_cast<int64_t>(content.size()) > max_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          what, " is more than the limit of ", max_bytes, " bytes"));
    }
  }
  if (stream.bad()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", what, ": read error"));
  }
  return content;
}

absl::StatusOr<LoadedPolicy> ReadPolicyFile(
    absl::string_view path, PolicyFormat format, int64_t max_bytes,
    std::vector<Diagnostic>* diagnostics, const CompileOptions& options) {
  std::vector<Diagnostic> ignored;
  std::vector<Diagnostic>& out =
      diagnostics != nullptr ? *diagnostics : ignored;
  absl::StatusOr<std::string> content =
      ReadFileUpTo(path, max_bytes, "policy file");
  if (!content.ok()) {
    return FileError(content.status().code(), path,
                     std::string(content.status().message()), out);
  }
  if (format == PolicyFormat::kAuto) format = FormatFromExtension(path);
  return ParsePolicy(*content, format, path, diagnostics, options);
}

}  // namespace tact::internal
