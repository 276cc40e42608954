#include "cli/flags/filters.h"

#include "api/http/message.h"
#include "model/json.h"

namespace berth::cli {

Result<std::string> filters_query(const std::vector<std::string>& filters,
                                  const std::string& flag_name) {
  if (filters.empty()) return std::string();
  model::Map<model::Map<bool>> j;  // Go's filters.Args on the wire
  for (const std::string& f : filters) {
    size_t eq = f.find('=');
    if (eq == std::string::npos) {
      return make_error(Code::kInvalidArgument, "invalid argument \"" + f + "\" for \"" +
                                                    flag_name +
                                                    "\" flag: bad format of filter (expected "
                                                    "name=value)");
    }
    std::string key = f.substr(0, eq);
    size_t a = key.find_first_not_of(' '), b = key.find_last_not_of(' ');
    key = a == std::string::npos ? "" : key.substr(a, b - a + 1);
    j[key][f.substr(eq + 1)] = true;
  }
  return "filters=" + api::http::percent_encode(model::dump(j));
}

}  // namespace berth::cli
