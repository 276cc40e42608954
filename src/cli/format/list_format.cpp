#include "cli/format/list_format.h"

#include <algorithm>

#include "base/file.h"
#include "cli/context.h"
#include "cli/format/format.h"

namespace berth::cli {

namespace {

std::string replace_escapes(const std::string& s) {
  // strings.NewReplacer(`\t`, "\t", `\n`, "\n")
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 't' || s[i + 1] == 'n')) {
      out += s[i + 1] == 't' ? '\t' : '\n';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct Tabwriter {
  size_t min_width = 10;
  std::vector<std::vector<std::string>> lines;
  std::vector<size_t> widths;
  std::string out;

  void write_lines(size_t line0, size_t line1) {
    for (size_t i = line0; i < line1; ++i) {
      const auto& line = lines[i];
      for (size_t j = 0; j < line.size(); ++j) {
        out += line[j];
        if (j < widths.size()) {
          size_t w = display_width(line[j]);
          if (widths[j] > w) out.append(widths[j] - w, ' ');
        }
      }
      if (i + 1 < lines.size()) out += '\n';
    }
  }

  // text/tabwriter's format(): column blocks, recursively.
  void format(size_t line0, size_t line1) {
    size_t column = widths.size();
    for (size_t cur = line0; cur < line1; ++cur) {
      if (column + 1 >= lines[cur].size()) continue;
      write_lines(line0, cur);
      line0 = cur;
      size_t width = min_width;
      for (; cur < line1; ++cur) {
        if (column + 1 >= lines[cur].size()) break;
        width = std::max(width, display_width(lines[cur][column]) + 3);
      }
      widths.push_back(width);
      format(line0, cur);
      widths.pop_back();
      line0 = cur;  // the line that ended the block lacks this column: skipping it is right
    }
    write_lines(line0, line1);
  }
};

}  // namespace

std::string tabwrite(const std::string& text, size_t min_width) {
  Tabwriter tw;
  tw.min_width = min_width;
  std::vector<std::string> cells;
  std::string cell;
  for (char c : text) {
    if (c == '\t') {
      cells.push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      cells.push_back(cell);
      cell.clear();
      tw.lines.push_back(std::move(cells));
      cells.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  tw.lines.push_back(std::move(cells));
  tw.format(0, tw.lines.size());
  return tw.out;
}

bool resolve_format(const std::string& format, const std::string& default_table,
                    std::string* body) {
  std::string f = format;
  if (f.empty() || f == "table") f = default_table;
  if (f == "json") f = "{{json .}}";
  bool table = f.rfind("table", 0) == 0;
  if (table) f = f.substr(5);
  size_t a = f.find_first_not_of(' ');
  size_t b = f.find_last_not_of(' ');
  f = a == std::string::npos ? "" : f.substr(a, b - a + 1);
  *body = replace_escapes(f);
  return table;
}

Result<std::string> format_list(const ListFormat& format, const std::vector<OrderedJson>& rows) {
  std::string body;
  bool table = resolve_format(format.format, format.default_table, &body);
  auto parsed = Template::parse(body);
  if (!parsed.ok()) {
    return make_error(Code::kInvalidArgument, "template parsing error: " + parsed.error().message);
  }
  const Template& tmpl = *parsed;
  std::string out;
  TemplateOptions options;
  options.strict_type = format.strict_type;
  for (const OrderedJson& row : rows) {
    BERTH_TRY_ASSIGN(std::string line, tmpl.execute(row, options));
    out += line + "\n";
  }
  if (!table) return out;
  TemplateOptions header_options;
  header_options.header = true;
  // docker ignores errors executing the header (what was written stays).
  std::string header = tmpl.execute(format.header, header_options).value_or("");
  return tabwrite(header + "\n" + out);
}

int print_list(const ListFormat& format, const std::vector<OrderedJson>& rows) {
  auto out = format_list(format, rows);
  if (!out.ok()) {
    print_error(out.error().message);
    return 1;
  }
  (void)write_all(1, *out);
  return 0;
}

}  // namespace berth::cli
