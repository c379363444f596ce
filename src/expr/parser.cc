#include "src/expr/parser.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/expr/lexer.h"

namespace tact::internal {
namespace {

class Parser {
 public:
  Parser(absl::string_view source, const ProgramLimits& limits,
         std::vector<Token> tokens, ExprDiagnostic* diagnostic)
      : source_(source),
        limits_(limits),
        tokens_(std::move(tokens)),
        diagnostic_(diagnostic) {}

  std::unique_ptr<Expr> Run() {
    std::unique_ptr<Expr> e = ParseExpr();
    if (e == nullptr) return nullptr;
    if (Cur().kind != TokenKind::kEnd) {
      return Fail(Cur(), absl::StrCat("unexpected trailing input ",
                                      DescribeToken(Cur())));
    }
    return e;
  }

 private:
  const Token& Cur() const { return tokens_[pos_]; }
  const Token& Prev() const { return tokens_[pos_ - 1]; }
  bool At(TokenKind k) const { return Cur().kind == k; }
  void Take() {
    if (Cur().kind != TokenKind::kEnd) ++pos_;
  }

  std::unique_ptr<Expr> Fail(const Token& at, std::string message) {
    if (!failed_) {
      failed_ = true;
      diagnostic_->location = at.location;
      diagnostic_->message = std::move(message);
    }
    return nullptr;
  }
  std::unique_ptr<Expr> Unexpected() {
    return Fail(Cur(), absl::StrCat("unexpected ", DescribeToken(Cur())));
  }
  bool Expect(TokenKind k, absl::string_view what) {
    if (At(k)) {
      Take();
      return true;
    }
    Fail(Cur(),
         absl::StrCat("expected ", what, ", got ", DescribeToken(Cur())));
    return false;
  }

  std::unique_ptr<Expr> NewNode(ExprKind kind, const Token& first) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->location = first.location;
    e->begin = first.offset;
    e->end = first.offset + first.text.size();
    return e;
  }

  // Closes a node: its extent ends at the previous token, and its depth is
  // one more than its deepest child. Fails beyond the nesting limit.
  std::unique_ptr<Expr> Finish(std::unique_ptr<Expr> e) {
    if (pos_ > 0) {
      e->end = std::max(e->end, Prev().offset + Prev().text.size());
    }
    int depth = 0;
    for (const auto& c : e->children) {
      depth = std::max(depth, c->depth);
      e->begin = std::min(e->begin, c->begin);
    }
    e->depth = depth + 1;
    if (e->depth > limits_.max_nesting_depth) return DepthError(e->location);
    return e;
  }

  std::unique_ptr<Expr> DepthError(ExprLocation loc) {
    Token t;
    t.location = loc;
    return Fail(t, absl::StrCat("expression nests deeper than ",
                                limits_.max_nesting_depth, " levels"));
  }

  // Guards the parser's own recursion so "((((..." fails before the stack
  // does, independently of the tree-depth check.
  class RecursionGuard {
   public:
    explicit RecursionGuard(Parser* p) : p_(p) { ++p_->recursion_; }
    ~RecursionGuard() { --p_->recursion_; }
    // Each tree level costs at most two parser frames (expression and
    // unary), so this never fires before the tree-depth check would.
    bool TooDeep() const {
      return p_->recursion_ > 2 * p_->limits_.max_nesting_depth + 4;
    }

   private:
    Parser* p_;
  };

  std::unique_ptr<Expr> ParseExpr() {
    RecursionGuard guard(this);
    if (guard.TooDeep()) return DepthError(Cur().location);
    const Token& first = Cur();
    std::unique_ptr<Expr> cond = ParseOr();
    if (cond == nullptr || !At(TokenKind::kQuestion)) return cond;
    auto e = NewNode(ExprKind::kTernary, first);
    const ExprLocation question = Cur().location;
    Take();
    std::unique_ptr<Expr> then = ParseOr();
    if (then == nullptr) return nullptr;
    if (!Expect(TokenKind::kColon, "':'")) return nullptr;
    std::unique_ptr<Expr> otherwise = ParseExpr();
    if (otherwise == nullptr) return nullptr;
    e->location = question;
    e->children.push_back(std::move(cond));
    e->children.push_back(std::move(then));
    e->children.push_back(std::move(otherwise));
    return Finish(std::move(e));
  }

  using Sub = std::unique_ptr<Expr> (Parser::*)();

  // Left-associative binary level: operand {op operand}.
  std::unique_ptr<Expr> ParseLeftAssoc(Sub operand,
                                       std::initializer_list<TokenKind> ops) {
    std::unique_ptr<Expr> left = (this->*operand)();
    while (left != nullptr &&
           std::find(ops.begin(), ops.end(), Cur().kind) != ops.end()) {
      const Token& op = Cur();
      auto e = NewNode(ExprKind::kBinary, op);
      e->name = std::string(op.text);
      Take();
      std::unique_ptr<Expr> right = (this->*operand)();
      if (right == nullptr) return nullptr;
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(right));
      left = Finish(std::move(e));
    }
    return left;
  }

  std::unique_ptr<Expr> ParseOr() {
    return ParseLeftAssoc(&Parser::ParseAnd, {TokenKind::kOr});
  }
  std::unique_ptr<Expr> ParseAnd() {
    return ParseLeftAssoc(&Parser::ParseRelation, {TokenKind::kAnd});
  }
  std::unique_ptr<Expr> ParseRelation() {
    return ParseLeftAssoc(
        &Parser::ParseAddition,
        {TokenKind::kEq, TokenKind::kNe, TokenKind::kLt, TokenKind::kLe,
         TokenKind::kGt, TokenKind::kGe, TokenKind::kIn});
  }
  std::unique_ptr<Expr> ParseAddition() {
    return ParseLeftAssoc(&Parser::ParseMultiplication,
                          {TokenKind::kPlus, TokenKind::kMinus});
  }
  std::unique_ptr<Expr> ParseMultiplication() {
    return ParseLeftAssoc(
        &Parser::ParseUnary,
        {TokenKind::kStar, TokenKind::kSlash, TokenKind::kPercent});
  }

  std::unique_ptr<Expr> ParseUnary() {
    RecursionGuard guard(this);
    if (guard.TooDeep()) return DepthError(Cur().location);
    if (At(TokenKind::kMinus)) {
      const Token& op = Cur();
      Take();
      // A minus directly before an int literal is part of the literal, so
      // -9223372036854775808 is representable.
      if (At(TokenKind::kInt)) {
        const Token& lit = Cur();
        if (lit.int_value <= (uint64_t{1} << 63)) {
          size_t save = pos_;
          Take();
          // Only fold when no member access binds tighter: -1.size() is odd
          // but legal CEL and means -(1.size()).
          if (!At(TokenKind::kDot) && !At(TokenKind::kLBracket)) {
            auto e = NewNode(ExprKind::kInt, op);
            e->int_value = static_cast<int64_t>(0 - lit.int_value);
            return Finish(std::move(e));
          }
          pos_ = save;
        }
      }
      auto e = NewNode(ExprKind::kUnary, op);
      e->name = "-";
      std::unique_ptr<Expr> operand = ParseUnary();
      if (operand == nullptr) return nullptr;
      e->children.push_back(std::move(operand));
      return Finish(std::move(e));
    }
    if (At(TokenKind::kBang)) {
      const Token& op = Cur();
      Take();
      auto e = NewNode(ExprKind::kUnary, op);
      e->name = "!";
      std::unique_ptr<Expr> operand = ParseUnary();
      if (operand == nullptr) return nullptr;
      e->children.push_back(std::move(operand));
      return Finish(std::move(e));
    }
    return ParseMember();
  }

  // Parses "(args)" after the '(' has been consumed, into `call`.
  bool ParseArgs(Expr* call, TokenKind close, absl::string_view close_text) {
    if (At(close)) {
      Take();
      return true;
    }
    while (true) {
      std::unique_ptr<Expr> arg = ParseExpr();
      if (arg == nullptr) return false;
      call->children.push_back(std::move(arg));
      if (At(TokenKind::kComma)) {
        Take();
        continue;
      }
      return Expect(close, absl::StrCat("',' or '", close_text, "'"));
    }
  }

  std::unique_ptr<Expr> ParseMember() {
    std::unique_ptr<Expr> e = ParsePrimary();
    while (e != nullptr) {
      if (At(TokenKind::kDot)) {
        Take();
        if (!At(TokenKind::kIdent)) {
          return Fail(Cur(), absl::StrCat("expected a field or method name "
                                          "after '.', got ",
                                          DescribeToken(Cur())));
        }
        const Token& name = Cur();
        Take();
        if (At(TokenKind::kLParen)) {
          Take();
          auto call = NewNode(ExprKind::kCall, name);
          call->name = std::string(name.text);
          call->has_receiver = true;
          call->children.push_back(std::move(e));
          if (!ParseArgs(call.get(), TokenKind::kRParen, ")")) return nullptr;
          e = Finish(std::move(call));
        } else {
          auto sel = NewNode(ExprKind::kSelect, name);
          sel->name = std::string(name.text);
          sel->children.push_back(std::move(e));
          e = Finish(std::move(sel));
        }
      } else if (At(TokenKind::kLBracket)) {
        auto idx = NewNode(ExprKind::kIndex, Cur());
        Take();
        std::unique_ptr<Expr> key = ParseExpr();
        if (key == nullptr) return nullptr;
        if (!Expect(TokenKind::kRBracket, "']'")) return nullptr;
        idx->children.push_back(std::move(e));
        idx->children.push_back(std::move(key));
        e = Finish(std::move(idx));
      } else {
        break;
      }
    }
    return e;
  }

  std::unique_ptr<Expr> ParsePrimary() {
    const Token& t = Cur();
    switch (t.kind) {
      case TokenKind::kInt: {
        if (t.int_value > static_cast<uint64_t>(INT64_MAX)) {
          return Fail(t, "int literal out of range");
        }
        auto e = NewNode(ExprKind::kInt, t);
        e->int_value = static_cast<int64_t>(t.int_value);
        Take();
        return Finish(std::move(e));
      }
      case TokenKind::kDouble: {
        auto e = NewNode(ExprKind::kDouble, t);
        e->double_value = t.double_value;
        Take();
        return Finish(std::move(e));
      }
      case TokenKind::kString: {
        auto e = NewNode(ExprKind::kString, t);
        e->string_value = t.string_value;
        Take();
        return Finish(std::move(e));
      }
      case TokenKind::kTrue:
      case TokenKind::kFalse: {
        auto e = NewNode(ExprKind::kBool, t);
        e->bool_value = t.kind == TokenKind::kTrue;
        Take();
        return Finish(std::move(e));
      }
      case TokenKind::kIdent: {
        Take();
        if (At(TokenKind::kLParen)) {
          Take();
          auto call = NewNode(ExprKind::kCall, t);
          call->name = std::string(t.text);
          if (!ParseArgs(call.get(), TokenKind::kRParen, ")")) return nullptr;
          return Finish(std::move(call));
        }
        auto e = NewNode(ExprKind::kIdent, t);
        e->name = std::string(t.text);
        return Finish(std::move(e));
      }
      case TokenKind::kLParen: {
        Take();
        std::unique_ptr<Expr> inner = ParseExpr();
        if (inner == nullptr) return nullptr;
        if (!Expect(TokenKind::kRParen, "')'")) return nullptr;
        // Parentheses count towards nesting, so a deeply parenthesized
        // atom is as deep as the operators it could hide.
        inner->begin = t.offset;
        inner->end = Prev().offset + 1;
        if (++inner->depth > limits_.max_nesting_depth) {
          return DepthError(t.location);
        }
        return inner;
      }
      case TokenKind::kLBracket: {
        Take();
        auto list = NewNode(ExprKind::kList, t);
        if (!ParseArgs(list.get(), TokenKind::kRBracket, "]")) return nullptr;
        return Finish(std::move(list));
      }
      default:
        return Unexpected();
    }
  }

  absl::string_view source_;
  const ProgramLimits& limits_;
  std::vector<Token> tokens_;
  ExprDiagnostic* diagnostic_;
  size_t pos_ = 0;
  int recursion_ = 0;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<Expr> Parse(absl::string_view source,
                            const ProgramLimits& limits,
                            ExprDiagnostic* diagnostic) {
  if (source.size() > limits.max_expression_bytes) {
    diagnostic->location = {1, 1};
    diagnostic->message =
        absl::StrCat("expression is ", source.size(), " bytes; the limit is ",
                     limits.max_expression_bytes);
    return nullptr;
  }
  std::vector<Token> tokens;
  if (!Tokenize(source, &tokens, diagnostic)) return nullptr;
  return Parser(source, limits, std::move(tokens), diagnostic).Run();
}

}  // namespace tact::internal
