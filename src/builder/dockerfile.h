// The Dockerfile parser: parser directives (# syntax, # escape, # check), comments, line
// continuations, here-documents, JSON (exec) and shell forms, flags, and the split into stages.
// It does no variable expansion: which instructions expand which words is the executor's rule
// (expand.h).  Errors name "<file>:<line>:<col>" as BuildKit does.  Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace berth::builder {

struct Heredoc {
  std::string name;     // the delimiter word
  std::string content;  // the lines between, each with its "\n"
  bool expand = true;   // false when the delimiter was quoted
  bool chomp = false;   // <<- strips leading tabs
};

struct Instruction {
  std::string cmd;                 // lower case: "run", "copy"
  std::string original;            // as written, continuations joined: "RUN echo hi"
  std::vector<std::string> flags;  // leading "--name=value" words, as written
  std::string rest;                // the arguments after the flags, trimmed
  bool json = false;               // rest is a JSON array of strings (exec form)
  std::vector<std::string> json_args;
  std::vector<Heredoc> heredocs;
  int line = 0;  // 1-based line of the instruction's first line
};

struct Stage {
  std::string base;      // FROM's image word, unexpanded
  std::string name;      // AS name (lower case), "" when none
  std::string platform;  // --platform, unexpanded
  Instruction from;
  std::vector<Instruction> instructions;  // after FROM
};

struct Dockerfile {
  std::string file = "Dockerfile";
  char escape = '\\';
  std::string syntax;
  std::vector<Instruction> meta_args;  // ARGs before the first FROM
  std::vector<Stage> stages;
};

// Parses `text`; `file` names it in errors.
Result<Dockerfile> parse_dockerfile(const std::string& text,
                                    const std::string& file = "Dockerfile");
// One instruction line (docker commit --change, ONBUILD triggers).
Result<Instruction> parse_instruction(const std::string& line);

// "<file>:<line>:<col>: <message>" as an InvalidArgument error.
Error parse_error(const std::string& file, int line, int col, const std::string& message);

// The value of a "--name=value" flag in `flags` ("" when absent); *present tells if it was.
std::string flag_value(const std::vector<std::string>& flags, const std::string& name,
                       bool* present = nullptr);
std::vector<std::string> flag_values(const std::vector<std::string>& flags,
                                     const std::string& name);

}  // namespace berth::builder
