#include "cli/flags/usage.h"

#include <unistd.h>

#include "base/file.h"
#include "base/strings.h"
#include "cli/context.h"

namespace berth::cli {

int args_error(const std::string& command, const std::string& usage,
               const std::string& requirement) {
  print_error("berth: 'berth " + command + "' " + requirement + "\n\nUsage:  berth " + usage +
              "\n\nSee 'berth " + command + " --help' for more information");
  return 1;
}

bool confirm(const std::string& question) {
  (void)write_all(1, question + " [y/N] ");
  std::string line;
  char c;
  while (::read(0, &c, 1) == 1 && c != '\n') line += c;
  line = to_lower(trim(line));
  return line == "y" || line == "yes";
}

}  // namespace berth::cli
