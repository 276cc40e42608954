// The parser of cli/template.h: text and {{actions}} (with {{- -}} trimming and comments), then
// each action's tokens into a pipeline, and if/range/with/else/end into a tree, as Go's
// text/template/parse does for the subset docker's users write.
#include <cctype>

#include "cli/format/internal/template_ast.h"

namespace berth::cli {

using internal::Command;
using internal::Operand;
using internal::Pipeline;
using internal::TemplateNode;

namespace internal {

std::string template_position(const std::string& source, size_t pos) {
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < pos && i < source.size(); ++i) {
    if (source[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(pos - line_start);
}

}  // namespace internal

namespace {

struct Token {
  enum Kind {
    kString,
    kNumber,
    kField,
    kVariable,
    kIdent,
    kDot,
    kLParen,
    kRParen,
    kPipe,
    kDeclare,
    kAssign,
    kComma,
    kBool,
    kNil
  } kind;
  std::string text;
  size_t pos;
  bool adjacent;  // no space before it (a field that chains onto the operand before)
  OrderedJson value;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

struct Action {
  size_t pos;
  std::vector<Token> tokens;
};

struct Item {
  bool is_action;
  std::string text;
  Action action;
};

class Lexer {
 public:
  explicit Lexer(const std::string& src) : src_(src) {}

  Result<std::vector<Item>> run() {
    std::vector<Item> items;
    size_t pos = 0;
    bool trim_next = false;
    while (pos <= src_.size()) {
      size_t open = src_.find("{{", pos);
      std::string text =
          src_.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
      if (trim_next) {
        size_t k = 0;
        while (k < text.size() && is_space(text[k])) ++k;
        text = text.substr(k);
      }
      if (open == std::string::npos) {
        if (!text.empty()) items.push_back({false, text, {}});
        break;
      }
      size_t p = open + 2;
      bool trim_left = p + 1 < src_.size() && src_[p] == '-' && is_space(src_[p + 1]);
      if (trim_left) {
        ++p;
        while (!text.empty() && is_space(text.back())) text.pop_back();
      }
      if (!text.empty()) items.push_back({false, text, {}});
      Action action{open, {}};
      bool trim_right = false;
      BERTH_TRY_ASSIGN(size_t end, lex_action(p, &action, &trim_right));
      if (!action.tokens.empty()) items.push_back({true, "", std::move(action)});
      trim_next = trim_right;
      pos = end;
    }
    return items;
  }

 private:
  Error fail(size_t pos, const std::string& message) {
    std::string lc = internal::template_position(src_, pos);
    return make_error(Code::kInvalidArgument,
                      "template: :" + lc.substr(0, lc.find(':')) + ": " + message);
  }

  // Lexes from `p` to the closing "}}"; returns the offset after it.
  Result<size_t> lex_action(size_t p, Action* action, bool* trim_right) {
    // A comment: {{/* ... */}}
    size_t q = p;
    while (q < src_.size() && is_space(src_[q])) ++q;
    if (src_.compare(q, 2, "/*") == 0) {
      size_t end = src_.find("*/", q + 2);
      if (end == std::string::npos) return fail(q, "unclosed comment");
      size_t r = end + 2;
      while (r < src_.size() && is_space(src_[r])) ++r;
      if (src_.compare(r, 3, "-}}") == 0) {
        *trim_right = true;
        return r + 3;
      }
      if (src_.compare(r, 2, "}}") != 0) return fail(r, "comment ends before closing delimiter");
      return r + 2;
    }
    bool spaced = true;
    while (true) {
      if (p >= src_.size()) return fail(action->pos, "unclosed action");
      char c = src_[p];
      if (is_space(c)) {
        size_t r = p;
        while (r < src_.size() && is_space(src_[r])) ++r;
        if (src_.compare(r, 3, "-}}") == 0) {
          *trim_right = true;
          return r + 3;
        }
        p = r;
        spaced = true;
        continue;
      }
      if (src_.compare(p, 2, "}}") == 0) return p + 2;
      size_t start = p;
      Token t{Token::kIdent, "", start, !spaced, OrderedJson()};
      spaced = false;
      if (c == '"') {
        std::string s;
        ++p;
        while (true) {
          if (p >= src_.size() || src_[p] == '\n') return fail(start, "unterminated quoted string");
          char d = src_[p++];
          if (d == '"') break;
          if (d != '\\') {
            s += d;
            continue;
          }
          if (p >= src_.size()) return fail(start, "unterminated quoted string");
          char e = src_[p++];
          switch (e) {
            case 'n':
              s += '\n';
              break;
            case 't':
              s += '\t';
              break;
            case 'r':
              s += '\r';
              break;
            case '\\':
              s += '\\';
              break;
            case '"':
              s += '"';
              break;
            case '\'':
              s += '\'';
              break;
            case '0':
              s += '\0';
              break;
            case 'x': {
              if (p + 2 > src_.size()) return fail(start, "bad escape");
              s += static_cast<char>(std::stoi(src_.substr(p, 2), nullptr, 16));
              p += 2;
              break;
            }
            default:
              return fail(start, std::string("unknown escape sequence: \\") + e);
          }
        }
        t.kind = Token::kString;
        t.value = s;
      } else if (c == '`') {
        size_t end = src_.find('`', p + 1);
        if (end == std::string::npos) return fail(start, "unterminated raw quoted string");
        t.kind = Token::kString;
        t.value = src_.substr(p + 1, end - p - 1);
        p = end + 1;
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 ((c == '-' || c == '+') && p + 1 < src_.size() &&
                  std::isdigit(static_cast<unsigned char>(src_[p + 1])))) {
        ++p;
        while (p < src_.size() && (is_alnum(src_[p]) || src_[p] == '.')) ++p;
        std::string num = src_.substr(start, p - start);
        t.kind = Token::kNumber;
        if (num.find('.') != std::string::npos || num.find('e') != std::string::npos) {
          char* endp = nullptr;
          double d = std::strtod(num.c_str(), &endp);
          if (*endp != '\0') return fail(start, "bad number syntax: \"" + num + "\"");
          t.value = d;
        } else {
          char* endp = nullptr;
          long long v = std::strtoll(num.c_str(), &endp, 0);
          if (*endp != '\0') return fail(start, "bad number syntax: \"" + num + "\"");
          t.value = v;
        }
      } else if (c == '.') {
        ++p;
        if (p < src_.size() &&
            (std::isalpha(static_cast<unsigned char>(src_[p])) || src_[p] == '_')) {
          while (p < src_.size() && is_alnum(src_[p])) ++p;
          t.kind = Token::kField;
          t.text = src_.substr(start + 1, p - start - 1);
        } else {
          t.kind = Token::kDot;
        }
      } else if (c == '$') {
        ++p;
        while (p < src_.size() && is_alnum(src_[p])) ++p;
        t.kind = Token::kVariable;
        t.text = src_.substr(start, p - start);
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        while (p < src_.size() && is_alnum(src_[p])) ++p;
        t.text = src_.substr(start, p - start);
        if (t.text == "true" || t.text == "false") {
          t.kind = Token::kBool;
          t.value = t.text == "true";
        } else if (t.text == "nil") {
          t.kind = Token::kNil;
        }
      } else if (c == '(') {
        t.kind = Token::kLParen;
        ++p;
      } else if (c == ')') {
        t.kind = Token::kRParen;
        ++p;
      } else if (c == '|') {
        t.kind = Token::kPipe;
        ++p;
      } else if (c == ',') {
        t.kind = Token::kComma;
        ++p;
      } else if (c == ':' && p + 1 < src_.size() && src_[p + 1] == '=') {
        t.kind = Token::kDeclare;
        p += 2;
      } else if (c == '=') {
        t.kind = Token::kAssign;
        ++p;
      } else {
        return fail(start, std::string("unexpected \"") + c + "\" in operand");
      }
      t.text = t.text.empty() ? src_.substr(start, p - start) : t.text;
      action->tokens.push_back(std::move(t));
    }
  }

  const std::string& src_;
};

class Parser {
 public:
  Parser(const std::string& src, std::vector<Item> items) : src_(src), items_(std::move(items)) {}

  Result<TemplateNode> parse() {
    TemplateNode root;
    root.kind = TemplateNode::kList;
    root.text = src_;
    std::string stop;
    std::vector<Token> rest;
    BERTH_TRY(parse_list(&root.list, &stop, &rest));
    if (!stop.empty()) return fail(last_pos_, "unexpected {{" + stop + "}}");
    return root;
  }

 private:
  Error fail(size_t pos, const std::string& message) {
    std::string lc = internal::template_position(src_, pos);
    return make_error(Code::kInvalidArgument,
                      "template: :" + lc.substr(0, lc.find(':')) + ": " + message);
  }

  // Parses nodes until {{end}} or {{else ...}} (returned in *stop, with the tokens after
  // "else" in *rest) or the end of input (*stop empty).
  Status parse_list(std::vector<TemplateNode>* out, std::string* stop, std::vector<Token>* rest) {
    while (next_ < items_.size()) {
      Item& item = items_[next_++];
      if (!item.is_action) {
        TemplateNode n;
        n.kind = TemplateNode::kText;
        n.text = item.text;
        out->push_back(std::move(n));
        continue;
      }
      std::vector<Token>& toks = item.action.tokens;
      last_pos_ = item.action.pos;
      const Token& first = toks[0];
      std::string word = first.kind == Token::kIdent ? first.text : "";
      if (word == "end" || word == "else") {
        *stop = word;
        rest->assign(toks.begin() + 1, toks.end());
        if (word == "end" && toks.size() > 1) return fail(first.pos, "unexpected token in end");
        return ok_status();
      }
      if (word == "if" || word == "range" || word == "with") {
        std::vector<Token> pipe_toks(toks.begin() + 1, toks.end());
        TemplateNode n;
        BERTH_TRY(parse_control(word, pipe_toks, first.pos, &n));
        out->push_back(std::move(n));
        continue;
      }
      if (word == "break" || word == "continue") {
        TemplateNode n;
        n.kind = word == "break" ? TemplateNode::kBreak : TemplateNode::kContinue;
        n.pos = first.pos;
        out->push_back(std::move(n));
        continue;
      }
      if (word == "define" || word == "template" || word == "block")
        return fail(first.pos, "{{" + word + "}} is not supported");
      TemplateNode n;
      n.kind = TemplateNode::kAction;
      n.pos = first.pos;
      BERTH_TRY(parse_pipeline(toks, &n.pipe, true));
      out->push_back(std::move(n));
    }
    stop->clear();
    return ok_status();
  }

  // if/range/with with its pipeline already lexed; consumes through the matching {{end}}.
  Status parse_control(const std::string& word, const std::vector<Token>& pipe_toks, size_t pos,
                       TemplateNode* n) {
    n->kind = word == "if"      ? TemplateNode::kIf
              : word == "range" ? TemplateNode::kRange
                                : TemplateNode::kWith;
    n->pos = pos;
    if (pipe_toks.empty()) return fail(pos, "missing value for " + word);
    BERTH_TRY(parse_pipeline(pipe_toks, &n->pipe, true));
    std::string stop;
    std::vector<Token> rest;
    BERTH_TRY(parse_list(&n->list, &stop, &rest));
    if (stop.empty()) return fail(pos, "unexpected EOF");
    if (stop == "end") return ok_status();
    // else
    if (!rest.empty()) {
      // {{else if x}} / {{else with x}}: a nested control that shares our {{end}}.
      if (rest[0].kind != Token::kIdent || (rest[0].text != "if" && rest[0].text != "with"))
        return fail(rest[0].pos, "unexpected token in else");
      TemplateNode inner;
      std::vector<Token> inner_toks(rest.begin() + 1, rest.end());
      BERTH_TRY(parse_control(rest[0].text, inner_toks, rest[0].pos, &inner));
      n->else_list.push_back(std::move(inner));
      return ok_status();
    }
    BERTH_TRY(parse_list(&n->else_list, &stop, &rest));
    if (stop != "end")
      return fail(pos, stop.empty() ? "unexpected EOF" : "expected end; found else");
    return ok_status();
  }

  Status parse_pipeline(const std::vector<Token>& toks, Pipeline* pipe, bool allow_decl) {
    size_t i = 0;
    if (allow_decl && toks.size() >= 2 && toks[0].kind == Token::kVariable) {
      if (toks[1].kind == Token::kDeclare || toks[1].kind == Token::kAssign) {
        pipe->decl.push_back(toks[0].text);
        pipe->assign = toks[1].kind == Token::kAssign;
        i = 2;
      } else if (toks.size() >= 4 && toks[1].kind == Token::kComma &&
                 toks[2].kind == Token::kVariable && toks[3].kind == Token::kDeclare) {
        pipe->decl = {toks[0].text, toks[2].text};
        i = 4;
      }
    }
    BERTH_TRY(parse_commands(toks, &i, pipe, false));
    if (i != toks.size())
      return fail(toks[i].pos, "unexpected \"" + toks[i].text + "\" in command");
    return ok_status();
  }

  Status parse_commands(const std::vector<Token>& toks, size_t* i, Pipeline* pipe, bool in_paren) {
    while (true) {
      Command cmd;
      while (*i < toks.size() && toks[*i].kind != Token::kPipe && toks[*i].kind != Token::kRParen) {
        Operand op;
        BERTH_TRY(parse_operand(toks, i, &op));
        cmd.args.push_back(std::move(op));
      }
      if (cmd.args.empty()) {
        size_t pos = *i < toks.size() ? toks[*i].pos : (toks.empty() ? 0 : toks.back().pos);
        return fail(pos, "missing command");
      }
      pipe->cmds.push_back(std::move(cmd));
      if (*i < toks.size() && toks[*i].kind == Token::kPipe) {
        ++*i;
        continue;
      }
      if (*i < toks.size() && toks[*i].kind == Token::kRParen && !in_paren)
        return fail(toks[*i].pos, "unexpected right paren");
      return ok_status();
    }
  }

  Status parse_operand(const std::vector<Token>& toks, size_t* i, Operand* op) {
    const Token& t = toks[*i];
    op->pos = t.pos;
    size_t start = t.pos;
    switch (t.kind) {
      case Token::kField:
        op->kind = Operand::kField;
        op->fields.push_back(t.text);
        break;
      case Token::kDot:
        op->kind = Operand::kDot;
        break;
      case Token::kVariable:
        op->kind = Operand::kVariable;
        op->name = t.text;
        break;
      case Token::kString:
      case Token::kNumber:
      case Token::kBool:
      case Token::kNil:
        op->kind = Operand::kLiteral;
        op->literal = t.value;
        break;
      case Token::kIdent:
        op->kind = Operand::kIdent;
        op->name = t.text;
        break;
      case Token::kLParen: {
        op->kind = Operand::kPipe;
        op->pipe = std::make_shared<Pipeline>();
        ++*i;
        BERTH_TRY(parse_commands(toks, i, op->pipe.get(), true));
        if (*i >= toks.size() || toks[*i].kind != Token::kRParen)
          return fail(t.pos, "unclosed left paren");
        break;
      }
      default:
        return fail(t.pos, "unexpected \"" + t.text + "\" in operand");
    }
    ++*i;
    while (*i < toks.size() && toks[*i].kind == Token::kField && toks[*i].adjacent &&
           op->kind != Operand::kLiteral && op->kind != Operand::kIdent) {
      if (op->kind == Operand::kDot) op->kind = Operand::kField;
      op->fields.push_back(toks[*i].text);
      ++*i;
    }
    size_t end = *i < toks.size() ? toks[*i].pos : src_.find("}}", start);
    op->text = src_.substr(start, end == std::string::npos ? 0 : end - start);
    while (!op->text.empty() && is_space(op->text.back())) op->text.pop_back();
    return ok_status();
  }

  const std::string& src_;
  std::vector<Item> items_;
  size_t next_ = 0;
  size_t last_pos_ = 0;
};

}  // namespace

Result<Template> Template::parse(const std::string& text) {
  Lexer lexer(text);
  BERTH_TRY_ASSIGN(std::vector<Item> items, lexer.run());
  Parser parser(text, std::move(items));
  BERTH_TRY_ASSIGN(TemplateNode root, parser.parse());
  Template t;
  t.root_ = std::make_shared<const TemplateNode>(std::move(root));
  return t;
}

}  // namespace berth::cli
