// Variable substitution in Dockerfile words, with the shell-like rules of moby's shell lexer:
// $var, ${var}, ${var:-word}, ${var-word}, ${var:+word}, ${var+word}, ${var:?msg}, and
// BuildKit's pattern forms ${var#p} ${var##p} ${var%p} ${var%%p} ${var/p/r} ${var//p/r}; single
// quotes are literal, double quotes expand, the escape char quotes the next char; quotes are
// removed. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"

namespace berth::builder {

using Vars = std::map<std::string, std::string>;

// One word, expanded, quotes removed (whitespace kept).
Result<std::string> expand_word(const std::string& text, const Vars& vars, char escape = '\\');
// Whitespace-separated words, each expanded and unquoted ("a 'b c'" -> {"a", "b c"}).
Result<std::vector<std::string>> expand_words(const std::string& text, const Vars& vars,
                                              char escape = '\\');
// Words split and unquoted without expanding anything.
Result<std::vector<std::string>> split_words(const std::string& text, char escape = '\\');

}  // namespace berth::builder
