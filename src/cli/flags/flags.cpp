#include "cli/flags/flags.h"

namespace berth::cli {

void Flags::add_bool(const std::string& name, char short_name, const std::string& help) {
  flags_[name] = Flag{Flag::kBool, short_name, help, "false", {}, false};
}

void Flags::add_string(const std::string& name, char short_name, const std::string& fallback,
                       const std::string& help) {
  flags_[name] = Flag{Flag::kString, short_name, help, fallback, {}, false};
}

void Flags::add_list(const std::string& name, char short_name, const std::string& help) {
  flags_[name] = Flag{Flag::kList, short_name, help, "", {}, false};
}

Flags::Flag* Flags::find_long(const std::string& name) {
  auto it = flags_.find(name);
  return it == flags_.end() ? nullptr : &it->second;
}

Flags::Flag* Flags::find_short(char c, std::string* name) {
  for (auto& [key, flag] : flags_) {
    if (flag.short_name == c) {
      *name = key;
      return &flag;
    }
  }
  return nullptr;
}

Status Flags::set(const std::string& name, Flag& flag, const std::string& value) {
  flag.changed = true;
  switch (flag.kind) {
    case Flag::kBool:
      if (value == "true" || value == "1" || value == "t" || value == "T" || value == "TRUE" ||
          value == "True") {
        flag.value = "true";
      } else if (value == "false" || value == "0" || value == "f" || value == "F" ||
                 value == "FALSE" || value == "False") {
        flag.value = "false";
      } else {
        return make_error(Code::kInvalidArgument, "invalid argument \"" + value + "\" for \"--" +
                                                      name +
                                                      "\" flag: strconv.ParseBool: parsing \"" +
                                                      value + "\": invalid syntax");
      }
      break;
    case Flag::kString:
      flag.value = value;
      break;
    case Flag::kList:
      flag.values.push_back(value);
      break;
  }
  return ok_status();
}

Status Flags::parse(const std::vector<std::string>& args, bool interspersed) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      args_.insert(args_.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      return ok_status();
    }
    if (arg.size() < 2 || arg[0] != '-') {
      args_.push_back(arg);
      if (!interspersed) {
        args_.insert(args_.end(), args.begin() + static_cast<long>(i) + 1, args.end());
        return ok_status();
      }
      continue;
    }
    if (arg[1] == '-') {
      std::string name = arg.substr(2);
      std::string value;
      bool has_value = false;
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      Flag* flag = find_long(name);
      if (flag == nullptr) {
        if (name == "help") {
          help_ = true;
          continue;
        }
        return make_error(Code::kInvalidArgument, "unknown flag: --" + name);
      }
      if (!has_value) {
        if (flag->kind == Flag::kBool) {
          value = "true";
        } else if (i + 1 < args.size()) {
          value = args[++i];
        } else {
          return make_error(Code::kInvalidArgument, "flag needs an argument: --" + name);
        }
      }
      BERTH_TRY(set(name, *flag, value));
      continue;
    }
    // One or more shorthand flags: -it, -e X, -eX, -e=X.
    for (size_t j = 1; j < arg.size(); ++j) {
      std::string name;
      Flag* flag = find_short(arg[j], &name);
      if (flag == nullptr) {
        if (arg[j] == 'h') {
          help_ = true;
          continue;
        }
        return make_error(Code::kInvalidArgument,
                          std::string("unknown shorthand flag: '") + arg[j] + "' in " + arg);
      }
      if (flag->kind == Flag::kBool) {
        if (j + 1 < arg.size() && arg[j + 1] == '=') {
          BERTH_TRY(set(name, *flag, arg.substr(j + 2)));
          break;
        }
        BERTH_TRY(set(name, *flag, "true"));
        continue;
      }
      std::string value;
      if (j + 1 < arg.size()) {
        value = arg.substr(j + 1);
        if (value[0] == '=') value = value.substr(1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return make_error(Code::kInvalidArgument,
                          std::string("flag needs an argument: '") + arg[j] + "' in " + arg);
      }
      BERTH_TRY(set(name, *flag, value));
      break;
    }
  }
  return ok_status();
}

bool Flags::get_bool(const std::string& name) const {
  auto it = flags_.find(name);
  return it != flags_.end() && it->second.value == "true";
}

std::string Flags::get_string(const std::string& name) const {
  auto it = flags_.find(name);
  return it == flags_.end() ? "" : it->second.value;
}

const std::vector<std::string>& Flags::get_list(const std::string& name) const {
  static const std::vector<std::string> kEmpty;
  auto it = flags_.find(name);
  return it == flags_.end() ? kEmpty : it->second.values;
}

bool Flags::changed(const std::string& name) const {
  auto it = flags_.find(name);
  return it != flags_.end() && it->second.changed;
}

std::string Flags::usage() const {
  std::string out = "Options:\n";
  for (const auto& [name, flag] : flags_) {
    std::string left =
        flag.short_name ? std::string("  -") + flag.short_name + ", --" + name : "      --" + name;
    if (flag.kind == Flag::kString) left += " string";
    if (flag.kind == Flag::kList) left += " list";
    if (left.size() < 30) left.resize(30, ' ');
    out += left + " " + flag.help + "\n";
  }
  return out;
}

}  // namespace berth::cli
