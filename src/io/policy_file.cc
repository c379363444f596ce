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

absl::StatusOr<LoadedPolicy> ReadPolicyFile(
    absl::string_view path, PolicyFormat format, int64_t max_bytes,
    std::vector<Diagnostic>* diagnostics) {
  std::vector<Diagnostic> ignored;
  std::vector<Diagnostic>& out =
      diagnostics != nullptr ? *diagnostics : ignored;
  const std::string file(path);

  // Check the size before reading, so a huge file costs nothing.
  std::error_code error;
  const std::filesystem::file_status status =
      std::filesystem::status(file, error);
  if (error || !std::filesystem::exists(status)) {
    return FileError(absl::StatusCode::kNotFound, path,
                     absl::StrCat("cannot read policy file: ",
                                  error ? error.message() : "no such file"),
                     out);
  }
  if (std::filesystem::is_directory(status)) {
    return FileError(absl::StatusCode::kNotFound, path,
                     "cannot read policy file: it is a directory", out);
  }
  const std::uintmax_t size = std::filesystem::file_size(file, error);
  if (!error && size > static_cast<std::uintmax_t>(max_bytes)) {
    return FileError(absl::StatusCode::kResourceExhausted, path,
                     absl::StrCat("policy file is ", size,
                                  " bytes, more than the limit of ", max_bytes),
                     out);
  }

  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    return FileError(
        absl::StatusCode::kNotFound, path,
        absl::StrCat("cannot read policy file: ", std::strerror(errno)), out);
  }
  // Reads at most max_bytes + 1 bytes, in case the file grew (or is a pipe
  // whose size the file system does not know).
  std::string content;
  char buffer[1 << 16];
  while (stream) {
    stream.read(buffer, sizeof(buffer));
    content.append(buffer, static_cast<size_t>(stream.gcount()));
    if (static_cast<int64_t>(content.size()) > max_bytes) {
      return FileError(absl::StatusCode::kResourceExhausted, path,
                       absl::StrCat("policy file is more than the limit of ",
                                    max_bytes, " bytes"),
                       out);
    }
  }
  if (stream.bad()) {
    return FileError(absl::StatusCode::kNotFound, path,
                     "cannot read policy file: read error", out);
  }
  if (format == PolicyFormat::kAuto) format = FormatFromExtension(path);
  return ParsePolicy(content, format, path, diagnostics);
}

}  // namespace tact::internal
