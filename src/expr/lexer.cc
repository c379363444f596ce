#include "src/expr/lexer.h"

#include <cerrno>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tact::internal {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t len;
  uint32_t min;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Lexer {
 public:
  Lexer(absl::string_view source, std::vector<Token>* tokens,
        ExprDiagnostic* diagnostic)
      : src_(source), tokens_(tokens), diagnostic_(diagnostic) {}

  bool Run() {
    // Validate the encoding up front so later stages can assume UTF-8.
    {
      int line = 1, col = 1;
      for (size_t i = 0; i < src_.size();) {
        size_t len = Utf8SequenceLength(src_, i);
        if (len == 0) {
          return Fail({line, col}, "invalid UTF-8 in expression");
        }
        if (src_[i] == '\n') {
          ++line, col = 1;
        } else {
          col += static_cast<int>(len);
        }
        i += len;
      }
    }
    while (true) {
      SkipSpace();
      Token tok;
      tok.location = {line_, col_};
      tok.offset = pos_;
      if (pos_ >= src_.size()) {
        tok.kind = TokenKind::kEnd;
        tokens_->push_back(std::move(tok));
        return true;
      }
      if (!Next(&tok)) return false;
      tok.text = src_.substr(tok.offset, pos_ - tok.offset);
      tokens_->push_back(std::move(tok));
    }
  }

 private:
  bool Fail(ExprLocation loc, std::string message) {
    diagnostic_->location = loc;
    diagnostic_->message = std::move(message);
    return false;
  }

  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  bool AtEnd(size_t ahead = 0) const { return pos_ + ahead >= src_.size(); }

  void Advance(size_t n = 1) {
    for (size_t k = 0; k < n && pos_ < src_.size(); ++k) {
      if (src_[pos_] == '\n') {
        ++line_, col_ = 1;
      } else {
        ++col_;
      }
      ++pos_;
    }
  }

  void SkipSpace() {
    while (!AtEnd()) {
      char c = Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        Advance();
      } else if (c == '/' && Peek(1) == '/') {  // CEL line comment
        while (!AtEnd() && Peek() != '\n') Advance();
      } else {
        break;
      }
    }
  }

  bool Next(Token* tok) {
    char c = Peek();
    if (absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (!AtEnd() &&
             (absl::ascii_isalnum(static_cast<unsigned char>(Peek())) ||
              Peek() == '_')) {
        Advance();
      }
      absl::string_view word = src_.substr(tok->offset, pos_ - tok->offset);
      if (word == "true") {
        tok->kind = TokenKind::kTrue;
      } else if (word == "false") {
        tok->kind = TokenKind::kFalse;
      } else if (word == "in") {
        tok->kind = TokenKind::kIn;
      } else {
        tok->kind = TokenKind::kIdent;
      }
      return true;
    }
    if (absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' &&
         absl::ascii_isdigit(static_cast<unsigned char>(Peek(1))))) {
      return Number(tok);
    }
    if (c == '"' || c == '\'') return String(tok);
    struct Punct {
      const char* text;
      TokenKind kind;
    };
    static constexpr Punct kPuncts[] = {
        {"==", TokenKind::kEq},      {"!=", TokenKind::kNe},
        {"<=", TokenKind::kLe},      {">=", TokenKind::kGe},
        {"&&", TokenKind::kAnd},     {"||", TokenKind::kOr},
        {"(", TokenKind::kLParen},   {")", TokenKind::kRParen},
        {"[", TokenKind::kLBracket}, {"]", TokenKind::kRBracket},
        {".", TokenKind::kDot},      {",", TokenKind::kComma},
        {"?", TokenKind::kQuestion}, {":", TokenKind::kColon},
        {"!", TokenKind::kBang},     {"-", TokenKind::kMinus},
        {"+", TokenKind::kPlus},     {"*", TokenKind::kStar},
        {"/", TokenKind::kSlash},    {"%", TokenKind::kPercent},
        {"<", TokenKind::kLt},       {">", TokenKind::kGt},
    };
    for (const Punct& p : kPuncts) {
      absl::string_view text(p.text);
      if (src_.substr(pos_, text.size()) == text) {
        tok->kind = p.kind;
        Advance(text.size());
        return true;
      }
    }
    if (c == '\0') {
      return Fail(tok->location, "unexpected NUL byte in expression");
    }
    size_t len = Utf8SequenceLength(src_, pos_);
    return Fail(tok->location,
                absl::StrCat("unexpected character '",
                             src_.substr(pos_, len == 0 ? 1 : len), "'"));
  }

  bool Number(Token* tok) {
    bool is_double = false;
    if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      Advance(2);
      size_t start = pos_;
      while (absl::ascii_isxdigit(static_cast<unsigned char>(Peek())))
        Advance();
      if (pos_ == start) return Fail(tok->location, "malformed hex literal");
      std::string digits(src_.substr(start, pos_ - start));
      errno = 0;
      tok->int_value = std::strtoull(digits.c_str(), nullptr, 16);
      if (errno == ERANGE)
        return Fail(tok->location, "int literal out of range");
      tok->kind = TokenKind::kInt;
      return CheckNumberEnd(tok);
    }
    while (absl::ascii_isdigit(static_cast<unsigned char>(Peek()))) Advance();
    if (Peek() == '.' &&
        absl::ascii_isdigit(static_cast<unsigned char>(Peek(1)))) {
      is_double = true;
      Advance();
      while (absl::ascii_isdigit(static_cast<unsigned char>(Peek()))) Advance();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      size_t k = 1;
      if (Peek(k) == '+' || Peek(k) == '-') ++k;
      if (!absl::ascii_isdigit(static_cast<unsigned char>(Peek(k)))) {
        return Fail(tok->location, "malformed exponent in number literal");
      }
      is_double = true;
      Advance(k);
      while (absl::ascii_isdigit(static_cast<unsigned char>(Peek()))) Advance();
    }
    std::string text(src_.substr(tok->offset, pos_ - tok->offset));
    errno = 0;
    if (is_double) {
      tok->kind = TokenKind::kDouble;
      tok->double_value = std::strtod(text.c_str(), nullptr);
      if (errno == ERANGE &&
          (tok->double_value > 1 || tok->double_value < -1)) {
        return Fail(tok->location, "double literal out of range");
      }
    } else {
      tok->kind = TokenKind::kInt;
      tok->int_value = std::strtoull(text.c_str(), nullptr, 10);
      if (errno == ERANGE || tok->int_value > (uint64_t{1} << 63)) {
        return Fail(tok->location, "int literal out of range");
      }
    }
    return CheckNumberEnd(tok);
  }

  // `12abc` and `1u` are errors rather than two tokens.
  bool CheckNumberEnd(Token* tok) {
    char c = Peek();
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_') {
      return Fail(
          tok->location,
          absl::StrCat("malformed number literal '",
                       src_.substr(tok->offset, pos_ - tok->offset + 1), "'"));
    }
    return true;
  }

  bool String(Token* tok) {
    const char quote = Peek();
    Advance();
    tok->kind = TokenKind::kString;
    std::string& out = tok->string_value;
    while (true) {
      if (AtEnd() || Peek() == '\n' || Peek() == '\r') {
        return Fail(tok->location, "unterminated string");
      }
      char c = Peek();
      if (c == quote) {
        Advance();
        return true;
      }
      if (c != '\\') {
        out.push_back(c);
        Advance();
        continue;
      }
      ExprLocation esc_loc{line_, col_};
      Advance();
      if (AtEnd()) return Fail(tok->location, "unterminated string");
      char e = Peek();
      Advance();
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '\'':
          out.push_back('\'');
          break;
        case '"':
          out.push_back('"');
          break;
        case 'u': {
          uint32_t cp = 0;
          for (int k = 0; k < 4; ++k) {
            char h = Peek();
            if (!absl::ascii_isxdigit(static_cast<unsigned char>(h))) {
              return Fail(esc_loc, "\\u escape needs four hex digits");
            }
            cp = cp * 16 +
                 static_cast<uint32_t>(
                     absl::ascii_isdigit(static_cast<unsigned char>(h))
                         ? h - '0'
                         : absl::ascii_tolower(static_cast<unsigned char>(h)) -
                               'a' + 10);
            Advance();
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) {
            return Fail(esc_loc, "\\u escape names a surrogate code point");
          }
          if (cp == 0)
            return Fail(esc_loc, "\\u0000 is not allowed in strings");
          AppendUtf8(cp, &out);
          break;
        }
        default:
          return Fail(esc_loc, absl::StrCat("unknown escape sequence '\\",
                                            std::string(1, e), "'"));
      }
    }
  }

  absl::string_view src_;
  std::vector<Token>* tokens_;
  ExprDiagnostic* diagnostic_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

}  // namespace

bool Tokenize(absl::string_view source, std::vector<Token>* tokens,
              ExprDiagnostic* diagnostic) {
  tokens->clear();
  return Lexer(source, tokens, diagnostic).Run();
}

std::string DescribeToken(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of expression";
  return absl::StrCat("'", token.text, "'");
}

}  // namespace tact::internal
