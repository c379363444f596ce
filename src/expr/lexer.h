// Splits one expression's source text into tokens.
#ifndef TACT_SRC_EXPR_LEXER_H_
#define TACT_SRC_EXPR_LEXER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/expr/program.h"

namespace tact::internal {

enum class TokenKind : uint8_t {
  kEnd,
  kIdent,
  kInt,  // `int_value` holds the magnitude; see Token::int_value
  kDouble,
  kString,  // `string_value` holds the unescaped text
  kTrue,
  kFalse,
  kIn,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kDot,
  kComma,
  kQuestion,
  kColon,
  kBang,
  kMinus,
  kPlus,
  kStar,
  kSlash,
  kPercent,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  // The token's bytes in the source.
  absl::string_view text;
  ExprLocation location;
  // Byte offset of the token in the source.
  size_t offset = 0;
  // kInt: the literal's magnitude. It may be 2^63, which only a leading
  // unary minus makes valid; the parser checks the range.
  uint64_t int_value = 0;
  double double_value = 0;
  std::string string_value;
};

// Tokenizes `source`. Returns false and sets `*diagnostic` on the first
// lexical error (invalid UTF-8, unterminated string, bad escape, unexpected
// character such as NUL, malformed number). The last token is always kEnd.
bool Tokenize(absl::string_view source, std::vector<Token>* tokens,
              ExprDiagnostic* diagnostic);

// "')'", "end of expression", ... for messages.
std::string DescribeToken(const Token& token);

}  // namespace tact::internal

#endif  // TACT_SRC_EXPR_LEXER_H_
