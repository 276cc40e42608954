// --format for the image commands (images, history, system df): "" or "table" (the default
// table), "table TEMPLATE" (header row from the field names), "json", or a plain template
// executed per row.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "cli/format/template.h"

namespace berth::cli {

// `header` maps each field to its column title; `default_table` is "table {{.A}}\t{{.B}}".
Result<std::string> format_image_rows(const std::string& format, const std::string& default_table,
                                      const OrderedJson& header,
                                      const std::vector<OrderedJson>& rows);

}  // namespace berth::cli
