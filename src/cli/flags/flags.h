// Docker-style (pflag) command-line flags: --long, --long=value, -s, -s value, -svalue, -abc,
// "--" to end flags.  Commands like run stop at the first positional argument (the image), so
// the container's own command keeps its flags.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"

namespace berth::cli {

class Flags {
 public:
  void add_bool(const std::string& name, char short_name, const std::string& help);
  void add_string(const std::string& name, char short_name, const std::string& fallback,
                  const std::string& help);
  // Repeatable: each use appends.
  void add_list(const std::string& name, char short_name, const std::string& help);

  // `interspersed`: flags may follow positionals (false for run/create/exec).
  Status parse(const std::vector<std::string>& args, bool interspersed = true);

  bool get_bool(const std::string& name) const;
  std::string get_string(const std::string& name) const;
  const std::vector<std::string>& get_list(const std::string& name) const;
  bool changed(const std::string& name) const;
  bool help() const { return help_; }
  const std::vector<std::string>& args() const { return args_; }
  std::string usage() const;

 private:
  struct Flag {
    enum Kind { kBool, kString, kList } kind;
    char short_name;
    std::string help;
    std::string value;
    std::vector<std::string> values;
    bool changed = false;
  };
  Flag* find_long(const std::string& name);
  Flag* find_short(char c, std::string* name);
  Status set(const std::string& name, Flag& flag, const std::string& value);

  std::map<std::string, Flag> flags_;
  std::vector<std::string> args_;
  bool help_ = false;
};

}  // namespace berth::cli
