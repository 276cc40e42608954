#include "cli/image/image_format.h"

#include "base/strings.h"
#include "cli/format/format.h"

namespace berth::cli {

Result<std::string> format_image_rows(const std::string& format, const std::string& default_table,
                                      const OrderedJson& header,
                                      const std::vector<OrderedJson>& rows) {
  std::string f = format.empty() || format == "table" ? default_table : format;
  if (f == "json") f = "{{json .}}";
  bool table = f.rfind("table", 0) == 0;
  std::string body = table ? f.substr(5) : f;
  while (table && !body.empty() && body.front() == ' ') body.erase(0, 1);
  // Go templates see "\t" typed on a command line as the two characters.
  std::string tmpl;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == 't') {
      tmpl += '\t';
      ++i;
    } else {
      tmpl += body[i];
    }
  }
  if (!table) {
    std::string out;
    for (auto& r : rows) {
      BERTH_TRY_ASSIGN(std::string line, render_template(tmpl, r));
      out += line + "\n";
    }
    return out;
  }
  Table t;
  BERTH_TRY_ASSIGN(std::string head, render_template(tmpl, header));
  t.add_row(split(head, '\t'));
  for (auto& r : rows) {
    BERTH_TRY_ASSIGN(std::string line, render_template(tmpl, r));
    t.add_row(split(line, '\t'));
  }
  return t.render();
}

}  // namespace berth::cli
