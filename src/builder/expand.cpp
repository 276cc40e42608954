// Dockerfile variable substitution (see expand.h); modelled on moby/buildkit's shell/lex.go.
#include "builder/expand.h"

#include <fnmatch.h>

#include <cctype>
#include <optional>

namespace berth::builder {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Lexer {
 public:
  Lexer(const std::string& s, const Vars* vars, char escape)
      : s_(s), vars_(vars), escape_(escape) {}

  Result<std::vector<std::string>> words(bool split) {
    std::vector<std::string> out;
    std::string cur;
    bool have = false;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (split && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
        if (have) out.push_back(cur), cur.clear(), have = false;
        ++pos_;
        continue;
      }
      have = true;
      if (c == escape_) {
        ++pos_;
        if (pos_ < s_.size())
          cur += s_[pos_++];
        else
          cur += c;
      } else if (c == '\'') {
        size_t end = s_.find('\'', pos_ + 1);
        if (end == std::string::npos)
          return make_error(Code::kInvalidArgument,
                            "unexpected end of statement while looking for matching single-quote");
        cur += s_.substr(pos_ + 1, end - pos_ - 1);
        pos_ = end + 1;
      } else if (c == '"') {
        ++pos_;
        bool closed = false;
        while (pos_ < s_.size()) {
          char d = s_[pos_];
          if (d == '"') {
            closed = true;
            ++pos_;
            break;
          }
          if (d == escape_ && pos_ + 1 < s_.size()) {
            char n = s_[pos_ + 1];
            if (n == '"' || n == '$' || n == escape_) {
              cur += n;
              pos_ += 2;
              continue;
            }
            cur += d;
            ++pos_;
            continue;
          }
          if (d == '$' && vars_) {
            BERTH_TRY_ASSIGN(std::string v, dollar());
            cur += v;
            continue;
          }
          cur += d;
          ++pos_;
        }
        if (!closed)
          return make_error(Code::kInvalidArgument,
                            "unexpected end of statement while looking for matching double-quote");
      } else if (c == '$' && vars_) {
        BERTH_TRY_ASSIGN(std::string v, dollar());
        cur += v;
      } else {
        cur += c;
        ++pos_;
      }
    }
    if (have || !split) out.push_back(cur);
    return out;
  }

 private:
  // At '$': an expansion, or a literal '$'.
  Result<std::string> dollar() {
    ++pos_;
    if (pos_ >= s_.size()) return std::string("$");
    if (s_[pos_] != '{') {
      size_t start = pos_;
      while (pos_ < s_.size() && name_char(s_[pos_])) ++pos_;
      if (start == pos_) return std::string("$");
      return lookup(s_.substr(start, pos_ - start)).value_or("");
    }
    ++pos_;
    size_t start = pos_;
    while (pos_ < s_.size() && name_char(s_[pos_])) ++pos_;
    std::string name = s_.substr(start, pos_ - start);
    if (name.empty()) return make_error(Code::kInvalidArgument, "bad substitution in " + s_);
    if (pos_ >= s_.size()) return make_error(Code::kInvalidArgument, "missing '}' in " + s_);
    if (s_[pos_] == '}') {
      ++pos_;
      return lookup(name).value_or("");
    }
    bool colon = false;
    if (s_[pos_] == ':') colon = true, ++pos_;
    if (pos_ >= s_.size()) return make_error(Code::kInvalidArgument, "missing '}' in " + s_);
    char op = s_[pos_++];
    bool pattern_op = !colon && (op == '#' || op == '%' || op == '/');
    if (op != '-' && op != '+' && op != '?' && !pattern_op)
      return make_error(Code::kInvalidArgument,
                        "unsupported modifier (" + std::string(1, op) + ") in substitution " + s_);
    // ## %% //: the longest match, or every match.
    bool doubled = pattern_op && pos_ < s_.size() && s_[pos_] == op;
    if (doubled) ++pos_;
    // The word runs to the matching '}'.
    int depth = 1;
    size_t wstart = pos_;
    while (pos_ < s_.size()) {
      if (s_[pos_] == '{') ++depth;
      if (s_[pos_] == '}' && --depth == 0) break;
      ++pos_;
    }
    if (pos_ >= s_.size()) return make_error(Code::kInvalidArgument, "missing '}' in " + s_);
    std::string word_src = s_.substr(wstart, pos_ - wstart);
    ++pos_;
    if (pattern_op) return pattern_expand(name, op, doubled, word_src);
    BERTH_TRY_ASSIGN(std::string word, expand_sub(word_src));
    auto v = lookup(name);
    bool set = v.has_value() && (!colon || !v->empty());
    if (op == '-') return set ? *v : word;
    if (op == '+') return set ? word : std::string();
    if (!set)
      return make_error(Code::kInvalidArgument,
                        name + ": " + (word.empty() ? "parameter null or not set" : word));
    return *v;
  }

  Result<std::string> expand_sub(const std::string& src) const {
    Lexer inner(src, vars_, escape_);
    BERTH_TRY_ASSIGN(auto ws, inner.words(false));
    return ws.empty() ? std::string() : ws[0];
  }

  // ${v#p} ${v##p} ${v%p} ${v%%p} ${v/p/r} ${v//p/r}: p is a shell pattern (* ? [...]), as in
  // BuildKit; an unset variable expands to "".
  Result<std::string> pattern_expand(const std::string& name, char op, bool doubled,
                                     const std::string& word_src) const {
    std::string pattern_src = word_src, repl_src;
    if (op == '/') {
      for (size_t i = 0; i < word_src.size(); ++i) {
        if (word_src[i] == escape_) {
          ++i;
          continue;
        }
        if (word_src[i] == '/') {
          pattern_src = word_src.substr(0, i);
          repl_src = word_src.substr(i + 1);
          break;
        }
      }
    }
    BERTH_TRY_ASSIGN(std::string pattern, expand_sub(pattern_src));
    BERTH_TRY_ASSIGN(std::string repl, expand_sub(repl_src));
    std::string v = lookup(name).value_or("");
    auto match = [&](size_t from, size_t to) {
      return ::fnmatch(pattern.c_str(), v.substr(from, to - from).c_str(), 0) == 0;
    };
    size_t n = v.size();
    if (op == '#') {
      for (size_t k = 0; k <= n; ++k) {
        size_t len = doubled ? n - k : k;
        if (match(0, len)) return v.substr(len);
      }
      return v;
    }
    if (op == '%') {
      for (size_t k = 0; k <= n; ++k) {
        size_t start = doubled ? k : n - k;
        if (match(start, n)) return v.substr(0, start);
      }
      return v;
    }
    // '/': the longest match at the leftmost position where one starts; '//' all of them.
    if (pattern.empty()) return v;
    std::string out;
    size_t i = 0;
    bool replaced = false;
    while (i < n) {
      size_t end = std::string::npos;
      if (!replaced || doubled)
        for (size_t e = n; e > i; --e)
          if (match(i, e)) {
            end = e;
            break;
          }
      if (end == std::string::npos) {
        out += v[i++];
        continue;
      }
      out += repl;
      i = end;
      replaced = true;
    }
    return out;
  }

  std::optional<std::string> lookup(const std::string& name) const {
    auto it = vars_->find(name);
    if (it == vars_->end()) return std::nullopt;
    return it->second;
  }

  const std::string& s_;
  const Vars* vars_;
  char escape_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::string> expand_word(const std::string& text, const Vars& vars, char escape) {
  Lexer lx(text, &vars, escape);
  BERTH_TRY_ASSIGN(auto w, lx.words(false));
  return w.empty() ? std::string() : w[0];
}

Result<std::vector<std::string>> expand_words(const std::string& text, const Vars& vars,
                                              char escape) {
  Lexer lx(text, &vars, escape);
  return lx.words(true);
}

Result<std::vector<std::string>> split_words(const std::string& text, char escape) {
  Lexer lx(text, nullptr, escape);
  return lx.words(true);
}

}  // namespace berth::builder
