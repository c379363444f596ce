#include "src/common/string_literal.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace tact::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads exactly `count` hex digits at `pos`; -1 when they are not there.
int64_t ReadHex(absl::string_view text, size_t pos, int count) {
  if (pos + count > text.size()) return -1;
  int64_t value = 0;
  for (int i = 0; i < count; ++i) {
    const int digit = HexDigitValue(text[pos + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

bool IsHighSurrogate(int64_t c) { return c >= 0xd800 && c <= 0xdbff; }
bool IsLowSurrogate(int64_t c) { return c >= 0xdc00 && c <= 0xdfff; }

void AppendUtf8(int64_t code_point, std::string& out) {
  const auto cp = static_cast<uint32_t>(code_point);
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Decodes a \u escape at `pos` (pointing at 'u'), joining a surrogate pair
// written as two escapes. Appends to `out`; returns the offset after the
// escape(s), or kNoOffset.
size_t DecodeUnicodeEscape(absl::string_view text, size_t pos,
                           std::string& out) {
  int64_t code_point = ReadHex(text, pos + 1, 4);
  if (code_point < 0) return kNoOffset;
  size_t end = pos + 5;
  if (IsHighSurrogate(code_point) && end + 1 < text.size() &&
      text[end] == '\\' && text[end + 1] == 'u') {
    const int64_t low = ReadHex(text, end + 2, 4);
    if (IsLowSurrogate(low)) {
      code_point = 0x10000 + ((code_point - 0xd800) << 10) + (low - 0xdc00);
      end += 6;
    }
  }
  AppendUtf8(code_point, out);
  return end;
}

// Decodes the escape sequence whose backslash is at `pos`, appending the
// bytes it stands for. Returns the offset after it, or kNoOffset.
size_t DecodeEscape(absl::string_view text, size_t pos, SourceSyntax syntax,
                    std::string& out) {
  if (pos + 1 >= text.size()) return kNoOffset;
  const char c = text[pos + 1];
  if (syntax == SourceSyntax::kJson) {
    switch (c) {
      case '"':
        out.push_back('"');
        return pos + 2;
      case '\\':
        out.push_back('\\');
        return pos + 2;
      case '/':
        out.push_back('/');
        return pos + 2;
      case 'b':
        out.push_back('\b');
        return pos + 2;
      case 'f':
        out.push_back('\f');
        return pos + 2;
      case 'n':
        out.push_back('\n');
        return pos + 2;
      case 'r':
        out.push_back('\r');
        return pos + 2;
      case 't':
        out.push_back('\t');
        return pos + 2;
      case 'u':
        return DecodeUnicodeEscape(text, pos + 1, out);
      default:
        return kNoOffset;
    }
  }
  // Text format: the escapes of protobuf's tokenizer (io/tokenizer.cc).
  if (c >= '0' && c <= '7') {
    int value = 0;
    size_t end = pos + 1;
    while (end < text.size() && end < pos + 4 && text[end] >= '0' &&
           text[end] <= '7') {
      value = value * 8 + (text[end] - '0');
      ++end;
    }
    out.push_back(static_cast<char>(value));
    return end;
  }
  if (c == 'x' || c == 'X') {
    int value = 0;
    size_t end = pos + 2;
    while (end < text.size() && end < pos + 4 &&
           HexDigitValue(text[end]) >= 0) {
      value = value * 16 + HexDigitValue(text[end]);
      ++end;
    }
    if (end == pos + 2) return kNoOffset;
    out.push_back(static_cast<char>(value));
    return end;
  }
  if (c == 'u') return DecodeUnicodeEscape(text, pos + 1, out);
  if (c == 'U') {
    const int64_t code_point = ReadHex(text, pos + 2, 8);
    if (code_point < 0 || code_point > 0x10ffff) return kNoOffset;
    AppendUtf8(code_point, out);
    return pos + 10;
  }
  switch (c) {
    case 'a':
      out.push_back('\a');
      return pos + 2;
    case 'b':
      out.push_back('\b');
      return pos + 2;
    case 'f':
      out.push_back('\f');
      return pos + 2;
    case 'n':
      out.push_back('\n');
      return pos + 2;
    case 'r':
      out.push_back('\r');
      return pos + 2;
    case 't':
      out.push_back('\t');
      return pos + 2;
    case 'v':
      out.push_back('\v');
      return pos + 2;
    case '\\':
      out.push_back('\\');
      return pos + 2;
    case '?':
      out.push_back('?');
      return pos + 2;
    case '\'':
      out.push_back('\'');
      return pos + 2;
    case '"':
      out.push_back('"');
      return pos + 2;
    default:
      return kNoOffset;
  }
}

}  // namespace

size_t SkipSpace(absl::string_view text, size_t offset, SourceSyntax syntax) {
  while (offset < text.size()) {
    if (IsSpace(text[offset])) {
      ++offset;
    } else if (syntax == SourceSyntax::kText && text[offset] == '#') {
      while (offset < text.size() && text[offset] != '\n') ++offset;
    } else {
      break;
    }
  }
  return offset;
}

size_t WalkStringValue(absl::string_view text, size_t quote,
                       SourceSyntax syntax,
                       absl::FunctionRef<void(char, size_t)> visit) {
  size_t closing = kNoOffset;
  std::string decoded;
  while (quote < text.size() &&
         (text[quote] == '"' ||
          (syntax == SourceSyntax::kText && text[quote] == '\''))) {
    const char delimiter = text[quote];
    size_t pos = quote + 1;
    while (true) {
      if (pos >= text.size() || text[pos] == '\n') return kNoOffset;
      const char c = text[pos];
      if (c == delimiter) break;
      if (c == '\\') {
        decoded.clear();
        const size_t end = DecodeEscape(text, pos, syntax, decoded);
        if (end == kNoOffset) return kNoOffset;
        for (char byte : decoded) visit(byte, pos);
        pos = end;
      } else {
        visit(c, pos);
        ++pos;
      }
    }
    closing = pos;
    if (syntax == SourceSyntax::kJson) break;
    quote = SkipSpace(text, pos + 1, syntax);
  }
  return closing;
}

std::optional<std::string> DecodeStringValue(absl::string_view text,
                                             size_t quote,
                                             SourceSyntax syntax) {
  std::string value;
  const size_t closing =
      WalkStringValue(text, quote, syntax,
                      [&value](char byte, size_t) { value.push_back(byte); });
  if (closing == kNoOffset) return std::nullopt;
  return value;
}

size_t FindInStringValue(absl::string_view text, size_t quote,
                         SourceSyntax syntax, int line, int column) {
  if (line < 1 || column < 1) return kNoOffset;
  int current_line = 1;
  int current_column = 1;
  size_t found = kNoOffset;
  const size_t closing =
      WalkStringValue(text, quote, syntax, [&](char byte, size_t offset) {
        if (found == kNoOffset && current_line == line &&
            current_column == column) {
          found = offset;
        }
        if (byte == '\n') {
          ++current_line;
          current_column = 1;
        } else {
          ++current_column;
        }
      });
  if (closing == kNoOffset) return kNoOffset;
  if (found != kNoOffset) return found;
  if (current_line == line && current_column == column) return closing;
  return kNoOffset;
}

}  // namespace tact::internal
