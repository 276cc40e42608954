// docker's formatter.Context for the commands that list things (ps, images, stats, events...):
// `--format` is "table [TEMPLATE]", "json", or a template; each row is executed and followed by
// "\n"; a table gets a header row (the template executed over the header names, with docker's
// HeaderFunctions) and goes through the tabwriter (minwidth 10, padding 3).
#pragma once

#include <string>
#include <vector>

#include "cli/format/template.h"

namespace berth::cli {

struct ListFormat {
  std::string format;         // as given; "" or "table" means `default_table`
  std::string default_table;  // e.g. "table {{.ID}}\t{{.Image}}"
  OrderedJson header;         // field -> header name: {"ID": "CONTAINER ID", ...}
  std::string strict_type;    // Go type of a row, for "can't evaluate field" errors
};

// "json" -> "{{json .}}", "table" -> the default; true when the result is a table.
bool resolve_format(const std::string& format, const std::string& default_table, std::string* body);
// Renders all rows; errors are Go's template errors.
Result<std::string> format_list(const ListFormat& format, const std::vector<OrderedJson>& rows);
// format_list written to stdout, or its error to stderr: the command's exit code.
int print_list(const ListFormat& format, const std::vector<OrderedJson>& rows);
// Go's text/tabwriter(minwidth, tabwidth 1, padding 3, ' ', 0) over text with '\t' cells.
std::string tabwrite(const std::string& text, size_t min_width = 10);

}  // namespace berth::cli
